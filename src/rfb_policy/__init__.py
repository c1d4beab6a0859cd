"""rfb_policy: the Xicheng District civil air defense office's 双随机、一公开 plan as code.

This package holds the office's rules (inspection items, ratios, schedule, groups, conflicts of
interest, publication). It builds on fairdraw's public API only: the item catalogue, the official
calendar, the monthly schedule, the directories, the annual plan, the groups and their
assignments, the office's configuration and monthly workflow over a store
(:mod:`rfb_policy.office`), the publication, and the ``rfb`` command (:mod:`rfb_policy.cli`).
"""

from rfb_policy.calendar import OfficialCalendar
from rfb_policy.config import OfficeConfig
from rfb_policy.directories import (
    DirectoryImportError,
    InspectionObject,
    Inspector,
    read_inspectors,
    read_objects,
)
from rfb_policy.errors import CalendarError, CatalogueError, ConfigError
from rfb_policy.groups import Assignment, Group, assign_objects, form_groups
from rfb_policy.items import Catalogue, Item
from rfb_policy.plan import MonthPlan, PlanSettings, RiskRule, annual_plan, month_plan
from rfb_policy.schedule import MonthSchedule, draw_day, month_schedule, results_due

__all__ = [
    "Assignment",
    "CalendarError",
    "Catalogue",
    "CatalogueError",
    "ConfigError",
    "DirectoryImportError",
    "Group",
    "InspectionObject",
    "Inspector",
    "Item",
    "MonthPlan",
    "MonthSchedule",
    "OfficeConfig",
    "OfficialCalendar",
    "PlanSettings",
    "RiskRule",
    "annual_plan",
    "assign_objects",
    "draw_day",
    "form_groups",
    "month_plan",
    "month_schedule",
    "read_inspectors",
    "read_objects",
    "results_due",
]
