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
5. The claim is about the watched entities mentioned in the unit outside the speaker phrase and
   outside the question put to the speaker; a denial, admission or refusal to comment is also
   about the speaker.

Beyond one claim per sentence (each rule generalises; none names an entity):

- a sentence with two attributions is split into clause-level claims (``_split``);
- an interview answer (a quotation paragraph after the interviewer's question) and a headline
  "Name: words" are claims by the speaker in context (``_stand_alone``, ``_name_colon``);
- agentless hearsay ("is said to", "est soupçonné de") is by unnamed sources;
- pronouns take up the subject of a recent sentence or a recent speaker that agrees in number
  and gender; French il/elle may take up an organisation;
- an indefinite role speaking in the lede ("…, advisor says") is the watched person the article
  introduces with a role afterwards (``_lede_cataphora``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from pipeline import ids
from pipeline.enrich.coref import of_kind, other_kind, person_genders, person_title, titled_gender
from pipeline.enrich.entities import Link
from pipeline.enrich.lexicon import Lexicon, marker_pattern
from pipeline.enrich.names import name_gender
from pipeline.enrich.textnorm import Folded, fold, words
from pipeline.models import EntityType, Stance, WatchedEntity

_QUOTES = (
    # A quotation never runs across a line break: a quote that goes on in the next paragraph is
    # reopened there, and a stray mark ("intenable”) must not pair with the next paragraph's.
    re.compile(r"«\s*([^«»\n]+?)\s*»"),
    re.compile(r"“([^“”\n]+?)”"),
    re.compile(r"„([^„“”\n]+?)[“”]"),
    # British single quotes: ‘ opens; ’ closes only before a non-letter ("I’m" is an apostrophe).
    re.compile(r"(?<!\w)‘([^‘\n]+?)’(?!\w)"),
    re.compile(r'"([^"“”\n]{2,1500}?)["”]'),
)
_SENTENCE_FINAL = re.compile(r"[.!?…:;][\s»”\"’')\]]*$")
"""The end of a sentence, closing marks after it allowed."""
_PRIORITY = [Stance.no_comment, Stance.denial, Stance.admission, Stance.accusation, Stance.allegation,
             Stance.assertion]
_IMPERSONAL = {"falloir", "agir", "convenir", "rester"}
"""Verbs of impersonal constructions ("il faut noter", "il reste à dire")."""
_MODALS = {"devoir", "falloir"}
"""Verbs whose conditional is the writer's "should", "could" or "would have to", not hearsay."""
_DOCUMENT_WINDOW = 2000
"""Characters before a claim in which the owner of an unattributed document is looked for."""
_SPOKESPERSON_SENTENCES = 3
"""How many sentences back a spokesperson of no one named may look for whom it speaks for."""
_DELIVERED_SENTENCES = 3
"""How many sentences back "the statement" may have been issued by whoever issued it."""
_SPOKEN_FOR_LABELS = {"PERSON", "PER", "ORG", "GPE", "NORP"}
"""Named entities that have spokespeople of their own (a government's for a country)."""
_JUST_NAMED = 300
"""Characters back to the last person named, for a speaking description no lexicon lists."""
_AFTERTHOUGHT_DEPS = {"advcl", "prep", "npadvmod", "advmod", "obl", "obl:mod"}
"""Dependents of a verb that closes its sentence without being its content: when, where, though."""
_ASKING = {"ask"}
"""Verbs that report a request or a question: only the request is a claim."""
_SPEECH_OBJECT_VERBS = {"make", "file", "read", "write", "publish", "receive", "hear", "see", "get", "submit",
                        "bring", "lodge", "issue", "release", "send", "deny", "reject", "investigate"}
"""Verbs whose object is a speech noun: "the complaints that she filed" is a relative clause."""
_QUESTION_WORDS = {"whether", "if", "how", "why", "who", "what", "when", "where", "which", "not", "question",
                   "questions", "si", "pourquoi", "comment", "quand", "qui", "quoi", "ne", "pas"}
"""Words after a verb of asking that make it a question or a wish, not a request."""
_SUBJECT_DEPS = {"nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl:subj"}
_AGENT_DEPS = {"obl:agent", "agent"}
_PHRASE_SKIP_DEPS = {"acl", "acl:relcl", "relcl", "punct", "cc", "conj", "advcl", "parataxis", "dep", "ccomp",
                     "xcomp", "advmod", "cop", "aux", "aux:pass", "aux:tense"}
_COMPLEMENT_DEPS = {"ccomp", "parataxis", "obj", "dobj"}
_MAX_QUOTE = 1500
_INDEFINITES = {"a", "an", "un", "une", "des", "some", "several", "plusieurs"}
_NEUTER = {"it", "its"}
_DEFINITE_ARTICLES = {"the", "this", "le", "la", "l", "ce", "cet", "cette"}
_CLOSING_QUOTES = {"»", "”", "\"", "’"}
_OPENING_QUOTES = {"«", "“", "\"", "‘"}
_THAT = {"that", "que", "qu'", "qu’"}
"""Words that open a content clause: "stress that…", "révèle que…"."""
_ADJUNCT_REACH = 10
"""Words of prepositional phrases between a verb of saying and its "que" clause."""
_QUOTED = {"quote", "cite", "citer"}
"""Passive verbs whose agent is a channel: "X was quoted by Reuters as saying", "cité par l'AFP"."""
_FORMS_KEPT = 200_000
"""Word forms whose reading as a reporting verb is kept, at most (a few MB)."""
_STATED_BY = {"of", "for", "to", "de", "d'", "d’", "du", "des", "que", "qu'", "qu’", "that"}
"""Words that open what a stated object holds ("the need *for*…", "la nécessité *d'*une réforme")."""
_CONTENT_MARKERS = {"that", "whether", "if", "que", "qu", "qu'", "qu’", "si", "s'", "s’", "to", "de", "d'", "d’"}
_RELATIVE_DEPS = {"acl:relcl", "relcl"}
_CLAUSE_DEPS = {"advcl", "conj", "acl:relcl", "relcl", "parataxis"}
"""Clauses that can carry an attribution of their own beside the main one."""
_CIRCUMSTANCE_DEPS = {"npadvmod", "obl:tmod", "nmod:tmod", "obl:mod", "tmod"}
_OWN_CONDUCT = {Stance.denial, Stance.admission, Stance.no_comment}
"""Stances whose claim is also about the speaker: it defends, concedes or will not discuss."""
_SUBORDINATE_ROLES = {"spokesperson", "lawyer"}
"""Roles that speak for someone else; never the person named later."""
_CONTEXT_WINDOW = 2500
"""Characters back within which a speaker in context can be taken up."""
_UNNAMED = "sources"
"""The speaker of agentless hearsay: unnamed sources."""
_INTERVIEWEE = "interviewee"
"""The speaker of an interview answer when the interviewee is not named."""
_SIGNATURE = re.compile(r"^[—–-]\s*(?P<name>[^()\n]{2,60}?)\s*\(@\w{1,30}\)[^\n]{0,40}$", re.MULTILINE)
"""The signature line of an embedded post: "— Seth Goldstein (@Rabbi_360) January 7, 2020"."""
_POSSESSIVE_WORDS = {"ses", "son", "sa", "leur", "leurs", "his", "her", "their"}
_GROUP_POSSESSIVES = {"their", "leur", "leurs"}
"""Possessives of groups and organisations: the author of "their report" is not looked for
among the people pronoun resolution knows."""
_NEUTER_POSSESSIVES = {"its", "their"}
"""English possessives of an organisation ("its spokesperson"); "his", "her" are a person's."""


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
    speaker_head: int | None = None
    """Token index of the speaker phrase's head (or of the pronoun that stands for it), for
    agreement checks when a later pronoun takes this speaker up."""


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
            # "…, warns Pan American Health Organization (PAHO) | Director Carissa F. Etienne as…":
            # the parse ended a sentence where no sentence ends.
            unfinished = not _SENTENCE_FINAL.search(text[previous_start:previous_end])
            # "…released the following statement today:" then the quotation, as a paragraph or on
            # the same line: the attribution and the quotation's first sentence are one claim.
            introduced = text[previous_end - 1] == ":" and text[previous_end:start].count("\n") <= 1 \
                and text[start] in _OPENING_QUOTES
            if (same_paragraph and (inside_quote or continuation or unfinished)) or introduced:
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
            if current.i == token.i and child.dep_ == "case" and child.pos_ == "ADP":
                continue  # "par Donald Trump": an agent's preposition is not part of the name
            if _time_word(child):
                continue  # "a déclaré Elon Musk lundi (soir)", "Jeudi soir, le président…": when, not who
            keep.append(child)
            stack.append(child)
    keep.sort(key=lambda kept: kept.i)
    while len(keep) > 1 and keep[0].is_punct and keep[0].i != token.i:
        keep.pop(0)  # the comma after a time left out
    return keep[0].idx, max(t.idx + len(t.text) for t in keep)


class ClaimExtractor:
    def __init__(self, lexicon: Lexicon, entities: Mapping[str, WatchedEntity]) -> None:
        self.lexicon = lexicon
        self.entities = entities
        self.entity_types = {entity_id: entity.type for entity_id, entity in entities.items()}
        self._reporting_seen: dict[int, tuple[Stance, bool] | None] = {}
        """Token index -> its reading as a reporting verb, for the current document."""
        self._people: list[tuple[int, int, str]] = []
        """(start, end, text) of the current document's person names (set by ``extract``)."""
        self._forms_seen: dict[str, tuple[Stance, bool] | None] = {}
        """Word form -> its reading as a reporting verb (``_form_stance``), across documents."""
        self._text = ""
        """The current document's text (set by ``extract``)."""
        self._genders: Mapping[str, set[str]] = {}
        """Watched person -> the genders the current document shows (``coref.person_genders``)."""
        self._quotes: list[tuple[int, int]] = []
        """The current document's quotations (set by ``extract``)."""

    # -- cues ------------------------------------------------------------------------------
    def _has_complement(self, verb: Token, quote: tuple[int, int] | None) -> bool:
        if quote is not None:
            return True
        after = next((token for token in verb.doc[verb.i + 1:verb.i + 6] if token.pos_ != "ADV"
                      and not _time_word(token) and token.ent_type_ not in {"DATE", "TIME"}), None)
        if after is not None and after.text == ":" and len(verb.doc) - after.i > 4:
            return True  # "Emmanuel Macron l'a répété lundi : la réforme…": what follows the colon
        if verb.i + 1 < len(verb.doc) and fold(verb.nbor(1).text) in _THAT \
                and not (verb.i > 0 and fold(verb.nbor(-1).text) in {"ne", "n'", "n’"}):
            # "stress that…" even when the parse hangs the clause elsewhere; not "ne relève que de".
            return True
        if _that_after_adjuncts(verb):
            return True
        return any(
            child.dep_ == "ccomp" or (child.dep_ in _COMPLEMENT_DEPS and child.pos_ in {"VERB", "AUX", "SCONJ"})
            or (child.dep_ in {"dobj", "obj"} and fold(child.lemma_) in self.lexicon.stated_objects
                and child.i + 1 < len(verb.doc) and fold(verb.doc[child.i + 1].text) in _STATED_BY)
            or (child.dep_ == "prep" and (fold(verb.lemma_), fold(child.text)) in self.lexicon.stated_with
                and any(grandchild.dep_ in {"pobj", "pcomp"} for grandchild in child.children))
            or (child.dep_ == "xcomp" and _bare_infinitive(child)
                and not any(other.dep_ in {"obj", "dobj"} for other in verb.children))
            # "The claims were rejected by the Kremlin": what was said is the passive subject.
            or (child.dep_ in {"nsubjpass", "nsubj:pass"} and fold(child.text) in self.lexicon.speech_nouns
                and bool(_agents(verb)))
            for child in verb.children
        ) or _fronted_content(verb)  # last: it reads the rest of the sentence

    def _conditional(self, token: Token) -> bool:
        if not self.lexicon.conditional_mood:
            return False
        family = [token, *[c for c in token.children if c.dep_.startswith("aux")]]
        if _reduced_passive(token):
            # "Ces échanges seraient « confirmés par… »": the parse hung the participle, the
            # predicate, on a word before it that took its copula.
            family.extend(c for c in token.head.children if c.dep_ == "cop")
        return any(self._conditional_form(t) for t in family)

    def _conditional_form(self, token: Token) -> bool:
        return "Cnd" in token.morph.get("Mood") or (
            token.pos_ == "AUX" and fold(token.text) in self.lexicon.conditional_auxiliaries)

    def _inverted_pronoun(self, token: Token) -> bool:
        """"-il", "-elle" in "a-t-il raconté", "souligne-t-elle": a subject pronoun after its verb."""
        return token.text.startswith("-") and fold(token.text.lstrip("-")) in self.lexicon.pronouns

    def _subject(self, verb: Token) -> Token | None:
        # Small models make a closing quotation mark or the euphonic "-t" of "a-t-il" a subject.
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS
                    and any(ch.isalnum() for ch in c.text) and c.text not in {"-t", "-t-"}]
        if any(c.dep_ in {"nsubj:pass", "nsubjpass"} or c.dep_.startswith("aux:pass") or c.dep_ == "auxpass"
               for c in verb.children) or _reduced_passive(verb):
            # "was criticised by Democrats", "est accusé … par deux femmes": the agent speaks
            # (small models also attach it as a plain oblique).
            quoted = next((c for c in verb.children if c.dep_ in {"nsubjpass", "nsubj:pass"}), None)
            if fold(verb.lemma_) in _QUOTED and quoted is not None:
                return quoted  # "was quoted by Reuters as saying": the agent only relays
            agents = _agents(verb)
            if agents:
                return agents[0] if agents[0].dep_ != "agent" else next(iter(agents[0].children), agents[0])
            if verb.lemma_ and fold(verb.lemma_) in {"accuser", "accuse"}:
                return None  # "est accusé de": the agentless hearsay patterns say who
        if subjects:
            if len(subjects) > 1 and all(all(t.text == "-" for t in verb.doc[a.i + 1:b.i])
                                         for a, b in pairwise(subjects)):
                return subjects[-1]  # "Ex-friends told": a hyphenated noun parsed as three subjects
            return subjects[0]
        # "a-t-il raconté": the inverted pronoun between the auxiliary and the participle.
        if verb.i > 0 and self._inverted_pronoun(verb.nbor(-1)):
            return verb.nbor(-1)
        # Coordinated verbs share the subject: "X a démenti et a ajouté …".
        if verb.dep_ == "conj" and verb.head.i != verb.i:
            return self._subject(verb.head)
        return None

    @staticmethod
    def _narrated_event(doc: Doc, start: int, end: int) -> bool:
        """The clause after "For X," tells what happened (an active verb in the past: "the
        block had occurred", "the crisis started a reflection"), not how X sees things ("this is
        progress", "the election was stolen"). Only English tags say so."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        if root.pos_ != "VERB" or any(child.dep_ in {"auxpass", "nsubjpass"} for child in root.children):
            return False
        past_perfect = root.tag_ == "VBN" and any(
            child.dep_ == "aux" and child.lower_ == "had" for child in root.children)
        return root.tag_ == "VBD" or past_perfect

    def _attribution(
        self, unit_text: str, start: int, doc: Doc, quotes: Sequence[tuple[int, int]] = (),
        links: Sequence[Link] = (),
    ) -> tuple[_Speaker, str, bool] | None:
        """The source named by a marker ("selon X", "according to X", "Pour X, …", "peut-on lire
        dans X"), the cue, and whether the marker hedges (all but the plain citations of a
        publication do). ``links`` tell a watched organisation that NER reads as a place ("Pour
        le Kremlin, …") from a place."""
        folded = fold(unit_text)
        for opener in self.lexicon.openers:
            match = opener.search(folded)
            if match is None:
                continue
            source = unit_text[match.start("source"):match.end("source")]
            source_words = [fold(w) for w, _, _ in words(source)]
            capitalised = any(w[:1].isupper() for w, _, _ in words(source))
            if not capitalised and not any(
                    w in self.lexicon.speaker_nouns or w in self.lexicon.pronouns or w in self.lexicon.roles
                    or (len(w) > 5 and w.endswith(self.lexicon.agent_suffixes)) for w in source_words):
                continue  # "Pour ce tête-à-tête", "For the time being": not a source
            if source_words and source_words[0] in {"ne", "n", "a", "an", "un", "une", "more", "plus"}:
                continue  # "pour ne citer qu'elle", "For an explanation of…, visit": a purpose, not a source
            if self._narrated_event(doc, start + match.end(), start + len(unit_text)):
                continue  # "For many students, the block had occurred days before": what befell them
            if (after := re.match(r"\s*(\w+)", folded[match.end():])) and after.group(1) in self.lexicon.relatives:
                continue  # "For Chevron, which has been operating…": a topic with a relative clause
            span_start, span_end = start + match.start("source"), start + match.end("source")
            source_span = doc.char_span(span_start, span_end, alignment_mode="expand")
            speaks = any(span_start <= link.start and link.end <= span_end
                         and self.entity_types.get(link.entity_id) in {EntityType.person, EntityType.organization}
                         for link in links)
            if capitalised and not speaks and source_span is not None and any(
                    token.ent_type_ in {"GPE", "LOC", "FAC"} for token in source_span):
                continue  # "For the UK, defence spending was…": a place the figures are about
            pronoun = len(source_words) == 1 and source_words[0] in self.lexicon.pronouns
            return _Speaker(source, span_start, span_end, pronoun), unit_text[:match.start("source")].strip(" ,"), True
        for marker, hedged in [*((m, True) for m in self.lexicon.attribution),
                               *((m, False) for m in self.lexicon.sources)]:
            match = marker_pattern(marker).search(folded)  # not "d'après-guerre"
            if not match or re.match(r"\s+(plan|schedule|script)\b", folded[match.end():]):
                continue  # "if all goes according to plan": an idiom, not a source
            if any(qs <= start + match.start() < qe and qe - qs < 40 for qs, qe in quotes):
                continue  # "fini de sourcer « selon l'Élysée »": the words quoted, not a source
            if re.match(r"\s*(que|qu'|qu’|whether)", folded[match.end():]) or any(
                    word.startswith(self.lexicon.variation) for word, _, _ in words(folded[:match.start()])[-3:]):
                continue  # "variant selon les professions", "selon qu'il s'agit": depending on, not a source
            possessive = next((m for m in re.finditer(r"\w+", marker) if m.group() in _POSSESSIVE_WORDS), None)
            if possessive is not None:
                # "à ses yeux": the source is the possessor, a pronoun to resolve.
                at = start + match.start() + possessive.start()
                cue = self._text[start + match.start():start + match.end()]
                return _Speaker(possessive.group(), at, at + len(possessive.group()), True), cue, hedged
            tail = words(unit_text[match.end():])
            phrase = []
            for word, word_start, word_end in tail[:12]:
                between = unit_text[match.end() + (phrase[-1][2] if phrase else 0):match.end() + word_start]
                if phrase and any(p in between for p in ",.;:!?«»“”()"):
                    break
                phrase.append((word, word_start, word_end))
            if not phrase:
                continue
            if fold(phrase[0][0]) in self.lexicon.pronouns:
                phrase = phrase[:1]  # "selon lui l'expression d'un malaise": the pronoun is the source
            span_start = start + match.end() + phrase[0][1]
            span_end = start + match.end() + phrase[-1][2]
            text = self._text[span_start:span_end]
            pronoun = fold(phrase[0][0]) in self.lexicon.pronouns and len(phrase) == 1
            cue = self._text[start + match.start():start + match.end()]
            return _Speaker(text, span_start, span_end, pronoun), cue, hedged
        return None

    def _reporting(self, token: Token) -> tuple[Stance, bool] | None:
        """Stance of a reporting verb. Small models tag some participles as adjectives
        ("a réagi") and lemmatise them to themselves, so participle forms are tried too.
        Asked for every token, twice: the answer is kept for the document."""
        if token.i not in self._reporting_seen:
            self._reporting_seen[token.i] = self._reporting_uncached(token)
        return self._reporting_seen[token.i]

    def _form_stance(self, token: Token) -> tuple[Stance, bool] | None:
        """The stance of the reporting verb a word form can be, whatever its tag; asked for most
        tokens of every document, so each form's answer is kept for the extractor's life."""
        text = token.text
        if text not in self._forms_seen:
            if len(self._forms_seen) >= _FORMS_KEPT:
                self._forms_seen.clear()
            self._forms_seen[text] = self._form_stance_uncached(fold(text))
        return self._forms_seen[text]

    def _form_stance_uncached(self, form: str) -> tuple[Stance, bool] | None:
        # "rappelle" → rappeler, "jette" → jeter: the doubled consonant of the present tense.
        undoubled = form[:-2] + "er" if re.search(r"(ll|tt)e$", form) else ""
        # "dément" → démentir, "admet" → admettre: the present of -ir and -ettre verbs; "répondu"
        # → répondre, "promis" → promettre: participles the tagger took for nouns.
        for candidate in (form, form + "r", form[:-1] + "er" if form.endswith("e") else "", form + "re", undoubled,
                          form + "ir" if form.endswith("t") else "", form + "tre" if form.endswith("et") else "",
                          form[:-1] + "re" if form.endswith("u") else "",
                          form[:-2] + "ettre" if form.endswith("mis") else ""):
            if candidate and (found := self.lexicon.verb_stance(candidate)) is not None:
                return found
        return None

    def _delivers_statement(self, token: Token) -> bool:
        """"Votel released the following statement today: …": a verb that delivers a statement,
        with the statement as object and a colon after it, reports what follows the colon."""
        if token.lemma_.lower() not in self.lexicon.delivery_verbs or token.pos_ != "VERB":
            return False  # the cheap test first: this runs for every token
        statement = next((child for child in token.children if child.dep_ in {"dobj", "obj"} and (
            fold(child.text) in self.lexicon.speech_nouns or fold(child.lemma_) in self.lexicon.works)), None)
        if statement is None:
            return False
        sentence_end = token.sent.end_char
        return ":" in token.doc.text[statement.idx:sentence_end] \
            and not any(t.text == ":" for t in token.doc[token.sent.start:token.i])

    def _paper(self, token: Token) -> bool:
        """A work, a document or a speech act: something that "reads" what its author says."""
        return fold(token.lemma_) in self.lexicon.works or fold(token.lemma_) in self.lexicon.documents \
            or fold(token.text) in self.lexicon.speech_nouns

    def _denial_act(self, token: Token) -> bool:
        """"deny ISIL a safe haven", "to defend Raqqah", "efforts to counter Da'esh": refusing
        something or fighting someone, not rejecting what was said. A denial verb with two
        objects, or whose object is a thing granted or a name that is not a person's, is an act;
        so is one that only says what a noun is for ("the ability to defend")."""
        if token.pos_ != "VERB" or self.lexicon.verb_stance(token.lemma_) != (Stance.denial, True):
            return False
        if token.dep_ == "acl" and "Inf" in token.morph.get("VerbForm"):
            return True
        objects = [child for child in token.children if child.dep_ in {"dobj", "obj", "dative", "iobj"}]
        if any(child.dep_ in {"dative", "iobj"} for child in objects) and len(objects) >= 2:
            return True
        return any(fold(child.lemma_) in self.lexicon.granted
                   or (child.pos_ == "PROPN" and child.ent_type_ not in {"PERSON", "PER"}) for child in objects)

    def _reporting_uncached(self, token: Token) -> tuple[Stance, bool] | None:
        if token.is_punct or token.like_num:
            return None
        if self._delivers_statement(token):
            return Stance.assertion, True
        if fold(token.text) in self.lexicon.document_verbs or fold(token.lemma_) in self.lexicon.document_verbs:
            # The paper as subject, or, as small models parse it after a quotation, as a compound
            # ("the post read" as one noun) or an object ("“…,” read a statement from Tesla").
            before = {token.nbor(-1).text, token.nbor(-2).text} if token.i >= 2 else set()
            after_quote = "," in before and bool(before & _CLOSING_QUOTES)  # ',”' or '»,'
            paper = any((child.dep_ in {"nsubj", "nsubj:pass", "compound"} or (after_quote and child.dep_ == "dobj"))
                        and self._paper(child) for child in token.children)
            return (Stance.assertion, False) if paper else None
        if self.lexicon.verb_stance(token.lemma_) is None and self._form_stance(token) is None:
            return None  # no reading of this word is a reporting verb
        if self._denial_act(token):
            return None
        if token.i + 1 < len(token.doc) and token.nbor(1).text == "-" \
                and token.nbor(1).idx == token.idx + len(token.text):
            return None  # "the post-crash stimulus": the first part of a compound word
        inverted = token.i + 1 < len(token.doc) and token.nbor(1).text.startswith("-")
        # "The new regulations state that…": a plural noun taken for a modifier of the verb.
        after_plural = token.i > 0 and token.nbor(-1).pos_ == "NOUN" and token.nbor(-1).dep_ == "compound" \
            and "Plur" in token.nbor(-1).morph.get("Number") and token.i + 1 < len(token.doc) \
            and fold(token.nbor(1).text) in _THAT
        aside = _aside_opener(token) is not None
        if any(child.dep_ in {"det", "poss", "nmod:poss"} and not child.text.startswith("-")
               for child in token.children) and not after_plural and not aside:
            # "the Baltic states", "Trump's claim that…": a noun, whatever the tagger says (the
            # "-t" and "-elle" of "a-t-elle assuré", which small models make determiners, aside).
            return None
        # "Ils accusent Monsanto": small models mistag a verb after a subject pronoun (not after
        # a possessive or object form: "her state job").
        previous_token = token.nbor(-1) if token.i > 0 else None
        after_pronoun = previous_token is not None and token.pos_ in {"ADV", "ADJ", "NOUN", "PROPN"} \
            and fold(previous_token.text) in self.lexicon.pronouns \
            and "Yes" not in previous_token.morph.get("Poss") and "Acc" not in previous_token.morph.get("Case")
        # "», rappelle ainsi Olivier Panisset": right after a closing quotation mark and a comma,
        # a word the tagger calls an adjective or a noun is the incise's verb.
        after_quote = token.i >= 2 and token.nbor(-1).text == "," and token.nbor(-2).text in _CLOSING_QUOTES
        # "», a-t-il raconté": a participle after an inverted subject pronoun, whatever its tag.
        after_quote = after_quote or (previous_token is not None and self._inverted_pronoun(previous_token))
        # "…en 2024, relève l'IPR, mais…": an incise after a comma, its subject a name after it,
        # whatever the verb's tag.
        after_quote = after_quote or (previous_token is not None and previous_token.text == "," and any(
            child.i > token.i and child.pos_ == "PROPN" and child.dep_ in {"obj", "nsubj"} for child in token.children))
        # "…, annonce le groupe.", "…, juge le président.": an incise closing the clause, its
        # subject the one noun phrase after it, whatever the verb's tag.
        after_quote = after_quote or (previous_token is not None and previous_token.text == ","
                                      and token.i + 1 < len(token.doc) and token.nbor(1).pos_ == "DET"
                                      and _lone_noun_phrase(token))
        # "Lui et ses sbires accusent les journalistes": a verb tagged as an adverb or adjective
        # after its subject noun, which the lemmatiser still reads as the verb.
        lemma_verb = token.pos_ in {"ADV", "ADJ"} and previous_token is not None \
            and previous_token.pos_ in {"NOUN", "PROPN", "PRON"} and fold(token.lemma_) != fold(token.text) \
            and self.lexicon.verb_stance(token.lemma_) is not None and "Part" not in token.morph.get("VerbForm") \
            and not fold(token.text).endswith(("e", "es", "ee", "ees", "i", "is", "ie", "ies", "u", "us", "ed"))
        if token.pos_ == "VERB" or inverted or after_pronoun or lemma_verb:
            # "souligne-t-elle": small models mistag a verb before an inverted pronoun.
            found = self.lexicon.verb_stance(token.lemma_)
            if found is not None:
                return found
        elif not after_quote and not aside \
                and not (token.pos_ == "ADJ" and token.i > 0 and token.nbor(-1).pos_ == "AUX") and not (
                # "Mediapart révèle que…": a present tense tagged as an adjective, given away by
                # the content clause it opens.
                token.pos_ in {"ADJ", "NOUN"} and token.i + 1 < len(token.doc)
                and (fold(token.nbor(1).text) in _CONTENT_MARKERS
                     # "Emmanuel Macron dénonce une manœuvre", "La CGT récuse toute…": a verb that
                     # accuses, denies or concedes on its own, its object's determiner after it.
                     or (token.nbor(1).pos_ == "DET" and (found := self._form_stance(token)) is not None
                         and found[1] and found[0] is not Stance.assertion))
                and token.i > 0
                and (token.nbor(-1).pos_ == "PROPN"
                     # "Emmanuel Macron juge que…", "Macron" tagged an adverb.
                     or (token.nbor(-1).is_alpha and token.nbor(-1).text[:1].isupper()
                         and token.nbor(-1).i > token.sent.start)
                     # "la professionnelle rappelle qu'…", "Those involved in the Program stress
                     # that…": after a noun that is its subject, not after a determiner.
                     or (token.nbor(-1).pos_ == "NOUN" and token.nbor(-1).dep_ in _SUBJECT_DEPS)
                     or after_plural
                     or token.nbor(-1).ent_type_ != "")):
            return None
        return self._form_stance(token)

    def _inverted_subject(self, verb: Token, quotes: list[tuple[int, int]]) -> Token | None:
        """After a quotation or a comma, the speaker follows the verb: "», a affirmé M. Peskov",
        "souligne-t-elle", "says Slemp". Small models parse it as an object or not at all."""
        if "Part" in verb.morph.get("VerbForm") and ("Prog" in verb.morph.get("Aspect")
                                                     or "Pres" in verb.morph.get("Tense")):
            return None  # ", saying meager responses were…", ", estimant que…": never inverted
        if fold(verb.lemma_) in {"tell", "call"}:
            # "…, Abdulaziz Jaafar, told Rest of World", "…, called the Kremlin a failure": the
            # noun after is whom it was told, or whom it names.
            return None
        before = _controller(verb).i - 1  # the parse may start a new sentence at the verb: look across it
        pronoun = None  # "», a-t-il ajouté": the pronoun stands between the auxiliary and the participle
        while before >= 0 and (verb.doc[before].pos_ == "AUX" or verb.doc[before].text in {"-t", "-t-"}
                               or self._inverted_pronoun(verb.doc[before])
                               or _reflexive(verb.doc[before])):
            if self._inverted_pronoun(verb.doc[before]):
                pronoun = verb.doc[before]
            before -= 1
        opener = _aside_opener(verb)
        if (before < 0 or verb.doc[before].text not in {",", "»", "”", '"', "’", ")", "—"}) \
                and (opener is None or fold(opener.text) == "as"):
            return None
        if pronoun is not None:
            return pronoun
        in_complement = False
        for index in range(verb.i + 1, min(verb.i + 9, len(verb.doc))):
            token = verb.doc[index]
            if any(qs <= token.idx < qe for qs, qe in quotes) or token.text in {",", ".", ";", ":", "«", "“"} \
                    or "\n" in token.text:
                return None
            if token.text in {"-t", "-t-"} or token.ent_type_ in {"DATE", "TIME"} or _time_word(token):
                continue  # "…, acknowledged last week that", "a annoncé mardi soir le groupe": a time never speaks
            if token.pos_ == "SCONJ":
                return None  # the reported clause begins: the subject was not inverted
            if self._inverted_pronoun(token):
                return token
            if token.ent_iob_ == "B" and token.ent_type_ in {"PER", "PERSON", "ORG"} and not in_complement \
                    and token.pos_ not in {"NOUN", "PROPN", "PRON", "ADP", "DET"}:
                return token  # "…, estime Emmanuel Macron": a name the tagger read as an adjective
            if token.pos_ == "ADP":
                # "a déclaré à cette occasion le ministre": the noun of a prepositional phrase
                # is a circumstance, not the speaker.
                in_complement = True
                continue
            if token.pos_ in {"NOUN", "PROPN", "PRON"} and in_complement:
                in_complement = False
                continue
            if token.pos_ in {"NOUN", "PROPN", "PRON"}:
                head = token
                # "ce que conteste Tesla": "Tesla" hung from the verb
                while head.dep_ in {"flat:name", "flat", "compound"} and head.head.i not in {head.i, verb.i}:
                    head = head.head
                return head
        return None

    def _incise_subject(self, verb: Token) -> Token | None:
        """"“…,” Jim Cantrell, who worked at SpaceX…, told Rest of World": the name right after
        the closing quotation mark and its comma is the speaker, however long the relative
        clause the parse got lost in; what follows "told" is the one spoken to."""
        doc = verb.doc
        for index in range(verb.i - 2, max(verb.sent.start - 1, verb.i - 40), -1):
            token = doc[index]
            if "\n" in token.text or token.text in {".", ";", ":"}:
                return None
            if token.text in _CLOSING_QUOTES:
                if index + 2 >= verb.i or (doc[index - 1].text != "," and doc[index + 1].text != ","):
                    return None
                first = index + 2 if doc[index + 1].text == "," else index + 1
                if doc[first].pos_ != "PROPN" or not doc[first].text[:1].isupper():
                    return None
                head = doc[first]
                while head.i + 1 < verb.i and doc[head.i + 1].pos_ == "PROPN":
                    head = doc[head.i + 1]  # the last word of the name
                return head
        return None

    def _left_noun(self, verb: Token, quotes: list[tuple[int, int]]) -> Token | None:
        """When the parse gives a reporting verb no subject, the nearest noun before it in the
        same clause is the best guess ("… »Elon Musk s'en est vanté"). An apposition between
        commas is stepped over ("Amazon.com Inc., the world's largest online retailer, last year
        pledged")."""
        doc = verb.doc
        index, seen = verb.i - 1, 0
        while index >= verb.sent.start and seen < 8:
            token = doc[index]
            if token.text == ",":
                opening = next((j for j in range(index - 1, max(verb.sent.start, index - 12) - 1, -1)
                                if doc[j].text == ","), None)
                apposition = opening is not None and opening + 1 < index and (
                    doc[opening + 1].pos_ == "DET" or any(doc[j].dep_ == "appos" for j in range(opening + 1, index)))
                if opening is not None and apposition:
                    index, seen = opening - 1, seen + 1
                    continue
                return None
            if any(qs <= token.idx < qe for qs, qe in quotes) or token.text in {";", ":", "."} or "\n" in token.text:
                return None
            index, seen = index - 1, seen + 1
            if token.dep_ in _CIRCUMSTANCE_DEPS:
                continue  # "last year pledged": a time, not the speaker
            if token.pos_ == "PRON" and fold(token.text) in self.lexicon.pronouns:
                return token
            if token.pos_ in {"PROPN", "NOUN"}:
                head = token
                while head.dep_ in {"flat:name", "flat", "compound"} and head.head.i not in {head.i, verb.i}:
                    head = head.head
                return head
        return None

    # -- extraction ------------------------------------------------------------------------
    def extract(self, doc: Doc, links: list[Link], text: str | None = None) -> list[ClaimDraft]:
        """``text`` is the article's own text when the parser read a normalised copy of it (same
        offsets); what claims quote comes from it."""
        # Read once per document: Doc.text and Doc.ents walk every token on each access.
        self._text = doc.text if text is None else text
        self._reporting_seen: dict[int, tuple[Stance, bool] | None] = {}
        self._people = [(ent.start_char, ent.end_char, ent.text) for ent in doc.ents if ent.label_ in {"PER", "PERSON"}]
        self._genders = person_genders(self._text, links, self.lexicon, self.entities, doc)
        quotes = find_quotes(self._text)
        self._quotes = quotes
        drafts: list[ClaimDraft] = []
        quoted_paragraphs: set[int] = set()
        """Paragraph starts of claims and of their continuations."""
        for start, end in units(doc, quotes):
            paragraph = self._text.rfind("\n", 0, start) + 1
            split = self._split(doc, start, end, quotes, links, drafts)
            if split:
                drafts.extend(split)
                quoted_paragraphs.add(paragraph)
                continue
            draft = self._claim(doc, start, end, quotes, links, drafts)
            if draft is None:
                draft = self._introduced_quote(doc, start, end, paragraph, quotes, links, drafts)
            if draft is None:
                draft = self._stand_alone(doc, start, end, paragraph, quotes, links, drafts, quoted_paragraphs)
            if draft is None:
                draft = self._name_colon(doc, start, end, paragraph, links)
            if draft is None:
                draft = self._interview_answer(start, end, paragraph, links)
            if draft is not None:
                drafts.append(draft)
                quoted_paragraphs.add(paragraph)
        self._lede_cataphora(doc, drafts, links)
        drafts.extend(self._embedded_posts(drafts, links))
        drafts.sort(key=lambda draft: draft.start)
        self._continued_denials(doc, drafts)
        return drafts

    def _continued_denials(self, doc: Doc, drafts: list[ClaimDraft]) -> None:
        """What a speaker says in denial right after denying is a denial too when it negates:
        "Elon Musk denied the report. “I never spoke to Putin,” he said." Only the next claim, by
        the same watched speaker, in the same paragraph, negating in its first sentence."""
        for before, draft in pairwise(drafts):
            if before.stance is not Stance.denial or draft.stance is not Stance.assertion \
                    or draft.speaker_entity is None or draft.speaker_entity != before.speaker_entity \
                    or "\n" in self._text[before.end:draft.start]:
                continue
            span = doc.char_span(draft.start, draft.end, alignment_mode="expand")
            # Its first sentence, not a later one of a long quotation (the parser may make a
            # sentence of an opening guillemet alone).
            first = next((sent for sent in span.sents if any(token.is_alpha for token in sent)), None) \
                if span is not None else None
            negation = next((token for token in first or () if fold(token.text) in self.lexicon.negations), None)
            if negation is not None:
                draft.stance, draft.cue = Stance.denial, negation.text

    def _embedded_posts(self, drafts: list[ClaimDraft], links: list[Link]) -> list[ClaimDraft]:
        """An embedded post as extraction leaves it: its text, then a signature line "— Drew
        Mikkelsen (@drewmikkelsenk5) January 6, 2020". The post is a claim by the signer."""
        text = self._text
        found = []
        for match in _SIGNATURE.finditer(text):
            post_end = match.start() - 1
            post_start = text.rfind("\n", 0, max(0, post_end)) + 1
            if post_end - post_start < 20 or any(d.start < match.end() and post_start < d.end for d in drafts):
                continue
            _, introduced_end = _line_before(text, post_start)
            if text[introduced_end - 1:introduced_end] == ":" \
                    and any(d.end >= introduced_end - 1 and d.start < post_start for d in drafts):
                continue  # "Goldstein tweeted he was “honored”:" already attributes the post
            name_start, name_end = match.span("name")
            signer = next((link for link in links if link.start < name_end and name_start < link.end
                           and self.entity_types.get(link.entity_id) in {EntityType.person, EntityType.organization}),
                          None)
            stance = self._phrase_stance(text[post_start:post_end])
            about = sorted({link.entity_id for link in links if post_start <= link.start and link.end <= post_end
                            and (signer is None or link.entity_id != signer.entity_id)})
            found.append(ClaimDraft(start=post_start, end=match.end(), text=text[post_start:match.end()], cue="post",
                                    stance=stance, quote=None, speaker=match.group("name"),
                                    speaker_entity=signer.entity_id if signer else None, about=about))
        return found

    def _lede_cataphora(self, doc: Doc, drafts: list[ClaimDraft], links: list[Link]) -> None:
        """Headlines and ledes announce a speaker by role and name them later: "…, advisor
        says", "…, an expert has claimed", then "Royal commentator Lee Cohen…". Until a claim
        names its speaker, a speaker that is a bare or indefinite person role ("an expert", not
        "a source") is the first watched person who speaks afterwards."""
        for draft in drafts:
            if draft.speaker_entity is not None or (draft.speaker and self._named(doc, draft)):
                return
            source_words = [w for w, _, _ in words(draft.speaker or "")]
            speaker_words = [fold(w) for w in source_words]
            # "an expert", "Governor", "Indiana governor": a role, bare or with a place before it.
            qualified = len(speaker_words) == 2 and source_words[0][:1].isupper() and source_words[1][:1].islower()
            if not speaker_words or len(speaker_words) > 3 or (speaker_words[0] not in _INDEFINITES
                                                               and len(speaker_words) > 1 and not qualified):
                continue
            role = self.lexicon.roles.get(speaker_words[-1])
            if role is None or role[1] is not EntityType.person or role[0] in _SUBORDINATE_ROLES:
                continue
            later = next((link for link in links if link.start >= draft.end
                          and link.start - draft.end < _CONTEXT_WINDOW
                          and self.entity_types.get(link.entity_id) is EntityType.person
                          and self._introduced(self._text, link)), None)
            if later is not None:
                draft.speaker_entity = later.entity_id
                draft.about = [entity for entity in draft.about if entity != later.entity_id]

    def _introduced(self, text: str, link: Link) -> bool:
        """The name comes with its role: "Royal commentator Lee Cohen", "Lee Baker, a certified
        financial planner"."""
        window = text[max(0, link.start - 40):link.start]
        # The words before it in its own sentence ("Gov." is a title, not a sentence's end).
        ends = [match.end() for match in re.finditer(r"(\w*)[.!?]\s|\n", window)
                if not (match.group(1) and match.group(1)[:1].isupper() and len(match.group(1)) <= 4)]
        before = [fold(w) for w, _, _ in words(window[max(ends, default=0):])][-3:]
        after = text[link.end:link.end + 6]
        return any(word in self.lexicon.roles or word in self.lexicon.speaker_nouns for word in before) or bool(
            re.match(r",\s+(a|an|un|une)\s", after))

    def _named(self, doc: Doc, draft: ClaimDraft) -> bool:
        """The claim's speaker phrase holds a proper name."""
        return any(word[:1].isupper() for word, _, _ in words(draft.speaker or "")[1:]) or any(
            (draft.speaker or "").startswith(text) for _, _, text in self._people)

    def _split(
        self, doc: Doc, start: int, end: int, quotes: list[tuple[int, int]], links: list[Link],
        previous: list[ClaimDraft],
    ) -> list[ClaimDraft]:
        """Two attributions in one sentence give two claims, each over its own clause: "While
        Hamas and Iran have blamed Israel for the strike, | Israel has not claimed
        responsibility", "Holcomb said it was a start… | after a state commission found that…",
        "…the Oct. 7 attacks, | which Israeli figures say killed 1,200". The second attribution
        is a reporting verb with its own subject in an adverbial, coordinated or relative clause
        at either end of the sentence; reported speech inside another reporting verb's content
        clause ("X said that Y claimed…") stays within the outer claim."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) < 8:
            return []
        for token in span:
            marker = _adverbial_marker(token)
            if (token.dep_ not in _CLAUSE_DEPS and marker is None) or any(qs <= token.idx < qe for qs, qe in quotes):
                continue
            found = self._reporting(token)
            if found is None or ((not found[1] or _incise(token)) and not self._has_complement(token, None)):
                # A weak verb needs its content, and an incise has none of its own ("La réforme sera
                # maintenue, a déclaré Elon Musk").
                continue
            subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS and any(ch.isalnum() for ch in c.text)
                            and not any(qs <= c.idx < qe for qs, qe in quotes)), None)
            if subject is None or (subject.pos_ == "PRON" and subject.dep_ != "nsubj") or _reported(self, token):
                continue
            if "Rel" in subject.morph.get("PronType") or fold(subject.text) in {"which", "who", "that", "qui"}:
                continue  # "…authorities - which have often condemned…": background on a noun, not a report
            clause = sorted(t for t in token.subtree if start <= t.idx < end)
            clause_start = marker.idx if marker is not None and marker.idx >= start else clause[0].idx
            clause_end = clause[-1].idx + len(clause[-1].text)
            if any(qs < clause_end and clause_start < qe and not (clause_start <= qs and qe <= clause_end)
                   for qs, qe in quotes):
                continue  # the clause would cut a quotation in two
            before = self._text[start:clause_start].strip(" ,;:—–-\u00a0")
            after = self._text[clause_end:end].strip(" ,.;:—–-\u00a0")
            if marker is not None and before and after and not any(
                    t.pos_ in {"VERB", "AUX"} for t in span if start <= t.idx < clause_start):
                # "But in March, about a month after officials announced…, PSPC said…": a fronted
                # adverbial without a verb belongs to the clause it introduces.
                clause_start, before = start, ""
            if bool(before) == bool(after):
                continue  # the clause is the whole sentence, or sits in its middle
            if len(self._text[clause_start:clause_end].split()) < 4:
                continue
            if before:
                rest = (start, start + len(self._text[start:clause_start].rstrip(" ,;:—–-\u00a0")))
                parts = [rest, (clause_start, clause_end)]
            else:
                tail = self._text[clause_end:end]
                rest_start = clause_end + len(tail) - len(tail.lstrip(" ,;:—–-\u00a0"))
                parts = [(clause_start, clause_end), (rest_start, end)]
            drafts: list[ClaimDraft] = []
            for part_start, part_end in parts:
                draft = self._claim(doc, part_start, part_end, quotes, links, [*previous, *drafts])
                if draft is None:
                    return []
                drafts.append(draft)
            first, second = drafts
            same_speaker = (first.speaker_entity, fold(first.speaker or "")) == (second.speaker_entity,
                                                                                 fold(second.speaker or ""))
            if same_speaker and first.stance is second.stance:
                return []  # one speaker, one stance: one claim
            return drafts
        return []

    def _phrase_stance(self, text: str) -> Stance:
        """The stance a cue phrase gives a claim found without a reporting verb (a quoted answer,
        a headline, a post): the first matching phrase of the lexicon, else an assertion."""
        folded = fold(text)
        return next((stance for stance, pattern in self.lexicon.phrases if pattern.search(folded)), Stance.assertion)

    @staticmethod
    def _reported_in_present(doc: Doc, verb_at: int, conditional: list[Token]) -> bool:
        """The verb of saying at ``verb_at`` is in the simple present and a verb of what it reports
        is in the conditional."""
        verb = _token_from(doc, verb_at)
        if verb is None or "Pres" not in verb.morph.get("Tense") or "Fin" not in verb.morph.get("VerbForm") \
                or any(child.dep_.startswith("aux") for child in verb.children):
            return False
        return any(token.i != verb.i for token in conditional)

    def _interview_answer(self, start: int, end: int, paragraph: int, links: list[Link]) -> ClaimDraft | None:
        """In an interview, the paragraph after the interviewer's question ("Vous évoquez…?",
        "How do you…?") is the interviewee's answer, quoted or not: its first sentence is a claim
        by the interviewee. A question without "you" (an explainer's heading) is not an interview."""
        text = self._text
        if start != paragraph:
            return None
        question = text[slice(*_line_before(text, paragraph))]
        if not question.endswith("?") or text[start:end].rstrip().endswith("?"):
            return None
        if not any(fold(word) in self.lexicon.addressees for word, _, _ in words(question)):
            return None
        stance = self._phrase_stance(text[start:end])
        about = sorted({link.entity_id for link in links if start <= link.start and link.end <= end})
        return ClaimDraft(start=start, end=end, text=text[start:end], cue="answer", stance=stance, quote=None,
                          speaker=_INTERVIEWEE, speaker_entity=None, about=about)

    def _name_colon(self, doc: Doc, start: int, end: int, paragraph: int, links: list[Link]) -> ClaimDraft | None:
        """A line "Tony Blair: Why there has to be compromise in Ukraine" is a headline that
        gives the person's words: a claim by the person named before the colon."""
        text = self._text
        if start != paragraph or "\n" not in text[end:end + 1] + "\n":
            return None
        # French sets a space before the colon: "Emmanuel Macron : « Nous ne céderons pas »".
        match = re.match(r"([^:\n]{3,40}?)[ \u00a0\u202f]?:\s+(\S.{10,})$", text[start:end])
        if match is None or match.group(2).rstrip().endswith("?"):
            return None
        name_end = start + match.end(1)
        person = next((link for link in links if link.start == start and link.end == name_end
                       and self.entity_types.get(link.entity_id) is EntityType.person), None)
        # A French " : " also ends section titles ("Revue Esprit : Quand le langage travaille"):
        # there, only a watched person's name will do.
        spaced = text[name_end:name_end + 1] != ":"
        named = person is not None or (not spaced and any(
            ent_start == start and ent_end == name_end and " " in ent_text
            for ent_start, ent_end, ent_text in self._people))
        if not named:
            return None
        stance = self._phrase_stance(text[start:end])
        entity = person.entity_id if person is not None else None
        about = sorted({link.entity_id for link in links if name_end <= link.start and link.end <= end
                        and link.entity_id != entity})
        return ClaimDraft(start=start, end=end, text=text[start:end], cue=":", stance=stance, quote=None,
                          speaker=match.group(1), speaker_entity=entity, about=about)

    def _introduced_quote(
        self, doc: Doc, start: int, end: int, paragraph: int, quotes: list[tuple[int, int]], links: list[Link],
        previous: list[ClaimDraft],
    ) -> ClaimDraft | None:
        """"He said:" closing a paragraph, then the quotation in the next one: the attribution
        has no content of its own, so the two read as one claim over both, which replaces the
        bare attribution's claim in ``previous``."""
        text = self._text
        if text[paragraph:start].strip() or not any(qs == start for qs, _ in quotes):
            return None
        _, before_end = _line_before(text, paragraph)
        if before_end == 0 or text[before_end - 1] != ":":
            return None
        span = doc.char_span(before_end - 1, before_end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        introduction = span[0].sent
        if before_end - introduction.start_char > 200:
            return None  # a long sentence that ends on a colon is not a bare attribution
        covered = bool(previous) and previous[-1].end >= before_end - 1
        bare = covered and previous[-1].start >= introduction.start_char
        if covered and not bare:
            return None
        combined = self._claim(doc, introduction.start_char, end, quotes, links, previous[:-1] if bare else previous)
        if combined is not None and bare:
            previous.pop()
        return combined

    def _stand_alone(
        self, doc: Doc, start: int, end: int, paragraph: int, quotes: list[tuple[int, int]], links: list[Link],
        previous: list[ClaimDraft], quoted_paragraphs: set[int],
    ) -> ClaimDraft | None:
        """A paragraph that opens with a quotation and has no reporting verb of its own: an
        interview answer after the interviewer's question, or a quote whose speaker the previous
        paragraphs introduced. Right after a claim (or a continuation of one) it continues that
        claim's quotation and is folded; otherwise it is a claim of its own, by the speaker in
        context (the last speaker, else the last person named)."""
        text = self._text
        if text[paragraph:start].strip():
            return None
        quote = next(((qs, qe) for qs, qe in quotes if qs == start), None)
        if quote is None or len(text[quote[0]:quote[1]].split()) < 4:
            return None
        previous_paragraph, before_end = _line_before(text, paragraph)
        if previous_paragraph in quoted_paragraphs or (previous and previous[-1].end > previous_paragraph):
            quoted_paragraphs.add(paragraph)  # a continuation: folded into the claim before it
            return None
        if text[before_end - 1:before_end] != "?":
            return None  # only an answer to the interviewer's question stands alone
        quoted = text[quote[0] + 1:quote[1] - 1].strip()
        if quoted.endswith("?"):
            return None
        speaker_text, speaker_entity = self._context_speaker(doc, links, previous, start)
        if not speaker_text and not speaker_entity:
            return None
        stance = self._phrase_stance(text[start:end])
        about = sorted({link.entity_id for link in links if start <= link.start and link.end <= end
                        and link.entity_id != speaker_entity})
        return ClaimDraft(start=start, end=end, text=text[start:end], cue="quotation", stance=stance, quote=quoted,
                          speaker=speaker_text, speaker_entity=speaker_entity, about=about)

    def _context_speaker(
        self, doc: Doc, links: list[Link], previous: list[ClaimDraft], start: int
    ) -> tuple[str | None, str | None]:
        """Who a quotation without attribution is by: the last speaker when recent, else the
        last person named (watched or not)."""
        if previous and start - previous[-1].end < _CONTEXT_WINDOW and (previous[-1].speaker_entity
                                                                      or previous[-1].speaker):
            return previous[-1].speaker, previous[-1].speaker_entity
        people = self._named_between(links, start - _CONTEXT_WINDOW, start, {EntityType.person})
        if not people:
            return None, None
        _, entity, surface = people[-1]
        return surface, entity

    def _claim(
        self, doc: Doc, start: int, end: int, quotes: list[tuple[int, int]], links: list[Link],
        previous: list[ClaimDraft],
    ) -> ClaimDraft | None:
        text = self._text[start:end]
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        tokens = list(span)
        unit_quotes = [(qs, qe) for qs, qe in quotes if qs < end and start < qe]
        quote = max(unit_quotes, key=lambda q: q[1] - q[0]) if unit_quotes else None

        def outside_quotes(token: Token) -> bool:
            return not any(qs <= token.idx < qe for qs, qe in unit_quotes)

        if quote is not None and self._text[quote[0]:quote[1]].rstrip("»”\"’' ").endswith("?") and (
                (quote[1] - quote[0]) >= 0.6 * (end - start)
                or any(fold(token.lemma_) in _ASKING and outside_quotes(token) for token in tokens)):
            # A question put, not a statement made ("“How on earth…?” he said", "At a press
            # conference announcing her appointment, a reporter asked X, “What…?”").
            return None
        folded = Folded.of(text)
        if any(pattern.search(folded.text) for pattern in self.lexicon.narration):
            return None  # "It can also be revealed that…": the outlet's own narration
        if text.rstrip().endswith("?") and (quote is None or quote[1] < end - 2):
            # "Trump has said he wants to run Venezuela “through oil” - but what does that mean?":
            # the statement before the writer's question is still one.
            cut = max((match.start() for match in re.finditer(r"\s[-–—]\s+but\b|,\s+but\b|;\s+", text)),
                      default=-1)
            if cut > 0 and len(text[:cut].split()) >= 5 and not any(qs < start + cut < qe for qs, qe in quotes):
                return self._claim(doc, start, start + cut, quotes, links, previous)
            return None  # "What has Trump said about Nato?": a question, not a statement
        stance: Stance | None = None
        cue = ""
        cue_at: int | None = None
        for phrase_stance, pattern in self.lexicon.phrases:
            match = pattern.search(folded.text)
            if match:
                cue_start, cue_end = folded.source_span(*match.span())
                at = _token_at(doc, start + cue_start)
                if at is not None and self._denial_act(doc[at]):
                    continue  # "to deny any safe haven": an act, whatever the phrase
                stance = phrase_stance
                cue, cue_at = text[cue_start:cue_end], start + cue_start
                break

        idioms: list[tuple[int, int]] | None = None  # found once the unit has a verb of saying
        verbs = []
        for token in tokens:
            found = self._reporting(token)
            if found is None:
                continue
            if idioms is None:
                idioms = [folded.source_span(*match.span()) for pattern in self.lexicon.idioms
                          for match in pattern.finditer(folded.text)]
            if any(a <= token.idx - start < b for a, b in idioms):
                continue  # "That said, I believe…", "c'est-à-dire", "as they say": a set phrase
            controller = _controller(token)  # "pourrait commenter": the modal governs the infinitive
            if (any(child.dep_ == "aux" and fold(child.text) in self.lexicon.hypothetical for child in token.children)
                    or (controller.i != token.i and fold(controller.text) in self.lexicon.hypothetical)) \
                    and not any(child.dep_ == "neg" or fold(child.text) in self.lexicon.negations
                                for child in token.children):
                continue  # "He might also muse on whether…": what someone could say, not what was said
            if outside_quotes(token) and any(
                    child.i < token.i and ((child.dep_ in {"dobj", "obj"} and child.tag_ == "WP")
                                           or (child.dep_ == "advmod" and child.tag_ == "WRB"))
                    for child in token.children) and not any(
                    child.dep_ in {"oprd", "ccomp", "xcomp", "attr"} for child in token.children):
                continue  # "to see what these consultations find, and how they will reflect…": a question
            verb_stance, strong = found
            if "Imp" in token.morph.get("Mood") or (token.head.lemma_ == "let" and token.head.i < token.i) or (
                    token.tag_ == "VB" and token.dep_ == "ROOT"
                    and not any(child.dep_ in {*_SUBJECT_DEPS, "aux", "mark"} for child in token.children)):
                continue  # "disons", "let's say", "In Northern Ireland, call your GP": an imperative
            if _naming(token, self._text):
                continue  # "routes called “segments”", "a so-called crypto winter": a name given
            if verb_stance is Stance.assertion and token.dep_ in {"acl", "amod"} \
                    and "Part" in token.morph.get("VerbForm") \
                    and "Past" in token.morph.get("Tense") \
                    and (token.head.i < token.i or token.dep_ == "amod") \
                    and token.head.pos_ == "NOUN" \
                    and not _agents(token) and not any(child.pos_ == "AUX" for child in token.children) \
                    and not any(t.pos_ == "AUX" for t in token.doc[token.head.i + 1:token.i]):
                # "les publications mentionnées", "the figures cited", "a shared identity": a thing
                # described (not "the alleged plot", whose hedge is the claim's stance).
                continue
            asking = fold(token.lemma_) in _ASKING
            if asking and not _request(token):
                continue  # "asked whether…", "asked not to be named": a question or a wish, no claim
            if not strong and not asking and not self._has_complement(token, quote) and not _incise(token):
                continue
            if verb_stance is Stance.admission and any(
                    child.dep_ in {"aux:pass", "auxpass", "nsubj:pass", "nsubjpass"} for child in token.children):
                continue  # "a été reconnu coupable", "is widely acknowledged": no one concedes
            verbs.append((token, verb_stance))
        verbs.sort(key=lambda item: (not outside_quotes(item[0]), item[0].dep_ != "ROOT"))
        if verbs and quote is not None and not any(outside_quotes(verb) for verb, _ in verbs):
            # "« La réforme sera maintenue », a fait savoir X": a phrase outside the quotation
            # attributes it; a verb inside it ("maintenue") is what is said, not who says it.
            outside = text
            for qs, qe in unit_quotes:
                first, last = max(qs - start, 0), min(qe - start, len(text))
                outside = outside[:first] + " " * (last - first) + outside[last:]
            outside = fold(outside)
            if any(pattern.search(outside) for pattern in self.lexicon.assertion_phrases):
                verbs = []

        speaker: _Speaker | None = None
        speaker_verb_at: int | None = None
        speaker_incise = False
        for verb, verb_stance in verbs:
            subject = self._subject(verb)
            if subject is not None and _incise(verb) and outside_quotes(verb) and (
                    (verb.dep_ == "conj" and subject.head.i != verb.i)
                    or (subject.i < verb.i and sum(token.text == "," for token in doc[subject.i + 1:verb.i]) == 1)
                    # "Ainsi que l'a rappelé X": the object pronoun read as the subject.
                    or (subject.i < verb.i and (opener := _aside_opener(verb)) is not None and subject.i > opener.i)):
                # "Apple prépare un rachat, affirme Emmanuel Macron": the parse made the incise a
                # conjunct of the reported verb, whose subject it would share; or "L'entreprise
                # prévoit des licenciements, a indiqué Emmanuel Macron": it read "prévoit" as an
                # adjective, "entreprise" as the subject of the incise and the name as its object.
                # The speaker is the noun after it (not a pronoun that opens the reported clause:
                # ", said it would"), unless an apposition closed after the subject ("Musk, who
                # founded SpaceX, said").
                inverted = self._inverted_subject(verb, unit_quotes)
                if inverted is not None and (self._inverted_pronoun(inverted) or (
                        inverted.pos_ != "PRON" and _lone_noun_phrase(verb))):
                    subject = inverted
            if (subject is None or not outside_quotes(subject)) and outside_quotes(verb):
                subject = self._incise_subject(verb) or self._inverted_subject(verb, unit_quotes) or subject
            elif subject is None and _clitic_incise(verb):
                # "« Là-dessus, notre désaccord est total, souligne-t-elle. La CGT… »": a French
                # incise inside the guillemets attributes the quotation, it is not reported speech.
                subject = self._inverted_subject(verb, [])
            if subject is not None and (subject.pos_ in {"VERB", "AUX"} or subject.dep_ == "csubj"
                                        or "\n" in self._text[min(subject.idx, verb.idx):max(subject.idx, verb.idx)]):
                # "Speaking from a stage…, Chief Executive Satya Nadella said": small models take
                # the fronted participle for the subject; the noun before the verb speaks. In an
                # incise, the reported verb taken for the subject ("La réforme entrera en vigueur,
                # a déclaré Emmanuel Macron"): the noun after the verb speaks.
                subject = self._inverted_subject(verb, unit_quotes) if _incise(verb) and outside_quotes(verb) \
                    and subject.i < verb.i else None
            if subject is None and _narrative_infinitive(verb):
                # "Et d'ajouter que…": the narrative infinitive continues the last speaker.
                speaker, speaker_verb_at = _Speaker("il", verb.idx, verb.idx, True), verb.idx
                if stance is None:
                    stance, cue = verb_stance, verb.text
                break
            if subject is None and verb.dep_ != "ROOT" and self._impersonal_control(verb) and (
                    "Inf" in verb.morph.get("VerbForm")
                    or (verb.tag_ == "VBG" and any(child.dep_ == "acomp" for child in verb.head.children))):
                continue  # "il faut noter que", "it is worth remembering that": the writer argues
            if subject is None and "Part" in verb.morph.get("VerbForm") and verb.dep_ in {"advcl", "xcomp", "conj"} \
                    and ("Prog" in verb.morph.get("Aspect") or "Pres" in verb.morph.get("Tense")) \
                    and verb.head.i < verb.i and verb.head.pos_ in {"VERB", "AUX"}:
                # "West backs this up, saying that…", "…, estimant que": the participle's
                # subject is the main verb's.
                subject = self._subject(verb.head)
                if subject is not None and subject.pos_ == "VERB":
                    # "The trust spending $100 million … refused…, saying": the parse made the
                    # reduced relative the subject; the noun it modifies is.
                    subject = self._subject(subject)
                if subject is not None and "\n" in self._text[subject.idx:verb.idx]:
                    subject = None  # the parse joined the headline to the first sentence
            if subject is None and verb.dep_ == "pcomp" and fold(verb.head.text) == "as" \
                    and verb.head.head.pos_ == "VERB" and verb.head.head.i < verb.i:
                subject = self._subject(verb.head.head)  # "X was quoted by Reuters as saying…"
            if subject is None and verb.dep_ == "acl" and verb.head.i < verb.i \
                    and verb.head.pos_ in {"PROPN", "NOUN"} and verb.head.ent_type_ not in {"DATE", "TIME"} \
                    and not _agents(verb) \
                    and ("Fin" in verb.morph.get("VerbForm")
                         or (self._has_complement(verb, None) and "," in self._text[verb.head.idx:verb.idx])):
                # "Josenrique Cueto, the deputy director, acknowledged that…", "pour que Mediapart
                # révèle…": small models take the verb for a reduced relative; a finite verb, or one
                # with its content clause after a comma, is the main verb.
                subject = verb.head
            if (subject is None or not outside_quotes(subject)) and outside_quotes(verb):
                # "“…,” the company's CEO, Abdulaziz Jaafar, told Rest of World": the parse made
                # "told" a conjunct of the quotation's verb; its speaker is the noun before it.
                subject = self._left_noun(verb, unit_quotes) or subject
            if subject is not None and "Rel" in subject.morph.get("PronType") and verb.dep_ in _RELATIVE_DEPS:
                # "Jim Cantrell, who said…", "un état d'aliénation qui soutient…"
                subject = verb.head if verb.head.pos_ in {"NOUN", "PROPN", "PRON"} else None
            if subject is None or (not outside_quotes(subject) and quote is not None and outside_quotes(verb)):
                continue
            if outside_quotes(subject) and fold(subject.text) in self.lexicon.narrators:
                continue  # "I say", "When I suggest": the writer narrates
            before = [t for t in verb.doc[max(verb.sent.start, verb.i - 3):verb.i]
                      if fold(t.text) not in {"ne", "n'", "n’"} and t.pos_ != "AUX"]
            impersonal = fold(subject.text.lstrip("-")) in self.lexicon.nobody
            if impersonal and not any(fold(child.text) in self.lexicon.negations for child in verb.children) \
                    and (located := self._located_source(doc, verb, links)) is not None:
                # "», indique-t-on à l'Élysée", "on assure dans l'entourage du président": the
                # impersonal subject speaks from a watched organisation, or for a person.
                speaker, speaker_verb_at = located, verb.idx
                speaker_incise = subject.i > verb.i
                if stance is None:
                    stance, cue = verb_stance, verb.text
                break
            if subject.text.startswith("-") and impersonal:
                # "…, a-t-on appris de même source": the press formula of unnamed sources.
                speaker, speaker_verb_at, speaker_incise = _Speaker(_UNNAMED, -1, -1), verb.idx, True
                if stance is None:
                    stance, cue = (Stance.allegation if verb_stance is Stance.assertion else verb_stance), verb.text
                break
            if (fold(subject.text) in self.lexicon.nobody
                    and not any(child.dep_ == "det" for child in subject.children)) \
                    or (before and fold(before[-1].text) in self.lexicon.nobody):
                # "personne ne soutiendrait", "on considère": no one in particular says it; "une
                # personne proche du dossier" is someone.
                continue
            if subject.dep_ in {"nsubj:pass", "nsubjpass"} and subject.head == verb and outside_quotes(verb) \
                    and any(child.dep_ in {"aux:pass", "auxpass"} for child in verb.children) \
                    and not _agents(verb) \
                    and not {"Int", "Rel"} & set(subject.morph.get("PronType")) and subject.tag_ not in {"WP", "WDT"}:
                if any(((other.i > verb.i and _incise(other)) or _aside_opener(other) is not None)
                       and outside_quotes(other) for other, _ in verbs):
                    # "La réforme sera maintenue, a déclaré Emmanuel Macron", "Comme le souligne
                    # Emmanuel Macron, la réforme sera maintenue": the incise says who.
                    continue
                # "Her appointment was announced", "le règlement est très critiqué": the passive
                # subject is what is said; who says it is left unnamed.
                speaker, speaker_verb_at = _Speaker(_UNNAMED, -1, -1), verb.idx
                if stance is None:
                    stance, cue = verb_stance, verb.text
                break
            if subject.pos_ == "PROPN":
                subject = _titled_person(subject) or subject
            speaker = self._speaker_of(subject, verb)
            speaker_verb_at = verb.idx
            speaker_incise = _incise(verb) and subject.i > verb.i
            if stance is None:
                stance, cue = verb_stance, verb.text
                if verb_stance is Stance.assertion and self._conditional(verb):
                    stance = Stance.allegation
            break

        if stance is None:
            for pattern in self.lexicon.assertion_phrases:
                match = pattern.search(folded.text)
                if match:
                    cue_start, cue_end = folded.source_span(*match.span())
                    if any(qs <= start + cue_start < qe for qs, qe in unit_quotes):
                        continue
                    stance, cue, cue_at = Stance.assertion, text[cue_start:cue_end], start + cue_start
                    break
        if stance is None and speaker is None:
            nominal = self._speech_noun(tokens, unit_quotes)
            if nominal is not None:
                speaker, stance, cue, cue_at = nominal
        attribution = self._attribution(text, start, doc, unit_quotes, links)
        if attribution is not None and speaker_verb_at is not None and attribution[0].start >= 0 \
                and any(qs <= attribution[0].start < qe for qs, qe in unit_quotes):
            attribution = None  # "« d'après nos données, il ne risque plus… », explique-t-elle": her own source
        hearsay = next((p for p in self.lexicon.hearsay if p.search(folded.text)), None)
        conditional = [t for t in tokens if t.pos_ in {"VERB", "AUX"} and outside_quotes(t)
                       and self._conditional_form(t) and self.lexicon.conditional_mood
                       and not (t.i + 1 < len(doc) and fold(t.nbor(1).text) == "-ce")  # "ne serait-ce que"
                       and fold(t.lemma_) not in _MODALS]
        if attribution is not None:
            # "Mais, d'après elle, M. Macron a balayé l'idée…": a source that frames the report
            # before its verb is who speaks; the one it reports on acts.
            if speaker is None or (attribution[2] and speaker_verb_at is not None
                                   and attribution[0].start < speaker_verb_at):
                speaker = attribution[0]
            negated = any(fold(t.text) in self.lexicon.negations for t in tokens)
            if stance is None and negated and conditional:
                stance, cue = Stance.denial, attribution[1]
            elif stance in (None, Stance.assertion) and attribution[2] and not (
                    speaker_verb_at is not None and attribution[0].start > speaker_verb_at):
                # Not "…, a affirmé le ministre, selon une vidéo diffusée par l'armée": the source
                # after a named speaker's verb is how the words came out, not a hedge on them.
                stance, cue = Stance.allegation, attribution[1]
            elif stance is None:
                stance, cue = Stance.assertion, attribution[1]
        passive = self._agentless(folded, text, start, unit_quotes)
        # "Sinwar is seen as a hard-liner, said Matthew Levitt": a named speaker after the words
        # owns them, the passive included.
        if passive is not None and attribution is None and not speaker_incise \
                and (speaker_verb_at is None or passive[0] < speaker_verb_at):
            # "Harry is said to have responded…", "Il est accusé d'avoir détenu…": the subject is
            # what is reported on; who reports it is left unnamed.
            speaker = _Speaker(_UNNAMED, -1, -1)
            if stance in (None, Stance.assertion):
                stance, cue = Stance.allegation, passive[1]
        if stance is Stance.assertion and conditional and speaker_verb_at is not None \
                and self._reported_in_present(doc, speaker_verb_at, conditional):
            # "Elon Musk aurait été en contact avec Poutine, affirme le Wall Street Journal": the
            # conditional of a report made in the present hedges it. Not after a past verb ("a
            # dit que la réforme entrerait en vigueur"), where it is the future of that past.
            stance, cue = Stance.allegation, conditional[0].text
        if stance in (None, Stance.assertion) and (hearsay is not None or (stance is None and conditional)):
            stance = Stance.allegation
            cue = cue or (hearsay.pattern if hearsay is not None else conditional[0].text)
        if stance is None:
            return None
        if stance is Stance.assertion and speaker is not None and (
                self._anonymous(doc, speaker) or any(p.search(folded.text) for p in self.lexicon.anonymity)):
            # "a Tory source said", "friends close to the Duchess said", "an official, who spoke on
            # condition of anonymity, said"
            stance = Stance.allegation
        if stance is Stance.assertion and hearsay is None and not conditional:
            charge = next((match for p in self.lexicon.charges if (match := p.search(folded.text))), None)
            if charge is not None:
                # "he lied" accuses; "I never lied", "il n'a pas menti" denies the charge.
                negated = any(word in self.lexicon.negations for word, _, _ in
                              words(folded.text[max(0, charge.start() - 30):charge.start()])[-3:])
                stance = Stance.denial if negated else Stance.accusation
        if speaker is None and cue_at is not None:
            # "…, a fait savoir Elon Musk": a phrase in an incise has its subject after it; else
            # the subject of the clause the phrase is in.
            cue_token = _token_from(doc, cue_at)
            inverted = self._inverted_subject(cue_token, unit_quotes) \
                if cue_token is not None and cue_token.pos_ in {"VERB", "AUX"} else None
            speaker = self._speaker_of(inverted) if inverted is not None \
                else self._clause_subject(doc, cue_at, unit_quotes)
        if speaker is None and stance is not Stance.allegation:
            return None

        speaker_entity = None
        if speaker is not None and not speaker.pronoun and speaker.start >= 0:
            speaker = self._author(doc, speaker) or speaker
        if speaker is not None:
            if speaker.pronoun and fold(speaker.text) in _NEUTER:
                speaker_entity = self._neuter_antecedent(doc, previous, links, start, speaker.head)
            elif speaker.pronoun:
                speaker_entity, antecedent = self._antecedent(doc, previous, links, start, speaker.text, speaker.head)
                if antecedent:
                    speaker = _Speaker(antecedent, speaker.start, speaker.end, True, speaker.head)
            else:
                speaker_entity = self._speaker_entity(doc, links, speaker)
                if speaker_entity is None and (apposed := self._apposed_person(speaker, links)) is not None:
                    speaker_entity = apposed.entity_id
                    speaker = _Speaker(self._text[speaker.start:apposed.end], speaker.start, apposed.end, False,
                                       speaker.head)
                if speaker_entity is None:
                    speaker_entity = self._same_noun(doc, previous, speaker)
                if speaker_entity is None:
                    speaker_entity = self._delivered_by(doc, speaker, links)
                if speaker_entity is None:
                    speaker_entity = self._possessor(doc, previous, links, start, speaker)
                if speaker_entity is None:
                    speaker_entity = self._bare_spokesperson(doc, speaker, links)
                if speaker_entity is None:
                    speaker_entity = self._organisation_after_its_clause(doc, speaker, links)
                if speaker_entity is None:
                    speaker_entity = self._organisation_of_the_main_clause(doc, speaker, links)
                if speaker_entity is None:
                    speaker_entity = self._document_owner(speaker, links, start)
                if speaker_entity is None:
                    speaker_entity = self._person_just_named(doc, speaker, links)
        elif previous and start - previous[-1].end < 600 and not any(
                link.entity_id == previous[-1].speaker_entity for link in links if start <= link.start < end):
            # Unsourced hearsay ("Il aurait travaillé…", "Plusieurs dizaines de milliers d'euros
            # seraient en jeu") right after a claim goes on with what its speaker reported,
            # unless it is about that speaker ("Le président aurait…").
            speaker_entity = previous[-1].speaker_entity
            speaker = _Speaker(previous[-1].speaker or "", -1, -1) if previous[-1].speaker else None
        if speaker is None:
            speaker = _Speaker(_UNNAMED, -1, -1)  # hearsay nobody is named for: unnamed sources

        background = self._background(tokens)
        about = sorted({
            link.entity_id for link in links
            if start <= link.start and link.end <= end
            and not (speaker is not None and speaker.start <= link.start and link.end <= speaker.end)
            and (link.entity_id != speaker_entity or _self_reference(self._text, link, speaker))
            and not any(bs <= link.start < be for bs, be in background)
            and not self._setting(self._text, link)
        })
        if speaker_entity and speaker_entity not in about and stance in _OWN_CONDUCT:
            about = sorted({*about, speaker_entity})  # its own conduct: defended, conceded or not discussed
        return ClaimDraft(
            start=start, end=end, text=text, cue=cue, stance=stance,
            quote=self._text[quote[0] + 1:quote[1] - 1].strip() if quote else None,
            speaker=speaker.text if speaker else None, speaker_entity=speaker_entity, about=about,
            speaker_head=speaker.head if speaker else None,
        )

    def _speech_noun(
        self, tokens: list[Token], quotes: list[tuple[int, int]],
    ) -> tuple[_Speaker, Stance, str, int] | None:
        """"after facing complaints that…", "Trump's claim that…", "la rumeur selon laquelle…": a
        noun of speech whose content follows as a clause. Its speaker is the possessor or the
        "by/par" phrase, else unnamed sources."""
        for token in tokens:
            stance = self.lexicon.speech_nouns.get(fold(token.text))
            if stance is None or token.pos_ not in {"NOUN", "PROPN"} or token.i + 2 >= len(token.doc) \
                    or any(qs <= token.idx < qe for qs, qe in quotes):
                continue
            following = " ".join(fold(t.text) for t in token.doc[token.i + 1:token.i + 3])
            hearsay = fold(token.text) in {"reports", "rumours", "rumors"} and following.startswith("of ")
            # "Trump's vows to resurrect coal": a commitment whose content is an infinitive.
            commitment = following.startswith("to ") and token.nbor(2).pos_ == "VERB" and stance is Stance.assertion
            if not hearsay and not commitment and not re.match(
                    r"(that|que|qu'|qu’|selon (laquelle|lequel|lesquelles|lesquels))\b", following):
                continue  # "reports of coronavirus cases" is hearsay too
            clause = token.nbor(1).head
            gap = fold(clause.lemma_) in _SPEECH_OBJECT_VERBS and not any(c.dep_ == "dobj" for c in clause.children)
            if fold(token.nbor(1).text) == "that" and (token.nbor(1).dep_ not in {"mark", "complm"} or gap):
                continue  # "the reports that he read", "the claims she made": a relative clause, not the content
            source = next((child for child in token.children if child.dep_ in {"poss", "nmod:poss"}), None)
            if source is None:
                by = next((child for child in token.children
                           if child.dep_ in {"prep", "nmod", "case"} and fold(child.text) in {"by", "par"}), None)
                source = next((grand for grand in by.children if grand.pos_ in {"NOUN", "PROPN"}), None) if by else None
            if source is not None:
                phrase_start, phrase_end = _phrase(source)
                speaker = _Speaker(self._text[phrase_start:phrase_end], phrase_start, phrase_end,
                                   source.pos_ == "PRON", source.i)
            else:
                speaker = _Speaker(_UNNAMED, -1, -1)
            return speaker, stance, token.text, token.idx
        return None

    def _author(self, doc: Doc, speaker: _Speaker) -> _Speaker | None:
        """"Her own research indicates", "One post from her blog shows", "d'après le récit qu'elle
        livre au Monde": a work whose author is given by a possessive or by the subject of a
        relative clause on it; the author speaks."""
        span = doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        head = span.root
        works = [head, *(grand for child in head.children if child.dep_ in {"prep", "nmod"} and child.i > head.i
                         for grand in [child, *child.children] if grand.pos_ == "NOUN")]
        for work in works:
            if fold(work.text) not in self.lexicon.works and fold(work.lemma_) not in self.lexicon.works:
                continue
            for child in work.children:
                author = None
                if child.dep_ in {"poss", "nmod:poss"} or (child.dep_ == "det" and "Yes" in child.morph.get("Poss")):
                    author = child
                elif child.dep_ in _RELATIVE_DEPS:
                    author = next((c for c in child.children if c.dep_ in _SUBJECT_DEPS
                                   and c.pos_ in {"PRON", "PROPN"} and "Rel" not in c.morph.get("PronType")), None)
                if author is None or fold(author.text) in _GROUP_POSSESSIVES:
                    continue
                if author.pos_ == "PRON" or fold(author.text) in _POSSESSIVE_WORDS:
                    return _Speaker(author.text, author.idx, author.idx + len(author.text), True, author.i)
                start, end = _phrase(author)
                return _Speaker(self._text[start:end], start, end, False, author.i)
        return None

    @staticmethod
    def _definite_noun(doc: Doc, speaker: _Speaker) -> tuple[Token, Span] | None:
        """The head and span of a speaker phrase that opens with a definite article and is headed
        by a common noun ("the release", "la professionnelle"); the parse's head, else the
        phrase's root ("according to the release")."""
        phrase = words(speaker.text)
        span = doc.char_span(speaker.start, speaker.end, alignment_mode="expand") if speaker.start >= 0 else None
        if not phrase or fold(phrase[0][0]) not in _DEFINITE_ARTICLES or span is None or not len(span):
            return None
        head = doc[speaker.head] if speaker.head is not None else span.root
        return (head, span) if head.pos_ == "NOUN" else None

    def _same_noun(self, doc: Doc, previous: list[ClaimDraft], speaker: _Speaker) -> str | None:
        """"The release said" after "according to a Defense Department news release", "the
        spokesman added" after "a Pentagon spokesman said": a definite description whose noun
        heads an earlier speaker's phrase is that speaker again, however far back."""
        found = self._definite_noun(doc, speaker)
        if found is None or any(token.pos_ == "PROPN" for token in found[1]):
            return None  # "le porte-parole du président, Berik Uali": someone named
        head, span = found
        # "le porte-parole du président" is not "le porte-parole du Kremlin": every other word agrees.
        others = {fold(token.text) for token in span if token.i != head.i and token.is_alpha
                  and fold(token.text) not in _DEFINITE_ARTICLES and token.pos_ not in {"ADP", "DET"}}
        for draft in reversed(previous):
            if draft.speaker_entity is None or not draft.speaker:
                continue
            earlier = {fold(word) for word, _, _ in words(draft.speaker)}
            if draft.speaker_head is not None:
                earlier.add(fold(doc[draft.speaker_head].lemma_))
            if (fold(head.text) in earlier or fold(head.lemma_) in earlier) and others <= earlier:
                return draft.speaker_entity
        return None

    def _located_source(self, doc: Doc, verb: Token, links: list[Link]) -> _Speaker | None:
        """The place an impersonal "on" speaks from, when it is a watched organisation or the
        people of a watched entity ("à l'Élysée", "au ministère de l'Intérieur", "dans
        l'entourage d'Emmanuel Macron", "chez TotalEnergies"). Not "à Paris": a place is where
        one speaks, not who."""
        if not self.lexicon.source_places:
            return None
        for child in verb.children:
            source = child
            if child.dep_.startswith("obl") and fold(child.text) in self.lexicon.source_sides:
                # "Du côté de Strava, on assure…": the side's complement speaks.
                source = next((grand for grand in child.children if grand.dep_ == "nmod"), child)
            elif not child.dep_.startswith("obl") or not any(
                    grand.dep_ == "case" and fold(grand.text) in self.lexicon.source_places
                    for grand in child.children):
                continue
            phrase_start, phrase_end = _phrase(source)
            candidate = _Speaker(self._text[phrase_start:phrase_end], phrase_start, phrase_end, False, source.i)
            entity = self._speaker_entity(doc, links, candidate)
            if entity is not None and self.entity_types.get(entity) is not EntityType.place:
                return candidate
        return None

    def _delivered_by(self, doc: Doc, speaker: _Speaker, links: list[Link]) -> str | None:
        """"The statement said" after "Apple released a statement": a definite work or paper is
        the one a watched entity was last said to deliver, in the sentences just before ("Apple
        issued a statement. Investors were not reassured. The statement said…")."""
        found = self._definite_noun(doc, speaker)
        if found is None:
            return None
        noun = fold(found[0].lemma_)
        if noun not in self.lexicon.works and noun not in self.lexicon.documents:
            return None
        first = found[0].sent.start
        for _ in range(_DELIVERED_SENTENCES):  # this sentence and the few before
            first = doc[max(0, first - 1)].sent.start
        for token in reversed(doc[first:found[1].start]):
            if noun not in {fold(token.lemma_), fold(token.text)}:
                continue
            if token.pos_ == "VERB" and fold(token.lemma_) in self.lexicon.delivery_verbs:
                return _entity_at(links, self._subject(token))  # "Trump posted on Monday… The post said"
            # The object, or a word of it ("publié un communiqué lundi" parsed as an adjective
            # of "lundi").
            object_ = token if token.dep_ in {"dobj", "obj"} else token.head
            if object_.dep_ not in {"dobj", "obj"} or fold(object_.head.lemma_) not in self.lexicon.delivery_verbs:
                continue
            return _entity_at(links, self._subject(object_.head))
        return None

    def _representative(self, token: Token) -> bool:
        """Someone or something that speaks for an organisation ("spokesperson", "statement"), not
        the title of one person ("chief executive")."""
        listed = self.lexicon.representatives
        return (fold(token.lemma_) in listed or fold(token.text) in listed) and not person_title(token, self.lexicon)

    def _possessor(
        self, doc: Doc, previous: list[ClaimDraft], links: list[Link], start: int, speaker: _Speaker,
    ) -> str | None:
        """"His campaign said", "its spokesperson said", "son entourage assure": a representative
        speaks for whoever the possessive stands for, as "Trump's campaign" does for Trump."""
        if speaker.head is None or speaker.start < 0:
            return None
        head = doc[speaker.head]
        if not self._representative(head):
            return None
        possessive = next((child for child in head.children if child.dep_ == "poss" and child.pos_ == "PRON"), None)
        if possessive is not None and fold(possessive.text) in _NEUTER_POSSESSIVES:
            return self._neuter_antecedent(doc, previous, links, start, None)
        if possessive is not None and fold(possessive.text) in _POSSESSIVE_WORDS:
            return self._antecedent(doc, previous, links, start, possessive.text, possessive.i)[0]
        determiner = next((child for child in head.children if child.dep_ == "det" and "Yes" in child.morph.get("Poss")
                           and fold(child.text) in _POSSESSIVE_WORDS), None)
        if determiner is not None:
            # "son porte-parole", "son entourage": French shows no gender of the possessor, so
            # only the watched subject of the sentence before is taken ("Emmanuel Macron s'est
            # rendu à Berlin. … a déclaré son porte-parole").
            return _previous_subject(doc, head, links)
        return None

    def _organisation_after_its_clause(self, doc: Doc, speaker: _Speaker, links: list[Link]) -> str | None:
        """"Apple will cut prices, the company said", "Apple va supprimer 500 emplois, annonce le
        groupe": a noun for organisations speaking after the reported clause, past a comma, is
        the watched organisation that is the clause's subject, and so is what speaks for that
        noun ("…, according to a company statement"). Coreference leaves it alone,
        because the name is in the same sentence, where "Apple bought the company" means
        another one."""
        if speaker.start < 0:
            return None
        if speaker.head is not None:
            head = doc[speaker.head]
        elif (span := doc.char_span(speaker.start, speaker.end, alignment_mode="expand")) is not None:
            head = span.root  # the phrase after "according to", "selon"
        else:
            return None
        role = self.lexicon.roles.get(fold(head.text))
        if role is None and fold(head.text) in self.lexicon.representatives:
            # "…, according to a company statement", "a statement from the company", "selon un
            # communiqué de l'entreprise": what speaks for the organisation noun speaks for it.
            owner = next((token for token in head.subtree if token.i != head.i and token.pos_ == "NOUN"
                          and token.head.i in {head.i, *(child.i for child in head.children)}
                          and (found := self.lexicon.roles.get(fold(token.text))) is not None
                          and found[1] is EntityType.organization), None)
            role = self.lexicon.roles.get(fold(owner.text)) if owner is not None else None
        if role is None or role[1] is not EntityType.organization:
            return None
        comma = next((token for token in reversed(doc[head.sent.start:head.i]) if token.text == ","), None)
        if comma is None:
            return None
        subject = next((token for token in doc[head.sent.start:comma.i] if token.dep_ in _SUBJECT_DEPS
                        and token.head.i < comma.i), None)
        entity = _entity_at(links, subject)
        if entity is None or self.entity_types.get(entity) is not EntityType.organization \
                or not self.entities[entity].admits(role[0]):
            return None  # "Apple will cut prices, the regulator said": not Apple, if the watchlist says it is a company
        return entity

    def _organisation_of_the_main_clause(self, doc: Doc, speaker: _Speaker, links: list[Link]) -> str | None:
        """"Tesla shares rose after the company said…", "Shares of Boeing fell as the planemaker
        warned…": a definite noun for organisations speaking in a clause of time or cause is
        the one watched organisation that the main clause's subject is or belongs to.
        Coreference leaves it alone, because the name is in the same sentence."""
        if speaker.head is None or speaker.start < 0:
            return None
        head = doc[speaker.head]
        role = self.lexicon.roles.get(fold(head.text))
        if role is None or role[1] is not EntityType.organization or head.dep_ not in _SUBJECT_DEPS \
                or head.head.dep_ != "advcl" \
                or not any(child.dep_ == "det" and "Def" in child.morph.get("Definite") for child in head.children):
            return None
        subject = next((child for child in head.head.head.children if child.dep_ in _SUBJECT_DEPS), None)
        if subject is None:
            return None
        owners = [subject, *(child for child in subject.children if child.dep_ in _OWNER_DEPS),
                  *(grandchild for child in subject.children if child.dep_ in {"prep", "nmod"}
                    for grandchild in (child, *child.children) if grandchild.dep_ in {"pobj", "nmod"})]
        found = {entity for token in owners if (entity := _entity_at(links, token)) is not None}
        if len(found) != 1:
            return None
        entity = found.pop()
        if self.entity_types.get(entity) is not EntityType.organization or not self.entities[entity].admits(role[0]):
            return None
        return entity

    def _apposed_person(self, speaker: _Speaker, links: list[Link]) -> Link | None:
        """"Selon le patron de Tesla, Elon Musk, l'usine…", "…, a assuré le milliardaire, Elon
        Musk, lors d'un entretien", "According to Tesla's chief executive, Elon Musk, …": a
        person's role, then a watched person's name closed by a comma, is that person. The
        phrase after "selon" and the inverted subject stop at the first comma."""
        if speaker.start < 0:
            return None
        phrase = " " + " ".join(fold(word) for word, _, _ in words(speaker.text)) + " "
        if not any(f" {noun} " in phrase for noun in self.lexicon.person_roles):
            return None
        opening = re.match(r"\s*,\s*", self._text[speaker.end:speaker.end + 5])
        if opening is None:
            return None
        at = speaker.end + opening.end()
        name = next((link for link in links if link.start == at
                     and self.entity_types.get(link.entity_id) is EntityType.person), None)
        closing = re.match(r"\s*,\s*(\w+)", self._text[name.end:name.end + 40]) if name is not None else None
        if closing is None or fold(closing.group(1)) in self.lexicon.relatives:
            return None  # "According to the minister, Elon Musk, who bought Twitter, lied": the subject
        return name

    def _bare_spokesperson(self, doc: Doc, speaker: _Speaker, links: list[Link]) -> str | None:
        """"Apple cut prices in China. A spokesperson said…", "Un porte-parole a indiqué…": news
        leaves out whose spokesperson it is when a sentence just before has named them, so a
        spokesperson with no complement, owner or name speaks for the watched subject of the
        nearest of the last few sentences whose subject is a name ("Apple cut prices. Shares
        fell. A spokesperson said…"); not when that name is someone else's."""
        if speaker.head is None or speaker.start < 0:
            return None
        head = doc[speaker.head]
        role = self.lexicon.roles.get(fold(head.text))
        management = fold(head.text) in self.lexicon.managements
        if (not management and (role is None or role[0] != "spokesperson")) or any(
                child.dep_ not in {"det", "punct"} for child in head.children):
            return None
        entity = self._only_one_named_before(doc, head, links) \
            or _previous_subject(doc, head, links, _SPOKESPERSON_SENTENCES, self.lexicon.roles)
        # "Samsung followed", "The union cut its fees": someone else's spokesperson. A management
        # is an organisation's, never a person's.
        if management and (entity is None or self.entity_types.get(entity) is not EntityType.organization):
            return None
        return entity

    def _only_one_named_before(self, doc: Doc, head: Token, links: list[Link]) -> str | None:
        """"Viewers complained to the BBC. A spokeswoman said…": when the sentence just before has
        no one for its subject ("Viewers", "Shares of Boeing") and names one watched person or
        organisation and nothing else that has spokespeople, the spokesperson is theirs."""
        if head.sent.start == 0:
            return None
        before = doc[head.sent.start - 1].sent
        subject = _root_subject(before)
        if subject is None or _names_someone(subject, self.lexicon.roles) or _entity_at(links, subject) is not None:
            return None
        inside = [link for link in links if before.start_char <= link.start < before.end_char]
        named = {link.entity_id for link in inside}
        others = [ent for ent in before.ents if ent.label_ in _SPOKEN_FOR_LABELS
                  and not any(link.start < ent.end_char and ent.start_char < link.end for link in inside)]
        if len(named) != 1 or others:
            return None
        entity = named.pop()
        return entity if self.entity_types.get(entity) in {EntityType.person, EntityType.organization} else None

    def _person_just_named(self, doc: Doc, speaker: _Speaker, links: list[Link]) -> str | None:
        """"la professionnelle rappelle…", "the prisoner told…": a definite noun no lexicon lists,
        speaking right after one person was named, with no one else named in between, is that
        person. Organisations, documents and works have their own rules."""
        found = self._definite_noun(doc, speaker) if speaker.head is not None else None
        if found is None:
            return None
        head, noun = found[0], fold(found[0].text)
        listed = (self.lexicon.roles, self.lexicon.documents, self.lexicon.works, self.lexicon.representatives,
                  self.lexicon.organisation_heads)
        # "the prisoner", "the former actress": the noun, with at most one adjective before it.
        modifiers = [token for token in found[1] if token.i != head.i and fold(token.text) not in _DEFINITE_ARTICLES]
        if len(modifiers) > 1 or any(token.pos_ != "ADJ" or not token.is_lower or token.i > head.i
                                     for token in modifiers) or "Plur" in head.morph.get("Number") \
                or any(noun in words_ for words_ in listed) or noun.endswith(self.lexicon.collective_suffixes):
            return None
        people = [(link.start, link.entity_id) for link in links
                  if self.entity_types.get(link.entity_id) is EntityType.person and link.end <= speaker.start]
        people += [(ent.start_char, None) for ent in doc.ents if ent.label_ in {"PER", "PERSON"}
                   and ent.end_char <= speaker.start
                   and not any(link.start < ent.end_char and ent.start_char < link.end for link in links)]
        if not people:
            return None
        at, entity = max(people, key=lambda person: person[0])
        return entity if speaker.start - at <= _JUST_NAMED else None

    def _document_owner(self, speaker: _Speaker, links: list[Link], start: int) -> str | None:
        """"According to the presentation", "the documents obtained under the Access to Information
        Act": a definite document whose owner is not named is a paper of the organisation the
        passage is about, the one named most often in the last paragraphs."""
        speaker_words = [fold(word) for word, _, _ in words(speaker.text)]
        if len(speaker_words) < 2 or speaker_words[0] not in self.lexicon.determiners \
                or speaker_words[1] not in self.lexicon.documents:
            return None
        counts: dict[str, int] = defaultdict(int)
        for link in links:
            if start - _DOCUMENT_WINDOW <= link.start < start \
                    and self.entity_types.get(link.entity_id) is EntityType.organization:
                counts[link.entity_id] += 1
        return max(counts, key=lambda entity: counts[entity]) if counts else None

    def _impersonal_control(self, verb: Token) -> bool:
        """The infinitive depends on an impersonal construction ("il faut noter", "force est de
        constater", "it is important to note", "ce qui permet de dire"): the writer argues."""
        if re.search(r"\bforce est d[e'’]\s*$", fold(self._text[max(0, verb.idx - 20):verb.idx])):
            return True
        head = verb.head
        subject = self._subject(head) if head.i != verb.i else None
        if fold(head.lemma_) in _IMPERSONAL or (subject is not None and subject.dep_.startswith("expl")):
            return True
        return subject is not None and fold(subject.text) in {"ce", "c'", "c’", "cela", "ca", "it", "qui", "force"}

    def _anonymous(self, doc: Doc, speaker: _Speaker) -> bool:
        """A speaker known only by closeness to someone: anonymous sourcing, so an allegation.
        A named person ("Bushnell's friend Levi Pierpont") is not anonymous."""
        if speaker.pronoun or speaker.head is None:
            return False
        head = doc[speaker.head]
        named = any(child.pos_ == "PROPN" and child.dep_ in {"appos", "flat", "flat:name"} for child in head.children)
        return head.pos_ != "PROPN" and fold(head.text) in self.lexicon.anonymous and not named

    def _agentless(
        self, folded: Folded, text: str, start: int, quotes: list[tuple[int, int]]
    ) -> tuple[int, str] | None:
        """(document offset, cue) of a passive reportative construction outside quotations whose
        clause names no agent ("is said to", "est soupçonné de", but not "accusé … par X")."""
        for pattern in self.lexicon.agentless:
            for match in pattern.finditer(folded.text):
                at = start + folded.source_span(*match.span())[0]
                if any(qs <= at < qe for qs, qe in quotes):
                    continue
                clause = re.split(r"[.;:!?«»“”]", folded.text[match.end():], maxsplit=1)[0]
                if re.search(r"\b(by|par)\s", clause):
                    continue
                cue_start, cue_end = folded.source_span(*match.span())
                return at, text[cue_start:cue_end]
        return None

    def _setting(self, text: str, link: Link) -> bool:
        """A place named as where something happens ("Reçue à l'Elysée", "speaking in Gaza")
        is the setting, not what the claim is about."""
        if self.entity_types.get(link.entity_id) is not EntityType.place:
            return False
        before = words(fold(text[max(0, link.start - 12):link.start]))
        return bool(before) and before[-1][0] in self.lexicon.locatives

    def _background(self, tokens: list[Token]) -> list[tuple[int, int]]:
        """Spans of the unit that are not what the speaker said: the question put to them
        ("Asked whether he would accept gifts from Lord Alli, he said…")."""
        spans = []
        if tokens and fold(tokens[0].text) in self.lexicon.question_openers:
            comma = next((t for t in tokens if t.text == ","), None)
            if comma is not None:
                spans.append((tokens[0].idx, comma.idx))
        # "Ismaël Emelien, conseiller spécial d'Emmanuel Macron, devrait…": an apposition that
        # says whose someone is describes them; the name in it is not what is said.
        for at, comma in enumerate(tokens[1:-1], start=1):
            before = tokens[at - 1]
            if comma.text != "," or not (before.is_alpha and before.text[:1].isupper()):
                continue
            closing = next((t for t in tokens[at + 1:at + 14] if t.text in {",", ".", ";", ":"}), None)
            if closing is None or closing.text != ",":
                continue
            opening = [fold(t.text) for t in tokens[at + 1:at + 5] if t.i < closing.i]
            if any(word in self.lexicon.person_roles or (
                    word in self.lexicon.speaker_nouns and word not in self.lexicon.roles) for word in opening):
                spans.append((comma.idx, closing.idx))
        return spans

    def _speaker_of(self, subject: Token, verb: Token | None = None) -> _Speaker:
        """The speaker phrase a subject heads, within its line and before its verb when the parse
        hung the verb from the subject ("Emmanuel Macron juge que…", "juge" read as a noun); a
        pronoun ("he", "-il") is taken up later from its antecedent."""
        phrase_start, phrase_end = _within_line(self._text, *_phrase(subject), subject.idx)
        if verb is not None and subject.idx < verb.idx < phrase_end:
            phrase_end = len(self._text[:verb.idx].rstrip())
        elif verb is not None and phrase_start <= verb.idx < subject.idx:
            # "ce que dément Emmanuel Macron", the relative hung from the name: the name only.
            gap = self._text[verb.idx + len(verb.text):subject.idx]
            phrase_start = subject.idx - len(gap.lstrip())
        return _Speaker(self._text[phrase_start:phrase_end], phrase_start, phrase_end,
                        subject.pos_ == "PRON" or fold(subject.text.lstrip("-")) in self.lexicon.pronouns, subject.i)

    def _clause_subject(self, doc: Doc, at: int, quotes: list[tuple[int, int]]) -> _Speaker | None:
        if any(qs <= at < qe for qs, qe in quotes):
            return None
        token = _token_from(doc, at)
        seen = 0
        while token is not None and seen < 12:
            subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS), None)
            if subject is None and seen == 0 and token.pos_ == "NOUN":
                # "Royal expert tears into Meghan Markle": a headline's verb tagged as a plural
                # noun, its subject as a modifier of it.
                subject = next((c for c in token.children if c.dep_ == "compound" and c.i == token.i - 1), None)
            if subject is not None:
                return self._speaker_of(subject)
            if token.head.i == token.i:
                return None
            token, seen = token.head, seen + 1
        return None

    @staticmethod
    def _qualifies_another_name(doc: Doc, link: Link, inside: list[Link]) -> bool:
        """The name only qualifies another, not watched, that the phrase names after it: "US" in
        "analysts at US investment banking giant Goldman Sachs". Not "a Defense Department
        release", whose noun speaks for the department."""
        span = doc.char_span(link.start, link.end, alignment_mode="expand")
        if span is None or not len(span) or span[-1].dep_ != "compound":
            return False
        head = span[-1].head
        while head.dep_ == "compound" and head.head.i > head.i:
            head = head.head
        return head.i > span[-1].i and head.pos_ == "PROPN" and not any(
            other.start <= head.idx < other.end for other in inside)

    def _speaker_entity(self, doc: Doc, links: list[Link], speaker: _Speaker) -> str | None:
        """The watched entity that speaks: the one named by the head of the speaker phrase or by
        its apposition ("le porte-parole du Kremlin, Dmitri Peskov" is Peskov), or the
        organisation a representative speaks for ("un porte-parole du Pentagone", "TNO's
        report"). A named person who is not watched speaks for themselves, even for a watched
        organisation ("Reuters Editor-in-Chief Alessandra Galloni"), and so does anyone else
        the head names ("Sandra Lindsay's sister")."""
        inside = [link for link in links if speaker.start <= link.start and link.end <= speaker.end]
        if not inside and speaker.head is None:
            return None
        if speaker.head is None:
            # "selon X", "according to X": the first words decide.
            words_ = words(self._text[speaker.start:speaker.end])
            content = [w for w, _, _ in words_ if fold(w) not in self.lexicon.determiners
                       and fold(w) not in _INDEFINITES and fold(w) not in {"l", "d"}]  # elided "l'Élysée"
            first_link = min(inside, key=lambda link: link.start)
            if self._qualifies_another_name(doc, first_link, inside):
                return None  # "analysts at US investment banking giant Goldman Sachs"
            # "selon le dernier rapport du Forum économique mondial", "analysts at Goldman Sachs":
            # a representative before the first name speaks for it.
            # Hyphenated words whole: "selon le porte-parole du Kremlin".
            before_link = re.findall(r"\w+(?:-\w+)*", fold(self._text[speaker.start:first_link.start]))
            if any(word in self.lexicon.representatives for word in before_link[:4]):
                return first_link.entity_id
            if content and first_link.start <= speaker.start + self._text[speaker.start:speaker.end].find(content[0]):
                return first_link.entity_id
            return None
        head = doc[speaker.head]
        # A name the parse cut in two ("L'AG Éducation | Île-de-France inter-degrés considère"):
        # a link that covers the head counts even when it starts before the phrase.
        around = [link for link in links if link.start < speaker.end and speaker.start < link.end]

        def covering(token: Token) -> str | None:
            found = [link for link in around if link.start <= token.idx < link.end]
            found.sort(key=lambda link: self.entity_types.get(link.entity_id) is not EntityType.person)
            return found[0].entity_id if found else None

        if (entity := covering(head)) is not None:
            return entity
        if len(head.text.rstrip(".")) <= 3 and head.text[:1].isupper() and head.i + 1 < len(doc):
            # "Mme Le Pen a affirmé": a courtesy title the parse took for the subject, the name
            # after it cut off ("Le" read as an article).
            after = head.idx + len(head.text)
            following = next((link for link in links if after < link.start <= after + 2
                              and not self._text[after:link.start].strip()
                              and self.entity_types.get(link.entity_id) is EntityType.person), None)
            if following is not None:
                return following.entity_id
        if head.pos_ == "PROPN":
            # A name: the watched one only if the whole name is it ("Sir Keir Starmer"), or an
            # organisation's name with a legal form or a unit after it ("Microsoft Corp"), which
            # is never a person's name.
            parts = [child for child in head.children if child.dep_ in {"flat", "flat:name"}]
            if head.ent_type_ not in {"PERSON", "PER"}:
                parts += [child for child in head.children if child.dep_ == "compound" and (entity := covering(child))
                          and self.entity_types.get(entity) is EntityType.organization]
            named_part = next((entity for part in parts if (entity := covering(part)) is not None), None)
            if named_part is None:
                # "Chief Executive Officer (Acting) of the Authority, Gary Scott": a title the
                # tagger took for a name, with the person in apposition (to it or, as parsed, to
                # its complement).
                named_part = next((entity for child in head.subtree if child.dep_ == "appos"
                                   and (entity := covering(child)) is not None
                                   and self.entity_types.get(entity) is EntityType.person), None)
            if named_part is not None or fold(head.text) not in self.lexicon.roles:
                return named_part
            # "the company's CEO, Abdulaziz Jaafar": a title the tagger took for a name.
        role = self.lexicon.roles.get(fold(head.text))
        if fold(head.text) in self.lexicon.organisation_heads or (role and role[1] is EntityType.organization):
            # "The independent Sage group of science advisers", "the Wagner group": an
            # organisation's name before a generic noun for organisations is the organisation.
            named = [entity for child in head.children if child.dep_ in {"compound", "amod", "nmod"}
                     and child.i < head.i and (entity := covering(child)) is not None
                     and self.entity_types.get(entity) is EntityType.organization]
            if named:
                return named[-1]
        appositions = [
            child for child in head.children
            if child.dep_ == "appos"
            or (child.dep_ == "conj" and not any(c.dep_ == "cc" for c in child.children))
            or (child.pos_ == "PROPN" and child.i > head.i and not any(c.dep_ == "case" for c in child.children))
        ]
        for token in appositions:
            if (entity := covering(token)) is not None:
                return entity
        if any(token.ent_type_ in {"PERSON", "PER"} for token in appositions):
            return None  # "the Kremlin's spokesman, Dmitry Peskov": a named person speaks for themselves
        representative = self._representative(head)
        if inside and representative:
            organisations = [link for link in inside if self.entity_types.get(link.entity_id) is not EntityType.person]
            return (organisations or inside)[0].entity_id
        if representative:
            # "Trust members", "Board officials": the last word of a watched organisation's name
            # the article gave before ("Citizens' Independent Transportation Trust").
            for child in head.children:
                if child.dep_ in {"compound", "nmod"} and child.i < head.i and child.pos_ in {"NOUN", "PROPN"}:
                    named = [link.entity_id for link in links if link.end <= speaker.start
                             and self.entity_types.get(link.entity_id) is EntityType.organization
                             and fold(link.surface.split()[-1]) == fold(child.text)]
                    if named:
                        return named[-1]
            # "a company spokesperson", "a ministry statement": the organisation is the one of
            # that kind named last, within the last few hundred characters.
            # "A military spokesperson" speaks only for an organisation whose name says it is one.
            # Not one whose name says it is of another kind ("a company spokesperson" after Boeing
            # and the Federal Aviation Administration), and one whose name says it is of that kind
            # first ("an agency spokesperson").
            kinds = [(kind[0], fold(child.text)) for child in head.children
                     if child.dep_ in {"compound", "amod", "nmod"} and child.i < head.i
                     and (kind := self.lexicon.roles.get(fold(child.text))) is not None
                     and kind[1] is EntityType.organization]
            if kinds:
                recent = [link for link in links if link.end <= speaker.start and speaker.start - link.end < 600
                          and self.entity_types.get(link.entity_id) is EntityType.organization
                          and all(self.lexicon.is_kind(kind, self.entities[link.entity_id])
                                  and not other_kind(self.entities[link.entity_id], kind, noun, self.lexicon)
                                  for kind, noun in kinds)]
                recent = [link for link in recent if all(
                    of_kind(self.entities[link.entity_id], kind, noun, self.lexicon) for kind, noun in kinds)] or recent
                return recent[-1].entity_id if recent else None
        return None

    def _neuter_antecedent(
        self, doc: Doc, previous: list[ClaimDraft], links: list[Link], start: int, pronoun: int | None,
    ) -> str | None:
        """"It said": the subject of the sentence before when that is a thing ("Article 5 is one
        of Nato's core principles. It says…" is the article, not Nato), else the previous
        speaker when it was an organisation, else the last organisation named in the
        paragraph; never a person."""
        if pronoun is not None and 0 < pronoun < len(doc) and doc[pronoun].sent.start > 0:
            before = doc[doc[pronoun].sent.start - 1].sent
            subject = _root_subject(before)
            if subject is not None and subject.pos_ in {"NOUN", "PROPN"} \
                    and "\n" not in self._text[before.start_char:doc[pronoun].idx].strip():
                entity = _entity_at(links, subject)
                if entity is None:
                    return None
                if self.entity_types.get(entity) is EntityType.organization:
                    return entity
        if previous and start - previous[-1].end < 600 and previous[-1].speaker_entity \
                and self.entity_types.get(previous[-1].speaker_entity) is not EntityType.person:
            return previous[-1].speaker_entity
        things = [link for link in links if link.end <= start and start - link.end < 400
                  and self.entity_types.get(link.entity_id) is EntityType.organization]
        return things[-1].entity_id if things else None

    def _antecedent(
        self, doc: Doc, previous: list[ClaimDraft], links: list[Link], start: int, pronoun: str = "",
        pronoun_head: int | None = None,
    ) -> tuple[str | None, str | None]:
        """A pronoun speaker (entity, name): the last person named since the previous claim, else
        the previous claim's speaker, else the last person named. Names that are not watched
        count too (NER), so "he said" after "Abu Anas Al Saud told …" is not a watched person."""
        kinds = {EntityType.person}
        if fold(pronoun) in self.lexicon.shared_pronouns:
            kinds.add(EntityType.organization)  # "Elle appelle à…" after "L'AG … organise…"
        people = self._named_between(links, -1, start, kinds)
        pronoun_token = doc[pronoun_head] if pronoun_head is not None and 0 <= pronoun_head < len(doc) else None

        def agrees(at: int | None, entity: str | None = None, name: str = "", name_start: int | None = None) -> bool:
            """Number and gender, when both sides show them ("Elle" is not "De nombreux médias",
            "she said" not John Kirby, whose given name says he is a man)."""
            if pronoun_token is None or at is None or not 0 <= at < len(doc):
                return True
            if entity is not None:
                shown = self._genders.get(entity, set())
                gender = next(iter(shown)) if len(shown) == 1 else ""
            else:  # someone not watched: "John Kirby" by his given name, "Mme Martin" by her title
                gender = name_gender(name) or titled_gender(
                    self._text, doc[at].idx if name_start is None else name_start, self.lexicon, name)
            return _agree(pronoun_token, doc[at], gender)

        def person_agrees(person: tuple[int, str | None, str]) -> bool:
            at, entity, name = person
            return agrees(_token_at(doc, at), entity, name, at)

        if pronoun_token is not None and not _parenthetical(pronoun_token):
            # "a royal expert who countered her claims", "threats by the education secretary, Gavin
            # Williamson, … because of what he called": a pronoun inside a clause of a sentence
            # that names one person before it takes that person up. The subject of the main
            # clause only takes up the subject of a clause before it ("Si le spécialiste reste
            # convaincu…, il préconise"), not a name it mentions ("Asked about Trump, she said").
            # Names in what is said are not who says it ("“Joe Biden is a disaster,” he wrote"),
            # nor is the subject of the words a parenthetical attributes ("Biden, he said, is…").
            main = _main_subject(pronoun_token)
            named = {(entity, surface) for at, entity, surface
                     in self._named_between(links, pronoun_token.sent.start_char, pronoun_token.idx, kinds)
                     if person_agrees((at, entity, surface)) and (not main or _is_subject(doc, at))
                     and not any(qs <= at < qe for qs, qe in self._quotes)}
            if len({entity or fold(surface) for entity, surface in named}) == 1:
                return min(named, key=lambda item: item[0] is None)

        recent = [claim for claim in previous[-3:] if start - claim.end < 600]
        last = recent[-1] if recent else None
        # Centering: the subject of a recent sentence is the likeliest antecedent.
        # A name in a question ("Is Starmer a good leader?") is not who answers it.
        # So is the one a question was put to ("a reporter asked Montoya-Lewis, “…?”"), who answers.
        since = [person for person in people if (last is None or person[0] >= last.end)
                 and (_is_subject(doc, person[0]) or _asked(doc, person[0]))
                 and not _in_question(doc, person[0]) and person_agrees(person)]
        if since and (last is None or start - since[-1][0] < 400):
            # Within that sentence, the subject of the main clause before one of an embedded
            # clause ("But Al Saud is aware of the effect Sinwar may have…").
            sentence = doc.char_span(since[-1][0], since[-1][0] + 1, alignment_mode="expand")
            same = [person for person in since if sentence is not None
                    and sentence[0].sent.start_char <= person[0] < sentence[0].sent.end_char]
            main = [person for person in same if (head := _token_at(doc, person[0])) is not None
                    and _main_subject(doc[head])]
            chosen = (main or same or since)[-1]
            return chosen[1], chosen[2]
        for claim in reversed(recent):
            if (claim.speaker_entity or claim.speaker) and agrees(claim.speaker_head, claim.speaker_entity,
                                                                  claim.speaker) \
                    and (pronoun_token is None or "Sing" not in pronoun_token.morph.get("Number")
                         or self._may_be(claim, doc, kinds)):
                return claim.speaker_entity, claim.speaker
        agreeing = [person for person in people if person_agrees(person)]
        if agreeing:
            # Centering once more: of the last sentence that names someone, its subject ("Elon
            # Musk met Vladimir Putin in 2022, the paper said. He denied it." is Musk).
            last_at = _token_at(doc, agreeing[-1][0])
            sentence = doc[last_at].sent if last_at is not None else None
            subjects = [person for person in agreeing if sentence is not None
                        and sentence.start_char <= person[0] < sentence.end_char and _is_subject(doc, person[0])]
            chosen = (subjects or agreeing)[-1]
            return chosen[1], chosen[2]
        return None, None

    def _may_be(self, claim: ClaimDraft, doc: Doc, kinds: set[EntityType]) -> bool:
        """Whether a claim's speaker can be what a singular pronoun of ``kinds`` stands for: "He
        said" after "…, according to the union" is not the union, which is no one watched ("they"
        may be a company's)."""
        if claim.speaker_entity is not None or not claim.speaker:
            return True  # a watched organisation's words go on in "he added" (its spokesperson's)
        # The phrase's head, or the last word of a phrase after "according to", which has none.
        head = doc[claim.speaker_head].text if claim.speaker_head is not None and 0 <= claim.speaker_head < len(doc) \
            else claim.speaker.split()[-1]
        role = self.lexicon.roles.get(fold(head))
        return role is None or role[1] in kinds

    def _named_between(
        self, links: list[Link], after: int, before: int, kinds: set[EntityType],
    ) -> list[tuple[int, str | None, str]]:
        """(start, entity, name) of the people whose names end after ``after`` and by ``before``,
        in order: watched ones of the given kinds, and names NER found that are not watched."""
        people: list[tuple[int, str | None, str]] = [
            (link.start, link.entity_id, link.surface) for link in links
            if after < link.end <= before and self.entity_types.get(link.entity_id) in kinds
        ]
        people += [(ent_start, None, ent_text) for ent_start, ent_end, ent_text in self._people
                   if after < ent_end <= before
                   and not any(link.start < ent_end and ent_start < link.end for link in links)]
        return sorted(people)


def _titled_person(head: Token) -> Token | None:
    """"warns Pan American Health Organization (PAHO) Director Carissa F. Etienne": an
    organisation's name, its acronym in brackets and a title before a person's name are the
    person's description; the person speaks. The last word of the name, or None."""
    doc, index = head.doc, head.i + 1
    if index < len(doc) and doc[index].text == "(":
        closing = next((j for j in range(index + 1, min(index + 6, len(doc))) if doc[j].text == ")"), None)
        if closing is None:
            return None
        index = closing + 1
    titles = 0
    while index < len(doc) and titles < 3 and doc[index].ent_type_ not in {"PERSON", "PER"} \
            and doc[index].pos_ in {"PROPN", "NOUN"} and doc[index].text[:1].isupper():
        index, titles = index + 1, titles + 1
    if not titles or index >= len(doc) or doc[index].ent_type_ not in {"PERSON", "PER"}:
        return None
    while index + 1 < len(doc) and doc[index + 1].ent_type_ in {"PERSON", "PER"} and doc[index + 1].ent_iob_ == "I":
        index += 1
    return doc[index]


_OWNER_DEPS = {"compound", "poss", "nmod:poss"}
"""What names the owner of a noun ("Tesla shares", "Boeing's stock")."""


def _entity_at(links: list[Link], token: Token | None) -> str | None:
    """The watched entity whose name covers the token."""
    if token is None:
        return None
    return next((link.entity_id for link in links if link.start <= token.idx < link.end), None)


def _root_subject(sentence: Span) -> Token | None:
    """The subject of a sentence's main verb."""
    return next((token for token in sentence.root.children if token.dep_ in _SUBJECT_DEPS), None)


def _previous_subject(doc: Doc, token: Token, links: list[Link], reach: int = 1,
                      nouns: Container[str] = frozenset()) -> str | None:
    """The watched entity that is the subject of the nearest of the ``reach`` sentences before
    ``token``'s whose subject names someone: None when that someone is not watched (a proper name,
    a named entity, or one of ``nouns``)."""
    sentence = token.sent
    for _ in range(reach):
        if sentence.start == 0:
            return None
        sentence = doc[sentence.start - 1].sent
        if not any(word.is_alpha for word in sentence) and sentence.start > 0:
            sentence = doc[sentence.start - 1].sent  # an opening « parsed as a sentence of its own
        subject = _root_subject(sentence)
        if subject is None:
            continue
        if (entity := _entity_at(links, subject)) is not None:
            return entity
        if _names_someone(subject, nouns):
            return None
    return None


def _names_someone(subject: Token, nouns: Container[str]) -> bool:
    """The subject is someone of its own, watched or not: a proper name, a named entity, or one
    of ``nouns`` (role nouns: "The union cut its fees")."""
    return subject.pos_ == "PROPN" or bool(subject.ent_type_) or fold(subject.text) in nouns


def _line_before(text: str, at: int) -> tuple[int, int]:
    """(start, end) of the last non-blank line before ``at``, trailing whitespace left out,
    found without copying the text before it."""
    end = at
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return text.rfind("\n", 0, end) + 1, end


def _bare_infinitive(verb: Token) -> bool:
    """"a indiqué avoir suspendu…", "affirme être…": an infinitive without "to" or "de" is the
    content of a verb of saying (English "agreed to pay" is an intention, not a report). The
    caller also wants no object: "invite les parents à manifester" is a request to someone."""
    forms = [verb, *(child for child in verb.children if child.dep_.startswith("aux"))]
    return any("Inf" in token.morph.get("VerbForm") for token in forms) and not any(
        child.tag_ == "TO" or fold(child.text) in {"to", "de", "d'", "d’", "à"} for child in verb.children)


def _request(verb: Token) -> bool:
    """"asked for details", "asked that the county provide…", "asked the court to…": a request,
    which is a claim, unlike a question ("asked veterans whether…", "ask a question") or a wish
    ("asked not to be named"). The first such word after the verb decides."""
    for token in verb.doc[verb.i + 1:verb.i + 7]:
        word = fold(token.text)
        if word in _THAT or word in {"for", "to"}:
            return True
        if word in _QUESTION_WORDS or token.is_punct or token.pos_ in {"VERB", "AUX"}:
            return False
    return False


def _clitic_incise(verb: Token) -> bool:
    """", souligne-t-elle", ", dit-il": a verb after a comma with its subject pronoun attached."""
    return 0 < verb.i < len(verb.doc) - 1 and verb.nbor(-1).text == "," and verb.nbor(1).text.startswith("-")


def _narrative_infinitive(verb: Token) -> bool:
    """"Et d'ajouter", "Et de conclure": French news goes on with the last speaker's words."""
    return verb.i >= 2 and "Inf" in verb.morph.get("VerbForm") and fold(verb.nbor(-1).text) in {"d'", "d’", "de"} \
        and fold(verb.nbor(-2).text) == "et" and (verb.i == 2 or verb.nbor(-2).is_sent_start
                                                   or verb.nbor(-3).is_punct)


def _reported(extractor: ClaimExtractor, verb: Token) -> bool:
    """The verb sits in the content clause of another reporting verb (nested speech)."""
    token = verb
    while token.head.i != token.i:
        if _adverbial_marker(token) is not None:
            return False  # "after X found that…": a circumstance, not reported content
        if token.dep_ in {"ccomp", "xcomp", "csubj"} and extractor._reporting(token.head) is not None:
            return True
        token = token.head
    return False


def _adverbial_marker(verb: Token) -> Token | None:
    """The subordinator of an adverbial clause ("after", "while", "alors que"), not of a content
    clause ("that", "que", "whether", "si")."""
    for child in verb.children:
        if child.dep_ == "mark" and child.i < verb.i and fold(child.text) not in _CONTENT_MARKERS:
            return child
    return None


def _within_line(text: str, start: int, end: int, head: int) -> tuple[int, int]:
    """A speaker phrase never runs across a line break ("Starmer defiant over gifts\n\nPM
    suggests"): the parse of a headline glued to the next paragraph is cut back to the head's line."""
    line_start = text.rfind("\n", start, head) + 1 or start
    line_end = text.find("\n", head, end)
    return max(start, line_start), end if line_end < 0 else line_end


_NAMING_VERBS = {"call", "dub", "name", "appeler", "surnommer", "baptiser", "nommer"}


def _naming(verb: Token, text: str) -> bool:
    """A verb of naming used to give a name, not to report words: a participle after its noun
    ("routes called “segments”"), "so-called", or a short quoted name right after it ("what it
    calls a “family plan”")."""
    if fold(verb.text) in {"dit", "dite", "dits", "dites"}:
        # "la section dite « 37 »", "des revues dites généralistes": so-called, after a common
        # noun and with no subject or agent of its own (not "La Russie dit avoir abattu…").
        return verb.i > 0 and verb.nbor(-1).pos_ == "NOUN" and not any(
            child.dep_ in _SUBJECT_DEPS for child in verb.children) and not _agents(verb)
    if fold(verb.lemma_) not in _NAMING_VERBS and fold(verb.text) not in {"called", "so-called", "dubbed"}:
        return False
    if verb.dep_ == "acl" and not _agents(verb):
        return True  # not "la manifestation (appelée par de nombreuses organisations)": convened
    if text[max(0, verb.idx - 3):verb.idx].lower().endswith("so-"):
        return True
    after = text[verb.idx + len(verb.text):verb.idx + len(verb.text) + 60]
    name = re.match(r"\s+(?:(?:a|an|the|un|une|le|la|l')\s*)?[«“\"]\s*([^»”\"]{1,40})[»”\"]", after)
    return name is not None and len(name.group(1).split()) <= 3


def _reduced_passive(verb: Token) -> bool:
    """A participle after the noun it tells about, with its agent: "an attack claimed by Islamic
    State", "le tir, confirmé par le Kremlin". The agent says it; the noun is what is said."""
    return verb.dep_ in {"acl", "amod"} and "Part" in verb.morph.get("VerbForm") \
        and verb.head.i < verb.i and bool(_agents(verb))


def _agents(verb: Token) -> list[Token]:
    """The verb's agents: "by X", "par X", as the parse marks them or, as small models often do,
    as a plain oblique with "by"/"par"."""
    return [child for child in verb.children if child.dep_ in _AGENT_DEPS or (child.dep_.startswith("obl") and any(
        grand.dep_ == "case" and fold(grand.text) in {"par", "by"} for grand in child.children))]


def _lone_noun_phrase(verb: Token) -> bool:
    """Only one noun phrase, besides prepositional complements, follows the verb to the end of
    its clause, as after an incise ("…, affirme Emmanuel Macron lundi.", "…, indiquent des
    sources proches du dossier.", "…, a déclaré à cette occasion le ministre"), not an object and
    more ("…, called Biden a failure")."""
    seen_noun = in_complement = complement_noun = False
    for token in verb.doc[verb.i + 1:min(len(verb.doc), verb.i + 12)]:
        if token.is_punct or "\n" in token.text or token.pos_ == "SCONJ" or "Rel" in token.morph.get("PronType"):
            return seen_noun  # the clause ends, or the reported clause or a relative begins
        if token.i == verb.i + 1 and "Inf" in token.morph.get("VerbForm"):
            continue  # "…, croit savoir Le Monde"
        if _time_word(token):
            continue  # "…, a déclaré lundi soir le ministre"
        if token.pos_ == "ADP":
            in_complement, complement_noun = True, False
        elif token.pos_ == "DET":
            if in_complement and complement_noun:
                in_complement = False  # the complement is over: a new noun phrase begins
            elif seen_noun and not in_complement:
                return False  # a second noun phrase
        elif token.pos_ in {"NOUN", "PROPN"} or token.text[:1].isupper():  # "Macron" tagged an adverb
            if in_complement:
                complement_noun = True
            else:
                seen_noun = True
        elif token.pos_ not in {"ADJ", "NUM"}:
            return False
    return False


@cache
def _time_words(language: str) -> frozenset[str]:
    """Weekday names and the parts of the day from CLDR ("mardi", "soir", "morning"): the French
    model tags no dates, and in "a déclaré lundi soir le ministre" neither word speaks."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_day_names

    try:
        locale = Locale.parse(language)
        standalone = locale.day_periods.get("stand-alone", {}).get("wide", {})
        formatted = locale.day_periods.get("format", {}).get("wide", {})
        periods = {*(name for key, name in standalone.items() if key not in {"am", "pm"}),  # "am" is a verb
                   *(formatted.get(key, "") for key in ("noon", "midnight"))}
        names = {*get_day_names("wide", locale=locale).values(), *periods}
    except (UnknownLocaleError, ValueError):  # a language CLDR does not know
        return frozenset()
    return frozenset(fold(name) for name in names if name and " " not in name)


def _time_word(token: Token) -> bool:
    return fold(token.text) in _time_words(token.lang_ or "en")


def _that_after_adjuncts(verb: Token) -> bool:
    """"a indiqué dans un communiqué que…", "a écrit sur X qu'…", "a assuré lors d'une conférence
    de presse que…": a clause opened by "que"/"that" after the prepositional phrases that follow
    the verb, which the parse may hang on their noun as a relative clause. Not a relative clause
    indeed ("dans le livre que Gallimard a publié"), which the model also marks as subordinate: a
    compound past without an object or a complement, the noun before it being its object."""
    seen_preposition = False
    for token in verb.doc[verb.i + 1:verb.i + 1 + _ADJUNCT_REACH]:
        if token.sent != verb.sent:
            return False
        if fold(token.text) in _THAT:
            clause = token.head
            relative = "Part" in clause.morph.get("VerbForm") and not any(
                child.dep_ in {"obj", "dobj", "ccomp", "xcomp", "obl", "obl:arg", "cop", "aux:pass", "auxpass"}
                for child in clause.children)
            return seen_preposition and token.dep_ == "mark" and not relative
        if token.pos_ == "ADP":
            seen_preposition = True
        elif token.pos_ not in {"DET", "ADJ", "NOUN", "PROPN", "NUM", "ADV", "VERB"} or (
                token.pos_ == "VERB" and "Part" not in token.morph.get("VerbForm")):
            return False  # a comma, a conjunction, a finite verb: the phrase has ended
    return False


def _fronted_content(verb: Token) -> bool:
    """"The factory will double output, Musk predicted.": the verb closes the sentence after its
    subject, and a clause with a verb of its own stands before the comma, whatever the parse
    made of it ("output" as a bare dependent)."""
    doc, sentence = verb.doc, verb.sent
    # What follows the verb is punctuation or its own adverbials: "…, Musk predicted on Monday",
    # "…, Elon Musk added, though details were scarce".
    adverbial = {token.i for child in verb.children if child.dep_ in _AFTERTHOUGHT_DEPS and child.i > verb.i
                 for token in child.subtree}
    after = [token for token in doc[verb.i + 1:sentence.end] if not token.is_space]
    if not after or not all(token.is_punct or token.i in adverbial for token in after):
        return False
    subject = next((child for child in verb.children if child.dep_ in _SUBJECT_DEPS and child.i < verb.i), None)
    if subject is None:
        return False
    first = min(token.i for token in subject.subtree)
    if first - 1 <= sentence.start or doc[first - 1].text != ",":
        return False
    return any((token.pos_ in {"VERB", "AUX"} and "Fin" in token.morph.get("VerbForm"))
               or token.dep_ == "aux" for token in doc[sentence.start:first - 1])


def _incise(verb: Token) -> bool:
    """A reporting verb after the reported words, as an aside: "…, souligne-t-elle", "…, a-t-il
    ajouté"; or an aside that opens with "comme", "ainsi que", "ce que" or "as" ("Comme le souligne
    X, …", "…, ce que dément X", "As X explained, …"). What it reports is the rest of the unit."""
    if verb.i + 1 < len(verb.doc) and verb.nbor(1).text.startswith("-"):
        return True
    if _aside_opener(verb) is not None:
        return True
    before = _controller(verb).i - 1
    while before >= 0 and (verb.doc[before].pos_ == "AUX" or verb.doc[before].text.startswith("-")
                           or _reflexive(verb.doc[before])):
        before -= 1  # ", a-t-on précisé", ", s'est exclamé": the auxiliary and the clitics
    return before >= 0 and verb.doc[before].text in {",", "»", "”", '"'}


def _reflexive(token: Token) -> bool:
    """The reflexive clitic of a finite verb ("s'est exclamé", "s'empresse de"), not of a present
    participle: ", se félicitant de…" is a clause of its own, no incise."""
    if fold(token.text) not in {"se", "s'", "s’"} or token.i + 1 >= len(token.doc):
        return False
    verb = token.nbor(1)
    return not ("Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense"))


def _controller(verb: Token) -> Token:
    """The finite verb an infinitive of saying hangs from ("…, a voulu rassurer X", "…, s'est
    empressée de préciser X", "…, tried to explain X"): where an incise's verb group begins."""
    while verb.dep_ == "xcomp" and "Inf" in verb.morph.get("VerbForm") and verb.head.i < verb.i \
            and verb.head.pos_ in {"VERB", "AUX"} \
            and all(token.pos_ in {"ADP", "PART", "SCONJ"} for token in verb.doc[verb.head.i + 1:verb.i]):
        verb = verb.head
    return verb


def _aside_opener(verb: Token) -> Token | None:
    """The word that opens an aside of attribution before the verb: "comme" and "ainsi que" with
    an object pronoun ("comme l'a expliqué X", "ainsi que le souligne X"), the relative "ce que"
    ("…, ce que dément X"), whose subjects French puts after the verb; or "as" marking a verb with
    no object of its own ("As X explained, …")."""
    doc = verb.doc
    mark = next((child for child in verb.children
                 if child.dep_ == "mark" and fold(child.text) == "as" and child.i < verb.i), None)
    if mark is not None and not any(child.dep_ in {"dobj", "obj", "ccomp", "xcomp"} for child in verb.children):
        return mark
    before = verb.i - 1
    while before >= 0 and doc[before].pos_ == "AUX":
        before -= 1
    clitic = before >= 0 and fold(doc[before].text) in {"le", "l'", "l’"}
    anchor = before - 1 if clitic else before
    if anchor < 0:
        return None
    word = fold(doc[anchor].text)
    if clitic and word == "comme":
        return doc[anchor]
    if word in {"que", "qu'", "qu’"} and anchor > 0 and (
            (clitic and fold(doc[anchor - 1].text) == "ainsi") or (not clitic and fold(doc[anchor - 1].text) == "ce")):
        return doc[anchor]
    return None


def _self_reference(text: str, link: Link, speaker: _Speaker | None) -> bool:
    """The speaker named again in its own words, when the speaker phrase did not name it
    ("a company spokesperson said ConocoPhillips is monitoring…"): the claim is about it."""
    if speaker is None or speaker.start < 0:
        return False
    return speaker.pronoun or not any(word[:1].isupper() for word in text[speaker.start:speaker.end].split())


def _token_from(doc: Doc, at: int) -> Token | None:
    """The first token at or after character ``at``: the one that starts there, found through
    the document's character index rather than by walking every token."""
    span = doc.char_span(at, at + 1, alignment_mode="expand")
    if span is not None and len(span) and span[0].idx >= at:
        return span[0]
    return next((token for token in doc if token.idx >= at), None)  # inside a token or a space


def _token_at(doc: Doc, at: int) -> int | None:
    """Index of the head token of the name or description starting at ``at`` (the last word
    of a flat name, the noun of "le spécialiste")."""
    span = doc.char_span(at, at + 1, alignment_mode="expand")
    if span is None or not len(span):
        return None
    token = span[0]
    if token.pos_ == "DET" and token.head.i > token.i:
        token = token.head
    while token.dep_ in {"flat", "flat:name", "compound", "fixed"} and token.head.i != token.i:
        token = token.head
    return token.i


_PRONOUN_FEATURES = {"il": {"Number": "Sing", "Gender": "Masc"}, "elle": {"Number": "Sing", "Gender": "Fem"},
                     "ils": {"Number": "Plur", "Gender": "Masc"}, "elles": {"Number": "Plur", "Gender": "Fem"}}
"""What an inverted French pronoun is, when the tagger took it for something else ("a-t-elle
raconté": "-elle" as a plural determiner)."""


def _agree(pronoun: Token, antecedent: Token, given_gender: str = "") -> bool:
    """``given_gender`` is what the article shows of the antecedent's gender ("Fem", "Masc" or
    "": its given name, a title, agreement). A tagger guesses the gender of a name ("Francisca"
    masculine), so a proper name's own tag is not used; of a noun it knows it."""
    lexical = _PRONOUN_FEATURES.get(fold(pronoun.text.lstrip("-"))) if pronoun.pos_ != "PRON" else None
    for feature in ("Number", "Gender"):
        mine = {lexical[feature]} if lexical else set(pronoun.morph.get(feature))
        if feature == "Gender" and given_gender:
            theirs = {given_gender}
        else:
            theirs = set(antecedent.morph.get(feature)) if feature == "Number" or antecedent.pos_ != "PROPN" else set()
        if mine and theirs and not mine & theirs:
            return False
    return True


def _is_subject(doc: Doc, at: int) -> bool:
    """The name at ``at`` is a subject, or in apposition to one: by the parse, or by opening its
    sentence (small models often miss the subject of a long organisation name: "L'AG Éducation
    IDF organise…")."""
    span = doc.char_span(at, at + 1, alignment_mode="expand")
    if span is None or not len(span):
        return False
    first = span[0]
    opening = all(t.pos_ in {"DET", "PUNCT", "SPACE"} or t.is_space for t in doc[first.sent.start:first.i])
    head = _token_at(doc, at)
    if head is not None and doc[head].dep_ == "appos":
        head = doc[head].head.i  # "the economist Joseph Stiglitz comments": the name is the subject's
    return (head is not None and doc[head].dep_ in _SUBJECT_DEPS) or opening


def _asked(doc: Doc, at: int) -> bool:
    """The name at ``at`` is the one asked: the object of "ask"."""
    head = _token_at(doc, at)
    return head is not None and doc[head].dep_ in {"dobj", "obj"} and fold(doc[head].head.lemma_) in _ASKING


def _parenthetical(pronoun: Token) -> bool:
    """The pronoun is the subject of an attribution set between commas inside what it attributes:
    "Joe Biden, he said, is a disaster"."""
    doc, verb = pronoun.doc, pronoun.head
    first, last = min(verb.i, pronoun.i), max(verb.i, pronoun.i)
    while first > 0 and (doc[first - 1].pos_ == "AUX" or doc[first - 1].text.startswith("-")):
        first -= 1  # ", a-t-il dit,"
    return first > 0 and doc[first - 1].text == "," and last + 1 < len(doc) and doc[last + 1].text == ","


def _main_subject(token: Token) -> bool:
    """The token is the subject of its sentence's main verb."""
    return token.dep_ in _SUBJECT_DEPS and token.head == token.sent.root


def _in_question(doc: Doc, at: int) -> bool:
    span = doc.char_span(at, at + 1, alignment_mode="expand")
    return span is not None and len(span) > 0 and span[0].sent.text.rstrip().endswith("?")


def fingerprint(draft: ClaimDraft, links: list[Link]) -> str:
    """The same claim across outlets and reruns: normalised speaker, stance, about-set and the
    content words of the quotation (or of the sentence), without the names, which outlets spell
    differently."""
    speaker = draft.speaker_entity or " ".join(w for w, _, _ in words(fold(draft.speaker or "")))
    content_source = draft.quote if draft.quote and len(draft.quote) >= 20 else draft.text
    names = {w for link in links if draft.start <= link.start < draft.end for w, _, _ in words(fold(link.surface))}
    content = [w for w, _, _ in words(fold(content_source)) if len(w) > 3 and w not in names][:40]
    return ids.stable_id("fingerprint", speaker, draft.stance.value, ",".join(draft.about), " ".join(content))
