"""Shared fixtures. Real servers only: the sample site over HTTP, aiosmtpd, a local Elasticsearch
node, Airflow on SQLite. A test that needs a server fails under CI=true when the server cannot
start; it never skips there."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from pipeline.config import Settings, load_settings
from pipeline.corpora import shared_dir

pytest_plugins = ["tests.plugins.smtp", "tests.plugins.site", "tests.plugins.es_node", "tests.plugins.airflow_home"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = shared_dir()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI: a missing server there is a hole, not a pass."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the test, never from the developer's NEWSWATCH_* variables."""
    for key in list(os.environ):
        if key.startswith("NEWSWATCH_") and not key.startswith("NEWSWATCH_TEST_"):
            monkeypatch.delenv(key)


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.es)])
def store_settings(request: pytest.FixtureRequest) -> dict | None:
    """The store section for each backend the end-to-end tests run on (None: the embedded default)."""
    if request.param == "sqlite":
        return None
    es_url = request.getfixturevalue("es_url")
    prefix = f"nw-e2e-{uuid.uuid4().hex[:10]}"
    return {"backend": "elasticsearch", "elasticsearch": {"hosts": [es_url], "index_prefix": prefix}}


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for a test: its own data dir, and 127.0.0.1 allowed through the SSRF guard."""
    values: dict[str, object] = {"data_dir": str(tmp_path / "data"), "network": {"allow_hosts": ["127.0.0.1"]}}
    values.update(overrides)
    return load_settings(None, **values)
