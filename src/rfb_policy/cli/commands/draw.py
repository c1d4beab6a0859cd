"""``rfb draw``: the month's ceremony, with the leader's dice typed at the prompt."""

from __future__ import annotations

import re
import shlex
from datetime import datetime
from pathlib import Path

import click

from fairdraw import PolicyError, print_table, table
from rfb_policy.ceremony.announce import DICE_ROLLS
from rfb_policy.cli.app import echo_draw_files, lang_of, open_office, performer_of
from rfb_policy.cli.params import MONTH
from rfb_policy.cli.prompts import BeaconPrompt, LotteryPrompt, WitnessPrompt
from rfb_policy.i18n import N_, _
from rfb_policy.month import Month
from rfb_policy.workflow.clock import Clock, beijing
from rfb_policy.workflow.drawing import MonthDraw
from rfb_policy.workflow.export import DrawFiles
from rfb_policy.workflow.resuming import DrawPaused
from rfb_policy.workflow.witnesses import WitnessFolder

__all__ = ["draw", "parse_rolls"]

_ROLL = re.compile(r"[1-6]")


def parse_rolls(text: str) -> list[int]:
    """Dice rolls typed as digits, with or without spaces or commas (``3 5 1`` or ``351``).

    Raises:
        click.BadParameter: a character is not a roll of a six-sided die, or the count is wrong.
    """
    cleaned = re.sub(r"[\s,，、]", "", text)
    bad = [c for c in cleaned if not _ROLL.fullmatch(c)]
    if bad:
        raise click.BadParameter(
            _("{char} is not a roll of a six-sided die (1–6)").format(char=repr(bad[0]))
        )
    if len(cleaned) != DICE_ROLLS:
        raise click.BadParameter(
            _("{count} rolls typed; the ceremony needs {needed}").format(
                count=len(cleaned), needed=DICE_ROLLS
            )
        )
    return [int(c) for c in cleaned]


def _replayed(replay: str | None) -> Clock:
    """The ceremony's clock: now, or the rehearsal's replayed start."""
    if replay is None:
        return Clock()
    try:
        start = datetime.fromisoformat(replay)
    except ValueError as err:
        raise click.BadParameter(_("--at: not a time ({value})").format(value=replay)) from err
    if start.tzinfo is None:
        raise click.BadParameter(_("--at needs a time zone (…Z or +08:00)"))
    return Clock(start)


@click.command(
    help=N_(
        "Run the month's draw ceremony: announce, witnesses, commitments, dice, reveals, beacon "
        "(or lottery draw), draw, groups. A ceremony with a lottery draw pauses after the "
        "reveals; --resume finishes it once the numbers are published."
    )
)
@click.argument("month", type=MONTH)
@click.option("--leader", default=None, help=N_("the leader's name (required, but with --resume)"))
@click.option("--stand-in", default=None, help=N_("who draws instead, when the leader is away"))
@click.option(
    "--authorisation",
    default=None,
    help=N_("the written authorisation's reference (required with --stand-in)"),
)
@click.option(
    "--dice",
    default=None,
    metavar="ROLLS",
    help=N_("the leader's 50 rolls of the die (asked at the ceremony when not given)"),
)
@click.option("--actor", default="执法宣传科", show_default=True, help=N_("who operates"))
@click.option(
    "--redraw-reason",
    default=None,
    help=N_("why the month is drawn again after an abort"),
)
@click.option(
    "--abort-unfinished",
    default=None,
    metavar="REASON",
    help=N_("abort the month's unfinished ceremony, saying why"),
)
@click.option(
    "--witness-dir",
    default=None,
    metavar="DIR",
    help=N_("a folder the witnesses put their files in (pasted at the ceremony when not given)"),
)
@click.option(
    "--at",
    "replay",
    default=None,
    metavar="TIME",
    help=N_("for a rehearsal: the ceremony starts at this time (RFC 3339)"),
)
@click.option(
    "--resume",
    is_flag=True,
    help=N_("finish the ceremony waiting for its lottery draw, once it is drawn"),
)
@click.option(
    "--numbers",
    default=None,
    help=N_("the lottery numbers, with --resume (asked when not given)"),
)
@click.pass_context
def draw(
    ctx: click.Context,
    month: Month,
    leader: str,
    stand_in: str | None,
    authorisation: str | None,
    dice: str | None,
    actor: str,
    redraw_reason: str | None,
    abort_unfinished: str | None,
    witness_dir: str | None,
    replay: str | None,
    resume: bool,
    numbers: str | None,
) -> None:
    """The month's draw ceremony (``rfb draw``)."""
    lang = lang_of(ctx)
    clock = _replayed(replay)
    if resume or numbers is not None:
        _resume(ctx, lang, month, actor, clock, numbers)
        return
    if leader is None:
        raise click.UsageError(_("--leader is required: the leader's name"))
    performer = performer_of(leader, stand_in, authorisation)
    rolls = parse_rolls(dice) if dice is not None else None

    def leader_rolls(count: int) -> list[int]:
        if rolls is not None:
            return rolls
        while True:
            try:
                typed = click.prompt(
                    _("{name}, roll the die {count} times and type the results").format(
                        name=performer.name, count=count
                    ),
                    err=True,
                )
            except click.Abort as err:  # Ctrl-C or the end of input at the prompt
                raise EOFError("the dice prompt was closed") from err
            try:
                return parse_rolls(typed)
            except click.BadParameter as err:
                click.echo(_("Again: {problem}").format(problem=err.message), err=True)

    with open_office(ctx, signs=True, needs_folder=True, clock=clock) as office:
        try:
            drawn, files = office.draw(
                month,
                performer=performer,
                dice=leader_rolls,
                actor=actor,
                redraw_reason=redraw_reason,
                abort_unfinished=abort_unfinished,
                witness_desk=(
                    WitnessPrompt()
                    if witness_dir is None
                    else WitnessFolder(Path(witness_dir), _tell)
                ),
                beacon_by_hand=BeaconPrompt(),
            )
        except DrawPaused as paused:
            click.echo(paused.message(str(month)))
            return
        names = {o.id: o.name for o in office.records.objects()}
        officers = {i.certificate: i.name for i in office.records.inspectors()}
    _print_draw(lang, drawn, officers, names, files)


def _resume(
    ctx: click.Context, lang: str, month: Month, actor: str, clock: Clock, numbers: str | None
) -> None:
    """``rfb draw MONTH --resume``: the lottery numbers typed in, then the draw."""
    with open_office(ctx, signs=True, needs_folder=True, clock=clock) as office:
        try:
            drawn, files = office.resume(
                month,
                actor=actor,
                numbers=LotteryPrompt(numbers),
                beacon_by_hand=BeaconPrompt(),
            )
        except DrawPaused as paused:
            raise PolicyError(
                _(
                    "the lottery is not drawn yet (due {time}); run --resume once it is; nothing "
                    "was stored"
                ).format(time=beijing(paused.source.due))
            ) from None
        names = {o.id: o.name for o in office.records.objects()}
        officers = {i.certificate: i.name for i in office.records.inspectors()}
    _print_draw(lang, drawn, officers, names, files)


def _tell(message: str) -> None:
    click.echo(message, err=True)


def _print_draw(
    lang: str,
    drawn: MonthDraw,
    officers: dict[str, str],
    names: dict[str, str],
    files: DrawFiles,
) -> None:
    click.echo(
        _("{month} drawn: {draw_id} (draw day {day})").format(
            month=drawn.month, draw_id=drawn.draw_id, day=drawn.draw_day
        )
    )
    assignment = drawn.outcome.assignment
    made = table(_("Group"), _("Inspectors"), _("Object"), _("Name"))
    for group, ids in zip(assignment.groups, assignment.objects, strict=True):
        label = _("Group {number}").format(number=group.number)
        members = _(", ").join(officers.get(m, m) for m in group.members)
        if not ids:
            made.add_row(label, members, "", "")
        for index, object_id in enumerate(ids):
            first = index == 0
            made.add_row(label if first else "", members if first else "", object_id,
                         names.get(object_id, ""))  # fmt: skip
    print_table(made)
    for move in assignment.substitutions:
        click.echo(
            _("Recusal: {object_id} moved from group {source} to group {target}").format(
                object_id=move.object_id, source=move.from_group, target=move.to_group
            )
        )
    click.echo(drawn.record.record.steering.sentence(lang))
    echo_draw_files(files)
    click.echo(
        _("Next: the leader confirms: rfb approve {month} --leader NAME --actor WHO").format(
            month=drawn.month
        )
    )
    click.echo(_("Public check:"))
    click.echo(f"  {shlex.join(files.public_words)}")
    click.echo(
        _("The complete check, with the confidential lists: {path}").format(
            path=files.internal / "verify.sh"
        )
    )
