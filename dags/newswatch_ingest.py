"""newswatch_ingest: poll the feeds, fetch the new pages, extract and enrich them, store, alert.

One mapped task per feed (a slow or failing feed delays nobody and is retried alone), then the
stages that drain the store's ledgers: pages owed, articles owed, alerts owed. Those run even when
a feed failed (``all_done``): their work is in the store, not in this run's XComs, and a failed
feed does not make the other feeds' articles less due. A last task fails the run if any task
failed, so the run's colour tells the truth.

Retries: transient failures (a feed that timed out or answered 5xx/429, the mail server down, the
store unreachable) raise after being recorded, and Airflow retries the task with exponential
backoff; terminal ones (a 404 page, a page without text, a refused recipient) are recorded in the
store with their reason (``newswatch errors``) and skipped. A configuration error fails at once.

Configuration: the TOML file named by the Airflow Variable ``newswatch_config``, else by
``$NEWSWATCH_CONFIG``; ``NEWSWATCH_*`` variables override it. The schedule is
``$NEWSWATCH_INGEST_SCHEDULE`` (a cron expression, read when the file is parsed; default every
15 minutes). Tasks import the pipeline themselves: parsing this file imports Airflow only.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Asset, TriggerRule, dag, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

SCHEDULE = os.environ.get("NEWSWATCH_INGEST_SCHEDULE", "*/15 * * * *")

NEW_ARTICLES = Asset(name="newswatch_articles", uri="newswatch://articles")
"""Updated by every run that stored new articles; schedule a DAG on it to react to them."""

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "newswatch",
    "retries": 3,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": 2.0,  # 30 s, 1 min, 2 min
    "max_retry_delay": timedelta(minutes=5),
    "execution_timeout": timedelta(minutes=30),
}


@dag(
    dag_id="newswatch_ingest",
    schedule=SCHEDULE,
    start_date=datetime(2025, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=1),
    default_args=DEFAULT_ARGS,
    tags=["newswatch"],
    doc_md=__doc__,
)
def newswatch_ingest() -> None:
    @task
    def list_feeds() -> list[str]:
        from pipeline import orchestrate

        return orchestrate.feed_urls()

    @task(map_index_template="{{ task.op_kwargs['feed_url'] }}")
    def poll_feed(feed_url: str) -> dict[str, int]:
        from pipeline import orchestrate

        return orchestrate.poll_feed(feed_url)

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def fetch_pages() -> dict[str, int]:
        from pipeline import orchestrate

        return orchestrate.fetch_pages()

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def process() -> dict[str, int]:
        from pipeline import orchestrate

        return orchestrate.process()

    @task(outlets=[NEW_ARTICLES])
    def announce_new_articles(processed: dict[str, int], outlet_events: Any = None) -> int:
        """Skipped when nothing new was stored, so that no asset event is emitted for nothing."""
        stored = processed.get("articles_stored", 0)
        if not stored:
            raise AirflowSkipException("no new articles")
        outlet_events[NEW_ARTICLES].extra = {"articles": stored}
        return stored

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def send_alerts() -> dict[str, int]:
        from pipeline import orchestrate

        return orchestrate.send_alerts()

    @task(trigger_rule=TriggerRule.ONE_FAILED, retries=0)
    def fail_if_a_task_failed() -> None:
        raise AirflowFailException("a task of this run failed (the other stages still ran); see its log")

    feeds = list_feeds()
    polled = poll_feed.expand(feed_url=feeds)
    pages = fetch_pages()
    processed = process()
    alerts = send_alerts()
    announced = announce_new_articles(processed)
    polled >> pages >> processed >> alerts
    [feeds, polled, pages, processed, alerts, announced] >> fail_if_a_task_failed()


newswatch_ingest()
