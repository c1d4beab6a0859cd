"""One language a run (issue 12, item 6): what ``rfb`` prints in Chinese has no English prose, and
what it prints with ``--lang en`` no Chinese but the office's data (names, places, items, the
titles of official notices), over the demo, the citizen's and the office's checks, a tampered
publication, the calendar and common mistakes."""

from __future__ import annotations

import csv
import json
import os
import re
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


def _run(lang: str, *args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """``rfb --lang LANG ARGS`` as a real process: its exit status and all it printed."""
    done = subprocess.run(
        [sys.executable, "-c", CODE, "--lang", lang, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={**os.environ, "FAIRDRAW_LANG": lang, **(env or {})},
        timeout=120,
        check=False,
    )
    assert done.returncode != 1, done.stderr  # never an internal error
    return done.returncode, done.stdout + done.stderr


def rfb(lang: str, *args: str, cwd: Path) -> str:
    return _run(lang, *args, cwd=cwd)[1]


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


def _office(demo: tuple[str, Path, str], tmp_path: Path) -> tuple[str, Path, dict[str, str]]:
    """A copy of the demo's office folder (the steps below change it), and the key's
    passphrase."""
    lang, folder, _ = demo
    copy = tmp_path / "d"
    subprocess.run(["cp", "-r", str(folder), str(copy)], check=True)
    passphrase = (copy / "office.key.passphrase").read_text(encoding="utf-8").strip()
    return lang, copy, {"FAIRDRAW_KEY_PASSPHRASE": passphrase}


PEOPLE = ("王主任", "李副主任", "张三", "第1组", "科长", "风险标识", "也许")
"""The names the steps below type in, and a header and a cell of a file they import: data."""


def _in_one_language(printed: str, lang: str, expected: dict[str, str]) -> None:
    """One language alone, the expected words of it, and in Chinese real Chinese words beside
    the data (a test that passes because nothing was printed proves nothing)."""
    data = [*DATA, *PEOPLE]
    assert printed.strip()
    assert mixed_lines(printed, lang, data) == []
    assert expected[lang] in printed, printed
    if lang == "zh":
        bare = printed
        for value in sorted(data, key=len, reverse=True):
            bare = bare.replace(value, " ")
        assert re.search(r"[\u4e00-\u9fff]{2}", bare), printed


def test_the_office_s_steps_speak_one_language(demo: tuple[str, Path, str], tmp_path: Path) -> None:
    """approve, confirm-availability, result (and its refusals), publish and check-log, on the
    demo's office folder."""
    lang, office, env = _office(demo, tmp_path)
    record = json.loads((office / "publication" / "record.json").read_text(encoding="utf-8"))
    draw_id = record["draw_id"]
    picked = record["events"][-1]["event"]["body"]["results"][0]["selected"][0]["label"]

    def step(*args: str) -> tuple[int, str]:
        return _run(lang, *args, cwd=office, env=env)

    status, printed = step("approve", draw_id, "--leader", "王主任", "--actor", "张三")
    assert status == 0
    _in_one_language(printed, lang, {"zh": "王主任：同意（日志", "en": "王主任: approved (log"})
    status, printed = step("approve", draw_id, "--leader", "王主任", "--stand-in", "李副主任",
                           "--actor", "张三")  # fmt: skip
    assert status == 2
    _in_one_language(printed, lang, {"zh": "须提供 --authorisation", "en": "a stand-in needs"})
    status, printed = step("confirm-availability", "2026-01", "--section", "工程管理科",
                           "--confirmer", "科长")  # fmt: skip
    assert status == 7
    _in_one_language(printed, lang, {"zh": "抽取已经开始", "en": "the draw has started"})
    fine = ("--category", "发现问题已责令改正", "--penalty-decision", "西人防罚〔2026〕1号")
    status, printed = step("result", draw_id, picked, *fine, "--penalty-amount", "5000.5",
                           "--actor", "第1组")  # fmt: skip
    assert status == 3
    _in_one_language(
        printed,
        lang,
        {"zh": "错误：罚款金额（--penalty-amount）：“5000.5”不是整数元",
         "en": "Error: fine (--penalty-amount): '5000.5' is not a whole number of yuan"},
    )  # fmt: skip
    status, printed = step("result", draw_id, "nobody", "--category", "未发现问题",
                           "--actor", "第1组")  # fmt: skip
    assert status == 7
    _in_one_language(printed, lang, {"zh": "不是抽取", "en": "is not an object the draw"})
    status, printed = step("result", draw_id, picked, "--category", "未发现问题",
                           "--actor", "第1组")  # fmt: skip
    assert status == 0
    _in_one_language(printed, lang, {"zh": "的检查结果", "en": "Recorded the result of"})
    status, printed = step("publish", draw_id, "--out", str(tmp_path / "pub"))
    assert status == 0
    _in_one_language(printed, lang, {"zh": "审计用浏览器核验页", "en": "browser check"})
    status, printed = step("check-log")
    assert status == 0
    _in_one_language(printed, lang, {"zh": "审计日志完整", "en": "Audit log intact"})


def test_a_directory_s_problems_speak_one_language(
    demo: tuple[str, Path, str], tmp_path: Path
) -> None:
    """rfb import: every problem where it is and what to do, in the run's language (the
    columns' names, the file's own headers, stay as written)."""
    lang, office, env = _office(demo, tmp_path)
    header = (ROOT / "examples" / "xicheng" / "objects.csv").read_text(encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        header.splitlines()[0] + "\n"
        "XC-RF-9-001,项目编号,甲（虚构）,FIRE,是,0,0,0,否,,\n"
        "XC-RF-9-002,项目编号,,QUAL,也许,①,0,0,否,,\n",
        encoding="utf-8",
    )
    status, printed = _run(lang, "import", "objects", str(bad), "--actor", "张三", cwd=office,
                           env=env)  # fmt: skip
    assert status == 3
    _in_one_language(
        printed,
        lang,
        {"zh": "第 2 行，适用事项 列（D2）：“FIRE”不是双随机抽查事项",
         "en": "row 2, column 适用事项 (D2): 'FIRE' is not an item drawn at random"},
    )  # fmt: skip
    assert ("未导入任何数据" if lang == "zh" else "nothing was imported") in printed
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(header.splitlines()[0] + ",风险标识\n", encoding="utf-8")
    status, printed = _run(lang, "import", "objects", str(unknown), "--actor", "张三",
                           cwd=office, env=env)  # fmt: skip
    assert status == 3
    _in_one_language(
        printed,
        lang,
        {"zh": "第 1 行，风险标识 列（L1）：未知列名“风险标识”：风险由",
         "en": "row 1, column 风险标识 (L1): unknown column '风险标识': risk comes from"},
    )  # fmt: skip
    status, printed = _run(lang, "import", "objects", str(tmp_path / "none.csv"), "--actor",
                           "张三", cwd=office, env=env)  # fmt: skip
    assert status == 3
    _in_one_language(printed, lang, {"zh": "找不到该文件", "en": "file: not found"})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_that_cannot_be_written_is_told_in_the_run_s_language(
    lang: str, tmp_path: Path
) -> None:
    """The system's own words for a failed write are English: rfb names the file and says why
    in the run's language (here a file stands where the output's folder should be)."""
    (tmp_path / "afile").write_text("", encoding="utf-8")
    printed = rfb(lang, "import", "template", "objects", "--out", "afile/x.xlsx", cwd=tmp_path)
    assert (
        "错误：无法读写文件：afile：已存在" if lang == "zh" else "afile: it exists already"
    ) in printed
    assert mixed_lines(printed, lang, DATA) == []
