"""rfb_policy: the official calendar and the monthly schedule (rules R6, R15, R22)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rfb_policy.errors import CalendarError
from rfb_policy.rules.calendar import OfficialCalendar
from rfb_policy.rules.schedule import draw_day, month_schedule, results_due

CALENDAR = OfficialCalendar.load()


@pytest.mark.parametrize(
    ("month", "default", "full_week"),
    [
        # Computed in ../shared/notes/domain-rules.md, section 6.1, from the official 2026 notice.
        ((2026, 1), date(2026, 1, 6), date(2026, 1, 6)),
        ((2026, 5), date(2026, 5, 12), date(2026, 5, 12)),
        ((2026, 9), date(2026, 9, 1), date(2026, 9, 8)),
        ((2026, 10), date(2026, 10, 13), date(2026, 10, 13)),
        ((2026, 12), date(2026, 12, 1), date(2026, 12, 8)),
    ],
)
def test_draw_days_of_2026(month: tuple[int, int], default: date, full_week: date) -> None:
    assert draw_day(*month, CALENDAR) == default
    assert draw_day(*month, CALENDAR, rule="first-full-week") == full_week


def test_other_2026_months_keep_their_first_tuesday() -> None:
    for month in (2, 3, 4, 6, 7, 8, 11):
        day = draw_day(2026, month, CALENDAR)
        assert day.day <= 7 and day.weekday() == 1


@pytest.mark.parametrize(
    ("month", "before", "after"),
    [
        ((2026, 1), date(2026, 1, 23), date(2026, 1, 26)),  # the 25th is a Sunday
        ((2026, 9), date(2026, 9, 24), date(2026, 9, 28)),  # 中秋 9/25–9/27
        ((2026, 10), date(2026, 10, 23), date(2026, 10, 26)),
        ((2026, 3), date(2026, 3, 25), date(2026, 3, 25)),  # a working Wednesday
    ],
)
def test_results_deadline(month: tuple[int, int], before: date, after: date) -> None:
    assert results_due(*month, CALENDAR) == before
    assert results_due(*month, CALENDAR, rule="on-or-after-25") == after


def test_a_postponed_draw_is_flagged_when_time_is_short() -> None:
    october = month_schedule(2026, 10, CALENDAR)
    assert october.moved and october.working_days_left == 8 and not october.tight
    assert month_schedule(2026, 10, CALENDAR, min_working_days=9).tight
    assert not month_schedule(2026, 3, CALENDAR).moved


def test_years_without_official_data_are_refused() -> None:
    with pytest.raises(CalendarError, match=r"2027\.json"):
        draw_day(2027, 1, CALENDAR)
    assert not CALENDAR.covers(2027) and CALENDAR.covers(2026)


def test_the_office_adds_a_notice_for_a_new_year(tmp_path: Path) -> None:
    notice = {
        "format": "rfb-calendar/1",
        "year": 2027,
        "notice": "test notice (not the real 2027 arrangement)",
        "holidays": ["2027-01-01", "2027-05-04"],
        "workdays": ["2027-05-08"],
    }
    (tmp_path / "2027.json").write_text(json.dumps(notice), encoding="utf-8")
    calendar = OfficialCalendar.load(tmp_path)
    assert draw_day(2027, 5, calendar) == date(2027, 5, 11)  # 5/4 off → the next Tuesday
    assert calendar.is_workday(date(2027, 5, 8))  # an adjusted Saturday
    assert not calendar.is_workday(date(2027, 1, 1))


def test_a_month_without_a_working_tuesday_is_refused(tmp_path: Path) -> None:
    """The draw never slips silently into the next month."""
    tuesdays = ["2027-06-01", "2027-06-08", "2027-06-15", "2027-06-22", "2027-06-29"]
    notice = {
        "format": "rfb-calendar/1",
        "year": 2027,
        "notice": "test notice (not the real 2027 arrangement)",
        "holidays": tuesdays,
        "workdays": [],
    }
    (tmp_path / "2027.json").write_text(json.dumps(notice), encoding="utf-8")
    calendar = OfficialCalendar.load(tmp_path)
    with pytest.raises(CalendarError, match="no working Tuesday"):
        draw_day(2027, 6, calendar)
    assert draw_day(2027, 7, calendar) == date(2027, 7, 6)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"format": "x"}, "not a calendar file"),
        ({"year": 2028}, "named after"),
        ({"notice": ""}, "notice"),
        ({"holidays": ["2027-13-01"]}, "not a date"),
        ({"holidays": ["2026-12-31"]}, "outside 2027"),
        ({"workdays": ["2027-01-01"]}, "both"),
    ],
)
def test_bad_calendar_files_are_refused(
    tmp_path: Path, content: dict[str, object], message: str
) -> None:
    notice: dict[str, object] = {
        "format": "rfb-calendar/1",
        "year": 2027,
        "notice": "n",
        "holidays": ["2027-01-01"],
        "workdays": [],
    }
    notice.update(content)
    (tmp_path / "2027.json").write_text(json.dumps(notice), encoding="utf-8")
    with pytest.raises(CalendarError, match=message):
        OfficialCalendar.load(tmp_path)


@given(
    st.integers(2004, 2026),
    st.integers(1, 12),
    st.sampled_from(["first-tuesday", "first-full-week"]),
)
def test_draw_day_properties(year: int, month: int, rule: str) -> None:
    """A Tuesday and a working day; the first such Tuesday from the rule's starting Tuesday."""
    day = draw_day(year, month, CALENDAR, rule=rule)  # type: ignore[arg-type]
    assert day.weekday() == 1 and CALENDAR.is_workday(day)
    start = date(year, month, 1)
    start += timedelta(days=(1 - start.weekday()) % 7)
    if rule == "first-full-week" and date(year, month, 1).weekday() == 1:
        start += timedelta(days=7)
    assert start <= day and (day - start).days % 7 == 0
    skipped = [start + timedelta(days=7 * k) for k in range((day - start).days // 7)]
    assert not any(CALENDAR.is_workday(d) for d in skipped)


@given(st.integers(2004, 2026), st.integers(1, 12))
def test_deadline_properties(year: int, month: int) -> None:
    due = results_due(year, month, CALENDAR)
    assert due <= date(year, month, 25) and CALENDAR.is_workday(due)
    assert not CALENDAR.working_days(due + timedelta(days=1), date(year, month, 25))
