"""Entering an inspection's result (行政检查单) into the store, checked (rules R15, R16).

A result names an object its draw chose; its form passes
:meth:`rfb_policy.model.results.InspectionResult.check_entry` (the category from the closed
list, a fine in whole yuan, a penalty only with a problem found); its dates are possible (not
before the draw, an inspection not after its own submission, none after today); one submitted
after the month's deadline is kept and flagged late. The object's name in the directory the
draw was made from is recorded with it, so that the signed entry vouches for the name the
publication shows (:mod:`rfb_policy.publish.results`).
"""

from __future__ import annotations

from datetime import date, datetime

import attrs

from fairdraw import OfficeKey, PolicyError
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.i18n import _
from rfb_policy.model.result_checks import check_dates
from rfb_policy.model.results import InspectionResult
from rfb_policy.rules.calendar import OfficialCalendar
from rfb_policy.rules.schedule import DeadlineRule, results_due
from rfb_policy.workflow.clock import BEIJING, Clock
from rfb_policy.workflow.records import OfficeRecords

__all__ = ["drawn_on", "enter_result"]


def drawn_on(record: MonthRecord) -> date:
    """The day (Beijing time) the record's draw was made: its objects were known from then."""
    events = record.record.log.events
    made = next((e for e in reversed(events) if e.kind == "draw"), events[-1])
    return datetime.fromisoformat(made.time).astimezone(BEIJING).date()


def enter_result(
    records: OfficeRecords,
    record: MonthRecord,
    object_id: str,
    result: InspectionResult,
    *,
    calendar: OfficialCalendar,
    deadline_rule: DeadlineRule,
    clock: Clock,
    actor: str,
    key: OfficeKey,
    submitted_on: date | None = None,
) -> tuple[InspectionResult, int]:
    """Check and log ``result`` for ``object_id`` of ``record``'s draw; return it as stored
    (with its submission day, deadline and the object's name) and its log sequence number.

    On a replayed clock (a rehearsal, ``rfb demo``) the dates are not compared with today.

    Raises:
        PolicyError: the object was not drawn in the record.
        ResultError: the form or a date is impossible (the field named).
    """
    draw_id = record.draw_id
    drawn = set(record.objects) | {o for ids in record.alternates.values() for o in ids}
    if object_id not in drawn:
        raise PolicyError(
            _("{object_id} is not an object the draw {draw_id} chose").format(
                object_id=object_id, draw_id=draw_id
            )
        )
    entered = result.check_entry()
    now = clock.now().astimezone(BEIJING).date()
    today = None if clock.replayed else now
    submitted = submitted_on or entered.submitted_on or now
    check_dates(
        inspected_on=entered.inspected_on,
        submitted_on=submitted,
        drawn_on=drawn_on(record),
        today=today,
    )
    month = record.month
    due = results_due(month.year, month.number, calendar, rule=deadline_rule)
    names = {o.id: o.name for o in records.objects(record.objects_snapshot)}
    stored = attrs.evolve(
        entered, submitted_on=submitted, due=due, object_name=names.get(object_id, "")
    )
    return stored, records.add_result(draw_id, object_id, stored, actor=actor, key=key)
