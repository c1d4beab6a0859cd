"""``rfb import`` as a clerk uses it, as real processes: the template, filled in and imported;
wrong headers refused with the right ones named; a GBK CSV from Chinese Excel (issue 12, item 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from fairdraw import OfficeKey, open_store
from rfb_policy.files.layouts import INSPECTORS, OBJECTS

EXAMPLE = Path(__file__).parents[2] / "examples" / "xicheng"
PASSPHRASE = "correct horse battery"


def rfb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from rfb_policy.cli.main import main; main()", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE},
        cwd=cwd,
        timeout=60,
        check=False,
    )


@pytest.fixture
def office(tmp_path: Path) -> tuple[str, ...]:
    """--db and --key of a store in tmp_path."""
    OfficeKey.generate().save(tmp_path / "office.key", PASSPHRASE.encode())
    return ("--db", str(tmp_path / "office.db"), "--key", str(tmp_path / "office.key"))


def test_the_templates(tmp_path: Path) -> None:
    made = rfb("import", "template", "objects", "--out", "名录.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "rfb import objects 名录.xlsx" in made.stdout
    book = openpyxl.load_workbook(tmp_path / "名录.xlsx")
    assert book.sheetnames == ["检查对象名录", "说明"]
    sheet = book["检查对象名录"]
    assert [c.value for c in sheet[1]] == list(OBJECTS.headers) and sheet.max_row == 1
    assert all(c.comment is not None for c in sheet[1])  # a note on every header
    lists = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert lists["B2"].formula1 == '"统一社会信用代码,项目编号"' and lists["B2"].showErrorMessage
    assert lists["E2"].formula1 == lists["I2"].formula1 == '"是,否"'
    assert "西城区人防工程质量监督" in lists["D2"].formula1 and not lists["D2"].showErrorMessage
    assert lists["F2"].type == "whole" and lists["F2"].formula1 == "0"
    notes = [[c.value for c in row] for row in book["说明"].iter_rows()]
    explained = {row[0]: row for row in notes if row and row[0] in OBJECTS.headers}
    assert set(explained) == set(OBJECTS.headers)
    assert explained["在建"][6] == "是否在建" and explained["编号"][2] == "是"

    made = rfb("--lang", "en", "import", "template", "inspectors", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    sheet = openpyxl.load_workbook(tmp_path / "执法人员名录模板.xlsx").worksheets[0]
    assert [c.value for c in sheet[1]] == list(INSPECTORS.headers)
    lists = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert lists["B2"].formula1 == '"A岗,B岗"' and lists["D2"].type == "date"

    before = (tmp_path / "名录.xlsx").read_bytes()
    again = rfb("import", "template", "objects", "--out", "名录.xlsx", cwd=tmp_path)
    assert again.returncode == 3 and "已存在" in again.stderr
    assert (tmp_path / "名录.xlsx").read_bytes() == before  # never overwritten


@pytest.mark.parametrize("kind", ["objects", "inspectors"])
def test_import_template_as_the_issue_writes_it(tmp_path: Path, kind: str) -> None:
    """`rfb import --template KIND` is `rfb import template KIND`; `rfb import` alone is a usage
    error (exit 2) that shows the help."""
    made = rfb("import", "--template", kind, "--out", "t.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    headers = OBJECTS.headers if kind == "objects" else INSPECTORS.headers
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]
    assert [c.value for c in sheet[1]] == list(headers)
    bare = rfb("import", cwd=tmp_path)
    assert bare.returncode == 2 and "rfb import template" in bare.stderr
    both = rfb("import", "--template", kind, "objects", "x.csv", "--actor", "a", cwd=tmp_path)
    assert both.returncode == 2 and "--template" in both.stderr


def test_a_filled_in_template_imports(tmp_path: Path, office: tuple[str, ...]) -> None:
    for kind in ("objects", "inspectors"):
        assert (
            rfb("import", "template", kind, "--out", f"{kind}.xlsx", cwd=tmp_path).returncode == 0
        )
    book = openpyxl.load_workbook(tmp_path / "objects.xlsx")
    sheet = book.worksheets[0]
    sheet.append(
        ["91110102MA0001375J", "统一社会信用代码", "示例单位", "西城区人防工程维护管理监督检查"]
    )
    sheet.append(["XC-RF-1", "项目编号", "示例工程", "QUAL、USE", "是", 1, None, 0, "否"])
    book.save(tmp_path / "objects.xlsx")
    imported = rfb("import", "objects", "objects.xlsx", "--actor", "张三", *office, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "已导入 2 条检查对象" in imported.stdout
    assert "工作表“检查对象名录”" in imported.stdout
    book = openpyxl.load_workbook(tmp_path / "inspectors.xlsx")
    sheet = book.worksheets[0]
    sheet.append(
        ["张三", "A岗", "京执1", date(2024, 1, 1), date(2028, 12, 31), "综合科", "XC-RF-1"]
    )
    sheet.append(["李四", "B岗", "京执2", "2024/1/1", "2028年12月31日", "工程管理科"])
    book.save(tmp_path / "inspectors.xlsx")
    imported = rfb(
        "import", "inspectors", "inspectors.xlsx", "--actor", "张三", *office, cwd=tmp_path
    )
    assert imported.returncode == 0, imported.stderr
    with open_store(office[1]) as store:
        names = [s.name for s in store.snapshots("objects")] + [
            s.name for s in store.snapshots("inspectors")
        ]
        assert names == ["objects", "inspectors"]
        digest = store.snapshots("inspectors")[-1].digest
        attributes = store.population_attributes(digest)
    assert attributes["京执2"]["valid_until"] == "2028-12-31"
    assert attributes["京执1"]["conflicts"] == ["XC-RF-1"]


def test_wrong_headers_are_refused_naming_the_right_ones(
    tmp_path: Path, office: tuple[str, ...]
) -> None:
    assert rfb("import", "template", "objects", "--out", "o.xlsx", cwd=tmp_path).returncode == 0
    book = openpyxl.load_workbook(tmp_path / "o.xlsx")
    sheet = book.worksheets[0]
    sheet["E1"], sheet["L1"] = "风险标识", "在办案件"
    sheet.append(["XC-RF-1", "项目编号", "示例工程", "QUAL", "高", 0, 0, 0, "否", "", "", "是"])
    book.save(tmp_path / "o.xlsx")
    for lang, expected in (
        ("zh", "表头应为：编号、编号类型、名称、适用事项、在建"),
        ("en", "the header"),
    ):
        refused = rfb(
            "--lang", lang, "import", "objects", "o.xlsx", "--actor", "张三", *office, cwd=tmp_path
        )
        assert refused.returncode == 3
        assert expected in refused.stderr
    zh = rfb("import", "objects", "o.xlsx", "--actor", "张三", *office, cwd=tmp_path).stderr
    assert "o.xlsx（工作表“检查对象名录”） 有 4 处问题，未导入任何数据" in zh
    assert "第 1 行，风险标识 列（E1）：未知列名“风险标识”" in zh
    assert "第 1 行，在办案件 列（L1）" in zh and "第 1 行，在建 列：缺少“在建”列" in zh
    with open_store(office[1]) as store:
        assert store.snapshots("objects") == []  # nothing imported


def test_a_gbk_csv_from_chinese_excel_imports_and_says_so(
    tmp_path: Path, office: tuple[str, ...]
) -> None:
    text = (EXAMPLE / "objects.csv").read_text(encoding="utf-8").replace("\n", "\r\n")
    (tmp_path / "名录.csv").write_bytes(text.encode("gbk"))
    imported = rfb("import", "objects", "名录.csv", "--actor", "张三", *office, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "已导入 300 条检查对象" in imported.stdout and "CSV，GB18030 编码" in imported.stdout
    english = rfb(
        "--lang", "en", "import", "objects", "名录.csv", "--actor", "张三", *office, cwd=tmp_path
    )
    assert "as CSV in GB18030" in english.stdout
    digest = imported.stdout.split("快照摘要 ")[1].split()[0]
    utf8 = rfb(
        "import", "objects", str(EXAMPLE / "objects.csv"), "--actor", "张三", *office, cwd=tmp_path
    )
    assert utf8.returncode == 0 and "CSV，UTF-8 编码" in utf8.stdout
    assert digest in utf8.stdout  # the same directory, whatever its encoding
