"""``newswatch eval``: the project's own enrichment scored on gold data.

Implements exactly the format and scoring of shared/gold/README.md: mention counts per document
and watch id (micro-averaged), claims matched one-to-one by span overlap of at least half of the
shorter span (greedy, largest overlap first, whitespace collapsed), then speaker and stance
accuracy and the mean Jaccard index of the about-sets over matched pairs.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.enrich.textnorm import fold
from pipeline.models import Article, EnrichedArticle, Stance, WatchedEntity


class GoldClaim(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sentence: str
    speaker: str
    stance: Stance
    about: list[str] = Field(default_factory=list)


class GoldDoc(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    lang: str | None = None
    text: str | None = None
    text_file: str | None = None
    mentions: dict[str, int] = Field(default_factory=dict)
    claims: list[GoldClaim] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_text(self) -> GoldDoc:
        if self.text is None and self.text_file is None:
            raise ValueError(f"document {self.id!r} has neither text nor text_file")
        return self


class GoldFile(BaseModel):
    model_config = ConfigDict(extra="ignore")
    docs: list[GoldDoc]


def load_gold(path: Path) -> list[tuple[GoldDoc, str]]:
    gold = GoldFile.model_validate_json(path.read_text(encoding="utf-8"))
    documents = []
    for doc in gold.docs:
        text = doc.text if doc.text is not None else (path.parent / str(doc.text_file)).read_text(encoding="utf-8")
        documents.append((doc, text))
    return documents


class _Collapsed:
    """Whitespace runs collapsed to one space, with a map back to the original offsets."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        self.origin: list[int] = []
        for match in re.finditer(r"\s+|\S+", text):
            if match.group().isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    self.origin.append(match.start())
            else:
                chars.extend(match.group())
                self.origin.extend(range(match.start(), match.end()))
        self.text = "".join(chars)
        self.to_collapsed = [0] * (len(text) + 1)
        position = 0
        for index in range(len(text) + 1):
            while position < len(self.origin) and self.origin[position] < index:
                position += 1
            self.to_collapsed[index] = position

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_collapsed[start], self.to_collapsed[min(end, len(self.to_collapsed) - 1)]


@dataclass
class Scores:
    docs: int = 0
    mention_tp: int = 0
    mention_fp: int = 0
    mention_fn: int = 0
    gold_claims: int = 0
    system_claims: int = 0
    matched: int = 0
    speaker_right: int = 0
    stance_right: int = 0
    about_jaccard_sum: float = 0.0
    missing_sentences: list[str] = field(default_factory=list)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    def summary(self) -> dict[str, float | int]:
        def ratio(a: float, b: float) -> float:
            return round(a / b, 4) if b else 0.0

        return {
            "docs": self.docs,
            "mention_precision": ratio(self.mention_tp, self.mention_tp + self.mention_fp),
            "mention_recall": ratio(self.mention_tp, self.mention_tp + self.mention_fn),
            "claim_precision": ratio(self.matched, self.system_claims),
            "claim_recall": ratio(self.matched, self.gold_claims),
            "speaker_accuracy": ratio(self.speaker_right, self.matched),
            "stance_accuracy": ratio(self.stance_right, self.matched),
            "about_jaccard": ratio(self.about_jaccard_sum, self.matched),
            "gold_claims": self.gold_claims,
            "system_claims": self.system_claims,
        }


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def score_document(
    scores: Scores, doc: GoldDoc, text: str, result: EnrichedArticle, watch_ids: set[str]
) -> None:
    scores.docs += 1
    system_counts = Counter(mention.entity_id for mention in result.mentions)
    for entity in set(system_counts) | set(doc.mentions):
        system, gold = system_counts.get(entity, 0), doc.mentions.get(entity, 0)
        scores.mention_tp += min(system, gold)
        scores.mention_fp += max(0, system - gold)
        scores.mention_fn += max(0, gold - system)

    collapsed = _Collapsed(text)
    gold_spans: list[tuple[int, int, GoldClaim]] = []
    for claim in doc.claims:
        needle = " ".join(claim.sentence.split())
        at = collapsed.text.find(needle)
        if at < 0:
            scores.missing_sentences.append(f"{doc.id}: {claim.sentence[:80]!r}")
        else:
            gold_spans.append((at, at + len(needle), claim))
    scores.gold_claims += len(doc.claims)
    system_spans = [(*collapsed.span(c.start, c.end), c) for c in result.claims]
    scores.system_claims += len(system_spans)

    pairs = []
    for gi, (gs, ge, _) in enumerate(gold_spans):
        for si, (ss, se, _) in enumerate(system_spans):
            overlap = min(ge, se) - max(gs, ss)
            if overlap > 0 and overlap >= 0.5 * min(ge - gs, se - ss):
                pairs.append((overlap, gi, si))
    used_gold: set[int] = set()
    used_system: set[int] = set()
    for _, gi, si in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if gi in used_gold or si in used_system:
            continue
        used_gold.add(gi)
        used_system.add(si)
        gold, system = gold_spans[gi][2], system_spans[si][2]
        scores.matched += 1
        if gold.speaker in watch_ids:
            scores.speaker_right += system.speaker_entity == gold.speaker
        else:
            scores.speaker_right += system.speaker_entity is None and bool((system.speaker or "").strip())
        scores.stance_right += system.stance is gold.stance
        scores.confusion[(gold.stance.value, system.stance.value)] += 1
        scores.about_jaccard_sum += _jaccard(set(gold.about), set(system.about))


System = Callable[[Sequence[Article]], list[EnrichedArticle]]


def evaluate(documents: list[tuple[GoldDoc, str]], watchlist: list[WatchedEntity], system: System) -> Scores:
    articles = [
        Article(id=f"gold-{doc.id}", url=f"gold:{doc.id}", item_id=doc.id, feed_url="gold:", outlet="gold",
                text=text, language=doc.lang)
        for doc, text in documents
    ]
    results = system(articles)
    watch_ids = {entity.id for entity in watchlist}
    scores = Scores()
    for (doc, text), result in zip(documents, results, strict=True):
        score_document(scores, doc, text, result, watch_ids)
    return scores


def crowded(watchlist: list[WatchedEntity], distractors: Iterable[WatchedEntity]) -> list[WatchedEntity]:
    """The watchlist with other entities added, as a user's watchlist of hundreds holds entities
    that a given article never names: each link to one of them counts as a false mention (none is
    in the gold), so mention precision on a crowded watchlist measures false links of short names,
    acronyms and descriptions to the wrong entity. It is a lower bound: a distractor the article
    really names (a country, a party) counts against it too. A distractor with a name or alias
    already watched is left out; one with an id already taken gets a suffix."""
    taken = {entity.id for entity in watchlist}
    names = {fold(name) for entity in watchlist for name in (entity.name, *entity.aliases)}
    result = list(watchlist)
    for entity in distractors:
        if names & {fold(name) for name in (entity.name, *entity.aliases)}:
            continue
        identifier = entity.id
        while identifier in taken:
            identifier += "-x"
        taken.add(identifier)
        names.update(fold(name) for name in (entity.name, *entity.aliases))
        result.append(entity.model_copy(update={"id": identifier}))
    return result


def json_line(scores: Scores) -> str:
    return json.dumps(scores.summary())


# --------------------------------------------------------------------------- off-the-shelf baseline


class Baseline:
    """What plain spaCy gives without newswatch's rules, on the same documents, for comparison:
    a mention is a NER entity whose text is a watched canonical name or alias (case-insensitive);
    a claim is each quotation, taken with the sentences it spans, attributed to the nearest PERSON
    entity outside it (a watched id when that PERSON is exactly a watched name), stated as an
    assertion about the watched entities named in it."""

    def __init__(self, models: dict[str, str], watchlist: list[WatchedEntity]) -> None:
        self.models = models
        self.names: dict[str, str] = {}
        for entity in watchlist:
            for name in (entity.name, *entity.aliases):
                self.names[name.casefold()] = entity.id

    def __call__(self, articles: Sequence[Article]) -> list[EnrichedArticle]:
        from pipeline import ids
        from pipeline.enrich.claims import find_quotes
        from pipeline.enrich.nlp import load_plain_model
        from pipeline.models import Claim, MatchMethod, Mention

        results = []
        for article in articles:
            model = load_plain_model(self.models.get(article.language or "en", self.models.get("en", "")))
            doc = model(article.text)
            mentions = [
                Mention(id=ids.mention_id(article.id, self.names[ent.text.casefold()], ent.start_char, ent.end_char),
                        article_id=article.id, entity_id=self.names[ent.text.casefold()], surface=ent.text,
                        start=ent.start_char, end=ent.end_char, method=MatchMethod.exact)
                for ent in doc.ents if ent.text.casefold() in self.names
            ]
            people = [ent for ent in doc.ents if ent.label_ in {"PER", "PERSON"}]
            claims = []
            for quote_start, quote_end in find_quotes(article.text):
                span = doc.char_span(quote_start, quote_end, alignment_mode="expand")
                if span is None:
                    continue
                start = min(token.sent.start_char for token in (span[0], span[-1]))
                end = max(token.sent.end_char for token in (span[0], span[-1]))
                outside = [ent for ent in people if ent.end_char <= quote_start or ent.start_char >= quote_end]
                speaker = min(outside, key=lambda ent: min(abs(ent.end_char - quote_start),
                                                           abs(ent.start_char - quote_end)), default=None)
                about = sorted({m.entity_id for m in mentions if start <= m.start and m.end <= end})
                claims.append(Claim(
                    id=ids.claim_id(article.id, start, end), article_id=article.id, start=start, end=end,
                    text=article.text[start:end], quote=article.text[quote_start + 1:quote_end - 1],
                    speaker=speaker.text if speaker is not None else None,
                    speaker_entity=self.names.get(speaker.text.casefold()) if speaker is not None else None,
                    cue="quotation", stance=Stance.assertion, about=about, fingerprint="baseline",
                ))
            results.append(EnrichedArticle(article=article, mentions=mentions, claims=claims))
        return results


# --------------------------------------------------------------------------- NER on public corpora

NER_TYPES = ("PER", "ORG", "LOC")
_TAG_MAP = {"PER": "PER", "PERSON": "PER", "PERS": "PER", "ORG": "ORG", "ORGANISATION": "ORG", "ORGANIZATION": "ORG",
            "LOC": "LOC", "LOCATION": "LOC", "GPE": "LOC"}


@dataclass
class NerDocument:
    """Tokens joined into a text, with gold spans as (start, end, type) over it."""

    language: str
    text: str
    spans: set[tuple[int, int, str]]


def _spans_from_tags(tokens: list[tuple[str, bool]], tags: list[str]) -> tuple[str, set[tuple[int, int, str]]]:
    """Text and typed spans from tokens (with their no-space-after flag) and IOB/IO tags."""
    parts: list[str] = []
    offsets = []
    position = 0
    for token, no_space in tokens:
        offsets.append((position, position + len(token)))
        parts.append(token + ("" if no_space else " "))
        position += len(token) + (0 if no_space else 1)
    spans: set[tuple[int, int, str]] = set()
    current: list[int] | None = None
    current_type = ""
    for index, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        mapped = _TAG_MAP.get(label.upper(), "") if label else ""
        continues = prefix == "I" and mapped == current_type and current is not None
        if current is not None and not continues:
            spans.add((offsets[current[0]][0], offsets[current[-1]][1], current_type))
            current = None
        if mapped and not continues:
            current, current_type = [index], mapped
        elif continues and current is not None:
            current.append(index)
    return "".join(parts), spans


def read_conll(path: Path, language: str, separator: str | None = None) -> list[NerDocument]:
    """CoNLL with one "token tag" per line (wikigold, re3d); -DOCSTART- separates documents."""
    documents = []
    tokens: list[tuple[str, bool]] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            text, spans = _spans_from_tags(tokens, tags)
            documents.append(NerDocument(language, text, spans))
        tokens.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        fields = line.split(separator) if separator else line.split()
        if fields[0] == "-DOCSTART-":
            flush()
            continue
        if len(fields) >= 2:
            tokens.append((fields[0], False))
            tags.append(fields[-1])
    flush()
    return documents


def read_hipe(path: Path, language: str = "fr") -> list[NerDocument]:
    """HIPE-2022 TSV: NE-COARSE-LIT column, documents opened by a document_id comment."""
    documents = []
    tokens: list[tuple[str, bool]] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), "# hipe2022:document_id = end"]:
        if line.startswith("# hipe2022:document_id"):
            if tokens:
                text, spans = _spans_from_tags(tokens, tags)
                documents.append(NerDocument(language, text, spans))
            tokens, tags = [], []
            continue
        if not line.strip() or line.startswith(("#", "TOKEN\t")):
            continue
        fields = line.split("\t")
        tokens.append((fields[0], "NoSpaceAfter" in fields[-1]))
        tags.append(fields[1])
    return documents


def ner_corpora(root: Path) -> dict[str, list[NerDocument]]:
    corpora: dict[str, list[NerDocument]] = {}
    wikigold = root / "en_wikigold" / "wikigold.sample.conll"
    if wikigold.exists():
        corpora["wikigold (en)"] = read_conll(wikigold, "en")
    re3d = sorted((root / "en_re3d_public").glob("*/*.conll"))
    if re3d:
        corpora["re3d (en)"] = [doc for path in re3d for doc in read_conll(path, "en", "\t")]
    hipe = sorted((root / "fr_hipe2022_newseye").glob("*.tsv"))
    if hipe:
        corpora["HIPE newseye (fr)"] = [doc for path in hipe for doc in read_hipe(path)]
    return corpora


_TITLES = {"mr", "mrs", "ms", "dr", "sir", "lord", "lady", "the"}


def project_entities(doc: Doc) -> set[tuple[int, int, str]]:
    """The project's reading of the model's entities: label families mapped, English honorifics
    and articles trimmed off person names ("Mr Lammy" is Lammy), possessive 's dropped, and
    lower-case "persons" (common nouns the model over-tags) left out."""
    spans = set()
    for ent in doc.ents:
        label = _TAG_MAP.get(ent.label_)
        if label is None:
            continue
        tokens = list(ent)
        while label == "PER" and len(tokens) > 1 and tokens[0].text.lower().rstrip(".") in _TITLES:
            tokens = tokens[1:]
        while len(tokens) > 1 and tokens[-1].text in {"'s", "’s", "'", "’"}:
            tokens = tokens[:-1]
        if label == "PER" and not any(token.text[:1].isupper() for token in tokens):
            continue
        spans.add((tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), label))
    return spans


def plain_entities(doc: Doc) -> set[tuple[int, int, str]]:
    return {(ent.start_char, ent.end_char, _TAG_MAP[ent.label_]) for ent in doc.ents if ent.label_ in _TAG_MAP}


@dataclass
class Prf:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[tuple[int, int, str]], system: set[tuple[int, int, str]]) -> None:
        self.tp += len(gold & system)
        self.fp += len(system - gold)
        self.fn += len(gold - system)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_ner(documents: list[NerDocument], nlp: Language,
              reader: Callable[[Doc], set[tuple[int, int, str]]]) -> dict[str, Prf]:
    """Exact span and type match, per type and over all types ("all")."""
    scores = {label: Prf() for label in (*NER_TYPES, "all")}
    for document, doc in zip(documents, nlp.pipe([d.text for d in documents], batch_size=8), strict=True):
        system = reader(doc)
        for label in NER_TYPES:
            scores[label].add({s for s in document.spans if s[2] == label}, {s for s in system if s[2] == label})
        scores["all"].add(document.spans, system)
    return scores


# --------------------------------------------------------------------------- quotation speakers (LitBank)


@dataclass
class GoldQuote:
    start: int
    end: int
    speaker: str
    """The speaker's name (English: the coreference label; French: the source mention)."""


_SPEAKER_STOP = {"mr", "mrs", "miss", "ms", "dr", "sir", "lady", "lord", "the", "le", "la", "l", "les", "de", "du", "m",
                 "mme", "mlle", "monsieur", "madame", "a", "an", "un", "une"}
_FRENCH_PRONOUNS = {"il", "elle", "ils", "elles", "je", "tu", "nous", "vous", "on", "lui"}


def read_litbank_en(directory: Path) -> list[tuple[str, list[GoldQuote]]]:
    """English LitBank: one tokenised sentence a line; QUOTE rows give sentence and token
    offsets, ATTRIB rows the speaker's coreference label (Mrs_Bennet-7)."""
    documents = []
    for ann in sorted(directory.glob("*.ann")):
        lines = ann.with_suffix(".txt").read_text(encoding="utf-8").split("\n")
        starts, offsets, position = [], [], 0
        for line in lines:
            starts.append(position)
            token_offsets, token_position = [], position
            for token in line.split(" "):
                token_offsets.append((token_position, token_position + len(token)))
                token_position += len(token) + 1
            offsets.append(token_offsets)
            position += len(line) + 1
        text = "\n".join(lines)
        quotes, speakers = {}, {}
        for row in ann.read_text(encoding="utf-8").splitlines():
            fields = row.split("\t")
            if fields[0] == "QUOTE" and len(fields) >= 6:
                s_sent, s_tok, e_sent, e_tok = (int(value) for value in fields[2:6])
                try:
                    quotes[fields[1]] = (offsets[s_sent][s_tok][0], offsets[e_sent][e_tok - 1][1])
                except IndexError:
                    continue
            elif fields[0] == "ATTRIB" and len(fields) >= 3:
                speakers[fields[1]] = re.sub(r"-\d+$", "", fields[2]).replace("_", " ")
        documents.append((text, [GoldQuote(*quotes[key], speakers[key]) for key in quotes if key in speakers]))
    return documents


def read_litbank_fr(directory: Path) -> list[tuple[str, list[GoldQuote]]]:
    """French LitBank (brat): Citation spans, Entite mentions and Source relations."""
    documents = []
    for ann in sorted(directory.glob("*.ann")):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        spans: dict[str, tuple[int, int, str]] = {}
        sources: dict[str, str] = {}
        for row in ann.read_text(encoding="utf-8").splitlines():
            fields = row.split("\t")
            if row.startswith("T") and len(fields) >= 3:
                kind, _, positions = fields[1].partition(" ")
                pieces = [tuple(int(x) for x in piece.split()) for piece in positions.split(";")]
                spans[fields[0]] = (pieces[0][0], pieces[-1][-1], kind)
            elif row.startswith("R") and len(fields) >= 2 and fields[1].startswith("Source"):
                arguments = dict(part.split(":", 1) for part in fields[1].split()[1:])
                sources[arguments["Arg2"]] = arguments["Arg1"]
        quotes = []
        for key, (start, end, kind) in spans.items():
            if kind == "Citation" and key in sources and sources[key] in spans:
                source_start, source_end, _ = spans[sources[key]]
                speaker = text[source_start:source_end]
                if fold(speaker) not in _FRENCH_PRONOUNS:
                    quotes.append(GoldQuote(start, end, speaker))
        documents.append((text, quotes))
    return documents


def _same_speaker(system: str | None, gold: str) -> bool:
    system_words = {w for w in re.findall(r"\w+", fold(system or "")) if w not in _SPEAKER_STOP}
    gold_words = {w for w in re.findall(r"\w+", fold(gold)) if w not in _SPEAKER_STOP}
    return bool(system_words & gold_words)


def quote_speakers(documents: list[tuple[str, list[GoldQuote]]], nlp: Language, language: str) -> tuple[int, int, int]:
    """(quotes, right for newswatch, right for the nearest-PERSON baseline)."""
    from pipeline.enrich.claims import ClaimExtractor
    from pipeline.enrich.lexicon import load_lexicon

    lexicon = load_lexicon(language)
    extractor = ClaimExtractor(lexicon, {}) if lexicon else None
    total = project = baseline = 0
    for (_, quotes), doc in zip(documents, nlp.pipe([text for text, _ in documents]), strict=True):
        drafts = extractor.extract(doc, []) if extractor else []
        people = [ent for ent in doc.ents if ent.label_ in {"PER", "PERSON"}]
        for quote in quotes:
            total += 1
            outside = [ent for ent in people if ent.end_char <= quote.start or ent.start_char >= quote.end]
            nearest = min(outside, default=None,
                          key=lambda ent: min(abs(ent.end_char - quote.start), abs(ent.start_char - quote.end)))
            nearest_text = nearest.text if nearest is not None else None
            baseline += _same_speaker(nearest_text, quote.speaker)
            overlapping = [d for d in drafts if d.start < quote.end and quote.start < d.end and d.speaker]
            if overlapping:
                best = max(overlapping, key=lambda d: min(d.end, quote.end) - max(d.start, quote.start))
                project += _same_speaker(best.speaker, quote.speaker)
            else:  # dialogue without a reporting verb: newswatch makes no claim of it
                project += _same_speaker(nearest_text, quote.speaker)
    return total, project, baseline


# --------------------------------------------------------------------------- extraction stage


@dataclass
class SnippetScore:
    pages: int = 0
    with_found: int = 0
    with_total: int = 0
    without_absent: int = 0
    without_total: int = 0


def _collapse(text: str) -> str:
    return " ".join(text.split())


def score_trafilatura(directory: Path) -> SnippetScore:
    """The extraction stage on trafilatura's evaluation pages: share of "with" snippets kept and
    of "without" (boilerplate) snippets left out of the main text."""
    from pipeline.config import ExtractSettings
    from pipeline.extract import decode_html, extract_text

    gold = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    score = SnippetScore()
    for key, page in gold.items():
        path = directory / f"{key}.html"
        if not path.exists():
            path = directory / Path(page.get("source_path", "")).name
        if not path.exists():
            continue
        try:
            document = extract_text(decode_html(path.read_bytes()), page.get("url"), ExtractSettings())
        except Exception:  # a crash on a hostile page counts as an empty text
            document = None
        text = _collapse(document.text or "") if document is not None else ""
        score.pages += 1
        score.with_total += len(page.get("with", []))
        score.with_found += sum(_collapse(s) in text for s in page.get("with", []))
        score.without_total += len(page.get("without", []))
        score.without_absent += sum(_collapse(s) not in text for s in page.get("without", []))
    return score


def score_fundus(directory: Path) -> tuple[int, Prf]:
    """The extraction stage on fundus's pages: paragraphs of the gold body found in the main
    text (recall) and lines of the main text found in the gold body (precision)."""
    from pipeline.config import ExtractSettings
    from pipeline.extract import decode_html, extract_text

    gold = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    score, pages = Prf(), 0
    for key, page in gold.items():
        path = directory / f"{key}.html"
        if not path.exists():
            continue
        body = page.get("body") or {}
        paragraphs = [*body.get("summary", [])]
        for section in body.get("sections", []):
            paragraphs += [*section.get("headline", []), *section.get("paragraphs", [])]
        paragraphs = [_collapse(p) for p in paragraphs if p.strip()]
        try:
            document = extract_text(decode_html(path.read_bytes()), page.get("url"), ExtractSettings())
        except Exception:  # a crash counts as an empty text
            document = None
        text = document.text or "" if document is not None else ""
        lines = [_collapse(line) for line in text.split("\n") if line.strip()]
        collapsed_text, collapsed_body = " ".join(lines), " ".join(paragraphs)
        pages += 1
        found = sum(p in collapsed_text for p in paragraphs)
        kept = sum(line in collapsed_body for line in lines)
        score.tp += found
        score.fn += len(paragraphs) - found
        score.fp += len(lines) - kept
    return pages, score
