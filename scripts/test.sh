#!/usr/bin/env bash
# Install the test tools into .venv and run every check: ruff (lint and format), mypy --strict on
# src/, and the whole pytest suite. Extra arguments go to pytest (e.g. -k vectors, -x).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --editable '.[test]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy --strict src
.venv/bin/python -m pytest "$@"
