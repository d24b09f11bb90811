"""schemas/ stays in step with pipeline/models.py: the JSON Schemas and the Elasticsearch templates."""

from __future__ import annotations

import json
import subprocess
import sys
import types
import typing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from pipeline import models

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "schemas" / "elasticsearch" / "v1").glob("*.json"))
DATE_TYPES = {"date", "date_nanos"}


def test_json_schemas_are_generated_from_the_current_models() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen-schemas.py"), "--check"], capture_output=True, text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", sorted((ROOT / "schemas" / "json").glob("*.schema.json")), ids=lambda p: p.name)
def test_json_schemas_are_valid_draft_2020_12(path: Path) -> None:
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def _unwrap(annotation: Any) -> Any:
    """``X | None`` and ``list[X]`` to ``X``: what the mapping of the field must describe."""
    while True:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        origin = typing.get_origin(annotation)
        if origin in (list, typing.Union, types.UnionType) and len(args) == 1:
            annotation = args[0]
        else:
            return annotation


def _mismatches(model: type[BaseModel], properties: dict[str, Any], derived: set[str], path: str = "") -> list[str]:
    """Fields missing from the mapping, extra in it, or dates not mapped as dates (ranges would break)."""
    extra = set(properties) - set(model.model_fields) - derived
    problems = [f"{path}{name}: not in the model" for name in sorted(extra)]
    for name, field in model.model_fields.items():
        mapping = properties.get(name)
        annotation = _unwrap(field.annotation)
        if mapping is None:
            problems.append(f"{path}{name}: not in the mapping")
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            problems += _mismatches(annotation, mapping.get("properties", {}), set(), f"{path}{name}.")
        elif annotation is datetime and mapping.get("type") not in DATE_TYPES:
            problems.append(f"{path}{name}: a datetime mapped as {mapping.get('type')}")
    return problems


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_index_templates_map_exactly_the_model_fields(path: Path) -> None:
    """The mappings are strict: a model field the template lacks would make every write fail."""
    template = json.loads(path.read_text(encoding="utf-8"))
    meta = template["_meta"]
    properties = template["template"]["mappings"]["properties"]
    assert template["template"]["mappings"]["dynamic"] == "strict"
    assert set(meta.get("language_fields", [])) <= {n for n, m in properties.items() if m.get("type") == "text"}
    if "model" not in meta:  # a store-internal index (the GUID guards)
        return
    model = getattr(models, meta["model"])
    assert _mismatches(model, properties, set(meta.get("derived_fields", []))) == []
