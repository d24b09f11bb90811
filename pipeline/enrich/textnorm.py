"""Case- and accent-folding that keeps character offsets, so a match in the folded text is a span
in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPECIAL = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d",
            "Đ": "d", "ı": "i", "ß": "ss", "’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'", "‐": "-",
            "‑": "-", "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "}


class _FoldTable(dict[int, str]):
    """str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _SPECIAL:
            folded = _SPECIAL[char]
        else:
            folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            folded = folded.casefold()
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    return text.translate(_TABLE)


@dataclass(frozen=True)
class Folded:
    """The folded text and, for each of its characters, the offset of its source character."""

    text: str
    offsets: tuple[int, ...] | None
    """None when folding kept the length: offsets are the identity (the common case)."""
    source_length: int

    @classmethod
    def of(cls, text: str) -> Folded:
        folded = text.translate(_TABLE)
        if len(folded) == len(text):
            return cls(folded, None, len(text))
        offsets: list[int] = []
        for index, char in enumerate(text):
            offsets.extend([index] * len(_TABLE[ord(char)]))
        return cls(folded, tuple(offsets), len(text))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Span in the original text of folded[start:end]."""
        if self.offsets is None:
            return start, end
        source_end = self.offsets[end - 1] + 1 if end > 0 else 0
        return self.offsets[start] if start < len(self.offsets) else self.source_length, source_end


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of ``text`` with their spans; apostrophes and hyphens separate words."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def collapse_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
