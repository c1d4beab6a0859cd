"""The workbook a clerk fills in to import a directory: ``rfb import template objects|inspectors``.

Its first sheet has the exact headers (each with a note on what the column holds), drop-down
lists for the columns with closed values (编号类型, 是/否, 岗位, 适用事项), checks on counts and
dates, and the code columns formatted as text, so that Excel keeps a long code's digits; its
second sheet, 说明, explains every column: what it means, the values it takes, an example, and
the other headers it may have. Filled in and saved, it imports as it is.
"""

from __future__ import annotations

import io
from pathlib import Path

from fairdraw import InputError, write_atomic
from rfb_policy.files.layouts import INSPECTORS, OBJECTS, Column, Layout
from rfb_policy.files.messages import text
from rfb_policy.rules.items import Catalogue

__all__ = ["NOTES_SHEET", "TemplateError", "layout_of", "template_bytes", "write_template"]

NOTES_SHEET = "说明"
_ROWS = 5000  # rows the checks and drop-down lists cover
_HEADER_FILL = "DDEBF7"


class TemplateError(InputError):
    """The template cannot be written where asked (the file exists already)."""

    code = "policy.template"
    reason = "template"


def layout_of(kind: str) -> Layout:
    """The layout of ``objects`` or ``inspectors``."""
    return {"objects": OBJECTS, "inspectors": INSPECTORS}[kind]


def _item_choices() -> tuple[str, ...]:
    return tuple(item.name for item in Catalogue.bundled().random_items)


def _validation(column: Column, letter: str) -> object | None:
    from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped]  # noqa: PLC0415
        DataValidation,
    )

    cells = f"{letter}2:{letter}{_ROWS + 1}"
    made: DataValidation | None = None
    if column.kind == "items":
        choices = ",".join(_item_choices())
        # Several items go in one cell, so the list offers one and allows any text.
        made = DataValidation(type="list", formula1=f'"{choices}"', showErrorMessage=False)
        made.promptTitle, made.prompt = "适用事项", "可选一项，或写多项，用顿号分隔：QUAL、MAINT"
    elif column.choices:
        made = DataValidation(type="list", formula1=f'"{",".join(column.choices)}"')
        made.errorTitle, made.error = (
            column.header,
            f"请从下拉列表中选择：{'、'.join(column.choices)}",
        )
    elif column.kind == "count":
        made = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        made.errorTitle, made.error = column.header, "请填 0 或正整数"
    elif column.kind == "date":
        made = DataValidation(
            type="date", operator="between", formula1="DATE(1950,1,1)", formula2="DATE(9999,12,31)"
        )
        made.errorTitle, made.error = column.header, "请填日期，如 2024-01-01"
    if made is not None:
        made.allowBlank = made.showInputMessage = True
        made.showErrorMessage = column.kind != "items"
        if not made.prompt:
            made.promptTitle, made.prompt = column.header, column.allowed[0][:255]
        made.add(cells)
    return made


def template_bytes(kind: str) -> bytes:
    """The template workbook of ``objects`` or ``inspectors``, as XLSX bytes."""
    import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415 (spreadsheets only)
    from openpyxl.comments import Comment  # type: ignore[import-untyped]  # noqa: PLC0415
    from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]  # noqa: PLC0415

    layout = layout_of(kind)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = f"{layout.what[0]}名录"
    sheet.append(list(layout.headers))
    for position, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=_HEADER_FILL)
        note = f"{column.meaning[0]}\n可填：{column.allowed[0]}\n示例：{column.example}"
        cell.comment = Comment(note, "rfb", width=320, height=120)
        width = max(12, 2 * len(column.header) + 4, len(column.example) + 4)
        sheet.column_dimensions[letter].width = width
        if column.kind in {"id", "text", "list"}:
            sheet.column_dimensions[letter].number_format = "@"  # a code stays text
        if column.kind == "date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        validation = _validation(column, letter)
        if validation is not None:
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    _notes(book.create_sheet(NOTES_SHEET), layout)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _notes(sheet: object, layout: Layout) -> None:
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415

    what = layout.what[0]
    rows = [
        [f"{what}名录的填写说明：在第一个工作表中每行填一个{what}，表头不要改动。"],
        [
            f"导入：rfb import {layout.kind} 文件.xlsx --actor 姓名（有任何一处问题则全部不导入，"
            "并逐项列出行、列和原因）。"
        ],
        [
            "也可另存为 CSV（UTF-8 或 GBK 编码均可）。日期可写 2024-01-01、2024/1/1、2024.1.1 或 "
            "2024年1月1日；次数可用全角数字。"
        ],
        [],
        ["列名", "英文列名", "必填", "含义", "可填的值", "示例", "也可写作"],
    ]
    for column in layout.columns:
        rows.append(
            [
                column.header,
                column.key,
                "是" if column.required else "否",
                column.meaning[0],
                column.allowed[0],
                column.example,
                "、".join(column.synonyms),
            ]
        )
    if layout.kind == "objects":
        rows.append([])
        items = Catalogue.bundled().random_items
        rows.append(["适用事项可填的代码和名称（rfb items 可查看）："])
        rows += [[item.code, item.name] for item in items]
    for row in rows:
        sheet.append(row)  # type: ignore[attr-defined]
    header_row = 5
    for cell in sheet[header_row]:  # type: ignore[index]
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (14, 20, 6, 40, 44, 22, 30), strict=True):
        sheet.column_dimensions[letter].width = width  # type: ignore[attr-defined]
    for row in sheet.iter_rows(min_row=header_row + 1):  # type: ignore[attr-defined]
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_template(kind: str, path: str | Path) -> Path:
    """Write the template of ``objects`` or ``inspectors`` to ``path``; return the path.

    Raises:
        TemplateError: ``path`` exists already (a filled-in template is never overwritten).
    """
    target = Path(path)
    if target.exists():
        raise TemplateError(text("template.exists", path=str(target)))
    return write_atomic(target, template_bytes(kind))
