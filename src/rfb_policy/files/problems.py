"""What can be wrong with a directory file: each problem where it is, and the error listing them."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from fairdraw import InputError
from rfb_policy.files.messages import Words, text
from rfb_policy.i18n import _

__all__ = ["DirectoryImportError", "Problem", "column_letter", "problem"]


def column_letter(index: int) -> str:
    """A column's letter as a spreadsheet shows it: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@attrs.frozen
class Problem:
    """One problem in an imported file: where it is and what is wrong.

    Attributes:
        row: the row, numbered as the spreadsheet (or the CSV's records) number it; None for a
            problem of the file as a whole.
        column: the column, by the header the template writes (``在建``), or as the file wrote
            it for a column the import does not know; ``-`` when it is no column's.
        reason: what is wrong and what to do, in the run's language.
        code: the kind of problem (``date.bad``, ``column.unknown`` …; see
            :data:`rfb_policy.files.messages.MESSAGES`).
        value: the cell's content as read, when the problem is a cell's.
        letter: the column's letter in the spreadsheet (``D``).
        field: the import's name of the column (``valid_from``).
    """

    row: int | None
    column: str
    reason: str
    code: str = ""
    value: str | None = None
    letter: str | None = None
    field: str | None = None

    @property
    def cell(self) -> str | None:
        """The cell's address (``D5``), when the problem is one cell's."""
        if self.letter is None or self.row is None:
            return None
        return f"{self.letter}{self.row}"

    def where(self) -> str:
        """Where the problem is, in words and the run's language: ``row 5, column 适用事项
        (D5)`` (``第 5 行，适用事项 列（D5）`` in Chinese)."""
        parts = [] if self.row is None else [_("row {row}").format(row=self.row)]
        at = self.cell or self.letter
        if self.column != "-":
            named = _("column {column}").format(column=self.column)
            parts.append(_("{column} ({cell})").format(column=named, cell=at) if at else named)
        elif self.letter:
            parts.append(_("column {column}").format(column=self.letter))
        if len(parts) == 2:
            return _("{row}, {column}").format(row=parts[0], column=parts[1])
        return parts[0] if parts else _("file")

    def shown(self) -> str:
        """Where the problem is and what is wrong, in the run's language."""
        return _("{where}: {reason}").format(where=self.where(), reason=self.reason)

    def __str__(self) -> str:
        return self.shown()


def problem(
    row: int | None,
    column: str,
    code: str,
    /,
    *,
    value: str | None = None,
    index: int | None = None,
    field: str | None = None,
    **fields: Words,
) -> Problem:
    """A :class:`Problem` whose reason is the message ``code``; ``row`` and ``value`` are fields
    of the message too, unless ``fields`` give others."""
    fields = {"row": "-" if row is None else row, **fields}  # a message may name its row
    if value is not None:
        fields = {"value": value, **fields}
    return Problem(
        row,
        column,
        text(code, **fields),
        code=code,
        value=value,
        letter=None if index is None else column_letter(index),
        field=field,
    )


class DirectoryImportError(InputError):
    """A directory file has problems; nothing of it was imported.

    Attributes:
        path: the file.
        problems: every problem found, by row and column.
        sheet: the worksheet read, for a workbook.
    """

    code = "policy.directory"
    reason = "directory"

    def __init__(self, path: str, problems: Sequence[Problem], *, sheet: str | None = None) -> None:
        shown = _("; ").join(p.shown() for p in problems[:20])
        more = text("import.more", count=len(problems) - 20) if len(problems) > 20 else ""
        where = (
            path if sheet is None else _("{path} (sheet “{sheet}”)").format(path=path, sheet=sheet)
        )
        super().__init__(
            _("{file}: nothing was imported: {problems}").format(file=where, problems=shown + more)
        )
        self.path = path
        self.problems = tuple(problems)
        self.sheet = sheet
