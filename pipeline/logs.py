"""Logging with context: records carry ``extra`` fields (feed, item, article, alert, url, kind,
error), and the formatter prints them as key=value after the message, so a line always says which
feed or article it is about."""

from __future__ import annotations

import logging

CONTEXT_KEYS = ("feed", "item", "article", "alert", "url", "kind", "terminal", "items", "error", "subject")


class ContextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = " ".join(f"{key}={getattr(record, key)}" for key in CONTEXT_KEYS if hasattr(record, key))
        return f"{line} {context}" if context else line


def setup_logging(level: str = "WARNING") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(ContextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "elastic_transport", "trafilatura", "htmldate", "courlan"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
