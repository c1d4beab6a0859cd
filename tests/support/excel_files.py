"""Workbooks written as Excel writes them, which openpyxl does not: shared strings, formulas with
their computed values, dates as styled serial numbers, a 1904 date system.

openpyxl 3.1 writes every string inline and every formula without a value; Excel and WPS write
strings to a shared table and store each formula's last result beside it. The directory import
must read both, so the tests (and the benchmark) make both kinds of file.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import attrs

from rfb_policy.files.problems import column_letter

__all__ = ["Formula", "Serial", "serial_of", "write_excel_style"]


@attrs.frozen
class Formula:
    """A formula cell; ``value`` is its stored result (None: not computed, as openpyxl saves)."""

    formula: str
    value: str | int | float | None = None


@attrs.frozen
class Serial:
    """A number in a date format (``yyyy/m/d`` by default): what Excel stores for a date."""

    number: float
    format_id: int = 14  # the built-in short date (2024/1/1 in Chinese Excel)


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}"
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_REL = (
    '<Relationship Id="rId{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/{kind}" Target="{target}"/>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _cell(ref: str, value: object, strings: dict[str, int], styles: list[int]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Formula):
        stored = "" if value.value is None else f"<v>{escape(str(value.value))}</v>"
        kind = ' t="str"' if isinstance(value.value, str) else ""
        return f'<c r="{ref}"{kind}><f>{escape(value.formula.lstrip("="))}</f>{stored}</c>'
    if isinstance(value, Serial):
        if value.format_id not in styles:
            styles.append(value.format_id)
        style = styles.index(value.format_id) + 1
        return f'<c r="{ref}" s="{style}"><v>{value.number}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value)
    index = strings.setdefault(text, len(strings))
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


def write_excel_style(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[Sequence[object]]]],
    *,
    epoch_1904: bool = False,
    hidden: Sequence[str] = (),
) -> Path:
    """Write ``sheets`` (name, rows) as Excel would; return the path."""
    strings: dict[str, int] = {}
    styles: list[int] = []
    parts = []
    for rows in (rows for _, rows in sheets):
        body = []
        for r, row in enumerate(rows, start=1):
            cells = "".join(
                _cell(f"{column_letter(c)}{r}", v, strings, styles) for c, v in enumerate(row)
            )
            body.append(f'<row r="{r}">{cells}</row>')
        width = max((len(row) for row in rows), default=1)
        parts.append(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">'
            f'<dimension ref="A1:{column_letter(width - 1)}{max(len(rows), 1)}"/>'
            f"<sheetData>{''.join(body)}</sheetData></worksheet>"
        )
    shared = "".join(
        f'<si><t xml:space="preserve">{escape(s)}</t></si>'
        for s in sorted(strings, key=strings.get)
    )
    xfs = "".join(f'<xf numFmtId="{f}" applyNumberFormat="1"/>' for f in styles)
    sheet_list = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"'
        + (' state="hidden"' if name in hidden else "")
        + "/>"
        for n, (name, _) in enumerate(sheets, start=1)
    )
    rels = "".join(
        _REL.format(id=n, kind="worksheet", target=f"worksheets/sheet{n}.xml")
        for n in range(1, len(sheets) + 1)
    )
    count = len(sheets)
    rels += _REL.format(id=count + 1, kind="sharedStrings", target="sharedStrings.xml")
    rels += _REL.format(id=count + 2, kind="styles", target="styles.xml")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(
                sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, count + 1))
            ),
        )
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<workbookPr date1904="{int(epoch_1904)}"/><sheets>{sheet_list}</sheets></workbook>',
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            "</Relationships>",
        )
        for n, part in enumerate(parts, start=1):
            package.writestr(f"xl/worksheets/sheet{n}.xml", part)
        package.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{_MAIN}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>',
        )
        package.writestr(
            "xl/styles.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{_MAIN}">'
            '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(styles) + 1}"><xf numFmtId="0"/>{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>",
        )
    return path


def serial_of(day: date) -> int:
    """Excel's serial number of ``day`` (1900 date system)."""
    return (day - date(1899, 12, 30)).days
