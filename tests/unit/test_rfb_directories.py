"""rfb_policy: importing the two directories from CSV and XLSX (issue 5, item 2)."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

import attrs
import openpyxl
import pytest
import rfc8785

from fairdraw import Population
from rfb_policy.files.directories import DirectoryImportError, read_inspectors, read_objects
from rfb_policy.model.directory import is_valid_uscc, objects_population

EXAMPLE = Path(__file__).parents[2] / "examples" / "xicheng"
OBJECT_HEADER = [
    "编号",
    "编号类型",
    "名称",
    "适用事项",
    "在建",
    "投诉举报次数",
    "通报问题次数",
    "不良记录次数",
    "严重违法违规",
    "立案号",
    "证据材料",
]
GOOD_USCC = "91350100M000100Y43"  # the example code of GB 32100-2015


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def test_uscc_check_character() -> None:
    assert is_valid_uscc(GOOD_USCC)
    assert not is_valid_uscc(GOOD_USCC[:-1] + "4")
    assert not is_valid_uscc("91350100M000100Y4")  # 17 characters
    assert not is_valid_uscc("91350100M000100I43")  # I is not in the alphabet


def test_the_example_directories_import() -> None:
    objects = read_objects(EXAMPLE / "objects.csv")
    assert len(objects) == 300
    assert sum(o.under_construction for o in objects) == 6
    assert [o.id for o in objects if o.open_case] == [objects[40].id, objects[176].id]
    inspectors = read_inspectors(EXAMPLE / "inspectors.csv", object_ids=[o.id for o in objects])
    assert len(inspectors) == 13
    assert {i.post for i in inspectors} == {"A", "B"}
    assert not inspectors[-1].certified_on(date(2026, 11, 3))
    population, attributes = objects_population(objects)
    assert isinstance(population, Population) and len(population) == 300
    assert attributes[objects[0].id]["items"] == ["QUAL"]


def test_every_problem_is_reported_and_nothing_imported(tmp_path: Path) -> None:
    rows = [
        OBJECT_HEADER,
        [GOOD_USCC, "统一社会信用代码", "甲单位", "MAINT", "否", "0", "0", "0", "否", "", ""],
        [
            GOOD_USCC[:-1] + "4",
            "统一社会信用代码",
            "乙单位",
            "MAINT",
            "否",
            "0",
            "0",
            "0",
            "否",
            "",
            "",
        ],
        ["P-1", "项目编号", "", "FIRE", "也许", "x", "0", "0", "否", "", ""],
        ["P-2", "门牌号", "丁", "USE", "否", "0", "0", "0", "否", "立字1号", ""],
        [GOOD_USCC, "统一社会信用代码", "甲单位重复", "USE", "否", "0", "0", "0", "否", "", ""],
    ]
    with pytest.raises(DirectoryImportError) as info:
        read_objects(write_csv(tmp_path / "objects.csv", rows))
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {
        (3, "编号"),  # check character
        (4, "名称"),  # empty
        (4, "适用事项"),  # unknown item
        (4, "在建"),  # not 是/否
        (4, "投诉举报次数"),  # not a number
        (5, "编号类型"),  # unknown id type
        (5, "证据材料"),  # case without evidence
        (6, "编号"),  # duplicate of row 2
    }
    assert "nothing was imported" in str(info.value) and "row 6, column 编号" in str(info.value)


def test_missing_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(DirectoryImportError, match="column 适用事项"):
        read_objects(
            write_csv(tmp_path / "o.csv", [["编号", "编号类型", "名称"], ["a", "项目编号", "b"]])
        )


def test_xlsx_with_english_headers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["name", "post", "certificate", "valid_from", "valid_until", "section", "conflicts"]
    )
    sheet.append(["张三", "A岗", "京执1", date(2024, 1, 1), date(2028, 12, 31), "工程管理科", ""])
    sheet.append(["李四", "C岗", "京执1", "2025-01-01", "2024-01-01", "", "unknown-object"])
    path = tmp_path / "inspectors.xlsx"
    book.save(path)
    with pytest.raises(DirectoryImportError) as info:
        read_inspectors(path, object_ids=["P-1"])
    assert {(p.row, p.column) for p in info.value.problems} == {
        (3, "岗位"),
        (3, "执法证号"),
        (3, "有效期至"),
        (3, "科室"),
        (3, "回避对象"),
    }
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "岗位", "执法证号", "有效期起", "有效期至", "科室", "回避对象"])
    sheet.append(["张三", "B岗", "京执9", date(2024, 1, 1), date(2028, 12, 31), "综合科", "P-1"])
    book.save(path)
    (only,) = read_inspectors(path, object_ids=["P-1"])
    assert (only.post, only.valid_from, only.conflicts) == ("B", date(2024, 1, 1), ("P-1",))


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(
        DirectoryImportError, match=r"missing\.csv: nothing was imported: file: not found"
    ):
        read_objects(tmp_path / "missing.csv")
    (tmp_path / "latin.csv").write_bytes(",".join(OBJECT_HEADER).encode() + b"\n\xff\xfe\xfd\n")
    with pytest.raises(DirectoryImportError, match="neither UTF-8 nor GB18030"):
        read_objects(tmp_path / "latin.csv")


def test_a_snapshot_commits_to_the_canonical_json_of_its_attributes() -> None:
    """Regression: the salt of a directory snapshot was the SHA-256 of ``json.dumps(sort_keys)``,
    which is not RFC 8785 (it sorts keys by code point, not by UTF-16 unit). Now it is
    ``SHA-256(JCS(attributes))``; for the office's directories, whose keys are ids and field
    names, the two agree, so every stored snapshot keeps its digest."""
    objects = read_objects(EXAMPLE / "objects.csv")
    population, attributes = objects_population(objects)
    assert population.salt == hashlib.sha256(rfc8785.dumps(attributes)).digest()
    legacy = json.dumps(attributes, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert population.salt == hashlib.sha256(legacy.encode()).digest()  # digests unchanged
    # Where the two forms differ (an id beyond the Basic Multilingual Plane beside one just
    # below it), the snapshot follows RFC 8785.
    odd = [attrs.evolve(objects[0], id="P-\U0001f600"), attrs.evolve(objects[1], id="P-\uff5e")]
    population, attributes = objects_population(odd)
    assert population.salt == hashlib.sha256(rfc8785.dumps(attributes)).digest()
    legacy = json.dumps(attributes, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert population.salt != hashlib.sha256(legacy.encode()).digest()
