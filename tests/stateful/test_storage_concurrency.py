"""Real processes against one SQLite file: racing officers, and writers killed mid-flight."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fairdraw.storage import SQLiteStore, open_store
from racers import race
from storage_helpers import KEY, make_record

SUPPORT = Path(__file__).parents[1] / "support"

RACER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, {support!r})
    from fairdraw.storage import AlreadyFinalisedError, open_store
    from storage_helpers import KEY
    record = json.loads(Path({record!r}).read_text())
    print("ready", flush=True)
    sys.stdin.readline()  # the handshake: every racer is at the line
    with open_store({db!r}) as store:
        try:
            store.finalise(record, actor="officer " + sys.argv[1], key=KEY)
            print("won")
        except AlreadyFinalisedError:
            print("refused")
    """
)

WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {support!r})
    from fairdraw.storage import SQLiteStore
    from storage_helpers import KEY
    with SQLiteStore.open({db!r}) as store:
        for i in range(100000):
            entry = store.append("tick", {{"i": i, "pad": "x" * 300}}, actor="writer", key=KEY)
            print(entry.seq, flush=True)
    """
)


@pytest.mark.parametrize("adapter", ["sqlite", "postgres"])
def test_eight_officers_race_to_finalise_one_draw(
    tmp_path: Path, adapter: str, request: pytest.FixtureRequest
) -> None:
    """Exactly one of 8 processes finalising the same draw at once succeeds (both adapters)."""
    db = str(tmp_path / "race.db") if adapter == "sqlite" else request.getfixturevalue("pg_url")
    open_store(db).close()
    record_path = tmp_path / "record.json"
    record_path.write_text(json.dumps(make_record("2026-05")))
    script = RACER.format(support=str(SUPPORT), record=str(record_path), db=str(db))
    outcomes = []
    for racer in race(script, [[str(n)] for n in range(8)]):
        assert racer.returncode == 0, racer.stderr
        outcomes.append(racer.stdout.strip())
    assert sorted(outcomes) == ["refused"] * 7 + ["won"]
    with open_store(db) as store:
        assert [e.kind for e in store.entries()] == ["draw.finalised"]
        assert store.verify_chain(KEY.public) == 1


@pytest.mark.slow
def test_killed_writers_lose_nothing_they_reported(tmp_path: Path) -> None:
    """SIGKILL a writer at 25 seeded random moments; every reported entry survives, intact.

    The kill delays come from random.Random(2026) so that the runs are the same every time; the
    randomness here only picks when to kill, nothing the draw depends on.
    """
    db = tmp_path / "crash.db"
    SQLiteStore.open(db).close()
    script = WRITER.format(support=str(SUPPORT), db=str(db))
    delays = random.Random(2026)  # noqa: S311 (test timing, not a draw)
    reported_total = 0
    for run in range(25):
        writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        assert writer.stdout is not None
        first = writer.stdout.readline()  # the writer is up and has committed one entry
        assert first.strip(), f"run {run}: the writer did not start"
        time.sleep(delays.uniform(0.0, 0.15))
        os.kill(writer.pid, signal.SIGKILL)
        rest, _ = writer.communicate(timeout=30)
        reported = [int(line) for line in [first, *rest.splitlines()] if line.strip()]
        with SQLiteStore.open(db) as store:
            count = store.verify_chain(KEY.public)
            present = {entry.seq for entry in store.entries()}
        assert set(reported) <= present, f"run {run}: reported entries are missing"
        assert count == len(present) >= max(reported)
        reported_total += len(reported)
    assert reported_total >= 50
