"""Scenario "replays": the same window processed three times (feeds re-read without the 304
shortcut, then ``reprocess`` of the stored pages three times) gives identical document counts and
no duplicate email."""

from __future__ import annotations

import pytest

from pipeline.selftest import outages
from pipeline.selftest.outages import ReplayRun


@pytest.fixture(scope="module")
def replay_run(tmp_path_factory: pytest.TempPathFactory) -> ReplayRun:
    return outages.run_replay(tmp_path_factory.mktemp("replay"))


def test_three_full_runs_store_the_same_documents(replay_run: ReplayRun) -> None:
    first = replay_run.runs[0]
    assert first["articles"] > 0 and first["claims"] > 0 and first["alerts"] > 0
    assert replay_run.runs == [first] * 3
    assert replay_run.feeds_reparsed == [2, 2, 2]  # each run really read both feeds again


def test_three_reprocessings_store_the_same_documents(replay_run: ReplayRun) -> None:
    assert replay_run.reprocessed == [replay_run.runs[0]] * 3


def test_no_email_is_sent_twice(replay_run: ReplayRun) -> None:
    assert replay_run.mail_after == [replay_run.mail_after[0]] * 6
    assert replay_run.unique == replay_run.mail_after[0] == replay_run.runs[0]["alerts"]
    assert replay_run.duplicates == 0


def test_every_replay_case_is_handled(replay_run: ReplayRun) -> None:
    assert [r.detail for r in outages.replay_cases(replay_run) if not r.handled] == []
