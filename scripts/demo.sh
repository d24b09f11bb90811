#!/usr/bin/env bash
# Sets up the venv and models, then runs `newswatch demo`: the bundled sample site is served on
# 127.0.0.1, one full cycle runs on the embedded store, and the alert emails land in an outbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/newswatch demo "$@"
