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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


def json_line(scores: Scores) -> str:
    return json.dumps(scores.summary())
