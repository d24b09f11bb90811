"""The guarded HTTP client against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import zlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from pipeline.config import LimitsSettings, NetworkSettings
from pipeline.fetch.http import AddressPolicy, FetchError, HttpResult, SafeClient
from pipeline.sample.server import SiteServer

ALLOW_LOCAL = NetworkSettings(allow_hosts=["127.0.0.1"])


def get(url: str, *, network: NetworkSettings = ALLOW_LOCAL, max_bytes: int = 100_000, **limits: object
        ) -> HttpResult:
    async def go() -> HttpResult:
        async with SafeClient(LimitsSettings(**limits), network) as client:
            return await client.get(url, max_bytes=max_bytes)

    return asyncio.run(go())


@pytest.fixture
def site(tmp_path: Path):
    (tmp_path / "page.html").write_text("<html><body><p>hello</p></body></html>")
    with SiteServer(tmp_path) as server:
        yield server


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
     "::1", "fc00::1", "fe80::1", "::", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "2002:7f00:1::",
     "64:ff9b::a9fe:a9fe", "224.0.0.1"],
)
def test_policy_refuses_non_public_addresses(address: str) -> None:
    assert not AddressPolicy().allows(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_policy_allows_public_addresses(address: str) -> None:
    assert AddressPolicy().allows(ipaddress.ip_address(address))


def test_allow_list_opens_only_what_it_names() -> None:
    policy = AddressPolicy.from_settings(NetworkSettings(allow_hosts=["127.0.0.1"]))
    assert policy.allows(ipaddress.ip_address("127.0.0.1"))
    assert policy.allows(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert not policy.allows(ipaddress.ip_address("127.0.0.2"))
    assert not policy.allows(ipaddress.ip_address("10.0.0.1"))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433", "0177.0.0.1", "0x7f.1", "[::ffff:127.0.0.1]"])
def test_loopback_in_any_spelling_is_refused_by_default(site: SiteServer, host: str) -> None:
    port = site.url.rsplit(":", 1)[1]
    with pytest.raises(FetchError) as caught:
        get(f"http://{host}:{port}/page.html", network=NetworkSettings())
    assert caught.value.kind in {"ssrf_blocked", "bad_url"}
    assert caught.value.terminal
    assert site.requests == []  # refused before connecting: the server saw nothing


def test_redirect_to_a_private_address_is_refused_at_the_hop(site: SiteServer) -> None:
    site.route("/jump", lambda request: (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""))
    with pytest.raises(FetchError) as caught:
        get(f"{site.url}/jump")
    assert caught.value.kind == "ssrf_blocked"


def test_redirects_are_followed_hop_by_hop(site: SiteServer) -> None:
    site.route("/a", lambda request: (301, {"Location": "/b"}, b""))
    site.route("/b", lambda request: (302, {"Location": f"{site.url}/page.html"}, b""))
    result = get(f"{site.url}/a")
    assert result.status_code == 200
    assert result.final_url.endswith("/page.html")
    assert b"hello" in result.content
    assert len(result.redirects) == 2


def test_redirect_loop_is_a_terminal_error(site: SiteServer) -> None:
    site.route("/x", lambda request: (302, {"Location": "/y"}, b""))
    site.route("/y", lambda request: (302, {"Location": "/x"}, b""))
    with pytest.raises(FetchError) as caught:
        get(f"{site.url}/x")
    assert caught.value.kind == "redirect_loop"
    assert caught.value.terminal


def test_too_many_redirects(site: SiteServer) -> None:
    for n in range(10):
        site.route(f"/r{n}", lambda request, n=n: (302, {"Location": f"/r{n + 1}"}, b""))
    with pytest.raises(FetchError) as caught:
        get(f"{site.url}/r0", max_redirects=3)
    assert caught.value.kind == "too_many_redirects"


def test_gzip_bomb_stops_at_the_cap(site: SiteServer) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)  # 50 MB of zeros in ~50 KB
    site.route("/bomb", lambda request: (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb))
    with pytest.raises(FetchError) as caught:
        get(f"{site.url}/bomb", max_bytes=1_000_000)
    assert caught.value.kind == "too_large"


def test_deflate_with_and_without_zlib_header(site: SiteServer) -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    body = raw.compress(b"<p>deflated</p>") + raw.flush()
    site.route("/raw", lambda request: (200, {"Content-Type": "text/html", "Content-Encoding": "deflate"}, body))
    site.route("/zlib", lambda request: (200, {"Content-Type": "text/html", "Content-Encoding": "deflate"},
                                         zlib.compress(b"<p>deflated</p>")))
    assert get(f"{site.url}/raw").content == b"<p>deflated</p>"
    assert get(f"{site.url}/zlib").content == b"<p>deflated</p>"


def test_oversized_body_is_refused(site: SiteServer) -> None:
    site.route("/big", lambda request: (200, {"Content-Type": "text/html"}, b"x" * 300_000))
    with pytest.raises(FetchError) as caught:
        get(f"{site.url}/big", max_bytes=100_000)
    assert caught.value.kind == "too_large"


@pytest.mark.parametrize(("status", "terminal"), [(404, True), (410, True), (403, True), (429, False),
                                                  (500, False), (503, False)])
def test_http_errors_say_whether_to_retry(site: SiteServer, status: int, terminal: bool) -> None:
    site.route("/e", lambda request: (status, {"Retry-After": "7"}, b"nope"))
    with pytest.raises(FetchError) as caught:
        get(f"{site.url}/e")
    assert caught.value.kind == f"http_{status}"
    assert caught.value.terminal is terminal
    if not terminal:
        assert caught.value.retry_after == 7


def test_slow_server_times_out(site: SiteServer) -> None:
    import time

    def slow(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        time.sleep(3)
        return 200, {"Content-Type": "text/html"}, b"late"

    site.route("/slow", slow)
    with pytest.raises(FetchError) as caught:
        get(f"{site.url}/slow", read_timeout=0.5, total_timeout=1.0)
    assert caught.value.kind == "timeout"
    assert not caught.value.terminal


def test_non_http_schemes_are_refused() -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1:70/"):
        with pytest.raises(FetchError) as caught:
            get(url)
        assert caught.value.kind == "bad_url"
