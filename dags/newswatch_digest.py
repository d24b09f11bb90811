"""newswatch_digest: once a day, one email per recipient with the day's new claims, grouped by
watched entity and stance (HTML and text).

The day is the run's data interval, [00:00, next 00:00) UTC by default, never "now": clearing the
run of a past day recomposes that day's digest, and the digest ledger in the store (one entry per
recipient and interval) makes sure it is sent once at most. A recipient is anyone named by an alert
rule (or ``smtp.default_recipients``); they get the claims their rules match, and no email on a day
without any. The logic lives in ``pipeline/digest.py``; ``newswatch digest --day`` does the same
without Airflow.

Then, when ``store.retention_days`` is set, the content fetched longer ago than that is pruned
(``pipeline/retention.py``; what a pending alert or digest needs stays). It runs after the digest
whatever the digest's fate, so a mail outage never stops retention.

A mail outage leaves the digests pending and fails the task, which Airflow retries with exponential
backoff; a configuration error fails at once. Configuration as for newswatch_ingest (Variable
``newswatch_config``, else ``$NEWSWATCH_CONFIG``, and ``NEWSWATCH_*``). The cron expression that
ends each interval is ``$NEWSWATCH_DIGEST_SCHEDULE`` (default ``0 0 * * *``, UTC).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import CronDataIntervalTimetable, dag, task

SCHEDULE = CronDataIntervalTimetable(os.environ.get("NEWSWATCH_DIGEST_SCHEDULE", "0 0 * * *"), timezone="UTC")
"""A data-interval timetable: the run at midnight covers the day that just ended."""

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "newswatch",
    "retries": 4,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,  # 1, 2, 4, 8 min
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": timedelta(minutes=30),
}


@dag(
    dag_id="newswatch_digest",
    schedule=SCHEDULE,
    start_date=datetime(2025, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["newswatch"],
    doc_md=__doc__,
)
def newswatch_digest() -> None:
    @task
    def send_digest(data_interval_start: datetime | None = None,
                    data_interval_end: datetime | None = None) -> dict[str, int]:
        from pipeline import orchestrate

        return orchestrate.digest(data_interval_start, data_interval_end)

    @task(trigger_rule="all_done")
    def prune() -> dict[str, int]:
        from pipeline import orchestrate

        return orchestrate.prune()

    send_digest() >> prune()


newswatch_digest()
