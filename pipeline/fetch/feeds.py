"""Poll one feed: conditional GET, parse with feedparser, turn entries into :class:`FeedItem`s.

feedparser is given the bytes and the response headers, never the URL, so that every request goes
through the guarded client; it is lenient (``bozo``) on broken XML, and a broken feed with usable
entries still yields its items, with the breakage recorded.
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser

from pipeline import ids
from pipeline.config import LimitsSettings
from pipeline.fetch.http import FetchError, SafeClient
from pipeline.models import FeedConfig, FeedItem, FeedState, utcnow

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, "
    "text/xml;q=0.8, */*;q=0.1"
)
# An internal DTD subset that declares entities is how XML bombs start; real feeds never need one.
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


@dataclass
class FeedPoll:
    feed: FeedConfig
    state: FeedState
    items: list[FeedItem] = field(default_factory=list)
    not_modified: bool = False
    error: FetchError | None = None
    warning: str | None = None
    """The feed was ill-formed but usable (feedparser's bozo with entries)."""


def _has_entity_declarations(body: bytes) -> bool:
    head = body[:65536]
    if _ENTITY_DECL.search(head):
        return True
    # UTF-16/32 documents: look at the text with the NULs removed.
    return b"\x00" in head[:4] and bool(_ENTITY_DECL.search(head.replace(b"\x00", b"")))


def _time(entry: dict, *keys: str) -> datetime | None:
    for key in keys:
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def entry_to_item(entry: dict, feed: FeedConfig, feed_language: str | None) -> FeedItem | None:
    """None when the entry has no usable link (an entry cannot be fetched without one)."""
    link = _text(entry.get("link"))
    guid = _text(entry.get("id"))
    if not link and guid and entry.get("guidislink") and guid.startswith(("http://", "https://")):
        link = guid
    if not link or not link.startswith(("http://", "https://")):
        return None
    authors = [a.get("name") for a in entry.get("authors", []) if isinstance(a, dict) and a.get("name")]
    if not authors and _text(entry.get("author")):
        authors = [entry["author"].strip()]
    summary = _text(entry.get("summary"))
    content = None
    for part in entry.get("content") or []:
        if isinstance(part, dict) and _text(part.get("value")):
            content = part["value"].strip()
            break
    language = None
    detail = entry.get("title_detail") or {}
    if isinstance(detail, dict) and detail.get("language"):
        language = str(detail["language"]).split("-")[0].lower()
    return FeedItem(
        id=ids.item_id(link),
        feed_url=feed.url,
        feed_name=feed.name,
        link=ids.canonical_url(link),
        guid=guid,
        title=_text(entry.get("title")),
        summary=summary,
        content=content,
        published=_time(entry, "published_parsed", "updated_parsed", "created_parsed"),
        authors=authors,
        language=feed.language or language or feed_language,
    )


def parse_feed(body: bytes, feed: FeedConfig, *, url: str, content_type: str | None, limit: int
               ) -> tuple[list[FeedItem], str | None]:
    """Items and, for an ill-formed but usable feed, a warning. Raises FetchError when unusable."""
    if _has_entity_declarations(body):
        raise FetchError("xml_entities", "feed declares XML entities (possible entity-expansion bomb); refused",
                         url=url, terminal=True)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    feed_language = _text(parsed.feed.get("language")) if parsed.get("feed") else None
    if feed_language:
        feed_language = feed_language.split("-")[0].lower()
    items: dict[str, FeedItem] = {}
    skipped = 0
    for entry in parsed.entries[:limit]:
        item = entry_to_item(entry, feed, feed_language)
        if item is None:
            skipped += 1
        elif item.id not in items:
            items[item.id] = item
    warning = None
    if parsed.bozo:
        reason = f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"
        if not parsed.entries and not parsed.get("version"):
            raise FetchError("malformed_feed", f"not a feed: {reason}", url=url, terminal=True)
        warning = f"ill-formed feed, {len(items)} usable items kept: {reason}"
    if skipped:
        note = f"{skipped} entries without an http(s) link skipped"
        warning = f"{warning}; {note}" if warning else note
    return list(items.values()), warning


async def poll_feed(client: SafeClient, feed: FeedConfig, state: FeedState | None, limits: LimitsSettings
                    ) -> FeedPoll:
    """Never raises: a failure comes back in ``FeedPoll.error`` with the state unchanged but dated."""
    state = (state or FeedState(feed_url=feed.url)).model_copy()
    headers: dict[str, str] = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    state.last_polled = utcnow()
    try:
        result = await client.get(feed.url, max_bytes=limits.max_feed_bytes, accept=FEED_ACCEPT, headers=headers)
        state.last_status = result.status_code
        if result.status_code == 304:
            state.last_error = None
            return FeedPoll(feed, state, not_modified=True)
        items, warning = parse_feed(
            result.content, feed, url=result.final_url, content_type=result.headers.get("content-type"),
            limit=limits.max_items_per_feed,
        )
    except FetchError as error:
        state.last_status = error.status
        state.last_error = str(error)
        log.warning("feed failed", extra={"feed": feed.url, "kind": error.kind, "error": str(error)})
        return FeedPoll(feed, state, error=error)
    # The validators are saved only with the items (the caller stores both), so a crash in
    # between re-downloads the feed instead of losing its items.
    state.etag = result.headers.get("etag") or None
    state.last_modified = result.headers.get("last-modified") or None
    state.last_error = None
    log.info("feed polled", extra={"feed": feed.url, "items": len(items)})
    return FeedPoll(feed, state, items=items, warning=warning)
