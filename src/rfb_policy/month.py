"""One month of the office's work, ``YYYY-MM``: the one type every command and step uses.

A month is read from text in one place (:meth:`Month.parse`), so ``2026-13``, ``2026-1`` and
``2026/01`` are refused the same way everywhere, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Self

import attrs

from fairdraw import InputError
from rfb_policy.i18n import _

__all__ = ["Month", "MonthError"]

_TEXT = re.compile(r"(\d{4})-(\d{2})")


class MonthError(InputError):
    """Text that is not a month written ``YYYY-MM`` (January to December)."""

    code = "policy.month"
    reason = "month"


@attrs.frozen(order=True)
class Month:
    """A calendar month: ``year`` (1–9999) and ``number`` (1–12). ``str(month)`` is ``YYYY-MM``."""

    year: int = attrs.field(validator=attrs.validators.in_(range(1, 10000)))
    number: int = attrs.field(validator=attrs.validators.in_(range(1, 13)))

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read ``YYYY-MM``.

        Raises:
            MonthError: any other form, or a month number outside 01–12.
        """
        match = _TEXT.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) == 0:
            raise MonthError(
                _("{text!r} is not a month; write it as YYYY-MM, e.g. 2026-12").format(text=text)
            )
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of_scope(cls, scope: str) -> Self | None:
        """The month a scope name starts with (``2026-12/MAINT/base`` → 2026-12), or None."""
        head = scope.split("/", 1)[0]
        try:
            return cls.parse(head)
        except MonthError:
            return None

    @classmethod
    def of_scopes(cls, scopes: Iterable[str]) -> Self | None:
        """The month of the first scope name that starts with one, or None (not a monthly
        draw of the office)."""
        return next((m for s in scopes if (m := cls.of_scope(s)) is not None), None)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"

    def scope(self, name: str) -> str:
        """The month's scope of that name: ``2026-12/inspectors``."""
        return f"{self}/{name}"
