"""``rfb items``, ``rfb month`` and ``rfb plan``: the items, a month's dates and status, the year's
quotas."""

from __future__ import annotations

import json
from typing import Any

import click

from rfb_policy.cli.app import lang_of, open_office, say, settings
from rfb_policy.cli.params import MONTH
from rfb_policy.files.directories import read_objects
from rfb_policy.month import Month
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.schedule import DeadlineRule, DrawDayRule
from rfb_policy.workflow.office import MonthStatus

__all__ = ["items", "month", "plan"]


@click.command()
@click.option(
    "--catalogue", default=None, metavar="FILE", help="另一份事项清单 / another catalogue"
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def items(ctx: click.Context, catalogue: str | None, as_json: bool) -> None:
    """抽查事项清单。The inspection items, and why some are not drawn."""
    lang = lang_of(ctx)
    loaded = Catalogue.from_file(catalogue) if catalogue else Catalogue.bundled()
    if as_json:
        data = {"version": loaded.version, "items": [i.to_public_json() for i in loaded]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        say(lang, f"抽查事项清单（版本 {loaded.version}）", f"Inspection items ({loaded.version})")
    )
    for item in loaded.random_items:
        ratio = item.to_public_json()["ratio"]
        click.echo(
            f"  [{item.code}] {item.name}  {say(lang, '双随机，比例', 'random, ratio')} {ratio}"
        )
    click.echo(say(lang, "不列入随机抽查：", "Not drawn at random:"))
    for item in loaded.excluded_items:
        click.echo(
            say(
                lang,
                f"  [{item.code}] {item.name}：{item.exclusion_reason}",
                f"  [{item.code}] {item.name}: {item.exclusion_reason}",
            )
        )


@click.command()
@click.argument("month", type=MONTH)
@click.option(
    "--calendar-dir", "calendar_dirs", multiple=True, metavar="DIR", help="YEAR.json 放假安排"
)
@click.option(
    "--rule",
    type=click.Choice(["first-tuesday", "first-full-week"]),
    default=None,
    help="默认取配置，或 first-tuesday",
)
@click.option(
    "--deadline",
    type=click.Choice(["on-or-before-25", "on-or-after-25"]),
    default=None,
    help="默认取配置，或 on-or-before-25",
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def month(
    ctx: click.Context,
    month: Month,
    calendar_dirs: tuple[str, ...],
    rule: DrawDayRule | None,
    deadline: DeadlineRule | None,
    as_json: bool,
) -> None:
    """某月的抽取日、截止日，及人员确认与数量。The month's schedule and status (YYYY-MM)."""
    lang = lang_of(ctx)
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
    moved = say(lang, "（遇节假日顺延）", " (moved past a holiday)") if schedule.moved else ""
    click.echo(
        say(
            lang,
            f"{schedule.month} 抽取日：{schedule.draw_day}{moved}",
            f"{schedule.month} draw day: {schedule.draw_day}{moved}",
        )
    )
    click.echo(
        say(lang, f"结果报送截止：{schedule.results_due}", f"Results due: {schedule.results_due}")
    )
    click.echo(
        say(
            lang,
            f"可用工作日：{schedule.working_days_left} 天",
            f"Working days left: {schedule.working_days_left}",
        )
    )
    if schedule.tight:
        click.echo(say(lang, "提醒：检查时间偏紧", "Note: little time for the inspections"))
    if status is not None:
        _print_status(lang, status)


def _print_status(lang: str, status: MonthStatus) -> None:
    """The month's availability confirmations, draws and (internal) quotas."""
    if status.sections is None:
        click.echo(say(lang, "尚未导入执法人员名录", "No inspectors directory imported yet"))
        return
    click.echo(say(lang, "人员可用情况确认：", "Availability:"))
    for section in status.sections:
        if section.exempt:
            state = say(lang, "免确认", "exempt")
        elif section.confirmed:
            state = say(
                lang,
                f"已确认（{section.confirmer}，{section.time}）",
                f"confirmed by {section.confirmer} at {section.time}",
            )
        else:
            state = say(lang, "未确认", "NOT CONFIRMED")
        count = f"{len(section.available)}/{len(section.members)}"
        click.echo(f"  {section.section}  {count}  {state}")
    for attempt in status.attempts:
        verdict = say(lang, "已抽取" if attempt.drawn else "已中止", attempt.status)
        click.echo(
            say(lang, f"抽取：{attempt.draw_id} {verdict}", f"Draw: {attempt.draw_id} {verdict}")
        )
    if status.plan is None:
        return
    quotas = "，".join(f"{q.scope} {q.quota}" for q in status.plan.quotas if q.quota)
    click.echo(
        say(
            lang,
            f"本月数量（内部资料，涉密）：{quotas}",
            f"This month's quotas (internal, confidential): {quotas}",
        )
    )
    if status.plan.over_capacity:
        click.echo(
            say(
                lang,
                f"提醒：超出各组能力 {status.plan.over_capacity} 个",
                f"Note: over capacity by {status.plan.over_capacity}",
            )
        )


@click.command()
@click.argument("year", type=click.IntRange(2004, 2100))
@click.option(
    "--objects", "objects_path", default=None, metavar="FILE", help="检查对象名录（默认取数据库）"
)
@click.option(
    "--objects-per-group", type=click.IntRange(min=1), default=None, help="默认取配置或 10"
)
@click.option("--calendar-dir", "calendar_dirs", multiple=True, metavar="DIR")
@click.pass_context
def plan(
    ctx: click.Context,
    year: int,
    objects_path: str | None,
    objects_per_group: int | None,
    calendar_dirs: tuple[str, ...],
) -> None:
    """年度计划与每月数量（内部资料）。The year's monthly quotas (internal: totals are secret).

    In an office folder the objects come from the database, and the months already drawn count
    with what their draws chose; later months are projected.
    """
    lang = lang_of(ctx)
    objects = read_objects(objects_path) if objects_path is not None else None
    config = settings(ctx, needs_folder=objects is None).with_capacity(objects_per_group)
    with open_office(ctx, config, calendar_dirs=calendar_dirs, needs_store=False) as office:
        year_plan = office.plan_year(year, objects=objects)
    click.echo(
        say(
            lang,
            f"{year} 年度抽查计划（内部资料，维护管理、使用安全、通信警报数量涉密，不得公开）",
            f"{year} plan (internal: the MAINT, USE and COMM totals are confidential)",
        )
    )
    click.echo(
        "  "
        + say(
            lang,
            "月份  抽取日      QUAL MAINT USE COMM 合计",
            "month draw day    QUAL MAINT USE COMM total",
        )
    )
    for month_plan, day in zip(year_plan.months, year_plan.draw_days, strict=True):
        per_item = {code: 0 for code in ("QUAL", "MAINT", "USE", "COMM")}
        for quota in month_plan.quotas:
            per_item[quota.item] += quota.quota
        counts = " ".join(f"{per_item[c]:>{len(c)}}" for c in per_item)
        warning = ""
        if month_plan.over_capacity:
            warning = say(
                lang,
                f"  超出各组能力 {month_plan.over_capacity} 个，请调整",
                f"  over capacity by {month_plan.over_capacity}",
            )
        done = say(lang, "  已抽取", "  drawn") if month_plan.month in year_plan.drawn else ""
        click.echo(
            f"  {month_plan.month:>4}  {day}  {counts}  {month_plan.total:>4}{done}{warning}"
        )
