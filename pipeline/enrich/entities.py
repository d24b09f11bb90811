"""Watchlist linking: find every reference to a watched entity, under any spelling.

One Aho-Corasick pass over the text's stream of name keys (see :mod:`pipeline.enrich.names`)
finds names, aliases, descriptors, surnames and first names; a rapidfuzz pass over capitalised
words catches near spellings the key rules miss. Rules that generalise add what spelling alone
cannot give:

- acronyms built from the name (Agence France-Presse: AFP) and acronyms written in another
  language's word order (NATO: OTAN/Otan, EU: UE), which are anagrams of each other;
- the name's words in another order or as cognates ("le journal Wall Street", "Union européenne",
  "Labor Department" for "Department of Labor");
- a place without its generic head ("Gaza" for "Gaza Strip") and the place's name in other
  languages from CLDR (Babel's locale data: "Îles Malouines" for "Falkland Islands").

Surnames, first names and partial names are only accepted when the document also names the
entity in full, or when NER says the span is a name (not a common surname, which says little of
who is meant: ``lexicons/common_surnames.tsv``), so that a short name never links on its own
in an unrelated text; a surname directly followed by another capitalised name is someone else
("Lindsay Lohan"), and so is one after another given name ("Melania Trump", "Hillary Clinton":
``lexicons/given_names.tsv``). Descriptions ("le milliardaire") are resolved afterwards by
:mod:`pipeline.enrich.coref`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import ahocorasick
import yaml
from rapidfuzz import fuzz, process

from pipeline.enrich.lexicon import LEXICON_DIR
from pipeline.enrich.names import ARABIC_ARTICLES, folded_words, is_common_surname, is_given_name, name_keys, token_key
from pipeline.enrich.textnorm import fold, words
from pipeline.models import EntityType, MatchMethod, WatchedEntity

_ARTICLES = {"the", "le", "la", "les", "l", "der", "die", "das", "el", "los", "las", "il", "lo", "gli"}
_FUNCTION_WORDS = _ARTICLES | {"of", "and", "for", "de", "du", "des", "d", "et", "pour", "a", "y", "van", "von",
                               "s", "on", "in", "en", "al"}
_GENERATIONS = {"jr", "sr", "ii", "iii", "iv", "v"}
_REGNAL = re.compile(r"(?=[ivxl])(xl|l?x{0,3})(ix|iv|v?i{0,3})")
"""A regnal or generational number in Roman numerals, I to LXXXIX ("Leo XIV", "Charles III")."""
_PLACE_PREPOSITIONS = {"in", "at", "from", "near", "to", "of", "a", "en", "de", "pres", "vers", "dans"}
"""Words before a place that keep it the place ("in Cambridge", "à Strasbourg")."""
_PERSON_LABELS = {"PER", "PERSON"}
_NAME_OF_SOMEONE = {"ORG", *_PERSON_LABELS}
"""NER labels of a name that can be an acronym's in another letter order ("Otan"), not a place's."""
_MODIFIER = re.compile(r"['’]s\b| [a-z]")
"""After a name: a possessive, or a lower-case word the name qualifies ("Trump administration")."""
_ARTICLE_BEFORE = re.compile(r"\b(?:[Tt]he|[Ll]e|[Ll]a|[Ll]es|[Ll]['’])\s*$")
"""Before a name: a definite article ("the West", "la Seine"), which a person's name alone does not take."""
_FAMILIES = {"family", "families", "clan", "dynasty", "household"}
"""Nouns after a surname that make it a family's name, not one person's ("the Anderson family")."""
_TITLES = {"king", "queen", "prince", "princess", "lord", "lady", "sir", "dame", "duke", "duchess", "general",
           "major", "colonel", "captain", "admiral", "judge", "justice", "saint", "pope", "president", "madame",
           "monsieur", "mister", "doctor", "professor", "father", "sister", "brother", "reverend", "royal", "emperor",
           "sheikh", "cheikh", "imam", "rabbi", "bishop", "cardinal", "maitre", "monseigneur", "mgr", "roi", "reine",
           "princesse", "commandant", "capitaine", "juge", "pere", "soeur", "frere", "docteur", "professeur"}
"""Titles before a name that nomquamgender also lists as given names ("General", "Major",
"Lord", "Queen"): "Lord Alli" is Waheed Alli, not someone else."""
_SAME_GIVEN_NAME = 60
"""Similarity (rapidfuzz ratio of name keys) above which two given names are forms of one
("Volodymyr" and "Vladimir" 82, "Muhammad" and "Mohammed" 71), below which they are two people's
("Hillary" and "Bill" 44, "Melania" and "Donald" 31)."""
_MODALS = {"will", "may", "can", "shall"}
"""Modal verbs that are also given names: a question opens with one ("Will Trump win?")."""
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
"""Where a one-word name with inner capitals splits ("OpenAI" → "Open AI")."""
_SURNAME_PARTICLES = {"de", "du", "des", "d", "le", "la", "von", "van", "der", "den", "ter", "da", "das", "dos", "di",
                      "del", "della", "bin", "ibn", "ben", "abu", "al", "el"}
"""Words that open a surname ("Marine Le Pen", "Charles de Gaulle", "Ursula von der Leyen"): the
surname alone keeps them."""
_SYLLABLE_INITIALS = re.compile(r"[A-Z][a-z]{1,3}[A-Z]{2,}")
"""An abbreviation of a syllable and initials: DonNTU, KhNU."""
_INNER_LOWER = re.compile(r"[A-Z](?:[a-z]?[A-Z])+")
"""An acronym with the initial of a function word in lower case ("DoD")."""
_MIDDLE_NAME = re.compile(
    r"\b([A-Z][\w’'-]+)(?:\s+(?:[A-Z]\.\s*)+|\s+['‘’\"“”]\s*[\w.]{1,12}\s*['‘’\"“”]\s+)([A-Z][\w’'-]+)\b")
"""A first name and a surname with initials ("Scott C. Dayton") or a nickname in quotation marks
("John “J.D.” Dorrian") between them."""
# Generic heads of place names: "Gaza" alone is the Gaza Strip, "Falklands" the Falkland Islands.
_GENERIC_HEADS = {"strip", "island", "islands", "palace", "province", "region", "territory", "territories",
                  "republic", "county", "district", "peninsula", "oblast", "kingdom", "rainforest", "forest",
                  "river", "desert", "basin", "mountains", "valley"}
_SEAT_HEADS = {"palace", "palais"}
"""Heads of the names of seats of power that stand for their occupant (Élysée Palace, Buckingham Palace)."""
# Generic heads of organisation names, dropped after the first mention ("Labour" for the Labour Party).
_ORGANISATION_HEADS = {"party", "group", "parti", "groupe", "foundation", "airlines", "airways", "holdings", "bros",
                       "university", "college", "universite"}
_LEGAL_FORMS = {"inc", "incorporated", "corp", "corporation", "company", "ltd", "limited", "plc", "llc", "llp", "co",
                "ag", "sa", "se", "nv", "bv", "gmbh", "spa", "sas", "sarl", "ab", "asa", "oyj", "kk"}
"""Legal forms that end a company's registered name and that prose leaves out ("Alphabet Inc.",
"Nvidia Corporation", "Deutsche Bank AG"): the name without one is the company's own name,
taken where NER reads it as a name or after the full name, like the other partial names."""
# Languages whose CLDR territory names are added as exonyms of watched places.
_EXONYM_LOCALES = ("en", "fr", "de", "es", "it", "pt", "nl")
# Languages whose CLDR city names are: those newswatch reads claims in. Cities' names in the others
# are words of English and French texts ("Roma", "Rom").
_CITY_LOCALES = ("en", "fr")
_CLIPPED_FROM = 6
"""Letters a name's first word needs before newsrooms clip it to three (Federal, Metropolitan)."""
_ORDER_WINDOW = 2
_PREFIX = 5
"""Cognates share their first letters: europeen/european, commission/commission."""
"""Function words allowed between the words of a name found in another order."""
_FUZZY_CUTOFF = 88.0
_FUZZY_MIN_LENGTH = 6


@dataclass(frozen=True)
class Pattern:
    entity_id: str
    keys: tuple[str, ...]
    words: tuple[str, ...]
    kind: str
    """name | alias | surname | firstname | prefix | head | legal | spaced | descriptor | acronym | reordered |
    unordered"""
    capitalised: bool
    """The name starts with a capital, so a lower-case occurrence is an ordinary word."""


@dataclass(frozen=True)
class Link:
    entity_id: str
    start: int
    end: int
    surface: str
    method: MatchMethod
    score: float


@cache
def territory_names() -> dict[str, tuple[str, ...]]:
    """Folded English territory name -> its names in the exonym locales (CLDR via Babel)."""
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - babel ships with trafilatura's dependencies
        return {}
    english = Locale("en").territories
    names: dict[str, set[str]] = defaultdict(set)
    for locale_name in _EXONYM_LOCALES:
        local = Locale(locale_name).territories
        for code, name in english.items():
            if code in local and not code.isdigit():
                names[fold(name)].add(local[code])
    return {key: tuple(sorted(value)) for key, value in names.items()}


@cache
def city_names() -> dict[str, tuple[str, ...]]:
    """Folded English city name -> its other names (CLDR's exemplar cities of time zones, via
    Babel): "Moscow" -> Moscou, "Kyiv" -> Kiev, "Cairo" -> Le Caire. About 400 cities, the
    capitals among them; the English name is CLDR's, else the zone's ("Europe/Moscow")."""
    try:
        from babel import Locale
        from babel.core import get_global
    except ImportError:  # pragma: no cover - babel ships with trafilatura's dependencies
        return {}
    zones = {locale_name: Locale(locale_name).time_zones for locale_name in _CITY_LOCALES}
    every = {*get_global("zone_territories"), *(zone for found in zones.values() for zone in found)}
    names: dict[str, set[str]] = defaultdict(set)
    for zone in sorted(every):
        if "/" not in zone or zone.startswith("Etc/"):
            continue
        keys = {zone.rsplit("/", 1)[-1].replace("_", " ")}
        if (city := (zones["en"].get(zone) or {}).get("city")) is not None:
            keys.add(city)
        local = {found for names_of in zones.values() if (found := (names_of.get(zone) or {}).get("city")) is not None}
        for key in keys:
            names[fold(key)].update((local | keys) - {key})
    return {key: tuple(sorted(value)) for key, value in names.items() if value}


def _qualifier_free(name: str) -> str | None:
    """The name without a leading country qualifier ("U.S. Securities and Exchange Commission",
    "United States Department of Labor"): newspapers drop it after the first mention."""
    tokens = name.split()
    if len(tokens) < 3:
        return None
    territories = territory_names()
    for size in (2, 1):
        head = " ".join(tokens[:size])
        is_abbreviation = size == 1 and (head.replace(".", "").isupper() and len(head.replace(".", "")) <= 3)
        if (fold(head) in territories or is_abbreviation) and len(tokens) - size >= 2:
            return " ".join(tokens[size:])
        # At the end too: "Treasury Board of Canada" is "the Treasury Board" at home.
        tail = " ".join(tokens[-size:])
        if fold(tail) in territories and len(tokens) - size >= 2:
            rest = tokens[:-size]
            while rest and fold(rest[-1]) in _FUNCTION_WORDS:
                rest = rest[:-1]
            if len(rest) >= 2:
                return " ".join(rest)
    return None


def _initial_words(name: str) -> list[str]:
    """The words of a name that give an acronym its letters: "France-Presse" is two words of the
    name, "Co-operation" one ("OECD"); "l'informatique" gives its i (Cnil)."""
    return [part for part in re.sub(r"-(?=[A-ZÀ-Ý])|(?<![\w])[ldLD]['’](?=\w)", " ", name).split()
            if part[:1].isalpha()]


def acronyms(name: str) -> set[str]:
    """Initials of the content words ("Agence France-Presse" -> AFP), with and without a leading
    country qualifier; of all the words when there are three or more ("La République En Marche"
    -> LREM); a name that is itself an acronym is returned as it is."""
    compact = name.replace(".", "")
    if compact.isupper() and " " not in compact and len(compact) >= 2:
        return {fold(compact)}
    found = set()
    for variant in filter(None, (name, _qualifier_free(name))):
        all_parts = _initial_words(variant)
        parts = [part for part in all_parts if fold(part).strip("'’") not in _FUNCTION_WORDS]
        if len(parts) >= 2:
            found.add(fold("".join(part[0] for part in parts)))
        if len(all_parts) >= 3 and len(parts) >= 2:
            found.add(fold("".join(part[0] for part in all_parts)))
    return {acronym for acronym in found if len(acronym) >= 2}


def _content_words(name: str) -> list[str]:
    """The folded words of a name that abbreviations are made of: hyphens split, function words out."""
    return [fold(part) for part in name.replace("-", " ").split()
            if part[:1].isalpha() and fold(part).strip("'’") not in _FUNCTION_WORDS]


def syllabic_abbreviations(name: str) -> set[str]:
    """Syllable words made of the first letters of each content word ("Mouvement démocrate" ->
    MoDem, Modem): two or three content words, 2-4 letters of each, five letters or more."""
    parts = _content_words(name)
    if not 2 <= len(parts) <= 3:
        return set()
    found = {""}
    for part in parts:
        found = {prefix + part[:size] for prefix in found for size in (2, 3, 4) if len(part) > size}
    return {word for word in found if len(word) >= 5}


def syllable_and_initials(name: str) -> set[str]:
    """The first syllable of the first content word, then the initials of the others ("Donetsk
    National Technical University" -> DonNTU): an abbreviation common for East European
    institutions. Three content words or more, so that the initials alone are two letters."""
    parts = _content_words(name)
    if len(parts) < 3:
        return set()
    initials = "".join(part[0] for part in parts[1:])
    return {parts[0][:size] + initials for size in (2, 3, 4) if len(parts[0]) > size}


def _without_generation(name: str) -> list[str]:
    """The words of a person's name without a generational or regnal number ("Charles Keating IV",
    "Pope Leo XIV"): the number is no surname."""
    tokens = name.split()
    last = fold(tokens[-1]).rstrip(".") if tokens else ""
    return tokens[:-1] if len(tokens) >= 3 and (last in _GENERATIONS or (
        tokens[-1].isupper() and _REGNAL.fullmatch(last))) else tokens


def _patterns(entity: WatchedEntity) -> Iterable[Pattern]:
    def make(text: str, kind: str) -> Pattern | None:
        keys = name_keys(text)
        if not keys:
            return None
        return Pattern(entity.id, keys, folded_words(text), kind, text[:1].isupper())

    names = [(entity.name, "name")] + [(alias, "alias") for alias in entity.aliases]
    qualifier_free = _qualifier_free(entity.name)
    if qualifier_free:
        names.append((qualifier_free, "alias"))
    tokens = entity.name.split()
    if entity.type is EntityType.organization and len(tokens) >= 2 and fold(tokens[-1]) in _SEAT_HEADS:
        # "l'Élysée" for the Élysée Palace: a seat of power named without its head noun.
        pattern = make(" ".join(tokens[:-1]), "surname")
        if pattern:
            yield pattern
    if entity.type is EntityType.place:
        names.extend((exonym, "alias") for exonym in (*territory_names().get(fold(entity.name), ()),
                                                      *city_names().get(fold(entity.name), ())))
        if len(tokens) >= 2 and fold(tokens[-1]) in _GENERIC_HEADS:
            pattern = make(" ".join(tokens[:-1]), "surname")
            if pattern:
                yield pattern
    for text, kind in names:
        for candidate in sorted({text, " ".join(w for w in text.split() if w.lower().strip("'’") not in _ARTICLES)}):
            pattern = make(candidate, kind)
            if pattern:
                yield pattern
    if entity.type is not EntityType.person:
        for text, _ in names:
            # "Open AI", "Chat GPT", "Space X": a name written in one word with inner capitals,
            # split where a capital follows a lower-case letter.
            spaced = _CAMEL.sub(" ", text) if " " not in text.strip() else text
            if spaced != text and all(len(part) >= 2 or part.isupper() for part in spaced.split()):
                pattern = make(spaced, "spaced")
                if pattern:
                    yield pattern
    for descriptor in entity.descriptors:
        pattern = make(descriptor, "descriptor")
        if pattern:
            yield Pattern(pattern.entity_id, pattern.keys, pattern.words, "descriptor", False)
    if entity.type is EntityType.organization:
        tokens = entity.name.split()
        if tokens and fold(tokens[0]).strip("'’") in _ARTICLES:
            tokens = tokens[1:]  # "The Coca-Cola Company"
        if len(tokens) >= 2 and _legal_form(tokens[-1]):
            # "Alphabet" for Alphabet Inc.: prose leaves out the legal form.
            pattern = make(" ".join(tokens[:-1]).rstrip(","), "legal")
            if pattern:
                yield pattern
            tokens = tokens[:-1]
        # "Labour" for the Labour Party, "Airbus" for Airbus Group: a generic head dropped, once
        # the article has given the full name.
        if len(tokens) >= 2 and fold(tokens[-1]) in _ORGANISATION_HEADS:
            pattern = make(" ".join(tokens[:-1]), "head")
            if pattern:
                yield pattern
        # "Cambridge" for the University of Cambridge: the one-word complement of a name a generic
        # head opens, once the article has given the full name, and not where it is the place.
        if len(tokens) == 3 and fold(tokens[0]) in _ORGANISATION_HEADS and fold(tokens[1]) in {"of", "de"}:
            pattern = make(tokens[2], "complement")
            if pattern:
                yield pattern
        # "the Fed" for the Federal Reserve, "the Met" for the Metropolitan Police: a long first
        # word clipped to its first syllable, taken only where NER reads that very word as an
        # organisation ("Lab tests", "Nat King Cole" are not).
        if len(tokens) >= 2 and tokens[0].isalpha() and len(tokens[0]) >= _CLIPPED_FROM and not tokens[0].isupper():
            pattern = make(tokens[0][:3], "clip")
            if pattern:
                yield pattern
        # A long organisation name is shortened to its first two words after the first mention
        # ("AG Éducation IDF" for "AG Éducation Île-de-France inter-degrés").
        tokens = [token for token in entity.name.split() if fold(token).strip("'’") not in _ARTICLES
                  and any(character.isalnum() for character in token)]  # not the dash of "Force – Operation"
        territories = territory_names()
        if (len(tokens) >= 3 and fold(tokens[1]) not in _FUNCTION_WORDS and tokens[1][:1].isalpha()
                and not any(fold(part) in territories for part in (tokens[0], " ".join(tokens[:2])))):
            pattern = make(" ".join(tokens[:2]), "prefix")
            if pattern:
                yield pattern
        # A long name is often cut to a run of its words ("the Ministry of Defence" for the
        # Ministry of Defence of the Russian Federation): taken only where NER reads that very
        # run as an organisation.
        if len(tokens) >= 4:
            for first in range(len(tokens)):
                for last in range(first + 2, len(tokens) + (first > 0)):
                    run = tokens[first:last]
                    if fold(run[0]) in _FUNCTION_WORDS or fold(run[-1]) in _FUNCTION_WORDS \
                            or not any(word[:1].isupper() for word in run):
                        continue
                    pattern = make(" ".join(run), "part")
                    if pattern:
                        yield pattern
    if entity.type is EntityType.person:
        tokens = _without_generation(entity.name)
        if len(tokens) < len(entity.name.split()):
            # "Charles Keating IV" is also "Charles Keating", and his surname is Keating.
            pattern = make(" ".join(tokens), "alias")
            if pattern:
                yield pattern
        if len(tokens) >= 2 and len(tokens[-1]) >= 3:
            pattern = make(tokens[-1], "surname")
            if pattern:
                yield pattern
            article, _, rest = tokens[-1].partition("-")
            if rest and len(rest) >= 3 and fold(article) in ARABIC_ARTICLES:
                # "Abadi", "Assad": the article of the surname is dropped when it stands alone.
                pattern = make(rest, "surname")
                if pattern:
                    yield pattern
        particle = next((index for index in range(1, len(tokens) - 1) if fold(tokens[index]) in _SURNAME_PARTICLES),
                        None)
        if particle is not None:
            # "Le Pen", "de Gaulle", "von der Leyen", "bin Salman": the surname with its particle.
            pattern = make(" ".join(tokens[particle:]), "surname")
            if pattern:
                yield pattern
        if len(tokens) >= 2 and len(tokens[0]) >= 3 and tokens[0][:1].isupper() and tokens[0].isalpha():
            pattern = make(tokens[0], "firstname")
            if pattern:
                yield pattern
        if len(tokens) >= 4:
            # "Lula" in "Luiz Inácio Lula da Silva", "López" in "Andrés Manuel López Obrador": a long
            # name is shortened to any of its parts, as a first name is (after the full name only).
            for token in tokens[1:-1]:
                if len(token) >= 4 and token[:1].isupper() and token.isalpha() \
                        and fold(token) not in _SURNAME_PARTICLES:
                    pattern = make(token, "firstname")
                    if pattern:
                        yield pattern
        # "MBS", "AMLO", "DSK", "JFK": the initials of a name of three parts or more, likewise.
        for initials in acronyms(" ".join(tokens)):
            pattern = make(initials.upper(), "firstname") if len(initials) >= 3 else None
            if pattern:
                yield pattern


class EntityLinker:
    """Built once per watchlist; ``link`` is pure and cheap to call per document."""

    def __init__(self, watchlist: list[WatchedEntity]) -> None:
        self.entities = {entity.id: entity for entity in watchlist}
        self._organisations = {entity.id for entity in watchlist if entity.type is EntityType.organization}
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[Pattern]] = defaultdict(list)
        for entity in watchlist:
            for pattern in _patterns(entity):
                by_key[" " + " ".join(pattern.keys) + " "].append(pattern)
        for key, patterns in by_key.items():
            self._automaton.add_word(key, (key, tuple(patterns)))
        if by_key:
            self._automaton.make_automaton()
        # Single-word keys for the fuzzy pass: full single-word names and surnames. Not a name
        # written in capitals: an acronym is spelt one way, and "Instead" is no INSEAD.
        written_as_acronyms = {token_key(name) for entity in watchlist for name in (entity.name, *entity.aliases)
                               if name.replace(".", "").isupper() and " " not in name.strip()}
        self._fuzzy: dict[str, list[Pattern]] = defaultdict(list)
        for patterns in by_key.values():
            for pattern in patterns:
                single = len(pattern.keys) == 1 and len(pattern.keys[0]) >= _FUZZY_MIN_LENGTH
                if single and pattern.kind != "descriptor" and pattern.keys[0] not in written_as_acronyms:
                    self._fuzzy[pattern.keys[0]].append(pattern)
        self._fuzzy_keys = list(self._fuzzy)
        # Persons by (first name, surname) keys, for names written with a middle part.
        self._by_first_and_last: dict[tuple[str, str], list[Pattern]] = defaultdict(list)
        for entity in watchlist:
            tokens = _without_generation(entity.name)
            if entity.type is EntityType.person and len(tokens) == 2:
                self._by_first_and_last[(token_key(tokens[0]), token_key(tokens[1]))].append(
                    Pattern(entity.id, name_keys(entity.name), folded_words(entity.name), "alias", True))
        # A word of another watched name is that name's, not a misspelling ("Wikimedia" is not Wikipedia).
        self._name_words = {key for patterns in by_key.values() for pattern in patterns for key in pattern.keys}
        # Acronyms, keyed by their sorted letters so that OTAN finds NATO and UE finds EU.
        self._acronyms: dict[str, list[tuple[str, Pattern]]] = defaultdict(list)
        self._syllabic: dict[str, list[Pattern]] = defaultdict(list)
        self._syllable_initials: dict[str, list[Pattern]] = defaultdict(list)
        self._translated: dict[str, dict[str, list[Pattern]]] = {}
        """Acronyms of translated names by language, keyed by sorted letters; built when a text
        of that language comes."""
        self._common_products = {
            fold(entity.name) for entity in watchlist
            if entity.type is EntityType.product and " " not in entity.name.strip() and len(entity.name) >= 6
        }
        # Names of two or more content words, for the pass that ignores word order.
        self._unordered: dict[str, list[tuple[Pattern, tuple[str, ...]]]] = defaultdict(list)
        for entity in watchlist:
            if entity.type is EntityType.person:
                continue  # initials of people (IA for Issam Abdallah) are ordinary words
            for acronym in acronyms(entity.name):
                pattern = Pattern(entity.id, (acronym,), (acronym,), "acronym", True)
                self._acronyms["".join(sorted(acronym))].append((acronym, pattern))
            if entity.type is EntityType.organization:
                for word in syllabic_abbreviations(entity.name):
                    self._syllabic[word].append(Pattern(entity.id, (word,), (word,), "acronym", True))
                for word in syllable_and_initials(entity.name):
                    self._syllable_initials[word].append(Pattern(entity.id, (word,), (word,), "acronym", True))
        for patterns in by_key.values():
            for pattern in patterns:
                if pattern.kind not in {"name", "alias"}:
                    continue
                content = tuple(key for key, word in zip(pattern.keys, pattern.words, strict=False)
                                if word not in _FUNCTION_WORDS)
                if len(content) >= 2:
                    for key in sorted(set(content)):
                        for indexed in sorted({key, *name_word_translations().get(key, ())}):
                            self._unordered[indexed[:_PREFIX]].append((pattern, content))

    def link(self, text: str, names: Iterable[tuple[int, int, str]] = (), language: str | None = None,
             *, reordered_acronyms: bool = False) -> list[Link]:
        """Mentions in ``text``; ``names`` are the spans NER recognised as proper names, with
        their labels (PERSON, ORG, GPE…); ``language``, the text's, gives the acronyms of names
        translated into it, and ``reordered_acronyms`` says whether it writes them in its own
        word order (the language's lexicon says)."""
        if not self.entities:
            return []
        tokens = words(text)
        keys = [token_key(token) for token, _, _ in tokens]
        stream_parts, starts = [" "], []
        position = 1
        for key in keys:
            starts.append(position)
            stream_parts.append(key + " ")
            position += len(key) + 1
        stream = "".join(stream_parts)
        token_at = {start: index for index, start in enumerate(starts)}
        candidates: list[tuple[Pattern, int, int]] = []  # pattern, first token, last token
        for end, (key, patterns) in self._automaton.iter(stream):
            first = token_at.get(end - len(key) + 2)
            if first is None:
                continue
            last = first + key.count(" ") - 2
            candidates.extend((pattern, first, last) for pattern in patterns)
        candidates.extend(self._acronym_candidates(tokens, reordered_acronyms))
        if language is not None:
            candidates.extend(self._translated_acronym_candidates(tokens, language))
        candidates.extend(self._dotted_acronym_candidates(text, tokens))
        candidates.extend(self._unordered_candidates(tokens, keys))
        candidates.extend(self._fuzzy_candidates(tokens, keys, candidates))
        candidates.extend(self._middle_name_candidates(text, tokens))
        return self._accept(text, tokens, candidates, list(names))

    def _middle_name_candidates(
        self, text: str, tokens: list[tuple[str, int, int]]
    ) -> list[tuple[Pattern, int, int]]:
        """A watched person's first name and surname with initials or a nickname between them
        ("Charles H. Keating", "Richard ‘Tex’ Coe"): the whole span is the full name."""
        if not self._by_first_and_last:
            return []
        first_token: dict[int, int] | None = None
        last_token: dict[int, int] = {}
        found = []
        for match in _MIDDLE_NAME.finditer(text):
            patterns = self._by_first_and_last.get((token_key(match.group(1)), token_key(match.group(2))))
            if not patterns:
                continue
            if first_token is None:  # token positions, only once a watched person's name is there
                first_token = {start: index for index, (_, start, _) in enumerate(tokens)}
                last_token = {end: index for index, (_, _, end) in enumerate(tokens)}
            first, last = first_token.get(match.start()), last_token.get(match.end())
            if first is not None and last is not None:
                found.extend((pattern, first, last) for pattern in patterns)
        return found

    def _common_nouns(self, text: str, tokens: list[tuple[str, int, int]]) -> set[str]:
        """Watched products the article writes as common nouns ("le glyphosate"): lower case
        inside sentences at least twice and more often than capitalised there. A brand keeps its
        capital everywhere, so its lower-case homonym stays an ordinary word."""
        if not self._common_products:
            return set()
        lower: dict[str, int] = defaultdict(int)
        upper: dict[str, int] = defaultdict(int)
        for index, (token, start, _) in enumerate(tokens):
            folded = fold(token)
            if folded not in self._common_products or index == 0:
                continue
            if token.islower():
                lower[folded] += 1
            elif not re.search(r"[.!?:\n]\W*$", text[tokens[index - 1][2]:start]):
                upper[folded] += 1
        return {word for word, count in lower.items() if count >= 2 and count > upper[word]}

    def _dotted_acronym_candidates(
        self, text: str, tokens: list[tuple[str, int, int]],
    ) -> list[tuple[Pattern, int, int]]:
        """Acronyms the tokenizer cuts in pieces, in their own letter order: written with full
        stops ("U.S.", "U.K.") or in two hyphenated parts ("CJTF-OIR")."""
        if not self._acronyms:
            return []
        found = []
        index = 0
        while index < len(tokens):
            last = index
            while last < len(tokens) and len(tokens[last][0]) == 1 and tokens[last][0].isupper() \
                    and text[tokens[last][2]:tokens[last][2] + 1] == "." \
                    and (last == index or tokens[last][1] == tokens[last - 1][2] + 1):
                last += 1
            if last - index >= 2 and not _legal_form(text[tokens[index][1]:tokens[last - 1][2] + 1]):
                # Not "Petróleos de Venezuela, S.A.": a legal form, not Saudi Arabia.
                letters = fold("".join(token for token, _, _ in tokens[index:last]))
                found.extend((pattern, index, last - 1) for pattern in self._acronym_in_order(letters))
            index = max(last, index + 1)
        # "CJTF-OIR" for the Combined Joint Task Force – Operation Inherent Resolve: the acronyms
        # of a name's two parts joined by a hyphen.
        for index in range(len(tokens) - 1):
            (left, _, left_end), (right, right_start, _) = tokens[index], tokens[index + 1]
            if left.isupper() and right.isupper() and len(left) >= 2 and len(right) >= 2 \
                    and text[left_end:right_start] in {"-", "‑", "–"}:
                found.extend((pattern, index, index + 1) for pattern in self._acronym_in_order(fold(left + right)))
        return found

    def _translated_acronym_candidates(
        self, tokens: list[tuple[str, int, int]], language: str,
    ) -> list[tuple[Pattern, int, int]]:
        """Upper-case tokens of three letters or more that spell, in any order, the acronym of a
        watched organisation's name translated into the text's language (l'OMS, la CPI)."""
        if language not in self._translated:
            index: dict[str, list[Pattern]] = defaultdict(list)
            for entity in self.entities.values():
                if entity.type is EntityType.organization:
                    for acronym in translated_acronyms(entity.name, language):
                        index["".join(sorted(acronym))].append(
                            Pattern(entity.id, (acronym,), (acronym,), "acronym", True))
            self._translated[language] = index
        index = self._translated[language]
        if not index:
            return []

        def shouted(position: int) -> bool:
            """A neighbour in capitals too: a headline in capitals ("ET TOI ?"), not an acronym."""
            return any(0 <= near < len(tokens) and tokens[near][0].isupper() and len(tokens[near][0]) >= 2
                       for near in (position - 1, position + 1))

        return [(pattern, position, position) for position, (token, _, _) in enumerate(tokens)
                if len(token) >= 3 and token.isupper() and token.isalpha() and not shouted(position)
                for pattern in index.get("".join(sorted(fold(token))), ())]

    def _acronym_in_order(self, letters: str) -> list[Pattern]:
        """Watched names whose acronym is ``letters`` (folded) in the name's own letter order."""
        return [pattern for acronym, pattern in self._acronyms.get("".join(sorted(letters)), ()) if acronym == letters]

    def _acronym_candidates(
        self, tokens: list[tuple[str, int, int]], reordered: bool,
    ) -> list[tuple[Pattern, int, int]]:
        """Upper-case tokens (and capitalised ones of four letters or more: "Otan") that spell a
        watched name's acronym: in its order, or in any order where the language ``reordered``
        translated acronyms. A capitalised word in another order ("Otan") is kind "reordered":
        NER must read it as a name of an organisation or a person ("Seine" is no INSEE, "Sauf" no
        USAF)."""
        if not self._acronyms:
            return []
        found = []
        for index, (token, _, _) in enumerate(tokens):
            upper = token.isupper() and len(token) >= 2
            titled = len(token) >= 4 and token[:1].isupper() and token[1:].islower()
            if _SYLLABLE_INITIALS.fullmatch(token) and fold(token) in self._syllable_initials:
                found.extend((pattern, index, index) for pattern in self._syllable_initials[fold(token)])
                continue
            if not upper and token[-1:].isupper() and _INNER_LOWER.fullmatch(token):
                # "DoD", "DfE": the initial of a function word in lower case, in the name's order.
                found.extend((pattern, index, index) for pattern in self._acronym_in_order(fold(token)))
                continue
            if not (upper or titled or (token[:1].isupper() and len(token) >= 5)):
                continue
            folded = fold(token)
            if token[:1].isupper() and len(token) >= 5:
                found.extend((pattern, index, index) for pattern in self._syllabic.get(folded, ()))
            if not (upper or titled):
                continue
            for acronym, pattern in self._acronyms.get("".join(sorted(folded)), ()):
                if acronym != folded and not reordered:
                    continue
                organisation = self.entities[pattern.entity_id].type is EntityType.organization
                if acronym == folded or len(folded) >= 3 or organisation:
                    found.append((pattern if acronym == folded or upper else
                                  Pattern(pattern.entity_id, pattern.keys, pattern.words, "reordered", True),
                                  index, index))
        return found

    def _unordered_candidates(
        self, tokens: list[tuple[str, int, int]], keys: list[str]
    ) -> list[tuple[Pattern, int, int]]:
        """A name's content words in another order, joined by function words only, each word
        equal by key or a cognate ("le journal Wall Street", "Commission européenne")."""
        if not self._unordered:
            return []
        found = []
        for index, key in enumerate(keys):
            for pattern, content in self._unordered.get(key[:_PREFIX], ()):
                remaining = list(content)
                position = _cognate_index(key, remaining)
                if position is None:
                    continue
                remaining.pop(position)
                last, cursor = index, index + 1
                while remaining and cursor < len(keys) and cursor - index <= len(content) + _ORDER_WINDOW:
                    position = _cognate_index(keys[cursor], remaining)
                    if position is not None:
                        remaining.pop(position)
                        last = cursor
                    elif fold(tokens[cursor][0]) not in _FUNCTION_WORDS:
                        break
                    cursor += 1
                if not remaining:
                    found.append((Pattern(pattern.entity_id, pattern.keys, pattern.words, "unordered",
                                          pattern.capitalised), index, last))
        return found

    def _fuzzy_candidates(
        self, tokens: list[tuple[str, int, int]], keys: list[str], found: list[tuple[Pattern, int, int]]
    ) -> list[tuple[Pattern, int, int]]:
        if not self._fuzzy_keys:
            return []
        covered = {index for _, first, last in found for index in range(first, last + 1)}
        extra = []
        for index, (token, _, _) in enumerate(tokens):
            if index in covered or not token[:1].isupper() or len(keys[index]) < _FUZZY_MIN_LENGTH \
                    or keys[index] in self._name_words:
                continue
            match = process.extractOne(keys[index], self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
            # Transliterations keep the first letter (Ostrava is not Strava); a plural surname is
            # a family (the Starmers) and a demonym (Venezuelan) is not the place.
            if match and match[0][:1] == keys[index][:1] and not _derived(keys[index], match[0]):
                extra.extend((pattern, index, index) for pattern in self._fuzzy[match[0]])
        return extra

    def _accept(
        self, text: str, tokens: list[tuple[str, int, int]], candidates: list[tuple[Pattern, int, int]],
        labelled: list[tuple[int, int, str]],
    ) -> list[Link]:
        names = [(start, end) for start, end, _ in labelled]
        links: list[Link] = []
        kinds: dict[tuple[str, int, int], str] = {}
        link_kinds: list[str] = []
        common = self._common_nouns(text, tokens)
        for pattern, first, last in candidates:
            start, end = tokens[first][1], tokens[last][2]
            surface = text[start:end]
            if (pattern.capitalised and pattern.kind != "unordered" and not surface[:1].isupper()
                    and not surface[:1].isdigit() and fold(surface) not in common):
                continue
            if pattern.kind in {"surname", "firstname"} and _followed_by_name(text, tokens, last):
                continue  # "Lindsay Lohan" is not Sandra Lindsay
            if pattern.kind == "surname" and self._after_other_given_name(
                    text, tokens, first, pattern.entity_id, names,
                    near=token_key(tokens[first][0]) != pattern.keys[0]):
                continue  # "Melania Trump" is not Donald Trump; "Alexandre Nardella" not Satya Nadella misspelt
            if pattern.kind == "prefix" and _followed_by_name(text, tokens, last) and not tokens[last + 1][0].isupper():
                continue  # "Indiana State University" is not the Indiana State Teachers Association
            if pattern.kind == "part" and not _organisation_span(text, start, end, labelled):
                continue
            if pattern.kind == "clip" and (start, end, "ORG") not in labelled:
                continue
            if pattern.kind == "reordered" and not any(
                    span_start <= start and end <= span_end and label in _NAME_OF_SOMEONE
                    for span_start, span_end, label in labelled):
                continue
            if pattern.kind == "complement" and (_followed_by_name(text, tokens, last) or (
                    first and fold(tokens[first - 1][0]) in _PLACE_PREPOSITIONS)):
                continue  # "students in Cambridge", "Cambridge Analytica"
            if pattern.kind == "head" and _followed_by_name(text, tokens, last):
                continue  # "Donetsk National Technology University" is not Donetsk National University
            if pattern.kind == "unordered" and not any(t[0][:1].isupper() for t in tokens[first:last + 1]):
                continue
            if text.startswith("$", end):
                continue  # "US$350,000": a currency
            if self.entities[pattern.entity_id].type is EntityType.person and last + 1 < len(tokens) \
                    and fold(tokens[last + 1][0]) in _GENERATIONS - {"v"} \
                    and fold(tokens[last + 1][0]) not in folded_words(self.entities[pattern.entity_id].name):
                continue  # "Donald Trump Jr." is his son ("v" is as often "versus": "Trump v. Anderson")
            if pattern.kind == "surname" and last + 1 < len(tokens) and fold(tokens[last + 1][0]) in _FAMILIES:
                continue  # "the Anderson family", "la famille" is not one of them
            exact = folded_words(surface) == pattern.words
            if pattern.kind == "unordered" and not exact and _followed_by_name(text, tokens, last):
                continue  # "Minister of Education Kay McConney": a title, not the Ministry of Education
            if pattern.kind == "descriptor":
                method = MatchMethod.descriptor
            elif pattern.kind in {"surname", "firstname", "prefix", "head", "complement", "legal", "spaced", "part",
                                  "clip"}:
                method = MatchMethod.partial
            elif pattern.kind in {"acronym", "reordered"}:
                method = MatchMethod.variant
            else:
                method = MatchMethod.exact if exact else MatchMethod.variant
            if pattern.kind in {"acronym", "reordered", "unordered"}:
                score = 0.95
            else:
                score = 1.0 if exact else fuzz.ratio(" ".join(folded_words(surface)), " ".join(pattern.words)) / 100
            link = Link(pattern.entity_id, start, end, surface, method, round(score, 3))
            if pattern.kind != "part" or (link.entity_id, start, end) not in kinds:
                kinds[(link.entity_id, start, end)] = pattern.kind  # a run is the weakest reading
            links.append(link)
            link_kinds.append(pattern.kind)
        # "the Iraqi government and the Kurdistan regional government": the name in its own order,
        # not the longer span that reads it backwards from the word before.
        ordered = [link for link, kind in zip(links, link_kinds, strict=True) if kind != "unordered"]
        links = [link for link, kind in zip(links, link_kinds, strict=True) if kind != "unordered" or not any(
            other.entity_id == link.entity_id and other.start < link.end and link.start < other.end
            and (other.start < link.start or other.end > link.end) for other in ordered)]
        links = _longest_per_entity(links)
        full = {link.entity_id: link.start for link in sorted(links, key=lambda item: -item.start)
                if _is_full_name(link)}
        named = set(full) | {link.entity_id for link in links if link.method is MatchMethod.exact}
        first_names: dict[str, set[str]] = defaultdict(set)
        for link in links:
            if kinds.get((link.entity_id, link.start, link.end)) == "firstname":
                first_names[fold(link.surface)].add(link.entity_id)
        accepted = []
        for link in links:
            kind = kinds.get((link.entity_id, link.start, link.end))
            if kind == "firstname":
                # A first name alone only after the full name, and only when no other watched person
                # of the article shares it.
                shared = {entity for entity in first_names[fold(link.surface)] if entity in full}
                if full.get(link.entity_id, len(text)) > link.start or len(shared) > 1:
                    continue
            elif kind == "head":
                # A name without its generic head ("Harvard", "Labour") is the organisation once the
                # article has given the full name, or where NER reads an organisation. (Not refused
                # where NER reads a place: it reads "Alaska" for Alaska Airlines as one.)
                organisation = any(start <= link.start and link.end <= end and label == "ORG"
                                   for start, end, label in labelled)
                if full.get(link.entity_id, len(text)) > link.start and not organisation:
                    continue  # "Conservative lawmakers" in an article that never names the party
            elif kind == "complement":
                if full.get(link.entity_id, len(text)) > link.start:
                    continue
            elif kind in {"acronym", "reordered"} and len(fold(link.surface).replace(".", "")) <= 2 \
                    and link.entity_id not in named and not self._known_two_letters(link, labelled):
                continue
            elif kind == "spaced":
                if link.entity_id not in named:
                    continue  # "Black Rock" is a place unless the article names BlackRock
            elif kind == "surname" and link.entity_id not in named and is_common_surname(link.surface) \
                    and fold(self.entities[link.entity_id].name.split()[0]) not in _TITLES:
                # "the losses of Carter in 1980": Jimmy's, in an article that never names Ash Carter.
                # Not a regnal name after its title ("Le roi Charles" for King Charles).
                continue
            elif (link.method is MatchMethod.partial or (link.method is MatchMethod.variant and link.score < 0.9)) \
                    and link.entity_id not in named and not self._read_as_name(text, link, labelled):
                continue
            accepted.append(link)
        # A run from inside one name yields to another name read there by any other evidence
        # ("Comité national": the start of the Comité national de la recherche scientifique, a
        # run inside "Section 37 du Comité national…").
        other = {(link.start, link.end) for link in accepted
                 if kinds.get((link.entity_id, link.start, link.end)) != "part"}
        accepted = [link for link in accepted if kinds.get((link.entity_id, link.start, link.end)) != "part"
                    or (link.start, link.end) not in other]
        accepted = _drop_ambiguous(_outside_full_names(accepted))
        return _defined_acronyms(text, _drop_repeated_acronyms(text, accepted), self._organisations)

    def _known_two_letters(self, link: Link, labelled: list[tuple[int, int, str]]) -> bool:
        """Two letters made from a name, in an article that never gives it, stand for it when the
        name is a territory's in CLDR, which everyone reads so (US, UK, EU, UN; UE), or an
        organisation's that NER reads as one ("the AP", "DW"). Not otherwise: "AI" is no Ain
        Issa, "IS" no Independent SAGE, "RN" no Royal Navy."""
        entity = self.entities[link.entity_id]
        return fold(entity.name) in territory_names() or (
            entity.type is EntityType.organization and (link.start, link.end, "ORG") in labelled)

    def _read_as_name(self, text: str, link: Link, labelled: list[tuple[int, int, str]]) -> bool:
        """NER reads a part of a name, in an article that never gives the whole, as this entity's:
        a person's within a person's name ("President Trump"), any within a name with no other
        capitalised word ("Trump", which NER reads ORG in "the Trump administration"), but not
        within a longer name of a place or a firm ("Qayyarah Airfield West" is no Steve West,
        "Basic Books" no Kristina Box, "Jamaica Constabulary Force" not the Combined Joint Task
        Force)."""
        person = self.entities[link.entity_id].type is EntityType.person
        for start, end, label in labelled:
            if not (start <= link.start and link.end <= end):
                continue
            if person and label in _PERSON_LABELS:
                return True
            if any(word[:1].isupper() and fold(word) not in _ARTICLES for word, _, _ in
                   [*words(text[start:link.start]), *words(text[link.end:end])]):
                continue
            # Whatever the label, an organisation's name, or a person's: "asked Montoya-Lewis",
            # which NER reads as a place, and "the Trump administration" with "Trump" ORG. But
            # after an article only before a noun the name qualifies, or as a possessor: "against
            # the West" is no Steve West.
            after_article = _ARTICLE_BEFORE.search(text, max(0, link.start - 6), link.start) is not None
            if not person or not after_article or _MODIFIER.match(text, link.end):
                return True
        return False

    def _after_other_given_name(
        self, text: str, tokens: list[tuple[str, int, int]], first: int, entity_id: str, names: list[tuple[int, int]],
        *, near: bool,
    ) -> bool:
        """A surname that NER reads as one name with another given name before it: someone else
        of that family ("Melania Trump", "Hillary Clinton", "Brigitte Macron"). For the surname's
        own spelling, the word must be a known given name and no title ("Lord Alli", "President
        Trump"); for a near spelling, any capitalised word but a short title (Mr, Dr, Mme) will
        do ("Alexandre Nardella" is not Satya Nadella misspelt). A form of a given name of the
        watched name or of an alias is the watched person's; a nickname is one only as an alias
        ("Bill Clinton" for William Clinton)."""
        if first == 0:
            return False
        word, start, end = tokens[first - 1]
        if text[end:tokens[first][1]] != " " or not word[:1].isupper() or word.isupper():
            return False
        if near and len(word) <= 3:
            return False
        if not near and (not is_given_name(word) or fold(word) in _TITLES):
            return False
        if fold(word) in _MODALS and re.match(r"[^.!?\n]*\?", text[end:]):
            return False  # "Will Trump win again?"
        if not any(span_start <= start and tokens[first][2] <= span_end for span_start, span_end in names):
            return False
        entity = self.entities[entity_id]
        own = {token_key(w) for name in (entity.name, *entity.aliases) for w, _, _ in words(name)}
        key = token_key(word)
        # A form of the watched given name is the watched person ("Tony" for Antony Blinken,
        # "Volodymyr" for Vladimir, "Muhammad" for Mohammed).
        return not any(key in other or other in key or fuzz.ratio(key, other) >= _SAME_GIVEN_NAME for other in own)


def _organisation_span(text: str, start: int, end: int, labelled: list[tuple[int, int, str]]) -> bool:
    """NER reads exactly this span, an article aside, as an organisation."""
    return any(label == "ORG" and span_end == end and span_start <= start
               and fold(text[span_start:start]).strip(" '’") in _ARTICLES | {""}
               for span_start, span_end, label in labelled)


def _legal_form(word: str) -> bool:
    """"Inc.", "S.A.", "GmbH": a legal form, whatever its full stops."""
    return fold(word).replace(".", "") in _LEGAL_FORMS


def _derived(word: str, name: str) -> bool:
    """One extends the other: a plural or a demonym (Starmers, Venezuelan), not a spelling."""
    return word != name and (word.startswith(name) or name.startswith(word))


@cache
def name_word_forms() -> dict[str, dict[str, frozenset[str]]]:
    """Key of a generic word of institution names -> its group's words (folded) by language
    (``lexicons/name_words.yaml``)."""
    groups = yaml.safe_load((LEXICON_DIR / "name_words.yaml").read_text(encoding="utf-8")) or []
    forms: dict[str, dict[str, frozenset[str]]] = {}
    for group in groups:
        by_language = {language: frozenset(fold(str(word)) for word in group_words)
                       for language, group_words in group.items()}
        for group_words in by_language.values():
            for word in group_words:
                forms[token_key(word)] = by_language
    return forms


@cache
def name_word_translations() -> dict[str, frozenset[str]]:
    """Key of a generic word of institution names -> the keys of its translations, any language."""
    return {key: frozenset(token_key(word) for group_words in by_language.values() for word in group_words) - {key}
            for key, by_language in name_word_forms().items()}


_MAX_TRANSLATED_ACRONYMS = 64


def translated_acronyms(name: str, language: str) -> set[str]:
    """Initials of the name's content words as ``language`` says them, in any order ("World
    Health Organization" -> OMS in French, from mondiale and santé; "International Criminal
    Court" -> CPI); a word with no listed translation keeps its initial (a cognate: international).
    Three content words or more, so that an acronym is three letters or more; the name's own
    acronyms are left out (see :func:`acronyms`)."""
    parts = [part for part in _initial_words(name) if fold(part).strip("'’") not in _FUNCTION_WORDS]
    if len(parts) < 3:
        return set()
    found = {""}
    for part in parts:
        forms = name_word_forms().get(token_key(part), {}).get(language)
        initials = {form[0] for form in forms} if forms else {fold(part)[0]}
        found = {prefix + initial for prefix in found for initial in initials}
        if len(found) > _MAX_TRANSLATED_ACRONYMS:
            return set()
    return found - acronyms(name)


def _cognate_index(key: str, candidates: list[str]) -> int | None:
    """Index of the candidate equal to ``key``, a translation of it ("mondial" for "world") or a
    cognate of it (a long shared beginning)."""
    translations = name_word_translations().get(key, frozenset())
    for index, candidate in enumerate(candidates):
        if key == candidate or candidate in translations:
            return index
    for index, candidate in enumerate(candidates):
        shortest = min(len(key), len(candidate))
        if shortest < _PREFIX:
            continue
        common = 0
        while common < shortest and key[common] == candidate[common]:
            common += 1
        if common >= max(_PREFIX, 0.7 * shortest):
            return index
    return None


def _followed_by_name(text: str, tokens: list[tuple[str, int, int]], last: int) -> bool:
    """The next word, after a single space, is capitalised: a longer name of someone else."""
    if last + 1 >= len(tokens):
        return False
    word, start, _ = tokens[last + 1]
    return text[tokens[last][2]:start] == " " and word[:1].isupper()


def _drop_repeated_acronyms(text: str, links: list[Link]) -> list[Link]:
    """"Israel Defense Forces (IDF)" is one mention: an acronym in brackets right after a name of
    the same entity repeats it."""
    result: list[Link] = []
    for link in links:
        previous = result[-1] if result else None
        if (previous is not None and previous.entity_id == link.entity_id
                and text[previous.end:link.start].strip() == "("):
            continue
        result.append(link)
    return result


_DEFINITION = re.compile(r"[\s\u00a0]*(?:\([^()\n]{1,80}\)[\s\u00a0]*)?\(([A-Z][A-Z0-9&]{1,7})\)")


def _defined_acronyms(text: str, links: list[Link], organisations: set[str]) -> list[Link]:
    """"Initiative Schwarze Menschen in Deutschland (Initiative of Black People in Germany) (ISD)":
    an acronym the article defines in brackets after a watched organisation's name stands for it
    from there on, whatever letters it is made of (the definition itself is no mention). Not
    after a person: "Jan Hamáček (ČSSD)" is his party."""
    result = list(links)
    for link in links:
        definition = _DEFINITION.match(text, link.end) if link.entity_id in organisations else None
        if definition is None or definition.end() - link.end > 100:
            continue
        acronym = definition.group(1)
        for use in re.compile(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])").finditer(text, definition.end()):
            if not any(other.start < use.end() and use.start() < other.end for other in result):
                result.append(Link(link.entity_id, use.start(), use.end(), acronym, MatchMethod.variant, 0.9))
    return sorted(result, key=lambda item: (item.start, item.entity_id)) if len(result) > len(links) else links


def _longest_per_entity(links: list[Link]) -> list[Link]:
    """A span inside a longer match of the same entity is the same mention; crossing spans of
    different entities keep the longer one; nested spans of different entities are both kept
    ("le maître du Kremlin" is Putin, and "Kremlin" inside it is the Kremlin)."""
    # The best reading of a span first: "ministère de la Santé" is exact for Ministère de la
    # Santé, though its reading without the article ("Ministère de Santé") is a variant.
    links.sort(key=lambda link: (link.start, -(link.end - link.start), link.method is not MatchMethod.exact,
                                 -link.score))
    kept: list[Link] = []
    for link in links:
        overlapping = [k for k in kept if k.start < link.end and link.start < k.end]
        if any(k.entity_id == link.entity_id for k in overlapping):
            continue
        if any(not (k.start <= link.start and link.end <= k.end) for k in overlapping):
            continue
        kept.append(link)
    return kept


def _is_full_name(link: Link) -> bool:
    """A name read whole, of more than one word: what makes a partial name ("Trump", "Labour")
    the entity's in the rest of the article."""
    return link.method in {MatchMethod.exact, MatchMethod.variant} and " " in link.surface.strip()


def _outside_full_names(links: list[Link]) -> list[Link]:
    """A partial name inside another entity's full name is that name's own: "Trump" in "Melania
    Trump" is not Donald Trump."""
    full = [link for link in links if _is_full_name(link)]
    return [link for link in links if link.method is not MatchMethod.partial or not any(
        other.entity_id != link.entity_id and other.start <= link.start and link.end <= other.end
        and (other.start, other.end) != (link.start, link.end) for other in full)]


def _drop_ambiguous(links: list[Link]) -> list[Link]:
    """The same span linked to two entities by the same kind of evidence is a coin toss: drop it.
    A partial name two watched entities share ("Anderson" for Zoe and Chris Anderson) is not one:
    it is the one whose full name the text gave last before it, if any."""
    full = [link for link in links if _is_full_name(link)]
    by_span: dict[tuple[int, int], list[Link]] = defaultdict(list)
    for link in links:
        by_span[(link.start, link.end)].append(link)
    result = []
    for (start, _), found in by_span.items():
        rivals = {link.entity_id for link in found if link.method is MatchMethod.partial}
        last = max((other for other in full if other.entity_id in rivals and other.end <= start),
                   key=lambda other: other.start, default=None) if len(rivals) > 1 else None
        span_links = [link for link in found if len(rivals) <= 1 or link.method is not MatchMethod.partial
                      or (last is not None and link.entity_id == last.entity_id)]
        if not span_links:
            continue
        if len(span_links) == 1 or len({link.method for link in span_links}) > 1:
            best = sorted(span_links, key=lambda link: (link.method is not MatchMethod.exact, -link.score))
            result.append(best[0] if len(span_links) > 1 else span_links[0])
    return sorted(result, key=lambda link: (link.start, link.entity_id))
