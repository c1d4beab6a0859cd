"""Reading the two directories (名录库) from the office's CSV or XLSX files.

Every problem in a file is reported with its row, its column, the value and what is expected,
and nothing is imported when any row is bad. The columns are those of
:data:`~rfb_policy.files.layouts.OBJECTS` and :data:`~rfb_policy.files.layouts.INSPECTORS`
(``rfb import template`` writes them into a workbook): each must be there, under its header,
its English name or a synonym, and a column the import does not know is refused, never
skipped. Values are stripped of surrounding white space and normalised to NFC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

import attrs

from fairdraw import InputError, canonical_label
from rfb_policy.files import cells
from rfb_policy.files.cells import CellProblem, ItemNames
from rfb_policy.files.layouts import INSPECTORS, OBJECTS, Header, Layout, find_header
from rfb_policy.files.messages import Words
from rfb_policy.files.problems import DirectoryImportError, Problem, problem
from rfb_policy.files.tables import Source, Table, paused_gc, read_table
from rfb_policy.files.xlsx import Value
from rfb_policy.model.directory import InspectionObject, Inspector, is_valid_uscc
from rfb_policy.rules.items import Catalogue

__all__ = [
    "INSPECTOR_COLUMNS",
    "OBJECT_COLUMNS",
    "DirectoryFile",
    "DirectoryImportError",
    "Problem",
    "load_inspectors",
    "load_objects",
    "read_inspectors",
    "read_objects",
]

OBJECT_COLUMNS: dict[str, tuple[str, ...]] = {c.key: c.names for c in OBJECTS.columns}
"""Object columns: our name → accepted headers (Chinese, English, synonyms)."""

INSPECTOR_COLUMNS: dict[str, tuple[str, ...]] = {c.key: c.names for c in INSPECTORS.columns}
"""Inspector columns: our name → accepted headers (Chinese, English, synonyms)."""

_USCC_TYPES = {"统一社会信用代码": "uscc", "uscc": "uscc"}
_PROJECT_TYPES = {"项目编号": "project", "project": "project"}
_POSTS = {"A": "A", "B": "B", "A岗": "A", "B岗": "B"}

T = TypeVar("T")


@attrs.frozen
class DirectoryFile(Generic[T]):
    """A directory read from a file: its entries, in the file's order, and how it was read."""

    entries: tuple[T, ...]
    source: Source


class _Sheet:
    """What every row of a file shares: its header, and each cell text read so far per column
    (flags, counts, dates and items repeat: each distinct text is read once)."""

    def __init__(self, layout: Layout, header: Header, epoch_1904: bool) -> None:
        self.layout, self.header, self.epoch_1904 = layout, header, epoch_1904
        # Every row is padded to the header's width; a column the file leaves out (编号类型
        # under a 统一社会信用代码 header) is at -1, and reads as empty.
        self.at = {c.key: header.index.get(c.key, -1) for c in layout.columns}
        self.read: dict[str, dict[tuple[type, Value], object]] = {k: {} for k in self.at}

    def day(self, value: Value) -> date | None:
        return cells.day(value, epoch_1904=self.epoch_1904)


class _Row:
    """One row of the file, read column by column; each problem is kept, with its cell."""

    __slots__ = ("number", "problems", "sheet", "values")

    def __init__(self, number: int, values: list[Value], sheet: _Sheet) -> None:
        self.number, self.values, self.sheet = number, values, sheet
        self.problems: list[Problem] = []

    @property
    def header(self) -> Header:
        return self.sheet.header

    def raw(self, key: str) -> Value:
        index = self.sheet.at[key]
        return self.values[index] if index >= 0 else None

    def fail(self, key: str, code: str, value: Value = None, /, **fields: Words) -> None:
        """Keep a problem of the cell ``key``; its value is the cell's unless ``value`` (or a
        field ``value``) says which part of it is wrong."""
        shown = fields.pop("value", None)
        if shown is None:
            shown = cells.display(value if value is not None else self.raw(key))
        self.problems.append(
            problem(
                self.number,
                self.sheet.layout.column(key).header,
                code,
                value=str(shown),
                index=self.sheet.header.index.get(key),
                field=key,
                **fields,
            )
        )

    def failed(self, key: str) -> bool:
        return any(p.field == key for p in self.problems)

    def read(self, key: str, reader: Callable[[Value], T], default: T) -> T:
        """The cell ``key`` through ``reader`` (a function of the cell alone, whose answer for
        each distinct cell is kept); on a problem, ``default``, and the problem kept."""
        value = self.raw(key)
        done = self.sheet.read[key]
        found = done.get((type(value), value), done)
        if found is done:
            try:
                found = reader(value)
            except CellProblem as bad:
                found = bad
            done[type(value), value] = found
        if isinstance(found, CellProblem):
            self.fail(key, found.code, **found.fields)
            return default
        return found  # type: ignore[return-value]  # reader's answer for this very cell

    def text(self, key: str, *, required: bool = False, code: bool = False) -> str:
        try:
            value = cells.text(self.raw(key), code=code)
        except CellProblem as bad:
            self.fail(key, bad.code, **bad.fields)
            return ""
        if required and not value:
            self.fail(key, "cell.empty")
        return value

    def day(self, key: str) -> date | None:
        value = self.read(key, self.sheet.day, None)
        if value is None and not self.failed(key):
            self.fail(key, "cell.empty")
        return value

    def unlabelled(self) -> list[Problem]:
        """Values in columns without a header."""
        header, values = self.sheet.header, self.values
        return [
            problem(self.number, "-", "column.no_header", index=i, value=cells.display(values[i]))
            for i in sorted(header.unlabelled | set(range(header.width, len(values))))
            if i < len(values) and cells.display(values[i])
        ]


def _read(
    path: str | Path,
    layout: Layout,
    other: Layout,
    make: Callable[[_Row, dict[str, int]], T],
) -> DirectoryFile[T]:
    with paused_gc():
        table = read_table(path)
        header, at, problems = find_header(layout, other, table.rows)
        if header is None:
            raise DirectoryImportError(str(path), problems, sheet=table.source.sheet)
        entries = _entries(table, at, header, layout, make, problems)
    if problems:
        raise DirectoryImportError(str(path), problems, sheet=table.source.sheet)
    return DirectoryFile(tuple(entries), attrs.evolve(table.source, header_row=header.row))


def _entries(
    table: Table,
    at: int,
    header: Header,
    layout: Layout,
    make: Callable[[_Row, dict[str, int]], T],
    problems: list[Problem],
) -> list[T]:
    """Every row below the header read into an entry; each problem added to ``problems``."""
    entries: list[T] = []
    seen: dict[str, int] = {}
    reported: set[str | None] = set()
    columns = list(header.index.values())
    shared = _Sheet(layout, header, table.epoch_1904)
    for number, values in table.rows[at + 1 :]:
        row = _Row(number, values, shared)
        if len(values) > header.width or header.unlabelled:
            for found in row.unlabelled():  # each such column once, at its first value
                if found.letter not in reported:
                    reported.add(found.letter)
                    problems.append(found)
        first = values[columns[0]] if columns[0] < len(values) else None
        if not (type(first) is str and first.strip()) and not any(
            cells.display(values[i]) for i in columns if i < len(values)
        ):
            continue  # an empty row, or one with a row number (序号) only
        if len(values) < header.width:
            values.extend([None] * (header.width - len(values)))
        entry = make(row, seen)
        if row.problems:
            problems += row.problems
        else:
            entries.append(entry)
    if not entries and not problems:
        problems.append(problem(None, "-", "rows.none", what=layout.what))
    return entries


def _unique(row: _Row, key: str, value: str, seen: dict[str, int]) -> None:
    if value in seen:
        row.fail(key, "id.twice", value, row=seen[value])
    seen.setdefault(value, row.number)


class _Objects:
    """Reads an objects row, knowing the items' names."""

    def __init__(self) -> None:
        self.items = ItemNames.of(Catalogue.bundled())

    def items_of(self, value: Value) -> tuple[str, ...]:
        return self.items.read(cells.text(value))

    def __call__(self, row: _Row, seen: dict[str, int]) -> InspectionObject:
        identifier = row.text("id", required=True, code=True)
        id_type = _id_type(row)
        if id_type == "uscc" and identifier:
            identifier = identifier.upper()
            if not is_valid_uscc(identifier):
                row.fail("id", "id.uscc", identifier)
        elif id_type == "project" and identifier:
            try:
                identifier = canonical_label(identifier)
            except InputError as err:
                row.fail("id", "id.label", identifier, error=str(err))
        if identifier:
            _unique(row, "id", identifier, seen)
        items: tuple[str, ...] = row.read("items", self.items_of, ())
        if not items and not row.failed("items"):
            row.fail("items", "cell.empty")
        case_number = row.text("case_number") or None
        evidence = row.text("evidence_ref") or None
        if (case_number is None) != (evidence is None):
            row.fail("case_number" if case_number is None else "evidence_ref", "case.half")
        return InspectionObject(
            id=identifier,
            id_type=id_type or "project",
            name=row.text("name", required=True),
            items=items,
            under_construction=row.read("under_construction", cells.flag, False),
            complaints=row.read("complaints", cells.count, 0),
            reported_problems=row.read("reported_problems", cells.count, 0),
            bad_records=row.read("bad_records", cells.count, 0),
            serious_violation=row.read("serious_violation", cells.flag, False),
            case_number=case_number,
            evidence_ref=evidence,
        )


def _id_type(row: _Row) -> str | None:
    """uscc or project; a header 统一社会信用代码 or 项目编号 over the ids says it for every row."""
    implied = row.header.implied.get("id_type")
    written = row.text("id_type", required=implied is None)
    if implied is not None and written and written != implied:
        row.fail("id_type", "id_type.column", written, header=row.header.header_of["id"])
        return None
    written = (written or implied or "").lower()
    found = _USCC_TYPES.get(written) or _PROJECT_TYPES.get(written)
    if found is None and written:
        row.fail("id_type", "id_type.bad", written)
    return found


def load_objects(path: str | Path) -> DirectoryFile[InspectionObject]:
    """Read the objects directory, with how it was read (encoding, sheet, header row).

    Raises:
        DirectoryImportError: the file cannot be read or any row is bad; ``problems`` lists
            every problem by row and column, and nothing is read.
    """
    return _read(path, OBJECTS, INSPECTORS, _Objects())


def read_objects(path: str | Path) -> list[InspectionObject]:
    """Read the objects directory; every problem is reported at once, nothing half-read.

    Raises:
        DirectoryImportError: any row is bad; ``problems`` lists them by row and column.
    """
    return list(load_objects(path).entries)


def load_inspectors(
    path: str | Path, *, object_ids: Iterable[str] = ()
) -> DirectoryFile[Inspector]:
    """Read the inspectors directory, with how it was read; each 回避 entry must name one of
    ``object_ids`` when they are given.

    Raises:
        DirectoryImportError: the file cannot be read or any row is bad (every problem listed).
    """
    known = set(object_ids)

    def make(row: _Row, seen: dict[str, int]) -> Inspector:
        written = row.text("post", required=True)
        post = _POSTS.get(cells.half_width(written).upper().replace(" ", ""), "")
        if written and not post:
            row.fail("post", "post.bad", written)
        certificate = row.text("certificate", required=True, code=True)
        if certificate:
            _unique(row, "certificate", certificate, seen)
        valid_from, valid_until = row.day("valid_from"), row.day("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            row.fail("valid_until", "date.order")
        conflicts = cells.split(row.text("conflicts"))
        for other in conflicts if known else ():
            if other not in known:
                row.fail("conflicts", "conflicts.unknown", other)
        return Inspector(
            name=row.text("name", required=True),
            post=post,
            certificate=certificate,
            valid_from=valid_from or date.min,
            valid_until=valid_until or date.min,
            section=row.text("section", required=True),
            conflicts=conflicts,
        )

    return _read(path, INSPECTORS, OBJECTS, make)


def read_inspectors(path: str | Path, *, object_ids: Iterable[str] = ()) -> list[Inspector]:
    """Read the inspectors directory; conflicts must name known objects when ids are given.

    Raises:
        DirectoryImportError: any row is bad; ``problems`` lists them by row and column.
    """
    return list(load_inspectors(path, object_ids=object_ids).entries)
