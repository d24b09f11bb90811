"""The Airflow DAGs on real Airflow: SQLite metadata DB under the test tree (tests/plugins/airflow_home.py),
the sample site over HTTP on 127.0.0.1 and a real SMTP server (aiosmtpd).

Settings reach the tasks the way they do in a deployment: a TOML file named by $NEWSWATCH_CONFIG
(or the Airflow Variable ``newswatch_config``, here through AIRFLOW_VAR_NEWSWATCH_CONFIG), with the
SMTP server given by NEWSWATCH_SMTP__* variables. Airflow is imported inside the tests only, after
the ``airflow_home`` fixture pointed it at the test tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import Settings, load_settings
from pipeline.models import AlertStatus, utcnow
from pipeline.runner import Pipeline
from pipeline.sample import WATCHLIST
from pipeline.sample.server import SiteServer
from pipeline.store import Store, open_store
from tests.plugins.airflow_home import DAGS, airflow_environment
from tests.plugins.smtp import SmtpServer
from tests.test_e2e import EN_OUTLET, FR_OUTLET
from tests.test_retention import age

pytestmark = [
    pytest.mark.airflow,
    # Airflow's in-process execution API (used by dag.test) still imports starlette's TestClient.
    pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`"),
]

DAG_IDS = {"newswatch_ingest", "newswatch_digest", "newswatch_reprocess"}
HEAVY = ("spacy", "trafilatura", "elasticsearch", "pipeline", "thinc", "torch")
DESK, BOSS = "desk@example.org", "boss@example.org"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def dagbag(airflow_home: Path) -> Any:
    """The DAG folder parsed once per module, with the default schedules (none from the developer's shell)."""
    from airflow.dag_processing.dagbag import DagBag

    with pytest.MonkeyPatch.context() as patch:
        for variable in ("NEWSWATCH_INGEST_SCHEDULE", "NEWSWATCH_DIGEST_SCHEDULE"):
            patch.delenv(variable, raising=False)
        return DagBag(dag_folder=DAGS)


def config_text(tmp_path: Path, site: SiteServer) -> str:
    """The test's newswatch.toml: the sample feeds, two rules with two recipients, 127.0.0.1 allowed."""
    return (
        f'data_dir = "{tmp_path / "data"}"\n'
        f'watchlist = "{WATCHLIST}"\n\n'
        '[network]\nallow_hosts = ["127.0.0.1"]\n\n'
        f'[[feeds]]\nurl = "{site.url}/feeds/fr.xml"\nname = "{FR_OUTLET}"\nlanguage = "fr"\n\n'
        f'[[feeds]]\nurl = "{site.url}/feeds/en.atom"\nname = "{EN_OUTLET}"\nlanguage = "en"\n\n'
        f'[[rules]]\nid = "watched"\nrecipients = ["{DESK}"]\n\n'
        f'[[rules]]\nid = "musk-denials"\nentities = ["musk"]\nstances = ["denial"]\nrecipients = ["{BOSS}"]\n'
    )


@pytest.fixture
def newswatch_config(
    tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch,
    airflow_home: Path,
) -> Path:
    """Writes the config and points the tasks at it and at the SMTP server, through the environment."""
    config = tmp_path / "newswatch.toml"
    config.write_text(config_text(tmp_path, sample_site), encoding="utf-8")
    monkeypatch.setenv("NEWSWATCH_CONFIG", str(config))
    monkeypatch.setenv("NEWSWATCH_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSWATCH_SMTP__PORT", str(smtp_server.port))
    monkeypatch.setenv("NEWSWATCH_SMTP__TIMEOUT", "5")
    return config


def loaded(config: Path) -> Settings:
    return load_settings(config)


@contextmanager
def store_of(config: Path) -> Iterator[Store]:
    store = open_store(loaded(config))
    try:
        yield store
    finally:
        store.close()


def run_dag(dagbag: Any, dag_id: str, **kwargs: Any) -> Any:
    """One ``dag.test()`` run; every task must have succeeded or been skipped."""
    dag = dagbag.get_dag(dag_id)
    run = dag.test(**kwargs)
    states = {ti.task_id + (f"[{ti.map_index}]" if ti.map_index >= 0 else ""): ti.state
              for ti in run.get_task_instances()}
    assert run.state == "success", states
    return run


def task_states(run: Any) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances() if ti.map_index < 0}


def ids_of(messages: list[EmailMessage]) -> list[str]:
    return sorted(str(message["Message-ID"]) for message in messages)


def article_events() -> list[dict[str, Any]]:
    """The extra of every asset event newswatch_ingest emitted, from the metadata DB."""
    from airflow.models.asset import AssetEvent
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        events = session.scalars(select(AssetEvent).where(AssetEvent.source_dag_id == "newswatch_ingest")).all()
        return [dict(event.extra) for event in events]


# --------------------------------------------------------------------------- parsing


def test_the_dag_folder_parses_without_import_errors(dagbag: Any) -> None:
    assert dagbag.import_errors == {}
    assert set(dagbag.dags) == DAG_IDS


def test_the_dags_are_declared_as_documented(dagbag: Any) -> None:
    from airflow.sdk import Asset, CronDataIntervalTimetable
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    ingest = dagbag.get_dag("newswatch_ingest")
    assert ingest.catchup is False and ingest.max_active_runs == 1
    assert ingest.schedule == "*/15 * * * *"  # NEWSWATCH_INGEST_SCHEDULE unset
    poll = ingest.get_task("poll_feed")
    assert isinstance(poll, MappedOperator)  # one task per feed, through .expand()
    assert poll.retries >= 1 and poll.retry_exponential_backoff > 1
    assert any(isinstance(outlet, Asset) and outlet.uri.startswith("newswatch://articles")
               for outlet in ingest.get_task("announce_new_articles").outlets)
    assert [t.task_id for t in ingest.get_task("send_alerts").upstream_list] == ["process"]

    digest = dagbag.get_dag("newswatch_digest")
    assert isinstance(digest.timetable, CronDataIntervalTimetable)  # runs select by their data interval
    assert digest.catchup is False
    assert digest.get_task("prune").trigger_rule == "all_done"  # a mail outage never stops retention

    reprocess = dagbag.get_dag("newswatch_reprocess")
    assert reprocess.schedule is None  # manual only
    assert set(reprocess.params) == {"since", "until"}


def test_the_schedules_come_from_the_environment(airflow_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("NEWSWATCH_INGEST_SCHEDULE", "*/5 * * * *")
    monkeypatch.setenv("NEWSWATCH_DIGEST_SCHEDULE", "0 6 * * *")
    bag = DagBag(dag_folder=DAGS)
    assert bag.get_dag("newswatch_ingest").schedule == "*/5 * * * *"
    assert "expression='0 6 * * *'" in repr(bag.get_dag("newswatch_digest").timetable)


@pytest.mark.parametrize("dag_file", sorted(path.name for path in DAGS.glob("newswatch_*.py")))
def test_parsing_a_dag_file_imports_neither_the_pipeline_nor_heavy_libraries(
    dag_file: str, airflow_home: Path
) -> None:
    """What the dag-processor pays for every parse, every 30 s: Airflow and nothing of ours."""
    code = (
        "import importlib.util, json, sys\n"
        "spec = importlib.util.spec_from_file_location('dag_under_test', sys.argv[1])\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    env = {**os.environ, **airflow_environment(airflow_home)}
    result = subprocess.run([sys.executable, "-c", code, str(DAGS / dag_file)], capture_output=True, text=True,
                            env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


# --------------------------------------------------------------------------- runs


def test_ingest_delivers_what_the_pipeline_delivers_and_a_second_run_nothing(
    dagbag: Any, newswatch_config: Path, tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer
) -> None:
    events_before = len(article_events())
    run = run_dag(dagbag, "newswatch_ingest")
    states = task_states(run)
    assert states["announce_new_articles"] == "success"
    assert article_events()[events_before:] == [{"articles": 7}]  # the Asset outlet, with its count
    assert states["fail_if_a_task_failed"] == "skipped"
    polls = [ti for ti in run.get_task_instances() if ti.task_id == "poll_feed"]
    assert len(polls) == 2 and {ti.rendered_map_index for ti in polls} == {
        f"{sample_site.url}/feeds/fr.xml", f"{sample_site.url}/feeds/en.atom"}

    # What `newswatch run --once` sends for the same configuration, into its own store and outbox.
    settings = loaded(newswatch_config)
    reference = settings.model_copy(
        update={"data_dir": tmp_path / "reference", "smtp": settings.smtp.model_copy(update={"host": None})})
    with Pipeline(reference) as pipeline:
        pipeline.run_once()
        expected = pipeline.store.find_alerts(AlertStatus.sent, limit=1000)

    received = list(smtp_server.messages)
    assert ids_of(received) == sorted(f"<{alert.id}@newswatch>" for alert in expected)
    subjects = {str(message["Subject"]) for message in received}
    assert f"[newswatch] Elon Musk: denial by Elon Musk ({FR_OUTLET})" in subjects  # as in tests/test_e2e.py
    assert f"[newswatch] Pentagon: no comment by Pentagon ({FR_OUTLET})" in subjects
    to_boss = [message for message in received if message["To"] == BOSS]
    assert to_boss and all(": denial by " in str(message["Subject"]) for message in to_boss)
    assert not any("Lyon" in subject for subject in subjects)

    with store_of(newswatch_config) as store:
        assert store.count("articles") == 7
        assert {a.status for a in store.find_alerts(limit=1000)} == {AlertStatus.sent}

    second = run_dag(dagbag, "newswatch_ingest")
    assert task_states(second)["announce_new_articles"] == "skipped"  # nothing new: no asset event
    assert len(article_events()) == events_before + 1
    assert len(smtp_server.messages) == len(received)


def test_a_broken_configuration_fails_the_run_at_once_without_retries(
    dagbag: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[[rules]]\nid = "x"\nentities = ["nobody"]\n', encoding="utf-8")
    monkeypatch.setenv("NEWSWATCH_CONFIG", str(broken))
    started = utcnow()
    run = dagbag.get_dag("newswatch_ingest").test()
    assert run.state == "failed"
    states = task_states(run)
    assert states["list_feeds"] == "failed"
    assert states["fetch_pages"] == "failed"  # it ran (all_done) and failed on the same configuration
    assert states["fail_if_a_task_failed"] == "failed"  # and the run says so
    assert all(ti.try_number == 1 for ti in run.get_task_instances() if ti.state == "failed")  # no retries
    assert utcnow() - started < timedelta(seconds=60)


def ingest_directly(config: Path) -> None:
    """The ingest without Airflow, for the tests of the DAGs that come after it."""
    with Pipeline(loaded(config)) as pipeline:
        report = pipeline.run_once()
    assert report.alerts_sent > 0 and report.alerts_pending == 0


def next_midnight(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(UTC).date() + timedelta(days=1), time(0), tzinfo=UTC)


def test_digest_sends_one_email_per_recipient_once_per_day(
    dagbag: Any, newswatch_config: Path, smtp_server: SmtpServer
) -> None:
    ingest_directly(newswatch_config)
    ingested = utcnow()
    alerts = len(smtp_server.messages)

    # The run whose data interval is the day that ends at the next midnight: today, ingest included.
    run_dag(dagbag, "newswatch_digest", logical_date=next_midnight(ingested))
    digests = smtp_server.messages[alerts:]
    assert sorted(str(message["To"]) for message in digests) == [BOSS, DESK]
    day = ingested.date().isoformat()
    for message in digests:
        assert str(message["Subject"]).startswith(f"[newswatch] Digest {day}: ")
        assert message["Message-ID"].startswith("<digest-")
    text = {str(m["To"]): m.get_body(("plain",)).get_content() for m in digests}
    html = {str(m["To"]): m.get_body(("html",)).get_content() for m in digests}
    # Grouped by watched entity, then stance; each recipient gets what their rules match.
    assert "== Elon Musk" in text[DESK] and "== Pentagon" in text[DESK] and "-- no comment" in text[DESK]
    assert "== Elon Musk" in text[BOSS] and "== Pentagon" not in text[BOSS]
    assert "-- denial" in text[BOSS] and "-- statement" not in text[BOSS]
    for body in (text[DESK], text[BOSS]):
        assert "Le milliardaire a qualifié ces accusations « absurde »" in " ".join(body.split())
    assert '<h3 id="musk"' in html[BOSS] and "absurde" in html[BOSS]

    # A rerun of the same day: the ledger planned it already, nothing is sent again.
    rerun = run_dag(dagbag, "newswatch_digest", logical_date=next_midnight(ingested))
    assert task_states(rerun)["send_digest"] == "success"
    assert len(smtp_server.messages) == alerts + 2
    # The previous day had no claims: the run selects by its interval, not by now().
    run_dag(dagbag, "newswatch_digest", logical_date=next_midnight(ingested) - timedelta(days=1))
    assert len(smtp_server.messages) == alerts + 2
    with store_of(newswatch_config) as store:
        sent = store.find_digests(AlertStatus.sent)
    assert sorted(d.recipient for d in sent) == [BOSS, DESK]
    assert all(d.attempts == 1 and d.claim_count > 0 for d in sent)


def test_the_digest_run_prunes_old_content_after_the_digest_went_out(
    dagbag: Any, newswatch_config: Path, smtp_server: SmtpServer
) -> None:
    ingest_directly(newswatch_config)
    ingested, alerts = utcnow(), len(smtp_server.messages)
    aged = age(newswatch_config, 100)  # fetched long ago; their claims were still first seen today
    with newswatch_config.open("a", encoding="utf-8") as config:
        config.write("\n[store]\nretention_days = 30\n")

    run = run_dag(dagbag, "newswatch_digest", logical_date=next_midnight(ingested))
    assert task_states(run) == {"send_digest": "success", "prune": "success"}
    assert len(smtp_server.messages) == alerts + 2  # the digest was composed before the prune
    with store_of(newswatch_config) as store:
        assert aged and all(store.get_article(article_id) is None for article_id in aged)
        assert store.count("pages") == 0
        assert {d.status for d in store.find_digests()} == {AlertStatus.sent}


def test_reprocess_rewrites_the_articles_and_sends_nothing_new(
    dagbag: Any, newswatch_config: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_directly(newswatch_config)
    mailed = ids_of(smtp_server.messages)
    with store_of(newswatch_config) as store:
        before = {a.id: a.processed_at for a in map(store.get_article, _article_ids(store)) if a}
        alerts_before = store.find_alerts(limit=1000)
    # The config path through the Airflow Variable this time (newswatch_config, set by environment).
    monkeypatch.delenv("NEWSWATCH_CONFIG")
    monkeypatch.setenv("AIRFLOW_VAR_NEWSWATCH_CONFIG", str(newswatch_config))

    run = run_dag(dagbag, "newswatch_reprocess", run_conf={"since": "2000-01-01", "until": None})
    assert task_states(run) == {"reprocess": "success", "send_alerts": "success"}
    assert ids_of(smtp_server.messages) == mailed
    with store_of(newswatch_config) as store:
        after = {a.id: a.processed_at for a in map(store.get_article, _article_ids(store)) if a}
        assert store.find_alerts(limit=1000) == alerts_before
    assert after.keys() == before.keys()
    assert all(after[key] > before[key] for key in before)  # every article was processed again

    # A new rule: the replay sends what it finds for it, and still nothing already sent.
    with newswatch_config.open("a", encoding="utf-8") as config:
        config.write('\n[[rules]]\nid = "pentagon"\nentities = ["pentagon"]\nrecipients = ["new@example.org"]\n')
    run_dag(dagbag, "newswatch_reprocess", run_conf={"since": None, "until": None})
    new = [m for m in smtp_server.messages if str(m["Message-ID"]) not in mailed]
    assert new and {str(m["To"]) for m in new} == {"new@example.org"}
    assert all(str(m["Subject"]).startswith("[newswatch] Pentagon") for m in new)
    assert len(ids_of(smtp_server.messages)) == len(set(ids_of(smtp_server.messages)))  # no message twice


def _article_ids(store: Store) -> list[str]:
    return sorted({mention.article_id for mention in store.find_mentions()})


# --------------------------------------------------------------------------- task bodies, failure policy
# The task bodies called directly (no scheduler), to check how each failure reaches Airflow without
# waiting for real retry delays.


def test_a_busy_feed_is_retried_by_airflow_a_missing_one_is_recorded_and_skipped(
    newswatch_config: Path, sample_site: SiteServer
) -> None:
    from pipeline import orchestrate

    sample_site.route("/feeds/fr.xml", lambda request: (503, {"Retry-After": "120"}, b"busy"))
    sample_site.route("/feeds/en.atom", lambda request: (404, {}, b"gone"))
    with pytest.raises(orchestrate.TransientFailure, match="http_503"):
        orchestrate.poll_feed(f"{sample_site.url}/feeds/fr.xml")
    assert orchestrate.poll_feed(f"{sample_site.url}/feeds/en.atom") == {"feeds": 1, "feeds_failed": 1, "errors": 1}
    with store_of(newswatch_config) as store:
        recorded = {(e.feed_url.rsplit("/", 1)[-1], e.kind, e.terminal) for e in store.find_errors() if e.feed_url}
    assert recorded == {("fr.xml", "http_503", False), ("en.atom", "http_404", True)}


def test_a_mail_outage_fails_the_alert_task_for_a_retry_and_loses_nothing(
    newswatch_config: Path, smtp_server: SmtpServer
) -> None:
    from pipeline import orchestrate

    smtp_server.stop()
    for feed in orchestrate.feed_urls():
        orchestrate.poll_feed(feed)
    orchestrate.fetch_pages()
    queued = orchestrate.process(batch_size=3)["alerts_queued"]  # several batches
    with pytest.raises(orchestrate.TransientFailure, match="still pending"):
        orchestrate.send_alerts()
    smtp_server.start()
    assert orchestrate.send_alerts()["alerts_sent"] == queued == len(smtp_server.messages)


def test_a_configuration_error_fails_without_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, airflow_home: Path
) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from pipeline import orchestrate

    broken = tmp_path / "broken.toml"
    broken.write_text('[[rules]]\nid = "x"\nentities = ["nobody"]\n', encoding="utf-8")
    monkeypatch.setenv("NEWSWATCH_CONFIG", str(broken))
    with pytest.raises(AirflowFailException, match="not in the watchlist"):
        orchestrate.feed_urls()
    with pytest.raises(AirflowFailException, match="data interval"):
        orchestrate.digest(None, None)
