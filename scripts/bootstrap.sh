#!/usr/bin/env bash
# Creates .venv and installs newswatch with its models, test tools and Airflow, pinned by
# requirements/constraints.txt. Re-running is cheap: nothing is reinstalled unless
# pyproject.toml or the constraints changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
VENV=${NEWSWATCH_VENV:-.venv}
EXTRAS=${NEWSWATCH_EXTRAS:-dev,models,airflow}

stamp="$VENV/.newswatch-installed"
want=$(cat pyproject.toml requirements/constraints.txt | sha256sum | cut -c1-16)-$EXTRAS
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "bootstrap: creating $VENV with $($PYTHON --version)"
  "$PYTHON" -m venv "$VENV"
fi
echo "bootstrap: installing newswatch[$EXTRAS] (pinned by requirements/constraints.txt)"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -c requirements/constraints.txt -e ".[$EXTRAS]"
echo "$want" > "$stamp"
