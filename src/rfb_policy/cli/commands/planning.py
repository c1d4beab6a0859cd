"""``rfb items``, ``rfb month`` and ``rfb plan``: the items, a month's dates and status, the year's
quotas."""

from __future__ import annotations

import json
from typing import Any

import click

from fairdraw import print_table, table
from rfb_policy.cli.app import open_office, settings
from rfb_policy.cli.params import MONTH
from rfb_policy.files.directories import read_objects
from rfb_policy.i18n import N_, _
from rfb_policy.month import Month
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.schedule import DeadlineRule, DrawDayRule
from rfb_policy.workflow.office import MonthStatus

__all__ = ["items", "month", "plan"]


_JSON_HELP = N_("print JSON (for programs; never translated)")
_CALENDARS = N_("a folder of holiday calendars (YEAR.json)")


@click.command(help=N_("The inspection items, and why some are not drawn at random."))
@click.option("--catalogue", default=None, metavar="FILE", help=N_("another item catalogue"))
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
def items(catalogue: str | None, as_json: bool) -> None:
    """The item catalogue (``rfb items``)."""
    loaded = Catalogue.from_file(catalogue) if catalogue else Catalogue.bundled()
    if as_json:
        data = {"version": loaded.version, "items": [i.to_public_json() for i in loaded]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(  # a title above the table, not in it: rich would wrap it to the table's width
        _("Inspection items drawn at random (catalogue {version})").format(version=loaded.version)
    )
    drawn = table(_("Code"), _("Item"), _("Ratio"))
    for item in loaded.random_items:
        drawn.add_row(item.code, item.name, str(item.to_public_json()["ratio"]))
    print_table(drawn)
    click.echo(_("Not drawn at random:"))
    for item in loaded.excluded_items:  # the reasons are long: a line each, not a table
        click.echo(
            "  "
            + _("{code} {name}: {reason}").format(
                code=item.code, name=item.name, reason=item.exclusion_reason
            )
        )


@click.command(
    help=N_(
        "The month's draw day and results deadline (YYYY-MM); in an office folder, also each "
        "section's confirmation, the month's draws and its quotas."
    )
)
@click.argument("month", type=MONTH)
@click.option("--calendar-dir", "calendar_dirs", multiple=True, metavar="DIR", help=_CALENDARS)
@click.option(
    "--rule",
    type=click.Choice(["first-tuesday", "first-full-week"]),
    default=None,
    help=N_("how the draw day is chosen (default: the configuration's, or first-tuesday)"),
)
@click.option(
    "--deadline",
    type=click.Choice(["on-or-before-25", "on-or-after-25"]),
    default=None,
    help=N_("how the results deadline is set (default: the configuration's, or on-or-before-25)"),
)
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
@click.pass_context
def month(
    ctx: click.Context,
    month: Month,
    calendar_dirs: tuple[str, ...],
    rule: DrawDayRule | None,
    deadline: DeadlineRule | None,
    as_json: bool,
) -> None:
    """A month's schedule and status (``rfb month``)."""
    config = settings(ctx).with_schedule(rule, deadline)
    with open_office(ctx, config, calendar_dirs=calendar_dirs, needs_store=False) as office:
        schedule = office.schedule(month)
        status = office.status(month) if office.has_store and not as_json else None
    if as_json:
        data: dict[str, Any] = {
            "month": schedule.month,
            "draw_day": schedule.draw_day.isoformat(),
            "moved": schedule.moved,
            "results_due": schedule.results_due.isoformat(),
            "working_days_left": schedule.working_days_left,
            "tight": schedule.tight,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if schedule.moved:
        shown = _("{month} draw day: {day} (moved past a holiday)")
    else:
        shown = _("{month} draw day: {day}")
    click.echo(shown.format(month=schedule.month, day=schedule.draw_day))
    click.echo(_("Results due: {day}").format(day=schedule.results_due))
    click.echo(_("Working days left: {count}").format(count=schedule.working_days_left))
    if schedule.tight:
        click.echo(_("Note: little time for the inspections"))
    if status is not None:
        _print_status(status)


def _print_status(status: MonthStatus) -> None:
    """The month's availability confirmations, draws and (internal) quotas."""
    if status.sections is None:
        click.echo(_("No inspectors directory imported yet"))
        return
    click.echo(_("Availability:"))
    made = table(_("Section"), _("Available"), _("Confirmation"))
    for section in status.sections:
        if section.exempt:
            state = _("exempt")
        elif section.confirmed:
            state = _("confirmed by {confirmer} at {time}").format(
                confirmer=section.confirmer, time=section.time
            )
        else:
            state = _("NOT CONFIRMED")
        made.add_row(section.section, f"{len(section.available)}/{len(section.members)}", state)
    print_table(made)
    for attempt in status.attempts:
        shown = _("Draw: {draw_id} drawn") if attempt.drawn else _("Draw: {draw_id} aborted")
        click.echo(shown.format(draw_id=attempt.draw_id))
    if status.plan is None:
        return
    quotas = _(", ").join(f"{q.scope} {q.quota}" for q in status.plan.quotas if q.quota)
    click.echo(_("This month's quotas (internal, confidential): {quotas}").format(quotas=quotas))
    if status.plan.over_capacity:
        click.echo(
            _("Note: over the groups' capacity by {count}").format(count=status.plan.over_capacity)
        )


@click.command(
    help=N_(
        "The year's monthly quotas (internal: the totals are confidential).\n\n"
        "In an office folder the objects come from the database, and the months already drawn "
        "count with what their draws chose; later months are projected."
    )
)
@click.argument("year", type=click.IntRange(2004, 2100))
@click.option(
    "--objects",
    "objects_path",
    default=None,
    metavar="FILE",
    help=N_("the objects directory (default: the database's)"),
)
@click.option(
    "--objects-per-group",
    type=click.IntRange(min=1),
    default=None,
    help=N_("how many objects a group inspects in a month (default: the configuration's, or 10)"),
)
@click.option("--calendar-dir", "calendar_dirs", multiple=True, metavar="DIR", help=_CALENDARS)
@click.pass_context
def plan(
    ctx: click.Context,
    year: int,
    objects_path: str | None,
    objects_per_group: int | None,
    calendar_dirs: tuple[str, ...],
) -> None:
    """The year's quotas (``rfb plan``)."""
    objects = read_objects(objects_path) if objects_path is not None else None
    config = settings(ctx, needs_folder=objects is None).with_capacity(objects_per_group)
    with open_office(ctx, config, calendar_dirs=calendar_dirs, needs_store=False) as office:
        year_plan = office.plan_year(year, objects=objects)
    codes = ("QUAL", "MAINT", "USE", "COMM")
    click.echo(
        _(
            "{year} plan (internal: the MAINT, USE and COMM totals are confidential, never "
            "published)"
        ).format(year=year)
    )
    made = table(
        _("Month"),
        _("Draw day"),
        *codes,
        _("Total"),
        _("Note"),
        right=(0, 2, 3, 4, 5, 6),
    )
    for month_plan, day in zip(year_plan.months, year_plan.draw_days, strict=True):
        per_item = dict.fromkeys(codes, 0)
        for quota in month_plan.quotas:
            per_item[quota.item] += quota.quota
        notes = []
        if month_plan.month in year_plan.drawn:
            notes.append(_("drawn"))
        if month_plan.over_capacity:
            notes.append(
                _("over the groups' capacity by {count}: adjust it").format(
                    count=month_plan.over_capacity
                )
            )
        made.add_row(
            str(month_plan.month),
            str(day),
            *(str(per_item[c]) for c in codes),
            str(month_plan.total),
            _("; ").join(notes),
        )
    print_table(made)
    if config.plan.quota_mode == "hidden":
        click.echo(
            _(
                "Quota mode hidden: MAINT, USE and COMM draw nothing in their first month of the "
                "year; that month's seed fixes the year's extra draws, and the months not drawn "
                "yet are projected with the largest extra."
            )
        )
