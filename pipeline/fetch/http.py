"""An HTTP client for the open web: SSRF guard on the connected address, hop-by-hop redirects,
bounded size after decompression, a wall-clock limit, and errors that say whether to retry.

Why not plain ``httpx.get``: a feed is untrusted input. Its URL (or any redirect hop) may point at
169.254.169.254 or at a service on the host; a DNS name may resolve to a public address when
checked and a private one when connected, so the check happens in the network backend, on the
address the socket actually connects to. A gzip body can expand a thousandfold, so decompression
is done here with an output budget instead of by the client.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
import ssl
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import cache
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from pipeline.config import LimitsSettings, NetworkSettings

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_REDIRECTS = {301, 302, 303, 307, 308}
_TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}


class FetchError(Exception):
    """A failed request. ``terminal`` errors are recorded and skipped; the others are retried later."""

    def __init__(
        self, kind: str, message: str, *, url: str, terminal: bool, status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.url = url
        self.terminal = terminal
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.kind}: {self.args[0]} ({self.url})"


class BlockedAddress(httpcore.ConnectError):
    """Raised inside the network backend; an httpcore error so that pools clean up normally."""


# --------------------------------------------------------------------------- address policy


@dataclass(frozen=True)
class AddressPolicy:
    allow_private: bool = False
    allow_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def from_settings(cls, network: NetworkSettings) -> AddressPolicy:
        return cls(
            allow_private=network.allow_private,
            allow_networks=tuple(ipaddress.ip_network(entry, strict=False) for entry in network.allow_hosts),
        )

    def allows(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address):
            # ::ffff:127.0.0.1 and 64:ff9b::/96 (NAT64) reach IPv4 hosts: judge the IPv4 address.
            mapped = address.ipv4_mapped or address.sixtofour
            if mapped is None and address in ipaddress.ip_network("64:ff9b::/96"):
                mapped = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
            if mapped is not None:
                return self.allows(mapped)
        if any(address.version == net.version and address in net for net in self.allow_networks):
            return True
        if self.allow_private:
            return not address.is_unspecified
        return address.is_global and not address.is_multicast


_NUMERIC_HOST = re.compile(r"[0-9a-fA-FxX.]+")


def numeric_host(host: str) -> IPAddress | None:
    """The IPv4 address an all-numeric host name means to the C resolver (inet_aton reads decimal
    ``2130706433``, octal ``0177.0.0.1``, hex ``0x7f.1`` and short ``127.1``), so that the guard can
    refuse it by what it means, with a message that says so, before any URL parser objects."""
    if not _NUMERIC_HOST.fullmatch(host) or not any(ch.isdigit() for ch in host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself and connects only to addresses the policy allows."""

    def __init__(self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.policy = policy
        self._inner = inner or httpcore.AnyIOBackend()

    async def _resolve(self, host: str, port: int) -> list[IPAddress]:
        try:
            return [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            pass
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses: list[IPAddress] = []
        for info in infos:
            address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
            if address not in addresses:
                addresses.append(address)
        return addresses

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port)
        allowed = [address for address in addresses if self.policy.allows(address)]
        if not allowed:
            shown = ", ".join(str(a) for a in addresses)
            raise BlockedAddress(f"{host} resolves to a non-public address ({shown}); refused (SSRF guard)")
        error: Exception | None = None
        for address in allowed:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(self, *args: object, **kwargs: object) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("unix sockets are never used for web fetches")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


# --------------------------------------------------------------------------- bounded decoding


class _Decoder:
    """Content-Encoding decoding with an output budget: a decompression bomb stops at the cap."""

    def __init__(self, encoding: str, budget: int, url: str) -> None:
        self.url = url
        self.budget = budget
        self.size = 0
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in {"gzip", "x-gzip", "deflate"}):
            raise FetchError("unsupported_encoding", f"Content-Encoding {encoding!r} not supported", url=url,
                             terminal=True)
        self.coding = codings[0] if codings else None
        self._zlib = None
        if self.coding in {"gzip", "x-gzip"}:
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self._zlib = zlib.decompressobj()
        self._first = True

    def _check(self, produced: int, more_pending: bool) -> None:
        self.size += produced
        if self.size > self.budget or more_pending:
            raise FetchError("too_large", f"body exceeds {self.budget} bytes after decoding", url=self.url,
                             terminal=True)

    def feed(self, chunk: bytes) -> bytes:
        if self._zlib is None:
            self._check(len(chunk), False)
            return chunk
        try:
            out = self._zlib.decompress(chunk, self.budget - self.size + 1)
        except zlib.error as exc:
            if self.coding == "deflate" and self._first:
                # Some servers send raw deflate without the zlib header.
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                return self.feed(chunk)
            raise FetchError("bad_encoding", f"cannot decode {self.coding} body: {exc}", url=self.url,
                             terminal=True) from exc
        self._first = False
        self._check(len(out), bool(self._zlib.unconsumed_tail))
        return out

    def flush(self) -> bytes:
        if self._zlib is None:
            return b""
        out = self._zlib.flush()
        self._check(len(out), False)
        return out


# --------------------------------------------------------------------------- client


@dataclass
class HttpResult:
    url: str
    final_url: str
    status_code: int
    headers: httpx.Headers
    content: bytes
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str | None:
        value = self.headers.get("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    @property
    def charset(self) -> str | None:
        value = self.headers.get("content-type") or ""
        for param in value.split(";")[1:]:
            key, _, val = param.partition("=")
            if key.strip().lower() == "charset" and val.strip():
                return val.strip().strip("\"'").lower()
        return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from pipeline.models import utcnow

    return max(0.0, (when - utcnow()).total_seconds())


@cache
def _ssl_context() -> ssl.SSLContext:
    """Loading the CA bundle takes ~50 ms; one context serves every client of the process (an
    SSLContext is safe to share between connections)."""
    return httpx.create_ssl_context()


class SafeClient:
    """One per run; bounded concurrency overall and per host."""

    def __init__(self, limits: LimitsSettings, network: NetworkSettings) -> None:
        self.limits = limits
        self.policy = AddressPolicy.from_settings(network)
        timeout = httpx.Timeout(
            connect=limits.connect_timeout, read=limits.read_timeout, write=limits.read_timeout,
            pool=limits.total_timeout,
        )
        transport = httpx.AsyncHTTPTransport(retries=0, verify=_ssl_context())
        # httpx has no public hook for the network backend; the pool it builds is replaced by an
        # identical one that connects through the guard (tests/test_http.py proves the guard works).
        transport._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=limits.concurrency * 2,
            max_keepalive_connections=limits.concurrency,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(self.policy),
        )
        self._client = httpx.AsyncClient(
            transport=transport, timeout=timeout, follow_redirects=False, trust_env=False,
            headers={"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._slots = asyncio.Semaphore(limits.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> SafeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).hostname or ""
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self.limits.per_host_concurrency)
        return self._hosts[host]

    async def get(
        self, url: str, *, max_bytes: int, accept: str = "*/*", headers: dict[str, str] | None = None
    ) -> HttpResult:
        """GET with redirects followed hop by hop; raises :class:`FetchError`."""
        seen: list[str] = []
        current = url
        for _ in range(self.limits.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                raise FetchError("bad_url", f"only http(s) URLs are fetched: {current!r}", url=url, terminal=True)
            if current in seen:
                raise FetchError("redirect_loop", f"redirect loop through {current}", url=url, terminal=True)
            meaning = numeric_host(parts.hostname)
            if meaning is not None and not self.policy.allows(meaning):
                raise FetchError("ssrf_blocked", f"{parts.hostname} means {meaning}, a non-public address; refused "
                                 "(SSRF guard)", url=url, terminal=True)
            seen.append(current)
            result = await self._get_once(current, max_bytes=max_bytes, accept=accept, headers=headers or {})
            if result.status_code in _REDIRECTS and result.headers.get("location"):
                current = urljoin(current, result.headers["location"].strip())
                continue
            result.url, result.redirects = url, seen[1:]
            return result
        raise FetchError(
            "too_many_redirects", f"more than {self.limits.max_redirects} redirects", url=url, terminal=True
        )

    async def _get_once(self, url: str, *, max_bytes: int, accept: str, headers: dict[str, str]) -> HttpResult:
        async with self._slots, self._host_slot(url):
            try:
                async with asyncio.timeout(self.limits.total_timeout):
                    return await self._stream(url, max_bytes=max_bytes, accept=accept, headers=headers)
            except TimeoutError as exc:
                raise FetchError("timeout", f"no complete response within {self.limits.total_timeout}s", url=url,
                                 terminal=False) from exc
            except BlockedAddress as exc:
                raise FetchError("ssrf_blocked", str(exc), url=url, terminal=True) from exc
            except httpx.TimeoutException as exc:
                raise FetchError("timeout", f"{type(exc).__name__}", url=url, terminal=False) from exc
            except httpx.InvalidURL as exc:
                raise FetchError("bad_url", str(exc), url=url, terminal=True) from exc
            except httpx.TooManyRedirects as exc:  # pragma: no cover - redirects are not followed by httpx
                raise FetchError("too_many_redirects", str(exc), url=url, terminal=True) from exc
            except httpx.HTTPError as exc:
                cause = exc.__cause__ or exc.__context__
                if isinstance(cause, BlockedAddress):
                    raise FetchError("ssrf_blocked", str(cause), url=url, terminal=True) from exc
                raise FetchError("network", f"{type(exc).__name__}: {exc}", url=url, terminal=False) from exc

    async def _stream(self, url: str, *, max_bytes: int, accept: str, headers: dict[str, str]) -> HttpResult:
        request_headers = {"Accept": accept, **headers}
        async with self._client.stream("GET", url, headers=request_headers) as response:
            status = response.status_code
            if status in _REDIRECTS or status == 304:
                return HttpResult(url, url, status, response.headers, b"")
            if status >= 400:
                terminal = status not in _TRANSIENT_STATUS
                raise FetchError(
                    f"http_{status}", f"HTTP {status} {response.reason_phrase}", url=url, terminal=terminal,
                    status=status, retry_after=_retry_after(response.headers.get("retry-after")),
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and not response.headers.get("content-encoding") \
                    and int(declared) > max_bytes:
                raise FetchError("too_large", f"Content-Length {declared} exceeds {max_bytes} bytes", url=url,
                                 terminal=True)
            decoder = _Decoder(response.headers.get("content-encoding", ""), max_bytes, url)
            chunks = [decoder.feed(chunk) async for chunk in response.aiter_raw()]
            chunks.append(decoder.flush())
            return HttpResult(url, str(response.url), status, response.headers, b"".join(chunks))
