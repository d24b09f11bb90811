"""`newswatch selftest`: the command prints the figures and ends with one JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from pipeline.selftest import CaseResult, Report, scrubbed_environment
from pipeline.selftest.badconfig import CASES


def newswatch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          timeout=300, env=scrubbed_environment(), check=False)


def test_selftest_prints_figures_and_a_json_last_line() -> None:
    done = newswatch("selftest", "--only", "config")
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["inputs_tried"] == figures["handled"] == len(CASES)
    assert (figures["crashed"], figures["articles_lost"], figures["duplicate_documents"],
            figures["duplicate_emails"]) == (0, 0, 0, 0)
    assert figures["ok"] is True and list(figures["scenarios"]) == ["config"]
    assert "newswatch selftest" in done.stdout


def test_unknown_scenario_is_a_usage_error() -> None:
    done = newswatch("selftest", "--only", "nonsense")
    assert done.returncode == 2
    assert "nonsense" in done.stderr


def test_a_failure_makes_the_report_fail(tmp_path: Path) -> None:
    report = Report()
    report.add([CaseResult("x", "fine", handled=True), CaseResult("x", "dropped", handled=True, lost=1)])
    data = json.loads(report.json_line())
    assert data["articles_lost"] == 1 and data["handled"] == 2 and data["ok"] is False
    assert data["failures"] == ["x/dropped: "]


@pytest.mark.es
@pytest.mark.slow
def test_selftest_runs_the_replays_on_an_elasticsearch_node_and_leaves_nothing_there(es_url: str) -> None:
    """`--elasticsearch URL` adds scenario replays-es: the replays of the embedded store, on the
    node, in a prefix of their own that is deleted afterwards (the node is the session's)."""
    done = newswatch("selftest", "--only", "replays-es", "--elasticsearch", es_url)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(figures["scenarios"]) == ["replays-es"] and figures["ok"] is True
    assert figures["inputs_tried"] == figures["handled"] == 3
    client = Elasticsearch(es_url)
    try:
        assert client.indices.get(index="newswatch-selftest-*", expand_wildcards="all").body == {}
    finally:
        client.close()


def test_replays_es_needs_a_node() -> None:
    done = newswatch("selftest", "--only", "replays-es")
    assert done.returncode == 2
    assert "replays-es" in done.stderr
