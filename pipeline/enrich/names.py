"""Spelling-insensitive keys for names.

The same person is Putin in English, Poutine in French, Putin in German; Kiriyenko and Kirienko;
Dmitry, Dmitri and Dmitrii; Sergei and Sergueï. These differ by the conventions each language uses
to write the same sounds, so instead of listing variants per entity, every name token is reduced
to a key by rules that undo those conventions (French "ou" for /u/ and, after a consonant, /w/,
"gu" before e/i, "tch" and "ch" for /tʃ/ and /ʃ/, "j" for /ʒ/, "y"/"i" and "ï", a final mute "e",
doubled letters), and those of Arabic names in Latin letters (Raqqa/Raqqah, Deir/Dayr,
Qaeda/Qaida, Zor/Zawr, the article al-/ez-/ar- assimilated to the next consonant).
The rules are applied to the watched name and to the text alike, so they need not be perfect,
only consistent; rapidfuzz catches what remains (one-letter typos in long names).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

from pipeline.enrich.textnorm import fold

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"(.)\1+", r"\1"),  # first, so that French "oo" + "ou" (Belooussov) meets English "ou" (Belousov)
        (r"kh", "h"),
        (r"zh", "j"),
        (r"tch", "ch"),
        (r"tsch", "ch"),
        (r"sch", "sh"),
        (r"ch", "sh"),
        (r"ou", "u"),
        (r"gu(?=[ei])", "g"),
        (r"ph", "f"),
        (r"eh$", "a"),  # Arabic final -a written -ah, -eh: Raqqa/Raqqah, Jabla/Jableh, Falluja/Fallujah
        (r"(?<=[aeiou])h$", ""),
        (r"[ae]i|ae", "ai"),  # Deir/Dayr, Qaeda/Qaida, Leila/Laila
        (r"aw(?![aeiou])", "o"),  # Zor/Zawr, Tawfiq/Tofiq
        (r"y", "i"),
        (r"(?<=[bcdfgjklmnpqrstvz])w(?=[aeiou])", "u"),  # French "ou" for /w/: Sinouar/Sinwar, Édouard/Edward
        (r"w", "v"),
        (r"ck", "k"),
        (r"x", "ks"),
        (r"(.)\1+", r"\1"),
    )
)
_FINAL_MUTE_E = re.compile(r"(?<=[^aeiou])e$")
ARABIC_ARTICLES = frozenset({"al", "el", "ar", "az", "ad", "ash", "ez", "ed", "er", "ul"})
"""Not "as", "at", "an", "en", "es": they are English or French words."""


_PATRONYMICS = frozenset({"bin", "ben", "ibn"})
"""Transliterations of the Arabic "son of" in names."""


@lru_cache(maxsize=200_000)
def token_key(token: str) -> str:
    """The spelling-insensitive key of one word (already a single \\w+ token)."""
    key = fold(token)
    if not key.isascii():
        return key  # scripts other than Latin are compared as folded text
    if key in ARABIC_ARTICLES:
        return "al"  # the article assimilates: Deir ez-Zor, Dayr az-Zawr; el- in Egyptian spelling
    if key in _PATRONYMICS:
        return "bin"  # "son of": Mohammed bin Salman, Mohammed ben Salmane in French, ibn Saud
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    if len(key) > 4:
        key = _FINAL_MUTE_E.sub("", key)
    return key


def name_keys(name: str) -> tuple[str, ...]:
    return tuple(token_key(token) for token in re.findall(r"\w+", name, flags=re.UNICODE))


def folded_words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", fold(text), flags=re.UNICODE))


@cache
def _given_names() -> dict[str, str]:
    """Given name → "Fem", "Masc" or "" (``lexicons/given_names.tsv``, from nomquamgender)."""
    text = (resources.files("pipeline") / "lexicons" / "given_names.tsv").read_text(encoding="utf-8")
    genders = {"F": "Fem", "M": "Masc", "?": ""}
    return {name: genders[gender] for name, gender in
            (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))}


@cache
def _common_surnames() -> frozenset[str]:
    """The 1,000 most common surnames of the U.S. Census (``lexicons/common_surnames.tsv``)."""
    text = (resources.files("pipeline") / "lexicons" / "common_surnames.tsv").read_text(encoding="utf-8")
    return frozenset(line.split("\t")[0] for line in text.splitlines() if line and not line.startswith("#"))


def is_common_surname(word: str) -> bool:
    """One of the most common surnames ("Carter", "Ford", "West"): alone, it says little of who
    is meant."""
    return fold(word) in _common_surnames()


def is_given_name(word: str) -> bool:
    """A common given name, of either gender ("Melania", "Hillary", "Jordan")."""
    return fold(word) in _given_names()


def name_gender(name: str) -> str:
    """"Fem" or "Masc" when the name's first word is a given name that nearly only women or only
    men bear ("Rachida Dati", "Jean-Luc Mélenchon", "Marie-Claire X" by its first part), else "".
    A surname alone, a family name first ("Xi Jinping") or a name borne by both ("Jean",
    "Andrea") says nothing."""
    words = fold(name).split()
    if not words:
        return ""
    first = words[0].strip(".,")
    given = _given_names()
    if first in given:
        return given[first]  # "Jean-Marie": borne by both, whatever "Jean" alone
    return given.get(first.split("-")[0], "")
