"""Poll one feed: conditional GET, parse with feedparser, turn entries into :class:`FeedItem`s.

feedparser is given the bytes and the response headers, never the URL, so that every request goes
through the guarded client; it is lenient (``bozo``) on broken XML, and a broken feed with usable
entries still yields its items, with the breakage recorded.

Three things are settled here before feedparser sees the bytes, because feedparser alone gets them
wrong for a web crawler (tests/faults/test_faults_feeds.py serves feedparser's own corpus to prove it):

* a response without Content-Type makes feedparser assume ISO-8859-1 (RFC 2616's default for
  text), turning every UTF-8 feed without an XML declaration into mojibake; such a body is parsed
  by the XML rules instead (BOM, XML declaration, else UTF-8), as feedparser does for a file;
* a feed that declares no encoding anywhere and is not UTF-8 (legacy KOI8-R, Big5, windows-1255
  feeds) is decoded with the charset detected by charset-normalizer, and recorded as ill-formed;
* entity declarations are judged, not refused wholesale: nested references (billion laughs) and
  declarations whose expansion would exceed a budget (quadratic blow-up) are refused, while the
  harmless ones real feeds carry (``<!ENTITY nbsp "&#160;">``, an external DTD that is never
  loaded) are left to feedparser, which keeps only such safe declarations.
"""

from __future__ import annotations

import calendar
import codecs
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import charset_normalizer
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
# Entity declarations live in the prolog (before the root element); comments are removed first so
# that a fake "<x" inside one cannot end the prolog early.
_ENTITY_DECL = re.compile(rb"<!ENTITY\b", re.IGNORECASE)
_COMMENT = re.compile(rb"<!--.*?(?:-->|\Z)", re.DOTALL)
_ROOT_ELEMENT = re.compile(rb"<[A-Za-z_:]")
_INTERNAL_ENTITY = re.compile(rb"""<!ENTITY\s+([^\s%"'>]+)\s+(?:"([^"]*)"|'([^']*)')\s*>""", re.IGNORECASE)
_EXTERNAL_ENTITY = re.compile(
    rb"""<!ENTITY\s+(?:%\s+)?[^\s%"'>]+\s+(?:SYSTEM\s+|PUBLIC\s+(?:"[^"]*"|'[^']*')\s+)(?:"[^"]*"|'[^']*')\s*>""",
    re.IGNORECASE,
)
_CHAR_REF = re.compile(rb"&#(?:x[0-9a-fA-F]+|[0-9]+);")
MAX_ENTITY_EXPANSION = 1_000_000
"""Bytes that declared entities may add to a feed once expanded; far above any real use."""
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["'][^"']+["']""")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class FeedPoll:
    feed: FeedConfig
    state: FeedState
    items: list[FeedItem] = field(default_factory=list)
    not_modified: bool = False
    error: FetchError | None = None
    warning: str | None = None
    """The feed was ill-formed but usable (feedparser's bozo with entries)."""
    skipped: int = 0
    """Entries with neither an http(s) link nor any text: nothing to read, so they are counted
    and recorded."""


@dataclass
class ParsedFeed:
    items: list[FeedItem]
    illformed: str | None = None
    """Why the document is not well-formed XML (or not well declared), when it still gave a feed."""
    skipped: int = 0


def entity_risk(body: bytes) -> str | None:
    """Why the document's entity declarations are refused, or None when it declares none or only
    harmless ones. External entities are allowed because they are never loaded (feedparser drops
    their declarations and its SAX parser has external entities off); anything not understood is
    refused, so the check fails closed."""
    text = body.replace(b"\x00", b"") if b"\x00" in body[:4] else body  # UTF-16/32: ASCII markup
    if not _ENTITY_DECL.search(text):
        return None
    prolog = _COMMENT.sub(b"", text)
    root = _ROOT_ELEMENT.search(prolog)
    if root is not None:
        prolog = prolog[:root.start()]
    expansion = 0
    for match in _ENTITY_DECL.finditer(prolog):
        if _EXTERNAL_ENTITY.match(prolog, match.start()):
            continue
        internal = _INTERNAL_ENTITY.match(prolog, match.start())
        if internal is None:
            return "feed declares an entity this parser does not accept (parameter or malformed); refused"
        name, value = internal.group(1), internal.group(2) if internal.group(2) is not None else internal.group(3)
        if b"&" in value and not _CHAR_REF.fullmatch(value):
            return (f"feed declares entity {name.decode('ascii', 'replace')!r} that references other entities "
                    "(entity-expansion bomb); refused")
        expansion += len(value) * text.count(b"&" + name + b";")
        if expansion > MAX_ENTITY_EXPANSION:
            return (f"feed entities would expand by more than {MAX_ENTITY_EXPANSION} bytes "
                    "(entity-expansion bomb); refused")
    return None


def _undeclared_charset(body: bytes, http_charset: str | None) -> str | None:
    """The detected charset of a body whose encoding nothing declares and that is not UTF-8.

    XML says such a document is UTF-8; feedparser then falls back to windows-1252 or ISO-8859-2,
    which is valid text but the wrong letters for a Russian, Hebrew or Chinese feed."""
    if http_charset or body.startswith(_BOMS) or b"\x00" in body[:4] or _XML_ENCODING.match(body[:1024]):
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(body[:200_000]).best()
        return best.encoding if best is not None and best.encoding else None
    return None


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """(media type, charset parameter) of a Content-Type value."""
    if not content_type:
        return "", None
    media, *params = content_type.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip("\"'"):
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


def parse_document(body: bytes, *, url: str, content_type: str | None, content_location: str | None = None,
                   content_language: str | None = None) -> tuple[Any, str | None]:
    """feedparser's result for a response, and the note when newswatch had to detect the charset.

    ``content_location`` (the response header) is the base of relative links when present, as
    feedparser does for a URL it fetches itself; a missing Content-Type means XML rules (see the
    module docstring). Raises FetchError for refused entity declarations."""
    refused = entity_risk(body)
    if refused:
        raise FetchError("xml_entities", refused, url=url, terminal=True)
    media, charset = _media_type(content_type)
    detected = _undeclared_charset(body, charset)
    note = None
    effective = content_type or "application/xml"
    if detected:
        effective = f"{media or 'application/xml'}; charset={detected}"
        note = f"encoding not declared and not UTF-8; decoded as {detected} (detected)"
    headers = {"content-type": effective,
               "content-location": urljoin(url, content_location.strip()) if content_location else url}
    if content_language:
        headers["content-language"] = content_language
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    return parsed, note


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


def _http(value: object) -> str | None:
    text = _text(value)
    return text if text and ids.is_web(text) else None


def entry_link(entry: dict) -> str | None:
    """The article URL of an entry: its first rel="alternate" link, else feedparser's ``link``,
    else an id that is a permalink. feedparser's ``link`` is the last link seen when links have no
    href (an enclosure, say), and an enclosure is a media file, not the article."""
    for link in entry.get("links") or []:
        if isinstance(link, dict) and link.get("rel", "alternate") == "alternate" and _http(link.get("href")):
            return _http(link.get("href"))
    link = _http(entry.get("link"))
    if link:
        return link
    if entry.get("guidislink"):
        return _http(entry.get("id"))
    return None


def entry_fields(entry: dict, feed_language: str | None = None) -> dict[str, Any]:
    """What newswatch keeps of an entry besides its link (title, summary, content, date...)."""
    guid = _text(entry.get("id"))
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
    return {
        "guid": guid, "title": _text(entry.get("title")), "summary": summary, "content": content,
        "published": _time(entry, "published_parsed", "updated_parsed", "created_parsed"), "authors": authors,
        "language": language or feed_language,
    }


def entry_address(entry: dict, feed_url: str) -> str | None:
    """Where an entry's text is: its article URL; else, when it links nowhere but carries its
    text in the feed (RSS makes the link optional: briefs, press releases, notices), an address
    of the entry within its feed (``ids.feed_entry_address``), so that it is read from the feed
    itself; None when it has neither."""
    return entry_link(entry) or _address_in_feed(entry_fields(entry), feed_url)


def _address_in_feed(fields: dict[str, Any], feed_url: str) -> str | None:
    text = fields["content"] or fields["summary"]
    if not text:
        return None
    return ids.feed_entry_address(feed_url, fields["guid"] or f"{fields['title'] or ''}\n{text}")


def entry_to_item(entry: dict, feed: FeedConfig, feed_language: str | None) -> FeedItem | None:
    """None when the entry has neither a link nor any text."""
    fields = entry_fields(entry, feed_language)
    address = entry_link(entry) or _address_in_feed(fields, feed.url)
    if address is None:
        return None
    fields["language"] = feed.language or fields["language"]
    return FeedItem(id=ids.item_id(address), feed_url=feed.url, feed_name=feed.name,
                    link=ids.canonical_url(address), **fields)


def parse_feed(body: bytes, feed: FeedConfig, *, url: str, content_type: str | None, limit: int,
               content_location: str | None = None, content_language: str | None = None) -> ParsedFeed:
    """The feed's items, with why it is ill-formed when it is. Raises FetchError when unusable."""
    parsed, note = parse_document(body, url=url, content_type=content_type, content_location=content_location,
                                  content_language=content_language)
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
    illformed = note
    reason = f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}" if parsed.bozo else None
    if not parsed.entries and not parsed.get("version"):
        # Not even an empty feed: an empty body (which feedparser does not flag) or any other document.
        raise FetchError("malformed_feed", f"not a feed: {reason or 'empty document'}", url=url, terminal=True)
    if reason:
        illformed = f"{note}; {reason}" if note else reason
    if illformed:
        illformed = f"ill-formed feed, {len(items)} usable items kept: {illformed}"
    return ParsedFeed(list(items.values()), illformed, skipped)


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
        parsed = parse_feed(
            result.content, feed, url=result.final_url, content_type=result.headers.get("content-type"),
            limit=limits.max_items_per_feed, content_location=result.headers.get("content-location"),
            content_language=result.headers.get("content-language"),
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
    log.info("feed polled", extra={"feed": feed.url, "items": len(parsed.items), "skipped": parsed.skipped})
    return FeedPoll(feed, state, items=parsed.items, warning=parsed.illformed, skipped=parsed.skipped)
