"""Scenario "pages": every hostile response ends as a stored article or a recorded skip/error,
through the whole pipeline (``run_once`` twice, then ``store.find_errors``), in bounded time and
memory. The cases and what must become of each are in pipeline/selftest/hostile.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.models import ItemStatus
from pipeline.selftest import hostile
from pipeline.selftest.hostile import PEAK_BUDGET, SECRET_MARKER, PagesRun

CASES = {case.name: case for case in hostile.page_cases(Path("unused"))}


@pytest.fixture(scope="module")
def pages_run(tmp_path_factory: pytest.TempPathFactory) -> PagesRun:
    return hostile.run_page_faults(tmp_path_factory.mktemp("pages"))


@pytest.mark.parametrize("name", list(CASES))
def test_fault_ends_as_a_recorded_skip_an_error_or_the_right_article(pages_run: PagesRun, name: str) -> None:
    outcome = pages_run.outcomes[name]
    case = outcome.case
    detail = outcome.describe()
    assert outcome.crashed is None, detail
    assert outcome.lost == 0, detail
    if case.expect == "article":
        assert outcome.status == ItemStatus.done.value, detail
        assert outcome.text is not None and case.phrase in outcome.text, detail
        assert "\ufffd" not in outcome.text and "Ã" not in outcome.text and "â€" not in outcome.text, detail
    elif case.expect in {"skip", "retry"}:
        assert outcome.status == ItemStatus.skipped.value, detail
        assert outcome.kinds & case.kinds, detail
        assert any(error.terminal for error in outcome.errors), detail
        if case.expect == "retry":  # transient: owed after the first run, given up after the second
            assert outcome.first_status == ItemStatus.pending.value, detail
            assert any("gave up after 2 tries" in error.message for error in outcome.errors), detail
    elif case.expect == "feed_error":
        assert outcome.status == "refused" and outcome.kinds & case.kinds, detail
    else:  # feed_ok: the external entity is never loaded
        assert outcome.status == "accepted", detail
        assert outcome.text is not None and SECRET_MARKER not in outcome.text, detail
    assert outcome.handled, detail


def test_bodies_far_above_the_cap_never_reach_memory(pages_run: PagesRun) -> None:
    """200 MB bombs and streams are served; Python allocations while fetching stay a few MB."""
    assert pages_run.peak_bytes < PEAK_BUDGET


def test_the_retry_run_adds_no_document(pages_run: PagesRun) -> None:
    assert pages_run.articles == pages_run.articles_after_rerun == len(
        [c for c in CASES.values() if c.expect == "article"])

