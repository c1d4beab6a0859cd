"""Reading the two directories (名录库) from the office's CSV or XLSX files.

Every problem in a file is reported with its row, its column and the reason, and nothing is
imported when any row is bad. Column headers may be in Chinese or English (see ``OBJECT_COLUMNS``
and ``INSPECTOR_COLUMNS``); values are stripped of surrounding white space and normalised to NFC.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

import attrs

from fairdraw import InputError, canonical_label
from rfb_policy.model.directory import RANDOM_ITEMS, InspectionObject, Inspector, is_valid_uscc

__all__ = [
    "INSPECTOR_COLUMNS",
    "OBJECT_COLUMNS",
    "DirectoryImportError",
    "Problem",
    "read_inspectors",
    "read_objects",
    "read_table",
]

_YES = {"是", "y", "yes", "true", "1", "√"}
_NO = {"否", "n", "no", "false", "0", ""}

OBJECT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "id"),
    "id_type": ("编号类型", "id_type"),
    "name": ("名称", "name"),
    "items": ("适用事项", "items"),
    "under_construction": ("在建", "under_construction"),
    "complaints": ("投诉举报次数", "complaints"),
    "reported_problems": ("通报问题次数", "reported_problems"),
    "bad_records": ("不良记录次数", "bad_records"),
    "serious_violation": ("严重违法违规", "serious_violation"),
    "case_number": ("立案号", "case_number"),
    "evidence_ref": ("证据材料", "evidence_ref"),
}
"""Object columns: our name → accepted headers (Chinese, English)."""

INSPECTOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "post": ("岗位", "post"),
    "certificate": ("执法证号", "certificate"),
    "valid_from": ("有效期起", "valid_from"),
    "valid_until": ("有效期至", "valid_until"),
    "section": ("科室", "section"),
    "conflicts": ("回避对象", "conflicts"),
}
"""Inspector columns: our name → accepted headers (Chinese, English)."""

_REQUIRED_OBJECT = ("id", "id_type", "name", "items")
_REQUIRED_INSPECTOR = ("name", "post", "certificate", "valid_from", "valid_until", "section")


@attrs.frozen
class Problem:
    """One problem in an imported file: where it is and what is wrong."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


class DirectoryImportError(InputError):
    """A directory file has problems; ``problems`` lists every one, by row and column."""

    code = "policy.directory"
    reason = "directory"

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        shown = "; ".join(str(p) for p in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(f"{path}: nothing was imported: {shown}{more}")
        self.path = path
        self.problems = tuple(problems)


def read_table(path: str | Path) -> tuple[list[str], list[list[str]]]:
    """Read a CSV (UTF-8, with or without BOM) or XLSX file: its header and its rows as text.

    Raises:
        DirectoryImportError: the file cannot be read.
    """
    target = Path(path)
    try:
        if target.suffix.lower() in {".xlsx", ".xlsm"}:
            return _read_xlsx(target)
        text = target.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as err:
        raise DirectoryImportError(
            str(path), [Problem(1, "-", f"cannot read the file: {err}")]
        ) from err
    rows = [[cell for cell in row] for row in csv.reader(io.StringIO(text))]
    if not rows:
        raise DirectoryImportError(str(path), [Problem(1, "-", "the file is empty")])
    return rows[0], rows[1:]


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415 (spreadsheets only)

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = [
        [
            "" if cell is None else (cell.isoformat()[:10] if isinstance(cell, date) else str(cell))
            for cell in row
        ]
        for row in sheet.iter_rows(values_only=True)
    ]
    book.close()
    if not rows:
        raise ValueError("the sheet is empty")
    return rows[0], rows[1:]


def _columns(
    header: Sequence[str], wanted: Mapping[str, tuple[str, ...]], required: Iterable[str]
) -> tuple[dict[str, int], list[Problem]]:
    names = [unicodedata.normalize("NFKC", h).strip().lower() for h in header]
    found: dict[str, int] = {}
    for key, aliases in wanted.items():
        for alias in aliases:
            if alias.lower() in names:
                found[key] = names.index(alias.lower())
                break
    problems = [
        Problem(
            1,
            wanted[key][0],
            f"the column is missing (header {wanted[key][0]} or {wanted[key][1]})",
        )
        for key in required
        if key not in found
    ]
    return found, problems


class _Row:
    def __init__(
        self,
        number: int,
        cells: Sequence[str],
        columns: Mapping[str, int],
        wanted: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.number, self.cells, self.columns, self.wanted = number, cells, columns, wanted
        self.problems: list[Problem] = []

    def text(self, key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(self.cells):
            return ""
        return unicodedata.normalize("NFC", str(self.cells[index])).strip()

    def fail(self, key: str, reason: str) -> None:
        self.problems.append(Problem(self.number, self.wanted[key][0], reason))

    def required(self, key: str) -> str:
        value = self.text(key)
        if not value:
            self.fail(key, "empty")
        return value

    def flag(self, key: str) -> bool:
        value = self.text(key).lower()
        if value in _YES:
            return True
        if value not in _NO:
            self.fail(key, f"{value!r} is not 是 or 否")
        return False

    def count(self, key: str) -> int:
        value = self.text(key) or "0"
        if not value.isdigit():
            self.fail(key, f"{value!r} is not a whole number")
            return 0
        return int(value)

    def day(self, key: str) -> date:
        value = self.required(key)
        try:
            return date.fromisoformat(value.replace("/", "-"))
        except ValueError:
            if value:
                self.fail(key, f"{value!r} is not a date (YYYY-MM-DD)")
            return date.min


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(r"[;；,，、\s]+", value) if part.strip())


def read_objects(path: str | Path) -> list[InspectionObject]:  # noqa: PLR0912 (one per rule)
    """Read the objects directory; every problem is reported at once, nothing half-read.

    Raises:
        DirectoryImportError: any row is bad; ``problems`` lists them by row and column.
    """
    header, rows = read_table(path)
    columns, problems = _columns(header, OBJECT_COLUMNS, _REQUIRED_OBJECT)
    if problems:
        raise DirectoryImportError(str(path), problems)
    objects: list[InspectionObject] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(str(c).strip() for c in cells):
            continue
        row = _Row(number, cells, columns, OBJECT_COLUMNS)
        identifier = row.required("id")
        id_type = row.required("id_type")
        if id_type in {"统一社会信用代码", "uscc"}:
            if identifier and not is_valid_uscc(identifier.upper()):
                row.fail(
                    "id",
                    f"{identifier!r} is not a valid 统一社会信用代码 (format or check character)",
                )
            identifier = identifier.upper()
        elif id_type in {"项目编号", "project"}:
            try:
                identifier = canonical_label(identifier) if identifier else identifier
            except InputError as err:
                row.fail("id", str(err))
        elif id_type:
            row.fail("id_type", f"{id_type!r} is not 统一社会信用代码 or 项目编号")
        items = _split(row.required("items").upper())
        for item in items:
            if item not in RANDOM_ITEMS:
                row.fail("items", f"{item!r} is not one of {', '.join(RANDOM_ITEMS)}")
        case_number = row.text("case_number") or None
        evidence = row.text("evidence_ref") or None
        if (case_number is None) != (evidence is None):
            row.fail(
                "case_number" if case_number is None else "evidence_ref",
                "an open case needs both its case number and its evidence reference",
            )
        if identifier in seen:
            row.fail("id", f"{identifier!r} already appears in row {seen[identifier]}")
        seen.setdefault(identifier, number)
        obj = InspectionObject(
            id=identifier,
            id_type="uscc" if id_type in {"统一社会信用代码", "uscc"} else "project",
            name=row.required("name"),
            items=items,
            under_construction=row.flag("under_construction"),
            complaints=row.count("complaints"),
            reported_problems=row.count("reported_problems"),
            bad_records=row.count("bad_records"),
            serious_violation=row.flag("serious_violation"),
            case_number=case_number,
            evidence_ref=evidence,
        )
        problems += row.problems
        objects.append(obj)
    if not objects and not problems:
        problems.append(Problem(2, "-", "the file has no objects"))
    if problems:
        raise DirectoryImportError(str(path), problems)
    return objects


def read_inspectors(path: str | Path, *, object_ids: Iterable[str] = ()) -> list[Inspector]:
    """Read the inspectors directory; conflicts must name known objects when ids are given.

    Raises:
        DirectoryImportError: any row is bad; ``problems`` lists them by row and column.
    """
    known = set(object_ids)
    header, rows = read_table(path)
    columns, problems = _columns(header, INSPECTOR_COLUMNS, _REQUIRED_INSPECTOR)
    if problems:
        raise DirectoryImportError(str(path), problems)
    inspectors: list[Inspector] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(str(c).strip() for c in cells):
            continue
        row = _Row(number, cells, columns, INSPECTOR_COLUMNS)
        post = row.required("post").upper().replace("岗", "")
        if post and post not in {"A", "B"}:
            row.fail("post", f"{row.text('post')!r} is not A岗 or B岗")
        certificate = row.required("certificate")
        if certificate in seen:
            row.fail("certificate", f"{certificate!r} already appears in row {seen[certificate]}")
        seen.setdefault(certificate, number)
        valid_from, valid_until = row.day("valid_from"), row.day("valid_until")
        if date.min not in (valid_from, valid_until) and valid_until < valid_from:
            row.fail("valid_until", "the certificate ends before it starts")
        conflicts = _split(row.text("conflicts"))
        if known:
            for other in conflicts:
                if other not in known:
                    row.fail("conflicts", f"{other!r} is not an object of the directory")
        inspector = Inspector(
            name=row.required("name"),
            post=post,
            certificate=certificate,
            valid_from=valid_from,
            valid_until=valid_until,
            section=row.required("section"),
            conflicts=conflicts,
        )
        problems += row.problems
        inspectors.append(inspector)
    if not inspectors and not problems:
        problems.append(Problem(2, "-", "the file has no inspectors"))
    if problems:
        raise DirectoryImportError(str(path), problems)
    return inspectors
