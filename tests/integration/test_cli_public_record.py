"""``fairdraw verify --public-record ID=NUMBERS`` as a real process, on real record files: the
exit status and words when a public record's numbers match, differ, or are not given, and when
the option's value is not of the record."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from fairdraw_cli import run
from languages import mixed_lines
from lottery import KEYS, OFFICE_KEY, POPULATION, v2_record

VECTORS = Path(__file__).parents[1] / "vectors"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """record.json (v2, 福彩3D, witnessed), its population and the office's public key, and a
    record without public records (plain.json)."""
    work = tmp_path_factory.mktemp("public-record")
    (work / "record.json").write_text(json.dumps(v2_record(), ensure_ascii=False), "utf-8")
    (work / "objects.txt").write_text("".join(f"{label}\n" for label in POPULATION), "utf-8")
    (work / "office.key.pub").write_bytes(OFFICE_KEY.public.to_pem())
    plain = json.loads((VECTORS / "ceremony-v1.json").read_text(encoding="utf-8"))["record"]
    (work / "plain.json").write_text(json.dumps(plain, ensure_ascii=False), "utf-8")
    return work


def verify(folder: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    everything = ("--population", "objects.txt", "--public-key", "office.key.pub")
    return run("verify", "record.json", *everything, *args, cwd=folder, lang=lang)


def test_not_given_is_incomplete_and_says_what_to_compare(folder: Path) -> None:
    result = verify(folder)
    assert result.returncode == 8, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    at = lines.index("  – not checked  public records")
    assert lines[at - 2] == "  ✔ passed  public randomness"
    detail = lines[at + 1]
    for words in (
        "compare 'fc3d' (福彩3D 第2026124期 开奖号码, published by 中国福利彩票发行管理中心, "
        "drawn at 2026-05-12T13:15:00Z (2026-05-12 21:15:00 Beijing time))",
        "the office typed in 3 1 4 (in the seed: 1.3.4./",
        "Give them to check: --public-record fc3d=NUMBERS",
    ):
        assert words in detail, detail
    assert lines[-1].startswith("Result: INCOMPLETE") and "--public-record" in lines[-1]
    assert "PASSED" not in result.stdout
    zh = verify(folder, lang="zh")
    assert zh.returncode == 8 and "核验不完整" in zh.stdout.splitlines()[-1]
    assert "--public-record" in zh.stdout.splitlines()[-1]


@pytest.mark.parametrize("numbers", [KEYS["fc3d"], "3,1,4", "3 1 4", "03.01.04"])
def test_the_publishers_numbers_pass(folder: Path, numbers: str) -> None:
    result = verify(folder, "--public-record", f"fc3d={numbers}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  ✔ passed  public records" in result.stdout
    assert "'fc3d': the recorded numbers 1.3.4./ match the numbers you gave" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Result: PASSED")


def test_json_carries_the_check(folder: Path) -> None:
    given = json.loads(verify(folder, "--public-record", "fc3d=1.3.4./", "--json").stdout)
    assert given["verdict"] == "passed"
    names = [c["name"] for c in given["checks"]]
    assert names[names.index("public randomness") + 1] == "public records"
    unchecked = json.loads(verify(folder, "--json").stdout)
    assert unchecked["verdict"] == "incomplete"
    found = next(c for c in unchecked["checks"] if c["name"] == "public records")
    assert found["status"] == "not checked" and "--public-record fc3d=" in found["detail"]


def test_other_numbers_fail(folder: Path) -> None:
    result = verify(folder, "--public-record", "fc3d=3,1,5")
    assert result.returncode == 4, result.stdout + result.stderr
    assert "  ✘ FAILED  public records" in result.stdout
    assert (
        "the record holds 1.3.4./ (the office typed in 3 1 4), not the numbers you gave, "
        "1.3.5./" in result.stdout
    )
    assert result.stdout.splitlines()[-1].startswith("Result: verification FAILED")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--public-record", "fc3x=3,1,4"),
         "--public-record fc3x=3,1,4: 'fc3x': not a public-record source of draw "
         "'lottery-2026-05' (its public-record sources: 'fc3d')"),
        (("--public-record", "fc3d=3,1,x"),
         "--public-record fc3d=3,1,x: a public record's numbers are draws separated by '/', "
         "each of whole numbers separated by '.', ',' or spaces (the RFC 3797 key "
         "7.8.11./15.21./, or 7,8,11/15,21), not '3,1,x'"),
        (("--public-record", "fc3d"), "--public-record takes ID=NUMBERS, not 'fc3d'"),
        (("--public-record", "fc3d="), "--public-record takes ID=NUMBERS, not 'fc3d='"),
        (("--public-record", "=3,1,4"), "--public-record takes ID=NUMBERS, not '=3,1,4'"),
        (("--public-record", "fc3d=1.3.4./", "--public-record", "fc3d=1.3.4./"),
         "--public-record fc3d: given twice"),
    ],
)  # fmt: skip
def test_a_value_not_of_the_record_is_bad_input(
    folder: Path, args: tuple[str, ...], words: str
) -> None:
    result = verify(folder, *args)
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["Error: The input is invalid", f"  {words}"]


def test_a_record_without_public_records_keeps_its_verdict_and_refuses_one(folder: Path) -> None:
    plain = run("verify", "plain.json", "--json", cwd=folder)
    assert plain.returncode == 8, plain.stdout + plain.stderr
    assert "public records" not in [c["name"] for c in json.loads(plain.stdout)["checks"]]
    given = run("verify", "plain.json", "--public-record", "fc3d=1.3.4./", cwd=folder, lang="zh")
    assert given.returncode == 3
    assert given.stderr.splitlines()[0] == "错误：输入有误"
    assert "其公开记录随机源：无" in given.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("args", "status"),
    [((), 8), (("--public-record", "fc3d=3,1,4"), 0), (("--public-record", "fc3d=3,1,5"), 4),
     (("--public-record", "fc3x=3,1,4"), 3), (("--public-record", "fc3d=3,1,x"), 3)],
)  # fmt: skip
def test_the_check_speaks_one_language(
    folder: Path, lang: str, args: tuple[str, ...], status: int
) -> None:
    result = verify(folder, *args, lang=lang)
    assert result.returncode == status, result.stdout + result.stderr
    data = ("福彩3D 第2026124期 开奖号码", "中国福利彩票发行管理中心", "示例：西城区人防办（虚构）")
    data = (*data, *POPULATION)
    assert mixed_lines(result.stdout + result.stderr, lang, data) == []
    if status in {0, 4, 8}:
        assert ("公开记录" if lang == "zh" else "public records") in result.stdout
