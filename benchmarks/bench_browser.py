"""Benchmark the browser verifier (``verify.html`` in headless Chromium) beside the Python one on
the same record.

What is measured
----------------
For every population size n (default 10^4 and 10^5) a dice-only ceremony draws k = 15 % of n
labels (18-character ASCII strings shaped like unified social credit codes) in one public scope,
and its record is signed with a fixed key. Then, on that record, the office key and the whole
list:

``python``
    ``fairdraw.verification_report(record, populations={scope: labels}, public_key=key)``: every
    check, the complete recomputation of the scope included (the baseline: what ``fairdraw
    verify`` does, without starting a process).
``browser``
    ``verify.html`` with the same record, key and list embedded (``fairdraw.verifier_page``),
    opened from ``file://`` in Debian's headless Chromium (Selenium, one browser for the run):
    the wall time from asking for the page to its verdict element holding a verdict, after the
    office key's fingerprint is confirmed. This is what a citizen waits for: loading the page,
    parsing the embedded JSON, and every check. The verdict element is looked at every 10 ms
    (Selenium's default, 0.5 s, rounded the earlier figures up). The page's verdict must equal
    Python's.

Each cell is the median of ``--repeat`` runs (3 by default); the browser is started once. The
target for 10^5 labels is 2 s on the project's 2-core machine.

Run: ``.venv/bin/python benchmarks/bench_browser.py [--sizes 10000 100000] [--repeat 3]``
(needs ``chromium`` and ``chromium-driver``, and the test extras for Selenium).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import OfficeKey, Population, verification_report, write_verifier_page
from fairdraw.ceremony import Ceremony, ScopePlan

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "support"))
from browser import chromium, verdict

KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
START = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
STATUS = {"passed": "pass", "failed": "fail", "incomplete": "incomplete"}


def record_of(n: int) -> tuple[dict[str, Any], list[str]]:
    """A signed record drawing 15 % of n labels in the scope ``2026-05/BENCH``."""
    labels = [f"91110102MA{i:08x}" for i in range(n)]
    population = Population.of(labels)
    ceremony = Ceremony.announce(
        KEY,
        draw_id="bench",
        office="benchmark office",
        scopes=[ScopePlan(scope="2026-05/BENCH", population=population, k=n * 15 // 100)],
        participants=[{"id": "leader", "role": "leader"}],
        sources=[{"id": "dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6}],
        commit_deadline=START + timedelta(minutes=30),
        reveal_deadline=START + timedelta(hours=1),
        at=START,
        single_party_reason="a benchmark: the office types the only source",
    )
    ceremony.add_value("dice", {"rolls": [i % 6 + 1 for i in range(50)]}, at=START)
    ceremony.seed(at=START + timedelta(minutes=1))
    return ceremony.draw({"2026-05/BENCH": population}, at=START + timedelta(minutes=2)), labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder, chromium() as session:
        for n in args.sizes:
            record, labels = record_of(n)
            timings = []
            for _ in range(args.repeat):
                began = time.perf_counter()
                report = verification_report(
                    record, populations={"2026-05/BENCH": labels}, public_key=KEY.public
                )
                timings.append(time.perf_counter() - began)
            python = statistics.median(timings)
            page = write_verifier_page(
                Path(folder) / str(n),
                record,
                public_key=KEY.public.to_pem().decode("ascii"),
                populations={"2026-05/BENCH": labels},
            )
            timings = []
            for _ in range(args.repeat):
                began = time.perf_counter()
                status, _sentence, _report = verdict(
                    session, page.as_uri(), confirm_key=True, timeout=300, poll=0.01
                )
                timings.append(time.perf_counter() - began)
                if status != STATUS[report.verdict]:
                    raise SystemExit(f"n={n}: the page says {status}, Python {report.verdict}")
            rows.append((n, page.stat().st_size, python, statistics.median(timings)))
    print(f"{'labels':>9} {'page size':>11} {'python':>9} {'browser':>9} {'ratio':>7}")
    for n, size, python, browser in rows:
        print(
            f"{n:>9,} {size / 1e6:>9.1f} MB {python:>8.2f}s {browser:>8.2f}s "
            f"{browser / python:>6.1f}x"
        )


if __name__ == "__main__":
    main()
