"""Command-line parameter types: a month (``YYYY-MM``), or a month or a draw id."""

from __future__ import annotations

import re
from typing import Any

import click

from rfb_policy.i18n import N_
from rfb_policy.month import Month, MonthError

__all__ = ["DB_OPTION", "MONTH", "MONTH_OR_DRAW", "OFFICE_KEY_OPTION"]

DB_OPTION = click.option(
    "--db",
    default=None,
    metavar="PATH|URL",
    help=N_("the database (default: the configuration's, or $FAIRDRAW_DB)"),
)
"""``--db``: the office's database, for the commands that write to it."""

OFFICE_KEY_OPTION = click.option(
    "--key", "key_path", default=None, metavar="KEYFILE", help=N_("the office key")
)
"""``--key``: the office's signing key (default: the configuration's)."""

_MONTHISH = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*月?")
"""Text meant as a month (``2026-1``, ``2026/01``, ``2026年1月``), not as a draw id."""


class MonthType(click.ParamType[Month]):
    """``YYYY-MM``, read by :meth:`rfb_policy.month.Month.parse` (a usage error otherwise)."""

    name = "YYYY-MM"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Month:
        if isinstance(value, Month):
            return value
        try:
            return Month.parse(str(value))
        except MonthError as err:
            self.fail(str(err), param, ctx)


class MonthOrDrawType(click.ParamType[Month | str]):
    """``YYYY-MM`` (the month's draw) or a draw id."""

    name = "YYYY-MM|DRAW_ID"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Month | str:
        if isinstance(value, Month):
            return value
        text = str(value)
        if _MONTHISH.fullmatch(text):  # meant as a month
            try:
                return Month.parse(text)
            except MonthError as err:
                self.fail(str(err), param, ctx)
        return text


MONTH = MonthType()
MONTH_OR_DRAW = MonthOrDrawType()
