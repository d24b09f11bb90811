"""Elasticsearch outages with the real node of scripts/es-node.sh: stopped before a run, and killed
with SIGKILL in the middle of the articles bulk. Each time the run fails and says so (the CLI's
"store unavailable", exit 1), nothing is lost, and the first run after the restart indexes
everything exactly once: the counts equal those of a clean SQLite run of the same sample site, and
a further run changes nothing and mails nothing.

The node is the session's (tests/plugins/es_node.py). It is restarted on the same port with the
same data directory before each test ends, so the tests after these find it as it was. The kill
is done by a forwarding proxy between newswatch and the node: when the bulk request that writes
the articles has been forwarded, the proxy SIGKILLs the node's JVM before the answer comes back.
Under CI a node that cannot be controlled fails these tests; it never skips them.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.models import AlertStatus
from pipeline.runner import Pipeline
from pipeline.sample import SITE_DIR
from pipeline.sample.server import SiteServer
from pipeline.selftest import scenario_settings
from pipeline.selftest.mail import MailServer
from pipeline.selftest.outages import COUNTED, counts, sample_values, write_config
from pipeline.store.base import StoreUnavailable
from tests.conftest import ROOT, need

pytestmark = [pytest.mark.es, pytest.mark.slow]

SCRIPT = ROOT / "scripts" / "es-node.sh"
PID_FILE = ROOT / ".cache" / "es" / "pid"


class Node:
    """Stop, kill and restart the session's node, always on the same port and data."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.port = urlsplit(url).port

    def pid(self) -> int:
        return int(PID_FILE.read_text().strip())

    def stop(self) -> None:
        done = subprocess.run(["bash", str(SCRIPT), "stop"], capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr

    def kill(self) -> None:
        os.kill(self.pid(), signal.SIGKILL)

    def start(self) -> None:
        env = {**os.environ, "NEWSWATCH_ES_PORT": str(self.port)}
        done = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, text=True, timeout=600, env=env,
                              check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        assert done.stdout.strip().splitlines()[-1] == self.url

    def running(self) -> bool:
        return subprocess.run(["bash", str(SCRIPT), "status"], capture_output=True, timeout=60,
                              check=False).returncode == 0


@pytest.fixture
def node(es_url: str) -> Iterator[Node]:
    need(not os.environ.get("NEWSWATCH_TEST_ES_URL") and PID_FILE.exists(),
         "the Elasticsearch node of scripts/es-node.sh (an external node cannot be stopped by the tests)")
    control = Node(es_url)
    try:
        yield control
    finally:
        if not control.running():
            control.start()  # leave the node as the session had it


class KillingProxy(ThreadingHTTPServer):
    """Forwards to the node; SIGKILLs the node once the bulk that writes ``index_part`` is sent."""

    daemon_threads = True

    def __init__(self, upstream: str, index_part: str, kill: object) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.upstream = urlsplit(upstream)
        self.index_part = index_part.encode()
        self.kill = kill
        self.killed = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: KillingProxy

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        proxy = self.server
        connection = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=30)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "connection"}}
            connection.request(self.command, self.path, body=body, headers=headers)
            if "_bulk" in self.path and proxy.index_part in body and not proxy.killed.is_set():
                proxy.killed.set()
                proxy.kill()  # the bulk is in the node's hands; the node dies before it answers
            response = connection.getresponse()
            payload = response.read()
            status, reason, out_headers = response.status, response.reason, response.getheaders()
        except (OSError, http.client.HTTPException):
            status, reason, out_headers, payload = 502, "Bad Gateway", [], b'{"error":"upstream died"}'
        finally:
            connection.close()
        self.send_response(status, reason)
        for key, value in out_headers:
            if key.lower() not in {"content-length", "transfer-encoding", "connection"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """What a clean run of the sample site stores (SQLite): the ES runs must end with the same."""
    work = tmp_path_factory.mktemp("baseline")
    with SiteServer(SITE_DIR) as site, MailServer() as mail:
        settings = scenario_settings(work / "data", **sample_values(site, mail))
        with Pipeline(settings) as pipeline:
            pipeline.run_once()
            return counts(pipeline.store)


def es_values(url: str, prefix: str) -> dict[str, object]:
    return {"store": {"backend": "elasticsearch",
                      "elasticsearch": {"hosts": [url], "index_prefix": prefix, "max_retries": 1,
                                        "request_timeout": 10}}}


def test_node_stopped_before_a_run(tmp_path: Path, node: Node, es_prefix: str, baseline: dict[str, int]) -> None:
    with SiteServer(SITE_DIR) as site, MailServer() as mail:
        values = {**sample_values(site, mail), **es_values(node.url, es_prefix)}
        settings = scenario_settings(tmp_path / "data", **values)
        config = tmp_path / "newswatch.toml"
        write_config(config, settings, site, mail)
        with config.open("a", encoding="utf-8") as handle:
            handle.write(f'[store]\nbackend = "elasticsearch"\n[store.elasticsearch]\nhosts = ["{node.url}"]\n'
                         f'index_prefix = "{es_prefix}"\nmax_retries = 1\nrequest_timeout = 10\n')
        node.stop()
        runner = CliRunner(env={k: None for k in os.environ if k.startswith("NEWSWATCH_")})
        failed = runner.invoke(app, ["run", "--once", "--config", str(config)])
        assert failed.exit_code == 1, failed.output
        assert "store unavailable" in failed.output and "next run resumes" in failed.output
        assert mail.messages == []
        node.start()
        recovered = runner.invoke(app, ["run", "--once", "--config", str(config)])
        assert recovered.exit_code == 0, recovered.output
        with Pipeline(settings) as pipeline:
            after = counts(pipeline.store)
            pipeline.run_once()
            assert counts(pipeline.store) == after
            assert pipeline.store.find_alerts(AlertStatus.pending, limit=1000) == []
        assert after == baseline  # nothing lost, nothing twice
        assert len(mail.messages) == len({str(m["Message-ID"]) for m in mail.messages}) == baseline["alerts"]


def test_node_killed_in_the_middle_of_a_bulk(tmp_path: Path, node: Node, es_prefix: str,
                                             baseline: dict[str, int]) -> None:
    proxy = KillingProxy(node.url, f"{es_prefix}-articles", node.kill)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        with SiteServer(SITE_DIR) as site, MailServer() as mail:
            through_proxy = scenario_settings(tmp_path / "data", **sample_values(site, mail),
                                              **es_values(proxy.url, es_prefix))
            with pytest.raises(StoreUnavailable), Pipeline(through_proxy) as pipeline:
                pipeline.run_once()
            assert proxy.killed.is_set(), "no articles bulk went through the proxy"
            assert not node.running()
            assert mail.messages == []
            node.start()
            direct = scenario_settings(tmp_path / "data", **sample_values(site, mail), **es_values(node.url, es_prefix))
            with Pipeline(direct) as pipeline:
                pipeline.run_once()
                after = counts(pipeline.store)
                pipeline.run_once()
                assert counts(pipeline.store) == after
            assert {kind: after[kind] for kind in COUNTED} == baseline
            assert len(mail.messages) == len({str(m["Message-ID"]) for m in mail.messages}) == baseline["alerts"]
    finally:
        proxy.shutdown()
        proxy.server_close()
