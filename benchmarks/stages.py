"""The dedicated measurement pass: each stage's own function, timed article by article, and the
libraries alone over the same pages and texts.

Timing inside a real run would distort it (and, with worker processes, would not add up), so the
stages are called here one after the other on one core, each with the pipeline's own code and
settings:

* feeds and fetch: ``poll_feed`` and ``fetch_page`` through the guarded client over loopback, all
  articles, with the pipeline's concurrency limits (rate = articles / wall time);
* extract: ``extract_article`` (charset decoding, trafilatura with metadata, fallbacks);
* language and NER: ``Enricher.language_of`` and the language's spaCy pipeline on the text;
* claims: the rest of ``Enricher.enrich`` for that article (watchlist linking, claims and their
  fingerprints), i.e. its time minus language and NER, which it also runs;
* store: ``SqliteStore.save_articles`` of the enriched article;
* alerts: rule evaluation (``alerts_for``) and the insert-if-absent into the alert ledger.

The limit is ``trafilatura.extract`` alone (the pipeline's options) over the same pages, decoded,
and ``nlp.pipe`` alone (the pipeline's batch size) over the texts the pipeline extracts from them.
It runs on the next copy of each page (articles P..2P-1): the same pages, but lines of text not
seen yet, as in the end-to-end runs, where all but the first copy of a page meet warm vocabulary
caches and no line seen before.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import trafilatura

from benchmarks.corpus import FeedSpec, Page, parse_article_path
from benchmarks.stats import per_article, ratio, rnd
from pipeline.alert.rules import alerts_for
from pipeline.config import Settings
from pipeline.enrich import Enricher
from pipeline.enrich.nlp import load_model
from pipeline.extract import ExtractError, decode_html, extract_article
from pipeline.fetch.feeds import poll_feed
from pipeline.fetch.http import FetchError, SafeClient
from pipeline.fetch.pages import fetch_page
from pipeline.models import Article, EnrichedArticle, FeedConfig, FeedItem, FetchedPage, WatchedEntity
from pipeline.store.sqlite import SqliteStore

Log = Callable[[str], None]

_WARMUP = {
    "fr": "Le ministre a déclaré mardi que le gouvernement ne commenterait pas ces accusations, selon l'AFP.",
    "en": "The minister said on Tuesday that the government would not comment on the allegations, Reuters reported.",
}


@dataclass
class StagePass:
    figures: dict[str, Any] = field(default_factory=dict)
    limit: dict[str, Any] = field(default_factory=dict)
    docs: dict[int, EnrichedArticle] = field(default_factory=dict)
    """Enriched result per page index, for the 10k pre-fill and the Elasticsearch bulk."""
    alert_prints: dict[int, set[str]] = field(default_factory=dict)
    """Per page index, the fingerprints of the alerts its article raises."""
    extract_failures: int = 0


async def _poll_and_fetch(settings: Settings, feeds: list[FeedSpec]
                          ) -> tuple[list[FeedItem], list[float], float, dict[str, FetchedPage], float]:
    """Every feed, then every page, all at once through one client as the pipeline does (its
    concurrency limits queue them): per-feed times, the pages, and the wall time of the fetch."""
    async with SafeClient(settings.limits, settings.network) as client:
        feed_times: list[float] = []

        async def poll(feed: FeedSpec) -> list[FeedItem]:
            began = time.perf_counter()
            result = await poll_feed(client, FeedConfig(**feed.config()), None, settings.limits)
            feed_times.append(time.perf_counter() - began)
            if result.error is not None:
                raise RuntimeError(f"benchmark feed failed: {result.error}")
            return result.items

        began = time.perf_counter()
        polled = await asyncio.gather(*(poll(feed) for feed in feeds))
        feeds_wall = time.perf_counter() - began
        items = [item for batch in polled for item in batch]
        pages: dict[str, FetchedPage] = {}

        async def fetch(item: FeedItem) -> None:
            try:
                pages[item.id] = await fetch_page(client, item, settings.limits)
            except FetchError as exc:
                raise RuntimeError(f"benchmark page failed: {exc}") from exc

        began = time.perf_counter()
        await asyncio.gather(*(fetch(item) for item in items))
        fetch_wall = time.perf_counter() - began
    return items, feed_times, feeds_wall, pages, fetch_wall


async def _fetch_latencies(settings: Settings, items: list[FeedItem]) -> list[float]:
    """One page at a time: the time of one fetch, without the queueing of the concurrent pass."""
    times = []
    async with SafeClient(settings.limits, settings.network) as client:
        for item in items:
            began = time.perf_counter()
            await fetch_page(client, item, settings.limits)
            times.append(time.perf_counter() - began)
    return times


def _article_number(item: FeedItem) -> int:
    number = parse_article_path(urlsplit(item.link).path)
    assert number is not None, item.link
    return number


def _warm_up(enricher: Enricher, settings: Settings) -> None:
    """Load every model, lexicon and automaton before anything is timed."""
    for language in settings.nlp.languages:
        load_model(settings.nlp.models[language])
        text = _WARMUP.get(language, _WARMUP["en"])
        enricher.enrich([Article(id=f"warmup-{language}", url="http://127.0.0.1/warmup", item_id="warmup",
                                 feed_url="http://127.0.0.1/feed", outlet="warmup", text=text, language=language)])


def measure(settings: Settings, watchlist: list[WatchedEntity], pages: list[Page], feeds: list[FeedSpec],
            sample: int, store_path: Path, repeat: int, log: Log) -> StagePass:
    """Fetch every article of ``feeds``; time the CPU-bound stages on articles 0..sample-1, and the
    libraries alone on articles P..P+sample-1 when fetched (else on the same articles again)."""
    result = StagePass()
    items, feed_times, feeds_wall, fetched, fetch_wall = asyncio.run(_poll_and_fetch(settings, feeds))
    feed_figures = per_article(feed_times)
    result.figures["feeds"] = {
        "feeds": len(feeds), "items": len(items), "feeds_per_s": rnd(len(feeds) / feeds_wall, 2),
        "items_per_s": rnd(len(items) / feeds_wall, 1), "p50_ms_per_feed": feed_figures["p50_ms"],
        "p95_ms_per_feed": feed_figures["p95_ms"],
    }
    chosen = sorted((item for item in items if _article_number(item) < sample), key=_article_number)
    latencies = asyncio.run(_fetch_latencies(settings, chosen))
    result.figures["fetch"] = {**per_article(latencies), "articles": len(items),
                               "articles_per_s": rnd(len(items) / fetch_wall, 2)}
    log(f"fetched {len(items)} pages over loopback in {fetch_wall:.1f} s")

    enricher = Enricher(settings.nlp, watchlist)
    _warm_up(enricher, settings)
    watched = {entity.id for entity in watchlist}
    store = SqliteStore(store_path)
    store.setup()
    watch = _Stopwatch()
    try:
        for item in chosen:
            page = fetched[item.id]
            try:
                with watch("extract"):
                    article = extract_article(page, item, settings.extract)
            except ExtractError:
                result.extract_failures += 1
                continue
            with watch("language"):
                language = enricher.language_of(article)
            if language in settings.nlp.languages and language in settings.nlp.models:
                model = load_model(settings.nlp.models[language])
                with watch("ner"):
                    model(article.text)
            else:
                watch.add("ner", 0.0, 0.0)  # no model for the language: the pipeline runs none either
            with watch("enrich"):
                doc = enricher.enrich([article])[0]
            with watch("store"):
                store.save_articles([doc])
            with watch("alerts"):
                alerts = alerts_for(settings.rules, [doc], watched, settings.smtp.default_recipients)
                store.add_alerts(alerts)
            index = _article_number(item) % len(pages)
            result.docs[index] = doc
            result.alert_prints[index] = {alert.fingerprint for alert in alerts}
    finally:
        store.close()
    # Enrich runs language detection and spaCy again: what it adds is linking and claims.
    watch.derive("claims", "enrich", minus=("language", "ner"))
    watch.derive("language_ner", "language", plus=("ner",))
    for name in ("extract", "language", "ner", "language_ner", "claims", "store", "alerts"):
        result.figures[name] = watch.figures(name)
    log(f"stage pass over {len(chosen)} articles done")
    numbers = range(len(pages), len(pages) + sample)
    others = sorted((item for item in items if _article_number(item) in numbers), key=_article_number)
    limit_items = others if len(others) == len(chosen) else chosen
    htmls: list[tuple[str, str]] = []
    texts: dict[str, list[str]] = {}
    for item in limit_items:
        page = fetched[item.id]
        htmls.append((decode_html(page.body, page.charset), page.final_url))
        try:
            article = extract_article(page, item, settings.extract)
        except ExtractError:
            continue
        language = enricher.language_of(article)
        if language in settings.nlp.languages and language in settings.nlp.models:
            texts.setdefault(language, []).append(article.text)
    result.limit = _limit(settings, htmls, texts, len(limit_items), repeat)
    result.limit["limit_sample"] = f"{_article_number(limit_items[0])}..{_article_number(limit_items[-1])}"
    return result


class _Stopwatch:
    """Wall-clock and CPU time of each stage, article by article. CPU time is this process's
    (``process_time``): on a shared machine it is the steadier of the two."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.add(name, time.perf_counter() - wall, time.process_time() - cpu)

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall.setdefault(name, []).append(wall)
        self.cpu.setdefault(name, []).append(cpu)

    def derive(self, name: str, base: str, plus: tuple[str, ...] = (), minus: tuple[str, ...] = ()) -> None:
        for series in (self.wall, self.cpu):
            series[name] = [
                max(0.0, value + sum(series[other][index] for other in plus)
                    - sum(series[other][index] for other in minus))
                for index, value in enumerate(series.get(base, []))
            ]

    def figures(self, name: str) -> dict[str, Any]:
        cpu = self.cpu.get(name, [])
        return {**per_article(self.wall.get(name, [])),
                "cpu_ms_mean": rnd(1000 * sum(cpu) / len(cpu), 2) if cpu else None}


def _limit(settings: Settings, htmls: list[tuple[str, str]], texts: dict[str, list[str]], articles: int,
           repeat: int) -> dict[str, Any]:
    """The libraries alone; the best of ``repeat`` passes, as is usual for a lower bound of cost.

    The limit per article of the sample is what extraction plus NLP cost together, i.e.
    1 / (1/extract_rate + 1/nlp_rate) with both rates per article of the sample (an article in a
    language without a model costs no NLP, as in the pipeline)."""
    options = settings.extract
    best = {"extract": (float("inf"), float("inf")), "nlp": (float("inf"), float("inf"))}
    for _ in range(repeat):
        watch = _Stopwatch()
        with watch("extract"):
            for html, url in htmls:
                trafilatura.extract(html, url=url, with_metadata=True, include_comments=False,
                                    include_tables=options.include_tables, favor_precision=options.favor_precision,
                                    include_images=False, include_links=False, deduplicate=False)
        with watch("nlp"):
            for language, batch in texts.items():
                for _doc in load_model(settings.nlp.models[language]).pipe(batch, batch_size=settings.nlp.batch_size):
                    pass
        for name, previous in best.items():
            best[name] = min(previous, (watch.wall[name][0], watch.cpu[name][0]))
    nlp_texts = sum(len(batch) for batch in texts.values())
    (extract_wall, extract_cpu), (nlp_wall, nlp_cpu) = best["extract"], best["nlp"]
    return {
        "pages": len(htmls),
        "nlp_texts": nlp_texts,
        "extract_alone_articles_per_s": rnd(ratio(len(htmls), extract_wall), 2),
        "nlp_alone_articles_per_s": rnd(ratio(nlp_texts, nlp_wall), 2),
        "limit_articles_per_s": rnd(ratio(articles, extract_wall + nlp_wall), 2),
        "limit_cpu_ms_per_article": rnd(ratio(1000 * (extract_cpu + nlp_cpu), articles), 1),
    }
