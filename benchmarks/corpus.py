"""The benchmark's articles: the real pages of the extraction corpora, each served under many URLs.

Article number ``k`` is page ``k % P`` (P distinct pages) at ``/a/<k>/<slug>.html``, with `` [k]``
added at the end of every paragraph (:func:`copy_of`). Nothing in the pipeline de-duplicates by
content (article ids come from the URL), so every copy is fetched, extracted, enriched and stored
in full; the marker keeps content-keyed caches from making copies cheaper than new articles. Alerts
de-duplicate by claim fingerprint, on purpose: a claim whose quotation is the same in two copies
is alerted once, as for a story syndicated by many outlets. Windows of articles that start at a
multiple of P have the same mix of pages, which is what makes two runs comparable.

Feeds are generated: ``/feed/<first>-<count>.rss`` (RSS 2.0) or ``.atom`` lists articles
``first .. first+count-1``, newest first, so a feed set is a pure function of its range.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pipeline import ids
from pipeline.corpora import shared_dir
from pipeline.models import FeedItem

DEFAULT_CORPUS = shared_dir() / "corpora" / "extraction"
CORPUS_ENV = "NEWSWATCH_BENCH_CORPUS"
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
"""Publication time of article 0; article k is k seconds later (stable across runs)."""

_PARAGRAPH_END = re.compile(rb"</p\s*>", re.IGNORECASE)
_ARTICLE_PATH = re.compile(r"^/a/(\d+)/[\w.-]+\.html$")
_FEED_PATH = re.compile(r"^/feed/(\d+)-(\d+)\.(rss|atom)$")


@dataclass(frozen=True)
class Page:
    name: str
    """``<corpus>/<file stem>``, e.g. ``fundus/BBC_2026_04_25``."""
    body: bytes

    @property
    def slug(self) -> str:
        return re.sub(r"[^\w.-]+", "-", self.name)


def corpus_dir(explicit: str | Path | None = None) -> Path:
    return Path(explicit or os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS)


def load_pages(directory: Path) -> list[Page]:
    """Every ``*.html`` below ``directory``, in a stable order; raises when there are none."""
    files = sorted(directory.glob("*/*.html"))
    if not files:
        raise FileNotFoundError(f"no pages under {directory} (expected <corpus>/<name>.html)")
    return [Page(f"{file.parent.name}/{file.stem}", file.read_bytes()) for file in files]


def copy_of(page: Page, k: int) -> bytes:
    """The bytes of article ``k``: its page with `` [k]`` before each ``</p>`` (ASCII, so valid in
    every charset of the corpus)."""
    return _PARAGRAPH_END.sub(b" [%d]\\g<0>" % k, page.body)


def article_path(pages: list[Page], k: int) -> str:
    return f"/a/{k}/{pages[k % len(pages)].slug}.html"


def parse_article_path(path: str) -> int | None:
    match = _ARTICLE_PATH.match(path)
    return int(match.group(1)) if match else None


def feed_path(first: int, count: int, atom: bool) -> str:
    return f"/feed/{first}-{count}.{'atom' if atom else 'rss'}"


def parse_feed_path(path: str) -> tuple[int, int, bool] | None:
    match = _FEED_PATH.match(path)
    return (int(match.group(1)), int(match.group(2)), match.group(3) == "atom") if match else None


def published(k: int) -> datetime:
    return EPOCH + timedelta(seconds=k)


def guid(k: int) -> str:
    return f"urn:newswatch-bench:{k}"


def title(pages: list[Page], k: int) -> str:
    return f"{pages[k % len(pages)].name} #{k}"


def render_feed(pages: list[Page], base_url: str, numbers: list[int], atom: bool, name: str) -> bytes:
    """An RSS 2.0 or Atom document listing the given articles, newest first."""
    entries = sorted(numbers, reverse=True)
    if atom:
        updated = (published(entries[0]) if entries else EPOCH).isoformat()
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
            f"<title>{escape(name)}</title><id>urn:newswatch-bench:{escape(name)}</id><updated>{updated}</updated>",
        ]
        for k in entries:
            link = base_url + article_path(pages, k)
            parts.append(
                f"<entry><title>{escape(title(pages, k))}</title><link href={quoteattr(link)}/>"
                f"<id>{guid(k)}</id><updated>{published(k).isoformat()}</updated>"
                f"<summary>Benchmark copy {k} of {escape(pages[k % len(pages)].name)}.</summary></entry>"
            )
        parts.append("</feed>")
    else:
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
            f"<title>{escape(name)}</title><link>{escape(base_url)}/</link><description>newswatch benchmark"
            "</description>",
        ]
        for k in entries:
            link = base_url + article_path(pages, k)
            parts.append(
                f"<item><title>{escape(title(pages, k))}</title><link>{escape(link)}</link>"
                f'<guid isPermaLink="false">{guid(k)}</guid>'
                f"<pubDate>{format_datetime(published(k), usegmt=True)}</pubDate>"
                f"<description>Benchmark copy {k} of {escape(pages[k % len(pages)].name)}.</description></item>"
            )
        parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


@dataclass(frozen=True)
class FeedSpec:
    """One generated feed: its URL, and the article numbers it lists."""

    url: str
    name: str
    first: int
    count: int

    def config(self) -> dict[str, str]:
        return {"url": self.url, "name": self.name}


def feed_set(base_urls: list[str], first: int, articles: int, per_feed: int) -> list[FeedSpec]:
    """Feeds covering articles ``first .. first+articles-1``; feed j lives on host j mod H (one
    outlet per host) and alternates RSS and Atom."""
    feeds = []
    for j, start in enumerate(range(first, first + articles, per_feed)):
        count = min(per_feed, first + articles - start)
        base = base_urls[j % len(base_urls)]
        feeds.append(FeedSpec(base + feed_path(start, count, atom=j % 2 == 1), f"Bench outlet {start}", start,
                              count))
    return feeds


def feed_item(pages: list[Page], feed: FeedSpec, base_url: str, k: int) -> FeedItem:
    """The item the pipeline's feed parser makes of article ``k`` (for writing a store directly)."""
    link = ids.canonical_url(base_url + article_path(pages, k))
    return FeedItem(
        id=ids.item_id(link), feed_url=feed.url, feed_name=feed.name, link=link,
        guid=guid(k), title=title(pages, k),
        summary=f"Benchmark copy {k} of {pages[k % len(pages)].name}.", published=published(k),
    )
