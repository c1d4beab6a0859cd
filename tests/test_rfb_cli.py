"""The ``rfb`` command as a real process: Chinese by default, English with --lang en."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def rfb(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from rfb_policy.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ},
        timeout=60,
        check=False,
    )


def test_month_in_chinese_and_english() -> None:
    zh = rfb("month", "2026-10")
    assert zh.returncode == 0, zh.stderr
    assert "抽取日：2026-10-13" in zh.stdout and "顺延" in zh.stdout and "2026-10-23" in zh.stdout
    en = rfb("--lang", "en", "month", "2026-05", "--json")
    assert json.loads(en.stdout) == {
        "month": "2026-05",
        "draw_day": "2026-05-12",
        "moved": True,
        "results_due": "2026-05-25",
        "working_days_left": 9,
        "tight": False,
    }


def test_month_without_official_calendar_is_refused() -> None:
    result = rfb("month", "2027-03")
    assert result.returncode == 7
    assert "2027年放假安排尚未录入" in result.stderr


@pytest.mark.parametrize("bad", ["2026-13", "2026/05", "May"])
def test_month_format(bad: str) -> None:
    assert rfb("month", bad).returncode == 2


def test_items() -> None:
    result = rfb("items")
    assert result.returncode == 0
    assert "西城区人防通信警报检查" in result.stdout and "动态原因" in result.stdout
    data = json.loads(rfb("items", "--json").stdout)
    assert [i["code"] for i in data["items"] if i["random"]] == ["QUAL", "MAINT", "USE", "COMM"]
    assert {i["ratio"] for i in data["items"] if i["random"]} == {"100%", "15%"}
