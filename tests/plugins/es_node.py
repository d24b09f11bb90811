"""The real Elasticsearch node of a test session, and a fresh index prefix per test.

``es_url`` is $NEWSWATCH_TEST_ES_URL when set; otherwise the node of scripts/es-node.sh, reused
if it already runs, else started once for the session and stopped at its end. A node that cannot
start fails the run under CI (a skipped backend would pass CI untested) and skips the
Elasticsearch tests elsewhere, with the reason either way.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

URL_ENV = "NEWSWATCH_TEST_ES_URL"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "es-node.sh"
START_TIMEOUT = 900  # seconds: the first start downloads 130 MB


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"Elasticsearch node unavailable under CI: {reason}", pytrace=False)
    pytest.skip(f"Elasticsearch node unavailable: {reason}")


def _node(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), command], capture_output=True, text=True, timeout=START_TIMEOUT, check=False
    )


@pytest.fixture(scope="session")
def es_url() -> Iterator[str]:
    if os.environ.get(URL_ENV):
        yield os.environ[URL_ENV].rstrip("/")
        return
    running = _node("status")
    if running.returncode == 0:
        yield running.stdout.strip()
        return
    try:
        started = _node("start")
    except subprocess.TimeoutExpired:
        _unavailable(f"{SCRIPT.name} start did not finish in {START_TIMEOUT}s")
    if started.returncode != 0:
        _unavailable(f"{SCRIPT.name} start exited {started.returncode}:\n{started.stderr[-3000:]}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        _node("stop")


@pytest.fixture
def es_prefix(es_url: str) -> Iterator[str]:
    """An index prefix no other test uses; its indices and templates are deleted afterwards."""
    from pipeline.config import ElasticsearchSettings
    from pipeline.store.elasticsearch import ElasticsearchStore

    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield prefix
    store = ElasticsearchStore(ElasticsearchSettings(hosts=[es_url], index_prefix=prefix))
    try:
        store.drop()
    finally:
        store.close()
