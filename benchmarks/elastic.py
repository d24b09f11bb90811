"""Bulk indexing into the local Elasticsearch node, through the production store's own writes.

The node is the one of ``scripts/es-node.sh`` (its URL in ``.cache/es/url``) when it answers, or
``--es-url`` / ``$NEWSWATCH_BENCH_ES_URL``; without one the figure is ``null``, never guessed. The
documents are the benchmark's enriched articles, written with ``ElasticsearchStore.save_articles``
in the pipeline's store batches (``pipeline.runner.STORE_BATCH`` articles per call, as a run writes
them) into indices under a fresh prefix that are deleted afterwards.
"""

from __future__ import annotations

import json
import os
import time
import urllib.request
import uuid
from typing import Any

from benchmarks import ROOT
from benchmarks.stats import per_article, rnd
from pipeline.models import EnrichedArticle

URL_ENV = "NEWSWATCH_BENCH_ES_URL"
URL_FILE = ROOT / ".cache" / "es" / "url"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health?timeout=5s", timeout=10) as response:
            status = json.loads(response.read()).get("status")
    except (OSError, ValueError):
        return False
    return status in {"green", "yellow"}


def find_node(explicit: str | None) -> tuple[str | None, str]:
    """The node's URL (or None) and how it was found, or why there is none."""
    if explicit or os.environ.get(URL_ENV):
        url = (explicit or os.environ[URL_ENV]).rstrip("/")
        return (url, "given") if _healthy(url) else (None, f"{url} does not answer")
    if not URL_FILE.exists():
        return None, "no node: start one with scripts/es-node.sh start, or pass --es-url"
    url = URL_FILE.read_text(encoding="utf-8").strip().rstrip("/")
    if _healthy(url):
        return url, f"scripts/es-node.sh node ({URL_FILE})"
    return None, f"the node of {URL_FILE} ({url}) does not answer"


def bulk(url: str, docs: list[EnrichedArticle], batch: int) -> dict[str, Any]:
    from pipeline.config import ElasticsearchSettings
    from pipeline.store.elasticsearch import ElasticsearchStore

    prefix = f"bench-{uuid.uuid4().hex[:10]}"
    store = ElasticsearchStore(ElasticsearchSettings(hosts=[url], index_prefix=prefix))
    per_doc: list[float] = []
    try:
        store.setup()
        began = time.perf_counter()
        for start in range(0, len(docs), batch):
            chunk = docs[start:start + batch]
            batch_began = time.perf_counter()
            store.save_articles(chunk)
            per_doc.extend([(time.perf_counter() - batch_began) / len(chunk)] * len(chunk))
        seconds = time.perf_counter() - began
        indexed = store.count("articles")
    finally:
        try:
            store.drop()
        finally:
            store.close()
    documents = sum(1 + len(doc.mentions) + len(doc.claims) for doc in docs)
    return {
        "articles": len(docs),
        "documents": documents,
        "articles_indexed": indexed,
        "batch": batch,
        "seconds": rnd(seconds),
        "docs_per_s": rnd(documents / seconds, 1),
        "per_article": per_article(per_doc, wall=seconds),
    }
