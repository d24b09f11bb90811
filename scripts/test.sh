#!/usr/bin/env bash
# Sets up the venv and models, then runs lint and the whole test suite. The suite starts the
# servers it needs itself (a local Elasticsearch node, aiosmtpd, fixture HTTP servers, Airflow on
# SQLite), bound to 127.0.0.1, and stops them at the end. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
echo "test: ruff"
.venv/bin/ruff check .
echo "test: pytest"
.venv/bin/python -m pytest "$@"
