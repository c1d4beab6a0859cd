"""The directory import's messages, each worded once.

A message has a code (``date.bad``, ``column.unknown`` …), which names the kind of problem for
programs and tests, and an English wording with named fields, marked for rfb's catalogue (which
holds the Chinese); it is shown in the run's language. A field's value may itself be a
``(中文, English)`` pair, for words that differ between the two (the one of the run's language
is used).
"""

from __future__ import annotations

from collections.abc import Mapping

from fairdraw import language, speaking
from rfb_policy.i18n import N_, _

__all__ = ["MESSAGES", "Words", "pair", "text"]

Words = str | int | tuple[str, str]
"""A field of a message: the same in both languages, or a ``(中文, English)`` pair."""

MESSAGES: Mapping[str, str] = {
    # -- the file --------------------------------------------------------------------------
    "file.unreadable": N_("cannot read the file: {error}"),
    "file.missing": N_("not found: check its name and folder"),
    "file.folder": N_("this is a folder, not a file: name the directory file in it"),
    "file.denied": N_(
        "the file cannot be opened: it is not readable by this user (or is open in another program)"
    ),
    "file.empty": N_("the file is empty"),
    "file.xls": N_(
        "an old Excel file (.xls) or a workbook with an opening password: save it as an "
        "Excel workbook (*.xlsx) without a password"
    ),
    "file.not_xlsx": N_(
        "not an Excel workbook (.xlsx): {error}; save it as an Excel workbook (*.xlsx) "
        "or as CSV UTF-8 (comma delimited) (*.csv)"
    ),
    "file.utf16": N_(
        "a UTF-16 text file (Excel's 'Unicode Text'), not a CSV: save it as CSV UTF-8 "
        "(comma delimited) (*.csv)"
    ),
    "file.encoding": N_(
        "row {row} is neither UTF-8 nor GB18030 (GBK) text (bytes {bytes}): in Excel, "
        "save the file as CSV UTF-8 (comma delimited) (*.csv)"
    ),
    "file.csv": N_("the CSV is malformed: {error}"),
    "file.separator": N_(
        "row {row} looks like a header separated by tabs or semicolons, not commas: "
        "save the file as CSV UTF-8 (comma delimited) (*.csv)"
    ),
    "sheet.none": N_("the workbook has no data to read: {sheets}"),
    # -- the header ------------------------------------------------------------------------
    "header.title": N_(
        "row {row} is not the header: is there a title row above it? No header was "
        "found in the first {rows} rows"
    ),
    "header.above": N_(
        "row {row} is above the header (row {header}) but is not a title: only title "
        "rows (at most 2 cells with text each) may stand above the header"
    ),
    "header.other_kind": N_(
        "this looks like the {other} directory (its header has {headers}): use rfb "
        "import {other_kind}"
    ),
    "header.expected": N_(
        "the header should be: {headers} (rfb import template {kind} writes a template "
        "with notes and drop-down lists)"
    ),
    "column.unknown": N_("unknown column '{header}'{hint}"),
    "column.missing": N_("the column {column} is missing{also}"),
    "column.twice": N_(
        "'{header}' and '{other_header}' (column {other}) are both {column}: keep one of them"
    ),
    "column.no_header": N_(
        "the column has values (such as '{value}') but no header: name it or delete it"
    ),
    "hint.similar": N_(": did you mean {column}?"),
    "hint.risk": N_(
        ": risk comes from the four columns 投诉举报次数, 通报问题次数, "
        "不良记录次数 and 严重违法违规: fill those"
    ),
    "hint.case": N_(
        ": for an object with an open case fill 立案号 and 证据材料 (with both, it is left out "
        "of the draw)"
    ),
    "hint.remarks": N_(
        ": remarks are not imported, yet what they say may matter to the draw (an open "
        "case, a site no longer under construction): put it in its column, then delete "
        "this one"
    ),
    "hint.also": N_(" (also accepted: {names})"),
    # -- cells -----------------------------------------------------------------------------
    "cell.empty": N_("required: the cell is empty"),
    "cell.formula": N_(
        "the formula {formula} has no computed value (the file was not saved by "
        "Excel?): open and save it in Excel or WPS, or replace the formula by its "
        "value, then import again"
    ),
    "cell.error": N_("the cell holds the error {value}: correct its formula or type the value"),
    "flag.bad": N_("'{value}' is not 是 (yes) or 否 (no); an empty cell is 否"),
    "count.bad": N_("'{value}' is not a count: write 0 or a whole number such as 3"),
    "count.negative": N_("'{value}' is negative: a count is 0 or more"),
    "count.decimal": N_("'{value}' is not a whole number: a count has no decimals"),
    "count.date": N_(
        "the cell is a date ({value}), not a count: Excel may have taken an entry such "
        "as 1-2 for a date; format the column as Number and type the count again"
    ),
    "date.bad": N_(
        "'{value}' is not a date: write it as 2024-01-01, 2024/1/1, 2024.1.1 or 2024年1月1日"
    ),
    "date.impossible": N_("'{value}' is no date: {year}-{month:02} has no day {day}"),
    "date.serial": N_(
        "{value} as an Excel date serial number is {day}, outside 1950–2199: write the "
        "date as 2024-01-01"
    ),
    "date.order": N_("the certificate ends before it starts"),
    "id.uscc": N_(
        "'{value}' is not a valid 统一社会信用代码 (18 characters, the last a check character)"
    ),
    "id.label": N_("'{value}' cannot be an id: {error}"),
    "id.number": N_(
        "Excel stored '{value}' as a number and may have lost its last digits: format "
        "the column as Text and type it again"
    ),
    "id.twice": N_("'{value}' already appears in row {row}"),
    "id_type.bad": N_(
        "'{value}' is not 统一社会信用代码 (a unified social credit code) or 项目编号 (a project "
        "code)"
    ),
    "id_type.column": N_("the id is in the column '{header}', yet its 编号类型 is '{value}'"),
    "items.unknown": N_("'{value}' is not an item drawn at random: write {choices}"),
    "items.excluded": N_(
        "'{value}' ({code}) is not drawn at random ({reason}): leave it out of 适用事项"
    ),
    "case.half": N_("an open case needs both its case number and its evidence reference"),
    "post.bad": N_("'{value}' is not A岗 or B岗"),
    "conflicts.unknown": N_("'{value}' is not an object of the directory"),
    "rows.none": N_("the file has no {what}"),
    "import.more": N_(" (and {count} more)"),
    "template.exists": N_(
        "{path} exists already and was not overwritten: choose another name with --out"
    ),
}
"""Every message of the import: code → its English wording (Chinese in rfb's catalogue), with
``str.format`` fields."""


def text(code: str, /, **fields: Words) -> str:
    """The message ``code`` with its fields, in the run's language.

    Raises:
        KeyError: there is no such message (a bug).
    """
    lang = 0 if language() == "zh" else 1
    return _(MESSAGES[code]).format(
        **{k: v[lang] if isinstance(v, tuple) else v for k, v in fields.items()}
    )


def pair(code: str, /, **fields: Words) -> tuple[str, str]:
    """The message ``code`` with its fields, in each language: a field of another message."""
    with speaking("zh"):
        zh = text(code, **fields)
    with speaking("en"):
        en = text(code, **fields)
    return zh, en
