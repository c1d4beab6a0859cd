"""``rfb confirm-availability``: a section confirms who can take part in the month's draw (R5)."""

from __future__ import annotations

import click

from rfb_policy.cli.app import lang_of, open_office, say
from rfb_policy.cli.params import MONTH
from rfb_policy.month import Month

__all__ = ["confirm"]


@click.command("confirm-availability")
@click.argument("month", type=MONTH)
@click.option("--section", required=True, help="科室 / the section")
@click.option("--confirmer", required=True, help="确认人（科室负责人）/ who confirms")
@click.option(
    "--unavailable",
    multiple=True,
    metavar="CERT",
    help="不能参加的人员执法证号（可多次）/ an officer who cannot take part",
)
@click.option("--actor", default=None, help="记录人（默认为确认人）/ who records it")
@click.pass_context
def confirm(
    ctx: click.Context,
    month: Month,
    section: str,
    confirmer: str,
    unavailable: tuple[str, ...],
    actor: str | None,
) -> None:
    """抽取前由各科室确认人员可用情况。A section confirms who is available for the month."""
    lang = lang_of(ctx)
    with open_office(ctx, signs=True, needs_folder=True) as office:
        confirmation = office.confirm_availability(
            month,
            section,
            confirmer=confirmer,
            unavailable=unavailable,
            actor=actor or confirmer,
        )
    available = len(confirmation.available)
    away = len(confirmation.unavailable)
    click.echo(
        say(
            lang,
            f"{month} {section}：{available} 人可参加，{away} 人不能参加（{confirmer} 确认，"
            f"日志 {confirmation.seq}）",
            f"{month} {section}: {available} available, {away} not ({confirmer}; "
            f"log {confirmation.seq})",
        )
    )
