"""The one storage interface. SQLite (embedded) and Elasticsearch (production) both implement it
and pass the same contract suite (tests/test_store_contract.py).

Every write is an upsert keyed by a deterministic id, so replaying any window is harmless; the
work ledger (items and their status), the alert ledger and the digest ledger live in the store too, which is what
makes a run resumable after any failure.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

from pipeline.models import (
    Alert,
    AlertStatus,
    Article,
    Claim,
    ClaimQuery,
    Digest,
    EnrichedArticle,
    ErrorRecord,
    FeedItem,
    FeedState,
    FetchedPage,
    Mention,
    SearchHit,
    SearchQuery,
    Stage,
    WorkItem,
)

Kind = Literal["articles", "mentions", "claims", "alerts", "errors", "pages", "items"]
PRUNED: tuple[Kind, ...] = ("pages", "articles", "mentions", "claims", "errors")
"""What :meth:`Store.prune` deletes, in the order it reports them."""


class StoreUnavailable(Exception):
    """The backend cannot be reached or refused a write; transient, the caller retries next run."""


@runtime_checkable
class Store(Protocol):
    def setup(self) -> None:
        """Create tables or install index templates; idempotent, called at every start."""

    def close(self) -> None: ...

    # -- feed state ------------------------------------------------------------------------
    def get_feed_state(self, feed_url: str) -> FeedState | None: ...

    def save_feed_state(self, state: FeedState) -> None: ...

    # -- work ledger -----------------------------------------------------------------------
    def add_items(self, items: Sequence[FeedItem]) -> list[FeedItem]:
        """Insert the items never seen before (by id, or by GUID within the same feed); return them."""

    def due_items(self, now: datetime, limit: int) -> list[WorkItem]:
        """Items still owing work: fetched ones first, then pending ones whose retry time has come."""

    def save_work(self, work: WorkItem) -> None: ...

    def get_work(self, item_id: str) -> WorkItem | None: ...

    # -- raw pages ------------------------------------------------------------------------
    def save_page(self, page: FetchedPage) -> None: ...

    def get_page(self, item_id: str) -> FetchedPage | None: ...

    def page_ids(self, since: datetime | None = None, until: datetime | None = None) -> list[str]:
        """Item ids of stored pages fetched in [since, until), oldest first: what reprocess walks."""

    # -- documents -------------------------------------------------------------------------
    def save_articles(self, docs: Sequence[EnrichedArticle]) -> None:
        """Upsert each article and replace its mentions and claims; a claim keeps its first_seen."""

    def get_article(self, article_id: str) -> Article | None: ...

    def search(self, query: SearchQuery) -> list[SearchHit]: ...

    def find_claims(self, query: ClaimQuery) -> list[Claim]:
        """Newest first; ``since``/``until`` bound ``first_seen``."""

    def find_mentions(self, article_id: str | None = None, entity: str | None = None) -> list[Mention]: ...

    def count(self, kind: Kind) -> int: ...

    # -- alert ledger ----------------------------------------------------------------------
    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Insert-if-absent by alert id (rule + fingerprint); return only those inserted now."""

    def find_alerts(self, status: AlertStatus | None = None, limit: int = 100) -> list[Alert]:
        """Oldest first, so pending alerts go out in the order they were found."""

    def save_alert(self, alert: Alert) -> None: ...

    # -- digest ledger ---------------------------------------------------------------------
    def add_digests(self, digests: Sequence[Digest]) -> list[Digest]:
        """Insert-if-absent by digest id (recipient + interval); return only those inserted now, so a
        rerun of a day that was already planned plans nothing."""

    def find_digests(self, status: AlertStatus | None = None, limit: int = 100) -> list[Digest]:
        """Oldest first (``created_at``, then id), like the alert ledger."""

    def save_digest(self, digest: Digest) -> None:
        """Upsert by id: status, attempts, subject, sent_at, last_error and claim_count change."""

    # -- errors ----------------------------------------------------------------------------
    def record_error(self, error: ErrorRecord) -> None:
        """Upsert by id: a repeated failure increments ``count`` and moves ``last_seen``."""

    def find_errors(
        self, stage: Stage | None = None, since: datetime | None = None, limit: int = 100
    ) -> list[ErrorRecord]:
        """Most recent first."""

    # -- retention -------------------------------------------------------------------------
    def prune(self, before: datetime, keep: Collection[str] = (), *, dry_run: bool = False) -> dict[Kind, int]:
        """Delete the content fetched before ``before``: raw pages, articles with their mentions,
        claims and full-text rows, and errors last seen before it. Each kind of :data:`PRUNED` is
        counted (what would go, with ``dry_run``, which deletes nothing).

        The articles whose ids are in ``keep`` stay, with their pages: an alert still owed needs its
        claim. The ledgers (work items, alerts, digests) and the feed state are never pruned: they
        are what stops an entry that a feed still lists from being fetched again, and a claim from
        alerting twice. Children go before their article, so an interrupted prune leaves no orphan
        that the next one would not find.
        """
