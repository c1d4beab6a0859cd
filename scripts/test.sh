#!/usr/bin/env bash
# Install the test tools into .venv and run every check: ruff (lint and format), mypy --strict on
# src/, and the whole pytest suite, one worker per core (pytest-xdist). Extra arguments go to
# pytest (e.g. -m "not slow" for the fast lane, -k vectors, -x, -n 0 for a single process).
# The PostgreSQL tests start a throwaway cluster on 127.0.0.1 when the server binaries are
# installed (Debian: apt-get install postgresql) and are skipped, saying so, when they are not;
# FAIRDRAW_REQUIRE_POSTGRES=1 (set by .ci/run) turns that skip into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --editable '.[test,postgres]'
# The browser verifier's build tools (web/verifier), at the versions package-lock.json pins,
# when npm is here; without them its tests are skipped, saying so.
if command -v npm >/dev/null 2>&1 && [ ! -d web/verifier/node_modules ]; then
    (cd web/verifier && npm ci --no-audit --no-fund --loglevel=error)
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy --strict src
# Hundreds of tests run the CLIs as real processes: with PYTHONDONTWRITEBYTECODE set (as on
# some CI images) each would compile every module of src/ again, about a quarter of a second.
# Compile once here, and let pytest cache its rewritten test modules.
unset PYTHONDONTWRITEBYTECODE
# The tests write real files, and fsync them (every file is written atomically), into pytest's
# tmp_path and a throwaway PostgreSQL cluster: on a machine whose disk is slow to sync, most of
# the suite's time is spent waiting for it. When the machine has a RAM-backed tmpfs, the tests'
# temporary folders go there (the same files and calls; syncing them costs nothing). A TMPDIR
# given by the caller is kept.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm
fi
.venv/bin/python -m compileall -q src tests
.venv/bin/python -m pytest --numprocesses=auto --dist=worksteal "$@"  # a worker per core; idle ones steal
