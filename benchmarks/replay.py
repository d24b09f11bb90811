"""Re-using enrichment results for other URLs of the same page: the store pre-fill of the 10k
point and the documents of the Elasticsearch bulk measurement.

An enriched article depends on its URL only through its ids, so a copy of page ``p`` at article
number ``k`` is the enriched result of page ``p`` with the article, mention and claim ids derived
again from the new URL (the claims keep their fingerprints, so alerts de-duplicate as they would
in a real run). This is what lets the store reach 10,000 articles without running the NLP again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.corpus import FeedSpec, Page, copy_of, feed_item, feed_set
from pipeline import ids
from pipeline.alert.rules import alerts_for
from pipeline.models import (
    AlertRule,
    AlertStatus,
    EnrichedArticle,
    FeedItem,
    FeedState,
    FetchedPage,
    ItemStatus,
    WorkItem,
    utcnow,
)
from pipeline.store.sqlite import SqliteStore


def rekey(doc: EnrichedArticle, item: FeedItem) -> EnrichedArticle:
    """``doc`` as the article of ``item``: same text and findings, ids derived from the item's URL."""
    article_id = ids.article_id(item.link)
    article = doc.article.model_copy(update={
        "id": article_id, "url": item.link, "item_id": item.id, "feed_url": item.feed_url,
        "outlet": item.feed_name, "published": item.published or doc.article.published,
    })
    mentions = [
        mention.model_copy(update={"id": ids.mention_id(article_id, mention.entity_id, mention.start, mention.end),
                                   "article_id": article_id})
        for mention in doc.mentions
    ]
    claims = [
        claim.model_copy(update={"id": ids.claim_id(article_id, claim.start, claim.end), "article_id": article_id,
                                 "url": item.link, "outlet": item.feed_name, "published": article.published})
        for claim in doc.claims
    ]
    return EnrichedArticle(article=article, mentions=mentions, claims=claims)


def copies(pages: list[Page], docs: dict[int, EnrichedArticle], base_urls: list[str], first: int, count: int,
           per_feed: int) -> list[EnrichedArticle]:
    """Enriched copies for articles ``first .. first+count-1`` (pages without a result skipped)."""
    result = []
    for feed, base in _feeds(base_urls, first, count, per_feed):
        for k in range(feed.first, feed.first + feed.count):
            doc = docs.get(k % len(pages))
            if doc is not None:
                result.append(rekey(doc, feed_item(pages, feed, base, k)))
    return result


def _feeds(base_urls: list[str], first: int, count: int, per_feed: int) -> list[tuple[FeedSpec, str]]:
    feeds = feed_set(base_urls, first, count, per_feed)
    return [(feed, base_urls[index % len(base_urls)]) for index, feed in enumerate(feeds)]


def prefill(path: Path, pages: list[Page], docs: dict[int, EnrichedArticle], base_urls: list[str], first: int,
            count: int, per_feed: int, batch: int, rules: list[AlertRule], watched: set[str],
            recipients: list[str], progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Write articles ``first .. first+count-1`` into the SQLite store at ``path`` through the Store
    API, with the rows a real run leaves (item done, raw page, article, FTS, mentions, claims,
    alerts, feed state), batch by batch as the pipeline does. Returns the store-write time per
    article over the first and the last thousand, the growth check at the store level."""
    store = SqliteStore(path)
    store.setup()
    per_article: list[float] = []
    written = 0
    try:
        for feed, base in _feeds(base_urls, first, count, per_feed):
            numbers = list(range(feed.first, feed.first + feed.count))
            for start in range(0, len(numbers), batch):
                chunk = [k for k in numbers[start:start + batch] if k % len(pages) in docs]
                items = [feed_item(pages, feed, base, k) for k in chunk]
                docs_chunk = [rekey(docs[k % len(pages)], item) for k, item in zip(chunk, items, strict=True)]
                began = time.perf_counter()
                store.add_items(items)
                for k, item in zip(chunk, items, strict=True):
                    store.save_page(FetchedPage(item_id=item.id, url=item.link, final_url=item.link, status_code=200,
                                                content_type="text/html", body=copy_of(pages[k % len(pages)], k)))
                store.save_articles(docs_chunk)
                # Sent already, as after the runs that would have stored these articles.
                store.add_alerts([alert.model_copy(update={"status": AlertStatus.sent, "sent_at": utcnow()})
                                  for alert in alerts_for(rules, docs_chunk, watched, recipients)])
                for item, doc in zip(items, docs_chunk, strict=True):
                    store.save_work(WorkItem(item=item, status=ItemStatus.done, attempts=1,
                                             article_id=doc.article.id, updated_at=utcnow()))
                elapsed = time.perf_counter() - began
                per_article.extend([elapsed / len(items)] * len(items) if items else [])
                written += len(items)
                if progress is not None:
                    progress(written)
            store.save_feed_state(FeedState(feed_url=feed.url, last_polled=utcnow(), last_status=200))
    finally:
        store.close()
    window = min(1000, len(per_article) // 2) or 1
    return {
        "articles": written,
        "store_ms_per_article_first": 1000 * sum(per_article[:window]) / window,
        "store_ms_per_article_last": 1000 * sum(per_article[-window:]) / window,
        "window": window,
    }
