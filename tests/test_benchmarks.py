"""The benchmark's small mode, run as CI runs it, so that the benchmark cannot rot unnoticed.

It runs for real (the site, the pipeline in worker processes, the daemon and aiosmtpd), and the
test checks the shape of its last line: every key, with a sane type. No timing is asserted: CI
machines differ, and the figures belong in benchmarks/README.md. One behaviour is asserted: the
SQLite statements of a run are index lookups (no full scan), which is what keeps the cost per
article flat as the store grows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.store.sqlite import SqliteStore
from tests.conftest import ROOT, SHARED, need

CORPUS = SHARED / "corpora" / "extraction"
NUMBERS = ("articles", "e2e_articles_per_s", "e2e_articles_per_s_1_worker", "limit_articles_per_s",
           "extract_alone_articles_per_s", "nlp_alone_articles_per_s", "efficiency", "efficiency_cpu",
           "speedup_2_workers", "peak_rss_mb", "alert_latency_s")
STAGES = ("fetch", "extract", "language", "ner", "language_ner", "claims", "store", "alerts")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    need(CORPUS.is_dir(), f"the extraction corpus is not at {CORPUS}")
    workdir = tmp_path_factory.mktemp("bench")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--small", "--workdir", str(workdir), "--seed", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=290, check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr[-4000:]
    return json.loads(lines[-1])


@pytest.mark.timeout(300)
def test_small_mode_prints_every_figure(small_run: dict) -> None:
    out = small_run
    assert out["mode"] == "small"
    assert out["articles"] == 100
    for key in NUMBERS:
        assert _number(out[key]), (key, out[key])
    assert out["es_bulk_docs_per_s"] is None or _number(out["es_bulk_docs_per_s"])
    assert out["cost_ratio_10k_vs_1k"] is None  # no 10k point in the small mode
    for name in STAGES:
        figures = out["stages"][name]
        assert figures["articles"] > 0, name
        for key in ("articles_per_s", "p50_ms", "p95_ms"):
            assert _number(figures[key]), (name, key, figures[key])
    for run in ("1_worker", "2_workers"):
        assert out["e2e"][run]["report"]["articles_stored"] == out["articles"] - out["extract_failures"]
    assert out["alert_latency"]["samples"] and out["alert_latency"]["samples"][0]["latency_s"] is not None
    assert set(out["targets"]) == {"efficiency", "speedup_2_workers", "peak_rss_mb", "es_bulk_docs_per_s",
                                   "alert_latency_s", "cost_ratio_10k_vs_1k"}


@pytest.mark.timeout(300)
def test_the_sqlite_statements_of_a_run_are_index_lookups(small_run: dict) -> None:
    assert small_run["sqlite"]["statements"] > 10
    assert small_run["sqlite"]["full_scans"] == []


def test_a_version_1_store_is_migrated_to_rowid_keyed_full_text(tmp_path: Path) -> None:
    """Version 1 keyed the full-text rows by an unindexed column; setup() re-keys them by rowid, and
    an article written again afterwards still has exactly one full-text row."""
    from pipeline.models import Article, EnrichedArticle, SearchQuery

    path = tmp_path / "v1.db"
    store = SqliteStore(path)
    store.setup()
    article = Article(id="a1", url="https://example.org/a1", item_id="i1", feed_url="https://example.org/feed",
                      outlet="Example", title="Kremlin", text="Le Kremlin a démenti ces informations.")
    store.save_articles([EnrichedArticle(article=article)])
    conn = store.conn
    # Make it look like a version 1 store: full-text rows with rowids unrelated to the articles'.
    conn.execute("DELETE FROM articles_fts")
    conn.execute("INSERT INTO articles_fts(rowid, article_id, title, text) VALUES (99, 'a1', 'Kremlin', ?)",
                 (article.text,))
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    store.close()

    store = SqliteStore(path)
    store.setup()
    try:
        assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
        store.save_articles([EnrichedArticle(article=article)])
        assert store.conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == 1
        assert [hit.article_id for hit in store.search(SearchQuery(text="kremlin"))] == ["a1"]
    finally:
        store.close()
