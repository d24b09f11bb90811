"""What only the Elasticsearch store has: templates and aliases, retries, authentication.

Failures are produced by a real HTTP proxy on 127.0.0.1 in front of the real node, which answers
chosen requests itself (a 503, or a bulk whose every item is rejected with 429) and forwards the
rest, so the client library, the bulk helper and the store's retry logic all run for real.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from elasticsearch import Elasticsearch
from pydantic import ValidationError

from pipeline.config import ElasticsearchSettings
from pipeline.ids import item_id
from pipeline.models import ClaimQuery, FeedItem
from pipeline.store.base import StoreUnavailable
from pipeline.store.elasticsearch import INDEX_KINDS, ElasticsearchStore, fold, load_templates

_BULK_OPS = {"index", "create", "update", "delete"}


class FlakyProxy(ThreadingHTTPServer):
    """Forwards to the node, except the requests it was told to fail; records every request."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.upstream = urlsplit(upstream)
        self.failures: list[tuple[str, str]] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def fail(self, path_part: str, mode: str, times: int = 1, after: int = 0) -> None:
        """The next ``times`` requests whose path contains ``path_part`` get ``mode``, once ``after``
        of them went through."""
        self.failures += [(path_part, "forward")] * after + [(path_part, mode)] * times

    def take_failure(self, path: str) -> str | None:
        with self.lock:
            for index, (part, mode) in enumerate(self.failures):
                if part in path:
                    del self.failures[index]
                    return mode
        return None

    def count(self, path_part: str) -> int:
        return sum(1 for _, path, _ in self.requests if path_part in path)


class _ProxyHandler(BaseHTTPRequestHandler):
    server: FlakyProxy

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is about the store."""

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
        mode = self.server.take_failure(self.path)
        if mode == "http-503":
            self._reply(503, {"error": {"type": "unavailable_shards_exception", "reason": "test"}, "status": 503})
        elif mode == "items-429":
            self._reply(200, _rejected_bulk(body))
        else:
            self._forward(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle  # noqa: N815  (names http.server calls)

    def _reply(self, status: int, payload: dict[str, object]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _forward(self, body: bytes) -> None:
        upstream = self.server.upstream
        connection = HTTPConnection(upstream.hostname or "127.0.0.1", upstream.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "connection"}}
        connection.request(self.command, self.path, body=body or None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in {"transfer-encoding", "connection", "content-length"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        connection.close()


def _rejected_bulk(body: bytes) -> dict[str, object]:
    """A bulk answer rejecting every action with 429, as a node under write pressure does."""
    items = []
    for line in body.decode().splitlines():
        entry = json.loads(line) if line.strip() else {}
        op = next(iter(entry), None)
        if len(entry) == 1 and op in _BULK_OPS:
            meta = entry[op]
            error = {"type": "es_rejected_execution_exception", "reason": "test: queue full"}
            items.append({op: {"_index": meta.get("_index"), "_id": meta.get("_id"), "status": 429, "error": error}})
    return {"took": 1, "errors": True, "items": items}


@pytest.fixture
def proxy(es_url: str) -> Iterator[FlakyProxy]:
    server = FlakyProxy(es_url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _store(url: str, prefix: str, **settings: object) -> ElasticsearchStore:
    return ElasticsearchStore(
        ElasticsearchSettings.model_validate({"hosts": [url], "index_prefix": prefix, **settings}), retry_wait=0.01
    )


def _item(n: int) -> FeedItem:
    link = f"https://lemonde.fr/{n}"
    return FeedItem(id=item_id(link), feed_url="https://lemonde.fr/rss", feed_name="Le Monde", link=link)


# --------------------------------------------------------------------------- templates and aliases


def test_fold_matches_fts5_tokens() -> None:
    assert fold("L'Élysée a DÉMENTI, e-mail_x 3.5") == "l elysee a dementi e mail x 3 5"
    assert fold(None) == ""


def test_language_analyzers_add_french_and_english_subfields() -> None:
    templates = load_templates("demo", language_analyzers=True)
    title = templates["articles"]["template"]["mappings"]["properties"]["title"]
    assert title["fields"] == {"fr": {"type": "text", "analyzer": "french"},
                               "en": {"type": "text", "analyzer": "english"}}
    assert templates["articles"]["index_patterns"] == ["demo-articles-v1"]
    assert "fields" not in load_templates("demo")["articles"]["template"]["mappings"]["properties"]["title"]


@pytest.mark.es
def test_setup_installs_strict_versioned_indices_behind_aliases(es_url: str, es_prefix: str) -> None:
    store = _store(es_url, es_prefix)
    store.setup()
    store.setup()
    client = Elasticsearch(es_url)
    aliases = client.indices.get_alias(index=f"{es_prefix}-*").body
    assert aliases == {f"{es_prefix}-{kind}-v1": {"aliases": {f"{es_prefix}-{kind}": {"is_write_index": True}}}
                       for kind in INDEX_KINDS}
    mapping = client.indices.get_mapping(index=f"{es_prefix}-claims").body[f"{es_prefix}-claims-v1"]["mappings"]
    assert mapping["dynamic"] == "strict"
    assert mapping["properties"]["speaker"]["type"] == "keyword"
    templates = client.indices.get_index_template(name=f"{es_prefix}-claims-v1").body["index_templates"]
    assert templates[0]["index_template"]["version"] == 1
    client.close()
    store.close()


@pytest.mark.es
def test_setup_leaves_an_alias_that_was_moved_to_a_newer_index(es_url: str, es_prefix: str) -> None:
    store = _store(es_url, es_prefix)
    store.setup()
    client = Elasticsearch(es_url)
    v2 = f"{es_prefix}-claims-v2"
    client.indices.create(index=v2)
    client.indices.update_aliases(actions=[
        {"remove": {"index": f"{es_prefix}-claims-v1", "alias": f"{es_prefix}-claims"}},
        {"add": {"index": v2, "alias": f"{es_prefix}-claims", "is_write_index": True}},
    ])
    store.setup()
    assert list(client.indices.get_alias(name=f"{es_prefix}-claims").body) == [v2]
    client.close()
    store.close()


@pytest.mark.es
def test_language_analyzers_fail_loudly_on_a_cluster_without_them(es_url: str, es_prefix: str) -> None:
    """The test distribution has no analysis-common: the option must fail at setup, not at search."""
    store = _store(es_url, es_prefix, language_analyzers=True)
    with pytest.raises(StoreUnavailable, match=r"analyzer \[(french|english)\] has not been configured"):
        store.setup()
    store.close()


# --------------------------------------------------------------------------- retries


@pytest.mark.es
def test_rejected_bulk_items_are_retried_until_they_land(proxy: FlakyProxy, es_prefix: str) -> None:
    store = _store(proxy.url, es_prefix)
    store.setup()
    proxy.fail("/_bulk", "items-429", times=2)
    items = [_item(n) for n in range(5)]
    assert store.add_items(items) == items
    assert store.count("items") == 5
    assert proxy.count("/_bulk") == 3  # two rejected attempts, then the one that landed
    store.close()


@pytest.mark.es
def test_bulk_items_still_rejected_after_the_retries_raise(proxy: FlakyProxy, es_prefix: str) -> None:
    store = _store(proxy.url, es_prefix, max_retries=2)
    store.setup()
    proxy.fail("/_bulk", "items-429", times=3)
    with pytest.raises(StoreUnavailable, match=r"5 of 5 action\(s\) failed.*429.*es_rejected_execution"):
        store.add_items([_item(n) for n in range(5)])
    assert proxy.count("/_bulk") == 3
    store.close()


@pytest.mark.es
def test_a_503_answer_is_retried(proxy: FlakyProxy, es_prefix: str) -> None:
    store = _store(proxy.url, es_prefix)
    store.setup()
    proxy.fail("/_search", "http-503", times=2)
    assert store.find_claims(ClaimQuery()) == []
    assert proxy.count("/_search") == 3
    store.close()


def test_an_unreachable_cluster_raises_store_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    store = _store(f"http://127.0.0.1:{port}", "nowhere", max_retries=2)
    with pytest.raises(StoreUnavailable, match="elasticsearch count"):
        store.count("claims")
    store.close()


# --------------------------------------------------------------------------- authentication


@pytest.mark.es
@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"api_key": "a2V5OnNlY3JldA=="}, "ApiKey a2V5OnNlY3JldA=="),
        ({"username": "newswatch", "password": "s3cret"}, "Basic " + base64.b64encode(b"newswatch:s3cret").decode()),
    ],
)
def test_credentials_are_sent_on_every_request(
    proxy: FlakyProxy, es_prefix: str, settings: dict[str, str], expected: str
) -> None:
    store = _store(proxy.url, es_prefix, **settings)
    store.setup()
    assert store.count("claims") == 0
    assert {headers.get("authorization") for _, _, headers in proxy.requests} == {expected}
    store.close()


def test_a_username_without_password_is_refused_at_load() -> None:
    with pytest.raises(ValidationError, match="username without password"):
        _store("http://127.0.0.1:9", "nowhere", username="newswatch")


# --------------------------------------------------------------------------- retention


@pytest.mark.es
def test_prune_walks_page_by_page_and_an_interrupted_prune_is_finished_by_the_next(
    proxy: FlakyProxy, es_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.store import elasticsearch as module
    from tests.test_store_contract import now_plus, stored_at

    monkeypatch.setattr(module, "_PAGE_SIZE", 2)  # five old articles: three pages of hits
    store = _store(proxy.url, es_prefix, max_retries=0)
    store.setup()
    docs = [stored_at(f"old-{n}", now_plus(n)) for n in range(5)] + [stored_at("new", now_plus(24 * 40))]
    for doc, page in docs:
        store.save_articles([doc])
        store.save_page(page)
    before = now_plus(24 * 30)
    expected = {"pages": 5, "articles": 5, "mentions": 5, "claims": 5, "errors": 0}
    assert store.prune(before, dry_run=True) == expected

    # The pages go (three bulks), then the first articles' mentions (a fourth); their claims fail.
    proxy.fail("/_bulk", "http-503", after=4)
    with pytest.raises(StoreUnavailable):
        store.prune(before)
    assert (store.count("pages"), store.count("mentions"), store.count("articles")) == (1, 4, 6)
    # The next prune finishes: the mentions left, then every claim and article (children first).
    assert store.prune(before) == {"pages": 0, "articles": 5, "mentions": 3, "claims": 5, "errors": 0}
    assert {kind: store.count(kind) for kind in ("articles", "mentions", "claims", "pages")} == dict.fromkeys(
        ("articles", "mentions", "claims", "pages"), 1)
    assert store.get_article(docs[-1][0].article.id) == docs[-1][0].article
    store.close()
