"""Are the SQLite statements of a run index lookups? Checked on the statements a real run issues.

A small real ``run_once`` executes with a trace callback on the store's connection; every distinct
statement (literals folded) is then explained with ``EXPLAIN QUERY PLAN``. A ``SCAN`` of a table
without an index, or of a virtual (FTS5) table without a constraint, reads the whole table: its
cost grows with the store, which is what keeps the cost per article from staying flat.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from pipeline.config import Settings
from pipeline.runner import Pipeline
from pipeline.store.sqlite import SqliteStore

_LITERALS = re.compile(r"[Xx]'[0-9A-Fa-f]*'|'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_DML = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


def shape(sql: str) -> str:
    """The statement with its literal values replaced by ``?``: one entry per query shape."""
    return " ".join(_LITERALS.sub("?", sql).split())


def is_full_scan(detail: str) -> bool:
    if not detail.startswith("SCAN ") or detail.startswith("SCAN CONSTANT ROW"):
        return False
    if "VIRTUAL TABLE" in detail:
        return detail.rstrip().endswith(":")  # no constraint handed to the virtual table
    return " USING " not in detail


def trace_run(settings: Settings) -> dict[str, Any]:
    """Run one cycle with every SQLite statement traced; report the shapes that scan a table."""
    examples: dict[str, str] = {}

    def remember(sql: str) -> None:
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head in _DML:
            examples.setdefault(shape(sql), sql)

    with Pipeline(settings) as pipeline:
        store = pipeline.store
        if not isinstance(store, SqliteStore):
            raise TypeError("the plan check needs the SQLite store")
        store.conn.set_trace_callback(remember)
        report = pipeline.run_once()
        store.conn.set_trace_callback(None)
        scans = []
        for statement_shape, example in sorted(examples.items()):
            try:
                plan = store.conn.execute("EXPLAIN QUERY PLAN " + example).fetchall()
            except sqlite3.Error as exc:  # a statement only valid in its transaction's context
                scans.append({"sql": statement_shape, "plan": [f"not explained: {exc}"]})
                continue
            details = [row[3] for row in plan]
            if any(is_full_scan(detail) for detail in details):
                scans.append({"sql": statement_shape, "plan": details})
    return {"articles": report.articles_stored, "statements": len(examples), "full_scans": scans}
