"""The bodies of the Airflow tasks (dags/newswatch_*.py), kept here so that the DAG files stay thin
and this glue is importable, typed and linted with the rest of the package.

Each function opens what it needs from the settings, runs one stage, closes it, and returns a small
dict of counts (XCom carries counts, ids and URLs, never articles). Every stage is idempotent: it
reads its work from the store's ledgers, so an Airflow retry or a cleared task redoes nothing
already done.

Failures are sorted for Airflow the way the pipeline sorts them for items:

* a configuration error is terminal: :class:`~airflow.sdk.exceptions.AirflowFailException`, no
  retries (a retry cannot fix a typo);
* a transient condition (a feed that timed out or answered 5xx/429, the mail server down, the store
  unreachable) raises :class:`TransientFailure` or :class:`~pipeline.store.StoreUnavailable`, and
  the task's retries with exponential backoff take over;
* terminal item failures (a 404 page, a page with no text, a refused recipient) are recorded in the
  store with their reason and never fail a task.

Settings: the path in the Airflow Variable ``newswatch_config`` when it is set, else
``$NEWSWATCH_CONFIG``, else ``./newswatch.toml``; ``NEWSWATCH_*`` variables override the file as
everywhere else. No secret ever goes through a DAG file, a Variable value or an XCom.

Nothing here imports Airflow at module level, and the NLP stack (spaCy, trafilatura) is imported only
by the tasks that extract and enrich.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.config import ConfigError, Settings, load_settings
from pipeline.models import ItemStatus, RunReport, Stage, utcnow
from pipeline.timeparse import parse_when

if TYPE_CHECKING:
    from pipeline.runner import Pipeline

log = logging.getLogger(__name__)

CONFIG_VARIABLE = "newswatch_config"
"""Airflow Variable holding the path of the TOML configuration (optional)."""

Counts = dict[str, int]


class TransientFailure(RuntimeError):
    """Worth retrying later: raised after the failure was recorded, so that Airflow retries the task
    with backoff. The ledgers make the retry harmless."""


# --------------------------------------------------------------------------- settings


def config_path() -> Path | None:
    """The Airflow Variable ``newswatch_config`` if set; None lets load_settings fall back to
    $NEWSWATCH_CONFIG, then ./newswatch.toml. Outside a task (no Airflow), None."""
    try:
        from airflow.sdk import Variable
    except ImportError:  # pragma: no cover - Airflow is an optional extra
        return None
    value = Variable.get(CONFIG_VARIABLE, default=None)
    return Path(value) if value else None


def _fail_terminally(message: str) -> Exception:
    """Airflow's fail-without-retry exception, or a plain one when Airflow is not installed."""
    try:
        from airflow.sdk.exceptions import AirflowFailException
    except ImportError:  # pragma: no cover
        return RuntimeError(message)
    return AirflowFailException(message)


def settings() -> Settings:
    try:
        return load_settings(config_path())
    except ConfigError as exc:
        raise _fail_terminally(f"newswatch configuration error:\n{exc}") from exc


@contextmanager
def pipeline() -> Iterator[Pipeline]:
    from pipeline.runner import Pipeline

    with Pipeline(settings()) as opened:
        yield opened


def counts(report: RunReport) -> Counts:
    """The non-zero counters of a report: what a task returns to XCom and logs."""
    values = report.model_dump(exclude={"started_at", "finished_at"})
    return {name: value for name, value in values.items() if value}


# --------------------------------------------------------------------------- ingest


def feed_urls() -> list[str]:
    """The configured feeds, by URL: the list the per-feed poll is mapped over."""
    return [feed.url for feed in settings().feeds]


def poll_feed(url: str) -> Counts:
    """Poll one feed (conditional GET) and add its new items to the work ledger.

    A transient failure (timeout, 5xx, 429) is recorded, then raised so that Airflow retries this
    feed alone with backoff; a terminal one (404, not a feed) is recorded and the task succeeds.
    """
    with pipeline() as run:
        feed = next((feed for feed in run.settings.feeds if feed.url == url), None)
        if feed is None:  # the configuration changed between listing and polling
            log.warning("feed no longer configured", extra={"feed": url})
            return {}
        report = run.poll_feeds([feed])
        if report.feeds_failed:
            recent = run.store.find_errors(Stage.feed, since=report.started_at, limit=100)
            transient = [error for error in recent if error.feed_url == url and not error.terminal]
            if transient:
                raise TransientFailure(f"feed {url}: {transient[0].kind}: {transient[0].message}")
    return counts(report)


def fetch_pages(limit: int = 10_000) -> Counts:
    """Fetch the pages owed by the work ledger. Page failures are not task failures: each page has
    its own backoff in the ledger (``limits.retry_after_seconds``, doubling, ``limits.max_attempts``)."""
    with pipeline() as run:
        return counts(run.fetch_pages(limit))


def process(batch_size: int = 200, max_batches: int = 50) -> Counts:
    """Extract, enrich, store and queue alerts, ``batch_size`` items at a time, until nothing
    fetched is owed (or ``max_batches`` were done: the rest is the next run's). Each batch is
    committed by the store before the next starts, so a retry resumes where the failure happened."""
    from pipeline.runner import merge

    total = RunReport()
    with pipeline() as run:
        for _ in range(max_batches):
            owed = [work for work in run.store.due_items(utcnow(), batch_size) if work.status is ItemStatus.fetched]
            if not owed:
                break
            merge(total, run.process(limit=batch_size))
    return counts(total)


def send_alerts() -> Counts:
    """Send the pending alerts. A channel that is down leaves them pending (recorded), and raises so
    that Airflow retries with backoff rather than waiting for the next run."""
    with pipeline() as run:
        report = run.send_alerts()
    if report.alerts_pending:
        raise TransientFailure(f"{report.alerts_pending} alerts still pending: the mail channel failed")
    return counts(report)


# --------------------------------------------------------------------------- digest


def _interval(since: datetime | str | None, until: datetime | str | None) -> tuple[datetime, datetime]:
    start = parse_when(since) if isinstance(since, str) else since
    end = parse_when(until) if isinstance(until, str) else until
    if start is None or end is None:
        raise _fail_terminally(
            "the digest needs a data interval: trigger the run with a logical date (or use `newswatch digest --day`)"
        )
    return start, end


def digest(since: datetime | str | None, until: datetime | str | None) -> Counts:
    """Plan the digests of [since, until) (the run's data interval) and send every pending one.

    Rerunning a day plans nothing new (the digest ledger), so it sends nothing twice; a mail outage
    raises after the digests were left pending, and the retry sends them.
    """
    from pipeline.digest import run_digest

    start, end = _interval(since, until)
    try:
        result = run_digest(settings(), start, end)
    except ValueError as exc:  # an empty interval
        raise _fail_terminally(str(exc)) from exc
    if result.error:
        raise TransientFailure(f"{result.pending} digests still pending: {result.error}")
    return {"planned": result.planned, "sent": result.sent, "failed": result.failed}


# --------------------------------------------------------------------------- retention


def prune() -> Counts:
    """Delete the content older than ``store.retention_days`` (nothing when it is not set); what a
    pending alert or digest needs stays. Run after the digest, whose claims it could otherwise take."""
    from pipeline.retention import prune as prune_store

    days = settings().store.retention_days
    if days is None:
        return {}
    with pipeline() as run:
        return dict(prune_store(run.store, days).counts)


# --------------------------------------------------------------------------- reprocess


def reprocess(since: str | None = None, until: str | None = None) -> Counts:
    """Re-extract and re-enrich the stored pages fetched in [since, until) and re-run the alert rules
    (for when rules or models changed). The alert ledger never queues an alert already sent; what is
    new is sent here, and a mail outage is left to the ``send_alerts`` task that follows, so that its
    retries do not redo the reprocessing."""
    try:
        start, end = parse_when(since), parse_when(until)
    except ValueError as exc:
        raise _fail_terminally(f"reprocess params: {exc}") from exc
    if start and end and start >= end:
        raise _fail_terminally(f"reprocess params: since ({since}) is not before until ({until})")
    with pipeline() as run:
        return counts(run.reprocess(start, end))
