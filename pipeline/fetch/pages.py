"""Fetch one article page: a size cap, a content-type check and binary sniffing on top of the
guarded client. The raw bytes are what the store keeps, so extraction can be replayed offline.
"""

from __future__ import annotations

from pipeline import ids
from pipeline.config import LimitsSettings
from pipeline.fetch.http import FetchError, SafeClient
from pipeline.models import FeedItem, FetchedPage

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/plain"})
_MAGIC = (
    (b"%PDF", "PDF"), (b"\x89PNG", "PNG image"), (b"GIF8", "GIF image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "zip archive"), (b"\x1f\x8b", "gzip data"), (b"RIFF", "RIFF media"), (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"), (b"\x00\x00\x00", "binary data"), (b"7z\xbc\xaf", "7z archive"),
    (b"Rar!", "RAR archive"), (b"\x7fELF", "executable"), (b"MZ", "executable"), (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"), (b"wOF", "web font"),
)


def sniff_binary(body: bytes) -> str | None:
    """What the bytes really are when they are not text, whatever the server declared."""
    head = body[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return None  # a byte-order mark: UTF-16 or UTF-8 text
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head.count(b"\x00") > len(head) // 8:
        return "binary data"
    return None


def feed_page(item: FeedItem) -> FetchedPage:
    """The page of an entry that links nowhere: its own content (else summary) from the feed.
    Stored like any page, so the entry is extracted, and can be reprocessed, the same way."""
    return FetchedPage(item_id=item.id, url=item.link, final_url=item.link, status_code=200,
                       content_type="text/html", charset="utf-8",
                       body=(item.content or item.summary or "").encode("utf-8"))


async def fetch_page(client: SafeClient, item: FeedItem, limits: LimitsSettings) -> FetchedPage:
    """Raises FetchError (terminal or transient)."""
    if not ids.is_web(item.link):
        return feed_page(item)
    result = await client.get(item.link, max_bytes=limits.max_page_bytes, accept=PAGE_ACCEPT)
    if result.content_type and result.content_type not in HTML_TYPES:
        raise FetchError("bad_content_type", f"content type {result.content_type!r} is not a web page",
                         url=item.link, terminal=True, status=result.status_code)
    if not result.content.strip():
        raise FetchError("empty_body", "the page is empty", url=item.link, terminal=True, status=result.status_code)
    binary = sniff_binary(result.content)
    if binary:
        raise FetchError("binary_content", f"served as {result.content_type or 'unknown'} but is {binary}",
                         url=item.link, terminal=True, status=result.status_code)
    return FetchedPage(
        item_id=item.id, url=item.link, final_url=result.final_url, status_code=result.status_code,
        content_type=result.content_type, charset=result.charset, body=result.content,
    )
