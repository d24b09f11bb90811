"""deploy/kibana/newswatch.ndjson: well-formed, self-contained, and built on fields the indices have.

Kibana cannot run here, so the import itself is exercised against a local HTTP server that
answers like Kibana's saved-objects API, and the fields are checked against the mappings a real
Elasticsearch node reports once ElasticsearchStore.setup() has installed the templates.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from pipeline.config import ElasticsearchSettings
from pipeline.kibana import SAVED_OBJECTS, KibanaImportError, import_saved_objects, load_objects
from pipeline.store.elasticsearch import ElasticsearchStore

OBJECTS = load_objects()
BY_KEY = {(obj["type"], obj["id"]): obj for obj in OBJECTS}
DATA_VIEWS = {obj["id"]: obj for obj in OBJECTS if obj["type"] == "index-pattern"}
BUCKET_OPERATIONS = {"terms", "date_histogram"}


def _lens_columns(obj: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(layer id, column) for every column of a Lens visualisation."""
    layers = obj["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
    for layer_id, layer in layers.items():
        for column in layer["columns"].values():
            yield layer_id, column


def _reference(obj: dict[str, Any], name: str) -> dict[str, Any]:
    [reference] = [ref for ref in obj["references"] if ref["name"] == name]
    return reference


def _fields_used() -> list[tuple[str, str, str]]:
    """(data view id, field, how it is used) for every field a visualisation or data view names."""
    used = [(view_id, view["attributes"]["timeFieldName"], "time") for view_id, view in DATA_VIEWS.items()]
    for obj in OBJECTS:
        if obj["type"] == "lens":
            for layer_id, column in _lens_columns(obj):
                view = _reference(obj, f"indexpattern-datasource-layer-{layer_id}")["id"]
                if column["sourceField"] != "___records___":
                    used.append((view, column["sourceField"], column["operationType"]))
        elif obj["type"] == "search":
            view = _reference(obj, "kibanaSavedObjectMeta.searchSourceJSON.index")["id"]
            used += [(view, field, "column") for field in obj["attributes"]["columns"]]
            used += [(view, field, "sort") for field, _ in obj["attributes"]["sort"]]
    return used


def test_the_file_is_one_saved_object_per_line() -> None:
    lines = SAVED_OBJECTS.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(OBJECTS) == len(BY_KEY)  # no blank line, no duplicate (type, id)
    for obj in OBJECTS:
        assert {"id", "type", "attributes", "references", "typeMigrationVersion"} <= set(obj)
    assert {obj["type"] for obj in OBJECTS} == {"index-pattern", "lens", "search", "dashboard"}


def test_every_reference_resolves_inside_the_file() -> None:
    for obj in OBJECTS:
        for reference in obj["references"]:
            assert (reference["type"], reference["id"]) in BY_KEY, f"{obj['id']} -> {reference}"


def test_dashboard_panels_and_references_match() -> None:
    [dashboard] = [obj for obj in OBJECTS if obj["type"] == "dashboard"]
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    references = {ref["name"]: ref for ref in dashboard["references"]}
    assert {panel["panelRefName"] for panel in panels} == set(references)
    for panel in panels:
        assert references[panel["panelRefName"]]["type"] == panel["type"]
    shown = {ref["id"] for ref in dashboard["references"]}
    assert shown == {obj["id"] for obj in OBJECTS if obj["type"] in {"lens", "search"}}


def test_every_lens_layer_names_its_data_view() -> None:
    for obj in (o for o in OBJECTS if o["type"] == "lens"):
        layers = obj["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
        for layer_id, layer in layers.items():
            assert _reference(obj, f"indexpattern-datasource-layer-{layer_id}")["type"] == "index-pattern"
            assert set(layer["columnOrder"]) == set(layer["columns"])


def _flatten(properties: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Field path -> mapping type, sub-fields (``title.fr``) and objects (``item.id``) included."""
    fields: dict[str, str] = {}
    for name, mapping in properties.items():
        path = f"{prefix}{name}"
        if "properties" in mapping:
            fields.update(_flatten(mapping["properties"], f"{path}."))
            continue
        fields[path] = mapping["type"]
        fields.update({f"{path}.{sub}": m["type"] for sub, m in mapping.get("fields", {}).items()})
    return fields


@pytest.mark.es
def test_every_field_used_exists_in_the_installed_mappings(es_url: str, es_prefix: str) -> None:
    store = ElasticsearchStore(ElasticsearchSettings(hosts=[es_url], index_prefix=es_prefix))
    store.setup()
    store.close()
    client = Elasticsearch(es_url)
    mappings = {}
    for view_id, view in DATA_VIEWS.items():
        alias = view["attributes"]["title"].replace("newswatch", es_prefix, 1)
        [index] = client.indices.get_mapping(index=alias).body.values()
        mappings[view_id] = _flatten(index["mappings"]["properties"])
    client.close()
    for view_id, field, usage in _fields_used():
        field_type = mappings[view_id].get(field)
        assert field_type is not None, f"{view_id}: {field} ({usage}) is not mapped"
        if usage in BUCKET_OPERATIONS | {"time", "sort"}:
            assert field_type != "text", f"{view_id}: {field} ({usage}) needs doc values, it is text"
        if usage in {"time", "date_histogram"}:
            assert field_type in {"date", "date_nanos"}, f"{view_id}: {field} ({usage}) is {field_type}"


def test_load_objects_points_the_data_views_at_the_index_prefix() -> None:
    titles = {obj["attributes"]["title"] for obj in load_objects(index_prefix="acme") if obj["type"] == "index-pattern"}
    assert titles == {"acme-articles", "acme-claims"}


# --------------------------------------------------------------------------- the import call


class FakeKibana(ThreadingHTTPServer):
    """Answers POST /api/saved_objects/_import like Kibana, and keeps what it received."""

    daemon_threads = True

    def __init__(self, status: int, answer: dict[str, Any]) -> None:
        super().__init__(("127.0.0.1", 0), _KibanaHandler)
        self.status, self.answer = status, answer
        self.received: list[tuple[str, dict[str, str], bytes]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _KibanaHandler(BaseHTTPRequestHandler):
    server: FakeKibana

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        data = json.dumps(self.server.answer).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def kibana(request: pytest.FixtureRequest) -> Iterator[FakeKibana]:
    status, answer = getattr(request, "param", (200, {"success": True, "successCount": len(OBJECTS)}))
    server = FakeKibana(status, answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _uploaded_file(headers: dict[str, str], body: bytes) -> tuple[str | None, bytes]:
    message = message_from_bytes(f"Content-Type: {headers['content-type']}\r\n\r\n".encode() + body,
                                 policy=email_policy)
    [part] = list(message.iter_parts())
    assert part.get_param("name", header="content-disposition") == "file"
    return part.get_filename(), part.get_payload(decode=True)


def test_import_posts_the_ndjson_as_a_multipart_file(kibana: FakeKibana) -> None:
    result = import_saved_objects(kibana.url, index_prefix="acme", api_key="a2V5", space="news")
    assert (result.success, result.success_count) == (True, len(OBJECTS))
    [(path, headers, body)] = kibana.received
    assert path == "/s/news/api/saved_objects/_import?overwrite=true"
    assert (headers["kbn-xsrf"], headers["authorization"]) == ("true", "ApiKey a2V5")
    filename, payload = _uploaded_file(headers, body)
    assert filename == "newswatch.ndjson"
    assert [json.loads(line) for line in payload.decode().splitlines()] == load_objects(index_prefix="acme")


@pytest.mark.parametrize(
    "kibana",
    [(200, {"success": False, "successCount": 7,
            "errors": [{"id": "newswatch-claims", "type": "index-pattern", "error": {"type": "conflict"}}]})],
    indirect=True,
)
def test_a_partial_import_raises_naming_the_objects(kibana: FakeKibana) -> None:
    with pytest.raises(KibanaImportError, match=r"1 object.*index-pattern/newswatch-claims.*conflict"):
        import_saved_objects(kibana.url)


@pytest.mark.parametrize("kibana", [(401, {"statusCode": 401, "error": "Unauthorized"})], indirect=True)
def test_a_refused_import_raises_with_the_status(kibana: FakeKibana) -> None:
    with pytest.raises(KibanaImportError, match="HTTP 401"):
        import_saved_objects(kibana.url, basic_auth=("elastic", "wrong"))
    [(_, headers, _)] = kibana.received
    assert headers["authorization"].startswith("Basic ")


def test_cli_imports_for_the_configured_prefix(kibana: FakeKibana, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    config = tmp_path / "newswatch.toml"
    config.write_text('[store.elasticsearch]\nindex_prefix = "acme"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["kibana", "import", "--url", kibana.url, "--config", str(config)])
    assert result.exit_code == 0, result.output
    [(_, headers, body)] = kibana.received
    _, payload = _uploaded_file(headers, body)
    assert [json.loads(line) for line in payload.decode().splitlines()] == load_objects(index_prefix="acme")
