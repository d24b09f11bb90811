"""Scenario "outages": the mail server refusing in every way over five runs, and the process
killed with SIGKILL between stages; the next runs finish the work exactly once.

tests/test_e2e.py already covers one outage of each kind (down then back, 4xx, 5xx); this adds the
sequence (refused, 4xx, 4xx in the middle of a batch, back, rerun), recipients of one alert refused
for good and for now while another accepts, and the real kills. The Elasticsearch outages are in
test_es_outages.py."""

from __future__ import annotations

import pytest

from pipeline.selftest import outages
from pipeline.selftest.outages import KillRun, SmtpRun


@pytest.fixture(scope="module")
def smtp_run(tmp_path_factory: pytest.TempPathFactory) -> SmtpRun:
    return outages.run_smtp_flapping(tmp_path_factory.mktemp("smtp"))


def test_alerts_stay_pending_through_refusals_and_go_out_once(smtp_run: SmtpRun) -> None:
    steps = {step.name: step for step in smtp_run.steps}
    owed = smtp_run.owed
    assert owed > 2
    refused = steps["connection-refused"]
    assert (refused.received, refused.pending) == (0, owed)
    assert refused.channel_errors > 0  # recorded, visible in `newswatch errors`
    assert (steps["4xx-for-every-message"].received, steps["4xx-for-every-message"].pending) == (0, owed)
    assert (steps["4xx-after-two-messages"].received, steps["4xx-after-two-messages"].pending) == (2, owed - 2)
    assert (steps["back"].received, steps["back"].pending) == (owed, 0)
    assert (steps["rerun-after-recovery"].received, steps["rerun-after-recovery"].sent) == (owed, 0)
    assert smtp_run.unique_received == smtp_run.ledger_sent == owed
    assert smtp_run.duplicates == 0


def test_every_smtp_case_is_handled(smtp_run: SmtpRun) -> None:
    results = outages.smtp_cases(smtp_run)
    assert [r.detail for r in results if not r.handled] == []


def test_recipients_refused_for_good_or_for_now_while_another_accepts(tmp_path_factory: pytest.TempPathFactory) -> None:
    run = outages.run_smtp_refusals(tmp_path_factory.mktemp("smtp-recipients"))
    assert run.owed > 2
    assert run.first == {outages.RECIPIENT: run.owed, outages.MISTYPED: 0, outages.GREYLISTED: 0}
    assert run.final == {outages.RECIPIENT: run.owed, outages.MISTYPED: 0, outages.GREYLISTED: run.owed}
    assert run.recorded == {outages.MISTYPED: True, outages.GREYLISTED: False}  # terminal, retried
    assert run.duplicates == 0
    assert [r.detail for r in outages.refusal_cases(run) if not r.handled] == []


@pytest.mark.slow
@pytest.mark.parametrize("point", list(outages.KILL_POINTS))
def test_sigkill_between_stages_then_the_next_run_finishes_exactly_once(
        tmp_path_factory: pytest.TempPathFactory, point: str) -> None:
    run: KillRun = outages.run_kill(tmp_path_factory.mktemp(point), point)
    assert run.killed, f"the child was not killed: exit {run.returncode}\n{run.output}"
    if point == "between-store-and-alert":
        assert run.before["articles"] > 0 and run.pending_after_kill > 0  # stored, not yet mailed
    else:
        assert run.before["pages"] > 0 and run.before["articles"] == 0  # fetched, not yet processed
    assert run.received_after_kill == 0
    assert run.unique_received == run.queued > 0  # each owed alert sent by the recovery run...
    assert run.duplicates == 0  # ...exactly once
    assert run.after_recovery == run.after_rerun  # a further run changes nothing
    assert run.unfinished == 0 and run.orphans == 0
    assert outages.kill_case(run).handled
