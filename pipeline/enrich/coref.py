"""Descriptions resolved by in-document coreference: "le milliardaire", "the company", "le
président russe", "the Prime Minister".

Nothing here knows who anybody is. The lexicon lists role nouns by kind of role (head of state,
minister, spokesperson, wealthy person, company, country...), and each article teaches which
watched entity holds which role:

1. An apposition states it: "le ministre de la Santé Roman Prymula", "Prime Minister Keir
   Starmer", "le porte-parole du Kremlin, Dmitri Peskov", "Kassym-Jomart Tokaïev, le président
   kazakh". The role is recorded for the entity and the apposition stays one mention.
2. A definite description ("le ministre", "the bank") whose role an entity already holds refers
   to that entity (the most recent one when several hold it).
3. Otherwise it takes up a recently named entity of the right type that holds no other kind of
   role and is not named in the same sentence (a person is rarely described in the clause that
   names them), the most salient first: mentioned most often, then named first in its sentence,
   then most recently. That entity then holds the role for the rest of the article, so "le
   milliardaire" stays the same person and "le président russe" becomes someone else.
   Organisations and places are taken up only from the last few sentences (an organisation
   as a subject also from further back, when it is the only one named there: "the company
   said" paragraphs on), only when a qualifier of place or a complement of the noun is a word
   of their name ("the Israeli military" is not NATO; an adjective of kind, "la compagnie
   aérienne", needs no such word), and
   "the country" only for a country (a CLDR territory). A kind of organisation that names say
   they are ("the military", "l'armée") takes up only one whose name says so ("Israel Defense
   Forces"), and one of a country ("Israel's military") even before the article names it. An
   organisation whose name says what kind it is ("Transportation Trust", "University of
   Sheffield") is never taken up by a noun of another kind ("the department", "the
   government"), only by its own word or a generic one ("the institution").

A description of one gender never takes up someone the article showed to be of the other: by a
given name nearly only women or only men bear (``lexicons/given_names.tsv``), a courtesy title
("Mme Borne", "Mr Lammy"), agreement after "être" ("Camille Dupont a été élue"), or a gendered
description already resolved ("le ministre Gabriel Attal" is not "la ministre"). A description
of a person shows its gender by its noun ("spokeswoman", "présidente") or, where the tagger
marks it, by its determiner and adjectives ("la ministre", "l'ancienne ministre"); that of a
thing says nothing ("la molécule" may be what "le produit" was).

A role noun given by apposition to an organisation that is not watched ("la start-up britannique
Oxford Semantic Technologies") is that organisation's when it comes back ("cette start-up"),
unless a watched one was described with it or named since.

A description next to a name that is not watched ("le milliardaire Daniel Křetínský", "Patrick
Martin, le nouveau président du Medef") is that other person's apposition and links to nothing;
so is a role whose complement names something not watched ("le président du Kazakhstan") until
an apposition has said who holds it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from spacy.tokens import Doc, Span, Token

from pipeline.enrich.entities import Link, territory_names
from pipeline.enrich.lexicon import Lexicon, marker_pattern
from pipeline.enrich.names import name_gender, name_keys
from pipeline.enrich.textnorm import Folded, fold
from pipeline.models import EntityType, MatchMethod, WatchedEntity

_HEADLINE_REACH = 400
"""Characters after a headline within which its role is introduced with a name."""
_PERSON_WINDOW = 2500
"""Characters before a description within which a person referent must have been named."""
_THING_SENTENCES = 2
"""Sentences back within which an organisation, product or place referent must have been named."""
_THING_REACH = 1500
"""Characters back within which the only organisation named is taken up past those sentences."""
_SENTENCE_END = re.compile(r"[.!?…][\"»”’)]*\s+|\n")
_OPENS_SENTENCE = re.compile(r"(?:^|\n|[.!?…:][\"»”’)]*\s+|\s[-–—]\s+|[\"“«‘(]\s*)$")
"""What stands before a word that opens a sentence, a line, a live-blog entry ("8h41 - ") or a quotation."""
_COMPLEMENT = re.compile(r"\s+(?:de la |de l['’]|du |des |de |d['’]|of the |of )\s*([\w-]+)")
_ADJECTIVE = re.compile(r"\s+([a-zà-ÿ][a-zà-ÿ-]{3,})(?=[\s,.;:!?)]|$)")
# Endings of French adjectives of nationality and kind ("russe", "kazakh", "américain", "sud-coréen").
_ADJECTIVE_ENDINGS = ("ais", "aise", "ain", "aine", "ien", "ienne", "ois", "oise", "que", "and", "ande", "ole", "ec",
                      "ote", "en", "enne", "an", "ane", "ique", "usse", "akh", "ide", "ite", "el", "elle", "al",
                      "ale", "aire", "iste")
_SUBORDINATE_ROLES = {"spokesperson"}
"""Roles that speak for someone else: "le porte-parole du Kremlin" is never "le maître du Kremlin"."""
_BESIDE_ROLES = {*_SUBORDINATE_ROLES, "lawyer", "expert", "prosecutor"}
"""Roles held beside the person a story is about: "The lawyer said… Donald Trump appealed" are two
(roles that are not salient, a suspect's among them, never stand for someone not yet named)."""
_PRE_STOP = {
    "en": {"of", "and", "a", "an", "the"},
    "fr": {"de", "d", "et", "un", "une", "des", "les", "plus", "le", "la"},
}
"""Words that end the premodifiers of a role noun, by language: in English "the UN body" has one."""
_POSSESSIVES = {"his", "her", "its", "their", "son", "sa", "leur"}
_COUNTRY_ROLES = {"country"}
_CITY_ROLES = {"city"}
_STATE_BODY_ROLES = {"institution"}
_WHOLE_STATES = {"government", "administration", "regime", "junta", "gouvernement", "junte"}
"""Nouns of the state as a whole: "the Government" is not the GSK or the GOP, as "the Agency" is
the IAEA (folded, all languages)."""
_OWNER = re.compile(r"(?<![\w-])([A-ZÀ-Ý][\w-]+)['’]s\s+$")
_NOMINAL = {"NOUN", "PROPN"}
_MODIFIER_DEPS = {"compound", "amod"}


@dataclass(frozen=True)
class Description:
    start: int
    end: int
    role: str
    """The role class of the lexicon (head, minister, company...)."""
    type: EntityType
    qualifier: str
    """Folded complement, adjective or capitalised premodifier ("kremlin", "russe", "us")."""
    proper_complement: bool
    """The qualifier is a capitalised complement ("du Kazakhstan", "of Health")."""
    determiner: str
    """Folded determiner, empty when there is none."""
    noun_start: int
    noun_end: int
    capitalised_noun: bool
    noun: str
    """The folded role noun ("department", "président")."""
    kind_qualifier: bool = False
    """The qualifier is an adjective of kind ("aérienne", "ferroviaire"), not of place ("russe") and
    not a complement ("de la défense"): it says nothing of which organisation."""
    qualifier_entity: str | None = None
    """The watched entity the qualifier names ("de la BCE", "de la Banque centrale européenne"),
    so that two spellings of one qualifier are one role."""
    bare: bool = False
    """A noun the language makes definite without a determiner ("Police said")."""
    gender: str = ""
    """"Fem" or "Masc" when the description says whether its referent is a woman or a man
    (``_gender``)."""

    def qualifier_keys(self) -> set[str]:
        return {self.qualifier, f"@{self.qualifier_entity}"} if self.qualifier_entity else {self.qualifier}


@cache
def _pattern(lexicon: Lexicon) -> re.Pattern[str] | None:
    if not lexicon.roles:
        return None
    nouns = sorted(lexicon.roles, key=len, reverse=True)
    noun_alternatives = "|".join(re.escape(noun).replace(r"\ ", r"\s+") for noun in nouns)
    determiners = "|".join(re.escape(word) + (r"\s*" if word.endswith("'") else r"\s+")
                           for word in sorted(lexicon.determiners, key=len, reverse=True))
    pre_stop = _PRE_STOP.get(lexicon.language, set().union(*_PRE_STOP.values()))
    stop = "|".join(re.escape(word.rstrip("'")) for word in {*lexicon.determiners, *pre_stop})
    pre = rf"(?:(?!(?:{stop})\s)\w[\w-]*\s+){{0,3}}?"  # "the far-right leader", "the former New York mayor"
    # "the ex-governor", "l'ex-chef de l'État": a former holder is described by the same role.
    return re.compile(
        rf"(?<![\w-])(?:(?P<det>{determiners})(?P<pre>{pre}))?(?:ex-)?(?P<noun>{noun_alternatives})(?![\w-])")


def find_descriptions(text: str, lexicon: Lexicon, folded: Folded | None = None) -> list[Description]:
    """Role nouns with their determiner, premodifiers and qualifier, as character spans.
    ``folded`` is the text already folded, when the caller has it."""
    pattern = _pattern(lexicon)
    if pattern is None:
        return []
    folded = folded or Folded.of(text)
    found = []
    for match in pattern.finditer(folded.text):
        pre_words = (match.group("pre") or "").split()
        noun = re.sub(r"\s+", " ", match.group("noun"))
        role, entity_type = lexicon.roles[noun]
        determiner = fold(match.group("det") or "").strip()
        noun_start, end = folded.source_span(match.start("noun"), match.end("noun"))
        # "Police said": definite as it stands; not "French police", "police in Manchester".
        bare = not determiner and noun in lexicon.bare_definite and not pre_words \
            and not re.match(r"\s+(?:in|at|from|of)\s+[A-Z]", text[end:end + 40])
        if bare:
            determiner = "the"
        noun_end = end
        if pre_words:
            pre_start, _ = folded.source_span(match.start("pre"), match.end("pre"))
            source_pre = text[pre_start:noun_start].split()
            if lexicon.language != "en" and any(part[:1].isupper() for word in source_pre for part in word.split("-")):
                # "le vice-Premier ministre": French adjectives are not capitalised, so this is
                # another title.
                determiner, source_pre = "", []
                start = noun_start
            else:
                start = folded.source_span(match.start(), match.start() + 1)[0]
        else:
            source_pre = []
            start = folded.source_span(match.start(), match.start() + 1)[0] if determiner else noun_start
        qualifier, proper, kind_word = "", False, False
        adjective = _ADJECTIVE.match(text, end)
        if adjective and adjective.group(1).endswith(_ADJECTIVE_ENDINGS) and lexicon.language != "en":
            qualifier, end = fold(adjective.group(1)), adjective.end(1)
            kind_word = not _territorial(qualifier)
        complement = _COMPLEMENT.match(text, end)
        if complement:
            qualifier, end = fold(complement.group(1)), complement.end(1)
            proper, kind_word = complement.group(1)[:1].isupper() or qualifier in lexicon.roles, False
        based = next((word for word in source_pre if word.endswith("-based")), None)
        if not qualifier and based:
            qualifier = fold(based)  # "the New York-based group": where it is, not who
        elif not qualifier and source_pre and source_pre[0][:1].isupper():
            qualifier = fold(source_pre[0])  # "the US President", "the Israeli military"
        owner = _OWNER.search(text, max(0, start - 40), start)
        if not determiner and owner and (role in lexicon.role_names or (
                entity_type is EntityType.person and _territorial(fold(owner.group(1))))):
            # "Israel's military", "Italy's prime minister": the country that owns it is its qualifier.
            determiner, qualifier, start = "'s", fold(owner.group(1)), owner.start()
        # "Police said": capitalised only because it opens the sentence.
        capitalised = _capitalised(text[noun_start:noun_end]) and not (
            bare and re.search(r"(?:^|[.!?:]\s+|\n\s*)$", text[max(0, noun_start - 3):noun_start]))
        found.append(Description(start, end, role, entity_type, qualifier, proper, determiner, noun_start, noun_end,
                                 capitalised, noun, kind_word, bare=bare))
    return _compounds(text, found, head_first=lexicon.language != "en")


def _compounds(text: str, found: list[Description], head_first: bool) -> list[Description]:
    """"The Republican governor", "the military government": a role noun right before another
    is its premodifier, and its qualifier (a military government is not the last organisation
    named); the phrase is one description of the second, with the first's determiner. Where
    nouns come first (``head_first``: "la candidate démocrate", "le Parti socialiste") the
    phrase is one description of the first, the second its qualifier."""
    merged: list[Description] = []
    for description in found:
        before = merged[-1] if merged else None
        if (before is not None and not description.determiner and before.end == before.noun_end
                and text[before.noun_end:description.noun_start].isspace()
                and "\n" not in text[before.noun_end:description.noun_start]):  # not a headline's last word
            merged[-1] = (replace(before, end=description.end, qualifier=before.qualifier or description.noun)
                          if head_first else
                          replace(description, start=before.start, determiner=before.determiner,
                                  qualifier=description.qualifier or before.qualifier or before.noun))
            continue
        merged.append(description)
    return merged


def _capitalised(word: str) -> bool:
    """Capitalised as a name is; a role noun that is an acronym ("l'ONG", "the NGO") is not."""
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def _sentence_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in _SENTENCE_END.finditer(text)]


def _compatible(description_type: EntityType, entity_type: EntityType | None) -> bool:
    """An app or platform stands for its company too ("the app" is Strava)."""
    if entity_type is None:
        return False
    if description_type is EntityType.product:
        return entity_type in {EntityType.product, EntityType.organization}
    return description_type is entity_type


def _nominal_head(doc: Doc | None, description: Description) -> bool:
    """With a parse: the role noun heads its phrase ("the company" in "the company said", not in
    "a company spokesperson")."""
    if doc is None:
        return True
    span = doc.char_span(description.noun_start, description.noun_end, alignment_mode="expand")
    if span is None or not len(span):
        return True
    if description.bare and any(child.dep_ in {"amod", "compound", "nmod", "prep"} and child.i < span.root.i
                                for child in span.root.children):
        return False  # "French police", "riot police": some police, not the one named
    # A subject is a noun whatever the tagger says ("Le principal intéressé" tagged a participle),
    # and so is a word with a determiner of its own ("selon le leader insoumis", "leader" tagged a
    # verb), unless it is the predicate of a copula ("Le glyphosate est l'herbicide le plus utilisé").
    return any((token.pos_ in _NOMINAL or token.dep_ in {"nsubj", "nsubj:pass", "nsubjpass"}
                or (any(child.dep_ == "det" for child in token.children)
                    and not any(child.dep_ == "cop" for child in token.children)))
               and token.dep_ not in _MODIFIER_DEPS for token in span)


def _is_subject(doc: Doc | None, description: Description) -> bool:
    """"…with Mark Rutte, the US President said": a subject after a comma starts a clause; it is
    not an apposition to the name before the comma."""
    return doc is not None and _subject_at(doc, description.noun_start, description.noun_end)


def _subject_at(doc: Doc, start: int, end: int) -> bool:
    """The phrase over these characters is a subject, by the parse."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span.root.dep_ in {"nsubj", "nsubj:pass", "nsubjpass"}


def _speaks_through(doc: Doc | None, description: Description, lexicon: Lexicon) -> bool:
    """The organisation speaks through a voice of its own: "officials at the agency", "a
    spokesperson for the regulator" (not "the company's chief executive", a person)."""
    if doc is None:
        return False
    span = doc.char_span(description.noun_start, description.noun_end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    holder = root.head.head if root.dep_ in {"pobj", "nmod"} and root.head.pos_ == "ADP" else root.head
    if root.dep_ not in {"pobj", "nmod", "poss", "nmod:poss"} or holder.i == root.i:
        return False
    return fold(holder.lemma_) in lexicon.representatives and not person_title(holder, lexicon)


def _attributed_to(doc: Doc | None, description: Description, lexicon: Lexicon) -> bool:
    """The description is the source an attribution names: "Selon le ministère, …", "according
    to the agency". It speaks, as a subject does."""
    if doc is None:
        return False
    before = fold(doc.text[max(0, description.start - 20):description.start]).rstrip()
    return any((match := marker_pattern(marker).match(before, max(0, len(before) - len(marker)))) is not None
               and match.end() == len(before) for marker in lexicon.attribution)


def person_title(token: Token, lexicon: Lexicon) -> bool:
    """The noun, with the word before it, is a title of one person ("chief executive"): someone,
    not a voice of the organisation as a spokesperson is."""
    for phrase in (f"{token.nbor(-1).text} {token.text}" if token.i > 0 else "", token.text):
        role = lexicon.roles.get(fold(phrase))
        if role is not None and role[1] is EntityType.person and role[0] not in _SUBORDINATE_ROLES:
            return True
    return False


def resolve(
    text: str, links: list[Link], lexicon: Lexicon, entities: Mapping[str, WatchedEntity],
    names: Sequence[tuple[int, int]] = (), doc: Doc | None = None,
) -> list[Link]:
    """``links`` plus one descriptor link for each description that refers to a watched entity.

    ``names`` are NER spans of proper names (to see appositions to names that are not watched);
    ``doc`` is the article's parse, used to keep only nouns that head their phrase."""
    folded = Folded.of(text)
    descriptions = find_descriptions(text, lexicon, folded)
    if doc is not None and links:
        links = _learned_titles(text, doc, links, lexicon, entities, descriptions)
    if not links:
        return links
    descriptions = [replace(_with_qualifier_entity(description, links), gender=_gender(description, doc, lexicon))
                    for description in descriptions]
    starts = _sentence_starts(text)
    unlinked = [(start, end) for start, end in names
                if not any(link.start < end and start < link.end for link in links)]
    unwatched = [ent for ent in (doc.ents if doc is not None else ())
                 if not any(link.start < ent.end_char and ent.start_char < link.end for link in links)]
    # Where names NER found that are not watched begin, by type: who or what a description may mean instead.
    unwatched_at: dict[EntityType, list[int]] = {
        EntityType.person: sorted(
            ent.start_char for ent in unwatched
            if ent.label_ in {"PER", "PERSON"} and sum(word[:1].isupper() for word in ent.text.split()) >= 2
            and all(re.sub(r"[-'’.]", "", word).isalpha() for word in ent.text.split())),  # not "Omicron BA.2"
        EntityType.organization: sorted(ent.start_char for ent in unwatched if ent.label_ == "ORG"),
        EntityType.place: sorted(ent.start_char for ent in unwatched if ent.label_ in {"GPE", "LOC"}),
    }
    unwatched_genders = {
        ent.start_char: gender for ent in unwatched if ent.start_char in unwatched_at[EntityType.person]
        and (gender := name_gender(ent.text) or titled_gender(text, ent.start_char, lexicon, ent.text))}
    document = _Document(entities, lexicon, starts, [0, *(match.end() for match in re.finditer(r"\n", text))],
                         unwatched_at, unwatched_genders, doc, person_genders(text, links, lexicon, entities, doc))
    name_starts = {start for start, _ in unlinked}
    name_ends = {end for _, end in unlinked}
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # entity -> role -> qualifiers

    def record(entity: str, description: Description) -> None:
        """The entity holds the description's role, and is of its gender when it shows one."""
        roles[entity][description.role].update(description.qualifier_keys())
        document.nouns.add((entity, description.noun))
        if description.gender and description.type is EntityType.person:
            document.genders[entity].add(description.gender)

    named = sorted(links, key=lambda link: link.start)
    appositions = _appositions(text, descriptions, named, entities)
    added: list[Link] = []
    for description in descriptions:
        if any(link.start < description.noun_end and description.noun_start < link.end for link in named):
            continue  # a word of a watched name ("Commission" in "European Commission")
        entity_type = description.type
        after = text[description.end:description.end + 4]
        following = next((link for link in named if description.end < link.start <= description.end + 3), None)
        if (following is not None and re.fullmatch(r"[\s\u00a0,]+", text[description.end:following.start])
                and _compatible(entity_type, _type(entities, following.entity_id))):
            # Not "ministre des Armées d'Emmanuel Macron": someone of his.
            record(following.entity_id, description)
            continue  # apposition before a name: one mention
        if re.match(r"[\s\u00a0]+[A-ZÀ-Ý]", after) or (re.match(r",\s*[A-ZÀ-Ý]", after) and any(
                start in name_starts for start in range(description.end, description.end + 4))):
            if entity_type is EntityType.organization and any(
                    start in name_starts for start in range(description.end, description.end + 4)):
                document.unwatched_roles.append((description.start, description.role, description.noun))
            continue  # apposition to a name that is not watched
        before = text[max(0, description.start - 3):description.start]
        preceding = next((link for link in reversed(named) if link.end <= description.start), None)
        if (preceding is not None and re.fullmatch(r"\s*[,(]\s*", text[preceding.end:description.start])
                and _compatible(entity_type, _type(entities, preceding.entity_id))
                and not _is_subject(doc, description)):
            record(preceding.entity_id, description)
            continue  # "Kassym-Jomart Tokaïev, le président kazakh": one mention
        if (preceding is not None and not description.determiner and text[preceding.end:description.start] == " "
                and _compatible(entity_type, _type(entities, preceding.entity_id))):
            record(preceding.entity_id, description)
            continue  # "Hamas militants", "Houthi rebels": the name's own mention, and who holds the role
        if re.search(r"[,(]\s*$", before) and any(end in name_ends for end in
                                                  range(description.start - 3, description.start)) \
                and not _is_subject(doc, description):
            # "Patrick Martin, le nouveau président du Medef"; not "Sollicitée par l'AFP, la firme
            # n'a pas souhaité commenter", where the noun is the subject after a participle.
            continue
        if not description.determiner and not _headline_title(text, description):
            continue
        line_start = _line_or_sentence_start(text, starts, description)
        if description.capitalised_noun and (
                (entity_type is not EntityType.person and description.noun_start != line_start)
                or (description.determiner and text[description.start].isupper()
                    and not _OPENS_SENTENCE.search(text, max(0, description.start - 80), description.start))):
            continue  # "the Czech Republic", "a study by The Economist": a proper name of its own
        if not _nominal_head(doc, description) or (
                description.noun in lexicon.subject_only and not _is_subject(doc, description)):
            continue
        entity = _referent(description, named, roles, document)
        if entity is None and _in_headline(text, description):
            # "le colistier de Trump fait l'éloge…" over "Le colistier de Donald Trump, JD Vance, a…":
            # a headline names by role whom the next lines introduce with that role.
            entity = next((holder for at, role, holder in appositions
                           if role == description.role and 0 < at - description.end <= _HEADLINE_REACH), None)
            line_end = text.find("\n", description.end)
            if entity is None and line_end >= 0:
                # "Le Premier ministre britannique veut…" over "Keir Starmer, qui…": else the
                # first person the next lines name.
                entity = next((link.entity_id for link in named if line_end < link.start <= line_end + _HEADLINE_REACH
                               and _type(entities, link.entity_id) is EntityType.person
                               and link.method is not MatchMethod.descriptor), None)
        if entity is None and description.type is EntityType.person and description.determiner \
                and description.determiner not in _POSSESSIVES and description.role not in lexicon.shared_roles \
                and description.role not in _BESIDE_ROLES \
                and not any(link.start < description.start and _type(entities, link.entity_id) is EntityType.person
                            for link in named) \
                and not any(other < description.start for other in unwatched_at.get(EntityType.person, ())):
            # "The former president said on Monday that… Barack Obama, speaking in Chicago, …": a
            # lede names by role whom the next sentence names, when no one was named before.
            sentence = bisect_right(starts, description.start)  # the index of the next sentence
            next_start, next_end = [*starts, len(text), len(text)][sentence:sentence + 2]
            after = next((link for link in named if next_start <= link.start < next_end
                          and _type(entities, link.entity_id) is EntityType.person
                          and link.method is not MatchMethod.descriptor), None)
            if after is not None and not any(description.end < other < after.start
                                             for other in unwatched_at.get(EntityType.person, ())):
                entity = after.entity_id
        if entity is None or entity == description.qualifier_entity:
            continue  # "the city of Raqqa": one mention, the name's own
        record(entity, description)
        link = Link(entity, description.start, description.end, text[description.start:description.end],
                    MatchMethod.descriptor, 0.8)
        added.append(link)
        named.append(link)
        named.sort(key=lambda item: item.start)
    added += _organisation_heads(text, folded, [*links, *added], entities, lexicon, doc)
    added += _people_of_age(text, [*links, *added], entities, doc)
    return sorted([*links, *added], key=lambda link: (link.start, link.entity_id))


_NAME_COMPLEMENTS = {"of", "for", "in", "on", "at", "to", "de", "du", "des", "pour", "sur", "en"}
"""Words that open the complement of an organisation's name ("… Mission in Afghanistan")."""


def _head_word(name: str, heads: set[str]) -> str | None:
    """The common noun that heads an organisation's name, as an article takes it up: the word
    before its first complement ("University of Sheffield", "Intergovernmental Panel on Climate
    Change", "United Nations Assistance Mission in Afghanistan"), else the last word in English
    order ("Crown Court", "World Food Programme"), or the first in French order: before
    lowercase adjectives ("Direction générale de la sécurité extérieure") or when it is a known
    head and the last word is not ("Assemblée Nationale"); not before a name ("French frigate
    Forbin"). None for a one-word name or a capitalised acronym."""
    words_ = [word.strip(".,()'’") for word in name.split()]
    if len(words_) < 2:
        return None
    cut = next((at for at, word in enumerate(words_) if at and (
        fold(word) in _NAME_COMPLEMENTS or word.startswith(("d'", "d’")))), len(words_))
    core = words_[:cut]
    french_order = len(core) > 1 and (all(word[:1].islower() for word in core[1:]) or (
        fold(core[-1]) not in heads and fold(core[0]) in heads))
    head = core[0] if french_order else core[-1]
    return fold(head) if head.isalpha() and len(head) >= 4 and not head.isupper() else None


def _organisation_heads(
    text: str, folded: Folded, links: list[Link], entities: Mapping[str, WatchedEntity], lexicon: Lexicon,
    doc: Doc | None,
) -> list[Link]:
    """"The trust" after "the Citizens' Independent Transportation Trust", "the university"
    after "the University of Sheffield": the generic word that heads a watched organisation's
    name, with a definite determiner, stands for the last organisation so named (or, before any,
    for the only one so headed that the article names).

    A name of three words or more is also taken up by a head inside it ("the council" after "the
    Constitutional Council of France") or by one no lexicon lists ("the mission" after "the
    United Nations Assistance Mission in Afghanistan", "the panel", "la direction"), but only
    after the name and only where the text uses the noun as a common noun on its own: articles
    give such nouns to many bodies ("shell", "programme" are ordinary words). A plural head
    ("Forces", "Médecins") is left out: "the forces" and "les médecins" are rarely one body."""
    organisations = tuple((entity.id, entity.name) for entity in entities.values()
                          if entity.type is EntityType.organization)
    heads, strict, capital = _name_heads(organisations, lexicon)
    if doc is None:  # the strict reading needs the parse
        heads = {head: ids for head, ids in heads.items() if head not in strict and head not in capital}
    if not heads:
        return []
    pattern = _head_pattern(organisations, lexicon, tuple(heads))
    named = sorted(links, key=lambda link: link.start)
    added = []
    for match in pattern.finditer(folded.text):
        start, end = folded.source_span(match.start(), match.end())
        head_start, head_end = folded.source_span(match.start("head"), match.end("head"))
        if any(link.start < end and start < link.end for link in named):
            continue  # part of a name already found
        after = text[end:end + 24]
        if re.match(r"\s+(?:[A-ZÀ-Ý]|of\b|de\b|d['’])", after) or re.match(r"[-\w]", after):
            continue  # "the University of Toronto", "the Trust Fund": another name
        kept = (match.groupdict().get("pre") or "").split()
        by_name = [link for link in named if link.entity_id in heads[match.group("head")]
                   and link.method is not MatchMethod.descriptor
                   and set(kept) <= set(fold(entities[link.entity_id].name).split())]
        earlier = [link for link in by_name if link.end <= start]
        shortened = doc is not None and bool(earlier) and _shortened(
            text, doc, (start, head_start, head_end, end), earlier[-1], by_name[0], named)
        if match.group("head") in capital and not shortened:
            continue  # "the court ruled": any court
        if doc is not None:
            token = doc.char_span(head_start, head_start + len(match.group("head")), alignment_mode="expand")
            if token is None or token.root.pos_ not in {"NOUN", "PROPN"}:
                continue
            following = token.root.nbor(1) if token.root.i + 1 < len(doc) else None
            if match.group("head") in strict and not shortened and (
                    token.root.pos_ != "NOUN" or token.root.dep_ == "compound" or not token.root.text.islower()
                    or (following is not None and following.pos_ == "ADJ" and following.text.islower())):
                continue  # "the mission statement", "The Programme for…", "le parquet national financier"
            if following is not None and following.pos_ == "ADJ" and following.head == token.root \
                    and following.text.islower() and not any(
                        fold(following.text) in fold(entities[entity_id].name).split()
                        for entity_id in heads[match.group("head")]):
                continue  # "le conseil municipal", "l'assemblée générale": another body of that kind
        if earlier:
            added.append(Link(earlier[-1].entity_id, start, end, text[start:end], MatchMethod.descriptor, 0.8))
        elif len({link.entity_id for link in by_name}) == 1 and match.group("head") not in strict:
            # "The trust spending $100 million … refused" opens the story the next lines name
            # the trust in: before any, the one organisation so headed that the article names.
            added.append(Link(by_name[0].entity_id, start, end, text[start:end], MatchMethod.descriptor, 0.8))
    return added


@lru_cache(maxsize=16)
def _head_pattern(
    organisations: tuple[tuple[str, str], ...], lexicon: Lexicon, heads: tuple[str, ...],
) -> re.Pattern[str]:
    """A determiner and a head, once per watchlist rather than per article. The head may keep
    words of the name before it ("the security council" for the UN Security Council, "the health
    service" for the National Health Service)."""
    determiners = "|".join(re.escape(word) for word in sorted({*lexicon.determiners, "the", "this"}, key=len,
                                                                reverse=True))
    function_words = {*lexicon.determiners, "the", "this", "and", "et", *_NAME_COMPLEMENTS}
    name_words = sorted({word for _, name in organisations for word in fold(name).split()
                         if word.isalpha() and len(word) >= 3 and word not in function_words}, key=len, reverse=True)
    pre = rf"(?P<pre>(?:(?:{'|'.join(map(re.escape, name_words))})\s+){{1,2}})?" if name_words else ""
    return re.compile(rf"\b(?:{determiners})\s*{pre}(?P<head>{'|'.join(re.escape(head) for head in heads)})\b")


def _shortened(text: str, doc: Doc, span: tuple[int, int, int, int], last: Link, first: Link,
               named: list[Link]) -> bool:
    """"the Commission", "The Times", "la Commission": a name the article has given, shortened to
    its head with the capital kept (``span``: the phrase's start, the head's start and end, the
    phrase's end; ``last`` and ``first``: the name's last link before it and its first). Not
    where an organisation that is not watched and has that word in its name came between ("the
    Court of Appeal… the Court said") or starts there ("the Commission on Human Rights"), nor
    where the article wrote the word so before it gave the name ("the Coalition" of the war on
    the Islamic State, before the Syrian Arab Coalition)."""
    start, head_start, head_end, end = span
    head = text[head_start:head_end]
    if not head[:1].isupper() or re.search(rf"\b{re.escape(head)}\b", text[:first.start]):
        return False
    return not any(
        ent.label_ == "ORG" and ((ent.start_char <= head_start and ent.end_char > end) or (
            last.end <= ent.start_char < start and fold(head) in {fold(word) for word in ent.text.split()}
            and not any(link.start < ent.end_char and ent.start_char < link.end for link in named)))
        for ent in doc.ents)


@lru_cache(maxsize=8)
def _name_heads(
    organisations: tuple[tuple[str, str], ...], lexicon: Lexicon,
) -> tuple[Mapping[str, frozenset[str]], frozenset[str], frozenset[str]]:
    """Head noun -> the watched organisations so headed, the heads of the strict reading and
    those taken only with a capital (see :func:`_organisation_heads`); worked out once per
    watchlist, not per document."""
    heads: dict[str, set[str]] = defaultdict(set)
    strict: set[str] = set()
    capital: dict[str, set[str]] = defaultdict(set)
    bodies = sorted(noun for noun in {*lexicon.organisation_heads, *(
        noun for noun, (_, kind) in lexicon.roles.items() if kind is EntityType.organization)}
        if noun.isalpha() and not noun.endswith("s") and noun not in _WHOLE_STATES)
    for entity_id, name in organisations:
        if name.isalpha() and name.isupper() and 2 <= len(name) <= 6:
            # "the Agency" for the IAEA, "the Bureau" for the FBI, "l'Alliance" for l'OTAN: an
            # acronym is taken up by the capitalised noun of a body whose initial it holds.
            for noun in bodies:
                if noun[0] in fold(name):
                    capital[noun].add(entity_id)
            continue
        head = _head_word(name, lexicon.organisation_heads)
        if head is None:
            continue
        words_ = name.split()
        listed = head in lexicon.organisation_heads
        if listed and head in {fold(words_[0]), fold(words_[-1].strip(".,()'’"))}:
            heads[head].add(entity_id)
        elif len(words_) >= 3 and (listed or head not in lexicon.roles) and not head.endswith(("s", "x")):
            heads[head].add(entity_id)
            strict.add(head)
        elif lexicon.roles.get(head, (None, EntityType.organization))[1] is EntityType.organization:
            capital[head].add(entity_id)  # not "la République" for La République en marche
    # Any other head counts only written with its capital, as newsrooms shorten a name they have
    # given ("the Commission", "the Court", "The Times", "la Commission").
    capital = {head: ids for head, ids in capital.items() if head not in heads}
    heads.update(capital)
    return {head: frozenset(ids) for head, ids in heads.items()}, frozenset(strict), frozenset(capital)


_GIVEN_AGE = re.compile(r"\b(?:[Tt]he|[Tt]his) (\d{1,3})[- ]year[- ]old\b(?!-)")
"""A person given by age ("the 53-year-old"), in English; French gives ages in a phrase ("l'homme
de 53 ans") that this does not read."""


def _people_of_age(
    text: str, links: list[Link], entities: Mapping[str, WatchedEntity], doc: Doc | None,
) -> list[Link]:
    """"the 53-year-old" on its own, not before a noun ("the 53-year-old businessman" is a
    description with a noun of its own): the watched person the article last gave that age before
    it ("Elon Musk, 53,", "Musk (53)", "53-year-old Elon Musk"); no one when none was given."""
    people = sorted((link for link in links if _type(entities, link.entity_id) is EntityType.person),
                    key=lambda link: link.start)
    added = []
    for match in _GIVEN_AGE.finditer(text):
        age, found = match.group(1), None
        for link in people:
            if link.end > match.start():
                break
            after, ahead = text[link.end:link.end + 8], text[max(0, link.start - 16):link.start]
            if re.match(rf"\s*[,(]\s*{age}\s*[,)]", after) or re.search(rf"\b{age}[- ]year[- ]old\s+$", ahead):
                found = link.entity_id
        if found is None or any(link.start < match.end() and match.start() < link.end for link in links):
            continue
        phrase = doc.char_span(match.start(), match.end(), alignment_mode="expand") if doc is not None else None
        if phrase is not None and phrase.end < len(doc) and doc[phrase.end].pos_ in {"NOUN", "PROPN"}:
            continue  # "the 53-year-old businessman": a description of its own
        added.append(Link(found, match.start(), match.end(), match.group(), MatchMethod.descriptor, 0.8))
    return added


def _appositions(
    text: str, descriptions: list[Description], named: list[Link], entities: Mapping[str, WatchedEntity],
) -> list[tuple[int, str, str]]:
    """(offset, role, entity) of each person description in apposition before a watched name."""
    found = []
    for description in descriptions:
        # The complement may be a name cut short ("Le colistier de Donald| Trump, JD Vance").
        end = max([description.end, *(link.end for link in named if link.start < description.end <= link.end)])
        following = next((link for link in named if end < link.start <= end + 3), None)
        if following is not None and description.type is EntityType.person \
                and re.fullmatch(r"[\s\u00a0]*,?[\s\u00a0]*", text[end:following.start]) \
                and _type(entities, following.entity_id) is EntityType.person:
            found.append((description.start, description.role, following.entity_id))
    return found


def _in_headline(text: str, description: Description) -> bool:
    """The description stands in a line without final punctuation: a title, not a sentence."""
    line_end = text.find("\n", description.end)
    line = text[text.rfind("\n", 0, description.start) + 1:line_end if line_end >= 0 else len(text)].rstrip()
    return description.type is EntityType.person and bool(line) and line[-1] not in ".!?»”\"…:"


def _type(entities: Mapping[str, WatchedEntity], entity_id: str) -> EntityType | None:
    entity = entities.get(entity_id)
    return entity.type if entity else None


def _line_or_sentence_start(text: str, starts: list[int], description: Description) -> int:
    """Where the noun would stand if only its determiner came before it at the sentence start."""
    sentence_start = starts[bisect_right(starts, description.start) - 1]
    return description.noun_start if text[sentence_start:description.noun_start].strip().lower() in {
        "the", "le", "la", "l'", "l’", ""} else -1


def _headline_title(text: str, description: Description) -> bool:
    """A capitalised role opening a line stands for a unique person ("PM suggests …")."""
    line_start = text.rfind("\n", 0, description.start) + 1
    return (description.type is EntityType.person and description.start == line_start
            and text[description.start:description.start + 1].isupper())


def _name_has(entity: WatchedEntity, qualifier: str) -> bool:
    """A qualifier names the entity when one of its words begins like a word of the name
    ("israeli" and "Israel Defense Forces")."""
    name_words = name_keys(entity.name)
    for word in name_keys(qualifier):
        for name_word in name_words:
            shortest = min(len(word), len(name_word))
            if shortest >= 2 and word[:max(4, shortest - 2)] == name_word[:max(4, shortest - 2)]:
                return True
    return False


def _placing(description: Description, lexicon: Lexicon) -> bool:
    """A premodifier that says only where an organisation is: "the London-based group", "the US
    central bank", "the UN body". Not of a state's own bodies: "the Iraqi government", "the US
    military" are that country's, not the department the article named."""
    qualifier = description.qualifier
    if description.proper_complement:
        return False
    if qualifier.endswith("-based"):
        return True
    return (description.role not in _STATE_BODY_ROLES and description.role not in lexicon.role_names
            and (qualifier in _territory_initials() or _territorial(qualifier)))


def _made_thing(description: Description, doc: Doc | None, links: list[Link],
                entities: Mapping[str, WatchedEntity], lexicon: Lexicon) -> bool:
    """A capitalised premodifier that names what a company makes or who runs it, not where it is
    or which one it is: "the ChatGPT maker", "the Model Y maker", "the Elon Musk-led company". It says
    nothing the name would, so it does not rule the company out; a person, a place or a
    nationality ("the Biden administration", "the Swiss bank") and a watched name ("the
    Google-owned company", "the ISIL terrorist group") still do."""
    if doc is None or description.proper_complement or description.qualifier_entity is not None \
            or description.role in _STATE_BODY_ROLES \
            or description.role in lexicon.role_names or _placing(description, lexicon):
        return False
    span = doc.char_span(description.start, description.noun_start, alignment_mode="expand")
    if span is None or not any(token.text[:1].isupper() and fold(token.text) in description.qualifier.split()
                               for token in span[1:]):
        return False
    if any(token.ent_type_ in {"PERSON", "PER", "GPE", "LOC", "NORP"} for token in span):
        return False
    return not any(description.start <= link.start < description.noun_start for link in links) and not any(
        _name_has(entity, word) for entity in entities.values() for word in description.qualifier.split())


def _placed(entity: WatchedEntity) -> bool:
    """The name says where the organisation is ("Bank of England", "Russian Defence Ministry"):
    then a place before a role noun must be that one. Names that say nothing of a place ("Federal
    Reserve", "Amnesty International") take any: nothing here knows where an organisation is
    from, and the article named it just before."""
    return any(key not in _TERRITORY_FILLER and _territorial(key) for key in map(fold, entity.name.split()))


@cache
def _territory_initials() -> frozenset[str]:
    """Folded codes that are a territory's initials ("us", "uk", "eu", "un", "nz"): CLDR codes
    and aliases spelled by the first letters of the English name, so "AI" (Anguilla) is not one."""
    from babel import Locale
    from babel.core import get_global

    names = Locale("en").territories
    codes = {code: code for code in names if code.isalpha()}
    codes.update((alias, targets[0]) for alias, targets in get_global("territory_aliases").items()
                 if alias.isalpha() and len(targets) == 1 and targets[0] in names)
    initials = set()
    for code, target in codes.items():
        words = [word for word in re.split(r"[^\w]+", names[target]) if word[:1].isupper()]
        if len(words) >= 2 and "".join(word[0] for word in words) == code:
            initials.add(fold(code))
    return frozenset(initials)


@dataclass(frozen=True)
class _Document:
    """What every description of one article is resolved against."""

    entities: Mapping[str, WatchedEntity]
    lexicon: Lexicon
    starts: list[int]
    """Sentence starts."""
    paragraphs: list[int]
    """Paragraph (line) starts."""
    unwatched_at: Mapping[EntityType, Sequence[int]]
    """Where names NER found that are not watched begin, by type."""
    unwatched_genders: Mapping[int, str]
    """The gender each of those people's given name or courtesy title says, where one says it."""
    doc: Doc | None
    genders: defaultdict[str, set[str]]
    """What the article has shown so far of each watched person's gender (``person_genders``),
    and the gendered descriptions given to them in apposition or taken up since ("la ministre
    des Sports Laura Flessel", "le ministre" resolved). Both genders shown is a mistake
    somewhere, and says nothing."""
    unwatched_roles: list[tuple[int, str, str]] = field(default_factory=list)
    """Where a role was given to someone or something not watched, by apposition ("la start-up
    britannique Oxford Semantic Technologies"), the role and its noun: "cette start-up" is then
    that one."""
    nouns: set[tuple[str, str]] = field(default_factory=set)
    """(watched entity, role noun) of the descriptions given to watched entities so far."""


def _referent(
    description: Description, named: list[Link], roles: dict[str, dict[str, set[str]]], document: _Document,
) -> str | None:
    entities, lexicon, starts, unwatched_at, doc = (
        document.entities, document.lexicon, document.starts, document.unwatched_at, document.doc)
    sentence = bisect_right(starts, description.start) - 1
    person = description.type is EntityType.person
    if description.role in lexicon.role_names:
        # "the military" is an organisation whose name says it is one; "Israel's military",
        # "l'armée israélienne" is the one of that country even before the article names it.
        kind = {entity_id for entity_id, entity in entities.items()
                if _compatible(description.type, entity.type) and lexicon.is_kind(description.role, entity)
                and entity.admits(description.role)}
        named = [link for link in named if link.entity_id in kind]
        of_place = [entity_id for entity_id in kind
                    if description.qualifier and _name_has(entities[entity_id], description.qualifier)]
        if len(of_place) == 1:
            return of_place[0]

    def another_kind(link: Link) -> bool:
        return other_kind(entities[link.entity_id], description.role, description.noun, lexicon)

    def said_kind(link: Link) -> bool:
        return of_kind(entities[link.entity_id], description.role, description.noun, lexicon)

    def fits(link: Link) -> bool:
        """Of the description's type, not an organisation whose name says it is of another kind
        ("the company" is not the Federal Aviation Administration), and not someone the article
        showed to be of the other gender ("la ministre" is not the man called "le ministre")."""
        shown = document.genders.get(link.entity_id) if person else None  # "la molécule" after "le produit"
        return (_compatible(description.type, _type(entities, link.entity_id)) and not another_kind(link)
                and not (description.gender and shown and description.gender not in shown))

    recent = [link for link in named
              if link.end <= description.start and fits(link)
              and (description.start - link.start <= _PERSON_WINDOW if person
                   else sentence - (bisect_right(starts, link.start) - 1) <= _THING_SENTENCES)]
    if (not recent and description.type is EntityType.organization and not description.capitalised_noun
            and (_is_subject(doc, description) or _speaks_through(doc, description, lexicon)
                 or _attributed_to(doc, description, lexicon))):
        # "The company said" paragraphs after the one organisation the story is about: as a
        # subject, the last one named further back, when it is the only one of its kind named
        # there (or the only one whose name says it is of the noun's kind: "the agency" after
        # the National Highway Traffic Safety Administration and Tesla) and no organisation that
        # is not watched was named since. Not "The Coalition", which may be a name of its own.
        wide = [link for link in named if link.end <= description.start
                and description.start - link.end <= _THING_REACH and fits(link)]
        if len({link.entity_id for link in wide}) > 1:
            wide = [link for link in wide if said_kind(link)]
        if len({link.entity_id for link in wide}) == 1 and not any(
                wide[-1].end <= other < description.start for other in unwatched_at.get(EntityType.organization, ())):
            recent = wide
    if not recent:
        return None
    if description.type is EntityType.organization and not _is_subject(doc, description) and any(
            max(recent[-1].end, starts[sentence]) <= other < description.start
            for other in unwatched_at.get(EntityType.organization, ())):
        # "Etlaq will prioritize ETCO payloads and provide the company with facilities": an
        # organisation that is not watched, named in the description's own sentence after the
        # candidate, is the likelier referent of a description that is not the subject (a subject
        # goes on with the story's own: "Under a deal with Boeing, the company will build wings").
        return None
    # A role once held is held for the whole article, however long ago it was stated.
    earlier = [link for link in named if link.end <= description.start]
    if description.qualifier:
        # "la dirigeante de la CGT" is whoever was "la secrétaire générale de la CGT".
        same_qualifier = [link for link in earlier if any(
            description.qualifier_keys() & qualifiers and (role == description.role or role not in _SUBORDINATE_ROLES)
            for role, qualifiers in roles.get(link.entity_id, {}).items())]
        if same_qualifier:
            return same_qualifier[-1].entity_id
    # The sentence before, or the paragraph when it began earlier ("Françoise Nyssen dirigeait…
    # Le journal révèle… Une « négligence », tente d'expliquer la ministre").
    paragraph_start = document.paragraphs[bisect_right(document.paragraphs, description.start) - 1]
    window_start = min(starts[max(0, sentence - 1)], paragraph_start)

    def displaced(entity: str) -> bool:
        """Someone who is not watched, named after the candidate and since the sentence before
        ("… Françoise Nyssen. La ministre …") or in this paragraph, is the likelier referent,
        unless of the other gender ("… Jean-Pierre Girier. La ministre …")."""
        last_named = max(link.start for link in named if link.entity_id == entity and link.end <= description.start)

        def may_be(other: int) -> bool:
            shown = document.unwatched_genders.get(other)
            return not (description.gender and shown and shown != description.gender)

        return person and any(last_named < other < description.start and other >= window_start and may_be(other)
                              for other in unwatched_at.get(EntityType.person, ()))

    # "cette start-up" after "la start-up britannique Oxford Semantic Technologies", unless a
    # watched one was described so or named since (before this sentence): "l'agence Health
    # Canada… l'EPA américaine… écrit l'agence" is the EPA.
    same_noun = max((at for at, _, noun in document.unwatched_roles
                     if noun == description.noun and at < description.start), default=None)
    if not person and same_noun is not None and not any(noun == description.noun for _, noun in document.nouns) \
            and not any(same_noun < link.start and link.end <= starts[sentence] and fits(link) for link in named):
        return None
    holders = [link for link in earlier if _holds(roles.get(link.entity_id, {}), description) and fits(link)]
    if holders:
        return None if displaced(holders[-1].entity_id) else holders[-1].entity_id
    if description.determiner in _POSSESSIVES:
        return None  # "his lawyer", "son ministre": someone of the possessor's, known only by role
    if description.role in lexicon.shared_roles:
        return None  # "le député", "the judge": many hold it; only an apposition says who
    if person and description.proper_complement and not any(
            _name_has(entity, description.qualifier) for entity in entities.values()):
        return None  # "le président du Kazakhstan", "le porte-parole du président": known only by apposition
    if not person:
        # Not one named before the role was given, by apposition, to another not watched ("Samsung
        # s'offre la start-up britannique Oxford Semantic Technologies… cette start-up").
        given_since = max((at for at, role, _ in document.unwatched_roles
                           if role == description.role and at < description.start), default=-1)
        candidates = [link for link in recent if bisect_right(starts, link.start) - 1 != sentence
                      and link.start > given_since]
        if description.role in _COUNTRY_ROLES or description.role in _CITY_ROLES:
            # "the country" is only a country, "the city" never one.
            territories, country = territory_names(), description.role in _COUNTRY_ROLES
            candidates = [link for link in candidates
                          if (fold(entities[link.entity_id].name) in territories) == country]
        if description.qualifier:
            # "the Israeli group", "la firme de Cupertino", "le géant américain": the name must
            # say so, for nothing here knows where an organisation is from. An adjective of kind
            # ("la compagnie aérienne", "l'entreprise ferroviaire") says nothing of which one.
            if not description.kind_qualifier and not _made_thing(description, doc, named, entities, lexicon):
                candidates = [link for link in candidates
                              if _name_has(entities[link.entity_id], description.qualifier)
                              or (_placing(description, lexicon) and not _placed(entities[link.entity_id])
                                  and not any(link.end <= other < description.start
                                              for other in unwatched_at.get(description.type, ())))]
            if description.role in _STATE_BODY_ROLES:
                # "the government of Iraq", "the Iraqi government": a body of that country that its
                # name says is one, not the Islamic State of Iraq or the Iraqi Security Forces.
                candidates = [link for link in candidates if any(
                    lexicon.roles.get(fold(word.strip(".,()")), (None,))[0] == description.role
                    for word in entities[link.entity_id].name.split())]
        candidates = [link for link in candidates if not another_kind(link)]
        # One whose name says it is of the noun's kind before one whose name says nothing ("the
        # Commission" after "The European Commission fined Apple").
        candidates = [link for link in candidates if said_kind(link)] or candidates
        if description.capitalised_noun and candidates and not said_kind(candidates[-1]) and any(
                of_kind(entity, description.role, description.noun, lexicon) for entity in entities.values()):
            return None  # "The Commission" shortens the name of a watched commission, not the WHO's
        if doc is not None and len({link.entity_id for link in candidates}) > 1:
            # Two of a kind in the last sentence that names one ("Tesla sued Rivian… The company
            # said"): the subject there is the one taken up, not the last named.
            last = bisect_right(starts, candidates[-1].start) - 1
            subjects = {link.entity_id for link in candidates
                        if bisect_right(starts, link.start) - 1 == last and _subject_at(doc, link.start, link.end)}
            if len(subjects) == 1:
                return subjects.pop()
        return candidates[-1].entity_id if candidates else None
    same_sentence = {link.entity_id for link in named if bisect_right(starts, link.start) - 1 == sentence}
    counts: dict[str, int] = defaultdict(int)
    first_in_sentence: set[str] = set()
    seen_sentences: set[int] = set()
    for link in recent:
        counts[link.entity_id] += 1
        index = bisect_right(starts, link.start) - 1
        if index not in seen_sentences:
            seen_sentences.add(index)
            first_in_sentence.add(link.entity_id)
    best: tuple[int, bool, int] | None = None
    choice = None
    for position, link in enumerate(recent):
        entity = link.entity_id
        if roles.get(entity) and description.role not in roles[entity] \
                and description.role not in lexicon.alongside_roles:
            continue  # already holds another kind of role
        if entity in same_sentence:
            continue
        rank = (counts[entity], entity in first_in_sentence, position)
        if best is None or rank > best:
            best, choice = rank, entity
    return None if choice is None or displaced(choice) else choice


def other_kind(entity: WatchedEntity, role: str, noun: str, lexicon: Lexicon) -> bool:
    """An organisation whose watchlist entry or name says what kind it is ("kind: company";
    "Citizens' Independent Transportation Trust", "University of Sheffield") is taken up by
    that word ("the trust") or a role noun of its class, not by a role noun of another kind
    ("the department", "the group")."""
    if entity.type is not EntityType.organization:
        return False
    if entity.kind is not None:
        return not entity.admits(role)  # the watchlist says what it is
    if role in lexicon.role_names and lexicon.is_kind(role, entity):
        return False  # its name says it is of the noun's kind ("the bloc" for the European Union)
    keys = set(name_keys(entity.name))
    if any(words and words & keys for other, words in lexicon.role_names.items() if other != role):
        return True  # its name says it is of another kind ("the automaker" is not the United Auto Workers)
    head = _head_word(entity.name, lexicon.organisation_heads)
    if head is None or noun in lexicon.generic_organisations or head in lexicon.generic_organisations:
        return False  # "World Health Organization" says no more than that it is one: "the agency"
    kind = lexicon.roles.get(head)
    says_kind = head in lexicon.organisation_heads or (kind is not None and kind[1] is EntityType.organization)
    return says_kind and (kind[0] if kind else None) != role


def of_kind(entity: WatchedEntity, role: str, noun: str, lexicon: Lexicon) -> bool:
    """The watchlist or the name says the organisation is of the noun's kind: "the agency" for
    the Federal Aviation Administration, "the Commission" for the European Commission, "the
    union" for an entry of "kind: union" or a name with "Workers" in it."""
    if entity.type is not EntityType.organization:
        return False
    if entity.kind is not None:
        return entity.kind == role
    if role in lexicon.role_names and lexicon.role_names[role] \
            and lexicon.role_names[role] & set(name_keys(entity.name)):
        return True
    head = _head_word(entity.name, lexicon.organisation_heads)
    return head is not None and (head == noun or lexicon.roles.get(head, (None,))[0] == role)


_TERRITORY_FILLER = {
    "united", "nations", "states", "kingdom", "republic", "islands", "island", "democratic", "federal", "saint",
    "sainte", "south", "north", "east", "west", "central", "outlying", "territories", "territory", "minor", "etats",
    "unis", "royaume", "republique", "iles", "sud", "nord", "ouest", "centrale", "federale", "democratique",
    "populaire", "people's", "partie", "terres", "australes", "antarctiques", "mineures", "eloignees", "region",
    "special", "administrative",
}
"""Words of territory names that are not about any one place ("national" is not the United Nations)."""


@cache
def _territory_words() -> frozenset[str]:
    """Words of CLDR territory names in English and French only: the other exonym locales of
    :func:`territory_names` bring words that are French or English words too ("isla",
    "luxemburgo" would make "islamiste" and "luxe" places)."""
    from babel import Locale

    words = set()
    for locale_name in ("en", "fr"):
        for code, name in Locale(locale_name).territories.items():
            if not code.isdigit():
                words.update(word for word in re.split(r"[^\w]+", fold(name)) if len(word) >= 4)
    return frozenset(words - _TERRITORY_FILLER)


@cache
def _territorial(qualifier: str) -> bool:
    """The qualifier begins like a country's name, as adjectives of nationality do ("russe" and
    Russie, "suédois" and Suède, "Israeli" and Israel, "sud-coréen" and Corée du Sud); "aérienne",
    "islamiste" do not."""
    if "-" in qualifier:
        return any(_territorial(part) for part in qualifier.split("-") if part and part not in _TERRITORY_FILLER)
    if len(qualifier) < 5:
        return qualifier in _territory_words()
    for word in _territory_words():
        shortest = min(len(qualifier), len(word))
        prefix = max(4, shortest - 2)
        if qualifier[:prefix] == word[:prefix]:
            return True
    return False


def _holds(entity_roles: dict[str, set[str]], description: Description) -> bool:
    qualifiers = entity_roles.get(description.role)
    if qualifiers is None:
        return False
    # Held with no qualifier: the same role qualified by an adjective ("le président russe"), not
    # by a complement that says which one ("le ministre de l'Intérieur" after "le ministre").
    return not description.qualifier or bool(description.qualifier_keys() & qualifiers) \
        or ("" in qualifiers and not description.proper_complement)


def _gender(description: Description, doc: Doc | None, lexicon: Lexicon) -> str:
    """Whether the description says its referent is a woman or a man: by its noun's form
    ("spokeswoman", "présidente"), else by the words before the noun where the tagger marks
    gender on them ("la ministre", "l'ancienne ministre", "du ministre"). The noun's own tag is
    not used: for a noun of either gender it is a guess ("ministre" masculine after "la")."""
    if description.noun in lexicon.ungendered_nouns:
        return ""
    if description.noun in lexicon.gendered_nouns:
        return lexicon.gendered_nouns[description.noun]
    span = doc.char_span(description.start, description.noun_start, alignment_mode="expand") if doc else None
    shown = {gender for token in span or () if token.pos_ in {"DET", "ADJ", "ADP"}
             for gender in token.morph.get("Gender")}
    return shown.pop() if len(shown) == 1 else ""


def person_genders(
    text: str, links: list[Link], lexicon: Lexicon, entities: Mapping[str, WatchedEntity], doc: Doc | None = None,
) -> defaultdict[str, set[str]]:
    """The gender of each watched person named in the article, as the given name of the
    watchlist's name says it ("Rachida Dati"), a courtesy title before a mention ("Mme Le Pen",
    "Mr Lammy"), or a participle or adjective that agrees with a mention as its subject ("Jordan
    Bardella s'est exprimé", "Dominique Martin a été élue")."""
    genders: defaultdict[str, set[str]] = defaultdict(set)
    for link in links:
        if _type(entities, link.entity_id) is not EntityType.person:
            continue
        for gender in (name_gender(entities[link.entity_id].name), titled_gender(text, link.start, lexicon),
                       _agreed_gender(doc, link, lexicon)):
            if gender:
                genders[link.entity_id].add(gender)
    return genders


def _agreed_gender(doc: Doc | None, link: Link, lexicon: Lexicon) -> str:
    """The gender of the participle or adjective after "être" whose subject the mention is; not
    after "avoir", with which nothing agrees ("elle a dit")."""
    if doc is None or not lexicon.agreeing_auxiliaries:
        return ""
    span = doc.char_span(link.start, link.end, alignment_mode="expand")
    subject = span.root if span is not None and len(span) else None
    if subject is None or subject.dep_ not in {"nsubj", "nsubj:pass"}:
        return ""
    predicate = subject.head
    if predicate.pos_ not in {"VERB", "ADJ"} or not any(
            child.pos_ == "AUX" and fold(child.lemma_) in lexicon.agreeing_auxiliaries for child in predicate.children):
        return ""
    shown = predicate.morph.get("Gender")
    return shown[0] if len(shown) == 1 else ""


def titled_gender(text: str, start: int, lexicon: Lexicon, name: str = "") -> str:
    """The gender a courtesy title shows: before the name that begins at ``start`` ("Mme Le Pen",
    "Mr Lammy"), or as the first word of ``name`` when NER kept it there ("Mme Martin")."""
    title = re.search(r"([\w.]+)[\s\u00a0]+$", text[max(0, start - 16):start])
    first = next(iter(name.split()), "")
    return next((gender for word in (title.group(1) if title else "", first)
                 if (gender := lexicon.honorifics.get(fold(word)))), "")


def _with_qualifier_entity(description: Description, links: list[Link]) -> Description:
    """The description with the watched entity its complement names, when one does, and to the
    end of that name: the complement may stop at its first word ("de la Banque| centrale
    européenne, Christine Lagarde")."""
    if not description.proper_complement:
        return description
    link = next((link for link in links if description.noun_end < link.start < description.end), None)
    if link is None:
        return description
    return replace(description, qualifier_entity=link.entity_id, end=max(description.end, link.end))


_DEFINITE = {"le", "la", "l'", "l’", "the"}
_TITLE_GAP = {"(", ")", ","}
_APPOSITION_ARTICLES = _DEFINITE | {"un", "une", "a", "an"}
_FUNCTION_POS = {"ADP", "DET", "PRON", "AUX", "CCONJ", "SCONJ", "PUNCT", "PROPN", "NUM"}


def _after_comma(doc: Doc, span: Span, bracketed: Callable[[Token], bool]) -> int | None:
    """The index of the token after the comma that follows a name, stepping over a bracket and
    what ``bracketed`` allows in it ("(2)", "(GCC)"); None when no comma follows."""
    index = span.end
    while index < len(doc) and index < span.end + 4 and (doc[index].text in _TITLE_GAP or bracketed(doc[index])):
        index += 1
    return None if index == span.end or doc[index - 1].text != "," else index


def _title_nouns(doc: Doc, link: Link, suffixes: tuple[str, ...], adjectives: bool) -> set[str]:
    """Common nouns the article puts in apposition to a person's name, whatever they are:
    "le naturopathe Olivier Panisset", "Francisca Joly-Gomez (2), professeure de nutrition et
    gastro-entérologue", "NASA scientist Doug Morton"."""
    span = doc.char_span(link.start, link.end, alignment_mode="expand")
    if span is None or not len(span):
        return set()
    nouns: set[str] = set()
    before = span.start - 1
    if before >= 0 and doc[before].text[:1].islower() and doc[before].is_alpha \
            and fold(doc[before].text).endswith(suffixes) and (
            doc[before].pos_ == "NOUN" or (before > 0 and fold(doc[before - 1].text) in _DEFINITE
                                           and doc[before].pos_ not in _FUNCTION_POS)):
        # Small models tag a rare title between a determiner and a name as anything.
        nouns.add(fold(doc[before].text))
    index = _after_comma(doc, span, lambda token: token.like_num)  # "Francisca Joly-Gomez (2),"
    if index is None:
        return nouns
    if index < len(doc) and fold(doc[index].text) in _APPOSITION_ARTICLES:
        index += 1
    if index + 2 < len(doc) and doc[index].is_title and doc[index].is_alpha \
            and fold(doc[index + 1].text) in {"of", "de"} and doc[index + 2].is_title:
        # "Prince Harry, the Duke of Sussex": a title of a place, capitalised as British usage has it.
        nouns.add(fold(doc[index].text))
        return nouns
    # The title and the nouns coordinated with it ("professeure de nutrition et gastro-entérologue").
    stop = min(len(doc), index + 8)
    while index < stop and doc[index].pos_ in {"NOUN", "ADJ"} and doc[index].text[:1].islower():
        # After the comma only nouns for people count: "Paul Collier, l'immigration…" is a new clause.
        # French titles after a comma are often tagged adjectives ("gastro-entérologue"); English
        # adjectives there are descriptions ("an active-duty airman"), not titles.
        if (doc[index].pos_ == "NOUN" or adjectives) and fold(doc[index].text).endswith(suffixes):
            nouns.add(fold(doc[index].text))
        index += 1
        while index < stop and fold(doc[index].text) in {"de", "du", "des", "d'", "d’", "of", "et", "and"}:
            index += 1
            if index < stop and doc[index].pos_ == "NOUN" and fold(doc[index - 1].text) not in {"et", "and"}:
                index += 1  # "professeure de nutrition": the complement is not a title of its own
    return nouns


def _kind_noun(doc: Doc, link: Link, lexicon: Lexicon) -> set[str]:
    """The head noun of the description an article puts after an organisation's name: "Hamas,
    the militant group that…", "the Gulf Cooperation Council (GCC), a regional alliance", "le
    Hamas, le mouvement islamiste" (the last noun in English, the first in French)."""
    span = doc.char_span(link.start, link.end, alignment_mode="expand")
    if span is None or not len(span):
        return set()
    index = _after_comma(doc, span, lambda token: token.is_upper)  # "the Gulf Cooperation Council (GCC),"
    if index is None or index >= len(doc) or fold(doc[index].text) not in _APPOSITION_ARTICLES:
        return set()
    nouns: list[str] = []
    closed = False
    for token in doc[index + 1:min(len(doc), index + 7)]:
        # "an Islamist militia": a capitalised modifier before a noun
        modifier = token.pos_ in {"ADJ", "PROPN"} and token.i + 1 < len(doc) \
            and doc[token.i + 1].pos_ in {"NOUN", "ADJ"} and doc[token.i + 1].text[:1].islower()
        if not modifier and (token.pos_ not in {"NOUN", "ADJ"} or not token.text[:1].islower()):
            # The phrase must end there, as an apposition does ("…, a regional alliance, said",
            # "…, the militant group that…"); "ministère de l'Emploi, la réduction du chômage…"
            # goes on: a new clause.
            closed = token.text in {",", ".", ";", ")"} or fold(token.text) in lexicon.relatives
            if token.text == "." and not any(word.pos_ in {"VERB", "AUX"} for word in doc[span.sent.start:span.start]):
                # "Selon l'OMS, la grippe progresse.": a sentence that ends there needs its verb
                # before the name; without one, the phrase after the comma is the clause, its
                # verb mistagged.
                closed = False
            break
        if token.pos_ == "NOUN" and token.is_alpha:
            nouns.append(fold(token.text))
    if not nouns or not closed:
        return set()
    return {nouns[-1] if lexicon.language == "en" else nouns[0]}


def _learned_titles(text: str, doc: Doc, links: list[Link], lexicon: Lexicon,
                    entities: Mapping[str, WatchedEntity], descriptions: Sequence[Description]) -> list[Link]:
    """A definite description with a title the article gave a watched person ("la
    gastro-entérologue", "the naturopath"), or with the noun it described a watched organisation
    by ("the militant group"), refers to that person or organisation. Nouns of the lexicon are
    left to :func:`resolve`, which knows their kinds."""
    learned: list[tuple[int, str, str]] = []  # (position, noun, entity)
    listed = {*lexicon.roles, *lexicon.representatives, *lexicon.documents, *lexicon.works}
    for link in links:
        entity = entities.get(link.entity_id)
        if entity is None:
            continue
        if entity.type is EntityType.person:
            nouns = _title_nouns(doc, link, lexicon.title_suffixes, lexicon.language != "en")
        elif entity.type is EntityType.organization:
            nouns = _kind_noun(doc, link, lexicon)
        else:
            continue
        for noun in nouns:
            if noun not in listed and len(noun) > 3:
                learned.append((link.end, noun, link.entity_id))
    if not learned:
        return links
    # Role nouns of the lexicon ("la secrétaire générale") are resolve's to link or to leave.
    taken = sorted([*((link.start, link.end) for link in links),
                    *((description.start, description.end) for description in descriptions)])
    added: list[Link] = []
    titles = {title for _, title, _ in learned}
    for token in doc:
        capital_title = token.pos_ == "PROPN" and token.is_title and fold(token.text) in titles  # "The Duke"
        if (token.pos_ in _FUNCTION_POS and not capital_title) or token.i == 0 \
                or fold(doc[token.i - 1].text) not in _DEFINITE:
            continue
        noun = fold(token.text)
        holders = [entity for at, title, entity in learned if title == noun and at <= token.idx]
        if not holders or len(set(holders)) > 1:
            continue  # not yet introduced, or two people share the title: no guess
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if following is not None and following.pos_ == "PROPN" and following.text[:1].isupper():
            continue  # "le naturopathe Olivier Panisset": the apposition itself, or someone else
        start, end = doc[token.i - 1].idx, token.idx + len(token.text)
        if any(s < end and start < e for s, e in taken):
            continue
        if any(link.entity_id == holders[-1] and re.fullmatch(r"\s*,\s*", text[link.end:start]) for link in links):
            continue  # "Bernie Madoff, the financier, died": the apposition is the name's own mention
        added.append(Link(holders[-1], start, end, text[start:end], MatchMethod.descriptor, 0.75))
    return sorted([*links, *added], key=lambda link: (link.start, link.entity_id)) if added else links
