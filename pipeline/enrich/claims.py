"""Attributed statements: who said, denied, admitted, alleged or declined to comment on what.

A first, rule-based version over the spaCy parse and the language's lexicon
(:mod:`pipeline.enrich.lexicon`):

1. The text is cut into units: sentences, joined where a quotation runs across sentence breaks or
   a sentence continues after a closing quotation mark ("… » a réagi un porte-parole").
2. A unit is a claim when it carries a cue: a stance phrase ("a qualifié ces accusations",
   "declined to comment"), a reporting verb with a subject, a source marker ("selon X",
   "according to X"), hearsay adverbs, or (French) a main verb in the conditional mood.
3. The stance comes from the strongest cue (no_comment > denial > admission > accusation >
   allegation > assertion); a reporting verb in the conditional, or any source marker, turns an
   assertion into an allegation.
4. The speaker is the subject of the reporting verb outside the quotation, else the object of the
   source marker; a pronoun takes the previous claim's speaker. It is linked to a watched entity
   when a mention lies inside the speaker phrase (a person before an organisation:
   "le porte-parole du Kremlin, Dmitri Peskov" is Peskov).
5. The claim is about the watched entities mentioned in the unit outside the speaker phrase; a
   denial or admission with none is about the speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from pipeline import ids
from pipeline.enrich.entities import Link
from pipeline.enrich.lexicon import Lexicon
from pipeline.enrich.textnorm import Folded, fold, words
from pipeline.models import EntityType, Stance

_QUOTES = (
    re.compile(r"«\s*(.+?)\s*»", re.DOTALL),
    re.compile(r"“(.+?)”", re.DOTALL),
    re.compile(r"„(.+?)[“”]", re.DOTALL),
    re.compile(r'"([^"]{2,1500}?)"'),
)
_PRIORITY = [Stance.no_comment, Stance.denial, Stance.admission, Stance.accusation, Stance.allegation,
             Stance.assertion]
_SUBJECT_DEPS = {"nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl:subj"}
_AGENT_DEPS = {"obl:agent", "agent"}
_PHRASE_SKIP_DEPS = {"acl", "acl:relcl", "relcl", "punct", "cc", "conj", "advcl", "parataxis", "dep", "ccomp",
                     "xcomp", "advmod", "cop", "aux", "aux:pass", "aux:tense"}
_COMPLEMENT_DEPS = {"ccomp", "parataxis", "obj", "dobj"}
_MAX_QUOTE = 1500
_INDEFINITES = {"a", "an", "un", "une", "des", "some", "several", "plusieurs"}
_NEUTER = {"it", "its"}
_POSSESSIVE_WORDS = {"ses", "son", "sa", "leur", "leurs", "his", "her", "their"}


@dataclass
class ClaimDraft:
    start: int
    end: int
    text: str
    cue: str
    stance: Stance
    quote: str | None = None
    speaker: str | None = None
    speaker_entity: str | None = None
    about: list[str] = field(default_factory=list)


@dataclass
class _Speaker:
    text: str
    start: int
    end: int
    pronoun: bool = False
    head: int | None = None
    """Token index of the phrase's head, when the speaker comes from the parse."""


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations, outer marks included, without overlaps."""
    spans: list[tuple[int, int]] = []
    for pattern in _QUOTES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if end - start > _MAX_QUOTE or any(s < end and start < e for s, e in spans):
                continue
            spans.append((start, end))
    return sorted(spans)


def units(doc: Doc, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    text = doc.text
    merged: list[tuple[int, int]] = []
    pieces = []
    for sentence in doc.sents:
        # A sentence never crosses a line break: headlines and paragraphs end there.
        offset = sentence.start_char
        for line in text[sentence.start_char:sentence.end_char].split("\n"):
            pieces.append((offset, offset + len(line)))
            offset += len(line) + 1
    for piece_start, piece_end in pieces:
        start, end = piece_start, piece_end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        if merged:
            previous_start, previous_end = merged[-1]
            same_paragraph = "\n" not in text[previous_end:start]
            inside_quote = any(qs < start < qe for qs, qe in quotes)
            head = text[start:end].lstrip("»”\"' ,;:)")
            continuation = bool(head) and head[0].islower()
            if same_paragraph and (inside_quote or continuation):
                merged[-1] = (previous_start, end)
                continue
        merged.append((start, end))
    return merged


def _phrase(token: Token) -> tuple[int, int]:
    """Character span of a noun phrase: the token and its modifiers, without clauses."""
    keep = [token]
    stack = [token]
    while stack:
        current = stack.pop()
        for child in current.children:
            # "le porte-parole du Kremlin, Dmitri Peskov": small models parse the apposition as a
            # conjunct; a conjunct without a coordinating word is an apposition.
            apposition = child.dep_ == "conj" and not any(c.dep_ == "cc" for c in child.children)
            if child.dep_ in _PHRASE_SKIP_DEPS and not apposition:
                continue
            keep.append(child)
            stack.append(child)
    start = min(t.idx for t in keep)
    end = max(t.idx + len(t.text) for t in keep)
    return start, end


class ClaimExtractor:
    def __init__(self, lexicon: Lexicon, entity_types: dict[str, EntityType]) -> None:
        self.lexicon = lexicon
        self.entity_types = entity_types

    # -- cues ------------------------------------------------------------------------------
    def _has_complement(self, verb: Token, quote: tuple[int, int] | None) -> bool:
        if quote is not None:
            return True
        return any(
            child.dep_ == "ccomp" or (child.dep_ in _COMPLEMENT_DEPS and child.pos_ in {"VERB", "AUX", "SCONJ"})
            for child in verb.children
        )

    def _conditional(self, token: Token) -> bool:
        if not self.lexicon.conditional_mood:
            return False
        family = [token, *[c for c in token.children if c.dep_.startswith("aux")]]
        return any("Cnd" in t.morph.get("Mood") for t in family)

    def _subject(self, verb: Token) -> Token | None:
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if verb.lemma_ and fold(verb.lemma_) in {"accuser", "accuse"} and any(
            c.dep_ in {"nsubj:pass", "nsubjpass"} or c.dep_.startswith("aux:pass") or c.dep_ == "auxpass"
            for c in verb.children
        ):
            agents = [c for c in verb.children if c.dep_ in _AGENT_DEPS]
            if agents:
                return agents[0] if agents[0].dep_ != "agent" else next(iter(agents[0].children), agents[0])
            return None
        if subjects:
            return subjects[0]
        # Coordinated verbs share the subject: "X a démenti et a ajouté …".
        if verb.dep_ == "conj" and verb.head is not verb:
            return self._subject(verb.head)
        return None

    def _attribution(self, unit_text: str, start: int, doc: Doc) -> tuple[_Speaker, str] | None:
        folded = fold(unit_text)
        for opener in self.lexicon.openers:
            match = opener.match(folded)
            if match is None:
                continue
            source = unit_text[match.start("source"):match.end("source")]
            source_words = [fold(w) for w, _, _ in words(source)]
            if not any(w[:1].isupper() for w, _, _ in words(source)) and not any(
                    w in self.lexicon.speaker_nouns or w in self.lexicon.pronouns or w in self.lexicon.roles
                    for w in source_words):
                continue  # "Pour ce tête-à-tête", "For the time being": not a source
            pronoun = len(source_words) == 1 and source_words[0] in self.lexicon.pronouns
            span_start, span_end = start + match.start("source"), start + match.end("source")
            return _Speaker(source, span_start, span_end, pronoun), unit_text[:match.start("source")].strip()
        for marker in self.lexicon.attribution:
            match = re.search(rf"(?<!\w){re.escape(marker)}(?!\w)", folded)
            if not match:
                continue
            possessive = next((m for m in re.finditer(r"\w+", marker) if m.group() in _POSSESSIVE_WORDS), None)
            if possessive is not None:
                # "à ses yeux": the source is the possessor, a pronoun to resolve.
                at = start + match.start() + possessive.start()
                cue = doc.text[start + match.start():start + match.end()]
                return _Speaker(possessive.group(), at, at + len(possessive.group()), True), cue
            tail = words(unit_text[match.end():])
            phrase = []
            for word, word_start, word_end in tail[:8]:
                between = unit_text[match.end() + (phrase[-1][2] if phrase else 0):match.end() + word_start]
                if phrase and any(p in between for p in ",.;:!?«»“”()"):
                    break
                phrase.append((word, word_start, word_end))
            if not phrase:
                continue
            span_start = start + match.end() + phrase[0][1]
            span_end = start + match.end() + phrase[-1][2]
            text = doc.text[span_start:span_end]
            pronoun = fold(phrase[0][0]) in self.lexicon.pronouns and len(phrase) == 1
            return _Speaker(text, span_start, span_end, pronoun), doc.text[start + match.start():start + match.end()]
        return None

    def _reporting(self, token: Token) -> tuple[Stance, bool] | None:
        """Stance of a reporting verb. Small models tag some participles as adjectives
        ("a réagi") and lemmatise them to themselves, so participle forms are tried too."""
        inverted = token.i + 1 < len(token.doc) and token.nbor(1).text.startswith("-")
        if token.pos_ == "VERB" or inverted:
            # "souligne-t-elle": small models mistag a verb before an inverted pronoun.
            found = self.lexicon.verb_stance(token.lemma_)
            if found is not None:
                return found
        elif not (token.pos_ == "ADJ" and token.i > 0 and token.nbor(-1).pos_ == "AUX"):
            return None
        form = fold(token.text)
        for candidate in (form + "r", form[:-1] + "er" if form.endswith("e") else "", form + "re"):
            if candidate and (found := self.lexicon.verb_stance(candidate)) is not None:
                return found
        return None

    def _inverted_subject(self, verb: Token, quotes: list[tuple[int, int]]) -> Token | None:
        """After a quotation or a comma, the speaker follows the verb: "», a affirmé M. Peskov",
        "souligne-t-elle", "says Slemp". Small models parse it as an object or not at all."""
        before = verb.i - 1  # the parse may start a new sentence at the verb: look across it
        while before >= 0 and verb.doc[before].pos_ == "AUX":
            before -= 1
        if before < 0 or verb.doc[before].text not in {",", "»", "”", '"', "’", ")", "—"}:
            return None
        for index in range(verb.i + 1, min(verb.i + 6, verb.sent.end)):
            token = verb.doc[index]
            if any(qs <= token.idx < qe for qs, qe in quotes) or token.text in {",", ".", ";", ":", "«", "“"}:
                return None
            if token.text in {"-t", "-t-"}:
                continue
            if token.text.startswith("-") and fold(token.text.lstrip("-")) in self.lexicon.pronouns:
                return token
            if token.pos_ in {"NOUN", "PROPN", "PRON"}:
                head = token
                while head.dep_ in {"flat:name", "flat", "compound"} and head.head is not head:
                    head = head.head
                return head
        return None

    def _left_noun(self, verb: Token, quotes: list[tuple[int, int]]) -> Token | None:
        """When the parse gives a reporting verb no subject, the nearest noun before it in the
        same clause is the best guess ("… »Elon Musk s'en est vanté")."""
        for offset in range(1, 7):
            if verb.i - offset < verb.sent.start:
                return None
            token = verb.doc[verb.i - offset]
            if any(qs <= token.idx < qe for qs, qe in quotes) or token.text in {",", ";", ":", "."}:
                return None
            if token.pos_ in {"PROPN", "NOUN"}:
                head = token
                while head.dep_ in {"flat:name", "flat", "compound"} and head.head is not head:
                    head = head.head
                return head
        return None

    # -- extraction ------------------------------------------------------------------------
    def extract(self, doc: Doc, links: list[Link]) -> list[ClaimDraft]:
        quotes = find_quotes(doc.text)
        drafts: list[ClaimDraft] = []
        for start, end in units(doc, quotes):
            draft = self._claim(doc, start, end, quotes, links, drafts)
            if draft is not None:
                drafts.append(draft)
        return drafts

    def _claim(
        self, doc: Doc, start: int, end: int, quotes: list[tuple[int, int]], links: list[Link],
        previous: list[ClaimDraft],
    ) -> ClaimDraft | None:
        text = doc.text[start:end]
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        tokens = list(span)
        unit_quotes = [(qs, qe) for qs, qe in quotes if qs < end and start < qe]
        quote = max(unit_quotes, key=lambda q: q[1] - q[0]) if unit_quotes else None

        def outside_quotes(token: Token) -> bool:
            return not any(qs <= token.idx < qe for qs, qe in unit_quotes)

        folded = Folded.of(text)
        stance: Stance | None = None
        cue = ""
        cue_at: int | None = None
        for phrase_stance, pattern in self.lexicon.phrases:
            match = pattern.search(folded.text)
            if match:
                stance = phrase_stance
                cue_start, cue_end = folded.source_span(*match.span())
                cue, cue_at = text[cue_start:cue_end], start + cue_start
                break

        verbs = []
        for token in tokens:
            found = self._reporting(token)
            if found is None:
                continue
            verb_stance, strong = found
            if not strong and not self._has_complement(token, quote) and not _incise(token):
                continue
            verbs.append((token, verb_stance))
        verbs.sort(key=lambda item: (not outside_quotes(item[0]), item[0].dep_ != "ROOT"))

        speaker: _Speaker | None = None
        for verb, verb_stance in verbs:
            subject = self._subject(verb)
            if (subject is None or not outside_quotes(subject)) and outside_quotes(verb):
                subject = self._inverted_subject(verb, unit_quotes) or subject
            if subject is None and outside_quotes(verb):
                subject = self._left_noun(verb, unit_quotes)
            if subject is None or (not outside_quotes(subject) and quote is not None and outside_quotes(verb)):
                continue
            phrase_start, phrase_end = _phrase(subject)
            speaker = _Speaker(doc.text[phrase_start:phrase_end], phrase_start, phrase_end,
                               subject.pos_ == "PRON" or fold(subject.text.lstrip("-")) in self.lexicon.pronouns,
                               subject.i)
            if stance is None:
                stance, cue = verb_stance, verb.text
                if verb_stance is Stance.assertion and self._conditional(verb):
                    stance = Stance.allegation
            break

        attribution = self._attribution(text, start, doc)
        hearsay = next((p for p in self.lexicon.hearsay if p.search(folded.text)), None)
        conditional = [t for t in tokens if t.pos_ in {"VERB", "AUX"} and outside_quotes(t)
                       and "Cnd" in t.morph.get("Mood") and self.lexicon.conditional_mood]
        if attribution is not None:
            if speaker is None:
                speaker = attribution[0]
            negated = any(fold(t.text) in self.lexicon.negations for t in tokens)
            if stance is None and negated and conditional:
                stance, cue = Stance.denial, attribution[1]
            elif stance in (None, Stance.assertion):
                stance, cue = Stance.allegation, attribution[1]
        if stance in (None, Stance.assertion) and (hearsay is not None or (stance is None and conditional)):
            stance = Stance.allegation
            cue = cue or (hearsay.pattern if hearsay is not None else conditional[0].text)
        if stance is None:
            return None
        if stance is Stance.assertion and hearsay is None and not conditional:
            charge = next((p for p in self.lexicon.charges if p.search(folded.text)), None)
            if charge is not None:
                stance = Stance.accusation
        if speaker is None and cue_at is not None:
            speaker = self._clause_subject(doc, cue_at, unit_quotes)
        if speaker is None and stance is not Stance.allegation:
            return None

        speaker_entity = None
        if speaker is not None:
            if speaker.pronoun and fold(speaker.text) in _NEUTER:
                speaker_entity = self._neuter_antecedent(previous, links, start)
            elif speaker.pronoun:
                speaker_entity, antecedent = self._antecedent(doc, previous, links, start)
                if antecedent:
                    speaker = _Speaker(antecedent, speaker.start, speaker.end, True, speaker.head)
            else:
                speaker_entity = self._speaker_entity(doc, links, speaker)
        elif previous and previous[-1].stance in {Stance.accusation, Stance.allegation} \
                and start - previous[-1].end < 600:
            # An unsourced conditional right after a sourced report continues that report.
            speaker_entity = previous[-1].speaker_entity
            speaker = _Speaker(previous[-1].speaker or "", -1, -1) if previous[-1].speaker else None

        about = sorted({
            link.entity_id for link in links
            if start <= link.start and link.end <= end
            and not (speaker is not None and speaker.start <= link.start and link.end <= speaker.end)
            and link.entity_id != speaker_entity
        })
        if not about and speaker_entity and stance in {Stance.denial, Stance.admission}:
            about = [speaker_entity]
        return ClaimDraft(
            start=start, end=end, text=text, cue=cue, stance=stance,
            quote=doc.text[quote[0] + 1:quote[1] - 1].strip() if quote else None,
            speaker=speaker.text if speaker else None, speaker_entity=speaker_entity, about=about,
        )

    def _clause_subject(self, doc: Doc, at: int, quotes: list[tuple[int, int]]) -> _Speaker | None:
        if any(qs <= at < qe for qs, qe in quotes):
            return None
        token = next((t for t in doc if t.idx >= at), None)
        seen = 0
        while token is not None and seen < 12:
            subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS), None)
            if subject is not None:
                phrase_start, phrase_end = _phrase(subject)
                return _Speaker(doc.text[phrase_start:phrase_end], phrase_start, phrase_end,
                                subject.pos_ == "PRON" or fold(subject.text) in self.lexicon.pronouns, subject.i)
            if token.head is token:
                return None
            token, seen = token.head, seen + 1
        return None

    def _speaker_entity(self, doc: Doc, links: list[Link], speaker: _Speaker) -> str | None:
        """The watched entity that speaks: the one named by the head of the speaker phrase or by
        its apposition ("le porte-parole du Kremlin, Dmitri Peskov" is Peskov), or the
        organisation a representative speaks for ("un porte-parole du Pentagone", "TNO's
        report"). A named person who is not watched speaks for themselves, even for a watched
        organisation ("Reuters Editor-in-Chief Alessandra Galloni"), and so does anyone else
        the head names ("Sandra Lindsay's sister")."""
        inside = [link for link in links if speaker.start <= link.start and link.end <= speaker.end]
        if not inside:
            return None
        if speaker.head is None:
            # "selon X", "according to X": the first words decide.
            words_ = words(doc.text[speaker.start:speaker.end])
            content = [w for w, _, _ in words_ if fold(w) not in self.lexicon.determiners
                       and fold(w) not in _INDEFINITES]
            first_link = min(inside, key=lambda link: link.start)
            if content and fold(content[0]) in self.lexicon.representatives:
                return first_link.entity_id
            if content and first_link.start <= speaker.start + doc.text[speaker.start:speaker.end].find(content[0]):
                return first_link.entity_id
            return None
        head = doc[speaker.head]

        def covering(token: Token) -> str | None:
            found = [link for link in inside if link.start <= token.idx < link.end]
            found.sort(key=lambda link: self.entity_types.get(link.entity_id) is not EntityType.person)
            return found[0].entity_id if found else None

        if (entity := covering(head)) is not None:
            return entity
        if head.pos_ == "PROPN":
            # A name: the watched one only if the whole name is it ("Sir Keir Starmer").
            parts = [child for child in head.children if child.dep_ in {"flat", "flat:name"}]
            return next((entity for part in parts if (entity := covering(part)) is not None), None)
        appositions = [
            child for child in head.children
            if child.dep_ == "appos"
            or (child.dep_ == "conj" and not any(c.dep_ == "cc" for c in child.children))
            or (child.pos_ == "PROPN" and child.i > head.i and not any(c.dep_ == "case" for c in child.children))
        ]
        for token in appositions:
            if (entity := covering(token)) is not None:
                return entity
        if fold(head.lemma_) in self.lexicon.representatives or fold(head.text) in self.lexicon.representatives:
            organisations = [link for link in inside if self.entity_types.get(link.entity_id) is not EntityType.person]
            return (organisations or inside)[0].entity_id
        return None

    def _neuter_antecedent(self, previous: list[ClaimDraft], links: list[Link], start: int) -> str | None:
        """"It said": the previous speaker when it was an organisation, else the last
        organisation named in the paragraph; never a person."""
        if previous and start - previous[-1].end < 600 and previous[-1].speaker_entity \
                and self.entity_types.get(previous[-1].speaker_entity) is not EntityType.person:
            return previous[-1].speaker_entity
        things = [link for link in links if link.end <= start and start - link.end < 400
                  and self.entity_types.get(link.entity_id) is EntityType.organization]
        return things[-1].entity_id if things else None

    def _antecedent(
        self, doc: Doc, previous: list[ClaimDraft], links: list[Link], start: int
    ) -> tuple[str | None, str | None]:
        """A pronoun speaker (entity, name): the last person named since the previous claim, else
        the previous claim's speaker, else the last person named. Names that are not watched
        count too (NER), so "he said" after "Abu Anas Al Saud told …" is not a watched person."""
        people: list[tuple[int, str | None, str]] = [
            (link.start, link.entity_id, link.surface) for link in links
            if link.end <= start and self.entity_types.get(link.entity_id) is EntityType.person
        ]
        people += [(ent.start_char, None, ent.text) for ent in doc.ents
                   if ent.label_ in {"PER", "PERSON"} and ent.end_char <= start
                   and not any(link.start < ent.end_char and ent.start_char < link.end for link in links)]
        people.sort()
        last = previous[-1] if previous and start - previous[-1].end < 600 else None
        # Centering: the subject of a recent sentence is the likeliest antecedent.
        since = [person for person in people if (last is None or person[0] >= last.end) and _is_subject(doc, person[0])]
        if since and (last is None or start - since[-1][0] < 400):
            return since[-1][1], since[-1][2]
        if last is not None and (last.speaker_entity or last.speaker):
            return last.speaker_entity, last.speaker
        if people:
            return people[-1][1], people[-1][2]
        return None, None


def _incise(verb: Token) -> bool:
    """A reporting verb after the reported words, as an aside: "…, souligne-t-elle", "…, a-t-il
    ajouté". What it reports is what came before it."""
    if verb.i + 1 < len(verb.doc) and verb.nbor(1).text.startswith("-"):
        return True
    before = verb.i - 1
    while before >= 0 and verb.doc[before].pos_ == "AUX":
        before -= 1
    return before >= 0 and verb.doc[before].text in {",", "»", "”", '"'}


def _is_subject(doc: Doc, at: int) -> bool:
    span = doc.char_span(at, at + 1, alignment_mode="expand")
    if span is None or not len(span):
        return False
    token = span[0]
    while token.dep_ in {"flat", "flat:name", "compound", "fixed"} and token.head is not token:
        token = token.head
    return token.dep_ in _SUBJECT_DEPS


def fingerprint(draft: ClaimDraft, links: list[Link]) -> str:
    """The same claim across outlets and reruns: normalised speaker, stance, about-set and the
    content words of the quotation (or of the sentence), without the names, which outlets spell
    differently."""
    speaker = draft.speaker_entity or " ".join(w for w, _, _ in words(fold(draft.speaker or "")))
    content_source = draft.quote if draft.quote and len(draft.quote) >= 20 else draft.text
    names = {w for link in links if draft.start <= link.start < draft.end for w, _, _ in words(fold(link.surface))}
    content = [w for w, _, _ in words(fold(content_source)) if len(w) > 3 and w not in names][:40]
    return ids.stable_id("fingerprint", speaker, draft.stance.value, ",".join(draft.about), " ".join(content))
