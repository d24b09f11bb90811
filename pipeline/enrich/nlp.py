"""spaCy pipelines per language, loaded once per process and only for languages that occur."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import pairwise

import spacy
from spacy.language import Language
from spacy.tokens import Doc

log = logging.getLogger(__name__)


class ModelMissing(Exception):
    """The configured spaCy model for a language is not installed."""


@Language.component("newswatch_names_whole")
def names_whole(doc: Doc) -> Doc:
    """No sentence starts between two capitalised words: the small French model cut "Emmanuel |
    Macron estime que…" into two sentences, tagged "Macron" an adverb and left "estime" without
    a subject. Told that no sentence starts there, it reads "Emmanuel" as the subject and
    "Macron" as the rest of the name."""
    for before, token in pairwise(doc):
        if before.is_alpha and before.text[:1].isupper() and token.is_alpha and token.text[:1].isupper() \
                and "\n" not in before.whitespace_:
            token.is_sent_start = False
    return doc


@Language.component("newswatch_letter_stop")
def letter_stop(doc: Doc) -> Doc:
    """A capital letter and a full stop after a lowercase word and before a capitalised word of
    grammar is a name ending a sentence, not an initial or "M." for Monsieur (which a name
    follows): the tokenizers keep "X." whole as in "George W. Bush", so "a réagi sur X. Pour
    lui…" and "posted on X. The post…" were one sentence, their subjects confused. Split before
    the tagger and parser see it."""
    splits = [token for token in doc[1:-1]
              if len(token.text) == 2 and token.text[0].isupper() and token.text[1] == "."
              and token.nbor(-1).is_lower and token.nbor(-1).is_alpha
              and token.nbor(1).text[:1].isupper() and token.nbor(1).is_stop]
    if splits:
        with doc.retokenize() as retokenizer:
            for token in splits:
                retokenizer.split(token, [token.text[0], "."], heads=[(token, 0), (token, 0)])
    return doc


def _load(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as exc:
        package = name.replace("_", "-")
        raise ModelMissing(
            f"spaCy model {name!r} is not installed; install it with `pip install {package}` "
            f"(see nlp.models in the configuration)"
        ) from exc


@cache
def load_model(name: str) -> Language:
    """The model as newswatch runs it: a name ending a sentence split from its full stop, and
    names kept whole before the parser."""
    nlp = _load(name)
    nlp.add_pipe("newswatch_letter_stop", first=True)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newswatch_names_whole", before="parser")
    return nlp


@cache
def load_plain_model(name: str) -> Language:
    """The model as published, for the off-the-shelf baselines of ``newswatch eval``."""
    return _load(name)


_LINE = re.compile(r"(?<=\n)(?=[^\n])")
"""Between a line break and the next line: where a text is cut into lines."""


_ELISION = re.compile(r"(?<=\w)\u2019(?=\w)")
"""A typographic apostrophe inside a word ("L’AG", "qu’elle", "don’t")."""


def parse(nlp: Language, texts: Sequence[str], batch_size: int) -> Iterator[Doc]:
    """One Doc per text, parsed line by line. Extracted text puts each headline, paragraph and
    caption on its own line; parsed whole, a headline without a full stop is glued to the first
    sentence ("Transit tax trust rejects … data / The trust … refused", "trust" the subject of
    both). Presetting sentence starts before the parser is not enough: it then splits the next
    line oddly ("PM | suggests he will…"). Each Doc's text is its input with typographic
    apostrophes inside words made straight, one character for one, so offsets are unchanged:
    the models were trained on straight ones, and the French one reads "L’" as a proper noun
    and "n’" as a pronoun. Surfaces and quotations are read from the input, not the Doc.

    The lines of ``batch_size`` texts go through the model as one batch: as many tokens per
    batch as whole texts would be, and no more (small batches of lines make small matrix
    products, a quarter slower)."""
    for first in range(0, len(texts), batch_size):
        lines = [_LINE.split(_ELISION.sub("'", text)) for text in texts[first:first + batch_size]]
        flat = [line for group in lines for line in group]
        parsed = iter(nlp.pipe(flat, batch_size=len(flat)))
        for group in lines:
            docs = [next(parsed) for _ in group]
            yield Doc.from_docs(docs, ensure_whitespace=False) if len(docs) > 1 else docs[0]
