"""One cycle of the pipeline as four resumable stages over the store's work ledger:

    poll feeds -> fetch pages -> process (extract, enrich, store, queue alerts) -> send alerts

and, once a day when ``store.retention_days`` is set, a prune of old content (pipeline/retention.py).

Each stage reads its work from the store and records its progress there only after the work is
done, so a crash or an outage anywhere loses nothing: the next run picks up what is still owed.
The CLI calls :meth:`Pipeline.run_once`; the Airflow DAGs call the stages one by one.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime, timedelta
from functools import cached_property

from pipeline.alert.channels import Channel, channel_for
from pipeline.alert.dispatch import dispatch
from pipeline.alert.render import Renderer
from pipeline.alert.rules import alerts_for
from pipeline.config import Settings, load_watchlist
from pipeline.enrich import Enricher
from pipeline.extract import ExtractError, extract_article
from pipeline.fetch.feeds import FeedPoll, poll_feed
from pipeline.fetch.http import FetchError, SafeClient
from pipeline.fetch.pages import fetch_page
from pipeline.models import (
    Article,
    EnrichedArticle,
    ErrorRecord,
    FeedConfig,
    FeedItem,
    FetchedPage,
    ItemStatus,
    RunReport,
    Stage,
    WatchedEntity,
    WorkItem,
    utcnow,
)
from pipeline.retention import prune
from pipeline.store import Store, open_store

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called as (stage, done, total) while a stage advances."""

PRUNE_EVERY = timedelta(days=1)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


# --------------------------------------------------------------------------- CPU-bound work
# Extraction and enrichment run in worker processes when nlp.workers > 1; each process builds
# its Enricher once (models and automata), then handles batches.

_worker_state: dict[str, object] = {}


def _init_worker(settings: Settings, watchlist: list[WatchedEntity]) -> None:
    _worker_state["settings"] = settings
    _worker_state["enricher"] = Enricher(settings.nlp, watchlist)


ProcessResult = tuple[str, EnrichedArticle | None, ErrorRecord | None]
Batch = list[tuple[FeedItem, FetchedPage]]
STORE_BATCH = 64
"""Articles written to the store at once. Independent of the processing batch (small, to bound the
memory of spaCy's parses): one Elasticsearch bulk of 4 articles is ~4x slower per document than one
of 16 (benchmarks/README.md), and a few larger SQLite transactions cost less than many small ones."""
_IN_FLIGHT = 4
"""Batches submitted ahead per worker. Results are taken in order, so the queue behind a slow batch
(a very long article) must be deep enough to keep the other workers busy meanwhile."""


def process_batch(batch: Sequence[tuple[FeedItem, FetchedPage]]) -> list[ProcessResult]:
    """Extract and enrich; one bad page yields an error record, never a failed batch."""
    settings: Settings = _worker_state["settings"]  # type: ignore[assignment]
    enricher: Enricher = _worker_state["enricher"]  # type: ignore[assignment]
    articles: list[tuple[str, Article]] = []
    results: list[ProcessResult] = []
    for item, page in batch:
        try:
            articles.append((item.id, extract_article(page, item, settings.extract)))
        except ExtractError as exc:
            results.append((item.id, None, ErrorRecord.of(Stage.extract, exc.kind, str(exc), terminal=True,
                                                           url=item.link, feed_url=item.feed_url, item_id=item.id)))
    try:
        enriched = enricher.enrich([article for _, article in articles])
        results.extend((item_id, doc, None) for (item_id, _), doc in zip(articles, enriched, strict=True))
    except Exception:
        # Isolate the article that breaks the batch; the others go through.
        for item_id, article in articles:
            try:
                results.append((item_id, enricher.enrich([article])[0], None))
            except Exception as exc:  # a model or rule bug must not stop the run
                log.exception("enrichment failed", extra={"item": item_id, "article": article.id})
                results.append((item_id, None, ErrorRecord.of(
                    Stage.enrich, "enrich_failed", f"{type(exc).__name__}: {exc}", terminal=True,
                    url=article.url, feed_url=article.feed_url, item_id=item_id)))
    return results


class Pipeline:
    def __init__(self, settings: Settings, *, store: Store | None = None, channel: Channel | None = None,
                 watchlist: list[WatchedEntity] | None = None) -> None:
        """``watchlist`` is the one ``settings.watchlist`` names, when the caller has read it already."""
        self.settings = settings
        if watchlist is None:
            watchlist = load_watchlist(settings.watchlist) if settings.watchlist else []
        self.watchlist = watchlist
        self.watched = {entity.id for entity in self.watchlist}
        self.store = store or open_store(settings)
        self.channel = channel or channel_for(settings.smtp, settings.outbox_path)
        self.renderer = Renderer(self.watchlist, settings.smtp.sender)
        self._pruned_at: datetime | None = None

    def close(self) -> None:
        executor = self.__dict__.get("_executor")
        if executor is not None:
            executor.shutdown(cancel_futures=True)
        self.store.close()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- stage 1: feeds ----------------------------------------------------------------------
    def poll_feeds(self, feeds: Sequence[FeedConfig] | None = None, progress: Progress = _no_progress) -> RunReport:
        feeds = list(feeds if feeds is not None else self.settings.feeds)
        report = RunReport(feeds=len(feeds))
        polls = asyncio.run(self._poll(feeds, progress))
        for poll in polls:
            self._record_poll(poll, report)
        return report

    async def _poll(self, feeds: list[FeedConfig], progress: Progress) -> list[FeedPoll]:
        done = 0
        async with SafeClient(self.settings.limits, self.settings.network) as client:
            async def one(feed: FeedConfig) -> FeedPoll:
                nonlocal done
                poll = await poll_feed(client, feed, self.store.get_feed_state(feed.url), self.settings.limits)
                done += 1
                progress("feeds", done, len(feeds))
                return poll
            return await asyncio.gather(*(one(feed) for feed in feeds))

    def _record_poll(self, poll: FeedPoll, report: RunReport) -> None:
        if poll.error is not None:
            report.feeds_failed += 1
            report.errors += 1
            self.store.record_error(ErrorRecord.of(
                Stage.feed, poll.error.kind, str(poll.error), terminal=poll.error.terminal, url=poll.feed.url,
                feed_url=poll.feed.url))
        elif poll.not_modified:
            report.feeds_not_modified += 1
        else:
            # Items first, then the validators: a crash in between re-reads the feed.
            report.items_new += len(self.store.add_items(poll.items))
            if poll.warning:
                report.errors += 1
                self.store.record_error(ErrorRecord.of(
                    Stage.feed, "illformed_feed", poll.warning, terminal=False, url=poll.feed.url,
                    feed_url=poll.feed.url))
            if poll.skipped:
                # Well-formed or not, an entry with no link and no text has nothing to read: recorded, not lost.
                report.errors += 1
                self.store.record_error(ErrorRecord.of(
                    Stage.feed, "entry_without_link", f"{poll.skipped} entries without an http(s) link or text skipped",
                    terminal=True, url=poll.feed.url, feed_url=poll.feed.url))
        self.store.save_feed_state(poll.state)

    # -- stage 2: pages ----------------------------------------------------------------------
    def fetch_pages(self, limit: int = 10_000, progress: Progress = _no_progress) -> RunReport:
        report = RunReport()
        due = [work for work in self.store.due_items(utcnow(), limit) if work.status is ItemStatus.pending]
        if due:
            asyncio.run(self._fetch(due, report, progress))
        return report

    async def _fetch(self, due: list[WorkItem], report: RunReport, progress: Progress) -> None:
        done = 0
        async with SafeClient(self.settings.limits, self.settings.network) as client:
            async def one(work: WorkItem) -> None:
                nonlocal done
                try:
                    page = await fetch_page(client, work.item, self.settings.limits)
                except FetchError as error:
                    self._page_failed(work, error, report)
                else:
                    self.store.save_page(page)
                    work.status, work.last_error, work.updated_at = ItemStatus.fetched, None, utcnow()
                    work.attempts += 1
                    self.store.save_work(work)
                    report.pages_fetched += 1
                done += 1
                progress("pages", done, len(due))
            await asyncio.gather(*(one(work) for work in due))

    def _page_failed(self, work: WorkItem, error: FetchError, report: RunReport) -> None:
        limits = self.settings.limits
        work.attempts += 1
        work.last_error = str(error)
        work.updated_at = utcnow()
        terminal = error.terminal or work.attempts >= limits.max_attempts
        if terminal:
            work.status = ItemStatus.skipped
        else:
            delay = error.retry_after if error.retry_after is not None else \
                limits.retry_after_seconds * 2 ** (work.attempts - 1)
            work.next_attempt_at = utcnow() + timedelta(seconds=delay)
        self.store.save_work(work)
        report.pages_failed += 1
        report.errors += 1
        message = str(error) if not terminal or error.terminal else f"{error} (gave up after {work.attempts} tries)"
        self.store.record_error(ErrorRecord.of(
            Stage.page, error.kind, message, terminal=terminal, url=work.item.link, feed_url=work.item.feed_url,
            item_id=work.item.id))
        log.warning("page failed", extra={"item": work.item.id, "url": work.item.link, "kind": error.kind,
                                          "terminal": terminal})

    # -- stage 3: extract, enrich, store, queue alerts ---------------------------------------
    @cached_property
    def _executor(self) -> ProcessPoolExecutor | None:
        if self.settings.nlp.workers <= 1:
            _init_worker(self.settings, self.watchlist)
            return None
        return ProcessPoolExecutor(
            max_workers=self.settings.nlp.workers, initializer=_init_worker, initargs=(self.settings, self.watchlist)
        )

    def _run_batches(self, batches: Iterable[Batch]) -> Iterator[list[ProcessResult]]:
        """Results in the order of ``batches``. With workers, at most ``_IN_FLIGHT`` batches per
        worker are submitted ahead (``Executor.map`` would submit, and so hold, all of them): the
        workers never wait for work, and memory does not grow with the number of articles owed."""
        executor = self._executor
        if executor is None:
            yield from map(process_batch, batches)
            return
        ahead = self.settings.nlp.workers * _IN_FLIGHT
        pending: deque[Future[list[ProcessResult]]] = deque()
        try:
            for batch in batches:
                pending.append(executor.submit(process_batch, batch))
                if len(pending) >= ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    def process(self, limit: int = 10_000, progress: Progress = _no_progress) -> RunReport:
        report = RunReport()
        owed = [work for work in self.store.due_items(utcnow(), limit) if work.status is ItemStatus.fetched]
        self._process(owed, report, progress, mark_done=True)
        return report

    def _process(self, owed: list[WorkItem], report: RunReport, progress: Progress, *, mark_done: bool) -> None:
        if not owed:
            return
        by_id = {work.item.id: work for work in owed}
        size = self.settings.nlp.batch_size

        def batches() -> Iterator[Batch]:
            # Pages are read batch by batch as the workers need them, not all up front.
            for start in range(0, len(owed), size):
                batch = []
                for work in owed[start:start + size]:
                    page = self.store.get_page(work.item.id)
                    if page is None:  # the page was lost: fetch it again
                        work.status = ItemStatus.pending
                        self.store.save_work(work)
                        continue
                    batch.append((work.item, page))
                if batch:
                    yield batch

        done = 0
        unsaved: list[ProcessResult] = []
        for results in self._run_batches(batches()):
            unsaved.extend(results)
            if len(unsaved) >= STORE_BATCH:
                done += self._save_results(unsaved, by_id, report, mark_done=mark_done)
                unsaved = []
                progress("articles", done, len(owed))
        if unsaved:
            done += self._save_results(unsaved, by_id, report, mark_done=mark_done)
            progress("articles", done, len(owed))

    def _save_results(self, results: list[ProcessResult], by_id: dict[str, WorkItem], report: RunReport, *,
                      mark_done: bool) -> int:
        """Store the articles, queue their alerts, then mark their items done: in that order, so that
        a crash in between leaves the items owed and the next run redoes them (the writes are upserts)."""
        docs = [doc for _, doc, _ in results if doc is not None]
        self.store.save_articles(docs)
        alerts = alerts_for(self.settings.rules, docs, self.watched, self.settings.smtp.default_recipients)
        report.alerts_queued += len(self.store.add_alerts(alerts))
        report.articles_stored += len(docs)
        report.mentions += sum(len(doc.mentions) for doc in docs)
        report.claims += sum(len(doc.claims) for doc in docs)
        for item_id, doc, error in results:
            work = by_id[item_id]
            if error is not None:
                self.store.record_error(error)
                report.errors += 1
            if mark_done:
                work.status = ItemStatus.done if doc is not None else ItemStatus.skipped
                work.article_id = doc.article.id if doc is not None else None
                work.last_error = error.message if error is not None else None
                work.updated_at = utcnow()
                self.store.save_work(work)
        return len(results)

    # -- stage 4: alerts ---------------------------------------------------------------------
    def send_alerts(self) -> RunReport:
        result = dispatch(self.store, self.channel, self.renderer,
                          batched={rule.id for rule in self.settings.rules if rule.batch})
        report = RunReport(alerts_sent=result.sent, alerts_pending=result.pending, errors=result.failed)
        if result.error:
            self.store.record_error(ErrorRecord.of(Stage.alert, "channel_unavailable", result.error, terminal=False,
                                                   url=self.channel.name))
        return report

    # -- whole cycle and replays -------------------------------------------------------------
    def run_once(self, progress: Progress = _no_progress) -> RunReport:
        report = RunReport()
        for stage in (
            lambda: self.poll_feeds(progress=progress),
            lambda: self.fetch_pages(progress=progress),
            lambda: self.process(progress=progress),
            self.send_alerts,
            self.prune_if_due,
        ):
            merge(report, stage())
        report.finished_at = utcnow()
        return report

    def prune_if_due(self) -> RunReport:
        """The retention prune, at most once a day for a process that loops; after the alerts are
        sent, so that what they needed is no longer owed."""
        days, now = self.settings.store.retention_days, utcnow()
        if days is None or (self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY):
            return RunReport()
        self._pruned_at = now
        return RunReport(articles_pruned=prune(self.store, days, now=now).counts.get("articles", 0))

    def reprocess(self, since: datetime | None = None, until: datetime | None = None,
                  progress: Progress = _no_progress) -> RunReport:
        """Re-extract and re-enrich stored pages (rules or models changed). The ledgers make it
        safe: articles are overwritten, and an alert already sent is never queued again."""
        report = RunReport()
        owed = [work for item_id in self.store.page_ids(since, until)
                if (work := self.store.get_work(item_id)) is not None]
        self._process(owed, report, progress, mark_done=False)
        merge(report, self.send_alerts())
        report.finished_at = utcnow()
        return report


_COUNTERS = [name for name, field in RunReport.model_fields.items() if field.annotation is int]


def merge(total: RunReport, part: RunReport) -> None:
    for name in _COUNTERS:
        setattr(total, name, getattr(total, name) + getattr(part, name))
