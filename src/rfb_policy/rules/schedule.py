"""The monthly schedule: the draw day and the results deadline (rules R6, R15).

*Draw day.* The plan says "每月第一周的周二进行双随机抽取操作（遇节假日顺延至下周二）". The default
reading is the month's first Tuesday (day 1 to 7); "the Tuesday of the first full Monday–Sunday
week" is the configurable alternative (they differ only when the 1st is a Tuesday). If that
Tuesday is not an official working day, the draw moves a week at a time to the next Tuesday.

*Results deadline.* Results are due "于当月25日": by default the last working day on or before the
25th; the next working day on or after it is the alternative. A draw that leaves fewer than
``min_working_days`` working days before the deadline is flagged.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import attrs

from rfb_policy.errors import CalendarError
from rfb_policy.i18n import _
from rfb_policy.rules.calendar import OfficialCalendar

__all__ = [
    "DeadlineRule",
    "DrawDayRule",
    "MonthSchedule",
    "draw_day",
    "month_schedule",
    "results_due",
]

DrawDayRule = Literal["first-tuesday", "first-full-week"]
DeadlineRule = Literal["on-or-before-25", "on-or-after-25"]
TUESDAY = 1


def _first_tuesday(year: int, month: int, rule: DrawDayRule) -> date:
    first = date(year, month, 1)
    tuesday = first + timedelta(days=(TUESDAY - first.weekday()) % 7)
    if rule == "first-full-week" and first.weekday() != 0:
        # The first full week starts on the first Monday; its Tuesday is the day after.
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        tuesday = monday + timedelta(days=1)
    return tuesday


def draw_day(
    year: int, month: int, calendar: OfficialCalendar, *, rule: DrawDayRule = "first-tuesday"
) -> date:
    """The month's draw day: its first (working) Tuesday, moved a week at a time past holidays.

    Raises:
        CalendarError: no official calendar for the year, or no working Tuesday left in the
            month (the draw never slips silently into the next month).
    """
    day = _first_tuesday(year, month, rule)
    while not calendar.is_workday(day):
        day += timedelta(days=7)
        if day.month != month:
            raise CalendarError(
                _(
                    "{month}: no working Tuesday is left in the month; the office must set "
                    "the draw day"
                ).format(month=f"{year:04d}-{month:02d}")
            )
    return day


def results_due(
    year: int, month: int, calendar: OfficialCalendar, *, rule: DeadlineRule = "on-or-before-25"
) -> date:
    """The day the month's results are due: the working day nearest the 25th on the rule's side."""
    day = date(year, month, 25)
    step = timedelta(days=-1 if rule == "on-or-before-25" else 1)
    while not calendar.is_workday(day):
        day += step
    return day


@attrs.frozen
class MonthSchedule:
    """One month's dates.

    Attributes:
        month: ``YYYY-MM``.
        draw_day: when the draw is made.
        moved: whether the draw day was moved past a holiday.
        results_due: when results are due.
        working_days_left: working days after the draw day up to the deadline, both ends
            excluded and included respectively.
        tight: fewer working days are left than the office wants.
    """

    month: str
    draw_day: date
    moved: bool
    results_due: date
    working_days_left: int
    tight: bool


def month_schedule(
    year: int,
    month: int,
    calendar: OfficialCalendar,
    *,
    rule: DrawDayRule = "first-tuesday",
    deadline_rule: DeadlineRule = "on-or-before-25",
    min_working_days: int = 5,
) -> MonthSchedule:
    """The draw day, the deadline and how much time the groups have."""
    drawn = draw_day(year, month, calendar, rule=rule)
    due = results_due(year, month, calendar, rule=deadline_rule)
    left = len(calendar.working_days(drawn + timedelta(days=1), due)) if due > drawn else 0
    return MonthSchedule(
        month=f"{year:04d}-{month:02d}",
        draw_day=drawn,
        moved=drawn != _first_tuesday(year, month, rule),
        results_due=due,
        working_days_left=left,
        tight=left < min_working_days,
    )
