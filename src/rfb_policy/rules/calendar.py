"""Official working days, from the State Council's holiday notices (rule R22).

Two sources, in this order: the office's own data files (``YEAR.json``, one per notice, for years
the package does not cover yet), then the ``chinesecalendar`` package (2004–2026 at version
1.11). A date in a year that neither covers is refused, with the way to add the notice: the
scheduler never guesses a holiday arrangement.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import chinese_calendar  # type: ignore[import-untyped]

from rfb_policy.errors import CalendarError
from rfb_policy.i18n import _

__all__ = ["CALENDAR_FORMAT", "OfficialCalendar", "YearNotice"]

CALENDAR_FORMAT = "rfb-calendar/1"


@attrs.frozen
class YearNotice:
    """One year's official arrangement: days off and adjusted working weekend days."""

    year: int
    notice: str
    holidays: frozenset[date]
    workdays: frozenset[date]

    @classmethod
    def from_file(cls, path: Path) -> YearNotice:
        """Read ``YEAR.json`` (see ``data/calendar/README.md``).

        Raises:
            CalendarError: the file is malformed; the message names the file and the field.
        """
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise CalendarError(
                _("{path}: cannot read the calendar file: {error}").format(path=path, error=err)
            ) from err
        if data.get("format") != CALENDAR_FORMAT:
            raise CalendarError(
                _("{path}: not a calendar file ({format})").format(
                    path=path, format=CALENDAR_FORMAT
                )
            )
        year = data.get("year")
        if not isinstance(year, int) or path.stem != str(year):
            raise CalendarError(
                _("{path}: 'year' must be the year the file is named after").format(path=path)
            )
        if not isinstance(data.get("notice"), str) or not data["notice"].strip():
            raise CalendarError(
                _("{path}: name the State Council notice in 'notice'").format(path=path)
            )

        def days(field: str) -> frozenset[date]:
            values = data.get(field)
            if not isinstance(values, list):
                raise CalendarError(
                    _("{path}: '{field}' must be a list of dates").format(path=path, field=field)
                )
            parsed = set()
            for value in values:
                try:
                    day = date.fromisoformat(value)
                except (TypeError, ValueError) as err:
                    raise CalendarError(
                        _("{path}: '{field}' holds {value}, not a date").format(
                            path=path, field=field, value=repr(value)
                        )
                    ) from err
                if day.year != year:
                    raise CalendarError(
                        _("{path}: '{field}' holds {value}, outside {year}").format(
                            path=path, field=field, value=value, year=year
                        )
                    )
                parsed.add(day)
            return frozenset(parsed)

        holidays, workdays = days("holidays"), days("workdays")
        if holidays & workdays:
            raise CalendarError(
                _("{path}: a day cannot be both a holiday and a workday").format(path=path)
            )
        return cls(year=year, notice=data["notice"], holidays=holidays, workdays=workdays)


class OfficialCalendar:
    """Working days under the official arrangements, refusing years it has no data for."""

    def __init__(self, notices: Iterable[YearNotice] = ()) -> None:
        self._notices = {notice.year: notice for notice in notices}

    @classmethod
    def load(cls, *folders: str | Path) -> OfficialCalendar:
        """The bundled notices plus ``YEAR.json`` files from the office's folders (later wins)."""
        paths: list[Path] = []
        bundled = resources.files("rfb_policy.data") / "calendar"
        with resources.as_file(bundled) as folder:
            paths += sorted(Path(folder).glob("[0-9][0-9][0-9][0-9].json"))
        for extra in folders:
            paths += sorted(Path(extra).glob("[0-9][0-9][0-9][0-9].json"))
        return cls(YearNotice.from_file(path) for path in paths)

    def covers(self, year: int) -> bool:
        """Whether official data exists for ``year``."""
        if year in self._notices:
            return True
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is an official working day.

        Raises:
            CalendarError: no official data for that year.
        """
        notice = self._notices.get(day.year)
        if notice is not None:
            if day in notice.holidays:
                return False
            if day in notice.workdays:
                return True
            return day.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError as err:
            raise CalendarError(
                _(
                    "there is no official holiday arrangement for {year} in the data, so working "
                    "days in {year} are unknown. When the State Council publishes its notice "
                    "(its title: {title}), add it as {year}.json to the office's calendar folder "
                    "(see rfb_policy/data/calendar/README.md)"
                ).format(year=day.year, title=f"国务院办公厅关于{day.year}年部分节假日安排的通知")
            ) from err

    def working_days(self, start: date, end: date) -> list[date]:
        """The working days from ``start`` to ``end``, both included."""
        days = []
        day = start
        while day <= end:
            if self.is_workday(day):
                days.append(day)
            day += timedelta(days=1)
        return days
