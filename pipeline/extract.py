"""Extract stage: raw page bytes to an :class:`Article` with trafilatura.

The same function serves the pipeline, ``newswatch reprocess`` and ``newswatch extract``, so the
text an analyst inspects is exactly the text the pipeline enriched.
"""

from __future__ import annotations

import codecs
import logging
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import charset_normalizer
import trafilatura
from lxml import html as lxml_html

from pipeline import ids
from pipeline.config import ExtractSettings
from pipeline.models import Article, FeedItem, FetchedPage

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG: these labels mean windows-1252 on the web.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252"}
_ASCII = bytes(range(128))
_FEW_NON_ASCII = 64
"""Non-ASCII bytes in an undeclared, non-UTF-8 body below which a charset detector has too little
to go on."""
# Symbols of windows-1252 where other single-byte code pages have letters; between two letters
# they mean the page is in another one. (Not the apostrophes, dashes, · ª º µ: words hold those.)
_IN_WORD_SYMBOLS = re.escape("¡¢£¤¥¦§¨©«¬®¯°±²³´¶¸¹»¼½¾¿×÷€‚„…†‡ˆ‰‹›•˜™")
_SYMBOL_IN_WORD = re.compile(rf"(?<=[^\W\d_])[{_IN_WORD_SYMBOLS}](?=[^\W\d_])")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class ExtractError(Exception):
    """The page holds no article text; terminal."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = _ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Bytes to text. Valid UTF-8 wins over a declared single-byte charset, because servers that
    default to ISO-8859-1 in their headers while serving UTF-8 pages are the commonest mistake."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    candidates: list[str] = []
    header = _codec(declared)
    if header and header.startswith(("utf-16", "utf-32")):
        candidates.append(header)
    candidates.append("utf-8")
    match = _META_CHARSET.search(body[:4096])
    for label in (header, _codec(match.group(1).decode("ascii", "ignore")) if match else None):
        if label and label not in candidates:
            candidates.append(label)
    for codec in candidates:
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    sample = body[:200_000]
    if len(sample.translate(None, _ASCII)) < _FEW_NON_ASCII and (western := _western(sample)) is not None:
        return western if len(sample) == len(body) else body.decode("cp1252", errors="replace")
    best = charset_normalizer.from_bytes(sample).best()
    if best is not None and best.encoding:
        return body.decode(best.encoding, errors="replace")
    return body.decode("cp1252", errors="replace")


def _western(body: bytes) -> str | None:
    """The body as windows-1252 (the web's default for undeclared pages, WHATWG) when it reads
    as a Western European language: a minority of non-ASCII letters among the letters, and no
    symbol of that code page inside a word, where another code page has a letter (windows-1250
    has "ł" where windows-1252 has "³"). Undeclared pages with few non-ASCII bytes go this way
    first, because detectors guess badly on so little ("déclaré à l'Élysée" read as the Czech
    "ŕ" and "ę", "Élysée" alone as Chinese)."""
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError:
        return None  # bytes windows-1252 leaves undefined
    letters = [char for char in text if char.isalpha()]
    if sum(not char.isascii() for char in letters) > 0.25 * len(letters) or _SYMBOL_IN_WORD.search(text):
        return None
    return text


def _same_site(a: str, b: str) -> bool:
    host_a = (urlsplit(a).hostname or "").removeprefix("www.")
    host_b = (urlsplit(b).hostname or "").removeprefix("www.")
    return bool(host_a) and host_a == host_b


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _feed_text(item: FeedItem) -> str:
    """Plain text of the feed's own content or summary (HTML already sanitised by feedparser)."""
    for value in (item.content, item.summary):
        if value:
            try:
                text = lxml_html.fromstring(f"<div>{value}</div>").text_content()
            except (ValueError, lxml_html.etree.ParserError):
                text = value
            text = re.sub(r"[ \t]+", " ", text).strip()
            if text:
                return text
    return ""


def extract_text(html: str, url: str | None, options: ExtractSettings) -> trafilatura.settings.Document | None:
    return trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=options.include_tables,
        favor_precision=options.favor_precision, include_images=False, include_links=False, deduplicate=False,
    )


def extract_article(page: FetchedPage, item: FeedItem, options: ExtractSettings) -> Article:
    """Raises ExtractError when neither the page nor the feed gives enough text."""
    html = decode_html(page.body, page.charset)
    try:
        document = extract_text(html, page.final_url, options)
    except Exception as exc:  # trafilatura/lxml raise a zoo of types on hostile markup
        log.warning("extraction crashed", extra={"item": item.id, "error": repr(exc)})
        document = None
    text = (document.text or "").strip() if document is not None else ""
    if len(text) < options.min_chars:
        fallback = _feed_text(item)
        if len(fallback) > len(text):
            text = fallback
    if len(text) < options.min_chars:
        raise ExtractError("no_main_text", f"no main text: {len(text)} characters, fewer than {options.min_chars}")
    canonical = page.final_url
    if document is not None and document.url and document.url.startswith("http") \
            and _same_site(document.url, page.final_url):
        canonical = document.url
    canonical = ids.canonical_url(canonical)
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()] if document else []
    title = (document.title if document is not None else None) or item.title
    return Article(
        id=ids.article_id(canonical), url=canonical, item_id=item.id, feed_url=item.feed_url,
        outlet=item.feed_name, title=title.strip() if title else None, text=text,
        language=(document.language if document is not None else None) or item.language,
        published=item.published or (_date(document.date) if document is not None else None),
        authors=authors or item.authors, fetched_at=page.fetched_at,
    )
