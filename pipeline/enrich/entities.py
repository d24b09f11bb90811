"""Watchlist linking: find every reference to a watched entity, under any spelling.

One Aho-Corasick pass over the text's stream of name keys (see :mod:`pipeline.enrich.names`)
finds names, aliases, descriptors and surnames; a rapidfuzz pass over capitalised words catches
near spellings the key rules miss. Surnames alone and near spellings are only accepted when the
document also names the entity in full, or when NER says the span is a name, so that a short
surname never links on its own in an unrelated text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick
from rapidfuzz import fuzz, process

from pipeline.enrich.names import folded_words, name_keys, token_key
from pipeline.enrich.textnorm import words
from pipeline.models import EntityType, MatchMethod, WatchedEntity

_ARTICLES = {"the", "le", "la", "les", "l", "der", "die", "das", "el", "los", "las", "il", "lo", "gli"}
_FUZZY_CUTOFF = 88.0
_FUZZY_MIN_LENGTH = 6


@dataclass(frozen=True)
class Pattern:
    entity_id: str
    keys: tuple[str, ...]
    words: tuple[str, ...]
    kind: str  # name | alias | surname | descriptor
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


def _patterns(entity: WatchedEntity) -> Iterable[Pattern]:
    def make(text: str, kind: str) -> Pattern | None:
        keys = name_keys(text)
        if not keys:
            return None
        return Pattern(entity.id, keys, folded_words(text), kind, text[:1].isupper())

    names = [(entity.name, "name")] + [(alias, "alias") for alias in entity.aliases]
    for text, kind in names:
        for candidate in {text, " ".join(w for w in text.split() if w.lower().strip("'’") not in _ARTICLES)}:
            pattern = make(candidate, kind)
            if pattern:
                yield pattern
    for descriptor in entity.descriptors:
        pattern = make(descriptor, "descriptor")
        if pattern:
            yield Pattern(pattern.entity_id, pattern.keys, pattern.words, "descriptor", False)
    if entity.type is EntityType.person:
        tokens = entity.name.split()
        if len(tokens) >= 2 and len(tokens[-1]) >= 3:
            pattern = make(tokens[-1], "surname")
            if pattern:
                yield pattern


class EntityLinker:
    """Built once per watchlist; ``link`` is pure and cheap to call per document."""

    def __init__(self, watchlist: list[WatchedEntity]) -> None:
        self.entities = {entity.id: entity for entity in watchlist}
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[Pattern]] = defaultdict(list)
        for entity in watchlist:
            for pattern in _patterns(entity):
                by_key[" " + " ".join(pattern.keys) + " "].append(pattern)
        for key, patterns in by_key.items():
            self._automaton.add_word(key, (key, tuple(patterns)))
        if by_key:
            self._automaton.make_automaton()
        # Single-word keys for the fuzzy pass: full single-word names and surnames.
        self._fuzzy: dict[str, list[Pattern]] = defaultdict(list)
        for patterns in by_key.values():
            for pattern in patterns:
                single = len(pattern.keys) == 1 and len(pattern.keys[0]) >= _FUZZY_MIN_LENGTH
                if single and pattern.kind != "descriptor":
                    self._fuzzy[pattern.keys[0]].append(pattern)
        self._fuzzy_keys = list(self._fuzzy)

    def link(self, text: str, names: Iterable[tuple[int, int]] = ()) -> list[Link]:
        """Mentions in ``text``; ``names`` are spans NER recognised as proper names."""
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
        candidates.extend(self._fuzzy_candidates(tokens, keys, candidates))
        return self._accept(text, tokens, candidates, list(names))

    def _fuzzy_candidates(
        self, tokens: list[tuple[str, int, int]], keys: list[str], found: list[tuple[Pattern, int, int]]
    ) -> list[tuple[Pattern, int, int]]:
        if not self._fuzzy_keys:
            return []
        covered = {index for _, first, last in found for index in range(first, last + 1)}
        extra = []
        for index, (token, _, _) in enumerate(tokens):
            if index in covered or not token[:1].isupper() or len(keys[index]) < _FUZZY_MIN_LENGTH:
                continue
            match = process.extractOne(keys[index], self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
            if match:
                extra.extend((pattern, index, index) for pattern in self._fuzzy[match[0]])
        return extra

    def _accept(
        self, text: str, tokens: list[tuple[str, int, int]], candidates: list[tuple[Pattern, int, int]],
        names: list[tuple[int, int]],
    ) -> list[Link]:
        links: list[Link] = []
        for pattern, first, last in candidates:
            start, end = tokens[first][1], tokens[last][2]
            surface = text[start:end]
            if pattern.capitalised and not surface[:1].isupper() and not surface[:1].isdigit():
                continue
            exact = folded_words(surface) == pattern.words
            if pattern.kind == "descriptor":
                method = MatchMethod.descriptor
            elif pattern.kind == "surname":
                method = MatchMethod.partial
            else:
                method = MatchMethod.exact if exact else MatchMethod.variant
            score = 1.0 if exact else fuzz.ratio(" ".join(folded_words(surface)), " ".join(pattern.words)) / 100
            links.append(Link(pattern.entity_id, start, end, surface, method, round(score, 3)))
        links = _longest_per_entity(links)
        named = {link.entity_id for link in links if link.method in {MatchMethod.exact, MatchMethod.variant}
                 and " " in link.surface.strip()}
        named |= {link.entity_id for link in links if link.method is MatchMethod.exact}
        accepted = []
        for link in links:
            if link.method is MatchMethod.partial or (link.method is MatchMethod.variant and link.score < 0.9):
                is_name = any(start <= link.start and link.end <= end for start, end in names)
                if link.entity_id not in named and not is_name:
                    continue
            accepted.append(link)
        return _drop_ambiguous(accepted)


def _longest_per_entity(links: list[Link]) -> list[Link]:
    """A span inside a longer match of the same entity is the same mention; crossing spans of
    different entities keep the longer one; nested spans of different entities are both kept
    ("le maître du Kremlin" is Putin, and "Kremlin" inside it is the Kremlin)."""
    links.sort(key=lambda link: (link.start, -(link.end - link.start)))
    kept: list[Link] = []
    for link in links:
        overlapping = [k for k in kept if k.start < link.end and link.start < k.end]
        if any(k.entity_id == link.entity_id for k in overlapping):
            continue
        if any(not (k.start <= link.start and link.end <= k.end) for k in overlapping):
            continue
        kept.append(link)
    return kept


def _drop_ambiguous(links: list[Link]) -> list[Link]:
    """The same span linked to two entities by the same kind of evidence is a coin toss: drop it."""
    by_span: dict[tuple[int, int], list[Link]] = defaultdict(list)
    for link in links:
        by_span[(link.start, link.end)].append(link)
    result = []
    for span_links in by_span.values():
        if len(span_links) == 1 or len({link.method for link in span_links}) > 1:
            best = sorted(span_links, key=lambda link: (link.method is not MatchMethod.exact, -link.score))
            result.append(best[0] if len(span_links) > 1 else span_links[0])
    return sorted(result, key=lambda link: (link.start, link.entity_id))
