#!/usr/bin/env python3
"""Write schemas/json/<model>.schema.json for every model of pipeline/models.py.

The JSON Schemas are what other tools (Kibana users, downstream consumers, reviewers of a
pull request) read instead of Python; generating them keeps them from drifting, and
``--check`` (run by tests/test_schemas.py) fails when a model changed and they were not
regenerated.

    python scripts/gen-schemas.py          # rewrite the files
    python scripts/gen-schemas.py --check  # exit 1 and name the stale files
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import models  # noqa: E402  (the repository root is put on the path first)

OUT_DIR = ROOT / "schemas" / "json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _file_name(model: type[models.Model]) -> str:
    """ErrorRecord -> error_record.schema.json."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower() + ".schema.json"


def expected() -> dict[str, str]:
    """File name -> content, for every model class defined in pipeline.models."""
    files = {}
    for _, model in inspect.getmembers(models, inspect.isclass):
        if issubclass(model, models.Model) and model is not models.Model and model.__module__ == models.__name__:
            schema = {"$schema": DRAFT, **model.model_json_schema()}
            files[_file_name(model)] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return files


def stale(files: dict[str, str]) -> list[str]:
    """Files missing, different, or left over from a model that no longer exists."""
    present = {path.name for path in OUT_DIR.glob("*.schema.json")}
    changed = [
        name for name, text in files.items()
        if not (OUT_DIR / name).exists() or (OUT_DIR / name).read_text(encoding="utf-8") != text
    ]
    return sorted(changed + sorted(present - set(files)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if any file is stale")
    args = parser.parse_args()
    files = expected()
    outdated = stale(files)
    if args.check:
        for name in outdated:
            print(f"stale: schemas/json/{name} (run: python scripts/gen-schemas.py)", file=sys.stderr)
        return 1 if outdated else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name in outdated:
        path = OUT_DIR / name
        if name in files:
            path.write_text(files[name], encoding="utf-8")
        else:
            path.unlink()
        print(f"wrote schemas/json/{name}" if name in files else f"removed schemas/json/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
