"""The two directories' columns: their headers, what they mean, and finding them in a file.

Each column has the Chinese header the template writes, its English name, and the synonyms
read as it. A synonym is accepted only where it cannot mean anything else: 是否在建 is 在建,
but 风险标识 is refused, since the office's risk comes from four columns and no one of them is
a risk flag. A header of the file that is none of these is an error, never a skipped column,
and so is a missing column: a column left out would silently read as 否 or 0 in every row.
序号 (a row number) is the one column read and ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

import attrs

from rfb_policy.files.messages import Words, pair
from rfb_policy.files.problems import Problem, column_letter, problem
from rfb_policy.files.xlsx import Value

__all__ = ["INSPECTORS", "OBJECTS", "Column", "Header", "Layout", "find_header"]

HEADER_ROWS = 10
"""How many rows from the top are searched for the header (title rows may stand above it)."""


@attrs.frozen(kw_only=True)
class Column:
    """One column of a directory.

    Attributes:
        key: the import's name of the column, which is also its English header.
        header: the header the template writes.
        synonyms: other headers read as this column.
        kind: how its cells are read: ``text``, ``id``, ``id_type``, ``items``, ``flag``,
            ``count``, ``date``, ``post`` or ``list``.
        required: whether every row needs a value.
        meaning: what the column holds, (中文, English).
        allowed: the values it takes, in words, (中文, English).
        example: a value, as the clerk would write it.
        choices: the closed list of values the template offers in a drop-down list.
    """

    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    kind: str = "text"
    required: bool = False
    meaning: tuple[str, str]
    allowed: tuple[str, str]
    example: str
    choices: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every header read as this column: the template's, the English one, the synonyms."""
        return (self.header, self.key, *self.synonyms)


_FLAG = ("是 或 否（空白即否）；也可填 Y/N、√", "是 (yes) or 否 (no); empty is 否; Y/N and √ too")
_COUNT = (
    "0 或正整数（空白即 0）；全角数字也可",
    "0 or a whole number (empty is 0); full-width digits too",
)
_DATE = (
    "日期：2024-01-01、2024/1/1、2024.1.1、2024年1月1日，或 Excel 日期",
    "a date: 2024-01-01, 2024/1/1, 2024.1.1, 2024年1月1日, or an Excel date",
)


@attrs.frozen(kw_only=True)
class Layout:
    """A directory's columns, in the template's order, and how its headers are read.

    Attributes:
        kind: ``objects`` or ``inspectors`` (the ``rfb import`` argument).
        what: what a row is, (中文, English).
        columns: every column.
        implied: a header that also says what another column would: header → (that column's
            key, its value in every row). A file with that header may leave the other column out.
        hints: headers that are refused with a word on what to do instead: header → message code.
    """

    kind: str
    what: tuple[str, str]
    columns: tuple[Column, ...]
    implied: Mapping[str, tuple[str, str]] = attrs.field(factory=dict)
    hints: Mapping[str, str] = attrs.field(factory=dict)

    def column(self, key: str) -> Column:
        """The column ``key``."""
        return next(c for c in self.columns if c.key == key)

    @property
    def headers(self) -> tuple[str, ...]:
        """The template's headers, in order."""
        return tuple(c.header for c in self.columns)

    def names(self) -> dict[str, str]:
        """Every accepted header, as :func:`normalise` makes it → its column's key."""
        return {normalise(name): c.key for c in self.columns for name in c.names}


IGNORED = ("序号",)
"""Headers read and ignored: a row number says nothing about the row."""

OBJECTS = Layout(
    kind="objects",
    what=("检查对象", "objects"),
    columns=(
        Column(
            key="id",
            header="编号",
            synonyms=("统一社会信用代码", "项目编号"),
            kind="id",
            required=True,
            meaning=(
                "对象的唯一编号：单位填统一社会信用代码，工程填项目编号",
                "the object's unique id: a unit's unified social credit code, or a project code",
            ),
            allowed=(
                "18 位统一社会信用代码（校验末位），或项目编号",
                "an 18-character credit code (its check character verified), or a project code",
            ),
            example="91110102MA0001375J",
        ),
        Column(
            key="id_type",
            header="编号类型",
            kind="id_type",
            required=True,
            meaning=("编号是哪一种", "which kind of id 编号 is"),
            allowed=("统一社会信用代码 或 项目编号", "统一社会信用代码 or 项目编号"),
            example="统一社会信用代码",
            choices=("统一社会信用代码", "项目编号"),
        ),
        Column(
            key="name",
            header="名称",
            synonyms=("单位名称", "工程名称", "项目名称", "对象名称"),
            required=True,
            meaning=("单位或工程的名称（公示时使用）", "the unit's or project's name (published)"),
            allowed=("文字", "text"),
            example="西城区示例单位",
        ),
        Column(
            key="items",
            header="适用事项",
            synonyms=("抽查事项", "检查事项"),
            kind="items",
            required=True,
            meaning=(
                "对该对象抽查哪些事项，可填多个",
                "the items the object is inspected for; several may be given",
            ),
            allowed=(
                "事项代码或名称（见 rfb items），多个用 、，,；; 分隔",
                "item codes or names (see rfb items), separated by 、，,；;",
            ),
            example="MAINT、USE",
            choices=("QUAL", "MAINT", "USE", "COMM"),
        ),
        Column(
            key="under_construction",
            header="在建",
            synonyms=("是否在建",),
            kind="flag",
            meaning=(
                "是否为在建人防工程（质量监督 QUAL 全部覆盖在建工程）",
                "whether it is a project under construction (QUAL covers all of them)",
            ),
            allowed=_FLAG,
            example="否",
            choices=("是", "否"),
        ),
        Column(
            key="complaints",
            header="投诉举报次数",
            synonyms=("投诉举报数",),
            kind="count",
            meaning=("近期投诉举报的次数（风险因素）", "complaints and reports (a risk factor)"),
            allowed=_COUNT,
            example="0",
        ),
        Column(
            key="reported_problems",
            header="通报问题次数",
            synonyms=("通报问题数",),
            kind="count",
            meaning=("被通报问题的次数（风险因素）", "problems reported (a risk factor)"),
            allowed=_COUNT,
            example="0",
        ),
        Column(
            key="bad_records",
            header="不良记录次数",
            synonyms=("不良记录数",),
            kind="count",
            meaning=("不良记录的次数（风险因素）", "bad records (a risk factor)"),
            allowed=_COUNT,
            example="0",
        ),
        Column(
            key="serious_violation",
            header="严重违法违规",
            synonyms=("是否严重违法违规",),
            kind="flag",
            meaning=(
                "是否有严重违法违规记录（风险因素）",
                "whether it has a serious violation on record (a risk factor)",
            ),
            allowed=_FLAG,
            example="否",
            choices=("是", "否"),
        ),
        Column(
            key="case_number",
            header="立案号",
            synonyms=("立案编号", "案件编号"),
            meaning=(
                "已立案查处的案件编号；与证据材料同填时该对象不参加抽取",
                "the number of an open case; with 证据材料, the object is left out of the draw",
            ),
            allowed=("文字；无案件则留空", "text; empty when there is no case"),
            example="西人防立〔2026〕1号",
        ),
        Column(
            key="evidence_ref",
            header="证据材料",
            synonyms=("证据材料编号",),
            meaning=(
                "立案所依据的初步证据材料的编号或名称",
                "the reference of the case's preliminary evidence",
            ),
            allowed=("文字；无案件则留空", "text; empty when there is no case"),
            example="证据材料第1号",
        ),
    ),
    implied={
        "统一社会信用代码": ("id_type", "统一社会信用代码"),
        "项目编号": ("id_type", "项目编号"),
    },
    hints={
        "风险标识": "hint.risk",
        "风险等级": "hint.risk",
        "在办案件": "hint.case",
        "是否立案": "hint.case",
        "备注": "hint.remarks",
    },
)
"""The objects directory (检查对象名录库)."""

INSPECTORS = Layout(
    kind="inspectors",
    what=("执法人员", "inspectors"),
    columns=(
        Column(
            key="name",
            header="姓名",
            synonyms=("执法人员姓名",),
            required=True,
            meaning=("执法人员姓名（公示时使用）", "the officer's name (published)"),
            allowed=("文字", "text"),
            example="张三",
        ),
        Column(
            key="post",
            header="岗位",
            synonyms=("AB岗", "A/B岗"),
            kind="post",
            required=True,
            meaning=(
                "执法岗位中的 A岗（主办）或 B岗（协办）",
                "A岗 (holder of the post) or B岗 (its backup)",
            ),
            allowed=("A岗 或 B岗（也可只填 A、B）", "A岗 or B岗 (or just A, B)"),
            example="A岗",
            choices=("A岗", "B岗"),
        ),
        Column(
            key="certificate",
            header="执法证号",
            synonyms=("执法证件号", "执法证编号", "行政执法证号", "执法证件编号"),
            kind="id",
            required=True,
            meaning=("行政执法证件编号（唯一）", "the enforcement certificate's number (unique)"),
            allowed=("文字", "text"),
            example="京执110102001",
        ),
        Column(
            key="valid_from",
            header="有效期起",
            synonyms=("有效期开始", "有效期起始"),
            kind="date",
            required=True,
            meaning=("执法证有效期的第一天", "the first day the certificate is valid"),
            allowed=_DATE,
            example="2024-01-01",
        ),
        Column(
            key="valid_until",
            header="有效期至",
            synonyms=("有效期止", "有效期截止", "有效期结束"),
            kind="date",
            required=True,
            meaning=("执法证有效期的最后一天", "the last day the certificate is valid"),
            allowed=_DATE,
            example="2028-12-31",
        ),
        Column(
            key="section",
            header="科室",
            synonyms=("所在科室", "所属科室"),
            required=True,
            meaning=(
                "所在科室（各科室确认人员能否参加抽查）",
                "the officer's section (each section confirms who can take part)",
            ),
            allowed=("文字", "text"),
            example="工程管理科",
        ),
        Column(
            key="conflicts",
            header="回避对象",
            synonyms=("需回避对象",),
            kind="list",
            meaning=(
                "须回避的检查对象（利害关系）",
                "the objects the officer must not inspect (conflict of interest)",
            ),
            allowed=(
                "对象名录中的编号，多个用 、，,；; 分隔；无则留空",
                "ids of the objects directory, separated by 、，,；;; empty when none",
            ),
            example="91110102MA0001375J",
        ),
    ),
)
"""The inspectors directory (执法检查人员名录库)."""

_SPACE = re.compile(r"\s+")
_SEPARATED = re.compile(r"[\t;；]")


def normalise(header: object) -> str:
    """A header as compared: NFKC (full-width letters as half-width), without white space
    (line breaks within a header cell included) or a required-field star, in lower case."""
    text = unicodedata.normalize("NFKC", "" if header is None else str(header))
    return _SPACE.sub("", text).strip("*").lower()


@attrs.frozen
class Header:
    """Where a file's header is and which column is where.

    Attributes:
        row: the header's row number.
        index: column key → its position in a row (0 for column A).
        implied: column key → the value a header gave every row of it (see Layout.implied).
        header_of: column key → the header the file wrote for it.
        unlabelled: the positions of columns without a header.
        ignored: the positions of columns read and ignored (序号).
        width: how many cells the header row has.
    """

    row: int
    index: Mapping[str, int]
    implied: Mapping[str, str]
    header_of: Mapping[str, str]
    unlabelled: frozenset[int]
    ignored: frozenset[int]
    width: int


def _text(cell: Value) -> str:
    return "" if cell is None else str(cell).strip()


def _matches(layout: Layout, cells: Sequence[Value]) -> int:
    names = layout.names()
    return len({names[n] for n in map(normalise, cells) if n in names})


def find_header(
    layout: Layout, other: Layout, rows: Sequence[tuple[int, list[Value]]]
) -> tuple[Header | None, int, list[Problem]]:
    """Find the header among the first rows; return it, its position in ``rows``, and the
    problems of the header and the title rows above it (any problem: no Header)."""
    top = rows[:HEADER_ROWS]
    at = next((i for i, (_, cells) in enumerate(top) if _matches(layout, cells) >= 3), None)
    if at is None:
        for number, cells in top:
            pieces = [p for c in cells for p in _SEPARATED.split(_text(c))]
            if len(pieces) > len(cells) and _matches(layout, pieces) >= 3:
                return None, 0, [problem(number, "-", "file.separator")]
            if _matches(other, cells) >= 3:
                found = "、".join(h for h in (_text(c) for c in cells) if h)[:60]
                return None, 0, [_other_kind(number, other, found)]
        number, cells = rows[0]
        if sum(1 for c in cells if _text(c)) <= 2:
            expected = _expected(layout, number)
            return None, 0, [problem(number, "-", "header.title", rows=HEADER_ROWS), expected]
        at = 0
    problems = [
        problem(number, "-", "header.above", header=rows[at][0])
        for number, cells in rows[:at]
        if sum(1 for c in cells if _text(c)) > 2
    ]
    header, header_problems = _read_header(layout, *rows[at])
    problems += header_problems
    return (None if problems else header), at, problems


def _other_kind(row: int, other: Layout, found: str) -> Problem:
    return problem(
        row, "-", "header.other_kind", other=other.what, headers=found, other_kind=other.kind
    )


def _expected(layout: Layout, row: int) -> Problem:
    headers = ("、".join(layout.headers), ", ".join(layout.headers))
    return problem(row, "-", "header.expected", headers=headers, kind=layout.kind)


def _read_header(layout: Layout, row: int, cells: Sequence[Value]) -> tuple[Header, list[Problem]]:
    names = layout.names()
    ignored = {normalise(h) for h in IGNORED}
    implied_by = {normalise(h): v for h, v in layout.implied.items()}
    hints = {normalise(h): code for h, code in layout.hints.items()}
    index: dict[str, int] = {}
    header_of: dict[str, str] = {}
    implied: dict[str, str] = {}
    unlabelled, skipped = set(), set()
    problems: list[Problem] = []
    for position, cell in enumerate(cells):
        written, name = _text(cell), normalise(cell)
        key = names.get(name)
        if not name:
            unlabelled.add(position)
        elif name in ignored:
            skipped.add(position)
        elif key is None:
            problems.append(_unknown(layout, row, position, written, name, hints))
        elif key in index:
            problems.append(
                problem(
                    row,
                    written,
                    "column.twice",
                    index=position,
                    header=written,
                    other=column_letter(index[key]),
                    other_header=header_of[key],
                    column=layout.column(key).header,
                )
            )
        else:
            index[key], header_of[key] = position, written
            if name in implied_by:
                implied[implied_by[name][0]] = implied_by[name][1]
    for column in layout.columns:
        if column.key not in index and column.key not in implied:
            others = column.names[1:]
            also: Words = pair("hint.also", names=("、".join(others), ", ".join(others)))
            missing = problem(row, column.header, "column.missing", column=column.header, also=also)
            problems.append(missing)
    if problems:
        problems.append(_expected(layout, row))
    header = Header(
        row, index, implied, header_of, frozenset(unlabelled), frozenset(skipped), len(cells)
    )
    return header, problems


def _unknown(
    layout: Layout, row: int, position: int, written: str, name: str, hints: Mapping[str, str]
) -> Problem:
    hint: Words = ""
    if name in hints:
        hint = pair(hints[name])
    else:  # a known header within it (投诉举报次数（次）, 是否为在建工程): a hint, never a match
        similar = [
            (len(known), c.header)
            for c in layout.columns
            for known in map(normalise, c.names)
            if known in name and (len(known) >= 4 or not known.isascii())
        ]
        if similar:
            hint = pair("hint.similar", column=max(similar)[1])
    return problem(row, written, "column.unknown", index=position, header=written, hint=hint)
