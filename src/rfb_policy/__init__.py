"""rfb_policy: the Xicheng District civil air defense office's 双随机、一公开 plan as code.

This package holds the office's rules (inspection items, ratios, schedule, groups, conflicts of
interest, publication). It builds on fairdraw's public API only. Present so far: the item
catalogue (:mod:`rfb_policy.items`), the official calendar (:mod:`rfb_policy.calendar`) and the
monthly schedule (:mod:`rfb_policy.schedule`), and the ``rfb`` command (:mod:`rfb_policy.cli`).
"""

from rfb_policy.calendar import OfficialCalendar
from rfb_policy.errors import CalendarError, CatalogueError
from rfb_policy.items import Catalogue, Item
from rfb_policy.schedule import MonthSchedule, draw_day, month_schedule, results_due

__all__ = [
    "CalendarError",
    "Catalogue",
    "CatalogueError",
    "Item",
    "MonthSchedule",
    "OfficialCalendar",
    "draw_day",
    "month_schedule",
    "results_due",
]
