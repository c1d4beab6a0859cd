"""``rfb draw``: the month's ceremony, with the leader's dice typed at the prompt."""

from __future__ import annotations

import re
import shlex
from datetime import datetime
from pathlib import Path

import click

from fairdraw import PolicyError
from rfb_policy.ceremony.announce import DICE_ROLLS
from rfb_policy.cli.app import echo_draw_files, lang_of, open_office, performer_of, say
from rfb_policy.cli.params import MONTH
from rfb_policy.cli.prompts import BeaconPrompt, LotteryPrompt, WitnessPrompt
from rfb_policy.month import Month
from rfb_policy.workflow.clock import Clock, beijing
from rfb_policy.workflow.drawing import MonthDraw
from rfb_policy.workflow.export import DrawFiles
from rfb_policy.workflow.resuming import DrawPaused
from rfb_policy.workflow.witnesses import WitnessFolder

__all__ = ["draw", "parse_rolls"]

_ROLL = re.compile(r"[1-6]")


def parse_rolls(text: str, lang: str = "en") -> list[int]:
    """Dice rolls typed as digits, with or without spaces or commas (``3 5 1`` or ``351``).

    Raises:
        click.BadParameter: a character is not a roll of a six-sided die, or the count is wrong.
    """
    cleaned = re.sub(r"[\s,，、]", "", text)
    bad = [c for c in cleaned if not _ROLL.fullmatch(c)]
    if bad:
        raise click.BadParameter(
            say(
                lang,
                f"{bad[0]!r} 不是六面骰子的点数（1–6）",
                f"{bad[0]!r} is not a roll of a six-sided die (1–6)",
            )
        )
    if len(cleaned) != DICE_ROLLS:
        raise click.BadParameter(
            say(
                lang,
                f"输入了 {len(cleaned)} 个点数，需要 {DICE_ROLLS} 个",
                f"{len(cleaned)} rolls typed; the ceremony needs {DICE_ROLLS}",
            )
        )
    return [int(c) for c in cleaned]


def _replayed(replay: str | None) -> Clock:
    """The ceremony's clock: now, or the rehearsal's replayed start."""
    if replay is None:
        return Clock()
    lang = lang_of(click.get_current_context())
    try:
        start = datetime.fromisoformat(replay)
    except ValueError as err:
        raise click.BadParameter(
            say(lang, f"--at：时间格式有误（{replay}）", f"--at: not a time: {err}")
        ) from err
    if start.tzinfo is None:
        raise click.BadParameter(
            say(lang, "--at 须带时区（…Z 或 +08:00）", "--at needs a time zone (…Z or +08:00)")
        )
    return Clock(start)


@click.command()
@click.argument("month", type=MONTH)
@click.option("--leader", default=None, help="主管领导姓名（必填，--resume 除外）/ the leader")
@click.option("--stand-in", default=None, help="代为抽取人（领导不在时）/ who draws instead")
@click.option("--authorisation", default=None, help="授权文件编号（代为抽取时必填）")
@click.option(
    "--dice",
    default=None,
    metavar="ROLLS",
    help=f"主管领导掷骰 {DICE_ROLLS} 次的点数（不填则现场输入）/ the leader's rolls",
)
@click.option("--actor", default="执法宣传科", show_default=True, help="操作人 / who operates")
@click.option(
    "--redraw-reason",
    default=None,
    help="上次抽取中止后重新抽取的理由 / why the month is drawn again after an abort",
)
@click.option(
    "--abort-unfinished",
    default=None,
    metavar="REASON",
    help="中止本月未完成的仪式并说明原因 / abort the month's unfinished ceremony, saying why",
)
@click.option(
    "--witness-dir",
    default=None,
    metavar="DIR",
    help="见证人交回文件的文件夹（不填则现场粘贴）/ a folder the witnesses put their files in",
)
@click.option(
    "--at",
    "replay",
    default=None,
    metavar="TIME",
    help="演练用：以此时间为仪式开始（RFC 3339）/ rehearsal: replay from this time",
)
@click.option(
    "--resume",
    is_flag=True,
    help="开奖后完成等待开奖号码的仪式 / finish the ceremony waiting for its lottery draw",
)
@click.option(
    "--numbers",
    default=None,
    help="开奖号码（与 --resume 同用；不填则现场输入）/ the lottery numbers, with --resume",
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
    """本月双随机抽取仪式：公告、见证、承诺、掷骰、揭示、信标（或开奖号码）、抽取、分组。Run
    the month's draw ceremony: announce, witnesses, commitments, dice, reveals, beacon (or
    lottery draw), draw, groups. A ceremony with a lottery draw pauses after the reveals;
    `--resume` finishes it once the numbers are published."""
    lang = lang_of(ctx)
    clock = _replayed(replay)
    if resume or numbers is not None:
        _resume(ctx, lang, month, actor, clock, numbers)
        return
    if leader is None:
        raise click.UsageError(say(lang, "须提供 --leader 主管领导姓名", "--leader is required"))
    performer = performer_of(lang, leader, stand_in, authorisation)
    rolls = parse_rolls(dice, lang) if dice is not None else None

    def leader_rolls(count: int) -> list[int]:
        if rolls is not None:
            return rolls
        while True:
            try:
                typed = click.prompt(
                    say(
                        lang,
                        f"请{performer.name}掷骰子 {count} 次，依次输入点数",
                        f"{performer.name}, roll the die {count} times and type the results",
                    ),
                    err=True,
                )
            except click.Abort as err:  # Ctrl-C or the end of input at the prompt
                raise EOFError("the dice prompt was closed") from err
            try:
                return parse_rolls(typed, lang)
            except click.BadParameter as err:
                click.echo(
                    say(lang, f"请重新输入：{err.message}", f"Again: {err.message}"), err=True
                )

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
                    WitnessPrompt(lang)
                    if witness_dir is None
                    else WitnessFolder(Path(witness_dir), lambda zh, en: _tell(lang, zh, en))
                ),
                beacon_by_hand=BeaconPrompt(lang),
            )
        except DrawPaused as paused:
            click.echo(say(lang, *paused.lines(str(month))))
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
                numbers=LotteryPrompt(lang, numbers),
                beacon_by_hand=BeaconPrompt(lang),
            )
        except DrawPaused as paused:
            due = beijing(paused.source.due)
            raise PolicyError(
                f"尚未开奖（{due}），请开奖后再运行 --resume / the lottery is not drawn yet "
                f"(due {due}); run --resume once it is; nothing was stored"
            ) from None
        names = {o.id: o.name for o in office.records.objects()}
        officers = {i.certificate: i.name for i in office.records.inspectors()}
    _print_draw(lang, drawn, officers, names, files)


def _tell(lang: str, zh: str, en: str) -> None:
    click.echo(say(lang, zh, en), err=True)


def _print_draw(
    lang: str,
    drawn: MonthDraw,
    officers: dict[str, str],
    names: dict[str, str],
    files: DrawFiles,
) -> None:
    click.echo(
        say(
            lang,
            f"{drawn.month} 抽取完成：{drawn.draw_id}（抽取日 {drawn.draw_day}）",
            f"{drawn.month} drawn: {drawn.draw_id} (draw day {drawn.draw_day})",
        )
    )
    assignment = drawn.outcome.assignment
    for group, ids in zip(assignment.groups, assignment.objects, strict=True):
        members = [officers.get(m, m) for m in group.members]
        click.echo(
            say(
                lang,
                f"第{group.number}组（{'、'.join(members)}）",
                f"Group {group.number} ({', '.join(members)})",
            )
        )
        for object_id in ids:
            click.echo(f"    {object_id}  {names.get(object_id, '')}".rstrip())
    for move in assignment.substitutions:
        click.echo(
            say(
                lang,
                f"回避：{move.object_id} 由第{move.from_group}组改派第{move.to_group}组",
                f"Recusal: {move.object_id}, group {move.from_group} to {move.to_group}",
            )
        )
    click.echo(drawn.record.record.steering.sentence(lang))
    echo_draw_files(lang, files)
    click.echo(
        say(
            lang,
            f"下一步：主管领导确认 rfb approve {drawn.month} --leader 姓名 --actor 记录人",
            f"Next: the leader confirms: rfb approve {drawn.month} --leader NAME --actor WHO",
        )
    )
    click.echo(say(lang, "公开核验命令：", "Public check:"))
    click.echo(f"  {shlex.join(files.public_words)}")
    click.echo(
        say(
            lang,
            f"含涉密名单的完整核验命令见 {files.internal / 'verify.sh'}",
            f"The full check, with the confidential lists: {files.internal / 'verify.sh'}",
        )
    )
