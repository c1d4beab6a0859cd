"""Benchmark the audit log: appends per second and verify_chain() entries per second, per adapter.

For each adapter (SQLite on a file; PostgreSQL on a throwaway cluster on 127.0.0.1 with fsync on,
started by this script when the server binaries are installed, or the server given with
``--postgres URL``), it measures, side by side with a baseline:

* **append**: ``store.append(...)``, one entry per transaction, as officers write them: canonical
  JSON, SHA-256, an Ed25519 signature, the chain link, and a durable commit.
  Baseline: a plain ``INSERT`` of a row of the same size, one per transaction, with the same
  durability settings (the cost of the database alone).
* **verify_chain**: reading every entry and checking links, hashes and signatures.
  Baseline: the same without signatures (``verify_chain()`` with no key).

Run from the repository root (the PostgreSQL part needs the ``postgres`` extra)::

    .venv/bin/python benchmarks/bench_storage.py            # 10^5 entries per adapter
    .venv/bin/python benchmarks/bench_storage.py --entries 2000

It prints one Markdown table; nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))

from fairdraw.signing import OfficeKey
from fairdraw.storage import Store, open_store
from pg_cluster import postgres_bin, throwaway_cluster

PAYLOAD = {"draw_id": "2026-05", "scope": "2026-05/MAINT", "note": "x" * 64}


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}"


def timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def measure(store: Store, baseline_insert: Callable[[int], None], entries: int) -> dict[str, str]:
    key = OfficeKey.generate()

    def append_all() -> None:
        for i in range(entries):
            store.append("bench", {**PAYLOAD, "i": i}, actor="benchmark", key=key)

    def insert_all() -> None:
        for i in range(entries):
            baseline_insert(i)

    append = timed(append_all)
    baseline = timed(insert_all)
    holder: list[int] = []
    verify = timed(lambda: holder.append(store.verify_chain(key.public)))
    if holder != [entries]:
        raise RuntimeError(f"the chain has {holder} entries, not {entries}")
    unsigned = timed(store.verify_chain)
    return {
        "append/s": rate(entries, append),
        "plain INSERT/s (baseline)": rate(entries, baseline),
        "verify_chain/s": rate(entries, verify),
        "links+hashes only/s (baseline)": rate(entries, unsigned),
    }


def sqlite_row(entries: int, folder: Path) -> dict[str, str]:
    store = open_store(str(folder / "bench.db"))
    raw = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    body = "y" * 420  # about the size of a stored entry

    def insert(i: int) -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("INSERT INTO t (seq, body) VALUES (?, ?)", [i, body])
        raw.execute("COMMIT")

    try:
        return measure(store, insert, entries)
    finally:
        store.close()
        raw.close()


@contextmanager
def postgres_url(given: str | None) -> Iterator[str | None]:
    if given:
        yield given
    elif postgres_bin() is None:
        yield None
    else:
        with throwaway_cluster(fsync=True) as url:
            yield url


def postgres_row(entries: int, url: str) -> dict[str, str]:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
        for name in ("fairdraw_bench", "fairdraw_baseline"):
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
    store = open_store(f"{url}/fairdraw_bench")
    raw = psycopg.connect(f"{url}/fairdraw_baseline", autocommit=True)
    raw.execute("CREATE TABLE t (seq BIGINT PRIMARY KEY, body TEXT NOT NULL)")
    body = "y" * 420

    def insert(i: int) -> None:
        with raw.transaction():
            raw.execute("INSERT INTO t (seq, body) VALUES (%s, %s)", [i, body])

    try:
        return measure(store, insert, entries)
    finally:
        store.close()
        raw.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--postgres", default=None, metavar="URL", help="use this server")
    args = parser.parse_args()
    rows: list[tuple[str, dict[str, str]]] = []
    with tempfile.TemporaryDirectory() as folder:
        print(f"SQLite: {args.entries:,} entries …", file=sys.stderr, flush=True)
        rows.append(("SQLite (WAL, synchronous=FULL)", sqlite_row(args.entries, Path(folder))))
    with postgres_url(args.postgres) as url:
        if url is None:
            print("PostgreSQL: server binaries not installed; skipped", file=sys.stderr)
        else:
            print(f"PostgreSQL: {args.entries:,} entries …", file=sys.stderr, flush=True)
            rows.append(("PostgreSQL (fsync on)", postgres_row(args.entries, url)))
    print(f"Python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"Machine:  {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"Command:  {shlex.join([sys.executable, *sys.argv])}")
    print(f"Entries:  {args.entries:,} per adapter, each appended in its own transaction\n")
    headers = ["adapter", *rows[0][1]]
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---:" if i else "---" for i in range(len(headers))) + "|")
    for name, figures in rows:
        print("| " + " | ".join([name, *figures.values()]) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
