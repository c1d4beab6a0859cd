"""Reading one cell of a directory: text, 是/否, counts, dates, items, lists.

Each reader takes the cell as the file stores it (CSV cells are text; a workbook's may be
numbers, dates, booleans) and returns the value, or raises :class:`CellProblem` with the message
code that says what is wrong.

Full-width digits and punctuation (２０２４／１／１, ３), which a Chinese input method types, are
read as their ASCII forms; other characters that merely look like digits (①, ¹, ⑴) are refused,
since they are list markers and footnotes, not numbers (NFKC would turn ① into 1).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

import attrs

from rfb_policy.files.messages import Words
from rfb_policy.files.xlsx import CellError, Uncached, Value, from_serial
from rfb_policy.rules.items import Catalogue

__all__ = [
    "CellProblem",
    "ItemNames",
    "count",
    "day",
    "display",
    "flag",
    "split",
    "text",
]

YES = frozenset({"是", "y", "yes", "true", "1", "√"})
NO = frozenset({"否", "n", "no", "false", "0", ""})
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# [0-9], never \d: \d would take other scripts' digits too.
_DATE = re.compile(
    r"([0-9]{4})(?:([-/.])([0-9]{1,2})\2([0-9]{1,2})|年([0-9]{1,2})月([0-9]{1,2})日?)"
)
_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
_NEGATIVE = re.compile(r"-\s*[0-9]+(?:\.[0-9]+)?")
_DECIMAL = re.compile(r"[0-9]*\.[0-9]+")
_SEPARATORS = re.compile(r"[、，,；;\s]+")
_FIRST_SERIAL, _LAST_SERIAL = date(1950, 1, 1), date(2199, 12, 31)


class CellProblem(Exception):  # noqa: N818 (a problem of the file, reported, never raised out)
    """What is wrong with a cell: a message code and its fields."""

    def __init__(self, code: str, /, **fields: Words) -> None:
        super().__init__(code)
        self.code = code
        self.fields = fields


def half_width(value: str) -> str:
    """Full-width ASCII forms (０-９, Ａ-Ｚ, ／, ．…) and the ideographic space as ASCII."""
    return value.translate(_HALF_WIDTH)


def display(value: Value) -> str:
    """A cell as the clerk sees it, for a message."""
    if isinstance(value, Uncached):
        return value.formula
    if isinstance(value, CellError):
        return value.code
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return "" if value is None else str(value).strip()


def text(value: Value, *, code: bool = False) -> str:
    """A cell's text: surrounding white space removed, normalised to NFC.

    A number is written as Excel shows it in a General cell; in a column of codes (``code``) a
    number Excel keeps with fewer than all its digits (16 or more) is refused, since its last
    digits may be lost.
    """
    if type(value) is str:
        return unicodedata.normalize("NFC", value.strip())
    if value is None:
        return ""
    if isinstance(value, Uncached):
        raise CellProblem("cell.formula", formula=value.formula)
    if isinstance(value, CellError):
        raise CellProblem("cell.error")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        if code and len(str(abs(value))) > 15:
            raise CellProblem("id.number")
        return str(value)
    if isinstance(value, float):
        if code:
            raise CellProblem("id.number")
        return repr(value)
    return display(value)


def flag(value: Value) -> bool:
    """是 or 否 (Y/N, yes/no, true/false, 1/0, √); an empty cell is 否."""
    if isinstance(value, bool):
        return value
    word = half_width(text(value)).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellProblem("flag.bad")


def count(value: Value) -> int:
    """A whole number, 0 or more; an empty cell is 0."""
    if isinstance(value, bool | datetime):
        raise CellProblem("count.date" if isinstance(value, datetime) else "count.bad")
    if isinstance(value, int):
        if value < 0:
            raise CellProblem("count.negative")
        return value
    if isinstance(value, float):
        raise CellProblem("count.decimal" if value >= 0 else "count.negative")
    digits = half_width(text(value))
    if not digits:
        return 0
    if digits.isascii() and digits.isdigit():
        return int(digits)
    if _NEGATIVE.fullmatch(digits):
        raise CellProblem("count.negative")
    if _DECIMAL.fullmatch(digits):
        raise CellProblem("count.decimal")
    raise CellProblem("count.bad")


def day(value: Value, *, epoch_1904: bool = False) -> date | None:
    """A date, in the forms Chinese offices write it, or an Excel date or serial number; None
    for an empty cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, bool):
        raise CellProblem("date.bad")
    if isinstance(value, int | float):
        return _serial(value, str(value), epoch_1904)
    written = half_width(text(value))
    if not written:
        return None
    if _SERIAL.fullmatch(written):  # a CSV saved from a date cell formatted as General
        return _serial(float(written), written, epoch_1904)
    found = _DATE.fullmatch(written)
    if found is None:
        raise CellProblem("date.bad")
    year, month, dd = (int(g) for g in found.groups() if g is not None and g.isdigit())
    try:
        return date(year, month, dd)
    except ValueError:
        if year < 1 or not 1 <= month <= 12:
            raise CellProblem("date.bad") from None
        raise CellProblem("date.impossible", year=year, month=month, day=dd) from None


def _serial(number: float, written: str, epoch_1904: bool) -> date:
    found = from_serial(number, epoch_1904=epoch_1904)
    if found is None or not _FIRST_SERIAL <= found <= _LAST_SERIAL:
        raise CellProblem("date.serial", day=found.isoformat() if found else "-")
    return found


def split(value: str) -> tuple[str, ...]:
    """A list in one cell, separated by 、，,；; or white space."""
    return tuple(part for part in _SEPARATORS.split(value) if part)


@attrs.frozen
class ItemNames:
    """The inspection items a directory may name, by code or by name.

    An item is written as its code (``QUAL``, in any case) or its name as ``rfb items`` lists
    it (西城区人防工程质量监督), or that name without the district all the names begin with
    (人防工程质量监督); full-width letters and spaces within are allowed.
    """

    codes: dict[str, str]
    excluded: dict[str, tuple[str, str]]
    choices: tuple[str, str]

    @classmethod
    def of(cls, catalogue: Catalogue) -> ItemNames:
        """The names of ``catalogue``'s items."""
        prefix = _district([item.name for item in catalogue])
        codes: dict[str, str] = {}
        excluded: dict[str, tuple[str, str]] = {}
        for item in catalogue:
            for name in (item.code, item.name, item.name.removeprefix(prefix)):
                if item.random:
                    codes[_key(name)] = item.code
                else:
                    excluded[_key(name)] = (item.code, item.exclusion_reason or "")
        drawn = catalogue.random_items
        shown = (
            "、".join(f"{i.code}（{i.name}）" for i in drawn),
            ", ".join(f"{i.code} ({i.name})" for i in drawn),
        )
        return cls(codes, excluded, shown)

    def read(self, value: str) -> tuple[str, ...]:
        """The item codes a cell names, in the order written, each once.

        Raises:
            CellProblem: a name is no item, or an item not drawn at random (its reason given).
        """
        found: list[str] = []
        for part in split(value):
            code = self.codes.get(_key(part))
            if code is None:
                if _key(part) in self.excluded:
                    other, reason = self.excluded[_key(part)]
                    raise CellProblem("items.excluded", value=part, code=other, reason=reason)
                raise CellProblem("items.unknown", value=part, choices=self.choices)
            if code not in found:
                found.append(code)
        return tuple(found)


def _key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).upper()


def _district(names: Iterable[str]) -> str:
    """The district all the names begin with (西城区), or an empty string."""
    first, *rest = names
    end = first.find("区") + 1
    if end and all(n.startswith(first[:end]) for n in rest):
        return first[:end]
    return ""
