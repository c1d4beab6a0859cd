"""One language a run (issue 12, item 6): what ``rfb`` prints in Chinese has no English prose, and
what it prints with ``--lang en`` no Chinese but the office's data (names, places, items, the
titles of official notices), over the demo, the citizen's and the office's checks, a tampered
publication, the calendar and common mistakes."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from languages import english_prose, mixed_lines
from rfb_policy.model.results import RESULT_CATEGORIES
from rfb_policy.publish.disclosure import COLUMNS

ROOT = Path(__file__).parents[2]
CODE = "from rfb_policy.cli.main import main; main()"


def _data() -> list[str]:
    values = ["西城区人民防空办公室（演示）", "李某（演示）", "区司法局", "（虚构）"]
    values.append("国务院办公厅关于2027年部分节假日安排的通知")
    for path in (ROOT / "examples" / "xicheng").glob("*.csv"):
        with path.open(encoding="utf-8") as file:
            values += [cell for row in csv.reader(file) for cell in row if cell]
    values += list(RESULT_CATEGORIES) + [title for _, title in COLUMNS]
    items = json.loads((ROOT / "src/rfb_policy/data/items.json").read_text(encoding="utf-8"))
    for item in items["items"] if isinstance(items, dict) else items:
        values += [str(v) for v in item.values() if isinstance(v, str)]
    return values


DATA = _data()


def rfb(lang: str, *args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", CODE, "--lang", lang, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={**os.environ, "FAIRDRAW_LANG": lang},
        timeout=120,
        check=False,
    )
    assert done.returncode != 1, done.stderr  # never an internal error
    return done.stdout + done.stderr


@pytest.fixture(scope="module", params=["zh", "en"])
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, str]:
    lang = str(request.param)
    folder = tmp_path_factory.mktemp(f"demo-{lang}")
    printed = rfb(lang, "demo", "--out", "d", cwd=folder)
    return lang, folder / "d", printed


def test_the_detector_sees_a_mixed_line() -> None:
    assert mixed_lines("✓ 事件顺序：commitments, then beacons", "zh")
    assert mixed_lines("✓ order of the events: 承诺", "en")
    assert not mixed_lines(
        "✓ 种子：7a6a4c7c6369389198de2a69c162c89b6d：已由公告算出", "zh", ["1", "bd"]
    )
    assert english_prose("rfb verify d/publication --public-key d/office.key.pub") is None


def test_the_demo(demo: tuple[str, Path, str]) -> None:
    lang, _, printed = demo
    assert mixed_lines(printed, lang, DATA) == []


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param((), id="citizen"),
        pytest.param(("--internal", "d/draws/xicheng-demo-2026-01/internal"), id="internal"),
    ],
)
def test_rfb_verify(demo: tuple[str, Path, str], extra: tuple[str, ...]) -> None:
    lang, folder, _ = demo
    args = ("verify", "d/publication", "--public-key", "d/office.key.pub", *extra)
    assert mixed_lines(rfb(lang, *args, cwd=folder.parent), lang, DATA) == []


def test_rfb_verify_of_a_tampered_publication(demo: tuple[str, Path, str], tmp_path: Path) -> None:
    lang, folder, _ = demo
    copy = tmp_path / "d"
    subprocess.run(["cp", "-r", str(folder), str(copy)], check=True)
    results = copy / "publication" / "results.csv"
    results.write_text(
        results.read_text(encoding="utf-8").replace("未发现问题", "发现问题已责令改正", 1),
        encoding="utf-8",
    )
    printed = rfb(lang, "verify", "d/publication", "--public-key", "d/office.key.pub", cwd=tmp_path)
    assert "✗" in printed
    assert mixed_lines(printed, lang, DATA) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "args", [("month", "2026-03"), ("month", "2027-03"), ("items",), ("plan", "2026")]
)
def test_the_calendar_and_the_plan(lang: str, args: tuple[str, ...], tmp_path: Path) -> None:
    assert mixed_lines(rfb(lang, *args, cwd=tmp_path), lang, DATA) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("import", "objects"), id="missing-file"),
        pytest.param(("draw", "2026-01", "--leader", "张三", "--dice", "7"), id="bad-roll"),
        pytest.param(("month", "2026-13"), id="bad-month"),
        pytest.param(("publish", "--no-such-option"), id="unknown-option"),
    ],
)
def test_usage_errors_speak_the_run_s_language(
    lang: str, args: tuple[str, ...], tmp_path: Path
) -> None:
    """click's own words (Usage:, Error:, Invalid value, Missing argument) come from its catalogue."""
    printed = rfb(lang, *args, cwd=tmp_path)
    assert ("错误：" if lang == "zh" else "Error: ") in printed
    assert mixed_lines(printed, lang, DATA) == []
