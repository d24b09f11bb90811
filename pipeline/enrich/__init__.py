"""Enrich stage: language, watched-entity mentions and claims for each article.

Name linking works for any language (it needs no model); claims need the language's spaCy model
(``nlp.models``) and lexicon (``pipeline/lexicons/<lang>.yaml``, or the deployment's own in
``nlp.lexicons``). An article in another language
is still stored and searchable, with mentions and without claims.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

from pipeline import ids
from pipeline.config import NlpSettings
from pipeline.enrich.claims import ClaimExtractor, fingerprint
from pipeline.enrich.coref import resolve as resolve_descriptions
from pipeline.enrich.entities import EntityLinker, Link
from pipeline.enrich.language import LanguageDetector
from pipeline.enrich.lexicon import lexicon_for
from pipeline.enrich.nlp import load_model, parse
from pipeline.models import Article, Claim, EnrichedArticle, Mention, WatchedEntity

log = logging.getLogger(__name__)

_NAME_LABELS = {"PER", "PERSON", "ORG", "LOC", "GPE", "NORP", "FAC", "PRODUCT", "MISC"}


class Enricher:
    """Built once per process (models and automata are costly); ``enrich`` is then cheap."""

    def __init__(self, nlp: NlpSettings, watchlist: list[WatchedEntity]) -> None:
        self.settings = nlp
        self.detector = LanguageDetector(nlp.detect_languages)
        self.linker = EntityLinker(watchlist)
        self._extractors: dict[str, ClaimExtractor | None] = {}

    def _extractor(self, language: str) -> ClaimExtractor | None:
        if language not in self._extractors:
            lexicon = lexicon_for(language, self.settings.lexicons)
            self._extractors[language] = ClaimExtractor(lexicon, self.linker.entities) if lexicon else None
        return self._extractors[language]

    def language_of(self, article: Article) -> str | None:
        return self.detector.detect(article.text, hint=article.language)

    def enrich(self, articles: Sequence[Article]) -> list[EnrichedArticle]:
        """Articles of one language go through ``nlp.pipe`` together (much faster than one by one)."""
        results: dict[int, EnrichedArticle] = {}
        groups: dict[str, list[int]] = defaultdict(list)
        prepared = []
        for index, original in enumerate(articles):
            language = self.language_of(original)
            article = original.model_copy(update={"language": language})
            prepared.append(article)
            if language in self.settings.languages and language in self.settings.models:
                groups[language].append(index)
            else:
                results[index] = self._finish(article, self.linker.link(article.text), [])
        for language, indexes in groups.items():
            model = load_model(self.settings.models[language])
            extractor = self._extractor(language)
            texts = [prepared[i].text for i in indexes]
            for index, text, doc in zip(indexes, texts, parse(model, texts, self.settings.batch_size), strict=True):
                labelled = [(ent.start_char, ent.end_char, ent.label_)
                            for ent in doc.ents if ent.label_ in _NAME_LABELS]
                names = [(start, end) for start, end, _ in labelled]
                lexicon = lexicon_for(language, self.settings.lexicons)
                links = self.linker.link(text, labelled, language,
                                         reordered_acronyms=lexicon is not None and lexicon.reordered_acronyms)
                if lexicon is not None:
                    links = resolve_descriptions(text, links, lexicon, self.linker.entities, names, doc)
                drafts = extractor.extract(doc, links, text) if extractor else []
                claims = [(draft, fingerprint(draft, links)) for draft in drafts]
                results[index] = self._finish(prepared[index], links, claims)
        return [results[index] for index in range(len(articles))]

    def _finish(self, article: Article, links: list[Link], claims: list) -> EnrichedArticle:
        mentions = [
            Mention(
                id=ids.mention_id(article.id, link.entity_id, link.start, link.end), article_id=article.id,
                entity_id=link.entity_id, surface=link.surface, start=link.start, end=link.end,
                method=link.method, score=link.score,
            )
            for link in links
        ]
        claim_models = [
            Claim(
                id=ids.claim_id(article.id, draft.start, draft.end), article_id=article.id, start=draft.start,
                end=draft.end, text=draft.text, quote=draft.quote, speaker=draft.speaker,
                speaker_entity=draft.speaker_entity, cue=draft.cue, stance=draft.stance, about=draft.about,
                fingerprint=print_, language=article.language, outlet=article.outlet, url=article.url,
                title=article.title, published=article.published,
            )
            for draft, print_ in claims
        ]
        return EnrichedArticle(article=article, mentions=mentions, claims=claim_models)
