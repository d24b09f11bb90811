"""Retention: delete what was fetched more than N days ago, never what is still owed.

A monitor that polls every few minutes grows without end, and raw pages are most of what it
keeps. Pruning removes content (pages, articles with their mentions and claims, old errors) and
keeps the ledgers, which are small and are the project's memory: the work ledger stops an entry
that a feed still lists from being fetched again, and the alert ledger stops a claim seen again
from alerting twice. What is still owed is never pruned: the articles of pending alerts stay, and
the cutoff moves back to the start of the oldest pending digest, whose claims it recomposes.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from pipeline.models import AlertStatus, PruneReport, utcnow
from pipeline.store.base import Store

log = logging.getLogger(__name__)

_OWED_LIMIT = 1_000_000
"""Pending alerts and digests read to protect their content; far above any real backlog."""


def prune(store: Store, days: int, *, now: datetime | None = None, dry_run: bool = False) -> PruneReport:
    """``now`` is the caller's clock, so that a loop prunes against the time it checked."""
    if days < 1:
        raise ValueError(f"retention must be at least one day, not {days}")
    before = (now or utcnow()) - timedelta(days=days)
    digests = store.find_digests(AlertStatus.pending, limit=_OWED_LIMIT)
    before = min([before, *(digest.since for digest in digests)])
    owed = {alert.article_id for alert in store.find_alerts(AlertStatus.pending, limit=_OWED_LIMIT)}
    kept = {article_id for article_id in owed
            if (article := store.get_article(article_id)) is not None and article.fetched_at < before}
    counts = store.prune(before, kept, dry_run=dry_run)
    report = PruneReport(before=before, counts=dict(counts), kept=len(kept), dry_run=dry_run)
    log.info("pruned" if not dry_run else "prune (dry run)",
             extra={"before": before.isoformat(), **counts, "kept": len(kept)})
    return report
