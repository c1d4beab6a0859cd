"""``rfb approve`` and ``rfb result``: the leader's confirmation, and each inspection's result."""

from __future__ import annotations

import click

from rfb_policy.cli.app import lang_of, open_office, performer_of, say
from rfb_policy.cli.params import MONTH_OR_DRAW
from rfb_policy.model.results import RESULT_CATEGORIES, InspectionResult
from rfb_policy.month import Month

__all__ = ["approve", "result"]


@click.command()
@click.argument("which", metavar="YYYY-MM|DRAW_ID", type=MONTH_OR_DRAW)
@click.argument("object_id")
@click.option("--category", required=True, help="检查结果：" + "、".join(RESULT_CATEGORIES))
@click.option("--findings", default="", help="检查情况（发现的问题）")
@click.option("--handling", default="", help="处理情况（发现问题待后续处理时必填）")
@click.option("--penalty-decision", default="", help="处罚决定书文号")
@click.option("--penalty-amount", default="", help="罚款金额（整数元，如 5000 或 5,000元）")
@click.option("--inspected-on", default=None, metavar="YYYY-MM-DD", help="检查日期")
@click.option("--submitted-on", default=None, metavar="YYYY-MM-DD", help="报送日期（默认今天）")
@click.option("--actor", required=True, help="报送人（检查组）")
@click.option("--key", "key_path", default=None, metavar="KEYFILE")
@click.option("--db", default=None, metavar="PATH|URL")
@click.option("--calendar-dir", "calendar_dirs", multiple=True, metavar="DIR")
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
    """报送检查结果（行政检查单）。Record an inspection's result; late results are flagged.

    Checked at entry (exit 3, naming the field): the category from the closed list, a fine in
    whole yuan, a penalty only with a problem found, the follow-up of 发现问题待后续处理, and
    dates neither before the draw nor after today, the inspection not after its submission.
    """
    lang = lang_of(ctx)
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
    late = say(lang, "（逾期报送）", " (LATE)") if stored.late else ""
    zh = f"已记录 {object_id} 的检查结果{late}（日志 {seq}）"
    click.echo(say(lang, zh, f"Recorded the result of {object_id}{late} (log {seq})"))


@click.command()
@click.argument("which", metavar="YYYY-MM|DRAW_ID", type=MONTH_OR_DRAW)
@click.option("--leader", required=True, help="主管领导姓名 / the leader in charge")
@click.option("--stand-in", default=None, help="代为确认人（领导不在时）/ who confirms instead")
@click.option("--authorisation", default=None, help="授权文件编号（代为确认时必填）")
@click.option("--reject", is_flag=True, help="不同意 / reject the draw")
@click.option("--note", default="", help="意见 / remarks")
@click.option("--actor", required=True, help="记录人 / who records it")
@click.option("--key", "key_path", default=None, metavar="KEYFILE")
@click.option("--db", default=None, metavar="PATH|URL")
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
    """主管领导确认抽取结果（或经授权代为确认）。The leader's confirmation of a draw."""
    lang = lang_of(ctx)
    performer = performer_of(lang, leader, stand_in, authorisation)
    with open_office(ctx, db=db, key_path=key_path, signs=True) as office:
        decision = office.approve(which, performer=performer, reject=reject, note=note, actor=actor)
    verdict = say(lang, "不同意" if reject else "同意", "rejected" if reject else "approved")
    click.echo(
        say(
            lang,
            f"{performer.name}：{verdict}（日志 {decision.seq}）",
            f"{performer.name}: {verdict} (log {decision.seq})",
        )
    )
