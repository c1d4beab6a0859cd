"""Benchmark ``rfb import objects``: reading a directory of 10^5 objects, beside the old reader.

It writes the same directory four ways (a UTF-8 CSV; the CSV in GBK, as Excel on Chinese
Windows saves it; a workbook written by openpyxl, whose strings are inline; a workbook as
Excel writes it, with shared strings) and times, in one run, on each file:

* **read**: ``read_objects(FILE)``, the file to checked objects;
* **import**: what ``rfb import objects`` does after that: the snapshot (its digest commits
  to every attribute) saved and logged in a fresh SQLite store.

The baseline is the reader as it was before (``src/rfb_policy/files/directories.py`` at
``--baseline REV``, taken from git), on the same files. Run from the repository root::

    .venv/bin/python benchmarks/bench_import.py               # 10^5 objects
    .venv/bin/python benchmarks/bench_import.py --rows 20000 --repeat 3

It prints one Markdown table (best of ``--repeat``); nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib.util
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))

import openpyxl

from excel_files import write_excel_style
from fairdraw import OfficeKey, open_store
from rfb_policy.files.directories import read_objects
from rfb_policy.files.layouts import OBJECTS
from rfb_policy.files.tables import paused_gc
from rfb_policy.model.directory import USCC_CHARS, objects_population

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "4dbef14"  # the last commit before the reader of issue 12, item 3


def uscc(n: int) -> str:
    body = f"91110102MA{n:07d}"
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]


def directory(rows: int) -> list[list[Any]]:
    """A directory of ``rows`` objects, half units and half projects, counts as numbers."""
    made: list[list[Any]] = [list(OBJECTS.headers)]
    for n in range(rows):
        if n % 2:
            made.append(
                [uscc(n), "统一社会信用代码", f"示例单位{n}", "MAINT、USE", "否", n % 3, 0, 0]
            )
        else:
            made.append([f"XC-RF-{n:06d}", "项目编号", f"示例工程{n}", "QUAL", "是", 0, 1, 0])
        made[-1] += ["否", "", ""]
    return made


def write_files(folder: Path, rows: list[list[Any]]) -> dict[str, Path]:
    files = {}
    for name, encoding in (("CSV, UTF-8", "utf-8"), ("CSV, GBK", "gbk")):
        path = folder / f"objects-{encoding}.csv"
        with path.open("w", encoding=encoding, newline="") as stream:
            csv.writer(stream).writerows(rows)
        files[name] = path
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    files["XLSX, openpyxl"] = folder / "objects-openpyxl.xlsx"
    book.save(files["XLSX, openpyxl"])
    files["XLSX, as Excel"] = write_excel_style(folder / "objects-excel.xlsx", [("名录", rows)])
    return files


def baseline_reader(revision: str) -> ModuleType:
    """The old ``rfb_policy.files.directories``, from git, as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{revision}:src/rfb_policy/files/directories.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    spec = importlib.util.spec_from_loader("baseline_directories", loader=None)
    if spec is None:
        raise SystemExit("cannot make a module for the baseline")
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{revision}:directories.py", "exec"), module.__dict__)  # noqa: S102
    return module


def best(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return min(times), result


def imported(
    read: Callable[[Path], list[Any]], path: Path, folder: Path, key: OfficeKey, *, now: bool
) -> int:
    """What Office.import_objects does: read, snapshot, store (the collector paused for the
    snapshot as it is ``now``; the old office did not pause it)."""
    objects = read(path)
    database = folder / f"bench-{time.perf_counter_ns()}.db"
    with paused_gc() if now else contextlib.nullcontext(), open_store(str(database)) as store:
        population, attributes = objects_population(objects)
        store.save_population(
            population, name="objects", actor="bench", key=key, attributes=attributes
        )
    database.unlink()
    return len(objects)


def seconds(call: Callable[[], Any], repeat: int) -> str:
    try:
        spent, _ = best(call, repeat)
    except Exception as err:  # the old reader refuses a GBK file: say how
        return f"refused ({type(err).__name__})"
    return f"{spent:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the old reader")
    args = parser.parse_args()
    old = baseline_reader(args.baseline)
    key = OfficeKey.generate()
    print(
        f"{args.rows:,} objects, best of {args.repeat}; Python {platform.python_version()}, "
        f"openpyxl {openpyxl.__version__}; baseline {args.baseline}\n"
    )
    print("| file | size MB | read s | read s (baseline) | import s | import s (baseline) |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        for name, path in write_files(folder, directory(args.rows)).items():
            cells = [
                seconds(lambda p=path: read_objects(p), args.repeat),
                seconds(lambda p=path: old.read_objects(p), args.repeat),
                seconds(
                    lambda p=path: imported(read_objects, p, folder, key, now=True), args.repeat
                ),
                seconds(
                    lambda p=path: imported(old.read_objects, p, folder, key, now=False),
                    args.repeat,
                ),
            ]
            size = path.stat().st_size / 1e6
            print(f"| {name} | {size:.1f} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
