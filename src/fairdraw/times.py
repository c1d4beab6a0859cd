"""Times in ceremony records: RFC 3339, UTC, whole seconds, written with a ``Z``."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fairdraw.errors import CeremonyError
from fairdraw.i18n import BEIJING, _

__all__ = ["BEIJING", "format_time", "now", "parse_time"]

_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def parse_time(value: object, what: str | None = None) -> datetime:
    """Read ``YYYY-MM-DDTHH:MM:SSZ``.

    Raises:
        CeremonyError: any other form; the message names ``what`` (a member's name, or
            "time" in the run's language).
    """
    what = _("time") if what is None else what
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise CeremonyError(
            _("{what} must look like 2026-05-12T09:00:00Z, not {value!r}").format(
                what=what, value=value
            )
        )
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as err:
        raise CeremonyError(
            _("{what} {value!r} is not a real time").format(what=what, value=value)
        ) from err


def format_time(when: datetime) -> str:
    """Write an aware datetime in the record form."""
    if when.tzinfo is None:
        raise CeremonyError(_("times must carry a time zone"))
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now() -> datetime:
    """The current time, truncated to whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)
