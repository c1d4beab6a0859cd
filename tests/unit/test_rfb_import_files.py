"""rfb_policy: directory files a clerk makes, as they really come (issue 12, item 3).

Every file here is a real one written in tmp_path: CSVs in UTF-8, GBK and GB18030, workbooks
written by openpyxl (inline strings, formulas without values) and as Excel writes them (shared
strings, formulas with their results, dates as styled serial numbers).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from excel_files import Formula, Serial, serial_of, write_excel_style
from fairdraw import speaking
from rfb_policy.files.directories import (
    DirectoryImportError,
    Problem,
    load_inspectors,
    load_objects,
    read_inspectors,
    read_objects,
)
from rfb_policy.files.layouts import INSPECTORS, OBJECTS
from rfb_policy.files.messages import MESSAGES
from rfb_policy.files.xlsx import Workbook
from rfb_policy.i18n import _

HEADER = list(OBJECTS.headers)
PEOPLE = list(INSPECTORS.headers)
USCC = "91350100M000100Y43"  # the example code of GB 32100-2015


def obj(identifier: str = "P-1", **changes: object) -> list[object]:
    """A good objects row (a project), with some cells changed by header."""
    row: dict[str, object] = dict(
        zip(HEADER, [identifier, "项目编号", "甲工程", "MAINT"], strict=False)
    )
    row.update(changes)
    return [row.get(h) for h in HEADER]


def person(certificate: str = "京执1", **changes: object) -> list[object]:
    good = ["张三", "A岗", certificate, "2024-01-01", "2028-12-31", "工程管理科", ""]
    row = dict(zip(PEOPLE, good, strict=True))
    row.update(changes)
    return [row[h] for h in PEOPLE]


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows(["" if c is None else c for c in row] for row in rows)
    return path


def write_xlsx(path: Path, *sheets: tuple[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def problems(call: object, *args: object, **kwargs: object) -> list[Problem]:
    with pytest.raises(DirectoryImportError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    return list(info.value.problems)


def where(found: list[Problem]) -> set[tuple[int | None, str, str]]:
    return {(p.row, p.column, p.code) for p in found}


@pytest.fixture(autouse=True)
def in_chinese() -> Iterator[None]:
    """The problems are worded in the run's language: the office's, Chinese, unless a test
    says otherwise."""
    with speaking("zh"):
        yield


# -- messages --------------------------------------------------------------------------------


def test_every_message_has_the_same_fields_in_both_languages() -> None:
    for code, en in MESSAGES.items():
        with speaking("zh"):
            zh = _(en)
        fields = [set(re.findall(r"{(\w+)", text)) for text in (zh, en)]
        assert fields[0] == fields[1], code
        assert re.search(r"[\u4e00-\u9fff]", zh) and zh != en, code


# -- columns ---------------------------------------------------------------------------------


def test_the_testers_file_is_refused_naming_every_unknown_column(tmp_path: Path) -> None:
    """是否在建 is read as 在建; 风险标识 and 在办案件 are refused, each with what to do, and the
    expected headers are named: before, 43 objects were imported with all three ignored."""
    header = [h if h != "在建" else "是否在建" for h in HEADER] + ["风险标识", "在办案件"]
    rows = [header, [*obj("P-1", 在建="是"), "高", "是"]]
    found = problems(read_objects, write_csv(tmp_path / "o.csv", rows))
    assert where(found) == {
        (1, "风险标识", "column.unknown"),
        (1, "在办案件", "column.unknown"),
        (1, "-", "header.expected"),
    }
    by_code = {p.column: p for p in found}
    assert by_code["风险标识"].letter == "L" and by_code["在办案件"].cell == "M1"
    assert "投诉举报次数" in by_code["风险标识"].reason  # risk comes from four columns
    assert "立案号" in by_code["在办案件"].reason
    expected = by_code["-"].reason
    assert "、".join(HEADER) in expected and "rfb import template objects" in expected
    header = header[:-2]
    (only,) = read_objects(write_csv(tmp_path / "o.csv", [header, obj("P-1", 在建="是")]))
    assert only.under_construction


def test_a_missing_column_is_refused_never_read_as_empty(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "在建"]
    rows = [header, [c for h, c in zip(HEADER, obj(), strict=True) if h != "在建"]]
    found = problems(read_objects, write_csv(tmp_path / "o.csv", rows))
    assert where(found) == {(1, "在建", "column.missing"), (1, "-", "header.expected")}
    assert "是否在建" in found[0].reason  # the synonym is named


def test_unknown_headers_get_a_hint_but_are_never_guessed(tmp_path: Path) -> None:
    header = [h if h != "投诉举报次数" else "投诉举报次数（次）" for h in HEADER] + ["备注"]
    found = problems(read_objects, write_csv(tmp_path / "o.csv", [header, [*obj(), "已停工"]]))
    reasons = {p.column: p.reason for p in found if p.code == "column.unknown"}
    assert set(reasons) == {"投诉举报次数（次）", "备注"}
    assert "是否指“投诉举报次数”" in reasons["投诉举报次数（次）"]
    assert "备注不导入" in reasons["备注"]
    assert (1, "投诉举报次数", "column.missing") in where(found)


def test_synonyms_english_headers_and_a_row_number(tmp_path: Path) -> None:
    header = ["序号", "统一社会信用代码", "单位名称", "检查事项", "是否在建"]
    header += ["complaints", "reported_problems", "bad_records", "是否严重违法违规", "案号"]
    header += ["证据材料编号"]
    with pytest.raises(DirectoryImportError) as info:  # 案号 is no synonym (a court's too)
        read_objects(write_csv(tmp_path / "o.csv", [header]))
    assert {p.column for p in info.value.problems if p.code == "column.unknown"} == {"案号"}
    header[-2] = "立案编号"
    rows = [header, ["1", USCC.lower(), "甲单位", "USE", "否", "2", "", "0", "", "", ""]]
    rows.append(["2", "", "", "", "", "", "", "", "", "", ""])  # a row number alone: empty
    read = load_objects(write_csv(tmp_path / "o.csv", rows))
    (only,) = read.entries
    assert (only.id, only.id_type, only.name, only.complaints) == (USCC, "uscc", "甲单位", 2)
    assert read.source.encoding == "UTF-8" and read.source.header_row == 1


def test_a_header_that_says_the_id_type_must_agree_with_the_rows(tmp_path: Path) -> None:
    header = ["统一社会信用代码" if h == "编号" else h for h in HEADER]
    rows = [header, obj(USCC, 编号类型="统一社会信用代码"), obj("P-2")]
    rows[1][0], rows[2][0] = USCC, "P-2"
    found = problems(read_objects, write_csv(tmp_path / "o.csv", rows))
    assert where(found) == {(3, "编号类型", "id_type.column")}
    assert "统一社会信用代码" in found[0].reason and found[0].value == "项目编号"


def test_two_columns_for_one_field_are_refused(tmp_path: Path) -> None:
    """A project list with the builder's 统一社会信用代码 beside the 项目编号: which is the
    object's id cannot be told, so neither is taken."""
    header = ["项目编号" if h == "编号" else h for h in HEADER] + ["统一社会信用代码"]
    found = problems(read_objects, write_csv(tmp_path / "o.csv", [header, [*obj(), USCC]]))
    assert (1, "统一社会信用代码", "column.twice") in where(found)


def test_values_under_no_header_are_refused_once_per_column(tmp_path: Path) -> None:
    rows = [[*HEADER, ""], [*obj("P-1"), "看这里"], [*obj("P-2"), "还有"], [*obj("P-3"), "", "x"]]
    found = problems(read_objects, write_csv(tmp_path / "o.csv", rows))
    assert {(p.row, p.letter, p.code) for p in found} == {
        (2, "L", "column.no_header"),
        (4, "M", "column.no_header"),
    }


def test_a_gap_in_the_header_over_short_rows(tmp_path: Path) -> None:
    """A workbook leaves a row's trailing empty cells out: rows shorter than the header."""
    header = [*HEADER[:4], None, *HEADER[4:]]
    rows = [header, ["P-1", "项目编号", "甲", "MAINT"], ["P-2", "项目编号", "乙", "USE", "x"]]
    found = problems(read_objects, write_xlsx(tmp_path / "o.xlsx", ("名录", rows)))
    assert {(p.row, p.letter, p.code, p.value) for p in found} == {
        (3, "E", "column.no_header", "x")
    }


def test_the_wrong_directory_is_named(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", [PEOPLE, person()])
    (found,) = problems(read_objects, path)
    assert found.code == "header.other_kind" and "rfb import inspectors" in found.reason


def test_a_file_separated_by_tabs_or_semicolons_gets_advice(tmp_path: Path) -> None:
    for separator in ("\t", ";"):
        (tmp_path / "o.csv").write_text(separator.join(HEADER) + "\n", encoding="utf-8")
        (found,) = problems(read_objects, tmp_path / "o.csv")
        assert found.code == "file.separator" and "CSV UTF-8" in found.reason


# -- title rows, sheets ----------------------------------------------------------------------


def test_a_title_row_above_the_header_is_passed_over_and_said(tmp_path: Path) -> None:
    rows = [["西城区人防工程名录（2026年）"], ["制表：综合科", "2026-01-05"], HEADER, obj()]
    read = load_objects(write_xlsx(tmp_path / "o.xlsx", ("名录", rows)))
    assert len(read.entries) == 1 and read.source.header_row == 3
    rows.insert(1, ["P-0", "项目编号", "乙工程", "USE"])  # data above the header: refused
    found = problems(read_objects, write_xlsx(tmp_path / "o.xlsx", ("名录", rows)))
    assert where(found) == {(2, "-", "header.above")}


def test_a_title_over_an_unrecognisable_header_says_so(tmp_path: Path) -> None:
    rows = [["西城区人防工程名录"], ["代码", "类型", "单位"], ["P-1", "项目编号", "甲"]]
    found = problems(read_objects, write_xlsx(tmp_path / "o.xlsx", ("名录", rows)))
    assert [p.code for p in found] == ["header.title", "header.expected"]
    assert "第 1 行不是表头" in found[0].reason and "row" not in found[0].reason
    with speaking("en"):
        found = problems(read_objects, tmp_path / "o.xlsx")
        assert found[0].shown() == f"row 1: {found[0].reason}"
    assert found[0].reason.startswith("row 1 is not the header") and "表头" not in found[0].reason


def test_the_first_sheet_with_content_is_read_and_named(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "o.xlsx", ("Sheet1", []), ("名录", [HEADER, obj()]))
    read = load_objects(path)
    assert (read.source.sheet, read.source.empty_sheets) == ("名录", ("Sheet1",))
    path = write_xlsx(tmp_path / "o.xlsx", ("名录", [HEADER, obj()]), ("2025", [HEADER, obj()]))
    assert load_objects(path).source.other_sheets == ("2025",)
    path = write_xlsx(tmp_path / "o.xlsx", ("Sheet1", []), ("Sheet2", [[None, None]]))
    (found,) = problems(read_objects, path)
    assert found.code == "sheet.none" and "“Sheet1”、“Sheet2”" in found.reason


def test_a_hidden_sheet_is_never_read(tmp_path: Path) -> None:
    sheets = [("旧名录", [HEADER, obj("OLD")]), ("名录", [HEADER, obj("NEW")])]
    path = write_excel_style(tmp_path / "o.xlsx", sheets, hidden=["旧名录"])
    assert [o.id for o in read_objects(path)] == ["NEW"]


def test_files_are_told_by_their_content(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "o.xlsx", ("名录", [HEADER, obj()]))
    misnamed = tmp_path / "名录.csv"
    misnamed.write_bytes(workbook.read_bytes())
    assert load_objects(misnamed).source.format == "xlsx"
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (found,) = problems(read_objects, old)
    assert found.code == "file.xls" and ".xlsx" in found.reason
    (tmp_path / "text.xlsx").write_text("编号\n", encoding="utf-8")
    assert problems(read_objects, tmp_path / "text.xlsx")[0].code == "file.not_xlsx"
    assert problems(read_objects, tmp_path / "missing.csv")[0].code == "file.missing"
    assert problems(read_objects, tmp_path)[0].code == "file.folder"


# -- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_encodings_are_read_and_said(tmp_path: Path, encoding: str) -> None:
    rows = [HEADER, obj("P-1", 名称="德胜门人防工程（示例）"), obj("P-2", 名称="𠀀字号")]
    if encoding == "gbk":
        rows.pop()  # GBK has no 𠀀; GB18030 has every character
    read = load_objects(write_csv(tmp_path / "o.csv", rows, encoding))
    assert read.entries[0].name == "德胜门人防工程（示例）"
    names = {"gbk": "GB18030", "gb18030": "GB18030", "utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)"}
    assert read.source.encoding == names[encoding]


def test_bytes_of_no_known_encoding_are_refused_with_advice(tmp_path: Path) -> None:
    data = "\n".join([",".join(HEADER), "P-1,项目编号,甲,MAINT"]).encode("gbk") + b"\xff\xfe\n"
    (tmp_path / "o.csv").write_bytes(data)
    (found,) = problems(read_objects, tmp_path / "o.csv")
    assert found.code == "file.encoding" and "CSV UTF-8" in found.reason
    assert "第 2 行" in found.reason
    (tmp_path / "o.csv").write_bytes(",".join(HEADER).encode("utf-16"))
    assert problems(read_objects, tmp_path / "o.csv")[0].code == "file.utf16"


# -- items -----------------------------------------------------------------------------------


def test_items_by_code_or_name_with_chinese_separators(tmp_path: Path) -> None:
    cells = [
        "qual",
        "西城区人防工程维护管理监督检查、USE",
        "人防工程使用安全监督检查，COMM",
        "MAINT；西城区人防通信警报检查; USE",
        "ＭＡＩＮＴ,MAINT",
    ]
    rows = [HEADER, *(obj(f"P-{n}", 适用事项=c) for n, c in enumerate(cells))]
    objects = read_objects(write_csv(tmp_path / "o.csv", rows))
    assert [o.items for o in objects] == [
        ("QUAL",),
        ("MAINT", "USE"),
        ("USE", "COMM"),
        ("MAINT", "COMM", "USE"),
        ("MAINT",),
    ]


def test_an_item_not_drawn_or_unknown_is_refused_saying_why(tmp_path: Path) -> None:
    rows = [HEADER, obj("P-1", 适用事项="MAINT、西城区人防工程验收备案情况的检查")]
    rows.append(obj("P-2", 适用事项="消防检查"))
    found = problems(read_objects, write_csv(tmp_path / "o.csv", rows))
    assert where(found) == {(2, "适用事项", "items.excluded"), (3, "适用事项", "items.unknown")}
    assert found[0].value == "西城区人防工程验收备案情况的检查" and "动态原因" in found[0].reason
    assert "QUAL（西城区人防工程质量监督）" in found[1].reason


# -- dates -----------------------------------------------------------------------------------


def test_dates_in_the_forms_chinese_offices_write(tmp_path: Path) -> None:
    forms = [
        "2024-01-01",
        "2024/1/1",
        "2024.1.1",
        "2024年1月1日",
        "2024年01月01日",
        "２０２４／１／１",
    ]
    rows = [PEOPLE, *(person(f"京执{n}", 有效期起=f) for n, f in enumerate(forms))]
    rows.append(person("京执serial", 有效期起=str(serial_of(date(2024, 1, 1)))))
    inspectors = read_inspectors(write_csv(tmp_path / "p.csv", rows))
    assert {i.valid_from for i in inspectors} == {date(2024, 1, 1)}


def test_excel_dates_and_serial_numbers(tmp_path: Path) -> None:
    rows = [
        PEOPLE,
        person("a", 有效期起=date(2024, 1, 1), 有效期至=datetime(2028, 12, 31, 0, 0)),
        person("b", 有效期起=serial_of(date(2024, 1, 1)), 有效期至="2028/12/31"),
    ]
    assert {
        i.valid_from for i in read_inspectors(write_xlsx(tmp_path / "p.xlsx", ("人员", rows)))
    } == {date(2024, 1, 1)}
    styled = [PEOPLE, person("c", 有效期起=Serial(serial_of(date(2024, 1, 1)), 31))]
    (only,) = read_inspectors(write_excel_style(tmp_path / "e.xlsx", [("人员", styled)]))
    assert only.valid_from == date(2024, 1, 1)
    mac = [PEOPLE, person("d", 有效期起=Serial(serial_of(date(2024, 1, 1)) - 1462))]
    (only,) = read_inspectors(
        write_excel_style(tmp_path / "m.xlsx", [("人员", mac)], epoch_1904=True)
    )
    assert only.valid_from == date(2024, 1, 1)


def test_impossible_dates_are_refused_by_cell(tmp_path: Path) -> None:
    rows = [
        PEOPLE,
        person("a", 有效期起="2024/2/30"),
        person("b", 有效期至="2024-13-01"),
        person("c", 有效期起="24/1/1"),
        person("d", 有效期起="2024"),
        person("e", 有效期至="2023-12-31"),
        person("f", 有效期起=""),
    ]
    found = problems(read_inspectors, write_csv(tmp_path / "p.csv", rows))
    assert {(p.row, p.column, p.code, p.value) for p in found} == {
        (2, "有效期起", "date.impossible", "2024/2/30"),
        (3, "有效期至", "date.bad", "2024-13-01"),
        (4, "有效期起", "date.bad", "24/1/1"),
        (5, "有效期起", "date.bad", "2024"),
        (6, "有效期至", "date.order", "2023-12-31"),
        (7, "有效期起", "cell.empty", ""),
    }
    assert "2024 年 2 月没有 30 日" in found[0].reason and found[0].field == "valid_from"
    rows = [PEOPLE, person("a", 有效期起=60), person("b", 有效期起=2024)]
    found = problems(read_inspectors, write_xlsx(tmp_path / "p.xlsx", ("人员", rows)))
    assert where(found) == {(2, "有效期起", "date.serial"), (3, "有效期起", "date.serial")}
    assert "1905-07-16" in found[1].reason  # what 2024 would have meant as a serial


# -- counts, flags ---------------------------------------------------------------------------


def test_counts_are_whole_numbers_by_cell(tmp_path: Path) -> None:
    rows = [
        HEADER,
        obj("P-1", 投诉举报次数="①"),
        obj("P-2", 通报问题次数="-1"),
        obj("P-3", 不良记录次数="1.5"),
        obj("P-4", 投诉举报次数="３", 通报问题次数="", 不良记录次数=" 2 "),
        obj("P-5", 投诉举报次数="两次"),
    ]
    found = problems(read_objects, write_csv(tmp_path / "o.csv", rows))
    assert {(p.row, p.column, p.code, p.value) for p in found} == {
        (2, "投诉举报次数", "count.bad", "①"),
        (3, "通报问题次数", "count.negative", "-1"),
        (4, "不良记录次数", "count.decimal", "1.5"),
        (6, "投诉举报次数", "count.bad", "两次"),
    }
    assert "“①”不是次数" in found[0].reason and found[0].cell == "F2"
    rows = [HEADER, obj("P-4", 投诉举报次数="３", 不良记录次数=" 2 ")]
    (good,) = read_objects(write_csv(tmp_path / "o.csv", rows))
    assert (good.complaints, good.reported_problems, good.bad_records) == (3, 0, 2)


def test_count_cells_of_a_workbook(tmp_path: Path) -> None:
    rows = [
        HEADER,
        obj("P-1", 投诉举报次数=2, 通报问题次数=2.0),
        obj("P-2", 投诉举报次数=2.5),
        obj("P-3", 投诉举报次数=-3),
        obj("P-4", 投诉举报次数=datetime(2026, 1, 2)),  # 1-2 typed, taken for a date
        obj("P-5", 投诉举报次数=True),
    ]
    found = problems(read_objects, write_xlsx(tmp_path / "o.xlsx", ("名录", rows)))
    assert where(found) == {
        (3, "投诉举报次数", "count.decimal"),
        (4, "投诉举报次数", "count.negative"),
        (5, "投诉举报次数", "count.date"),
        (6, "投诉举报次数", "count.bad"),
    }


def test_flags(tmp_path: Path) -> None:
    rows = [
        HEADER,
        obj("P-1", 在建="是", 严重违法违规="Ｙ"),
        obj("P-2", 在建=True, 严重违法违规=False),
    ]
    rows.append(obj("P-3", 在建="也许"))
    found = problems(read_objects, write_xlsx(tmp_path / "o.xlsx", ("名录", rows)))
    assert {(p.row, p.code, p.value) for p in found} == {(4, "flag.bad", "也许")}
    objects = read_objects(write_xlsx(tmp_path / "o.xlsx", ("名录", rows[:3])))
    assert [(o.under_construction, o.serious_violation) for o in objects] == [
        (True, True),
        (True, False),
    ]


# -- formulas, errors, long codes ------------------------------------------------------------


def test_a_formula_without_a_value_is_refused_not_read_as_zero(tmp_path: Path) -> None:
    """openpyxl saves formulas without their results; before, such a risk flag read as 0."""
    rows = [HEADER, obj("P-1", 投诉举报次数="=1+1", 严重违法违规='=IF(1>0,"是","否")')]
    found = problems(read_objects, write_xlsx(tmp_path / "o.xlsx", ("名录", rows)))
    assert {(p.row, p.column, p.code, p.value) for p in found} == {
        (2, "投诉举报次数", "cell.formula", "=1+1"),
        (2, "严重违法违规", "cell.formula", '=IF(1>0,"是","否")'),
    }
    assert "没有计算结果" in found[0].reason


def test_a_formula_saved_with_its_value_is_read_as_the_value(tmp_path: Path) -> None:
    rows = [HEADER, obj("P-1", 投诉举报次数=Formula("=1+1", 2), 严重违法违规=Formula("=A1", "是"))]
    rows.append(obj("P-2", 投诉举报次数=Formula("=1/0")))
    found = problems(read_objects, write_excel_style(tmp_path / "o.xlsx", [("名录", rows)]))
    assert where(found) == {(3, "投诉举报次数", "cell.formula")}
    (only,) = read_objects(write_excel_style(tmp_path / "o.xlsx", [("名录", rows[:2])]))
    assert (only.complaints, only.serious_violation) == (2, True)


def test_error_values_and_codes_excel_turned_into_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(obj(911101085923662400.0, 编号类型="统一社会信用代码"))  # 18 digits as a number
    sheet.append(obj(12345, 投诉举报次数="#N/A"))
    sheet["F3"].data_type = "e"  # an error value, as Excel stores #N/A
    book.save(tmp_path / "o.xlsx")
    found = problems(read_objects, tmp_path / "o.xlsx")
    assert where(found) == {(2, "编号", "id.number"), (3, "投诉举报次数", "cell.error")}
    assert "#N/A" in found[1].reason


# -- the readers agree -----------------------------------------------------------------------


def test_the_reader_reads_what_openpyxl_reads(tmp_path: Path) -> None:
    """Every kind of cell openpyxl writes, read back by the import and by openpyxl itself."""
    values: list[object] = ["文字", " 两边空格 ", "a\nb", 0, -7, 3.25, 10**15, True, False]
    values += [date(2024, 2, 29), datetime(2024, 1, 1, 12, 30), None, "="]
    book = openpyxl.Workbook()
    book.active.append(values)
    book.active["C3"] = "遠い"
    book.save(tmp_path / "all.xlsx")
    expected = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True, data_only=True)
    wanted = [list(row) for row in expected.active.iter_rows(values_only=True)]
    with Workbook(tmp_path / "all.xlsx") as mine:
        got = {number: row for number, row in mine.rows(mine.sheets[0])}
    assert set(got) == {1, 3}  # row 2 has no cell
    for number, row in got.items():
        assert row + [None] * (len(wanted[0]) - len(row)) == wanted[number - 1]


def test_an_excel_style_workbook_reads_as_its_csv(tmp_path: Path) -> None:
    rows = [HEADER, obj(USCC, 编号类型="统一社会信用代码", 在建="否"), obj("P-2", 投诉举报次数=4)]
    from_csv = read_objects(write_csv(tmp_path / "o.csv", rows))
    from_excel = read_objects(write_excel_style(tmp_path / "o.xlsx", [("名录", rows)]))
    from_openpyxl = read_objects(write_xlsx(tmp_path / "p.xlsx", ("名录", rows)))
    assert from_csv == from_excel == from_openpyxl and from_csv[1].complaints == 4


def test_inspector_posts_and_conflicts(tmp_path: Path) -> None:
    rows = [PEOPLE, person("a", 岗位="Ａ岗", 回避对象="P-1、P-2"), person("b", 岗位="b")]
    rows.append(person("c", 岗位="C岗"))
    path = write_csv(tmp_path / "p.csv", rows)
    found = problems(read_inspectors, path, object_ids=["P-1"])
    assert {(p.row, p.code, p.value) for p in found} == {
        (2, "conflicts.unknown", "P-2"),
        (4, "post.bad", "C岗"),
    }
    inspectors = load_inspectors(write_csv(tmp_path / "p.csv", rows[:3])).entries
    assert [(i.post, i.conflicts) for i in inspectors] == [("A", ("P-1", "P-2")), ("B", ())]
