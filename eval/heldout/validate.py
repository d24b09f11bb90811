#!/usr/bin/env python3
"""Validate a newswatch gold set (format: ../../../shared/gold/README.md).

Usage:
    python3 eval/dev/validate.py [GOLD.json [WATCHLIST.yaml]]

Defaults to gold.json and watchlist.yaml next to this script, so
`python3 eval/heldout/validate.py` or
`python3 eval/dev/validate.py eval/heldout/gold.json eval/heldout/watchlist.yaml`
check the held-out set the same way.

Checks, per document: `lang` is set, `text_file` (or `text`) can be read,
every claim `sentence` occurs in the text after collapsing whitespace runs
to one space (misses are errors; several occurrences or overlapping gold
spans are warnings, because a scorer locates a span at its first
occurrence), `speaker` is a watch id or a plain lowercase noun, `about`
and `mentions` keys are watch ids, mention counts are positive integers,
`stance` is one of the six labels. Prints totals and exits 1 on any error.
Needs only the standard library and PyYAML.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

STANCES = {"assertion", "allegation", "accusation", "denial", "admission", "no_comment"}
NOUN = re.compile(r"^[a-z][a-z0-9_-]*$")
WS = re.compile(r"\s+")


def collapse(s):
    return WS.sub(" ", s).strip()


def main(argv):
    here = Path(__file__).resolve().parent
    gold_path = Path(argv[1]) if len(argv) > 1 else here / "gold.json"
    wl_path = Path(argv[2]) if len(argv) > 2 else gold_path.parent / "watchlist.yaml"

    errors, warnings = [], []
    watch = yaml.safe_load(wl_path.read_text(encoding="utf-8"))
    ids = set()
    for e in watch:
        if not {"id", "name", "type"} <= set(e):
            errors.append(f"watchlist entry lacks id/name/type: {e}")
            continue
        if e["type"] not in {"person", "organization", "product", "place"}:
            errors.append(f"watchlist {e['id']}: bad type {e['type']!r}")
        if e["id"] in ids:
            errors.append(f"watchlist: duplicate id {e['id']}")
        if not NOUN.match(e["id"]):
            errors.append(f"watchlist: id {e['id']!r} is not short lowercase")
        ids.add(e["id"])

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    docs = gold.get("docs", [])
    per_lang_docs, per_lang_claims = Counter(), Counter()
    per_stance, per_lang_stance = Counter(), Counter()
    mentioned = Counter()
    seen_ids = set()

    for d in docs:
        did = d.get("id", "?")
        if did in seen_ids:
            errors.append(f"{did}: duplicate document id")
        seen_ids.add(did)
        lang = d.get("lang")
        if lang not in {"fr", "en"}:
            errors.append(f"{did}: lang missing or unexpected ({lang!r})")
        if "text" in d:
            text = d["text"]
        else:
            tf = gold_path.parent / d.get("text_file", "")
            if not tf.is_file():
                errors.append(f"{did}: text_file not found: {tf}")
                continue
            text = tf.read_text(encoding="utf-8")
        ctext = collapse(text)
        per_lang_docs[lang] += 1

        for eid, n in d.get("mentions", {}).items():
            if eid not in ids:
                errors.append(f"{did}: mentions key {eid!r} is not a watch id")
            if not isinstance(n, int) or n <= 0:
                errors.append(f"{did}: mentions[{eid}] must be a positive int, got {n!r}")
            else:
                mentioned[eid] += n

        spans = []
        for k, c in enumerate(d.get("claims", []), 1):
            where = f"{did} claim {k}"
            sent = c.get("sentence", "")
            cs = collapse(sent)
            pos = ctext.find(cs) if cs else -1
            if pos < 0:
                errors.append(f"{where}: sentence not found in text: {sent[:90]!r}")
            else:
                n_occ = ctext.count(cs)
                if n_occ > 1:
                    warnings.append(f"{where}: sentence occurs {n_occ} times (first one is used): {sent[:60]!r}")
                spans.append((pos, pos + len(cs), k))
            sp = c.get("speaker")
            if not isinstance(sp, str) or not sp:
                errors.append(f"{where}: empty speaker")
            elif sp not in ids and not NOUN.match(sp):
                errors.append(f"{where}: speaker {sp!r} is neither a watch id nor a plain lowercase noun")
            st = c.get("stance")
            if st not in STANCES:
                errors.append(f"{where}: bad stance {st!r}")
            about = c.get("about", [])
            if not isinstance(about, list):
                errors.append(f"{where}: about must be a list")
                about = []
            for a in about:
                if a not in ids:
                    errors.append(f"{where}: about id {a!r} is not a watch id")
            if len(set(about)) != len(about):
                warnings.append(f"{where}: duplicate ids in about")
            per_lang_claims[lang] += 1
            per_stance[st] += 1
            per_lang_stance[(lang, st)] += 1

        spans.sort()
        for (a0, a1, ka), (b0, b1, kb) in zip(spans, spans[1:]):
            if b0 < a1:
                warnings.append(f"{did}: gold spans of claims {ka} and {kb} overlap")

    unused = sorted(ids - set(mentioned))
    for w in warnings:
        print("WARNING", w)
    for e in errors:
        print("ERROR  ", e)

    total_claims = sum(per_lang_claims.values())
    print(f"\n{gold_path}: {len(docs)} docs, {total_claims} claims")
    for lang in sorted(per_lang_docs):
        stances = ", ".join(f"{s} {per_lang_stance[(lang, s)]}" for s in sorted(STANCES))
        print(f"  {lang}: {per_lang_docs[lang]} docs, {per_lang_claims[lang]} claims ({stances})")
    print("  per stance: " + ", ".join(f"{s} {per_stance[s]}" for s in sorted(STANCES)))
    print(f"  mentions: {sum(mentioned.values())} over {len(mentioned)} watch ids; "
          f"watch ids never mentioned (distractors): {', '.join(unused) or '-'}")
    print(f"  {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
