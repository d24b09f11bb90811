"""The benchmark site: the corpus pages under many URLs and generated feeds, over real HTTP.

It is :class:`pipeline.sample.server.SiteServer` (the sample site's server) with a computed
response instead of files, on one or more loopback addresses: a feed is one outlet, on its own
host, so the pipeline's per-host politeness limit applies as it would on the web. Pages are
gzip-compressed, as web servers serve them.

Copies differ: article ``k`` is its page with `` [k]`` before every ``</p>``, so that no two copies
share a line of text. Without it, content-keyed caches (trafilatura's per-line processing, spaCy's
lemmatizer) would make the 2nd to 10th copy of a page 20-35% cheaper than a new article, which
would flatter every throughput figure; the words themselves stay real, so the caches warm up as
they do on real news. Pages are compressed per request at level 1 (cheap for the server).

For throughput runs the site runs in its own process (``python -m benchmarks.site``), so that
serving never competes for the measured process's interpreter lock; it stops when its standard
input closes. The latency run uses it in-process, with a live feed that the benchmark edits.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import TracebackType

from benchmarks import ROOT
from benchmarks.corpus import Page, copy_of, corpus_dir, load_pages, parse_article_path, parse_feed_path, render_feed
from benchmarks.e2e import child_env
from pipeline.sample.server import Response, SiteServer

LIVE_PATH = "/live.rss"


class _HostServer(SiteServer):
    def __init__(self, site: BenchSite, host: str) -> None:
        super().__init__(Path(__file__).parent, host=host)
        self.site = site
        # http.server writes the headers and the body separately; with Nagle's algorithm on, the
        # body then waits for the client's delayed ACK (40 ms on Linux) on every keep-alive request.
        # Web servers set TCP_NODELAY; without it the "fetch" figure would measure that timer.
        self._httpd.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]

    def respond(self, request: BaseHTTPRequestHandler) -> Response:
        return self.site.respond(request, self.url)


class BenchSite:
    """Articles at ``/a/<k>/<slug>.html``, feeds at ``/feed/<first>-<count>.rss|atom``, and the
    live feed at ``/live.rss`` listing :attr:`live`."""

    def __init__(self, pages: list[Page], hosts: list[str] | None = None) -> None:
        self.pages = pages
        self.live: list[int] = []
        self.live_polls: list[float] = []
        """``time.monotonic()`` of each request of the live feed."""
        self._lock = threading.Lock()
        self.servers = [_HostServer(self, host) for host in hosts or ["127.0.0.1"]]

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]

    def publish(self, k: int) -> float:
        """Add article ``k`` to the live feed; returns the moment it became visible."""
        with self._lock:
            self.live.append(k)
            return time.monotonic()

    def respond(self, request: BaseHTTPRequestHandler, base_url: str) -> Response:
        path = request.path.split("?", 1)[0]
        k = parse_article_path(path)
        if k is not None:
            body = copy_of(self.pages[k % len(self.pages)], k)
            headers = {"Content-Type": "text/html"}
            if "gzip" in (request.headers.get("Accept-Encoding") or ""):
                headers["Content-Encoding"] = "gzip"
                return 200, headers, gzip.compress(body, 1)
            return 200, headers, body
        feed = parse_feed_path(path)
        if feed is not None:
            first, count, atom = feed
            body = render_feed(self.pages, base_url, list(range(first, first + count)), atom, f"Bench outlet {first}")
            kind = "application/atom+xml" if atom else "application/rss+xml"
            return self._feed(request, body, kind)
        if path == LIVE_PATH:
            with self._lock:
                self.live_polls.append(time.monotonic())
                numbers = list(self.live)
            return self._feed(request, render_feed(self.pages, base_url, numbers, False, "Live outlet"),
                              "application/rss+xml")
        return 404, {"Content-Type": "text/plain"}, b"not found"

    @staticmethod
    def _feed(request: BaseHTTPRequestHandler, body: bytes, kind: str) -> Response:
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": f"{kind}; charset=utf-8", "ETag": etag}, body

    def start(self) -> BenchSite:
        for server in self.servers:
            server.start()
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def __enter__(self) -> BenchSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def loopback_hosts(count: int) -> list[str]:
    """127.0.0.1, 127.0.0.2, …: distinct hosts on Linux's whole-/8 loopback."""
    return [f"127.0.0.{index + 1}" for index in range(count)]


class SiteProcess:
    """The site in a child process; ``urls`` are its base URLs, one per host."""

    def __init__(self, corpus: Path, pages: int, hosts: int) -> None:
        self._args = [sys.executable, "-m", "benchmarks.site", "--corpus", str(corpus), "--pages", str(pages),
                      "--hosts", str(hosts)]
        self._proc: subprocess.Popen[str] | None = None
        self.urls: list[str] = []

    def __enter__(self) -> SiteProcess:
        self._proc = subprocess.Popen(self._args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
                                      env=child_env())
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self.__exit__(None, None, None)
            raise RuntimeError("the benchmark site did not start (see its error output above)")
        self.urls = json.loads(line)["urls"]
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the benchmark site until standard input closes.")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--pages", type=int, default=None, help="Serve the first N pages only.")
    parser.add_argument("--hosts", type=int, default=1)
    args = parser.parse_args(argv)
    site = BenchSite(load_pages(corpus_dir(args.corpus))[:args.pages], loopback_hosts(args.hosts)).start()
    try:
        print(json.dumps({"urls": site.urls}), flush=True)
        sys.stdin.read()
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
