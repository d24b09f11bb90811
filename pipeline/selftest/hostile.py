"""Scenarios "pages" and "ssrf": hostile responses and forbidden addresses, through the whole pipeline.

**pages.** One feed lists one item per fault page; a few more feeds are hostile themselves (XML
entity bombs, a gzip bomb, a feed that is not one). The pipeline runs twice (``run_once``) with
small limits (1 MB cap, 1 s read and 2 s total timeout, two attempts, no backoff), so that a
transient failure is retried once and then given up: every case ends, in bounded time, as either
a stored article (the charset cases) or a skip with its error recorded in the store (``newswatch
errors``). Bodies far above the cap are streamed (200 MB bombs, endless drips) and the peak of
Python allocations while fetching is measured: the caps hold only if it stays far below them.

**ssrf.** By default every address that is not public is refused, checked on the address the
socket connects to: a feed on 127.0.0.2 (the only allowed address) lists items on loopback in
every spelling, private, link-local (169.254.169.254), unique-local and unspecified addresses,
IPv4 and IPv6, and redirects from the allowed host to forbidden ones; each must be a recorded
``ssrf_blocked`` skip while the servers listening on 127.0.0.1 and ::1 see no request. Feeds on
local addresses are refused under the default policy, and a DNS answer that changes between two
lookups (rebinding) cannot smuggle a connection to a refused address.
"""

from __future__ import annotations

import asyncio
import socket
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from pipeline import ids
from pipeline.config import LimitsSettings, NetworkSettings
from pipeline.fetch.http import FetchError, SafeClient
from pipeline.models import ErrorRecord, ItemStatus, Stage, WorkItem
from pipeline.runner import Pipeline
from pipeline.sample.server import Handler, Response, SiteServer
from pipeline.selftest import CaseResult, scenario_settings

Expect = Literal["skip", "retry", "article", "feed_error", "feed_ok"]
"""skip: terminal error recorded at once; retry: transient error, retried, then given up;
article: stored with the right text; feed_error: the feed itself is refused with its error;
feed_ok: the feed is accepted and nothing it smuggles in reaches the store."""

CAP = 1_000_000
BOMB_SIZE = 200_000_000
LIMITS = {"max_page_bytes": CAP, "max_feed_bytes": CAP, "read_timeout": 1.0, "connect_timeout": 2.0,
          "total_timeout": 2.0, "max_attempts": 2, "retry_after_seconds": 0.0, "max_redirects": 4}
PEAK_BUDGET = 64_000_000
"""Bytes of Python allocations allowed while fetching every fault page (bombs of 200 MB included)."""

FR_TEXT = ("Le ministre de l’Économie a déclaré mardi à Genève que la réforme des retraites « n’était pas "
           "négociable » et qu’il irait « jusqu’au bout ». Les syndicats dénoncent un passage en force ; "
           "l’élue écologiste Hélène Dupré a précisé que son groupe déposerait une motion de censure dès jeudi.")
LATIN1_TEXT = FR_TEXT.replace("’", "'").replace("Œ", "OE")
EN_TEXT = ("The minister said on Tuesday that the “reform” was ‘not negotiable’ – and that he would see it "
           "through… Union leaders called it a power grab, and the café owners’ association said it would "
           "join Thursday’s strike across the region, the third this year.")


def article_html(text: str, *, title: str = "Réforme", meta: str | None = None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    paragraphs = "".join(f"<p>{escape(text)}</p>" for _ in range(3))
    return (f"<!DOCTYPE html><html><head>{head}<title>{escape(title)}</title></head><body>"
            f"<nav><a href='/'>Accueil</a></nav><article><h1>{escape(title)}</h1>{paragraphs}</article>"
            f"<footer>© 2026</footer></body></html>")


# --------------------------------------------------------------------------- streamed bodies


@cache
def compressed_zeros(coding: str, size: int = BOMB_SIZE) -> bytes:
    """``size`` zero bytes gzip- or deflate-compressed (about a thousandth of the size), built in
    1 MB steps so that the bomb is never whole in memory here either."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31 if coding == "gzip" else 15)
    block = bytes(1_000_000)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    parts.append(packer.flush())
    return b"".join(parts)


def endless(server: SiteServer, chunk: bytes, total: int) -> Iterator[bytes]:
    """``total`` bytes in ``chunk``-sized pieces, stopping early when the server stops."""
    sent = 0
    while sent < total and not server.stopping.is_set():
        yield chunk
        sent += len(chunk)


def drip(server: SiteServer) -> Iterator[bytes]:
    """One byte every 0.2 s, forever (until the server stops): only a total deadline ends it."""
    yield b"<html><body><p>"
    while not server.stopping.wait(0.2):
        yield b"."


def _wait_then(server: SiteServer, seconds: float, response: Response) -> Response:
    server.stopping.wait(seconds)
    return response


# --------------------------------------------------------------------------- the page cases


@dataclass(frozen=True)
class PageCase:
    name: str
    expect: Expect
    kinds: frozenset[str] = frozenset()
    """Acceptable error kinds (skip/retry/feed_error)."""
    respond: Callable[[SiteServer], Response] | None = None
    phrase: str | None = None
    """For an article: text the stored article must contain (the right decoding)."""
    feed: bool = False
    """The case is a feed of its own, not a page of the fault feed."""


def _html(body: bytes, content_type: str = "text/html") -> Callable[[SiteServer], Response]:
    return lambda server: (200, {"Content-Type": content_type}, body)


def _status(code: int) -> Callable[[SiteServer], Response]:
    return lambda server: (code, {"Content-Type": "text/html", "Retry-After": "0"}, f"<h1>{code}</h1>".encode())


def _k(*kinds: str) -> frozenset[str]:
    return frozenset(kinds)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)
ZIP = b"PK\x03\x04" + bytes(200)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(200)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY lol "lol">\n'
          + b"".join(b' <!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                     for n in range(1, 10))
          + b']>\n<rss version="2.0"><channel><title>laughs</title><item><title>&lol9;</title>'
            b"<link>http://example.com/laughs</link></item></channel></rss>")
QUADRATIC = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY a "' + b"A" * 50_000 + b'">\n]>\n'
             b'<rss version="2.0"><channel><title>q</title><item><title>' + b"&a;" * 20_000
             + b"</title><link>http://example.com/quadratic</link></item></channel></rss>")


def _xxe(secret: Path) -> bytes:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file://{secret}">\n]>\n'
            '<rss version="2.0"><channel><title>xxe</title><item><title>leak: &xxe;</title>'
            "<description>&xxe;</description><link>http://example.com/xxe</link></item></channel></rss>").encode()


SECRET_MARKER = "NEWSWATCH-SECRET-7f3a"


def page_cases(secret: Path) -> list[PageCase]:
    """Every fault, with what must become of it. ``secret`` is a local file an XXE feed points at."""
    return [
        PageCase("pdf-served-as-html", "skip", _k("binary_content"), _html(PDF)),
        PageCase("png-served-as-html", "skip", _k("binary_content"), _html(PNG)),
        PageCase("zip-served-as-html", "skip", _k("binary_content"), _html(ZIP)),
        PageCase("jpeg-with-its-own-type", "skip", _k("bad_content_type"), _html(JPEG, "image/jpeg")),
        PageCase("huge-with-content-length", "skip", _k("too_large"), lambda s: (
            200, {"Content-Type": "text/html", "Content-Length": str(BOMB_SIZE)},
            endless(s, b"<p>" + b"x" * 65_533, BOMB_SIZE))),
        PageCase("huge-chunked", "skip", _k("too_large"), lambda s: (
            200, {"Content-Type": "text/html"}, endless(s, b"<p>" + b"x" * 65_533, BOMB_SIZE))),
        PageCase("gzip-bomb", "skip", _k("too_large"), lambda s: (
            200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, compressed_zeros("gzip"))),
        PageCase("deflate-bomb", "skip", _k("too_large"), lambda s: (
            200, {"Content-Type": "text/html", "Content-Encoding": "deflate"}, compressed_zeros("deflate"))),
        PageCase("corrupt-gzip", "skip", _k("bad_encoding"), lambda s: (
            200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, b"\x1f\x8b\x08\x00garbage" * 10)),
        PageCase("unsupported-encoding", "skip", _k("unsupported_encoding"), lambda s: (
            200, {"Content-Type": "text/html", "Content-Encoding": "br"}, b"\x0b\x02\x80hello")),
        PageCase("slow-drip", "retry", _k("timeout"), lambda s: (200, {"Content-Type": "text/html"}, drip(s))),
        PageCase("slow-headers", "retry", _k("timeout"), lambda s: _wait_then(
            s, 10, (200, {"Content-Type": "text/html"}, b"<p>late</p>"))),
        PageCase("truncated-body", "retry", _k("network"), lambda s: (
            200, {"Content-Type": "text/html", "Content-Length": "100000"}, iter([b"<html><body><p>cut"]))),
        PageCase("empty-body", "skip", _k("empty_body"), _html(b"")),
        PageCase("whitespace-body", "skip", _k("empty_body"), _html(b" \r\n\t \n")),
        PageCase("no-main-text", "skip", _k("no_main_text"), _html(b"<html><body><nav>menu</nav></body></html>")),
        PageCase("http-404", "skip", _k("http_404"), _status(404)),
        PageCase("http-410", "skip", _k("http_410"), _status(410)),
        PageCase("http-429", "retry", _k("http_429"), _status(429)),
        PageCase("http-500", "retry", _k("http_500"), _status(500)),
        PageCase("http-502", "retry", _k("http_502"), _status(502)),
        PageCase("http-503", "retry", _k("http_503"), _status(503)),
        PageCase("redirect-loop", "skip", _k("redirect_loop"), None),
        PageCase("redirect-chain-too-long", "skip", _k("too_many_redirects"), None),
        PageCase("latin1-declared-utf8", "article", phrase="déclaré mardi à Genève", respond=lambda s: (
            200, {"Content-Type": "text/html; charset=utf-8"}, article_html(LATIN1_TEXT).encode("latin-1"))),
        PageCase("utf8-declared-latin1", "article", phrase="« n’était pas négociable »", respond=lambda s: (
            200, {"Content-Type": "text/html; charset=iso-8859-1"}, article_html(FR_TEXT).encode())),
        PageCase("utf8-no-declaration", "article", phrase="l’élue écologiste Hélène Dupré", respond=lambda s: (
            200, {"Content-Type": "text/html"}, article_html(FR_TEXT).encode())),
        PageCase("cp1252-no-declaration", "article", phrase="“reform” was ‘not negotiable’ –", respond=lambda s: (
            200, {"Content-Type": "text/html"}, article_html(EN_TEXT, title="Strike").encode("cp1252"))),
        PageCase("meta-charset-only", "article", phrase="the café owners’ association", respond=lambda s: (
            200, {"Content-Type": "text/html"},
            article_html(EN_TEXT, title="Strike", meta="windows-1252").encode("cp1252"))),
        PageCase("cp1252-smart-quotes-declared-latin1", "article", phrase="see it through…", respond=lambda s: (
            200, {"Content-Type": "text/html; charset=ISO-8859-1"},
            article_html(EN_TEXT, title="Strike").encode("cp1252"))),
        PageCase("utf16-with-bom", "article", phrase="qu’il irait « jusqu’au bout »", respond=lambda s: (
            200, {"Content-Type": "text/html"}, article_html(FR_TEXT).encode("utf-16"))),
        # Feeds that are hostile themselves.
        PageCase("feed-billion-laughs", "feed_error", _k("xml_entities"), _html(LAUGHS, "application/rss+xml"),
                 feed=True),
        PageCase("feed-quadratic-blowup", "feed_error", _k("xml_entities"),
                 _html(QUADRATIC, "application/rss+xml"), feed=True),
        PageCase("feed-external-entity", "feed_ok", respond=_html(_xxe(secret), "application/rss+xml"), feed=True),
        PageCase("feed-gzip-bomb", "feed_error", _k("too_large"), lambda s: (
            200, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}, compressed_zeros("gzip")),
            feed=True),
        PageCase("feed-is-an-html-page", "feed_error", _k("malformed_feed"),
                 _html(article_html(FR_TEXT).encode()), feed=True),
        PageCase("feed-empty-body", "feed_error", _k("malformed_feed"), _html(b"", "application/rss+xml"),
                 feed=True),
        PageCase("feed-http-503", "feed_error", _k("http_503"), _status(503), feed=True),
        PageCase("feed-http-404", "feed_error", _k("http_404"), _status(404), feed=True),
        PageCase("feed-redirect-loop", "feed_error", _k("redirect_loop"), None, feed=True),
        PageCase("feed-slow-drip", "feed_error", _k("timeout"), lambda s: (
            200, {"Content-Type": "application/rss+xml"}, drip(s)), feed=True),
    ]


def _route(server: SiteServer, case: PageCase) -> str:
    """Install the case's route(s); return its path."""
    path = f"/{'feeds' if case.feed else 'p'}/{case.name}"
    if case.name.endswith("redirect-loop"):
        server.route(path, lambda request: (302, {"Location": f"{path}/again"}, b""))
        server.route(f"{path}/again", lambda request: (302, {"Location": path}, b""))
    elif case.name == "redirect-chain-too-long":
        for hop in range(10):
            server.route(f"{path}/{hop}" if hop else path,
                         lambda request, hop=hop: (302, {"Location": f"{path}/{hop + 1}"}, b""))
    else:
        respond = case.respond
        assert respond is not None
        handler: Handler = lambda request: respond(server)  # noqa: E731 - one line per route
        server.route(path, handler)
    return path


def fault_feed(base: str, cases: list[PageCase]) -> bytes:
    items = "".join(
        f"<item><title>{case.name}</title><link>{base}/p/{case.name}</link>"
        f"<guid isPermaLink='false'>{case.name}</guid></item>"
        for case in cases if not case.feed)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>faults</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


@dataclass
class CaseOutcome:
    case: PageCase
    status: str | None = None
    """The item's final status in the work ledger (pages), or "accepted"/"refused" (feeds)."""
    first_status: str | None = None
    errors: list[ErrorRecord] = field(default_factory=list)
    text: str | None = None
    crashed: str | None = None
    lost: int = 0

    @property
    def kinds(self) -> set[str]:
        return {error.kind for error in self.errors}

    @property
    def handled(self) -> bool:
        case = self.case
        if self.crashed:
            return False
        if case.expect == "article":
            return self.status == ItemStatus.done.value and self.text is not None and case.phrase is not None \
                and case.phrase in self.text and "\ufffd" not in self.text
        if case.expect == "feed_ok":
            return self.status == "accepted" and SECRET_MARKER not in (self.text or "")
        if case.expect == "feed_error":
            return self.status == "refused" and bool(self.kinds & case.kinds)
        terminal = [e for e in self.errors if e.terminal]
        if case.expect == "retry":
            # First run: a transient error, item still owed; second run: given up, recorded terminal.
            return (self.first_status == ItemStatus.pending.value and self.status == ItemStatus.skipped.value
                    and bool(self.kinds & case.kinds) and bool(terminal))
        return self.status == ItemStatus.skipped.value and bool(self.kinds & case.kinds) and bool(terminal)

    def describe(self) -> str:
        shown = ", ".join(f"{e.kind}{'' if e.terminal else ' (retry)'}: {e.message[:90]}" for e in self.errors)
        text = f"; text={self.text[:60]!r}" if self.text and self.case.expect != "skip" else ""
        return f"expect {self.case.expect} {sorted(self.case.kinds) or ''}; status={self.status}; " \
               f"errors=[{shown}]{text}" + (f"; crashed={self.crashed}" if self.crashed else "")


@dataclass
class PagesRun:
    outcomes: dict[str, CaseOutcome]
    peak_bytes: int
    articles: int
    articles_after_rerun: int


def _run_stage(outcomes: list[CaseOutcome], stage: Callable[[], Any]) -> None:
    try:
        stage()
    except Exception as exc:  # the pipeline must never raise on hostile input
        for outcome in outcomes:
            outcome.crashed = outcome.crashed or f"{type(exc).__name__}: {exc}"


def run_page_faults(work: Path) -> PagesRun:
    secret = work / "secret.txt"
    secret.write_text(SECRET_MARKER, encoding="utf-8")
    cases = page_cases(secret)
    www = work / "www"
    www.mkdir(parents=True, exist_ok=True)
    with SiteServer(www) as server:
        paths = {case.name: _route(server, case) for case in cases}
        server.route("/fault-feed.xml", lambda request: (200, {"Content-Type": "application/rss+xml"},
                                                         fault_feed(server.url, cases)))
        feeds = [{"url": f"{server.url}/fault-feed.xml", "name": "faults", "language": "fr"}]
        feeds += [{"url": f"{server.url}{paths[c.name]}", "name": c.name} for c in cases if c.feed]
        settings = scenario_settings(work / "data", feeds=feeds, limits=LIMITS)
        outcomes = {case.name: CaseOutcome(case) for case in cases}
        with Pipeline(settings) as pipeline:
            everything = list(outcomes.values())
            _run_stage(everything, pipeline.poll_feeds)
            tracemalloc.start()
            try:
                _run_stage(everything, pipeline.fetch_pages)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            _run_stage(everything, pipeline.process)
            first = _page_status(pipeline, server.url, cases)
            articles = pipeline.store.count("articles")
            _run_stage(everything, pipeline.run_once)  # the retry run: transient failures are given up
            _collect(pipeline, server.url, cases, outcomes, first)
            rerun = pipeline.store.count("articles")
    return PagesRun(outcomes, peak, articles, rerun)


def _page_status(pipeline: Pipeline, base: str, cases: list[PageCase]) -> dict[str, WorkItem | None]:
    return {case.name: pipeline.store.get_work(ids.item_id(f"{base}/p/{case.name}"))
            for case in cases if not case.feed}


def _collect(pipeline: Pipeline, base: str, cases: list[PageCase], outcomes: dict[str, CaseOutcome],
             first: dict[str, WorkItem | None]) -> None:
    store = pipeline.store
    errors = store.find_errors(limit=10_000)
    final = _page_status(pipeline, base, cases)
    for case in cases:
        outcome = outcomes[case.name]
        if case.feed:
            url = f"{base}/feeds/{case.name}"
            outcome.errors = [e for e in errors if e.feed_url == url and e.stage is Stage.feed]
            refused = any(e.kind not in {"illformed_feed", "entry_without_link"} for e in outcome.errors)
            outcome.status = "refused" if refused else "accepted"
            if case.expect == "feed_ok":
                item = store.get_work(ids.item_id(f"http://example.com/{case.name.removeprefix('feed-')}"))
                item = item or store.get_work(ids.item_id("http://example.com/xxe"))
                outcome.text = f"{item.item.title} {item.item.summary}" if item else None
                outcome.lost = int(item is None)
            continue
        work = final[case.name]
        before = first[case.name]
        outcome.first_status = before.status.value if before else None
        if work is None:
            outcome.lost = 1
            continue
        outcome.status = work.status.value
        outcome.errors = [e for e in errors if e.item_id == work.item.id]
        if work.status is ItemStatus.done and work.article_id:
            article = store.get_article(work.article_id)
            outcome.text = article.text if article else None
            if article is None:
                outcome.lost = 1
        if work.status is ItemStatus.skipped and not outcome.errors:
            outcome.lost = 1  # skipped without a recorded reason: silently dropped
        if work.status in {ItemStatus.pending, ItemStatus.fetched}:
            outcome.lost = 1  # still owed after the retry run: not bounded


def run_pages(work: Path) -> list[CaseResult]:
    run = run_page_faults(work)
    results = [CaseResult("pages", name, handled=o.handled, crashed=o.crashed is not None, lost=o.lost,
                          duplicate_documents=0, detail=o.describe()) for name, o in run.outcomes.items()]
    results.append(CaseResult(
        "pages", "bounded-memory", handled=run.peak_bytes < PEAK_BUDGET,
        detail=f"peak Python allocations while fetching: {run.peak_bytes / 1e6:.1f} MB "
               f"(budget {PEAK_BUDGET / 1e6:.0f} MB, bodies up to {BOMB_SIZE / 1e6:.0f} MB served)"))
    results.append(CaseResult(
        "pages", "rerun-adds-no-document", handled=run.articles == run.articles_after_rerun,
        duplicate_documents=max(0, run.articles_after_rerun - run.articles),
        detail=f"articles after the first run {run.articles}, after the retry run {run.articles_after_rerun}"))
    return results


# --------------------------------------------------------------------------- SSRF


def ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


def forbidden_links(loop4: str, loop6: str | None, allowed: str) -> dict[str, str]:
    """Item links that must all be refused when only the feed's host (``allowed``) is allowed.
    ``loop4``/``loop6``: host:port of servers listening on 127.0.0.1 and [::1]."""
    port4 = loop4.rsplit(":", 1)[1]
    links = {
        "loopback": f"http://{loop4}/a",
        "localhost-name": f"http://localhost:{port4}/b",
        "decimal-ipv4": f"http://2130706433:{port4}/c",
        "octal-ipv4": f"http://0177.0.0.1:{port4}/d",
        "hex-ipv4": f"http://0x7f.0.0.1:{port4}/e",
        "short-ipv4": f"http://127.1:{port4}/f",
        "ipv4-mapped-ipv6": f"http://[::ffff:127.0.0.1]:{port4}/g",
        "ipv4-mapped-ipv6-hex": f"http://[::ffff:7f00:1]:{port4}/h",
        "unspecified-ipv4": f"http://0.0.0.0:{port4}/i",
        "zero-host": f"http://0:{port4}/j",
        "metadata-link-local": "http://169.254.169.254/latest/meta-data/",
        "metadata-decimal": "http://2852039166/latest/meta-data/",
        "private-10": "http://10.0.0.1/k",
        "private-192-168": "http://192.168.1.1/l",
        "private-172-16": "http://172.16.5.4/m",
        "shared-100-64": "http://100.64.0.1/n",
        "unique-local-ipv6": "http://[fd00::1]/o",
        "link-local-ipv6": "http://[fe80::1]/p",
        "unspecified-ipv6": "http://[::]/q",
        "nat64-metadata": "http://[64:ff9b::a9fe:a9fe]/r",
        "redirect-to-loopback": f"http://{allowed}/jump?to=http://{loop4}/s",
        "redirect-to-metadata": f"http://{allowed}/jump?to=http://169.254.169.254/latest/meta-data/",
        "redirect-to-localhost": f"http://{allowed}/jump?to=http://localhost:{port4}/t",
    }
    if loop6:
        links["ipv6-loopback"] = f"http://{loop6}/u"
        links["redirect-to-ipv6-loopback"] = f"http://{allowed}/jump?to=http://{loop6}/v"
    return links


@dataclass
class SsrfOutcome:
    name: str
    url: str
    status: str | None = None
    kinds: set[str] = field(default_factory=set)
    crashed: str | None = None

    @property
    def handled(self) -> bool:
        return self.crashed is None and self.status == ItemStatus.skipped.value and self.kinds == {"ssrf_blocked"}

    def describe(self) -> str:
        return f"{self.url}: status={self.status} kinds={sorted(self.kinds)}" + \
            (f" crashed={self.crashed}" if self.crashed else "")


@dataclass
class SsrfRun:
    items: dict[str, SsrfOutcome]
    control: str | None
    """Status of the one item on the allowed host: it must be fetched (the guard is not a wall)."""
    local_requests: list[str]
    """Requests that reached the servers on 127.0.0.1 and ::1: must be none."""
    feed_kinds: dict[str, set[str]]
    """Feeds on local addresses under the default policy: each must be refused as ssrf_blocked."""
    rebinding: dict[str, str]
    """DNS-rebinding checks: name -> "" when it held, else what went wrong."""


def _jump(request: Any) -> Response:
    """Redirect to the ``to`` query parameter (an open redirect, as many sites have)."""
    query = parse_qs(urlsplit(request.path).query)
    return 302, {"Location": query.get("to", ["/"])[0]}, b""


def run_ssrf_faults(work: Path) -> SsrfRun:
    www = work / "www"
    www.mkdir(parents=True, exist_ok=True)
    (www / "ok.html").write_text(article_html(FR_TEXT), encoding="utf-8")
    six = ipv6_available()
    with ExitStack() as stack:
        local4 = stack.enter_context(SiteServer(www, host="127.0.0.1"))
        allowed = stack.enter_context(SiteServer(www, host="127.0.0.2"))
        local6 = stack.enter_context(SiteServer(www, host="::1")) if six else None
        for server in (local4, local6):
            if server is not None:
                server.route("/feed.xml", lambda request: (200, {"Content-Type": "application/rss+xml"},
                                                           fault_links_feed({"x": "http://example.com/x"})))
        allowed.route("/jump", _jump)
        base = allowed.url.removeprefix("http://")
        links = forbidden_links(local4.url.removeprefix("http://"),
                                local6.url.removeprefix("http://") if local6 else None, base)
        links_with_control = {**links, "control": f"{allowed.url}/ok.html"}
        allowed.route("/feed.xml", lambda request: (200, {"Content-Type": "application/rss+xml"},
                                                    fault_links_feed(links_with_control)))
        settings = scenario_settings(work / "data", feeds=[{"url": f"{allowed.url}/feed.xml", "name": "ssrf"}],
                                     network={"allow_hosts": ["127.0.0.2"]}, limits=LIMITS)
        items = {name: SsrfOutcome(name, url) for name, url in links.items()}
        control = None
        with Pipeline(settings) as pipeline:
            try:
                pipeline.poll_feeds()
                pipeline.fetch_pages()
            except Exception as exc:
                for outcome in items.values():
                    outcome.crashed = f"{type(exc).__name__}: {exc}"
            errors = pipeline.store.find_errors(Stage.page, limit=1000)
            for name, url in links.items():
                work_item = pipeline.store.get_work(ids.item_id(url))
                if work_item is not None:
                    items[name].status = work_item.status.value
                    items[name].kinds = {e.kind for e in errors if e.item_id == work_item.item.id}
            control_item = pipeline.store.get_work(ids.item_id(f"{allowed.url}/ok.html"))
            control = control_item.status.value if control_item else None
        feed_kinds = _default_policy_feeds(work, local4, local6)
        rebinding = check_rebinding(www, allowed)
        local_requests = list(local4.requests) + (list(local6.requests) if local6 else [])
    return SsrfRun(items, control, local_requests, feed_kinds, rebinding)


def fault_links_feed(links: dict[str, str]) -> bytes:
    items = "".join(f"<item><title>{escape(name)}</title><link>{escape(url)}</link></item>"
                    for name, url in links.items())
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>links</title>'
            f"{items}</channel></rss>").encode()


def _default_policy_feeds(work: Path, local4: SiteServer, local6: SiteServer | None) -> dict[str, set[str]]:
    """Feeds on local addresses with the default policy (no allow-list): each refused, unconnected."""
    port = local4.url.rsplit(":", 1)[1]
    urls = {"feed-on-loopback": f"{local4.url}/feed.xml", "feed-on-localhost": f"http://localhost:{port}/feed.xml",
            "feed-on-decimal-loopback": f"http://2130706433:{port}/feed.xml"}
    if local6 is not None:
        urls["feed-on-ipv6-loopback"] = f"{local6.url}/feed.xml"
    settings = scenario_settings(work / "default-policy", feeds=[{"url": u, "name": n} for n, u in urls.items()],
                                 network={}, limits=LIMITS)
    kinds: dict[str, set[str]] = {}
    with Pipeline(settings) as pipeline:
        try:
            pipeline.poll_feeds()
        except Exception as exc:
            return {name: {f"crashed: {type(exc).__name__}: {exc}"} for name in urls}
        errors = pipeline.store.find_errors(Stage.feed, limit=100)
        for name, url in urls.items():
            kinds[name] = {e.kind for e in errors if e.feed_url == url}
    return kinds


class _Rebinding:
    """A resolver whose answers change from one lookup to the next, like a DNS-rebinding attacker's."""

    def __init__(self, answers: list[list[str]]) -> None:
        self.answers = answers
        self.calls = 0

    async def __call__(self, host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        addresses = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]


def check_rebinding(root: Path, allowed: SiteServer) -> dict[str, str]:
    """A name that resolves to the allowed 127.0.0.2 on one lookup and to the refused 127.0.0.1 on
    the next, and a name with both answers at once, against real servers on the same port: the
    refused one must never be connected to, because the guard connects to the very address it
    checked (no second lookup between check and connect). name -> "" when it held, else why not."""
    port = int(allowed.url.rsplit(":", 1)[1])
    try:
        secret = SiteServer(root, host="127.0.0.1", port=port).start()
    except OSError as exc:
        return {"shared-port": f"cannot listen on 127.0.0.1:{port}: {exc}"}
    problems = {"answer-changes-between-lookups": "", "refused-and-allowed-answers": ""}
    try:
        secret.route("/x", lambda request: (200, {"Content-Type": "text/html"}, b"SECRET"))
        allowed.route("/x", lambda request: (200, {"Content-Type": "text/html"}, b"ALLOWED"))
        network = NetworkSettings(allow_hosts=["127.0.0.2"])
        limits = LimitsSettings(**LIMITS)

        async def fetch(resolver: _Rebinding, times: int) -> list[str]:
            asyncio.get_running_loop().getaddrinfo = resolver  # type: ignore[method-assign]
            seen = []
            for _ in range(times):  # a new client each time: a new connection, a new lookup
                async with SafeClient(limits, network) as client:
                    try:
                        result = await client.get(f"http://rebind.test:{port}/x", max_bytes=10_000)
                        seen.append(result.content.decode(errors="replace"))
                    except FetchError as exc:
                        seen.append(exc.kind)
            return seen

        flip = _Rebinding([["127.0.0.2"], ["127.0.0.1"]])
        seen = asyncio.run(fetch(flip, 2))
        if seen != ["ALLOWED", "ssrf_blocked"] or flip.calls != 2:
            problems["answer-changes-between-lookups"] = f"fetches gave {seen} after {flip.calls} lookups"
        both = _Rebinding([["127.0.0.1", "127.0.0.2"]])
        seen = asyncio.run(fetch(both, 1))
        if seen != ["ALLOWED"]:
            problems["refused-and-allowed-answers"] = f"fetch gave {seen}"
        if secret.requests:
            problems["answer-changes-between-lookups"] += f" the refused address was reached: {secret.requests}"
    finally:
        secret.stop()
    return problems


def run_ssrf(work: Path) -> list[CaseResult]:
    run = run_ssrf_faults(work)
    results = [CaseResult("ssrf", name, handled=o.handled, crashed=o.crashed is not None, detail=o.describe())
               for name, o in run.items.items()]
    fetched = {ItemStatus.fetched.value, ItemStatus.done.value}
    results.append(CaseResult("ssrf", "allowed-host-still-fetched", handled=run.control in fetched,
                              detail=f"status={run.control}"))
    results.append(CaseResult("ssrf", "local-servers-never-reached", handled=not run.local_requests,
                              detail=f"requests={run.local_requests}"))
    for name, kinds in run.feed_kinds.items():
        results.append(CaseResult("ssrf", name, handled=kinds == {"ssrf_blocked"}, detail=f"kinds={sorted(kinds)}"))
    for name, problem in run.rebinding.items():
        results.append(CaseResult("ssrf", f"dns-rebinding/{name}", handled=not problem, detail=problem or "held"))
    return results

