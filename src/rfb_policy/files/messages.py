"""The directory import's messages, each worded once, in Chinese and in English.

A message has a code (``date.bad``, ``column.unknown`` …), which names the kind of problem for
programs and tests and is what a message catalogue will key on, and a wording in each language
with named fields. Until the catalogues come, a message is shown as one string, ``中文 / English``,
as rfb_policy's other messages are. A field's value may itself be a ``(中文, English)`` pair, for
words that differ between the two.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MESSAGES", "Words", "pair", "text"]

Words = str | int | tuple[str, str]
"""A field of a message: the same in both languages, or a ``(中文, English)`` pair."""

MESSAGES: Mapping[str, tuple[str, str]] = {
    # -- the file --------------------------------------------------------------------------
    "file.unreadable": ("无法读取文件：{error}", "cannot read the file: {error}"),
    "file.empty": ("文件是空的", "the file is empty"),
    "file.xls": (
        "这是旧版 Excel 文件（.xls）或设了打开密码的工作簿：请在 Excel 或 WPS 中另存为"
        "“Excel 工作簿（*.xlsx）”，不设密码",
        "an old Excel file (.xls) or a workbook with an opening password: save it as an "
        "Excel workbook (*.xlsx) without a password",
    ),
    "file.not_xlsx": (
        "不是 Excel 工作簿（.xlsx）：{error}；请在 Excel 或 WPS 中另存为“Excel 工作簿（*.xlsx）”"
        "或“CSV UTF-8（逗号分隔）（*.csv）”",
        "not an Excel workbook (.xlsx): {error}; save it as an Excel workbook (*.xlsx) or as "
        "CSV UTF-8 (comma delimited) (*.csv)",
    ),
    "file.utf16": (
        "这是 UTF-16 编码的文本（Excel 的“Unicode 文本”），不是 CSV：请另存为"
        "“CSV UTF-8（逗号分隔）（*.csv）”",
        "a UTF-16 text file (Excel's 'Unicode Text'), not a CSV: save it as CSV UTF-8 "
        "(comma delimited) (*.csv)",
    ),
    "file.encoding": (
        "第 {row} 行的内容既不是 UTF-8 也不是 GB18030（GBK）编码（字节 {bytes}）：请在 Excel 中"
        "另存为“CSV UTF-8（逗号分隔）（*.csv）”",
        "row {row} is neither UTF-8 nor GB18030 (GBK) text (bytes {bytes}): in Excel, save the "
        "file as CSV UTF-8 (comma delimited) (*.csv)",
    ),
    "file.csv": ("CSV 格式有误：{error}", "the CSV is malformed: {error}"),
    "file.separator": (
        "第 {row} 行似乎是用制表符或分号分隔的表头，不是逗号：请另存为"
        "“CSV UTF-8（逗号分隔）（*.csv）”",
        "row {row} looks like a header separated by tabs or semicolons, not commas: save the "
        "file as CSV UTF-8 (comma delimited) (*.csv)",
    ),
    "sheet.none": (
        "工作簿没有可读的数据：{sheets}",
        "the workbook has no data to read: {sheets}",
    ),
    # -- the header ------------------------------------------------------------------------
    "header.title": (
        "第 {row} 行不是表头：表头上方是否还有标题行？在前 {rows} 行中没有找到表头",
        "row {row} is not the header: is there a title row above it? No header was found in "
        "the first {rows} rows",
    ),
    "header.above": (
        "第 {row} 行在表头（第 {header} 行）上方，却不像标题：表头上方只能有标题行"
        "（每行至多 2 格有字）",
        "row {row} is above the header (row {header}) but is not a title: only title rows "
        "(at most 2 cells with text each) may stand above the header",
    ),
    "header.other_kind": (
        "这似乎是{other}名录（表头有 {headers}）：请用 rfb import {other_kind}",
        "this looks like the {other} directory (its header has {headers}): use rfb import "
        "{other_kind}",
    ),
    "header.expected": (
        "表头应为：{headers}（rfb import template {kind} 可生成带说明和下拉选项的模板）",
        "the header should be: {headers} (rfb import template {kind} writes a template with "
        "notes and drop-down lists)",
    ),
    "column.unknown": ("未知列名“{header}”{hint}", "unknown column '{header}'{hint}"),
    "column.missing": ("缺少“{column}”列{also}", "the column {column} is missing{also}"),
    "column.twice": (
        "“{header}”和 {other} 列的“{other_header}”都是“{column}”：只保留一列",
        "'{header}' and '{other_header}' (column {other}) are both {column}: keep one of them",
    ),
    "column.no_header": (
        "此列有内容（如“{value}”）却没有列名：请填上列名或删除此列",
        "the column has values (such as '{value}') but no header: name it or delete it",
    ),
    "hint.similar": ("：是否指“{column}”？", ": did you mean {column}?"),
    "hint.risk": (
        "：风险由投诉举报次数、通报问题次数、不良记录次数和严重违法违规四列得出，请填写这四列",
        ": risk comes from the four columns 投诉举报次数, 通报问题次数, 不良记录次数 and "
        "严重违法违规: fill those",
    ),
    "hint.case": (
        "：正在立案查处的对象请填写立案号和证据材料两列（两列都填，该对象即不参加抽取）",
        ": for an object with an open case fill 立案号 and 证据材料 (with both, it is left out "
        "of the draw)",
    ),
    "hint.remarks": (
        "：备注不导入，但其中的内容可能影响抽取（如“已立案”“已停工”），请填到对应的列后删除此列",
        ": remarks are not imported, yet what they say may matter to the draw (an open case, "
        "a site no longer under construction): put it in its column, then delete this one",
    ),
    "hint.also": ("（也可写作：{names}）", " (also accepted: {names})"),
    # -- cells -----------------------------------------------------------------------------
    "cell.empty": ("必填，不能为空", "required: the cell is empty"),
    "cell.formula": (
        "公式 {formula} 没有计算结果（文件不是由 Excel 保存的？）：请在 Excel 或 WPS 中打开并"
        "保存，或把公式改为数值，再导入",
        "the formula {formula} has no computed value (the file was not saved by Excel?): open "
        "and save it in Excel or WPS, or replace the formula by its value, then import again",
    ),
    "cell.error": (
        "单元格是错误值 {value}：请改正公式或填入数值",
        "the cell holds the error {value}: correct its formula or type the value",
    ),
    "flag.bad": (
        "“{value}”不是“是”或“否”（空白即“否”）",
        "'{value}' is not 是 (yes) or 否 (no); an empty cell is 否",
    ),
    "count.bad": (
        "“{value}”不是次数：请填 0 或正整数，如 3",
        "'{value}' is not a count: write 0 or a whole number such as 3",
    ),
    "count.negative": (
        "“{value}”是负数：次数不能小于 0",
        "'{value}' is negative: a count is 0 or more",
    ),
    "count.decimal": (
        "“{value}”不是整数：次数须为整数",
        "'{value}' is not a whole number: a count has no decimals",
    ),
    "count.date": (
        "单元格是日期（{value}），不是次数：Excel 可能把“1-2”之类的输入当成了日期，请把此列设为"
        "“数值”后重新填写",
        "the cell is a date ({value}), not a count: Excel may have taken an entry such as 1-2 "
        "for a date; format the column as Number and type the count again",
    ),
    "date.bad": (
        "“{value}”不是日期：请写作 2024-01-01、2024/1/1、2024.1.1 或 2024年1月1日",
        "'{value}' is not a date: write it as 2024-01-01, 2024/1/1, 2024.1.1 or 2024年1月1日",
    ),
    "date.impossible": (
        "“{value}”不是存在的日期（{year} 年 {month} 月没有 {day} 日）",
        "'{value}' is no date: {year}-{month:02} has no day {day}",
    ),
    "date.serial": (
        "{value} 作为 Excel 日期序号是 {day}，不在 1950–2199 年之间：请把日期写作 2024-01-01",
        "{value} as an Excel date serial number is {day}, outside 1950–2199: write the date "
        "as 2024-01-01",
    ),
    "date.order": ("有效期至早于有效期起", "the certificate ends before it starts"),
    "id.uscc": (
        "“{value}”不是有效的统一社会信用代码（18 位，末位为校验码）",
        "'{value}' is not a valid 统一社会信用代码 (18 characters, the last a check character)",
    ),
    "id.label": ("“{value}”不能作为编号：{error}", "'{value}' cannot be an id: {error}"),
    "id.number": (
        "“{value}”被 Excel 存成了数字，可能已丢失末几位：请把此列设为“文本”后重新填写",
        "Excel stored '{value}' as a number and may have lost its last digits: format the "
        "column as Text and type it again",
    ),
    "id.twice": ("“{value}”与第 {row} 行重复", "'{value}' already appears in row {row}"),
    "id_type.bad": (
        "“{value}”不是“统一社会信用代码”或“项目编号”",
        "'{value}' is not 统一社会信用代码 (a unified social credit code) or 项目编号 (a "
        "project code)",
    ),
    "id_type.column": (
        "编号在“{header}”列中，编号类型却是“{value}”",
        "the id is in the column '{header}', yet its 编号类型 is '{value}'",
    ),
    "items.unknown": (
        "“{value}”不是双随机抽查事项：可填 {choices}",
        "'{value}' is not an item drawn at random: write {choices}",
    ),
    "items.excluded": (
        "“{value}”（{code}）不列入双随机抽查（{reason}）：请从适用事项中删去",
        "'{value}' ({code}) is not drawn at random ({reason}): leave it out of 适用事项",
    ),
    "case.half": (
        "立案查处的对象须同时填写立案号和证据材料",
        "an open case needs both its case number and its evidence reference",
    ),
    "post.bad": ("“{value}”不是 A岗 或 B岗", "'{value}' is not A岗 or B岗"),
    "conflicts.unknown": (
        "“{value}”不是对象名录中的对象",
        "'{value}' is not an object of the directory",
    ),
    "rows.none": ("文件中没有{what}", "the file has no {what}"),
    "import.failed": ("未导入任何数据", "nothing was imported"),
    "import.more": ("（另有 {count} 处）", " (and {count} more)"),
    "template.exists": (
        "{path} 已存在，未覆盖：请用 --out 另选文件名",
        "{path} exists already and was not overwritten: choose another name with --out",
    ),
}
"""Every message of the import: code → (中文, English), with ``str.format`` fields."""


def text(code: str, /, **fields: Words) -> str:
    """The message ``code`` with its fields, as one string: ``中文 / English``.

    Raises:
        KeyError: there is no such message (a bug).
    """
    return " / ".join(pair(code, **fields))


def pair(code: str, /, **fields: Words) -> tuple[str, str]:
    """The message ``code`` with its fields, in each language: a field of another message."""
    zh, en = MESSAGES[code]
    return _fill(zh, fields, 0), _fill(en, fields, 1)


def _fill(template: str, fields: Mapping[str, Words], lang: int) -> str:
    return template.format(**{k: v[lang] if isinstance(v, tuple) else v for k, v in fields.items()})
