"""A directory file read as a table of cells, from a CSV (UTF-8 or GB18030) or an XLSX workbook.

What the file is comes from its first bytes, not from its name: a workbook saved as ``.csv``
is still read as a workbook, and an old ``.xls`` is refused with the advice to save it as
``.xlsx``. A CSV is read as UTF-8 (with or without a byte order mark), else as GB18030 (which
GBK and GB2312 are part of: what Excel saves as "CSV" on Chinese Windows) when the whole file
decodes as such; a workbook, from its first visible sheet that has any content.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import io
import itertools
from collections.abc import Generator, Iterator
from pathlib import Path

import attrs

from rfb_policy.files.messages import Words, text
from rfb_policy.files.problems import DirectoryImportError, Problem, problem
from rfb_policy.files.xlsx import Value, Workbook, WorkbookError

__all__ = ["Source", "Table", "paused_gc", "read_table"]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and workbooks encrypted with a password
_NOTES_SHEET = "说明"  # the template's notes: never the data
_Row = tuple[int, list[Value]]


@attrs.frozen
class Source:
    """How a table was read, to tell the clerk.

    Attributes:
        format: ``csv`` or ``xlsx``.
        encoding: a CSV's text encoding (``UTF-8``, ``UTF-8 (BOM)``, ``GB18030``).
        sheet: the worksheet read, for a workbook.
        empty_sheets: the sheets before it that were passed over, being empty.
        other_sheets: the sheets after it that have content, which were not read.
        header_row: the row the header was found in (rows above it are titles).
    """

    format: str
    encoding: str | None = None
    sheet: str | None = None
    empty_sheets: tuple[str, ...] = ()
    other_sheets: tuple[str, ...] = ()
    header_row: int = 1


@attrs.frozen
class Table:
    """A file's cells, row by row: (row number, cells from the first column on).

    Rows without any cell are left out; a CSV's cells are all text.
    """

    path: str
    source: Source
    rows: list[_Row]
    epoch_1904: bool = False


def read_table(path: str | Path) -> Table:
    """Read a directory file: a CSV or an XLSX workbook, told apart by their content.

    Raises:
        DirectoryImportError: the file cannot be read, or has no data (the problem says why
            and what to do).
    """
    where = str(path)
    try:
        with Path(path).open("rb") as stream:
            start = stream.read(8)
    except OSError as err:
        raise _unreadable(where, err) from err
    if start.startswith(_ZIP):
        return _read_xlsx(where, Path(path))
    if start.startswith(_OLE):
        raise _refused(where, "file.xls")
    if Path(path).suffix.lower() in {".xlsx", ".xlsm"}:
        raise _refused(
            where, "file.not_xlsx", error=("内容不是 zip 压缩包", "its content is no zip package")
        )
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise _unreadable(where, err) from err
    return _read_csv(where, data)


def _unreadable(path: str, err: OSError) -> DirectoryImportError:
    """The file cannot be read: why, in the run's language where the system's reason is a
    common one (the system's own words otherwise)."""
    if isinstance(err, FileNotFoundError):
        return _refused(path, "file.missing")
    if isinstance(err, IsADirectoryError):
        return _refused(path, "file.folder")
    if isinstance(err, PermissionError):
        return _refused(path, "file.denied")
    return _refused(path, "file.unreadable", error=err.strerror or str(err))


def _refused(path: str, code: str, **fields: Words) -> DirectoryImportError:
    return DirectoryImportError(path, [Problem(None, "-", text(code, **fields), code=code)])


def _decode(path: str, data: bytes) -> tuple[str, str]:
    """The text of a CSV and the name of its encoding."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refused(path, "file.utf16")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as err:
            raise _bad_bytes(path, data, err.start + 3) from err
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as utf8:
        try:
            return data.decode("gb18030"), "GB18030"
        except UnicodeDecodeError as gb:
            # The later failure is where the file breaks the encoding it is written in.
            raise _bad_bytes(path, data, max(utf8.start, gb.start)) from utf8


def _bad_bytes(path: str, data: bytes, at: int) -> DirectoryImportError:
    row = data.count(b"\n", 0, at) + 1
    return _refused(path, "file.encoding", row=row, bytes=data[at : at + 4].hex(" "))


def _read_csv(path: str, data: bytes) -> Table:
    text, encoding = _decode(path, data)
    rows: list[_Row] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, cells in enumerate(reader, start=1):
            if any(cells):
                rows.append((number, list(cells)))
    except csv.Error as err:
        raise DirectoryImportError(
            path, [problem(reader.line_num, "-", "file.csv", error=str(err))]
        ) from err
    if not rows:
        raise _refused(path, "file.empty")
    return Table(path, Source("csv", encoding=encoding), rows)


def _has_content(row: list[Value]) -> bool:
    return row.count(None) + row.count("") < len(row)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a directory is read and stored.

    Reading 10^5 rows makes millions of objects, none in a reference cycle, and the collector
    would walk the growing heap again and again: it took half the time. Collection resumes
    (if it was on) when the block ends; the block makes no cycles to collect. Process-wide,
    which suits a command, not a server with other threads at work.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _read_xlsx(path: str, target: Path) -> Table:
    try:
        book = Workbook(target)
    except WorkbookError as err:
        raise _refused(path, "file.not_xlsx", error=str(err)) from err
    with book:
        empty: list[str] = []
        chosen: tuple[str, list[_Row]] | None = None
        others: list[str] = []
        try:
            for sheet in book.sheets:
                if chosen is not None:  # only whether it has content: its first rows will say
                    if sheet.name != _NOTES_SHEET and any(
                        _has_content(row) for _, row in _first(book.rows(sheet), 50)
                    ):
                        others.append(sheet.name)
                    continue
                rows = [(n, row) for n, row in book.rows(sheet) if _has_content(row)]
                if rows:
                    chosen = (sheet.name, rows)
                else:
                    empty.append(sheet.name)
        except WorkbookError as err:
            raise _refused(path, "file.not_xlsx", error=str(err)) from err
    if chosen is None:
        names = "、".join(f"“{name}”" for name in empty)
        sheets = (f"工作表 {names} 都是空的", f"the sheets {', '.join(empty)} are empty")
        if not empty:
            sheets = ("没有可见的工作表", "it has no visible sheet")
        raise _refused(path, "sheet.none", sheets=sheets)
    name, rows = chosen
    source = Source("xlsx", sheet=name, empty_sheets=tuple(empty), other_sheets=tuple(others))
    return Table(path, source, rows, epoch_1904=book.epoch_1904)


def _first(rows: Generator[_Row, None, None], count: int) -> list[_Row]:
    """A generator's first ``count`` rows; it is closed then, its file with it."""
    taken = list(itertools.islice(rows, count))
    rows.close()
    return taken
