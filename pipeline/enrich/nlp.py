"""spaCy pipelines per language, loaded once per process and only for languages that occur."""

from __future__ import annotations

import logging
from functools import cache

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)


class ModelMissing(Exception):
    """The configured spaCy model for a language is not installed."""


@cache
def load_model(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as exc:
        package = name.replace("_", "-")
        raise ModelMissing(
            f"spaCy model {name!r} is not installed; install it with `pip install {package}` "
            f"(see nlp.models in the configuration)"
        ) from exc
