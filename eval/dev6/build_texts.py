"""Rebuild dev6's texts from re3d's CoNLL files (run once; the texts are frozen).

re3d keeps only tokens, so the running text has to be put
back together. The rules below undo the tokeniser's spacing the way a reader would expect
("U.S. - led" -> "U.S.-led", "ISIL ’ s" -> "ISIL’s", "6 , 602" -> "6,602"); they do not correct
the sources' own breaks (a sentence split over two lines stays split).

    .venv/bin/python eval/dev6/build_texts.py ../shared/corpora/ner_quotes eval/dev6/texts
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "]", "%", "”", "’s", "'s", "n't"}
_NO_SPACE_AFTER = {"(", "[", "$", "“"}
_TERMINAL = (".", "!", "?", "”", '"', ":", ";")


def _inner(prev: str, tok: str, nxt: str) -> bool:
    """Whether `tok` sat inside a word or number, glued on both sides ("ISIL’s", "U.S.-led", "6,602")."""
    if tok in {"’", "'"} and prev[-1:].isalpha() and nxt[:1].isalpha():
        return len(nxt) <= 2 or nxt[:1].islower() or prev[-1:].isupper() or len(prev) == 1
    word = prev[-1:].isalnum() or re.fullmatch(r"(?:[A-Z]\.)+", prev) is not None
    if tok == "-" and word and nxt[:1].isalnum():
        return True
    if tok == "." and prev.isdigit() and nxt.isdigit():
        return True
    return tok == "," and prev.isdigit() and re.fullmatch(r"\d{3}", nxt) is not None


def _join_tokens(tokens: list[str]) -> str:
    out = ""
    straight_open = False
    glue_next = False
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        inner = _inner(prev, tok, nxt)
        space = bool(out) and not (glue_next or inner or tok in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER)
        glue_next = inner
        if tok == '"':
            space = bool(out) and not straight_open
            straight_open = not straight_open
            glue_next = straight_open
        out += (" " if space else "") + tok
    out = re.sub(r"(?<=\w) ?- -(?= ?\w)", " --", out)
    return re.sub(r"\b([A-Z])\. ([A-Z])\.(?=[\s,])", r"\1.\2.", out)


def _conll_sentences(path: Path) -> list[list[str]]:
    sentences: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if sentences[-1]:
                sentences.append([])
            continue
        sentences[-1].append(line.split()[0])
    return [s for s in sentences if s]


def re3d_text(path: Path) -> str:
    """One line per sentence; a fragment that does not end a sentence joins the next lowercase one."""
    lines: list[str] = []
    for sentence in _conll_sentences(path):
        text = _join_tokens(sentence)
        fragment = not lines[-1].endswith(_TERMINAL) and text[:1].islower() if lines else False
        if fragment or (lines and re.search(r"\b[A-Z][a-z]{1,3}\.$", lines[-1])):
            lines[-1] += " " + text
        else:
            lines.append(text)
    return "\n".join(lines) + "\n"


def main(corpora: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for folder, prefix in (("CENTCOM", "en-centcom"), ("US_State_Department", "en-state")):
        for path in sorted((corpora / "en_re3d_public" / folder).glob("*.conll")):
            (out / f"{prefix}-{path.stem[:6].lower()}.txt").write_text(re3d_text(path), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
