"""rfb_policy: the Xicheng District civil air defense office's 双随机、一公开 plan as code.

It builds on fairdraw's public API only, in layers that import only the layers below them:

* :mod:`rfb_policy.month` and :mod:`rfb_policy.errors`: the month and the errors;
* :mod:`rfb_policy.model`: the directories' entries and the result form;
* :mod:`rfb_policy.rules`: the office's rules, as pure functions (items, calendar, schedule,
  availability, plan, groups);
* :mod:`rfb_policy.files`: reading the directories from CSV or XLSX, and a draw's internal lists;
* :mod:`rfb_policy.ceremony`: the month as one fairdraw ceremony, and its record read back;
* :mod:`rfb_policy.publish`: the disclosure and the citizen's check of it;
* :mod:`rfb_policy.workflow`: the :class:`Office` service, a method per step of the month;
* :mod:`rfb_policy.cli`: the ``rfb`` command, a thin caller of the service.
"""

from rfb_policy.ceremony.record import MonthOutcome, MonthRecord
from rfb_policy.errors import (
    CalendarError,
    CatalogueError,
    ConfigError,
    InternalListsError,
    ResultError,
)
from rfb_policy.files.directories import DirectoryImportError, read_inspectors, read_objects
from rfb_policy.files.internal import InternalLists, read_internal
from rfb_policy.model.directory import InspectionObject, Inspector
from rfb_policy.model.performer import Performer
from rfb_policy.model.results import RESULT_CATEGORIES, InspectionResult
from rfb_policy.month import Month, MonthError
from rfb_policy.publish.verify import publication_report, verify_publication
from rfb_policy.rules.calendar import OfficialCalendar
from rfb_policy.rules.groups import Assignment, Group, GroupRules, assign_objects, form_groups
from rfb_policy.rules.items import Catalogue, Item
from rfb_policy.rules.plan import MonthPlan, PlanSettings, RiskRule, annual_plan, month_plan
from rfb_policy.rules.schedule import MonthSchedule, draw_day, month_schedule, results_due
from rfb_policy.workflow.clock import Clock
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.drawing import MonthDraw
from rfb_policy.workflow.folder import init_office
from rfb_policy.workflow.office import MonthStatus, Office, YearPlan

__all__ = [
    "RESULT_CATEGORIES",
    "Assignment",
    "CalendarError",
    "Catalogue",
    "CatalogueError",
    "Clock",
    "ConfigError",
    "DirectoryImportError",
    "Group",
    "GroupRules",
    "InspectionObject",
    "InspectionResult",
    "Inspector",
    "InternalLists",
    "InternalListsError",
    "Item",
    "Month",
    "MonthDraw",
    "MonthError",
    "MonthOutcome",
    "MonthPlan",
    "MonthRecord",
    "MonthSchedule",
    "MonthStatus",
    "Office",
    "OfficeConfig",
    "OfficialCalendar",
    "Performer",
    "PlanSettings",
    "ResultError",
    "RiskRule",
    "YearPlan",
    "annual_plan",
    "assign_objects",
    "draw_day",
    "form_groups",
    "init_office",
    "month_plan",
    "month_schedule",
    "publication_report",
    "read_inspectors",
    "read_internal",
    "read_objects",
    "results_due",
    "verify_publication",
]
