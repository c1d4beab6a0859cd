"""``rfb approve`` and ``rfb result``: the leader's confirmation, and each inspection's result."""

from __future__ import annotations

import click

from rfb_policy.cli.app import open_office, performer_of
from rfb_policy.cli.params import DB_OPTION, MONTH_OR_DRAW, OFFICE_KEY_OPTION
from rfb_policy.i18n import N_, _
from rfb_policy.model.results import InspectionResult
from rfb_policy.month import Month

__all__ = ["approve", "result"]


@click.command(
    help=N_(
        "Record an inspection's result; late results are flagged.\n\n"
        "Checked at entry (exit 3, naming the field): the category from the closed list, a fine "
        "in whole yuan, a penalty only with a problem found, the follow-up of a problem to be "
        "handled later, and dates neither before the draw nor after today, the inspection not "
        "after its submission."
    )
)
@click.argument("which", metavar="YYYY-MM|DRAW_ID", type=MONTH_OR_DRAW)
@click.argument("object_id")
@click.option(
    "--category",
    required=True,
    help=N_("the result: one of the categories of the form's closed list"),
)
@click.option("--findings", default="", help=N_("what the inspection found"))
@click.option(
    "--handling",
    default="",
    help=N_("how it was handled (required when a problem is to be handled later)"),
)
@click.option("--penalty-decision", default="", help=N_("the penalty decision's reference"))
@click.option("--penalty-amount", default="", help=N_("the fine, in whole yuan (5000 or 5,000)"))
@click.option(
    "--inspected-on", default=None, metavar="YYYY-MM-DD", help=N_("the day of the inspection")
)
@click.option(
    "--submitted-on",
    default=None,
    metavar="YYYY-MM-DD",
    help=N_("the day the result is submitted (default: today)"),
)
@click.option("--actor", required=True, help=N_("who submits it (the inspection group)"))
@OFFICE_KEY_OPTION
@DB_OPTION
@click.option(
    "--calendar-dir",
    "calendar_dirs",
    multiple=True,
    metavar="DIR",
    help=N_("a folder of holiday calendars (YEAR.json)"),
)
@click.pass_context
def result(
    ctx: click.Context,
    which: Month | str,
    object_id: str,
    category: str,
    findings: str,
    handling: str,
    penalty_decision: str,
    penalty_amount: str,
    inspected_on: str | None,
    submitted_on: str | None,
    actor: str,
    key_path: str | None,
    db: str | None,
    calendar_dirs: tuple[str, ...],
) -> None:
    """An inspection's result (``rfb result``), checked at entry."""
    reported = InspectionResult(
        category=category.strip(),
        findings=findings.strip(),
        handling=handling.strip(),
        penalty_decision=penalty_decision.strip(),
        penalty_amount=penalty_amount,
        inspected_on=inspected_on,
        submitted_on=submitted_on,
    ).check_entry()
    with open_office(
        ctx, db=db, key_path=key_path, signs=True, calendar_dirs=calendar_dirs
    ) as office:
        stored, seq = office.record_result(which, object_id, reported, actor=actor)
    if stored.late:
        shown = _("Recorded the result of {object_id}, submitted LATE (log {seq})")
    else:
        shown = _("Recorded the result of {object_id} (log {seq})")
    click.echo(shown.format(object_id=object_id, seq=seq))


@click.command(
    help=N_("The leader's confirmation of a draw (or a stand-in's, with a written authorisation).")
)
@click.argument("which", metavar="YYYY-MM|DRAW_ID", type=MONTH_OR_DRAW)
@click.option("--leader", required=True, help=N_("the leader in charge"))
@click.option("--stand-in", default=None, help=N_("who confirms instead, when the leader is away"))
@click.option(
    "--authorisation",
    default=None,
    help=N_("the written authorisation's reference (required with --stand-in)"),
)
@click.option("--reject", is_flag=True, help=N_("reject the draw"))
@click.option("--note", default="", help=N_("remarks"))
@click.option("--actor", required=True, help=N_("who records it"))
@OFFICE_KEY_OPTION
@DB_OPTION
@click.pass_context
def approve(
    ctx: click.Context,
    which: Month | str,
    leader: str,
    stand_in: str | None,
    authorisation: str | None,
    reject: bool,
    note: str,
    actor: str,
    key_path: str | None,
    db: str | None,
) -> None:
    """The leader's confirmation (``rfb approve``)."""
    performer = performer_of(leader, stand_in, authorisation)
    with open_office(ctx, db=db, key_path=key_path, signs=True) as office:
        decision = office.approve(which, performer=performer, reject=reject, note=note, actor=actor)
    shown = _("{name}: rejected (log {seq})") if reject else _("{name}: approved (log {seq})")
    click.echo(shown.format(name=performer.name, seq=decision.seq))
