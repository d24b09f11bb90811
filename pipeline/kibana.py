"""Kibana saved objects for newswatch: data views, visualisations and the overview dashboard.

The objects live in ``deploy/kibana/newswatch.ndjson`` (Kibana's own export format, so an
operator can also import it by hand: Stack Management > Saved objects > Import). This module
posts them to the saved-objects import API, overwriting earlier versions, after pointing the
data views at the deployment's index prefix.
"""

from __future__ import annotations

import json
import ssl
from importlib import resources
from pathlib import Path

import httpx
from pydantic import BaseModel, Field

SAVED_OBJECTS = Path(str(resources.files("pipeline.kibana_objects") / "newswatch.ndjson"))
DEFAULT_PREFIX = "newswatch"


class KibanaImportError(Exception):
    """Kibana refused the import, or some objects in it; the message names them."""


class ImportResult(BaseModel):
    success: bool
    success_count: int = Field(0, alias="successCount")
    errors: list[dict[str, object]] = Field(default_factory=list)


def load_objects(path: Path = SAVED_OBJECTS, index_prefix: str = DEFAULT_PREFIX) -> list[dict[str, object]]:
    """The saved objects, with each data view's title (its index pattern) moved to ``index_prefix``."""
    objects = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for obj in objects:
        attributes = obj.get("attributes")
        if obj.get("type") == "index-pattern" and isinstance(attributes, dict):
            title = str(attributes["title"])
            if title.startswith(f"{DEFAULT_PREFIX}-"):
                attributes["title"] = index_prefix + title[len(DEFAULT_PREFIX):]
    return objects


def _import_url(kibana_url: str, space: str | None) -> str:
    base = kibana_url.rstrip("/")
    return f"{base}/s/{space}/api/saved_objects/_import" if space else f"{base}/api/saved_objects/_import"


def import_saved_objects(
    kibana_url: str,
    *,
    path: Path = SAVED_OBJECTS,
    index_prefix: str = DEFAULT_PREFIX,
    space: str | None = None,
    api_key: str | None = None,
    basic_auth: tuple[str, str] | None = None,
    verify: bool = True,
    ca_certs: Path | None = None,
    timeout: float = 30.0,
) -> ImportResult:
    """POST the objects to ``/api/saved_objects/_import?overwrite=true``; raise unless all were imported.

    ``ca_certs`` is the CA bundle of a Kibana behind a private certificate; ``verify=False`` skips
    the check altogether (a test setup only).
    """
    body = "".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in load_objects(path, index_prefix))
    tls: bool | ssl.SSLContext = ssl.create_default_context(cafile=str(ca_certs)) if ca_certs else verify
    headers = {"kbn-xsrf": "true"}
    if api_key:
        headers["Authorization"] = f"ApiKey {api_key}"
    try:
        response = httpx.post(
            _import_url(kibana_url, space), params={"overwrite": "true"}, headers=headers, auth=basic_auth,
            files={"file": (path.name, body.encode("utf-8"), "application/ndjson")}, verify=tls, timeout=timeout,
        )
    except httpx.HTTPError as exc:
        raise KibanaImportError(f"{kibana_url}: {exc}") from exc
    if response.status_code != 200:
        raise KibanaImportError(f"{kibana_url}: HTTP {response.status_code}: {response.text[:500]}")
    result = ImportResult.model_validate(response.json())
    if not result.success:
        failed = ", ".join(f"{e.get('type')}/{e.get('id')}: {e.get('error')}" for e in result.errors[:10])
        raise KibanaImportError(f"{kibana_url}: {len(result.errors)} object(s) not imported: {failed}")
    return result
