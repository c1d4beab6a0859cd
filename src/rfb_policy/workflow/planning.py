"""Where a month stands, and the year's plan: the office's rules over its records.

Internal: the quotas reveal the confidential totals (数量涉密), so nothing here is published.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date
from fractions import Fraction

import attrs

from fairdraw import FinalisedDraw, PolicyError
from rfb_policy.model.directory import InspectionObject
from rfb_policy.month import Month
from rfb_policy.rules.availability import SectionStatus, section_statuses
from rfb_policy.rules.calendar import OfficialCalendar
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import MonthPlan, annual_plan, month_plan
from rfb_policy.rules.schedule import MonthSchedule, draw_day, month_schedule
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.records import OfficeRecords

__all__ = ["MonthStatus", "OfficeRules", "YearPlan", "month_status", "year_plan"]


@attrs.frozen
class OfficeRules:
    """The office's settings, catalogue and calendar: what its rules need besides the records."""

    config: OfficeConfig
    catalogue: Catalogue
    calendar: OfficialCalendar

    def schedule(self, month: Month) -> MonthSchedule:
        """The month's draw day and results deadline (rules R6, R15)."""
        return month_schedule(
            month.year,
            month.number,
            self.calendar,
            rule=self.config.draw_day_rule,
            deadline_rule=self.config.deadline_rule,
        )

    def sections(self, records: OfficeRecords, month: Month) -> list[SectionStatus]:
        """Every section's confirmation status for ``month``, in section order.

        Raises:
            PolicyError: no inspectors directory yet.
        """
        return section_statuses(
            records.inspectors(),
            records.confirmations(month),
            exempt_sections=self.config.exempt_sections,
            exempt_mode=self.config.exempt_mode,
        )


@attrs.frozen
class MonthStatus:
    """Where a month stands: its dates, each section's confirmation, its draws, its quotas.

    Attributes:
        sections: None before the inspectors directory is imported.
        plan: the month's quotas (internal: totals are confidential); None before the objects
            directory is imported.
    """

    schedule: MonthSchedule
    sections: tuple[SectionStatus, ...] | None
    attempts: tuple[FinalisedDraw, ...]
    plan: MonthPlan | None


@attrs.frozen
class YearPlan:
    """A year's monthly quotas (internal), with each month's draw day and whether it is drawn."""

    year: int
    months: tuple[MonthPlan, ...]
    draw_days: tuple[date, ...]
    drawn: frozenset[int]


def year_plan(
    rules: OfficeRules,
    records: OfficeRecords | None,
    year: int,
    objects: Sequence[InspectionObject] | None = None,
) -> YearPlan:
    """The year's monthly quotas, from ``objects`` (every month projected) or from the records'
    directory, the months drawn so far counting with what their draws chose.

    Raises:
        PolicyError: no objects directory (nor ``objects``).
    """
    drawn: dict[int, dict[str, set[str]]] = {}
    shares: dict[str, Fraction] = {}
    if objects is None:
        if records is None:
            raise PolicyError("plan from the stored directory or from objects; neither was given")
        drawn = records.drawn_by_month(year)
        shares = records.shares_before(Month(year, 12))  # (December never fixes a pad)
        objects = records.objects()
    plans = annual_plan(
        year,
        objects,
        rules.catalogue,
        settings=rules.config.plan,
        drawn=drawn,
        shares=shares,
    )
    rule = rules.config.draw_day_rule
    days = [draw_day(year, m, rules.calendar, rule=rule) for m in range(1, 13)]
    return YearPlan(year, tuple(plans), tuple(days), frozenset(drawn))


def month_status(rules: OfficeRules, records: OfficeRecords, month: Month) -> MonthStatus:
    """Where ``month`` stands: what can be known from the records so far."""
    sections = None
    with contextlib.suppress(PolicyError):
        sections = tuple(rules.sections(records, month))
    plan = None
    try:
        objects = records.objects()
    except PolicyError:
        pass
    else:
        plan = month_plan(
            month.year,
            month.number,
            objects,
            rules.catalogue,
            records.inspected_before(month),
            settings=rules.config.plan,
            shares=records.shares_before(month),
        )
    attempts = tuple(records.month_attempts(month))
    return MonthStatus(rules.schedule(month), sections, attempts, plan)
