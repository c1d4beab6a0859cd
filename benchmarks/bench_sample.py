"""Benchmark fairdraw's exact-mode draw against a hashing floor and Rivest's consistent-sampler.

What is measured
----------------
For every population size n (default 10^4, 10^5, 10^6 and 10^7) with k = 15 % of n, these
pick k labels out of the same n labels (or, for the commit, check and digest them):

``floor`` (the hashing floor)
    A plain ``hashlib`` loop that computes the spec's score of every label and throws it away:
    ``sha256(b"fairdraw/v1/score\\x00" + subseed + label.encode()).digest()``. Every pure-Python
    implementation of draw spec v1 has to hash each label once, so this is the least work such an
    implementation can do.
``fairdraw-draw``
    ``draw_exact(seed, "bench", population, k)`` on a :class:`fairdraw.Population` made before
    the clock starts, then the result is touched (``len(draw.selected)`` and the label of the
    last pick). This is the draw as a ceremony runs it: the population was checked and its digest
    published when the office committed to it, before the seed existed. Timed: seed and scope
    checks, scoring, selection, sorting and the ranked result.
``fairdraw`` (one call)
    ``draw_exact(seed, "bench", labels, k)`` on the plain list: the draw plus the label checks
    and the duplicate check, in one call.
``fairdraw-commit``
    ``Population.of(labels)``: the label checks, the duplicate check and the population digest
    (which sorts every label). An office pays this once per population, before the draw.
``consistent-sampler``
    Ronald L. Rivest's ``consistent_sampler.sampler(labels, seed=<seed hex>, take=k,
    output="id")`` (PyPI ``consistent-sampler``, pinned in ``benchmarks/requirements.txt``),
    consumed into a list. It is the established Python package for the same job, a seeded,
    publicly reproducible sample in which each id's place follows from a SHA-256 hash of the seed
    and the id (it comes from risk-limiting audit work), so it is the natural existing tool to
    compare against. It checks its ids for duplicates but nothing else. The two draw different
    samples: they implement different specifications; only the cost is compared. When the
    package is not importable the script prints how to install it and its column reads
    "not installed".

The labels are 18-character ASCII strings shaped like unified social credit codes
(``91110102MA`` followed by the index as 8 hexadecimal digits), generated deterministically.

Each (implementation, n) cell runs in a fresh subprocess of this script (hidden option
``--worker IMPL N``), so that no measurement inherits another's memory and the peak is honest.
The worker imports its implementation, builds the labels, records its resident set size (RSS),
then times only the draw call (``time.perf_counter``), including the consumption of the result.

Reported, per n:

* ns/label: the best wall time over ``--repeat`` runs (each in its own process), divided by n.
* peak MB: the worker's peak RSS (``getrusage(RUSAGE_SELF).ru_maxrss``), the largest over the
  repeats. It INCLUDES the interpreter, the imports and the labels themselves.
* RSS after labels MB: the (floor) worker's RSS right after building the labels, before the draw.
  A peak minus this figure is roughly what the draw itself needed.

MB means 10^6 bytes. A worker that runs longer than ``--timeout`` seconds (default 1800) is
killed and its cell reads "timeout"; larger sizes of that implementation are then skipped.
Timings depend on the machine, so the script prints the machine's facts and its own command line
above the table, and asserts nothing about speed.

How to run
----------
From the repository root::

    python -m venv .venv-bench && .venv-bench/bin/pip install -e . -r benchmarks/requirements.txt && .venv-bench/bin/python benchmarks/bench_sample.py

A quick run: ``--sizes 1e4,1e5``. Other options: ``--repeat R`` (best of R, default 1),
``--timeout SECONDS``, ``--skip-consistent-sampler-above N`` (at 10^7, consistent-sampler needs
about 3 GB and is by far the slowest cell) and ``--json FILE`` (the raw figures). The table is
Markdown, ready to paste into the README. With one run per cell, the 10^4 figures (a few
milliseconds each) are noisy; ``--repeat 5`` steadies them.
"""  # noqa: E501

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve()
DEFAULT_SIZES = (10**4, 10**5, 10**6, 10**7)
MIN_SIZE = 10
MAX_SIZE = 16**8  # the labels carry the index as 8 hexadecimal digits
K_PERCENT = 15
SEED_HEX = hashlib.sha256(b"fairdraw benchmark seed").hexdigest()
SCOPE = "bench"

FLOOR = "floor"
DRAW = "fairdraw-draw"
FAIRDRAW = "fairdraw"
COMMIT = "fairdraw-commit"
CONSISTENT_SAMPLER = "consistent-sampler"
IMPLEMENTATIONS = (FLOOR, DRAW, FAIRDRAW, COMMIT, CONSISTENT_SAMPLER)
INSTALL_HINT = "pip install -r benchmarks/requirements.txt"

Runner = Callable[[Any, int], tuple[int, str | None]]
"""A prepared draw: takes its input and k, returns (how many picked, the last pick's label).

The input is the list of labels, except for ``fairdraw-draw``, whose input is the committed
:class:`fairdraw.Population` made from them before the clock starts."""


# --------------------------------------------------------------------------------------------
# Worker side: one implementation, one size, one process.
# --------------------------------------------------------------------------------------------


def make_labels(n: int) -> list[str]:
    """Return n distinct 18-character labels shaped like unified social credit codes."""
    return [f"91110102MA{i:08X}" for i in range(n)]


def k_for(n: int) -> int:
    """The sample size of a population of n: 15 % of n, rounded down."""
    return n * K_PERCENT // 100


def _peak_rss_kib() -> int:
    """The process's peak RSS so far, in KiB (``ru_maxrss`` is in bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def _current_rss_kib() -> int:
    """The process's current RSS in KiB (Linux ``/proc``; elsewhere the peak so far)."""
    try:
        resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return _peak_rss_kib()
    return resident_pages * os.sysconf("SC_PAGE_SIZE") // 1024


def _vm_hwm_kib() -> int | None:
    """Linux's own record of this process's peak RSS (``VmHWM``), or None elsewhere.

    Kept in the raw figures as a cross-check: on Linux, ``ru_maxrss`` carries the parent's peak
    across ``exec``, so it can only be trusted while the driver stays smaller than its workers
    (it does: the driver holds nothing but the figures).
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def _prepare_fairdraw() -> Runner:
    from fairdraw import draw_exact  # noqa: PLC0415  (imported only by the worker that uses it)

    def run(labels: list[str], k: int) -> tuple[int, str | None]:
        draw = draw_exact(SEED_HEX, SCOPE, labels, k)
        return len(draw.selected), draw.selected[-1].label

    return run


def _prepare_fairdraw_draw() -> Runner:
    from fairdraw import Population, draw_exact  # noqa: PLC0415

    def run(population: Population, k: int) -> tuple[int, str | None]:
        draw = draw_exact(SEED_HEX, SCOPE, population, k)
        return len(draw.selected), draw.selected[-1].label

    return run


def _prepare_fairdraw_commit() -> Runner:
    from fairdraw import Population  # noqa: PLC0415

    def run(labels: list[str], k: int) -> tuple[int, str | None]:
        population = Population.of(labels)
        return len(population), population.digest_hex

    return run


def _setup(impl: str, labels: list[str]) -> Any:
    """The input of one implementation, made before the clock starts."""
    if impl == DRAW:
        from fairdraw import Population  # noqa: PLC0415

        return Population.of(labels)
    return labels


def _prepare_floor() -> Runner:
    from fairdraw.primitives import SCORE_TAG, derive_subseed  # noqa: PLC0415

    score_prefix = SCORE_TAG + derive_subseed(SEED_HEX, SCOPE)

    def run(labels: list[str], k: int) -> tuple[int, str | None]:
        sha256 = hashlib.sha256
        prefix = score_prefix
        for s in labels:
            sha256(prefix + s.encode()).digest()
        return len(labels), None

    return run


def _prepare_consistent_sampler() -> Runner:
    from consistent_sampler import sampler  # type: ignore[import-untyped]  # noqa: PLC0415

    def run(labels: list[str], k: int) -> tuple[int, str | None]:
        picked = list(sampler(labels, seed=SEED_HEX, take=k, output="id"))
        return len(picked), picked[-1]

    return run


PREPARE: dict[str, Callable[[], Runner]] = {
    FLOOR: _prepare_floor,
    DRAW: _prepare_fairdraw_draw,
    FAIRDRAW: _prepare_fairdraw,
    COMMIT: _prepare_fairdraw_commit,
    CONSISTENT_SAMPLER: _prepare_consistent_sampler,
}


def run_worker(impl: str, n: int) -> dict[str, Any]:
    """Measure one draw in this process and return the raw figures."""
    run = PREPARE[impl]()  # imports happen here, before the labels and outside the timing
    k = k_for(n)
    labels = make_labels(n)
    rss_after_labels = _current_rss_kib()
    subject = _setup(impl, labels)
    start = time.perf_counter()
    picked, last_label = run(subject, k)
    seconds = time.perf_counter() - start
    return {
        "impl": impl,
        "n": n,
        "k": k,
        "seconds": seconds,
        "picked": picked,
        "last_label": last_label,
        "rss_after_labels_kib": rss_after_labels,
        "peak_rss_kib": _peak_rss_kib(),
        "peak_vm_hwm_kib": _vm_hwm_kib(),
    }


# --------------------------------------------------------------------------------------------
# Driver side: spawn the workers, collect the figures, print the table.
# --------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """The measurements of one implementation at one size (one entry per repeat)."""

    impl: str
    n: int
    k: int
    status: str = "ok"  # ok | timeout | failed | not installed | skipped
    detail: str = ""
    seconds: list[float] = field(default_factory=list)
    peak_rss_kib: list[int] = field(default_factory=list)
    rss_after_labels_kib: list[int] = field(default_factory=list)
    peak_vm_hwm_kib: list[int | None] = field(default_factory=list)
    last_label: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.seconds)

    @property
    def best_seconds(self) -> float | None:
        return min(self.seconds) if self.ok else None

    @property
    def ns_per_label(self) -> float | None:
        best = self.best_seconds
        return None if best is None else best * 1e9 / self.n

    @property
    def peak_mb(self) -> float | None:
        return max(self.peak_rss_kib) * 1024 / 1e6 if self.ok else None

    @property
    def rss_after_labels_mb(self) -> float | None:
        return min(self.rss_after_labels_kib) * 1024 / 1e6 if self.ok else None

    def to_dict(self) -> dict[str, Any]:
        raw = asdict(self)
        raw.update(
            best_seconds=self.best_seconds,
            ns_per_label=self.ns_per_label,
            peak_mb=self.peak_mb,
            rss_after_labels_mb=self.rss_after_labels_mb,
        )
        return raw


def _describe_failure(proc: subprocess.CompletedProcess[str]) -> str:
    if proc.returncode < 0:
        how = f"killed by signal {-proc.returncode}"
        if proc.returncode == -9:
            how += " (out of memory?)"
    else:
        how = f"exit status {proc.returncode}"
    last_lines = proc.stderr.strip().splitlines()[-1:]
    return how + (f": {last_lines[0]}" if last_lines else "")


def measure(impl: str, n: int, repeat: int, timeout: float) -> Cell:
    """Run ``repeat`` fresh worker processes for one cell; stop at the first that fails."""
    cell = Cell(impl=impl, n=n, k=k_for(n))
    command = [sys.executable, str(SCRIPT), "--worker", impl, str(n)]
    for _ in range(repeat):
        try:
            proc = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            cell.status, cell.detail = "timeout", f"no result within {timeout:g} s"
            return cell
        if proc.returncode != 0:
            cell.status, cell.detail = "failed", _describe_failure(proc)
            return cell
        try:
            record = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            cell.status, cell.detail = "failed", "the worker printed no result"
            return cell
        expected = n if impl in {FLOOR, COMMIT} else cell.k
        if record["picked"] != expected:
            cell.status = "failed"
            cell.detail = f"picked {record['picked']} labels, expected {expected}"
            return cell
        cell.seconds.append(record["seconds"])
        cell.peak_rss_kib.append(record["peak_rss_kib"])
        cell.rss_after_labels_kib.append(record["rss_after_labels_kib"])
        cell.peak_vm_hwm_kib.append(record["peak_vm_hwm_kib"])
        cell.last_label = record["last_label"]
    return cell


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _memory_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def machine_facts() -> dict[str, Any]:
    """What a reader needs to put the figures in context."""
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "python_executable": sys.executable,
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "platform": platform.platform(),
        "fairdraw": _version("fairdraw"),
        "consistent_sampler": _version("consistent-sampler"),
    }


def _fmt(value: float | None, cell: Cell | None = None, spec: str = ".1f") -> str:
    if value is not None:
        return format(value, spec)
    return cell.status if cell is not None and not cell.ok else "-"


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None or denominator == 0:
        return "-"
    return f"{numerator / denominator:.2f}"


TIME_HEADERS = (
    "n",
    "floor ns/label",
    "fairdraw draw ns/label",
    "fairdraw one call ns/label",
    "fairdraw commit ns/label",
    "consistent-sampler ns/label",
    "draw ÷ floor",
    "one call ÷ floor",
    "consistent-sampler ÷ draw",
    "consistent-sampler ÷ one call",
)
MEMORY_HEADERS = (
    "n",
    "labels MB",
    "floor peak MB",
    "fairdraw draw peak MB",
    "fairdraw one call peak MB",
    "fairdraw commit peak MB",
    "consistent-sampler peak MB",
)


def time_rows(sizes: Sequence[int], cells: dict[tuple[str, int], Cell]) -> list[list[str]]:
    rows = []
    for n in sizes:
        floor, draw, call, commit, cs = (cells[impl, n] for impl in IMPLEMENTATIONS)
        rows.append(
            [
                f"{n:,}",
                _fmt(floor.ns_per_label, floor),
                _fmt(draw.ns_per_label, draw),
                _fmt(call.ns_per_label, call),
                _fmt(commit.ns_per_label, commit),
                _fmt(cs.ns_per_label, cs),
                _ratio(draw.ns_per_label, floor.ns_per_label),
                _ratio(call.ns_per_label, floor.ns_per_label),
                _ratio(cs.ns_per_label, draw.ns_per_label),
                _ratio(cs.ns_per_label, call.ns_per_label),
            ]
        )
    return rows


def memory_rows(sizes: Sequence[int], cells: dict[tuple[str, int], Cell]) -> list[list[str]]:
    rows = []
    for n in sizes:
        ordered = [cells[impl, n] for impl in IMPLEMENTATIONS]
        labels_mb = next((c.rss_after_labels_mb for c in ordered if c.ok), None)
        rows.append(
            [f"{n:,}", _fmt(labels_mb, None, ",.1f")]
            + [_fmt(c.peak_mb, c, ",.1f") for c in ordered]
        )
    return rows


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, padded so that it also reads well as plain text."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    lines.extend(
        "| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line.
# --------------------------------------------------------------------------------------------


def parse_count(text: str) -> int:
    """Parse a whole number written as ``100000``, ``100_000`` or ``1e5``."""
    cleaned = text.strip().replace("_", "")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        value = float(cleaned)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_integer():
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
    return int(value)


def parse_sizes(text: str) -> list[int]:
    """Parse ``--sizes``: comma-separated counts, returned sorted and without repeats."""
    sizes = sorted({parse_count(part) for part in text.split(",") if part.strip()})
    if not sizes:
        raise argparse.ArgumentTypeError("give at least one size")
    for n in sizes:
        if not MIN_SIZE <= n <= MAX_SIZE:
            raise argparse.ArgumentTypeError(f"sizes must be {MIN_SIZE} to {MAX_SIZE:,}, got {n}")
    return sizes


def _positive_int(text: str) -> int:
    value = parse_count(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def _worker_args(values: Sequence[str]) -> tuple[str, int]:
    impl, n = values
    if impl not in PREPARE:
        raise SystemExit(f"--worker: unknown implementation {impl!r}")
    return impl, int(n)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Time fairdraw's draw_exact against a hashing floor and consistent-sampler.",
        epilog="Each measurement runs in a fresh subprocess of this script.",
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="comma-separated population sizes, e.g. 1e4,1e5 (default 1e4,1e5,1e6,1e7)",
    )
    parser.add_argument(
        "--repeat",
        type=_positive_int,
        default=1,
        metavar="R",
        help="run each measurement R times, each in a fresh process, and keep the best time",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=1800.0,
        metavar="SECONDS",
        help="kill a worker that runs longer than this (default 1800)",
    )
    parser.add_argument(
        "--skip-consistent-sampler-above",
        type=parse_count,
        default=None,
        metavar="N",
        help="do not run consistent-sampler for populations larger than N (default: run all)",
    )
    parser.add_argument(
        "--json", type=Path, default=None, metavar="FILE", help="also write the raw figures here"
    )
    parser.add_argument("--worker", nargs=2, metavar=("IMPL", "N"), help=argparse.SUPPRESS)
    return parser


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_all(args: argparse.Namespace) -> dict[tuple[str, int], Cell]:
    sizes: list[int] = args.sizes
    cs_installed = importlib.util.find_spec("consistent_sampler") is not None
    if not cs_installed:
        _progress(f"consistent-sampler is not installed; to include it: {INSTALL_HINT}")
    cells: dict[tuple[str, int], Cell] = {}
    timed_out: set[str] = set()
    for n in sizes:
        for impl in IMPLEMENTATIONS:
            cell = Cell(impl=impl, n=n, k=k_for(n))
            cells[impl, n] = cell
            if impl == CONSISTENT_SAMPLER and not cs_installed:
                cell.status, cell.detail = "not installed", INSTALL_HINT
                continue
            limit = args.skip_consistent_sampler_above
            if impl == CONSISTENT_SAMPLER and limit is not None and n > limit:
                cell.status, cell.detail = "skipped", f"n above {limit:,} (option)"
                continue
            if impl in timed_out:
                cell.status, cell.detail = "skipped", "timed out at a smaller n"
                continue
            _progress(f"n = {n:,}, k = {cell.k:,}: {impl} ...")
            started = time.monotonic()
            cell = cells[impl, n] = measure(impl, n, args.repeat, args.timeout)
            elapsed = time.monotonic() - started
            if cell.ok:
                _progress(
                    f"    {cell.ns_per_label:.1f} ns/label, peak {cell.peak_mb:,.1f} MB "
                    f"({elapsed:.1f} s wall in all)"
                )
            else:
                _progress(f"    {cell.status}: {cell.detail}")
                if cell.status == "timeout":
                    timed_out.add(impl)
    return cells


def report(
    args: argparse.Namespace,
    command: str,
    facts: dict[str, Any],
    cells: dict[tuple[str, int], Cell],
) -> str:
    cpu = f"{facts['cpu_count']} CPUs"
    if facts["cpu_model"]:
        cpu += f" ({facts['cpu_model']})"
    memory = f", {facts['memory_gib']:.1f} GiB RAM" if facts["memory_gib"] else ""
    lines = [
        f"Python:   {facts['python']} ({facts['python_executable']})",
        f"Machine:  {cpu}{memory}",
        f"Platform: {facts['platform']}",
        f"Packages: fairdraw {facts['fairdraw']}, consistent-sampler {facts['consistent_sampler']}",
        f"Command:  {command}",
        "",
        f"k = {K_PERCENT} % of n. Time of the draw call only, best of {args.repeat} run(s), each"
        " in a fresh process.",
        "Peak = the worker's peak RSS (ru_maxrss), labels included. RSS after labels = the"
        " worker's RSS",
        "once the labels are built, before the draw. MB = 10^6 bytes.",
    ]
    if any(cell.status == "not installed" for cell in cells.values()):
        lines.append(f"consistent-sampler is not installed; to include it: {INSTALL_HINT}")
    lines += [
        "",
        markdown_table(TIME_HEADERS, time_rows(args.sizes, cells)),
        "",
        markdown_table(MEMORY_HEADERS, memory_rows(args.sizes, cells)),
    ]
    notes = [
        f"{c.impl} at n = {c.n:,}: {c.status}: {c.detail}"
        for c in cells.values()
        if c.status in {"timeout", "failed"}
    ]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.worker is not None:
        impl, n = _worker_args(args.worker)
        print(json.dumps(run_worker(impl, n)))
        return 0

    command = shlex.join([sys.executable, *sys.argv])
    facts = machine_facts()
    _progress(f"Command: {command}")
    cells = run_all(args)
    print(report(args, command, facts, cells), flush=True)

    if args.json is not None:
        raw = {
            "command": command,
            "machine": facts,
            "settings": {
                "sizes": args.sizes,
                "k_percent": K_PERCENT,
                "repeat": args.repeat,
                "timeout_s": args.timeout,
                "skip_consistent_sampler_above": args.skip_consistent_sampler_above,
                "seed": SEED_HEX,
                "scope": SCOPE,
                "label_example": make_labels(1)[0],
            },
            "cells": [cell.to_dict() for cell in cells.values()],
        }
        args.json.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
        _progress(f"raw figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
