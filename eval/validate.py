#!/usr/bin/env python3
"""Validate a newswatch gold set (format: ../../shared/gold/README.md).

Usage:
    python3 eval/validate.py GOLD.json [WATCHLIST.yaml]

    python3 eval/validate.py eval/dev/gold.json
    python3 eval/validate.py eval/heldout/gold.json

The watchlist defaults to watchlist.yaml next to the gold file. One script for every gold set,
so that the dev and held-out sets are checked by the same rules.

Checks, per document: `lang` is set, `text_file` (or `text`) can be read, every claim `sentence`
occurs in the text after collapsing whitespace runs to one space (misses are errors; several
occurrences or overlapping gold spans are warnings, because the scorer locates a span at its
first occurrence), `speaker` is a watch id or a plain lowercase noun, `about` and `mentions`
keys are watch ids, mention counts are positive integers, `stance` is one of the six labels.
Prints totals and exits 1 on any error. Needs only the standard library and PyYAML.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

STANCES = {"assertion", "allegation", "accusation", "denial", "admission", "no_comment"}
TYPES = {"person", "organization", "product", "place"}
NOUN = re.compile(r"^[a-z][a-z0-9_-]*$")
WHITESPACE = re.compile(r"\s+")


def collapse(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    docs: Counter[str] = field(default_factory=Counter)
    claims: Counter[str] = field(default_factory=Counter)
    stances: Counter[tuple[str, str]] = field(default_factory=Counter)
    mentioned: Counter[str] = field(default_factory=Counter)


def watch_ids(path: Path, report: Report) -> set[str]:
    ids: set[str] = set()
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        if not {"id", "name", "type"} <= set(entry):
            report.errors.append(f"watchlist entry lacks id/name/type: {entry}")
            continue
        if entry["type"] not in TYPES:
            report.errors.append(f"watchlist {entry['id']}: bad type {entry['type']!r}")
        if entry["id"] in ids:
            report.errors.append(f"watchlist: duplicate id {entry['id']}")
        if not NOUN.match(entry["id"]):
            report.errors.append(f"watchlist: id {entry['id']!r} is not short lowercase")
        ids.add(entry["id"])
    return ids


def check_claim(where: str, claim: dict[str, Any], text: str, ids: set[str], report: Report) -> tuple[int, int] | None:
    """The claim's span in the collapsed text (None when its sentence is missing)."""
    span = None
    sentence = collapse(claim.get("sentence", ""))
    position = text.find(sentence) if sentence else -1
    if position < 0:
        report.errors.append(f"{where}: sentence not found in text: {claim.get('sentence', '')[:90]!r}")
    else:
        occurrences = text.count(sentence)
        if occurrences > 1:
            report.warnings.append(f"{where}: sentence occurs {occurrences} times (first one is used): "
                                   f"{sentence[:60]!r}")
        span = (position, position + len(sentence))
    speaker = claim.get("speaker")
    if not isinstance(speaker, str) or not speaker:
        report.errors.append(f"{where}: empty speaker")
    elif speaker not in ids and not NOUN.match(speaker):
        report.errors.append(f"{where}: speaker {speaker!r} is neither a watch id nor a plain lowercase noun")
    if claim.get("stance") not in STANCES:
        report.errors.append(f"{where}: bad stance {claim.get('stance')!r}")
    about = claim.get("about", [])
    if not isinstance(about, list):
        report.errors.append(f"{where}: about must be a list")
        about = []
    report.errors.extend(f"{where}: about id {entity!r} is not a watch id" for entity in about if entity not in ids)
    if len(set(about)) != len(about):
        report.warnings.append(f"{where}: duplicate ids in about")
    return span


def check_document(document: dict[str, Any], gold_dir: Path, ids: set[str], report: Report) -> None:
    name = document.get("id", "?")
    language = document.get("lang")
    if language not in {"fr", "en"}:
        report.errors.append(f"{name}: lang missing or unexpected ({language!r})")
    if "text" in document:
        text = document["text"]
    else:
        text_file = gold_dir / document.get("text_file", "")
        if not text_file.is_file():
            report.errors.append(f"{name}: text_file not found: {text_file}")
            return
        text = text_file.read_text(encoding="utf-8")
    collapsed = collapse(text)
    report.docs[language] += 1
    for entity, count in document.get("mentions", {}).items():
        if entity not in ids:
            report.errors.append(f"{name}: mentions key {entity!r} is not a watch id")
        if not isinstance(count, int) or count <= 0:
            report.errors.append(f"{name}: mentions[{entity}] must be a positive int, got {count!r}")
        else:
            report.mentioned[entity] += count
    spans = []
    for number, claim in enumerate(document.get("claims", []), 1):
        span = check_claim(f"{name} claim {number}", claim, collapsed, ids, report)
        if span is not None:
            spans.append((*span, number))
        report.claims[language] += 1
        report.stances[(language, claim.get("stance"))] += 1
    spans.sort()
    for (_, first_end, first), (second_start, _, second) in pairwise(spans):
        if second_start < first_end:
            report.warnings.append(f"{name}: gold spans of claims {first} and {second} overlap")


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    gold_path = Path(argv[1])
    watchlist_path = Path(argv[2]) if len(argv) > 2 else gold_path.parent / "watchlist.yaml"
    report = Report()
    ids = watch_ids(watchlist_path, report)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    documents = gold.get("docs", [])
    names = Counter(document.get("id", "?") for document in documents)
    report.errors.extend(f"{name}: duplicate document id" for name, count in names.items() if count > 1)
    for document in documents:
        check_document(document, gold_path.parent, ids, report)

    for warning in report.warnings:
        print("WARNING", warning)
    for error in report.errors:
        print("ERROR  ", error)
    print(f"\n{gold_path}: {len(documents)} docs, {sum(report.claims.values())} claims")
    for language in sorted(report.docs, key=str):
        stances = ", ".join(f"{stance} {report.stances[(language, stance)]}" for stance in sorted(STANCES))
        print(f"  {language}: {report.docs[language]} docs, {report.claims[language]} claims ({stances})")
    totals = Counter()
    for (_, stance), count in report.stances.items():
        totals[stance] += count
    print("  per stance: " + ", ".join(f"{stance} {totals[stance]}" for stance in sorted(STANCES)))
    unused = sorted(ids - set(report.mentioned))
    print(f"  mentions: {sum(report.mentioned.values())} over {len(report.mentioned)} watch ids; "
          f"watch ids never mentioned (distractors): {', '.join(unused) or '-'}")
    print(f"  {len(report.errors)} errors, {len(report.warnings)} warnings")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
