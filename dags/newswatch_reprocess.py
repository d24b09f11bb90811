"""newswatch_reprocess: manual. Re-extract and re-enrich the stored pages fetched in [since, until)
and re-run the alert rules over them, for when the rules, the watchlist or the models changed.

No network: the raw pages are in the store. Articles, mentions and claims are overwritten in place
(their ids are derived from URLs and spans; a claim keeps its ``first_seen``, so past digests do
not change), and the alert ledger never queues an alert whose rule and claim fingerprint were
already alerted: only what the new rules or models find for the first time is sent.

Trigger it with params ``since`` / ``until``: ISO dates or datetimes (UTC when no offset is given),
or ages such as ``6h`` or ``2d``; empty means unbounded. Configuration as for newswatch_ingest.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Param, dag, task

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "newswatch",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=10),
}

WHEN = "ISO date or datetime (UTC unless an offset is given), or an age such as 6h or 2d; empty: unbounded."


@dag(
    dag_id="newswatch_reprocess",
    schedule=None,
    start_date=datetime(2025, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "since": Param(None, type=["null", "string"], title="Pages fetched since", description=WHEN),
        "until": Param(None, type=["null", "string"], title="Pages fetched before", description=WHEN),
    },
    tags=["newswatch"],
    doc_md=__doc__,
)
def newswatch_reprocess() -> None:
    @task(execution_timeout=timedelta(hours=6))
    def reprocess(params: dict[str, Any] | None = None) -> dict[str, int]:
        from pipeline import orchestrate

        params = params or {}
        return orchestrate.reprocess(params.get("since"), params.get("until"))

    @task(execution_timeout=timedelta(minutes=30))
    def send_alerts() -> dict[str, int]:
        """Separate from reprocess so that a mail outage retries the sending, not the reprocessing."""
        from pipeline import orchestrate

        return orchestrate.send_alerts()

    reprocess() >> send_alerts()


newswatch_reprocess()
