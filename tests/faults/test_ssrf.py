"""Scenario "ssrf": forbidden addresses are refused on the address actually connected, by
default, in every spelling, at every redirect hop, through the whole pipeline; plus unit tests of
the guarded network backend with a resolver that changes its answers (DNS rebinding)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

import httpcore
import pytest

from pipeline.fetch.http import AddressPolicy, BlockedAddress, GuardedBackend, numeric_host
from pipeline.models import ItemStatus
from pipeline.selftest import hostile
from pipeline.selftest.hostile import SsrfRun

SIX = hostile.ipv6_available()
LINKS = list(hostile.forbidden_links("127.0.0.1:1", "[::1]:1" if SIX else None, "127.0.0.2:1"))


@pytest.fixture(scope="module")
def ssrf_run(tmp_path_factory: pytest.TempPathFactory) -> SsrfRun:
    return hostile.run_ssrf_faults(tmp_path_factory.mktemp("ssrf"))


@pytest.mark.parametrize("name", LINKS)
def test_item_link_to_a_forbidden_address_is_a_recorded_ssrf_skip(ssrf_run: SsrfRun, name: str) -> None:
    outcome = ssrf_run.items[name]
    assert outcome.crashed is None
    assert outcome.status == ItemStatus.skipped.value, outcome.describe()
    assert outcome.kinds == {"ssrf_blocked"}, outcome.describe()


def test_the_local_servers_never_saw_a_request(ssrf_run: SsrfRun) -> None:
    assert ssrf_run.local_requests == []


def test_the_allowed_feed_host_is_still_fetched(ssrf_run: SsrfRun) -> None:
    assert ssrf_run.control == ItemStatus.fetched.value


def test_feeds_on_local_addresses_are_refused_by_default(ssrf_run: SsrfRun) -> None:
    assert ssrf_run.feed_kinds, "no feed was tried"
    assert all(kinds == {"ssrf_blocked"} for kinds in ssrf_run.feed_kinds.values()), ssrf_run.feed_kinds


def test_dns_rebinding_through_the_client(ssrf_run: SsrfRun) -> None:
    assert ssrf_run.rebinding == {"answer-changes-between-lookups": "", "refused-and-allowed-answers": ""}


# --------------------------------------------------------------------------- the backend itself


class Recorder(httpcore.AsyncNetworkBackend):
    """An inner backend that records where it was asked to connect, and connects nowhere."""

    def __init__(self) -> None:
        self.hosts: list[str] = []

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        self.hosts.append(host)
        raise httpcore.ConnectError("recorded, not connected")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def resolver(*answers: list[str]) -> Any:
    calls = iter(answers)

    async def getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> list[Any]:
        chosen = next(calls)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in chosen]
    return getaddrinfo


def connect(backend: GuardedBackend, getaddrinfo: Any, times: int) -> list[str]:
    """Connect ``times`` to a name; the outcome of each: "connected-to:<addr>" or "blocked"."""
    async def go() -> list[str]:
        asyncio.get_running_loop().getaddrinfo = getaddrinfo  # type: ignore[method-assign]
        seen = []
        for _ in range(times):
            try:
                await backend.connect_tcp("rebind.example", 80)
            except BlockedAddress:
                seen.append("blocked")
            except httpcore.ConnectError:
                seen.append("connected-to:" + backend._inner.hosts[-1])  # type: ignore[attr-defined]
        return seen
    return asyncio.run(go())


def test_rebinding_name_is_connected_by_the_address_checked() -> None:
    """Public on the first lookup, loopback on the second: the first connection goes to the public
    address itself (never to the name, which a second lookup could turn private), the second is refused."""
    inner = Recorder()
    backend = GuardedBackend(AddressPolicy(), inner)
    seen = connect(backend, resolver(["93.184.216.34"], ["127.0.0.1"]), 2)
    assert seen == ["connected-to:93.184.216.34", "blocked"]
    assert inner.hosts == ["93.184.216.34"]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (["10.0.0.1", "93.184.216.34"], ["connected-to:93.184.216.34"]),  # only the allowed answer is used
        (["169.254.169.254"], ["blocked"]),
        (["::1"], ["blocked"]),
        (["fd00::1"], ["blocked"]),
        (["::ffff:127.0.0.1"], ["blocked"]),
        (["0.0.0.0"], ["blocked"]),
        (["::"], ["blocked"]),
        (["2606:2800:220:1:248:1893:25c8:1946"], ["connected-to:2606:2800:220:1:248:1893:25c8:1946"]),
    ],
)
def test_every_answer_is_judged_before_connecting(answer: list[str], expected: list[str]) -> None:
    inner = Recorder()
    assert connect(GuardedBackend(AddressPolicy(), inner), resolver(answer), 1) == expected
    assert all(AddressPolicy().allows(ipaddress.ip_address(h)) for h in inner.hosts)


@pytest.mark.parametrize(
    ("host", "address"),
    [("2130706433", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("127.1", "127.0.0.1"),
     ("2852039166", "169.254.169.254"), ("0251.0376.0251.0376", "169.254.169.254"), ("news.example", None),
     ("cafe.fe", None), ("1e100.net", None)],
)
def test_numeric_hosts_are_read_as_the_resolver_reads_them(host: str, address: str | None) -> None:
    meaning = numeric_host(host)
    assert (str(meaning) if meaning else None) == address
