"""The ``rfb`` command: the office's monthly workflow. Chinese by default, ``--lang en``.

Commands read the office's ``rfb.toml`` (``rfb init`` makes one) for the database, the key and
the office's choices; ``--db`` and ``--key`` override it. ``rfb init``, ``rfb
confirm-availability`` and ``rfb draw`` are in :mod:`rfb_policy.cli_draw`.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import attrs
import click

from fairdraw import (
    FairdrawError,
    OfficeKey,
    PolicyError,
    SourceUnavailableError,
    StorageError,
    Store,
    VerificationError,
    open_store,
)
from rfb_policy.calendar import OfficialCalendar
from rfb_policy.config import OfficeConfig, find_config
from rfb_policy.demo import run_demo
from rfb_policy.directories import (
    DirectoryImportError,
    Inspector,
    Problem,
    inspectors_population,
    objects_population,
    read_inspectors,
    read_objects,
)
from rfb_policy.errors import ConfigError
from rfb_policy.items import Catalogue
from rfb_policy.office import (
    availability,
    drawn_by_month,
    inspected_before,
    month_attempts,
    publication,
    record_month,
    stored_inspectors,
    stored_objects,
    superseded_records,
)
from rfb_policy.plan import PlanSettings, annual_plan, month_plan
from rfb_policy.publish import RESULT_CATEGORIES, write_publication
from rfb_policy.schedule import draw_day, month_schedule, results_due

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _say(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="zh（默认）或 en")
@click.option(
    "--config",
    "config_path",
    default=None,
    metavar="FILE",
    help="配置文件（默认 $RFB_CONFIG 或 ./rfb.toml）/ the office's rfb.toml",
)
@click.pass_context
def cli(ctx: click.Context, lang: str, config_path: str | None) -> None:
    """西城区人防办“双随机、一公开”工作流程。The office's 双随机 workflow.

    \b
    每月流程 / each month:
      rfb init → rfb import objects|inspectors FILE → rfb month YYYY-MM
      → rfb confirm-availability YYYY-MM --section 科室 → rfb draw YYYY-MM
      → rfb approve → rfb result → rfb publish YYYY-MM
    """
    ctx.obj = {"lang": lang, "config": find_config(config_path), "explicit": bool(config_path)}


def fail(ctx: click.Context, err: FairdrawError) -> NoReturn:
    """Print ``err`` in the user's language and exit with the documented code."""
    lang = ctx.obj["lang"]
    click.echo(_say(lang, f"错误：{err}", f"Error: {err}"), err=True)
    if isinstance(err, StorageError):
        sys.exit(6)
    if isinstance(err, SourceUnavailableError):
        sys.exit(5)
    if isinstance(err, PolicyError):
        sys.exit(7)
    if isinstance(err, VerificationError):
        sys.exit(4)
    sys.exit(3)


def office_config(ctx: click.Context) -> OfficeConfig | None:
    """The office's configuration, or None when there is none and none was named.

    Raises:
        ConfigError: a named file is missing, or the file is malformed.
    """
    path: Path = ctx.obj["config"]
    if not path.exists() and not ctx.obj["explicit"]:
        return None
    return OfficeConfig.load(path)


def require_config(ctx: click.Context) -> OfficeConfig:
    """The office's configuration.

    Raises:
        ConfigError: there is none (the message says to run ``rfb init``), or it is malformed.
    """
    return OfficeConfig.load(ctx.obj["config"])


def read_passphrase(*, confirm: bool = False) -> bytes:
    """The key passphrase: ``$FAIRDRAW_KEY_PASSPHRASE``, else asked without echo."""
    passphrase = os.environ.get("FAIRDRAW_KEY_PASSPHRASE") or click.prompt(
        "密钥口令 / key passphrase", hide_input=True, err=True, confirmation_prompt=confirm
    )
    return str(passphrase).encode()


@cli.command()
@click.option(
    "--catalogue", default=None, metavar="FILE", help="另一份事项清单 / another catalogue"
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def items(ctx: click.Context, catalogue: str | None, as_json: bool) -> None:
    """抽查事项清单。The inspection items, and why some are not drawn."""
    lang = ctx.obj["lang"]
    try:
        loaded = Catalogue.from_file(catalogue) if catalogue else Catalogue.bundled()
    except FairdrawError as err:
        click.echo(_say(lang, f"错误：{err}", f"Error: {err}"), err=True)
        sys.exit(3)
    if as_json:
        data = {"version": loaded.version, "items": [i.to_public_json() for i in loaded]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        _say(lang, f"抽查事项清单（版本 {loaded.version}）", f"Inspection items ({loaded.version})")
    )
    for item in loaded.random_items:
        ratio = item.to_public_json()["ratio"]
        click.echo(
            f"  [{item.code}] {item.name}  {_say(lang, '双随机，比例', 'random, ratio')} {ratio}"
        )
    click.echo(_say(lang, "不列入随机抽查：", "Not drawn at random:"))
    for item in loaded.excluded_items:
        click.echo(f"  [{item.code}] {item.name}：{item.exclusion_reason}")


@cli.command()
@click.argument("month")
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
    month: str,
    calendar_dirs: tuple[str, ...],
    rule: str | None,
    deadline: str | None,
    as_json: bool,
) -> None:
    """某月的抽取日、截止日，及人员确认与数量。The month's schedule and status (YYYY-MM)."""
    lang = ctx.obj["lang"]
    match = _MONTH.fullmatch(month)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise click.BadParameter(_say(lang, "月份格式为 YYYY-MM", "write the month as YYYY-MM"))
    try:
        config = office_config(ctx)
        folders: list[str | Path] = [*calendar_dirs, *(config.calendar_dirs if config else ())]
        schedule = month_schedule(
            int(match[1]),
            int(match[2]),
            OfficialCalendar.load(*folders),
            rule=rule or (config.draw_day_rule if config else "first-tuesday"),  # type: ignore[arg-type]
            deadline_rule=deadline or (config.deadline_rule if config else "on-or-before-25"),  # type: ignore[arg-type]
        )
    except FairdrawError as err:
        fail(ctx, err)
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
    moved = _say(lang, "（遇节假日顺延）", " (moved past a holiday)") if schedule.moved else ""
    click.echo(
        _say(
            lang,
            f"{schedule.month} 抽取日：{schedule.draw_day}{moved}",
            f"{schedule.month} draw day: {schedule.draw_day}{moved}",
        )
    )
    click.echo(
        _say(lang, f"结果报送截止：{schedule.results_due}", f"Results due: {schedule.results_due}")
    )
    click.echo(
        _say(
            lang,
            f"可用工作日：{schedule.working_days_left} 天",
            f"Working days left: {schedule.working_days_left}",
        )
    )
    if schedule.tight:
        click.echo(_say(lang, "提醒：检查时间偏紧", "Note: little time for the inspections"))
    try:
        if config is not None and not as_json:
            with config.open_store() as store:
                _month_status(lang, store, config, month)
    except FairdrawError as err:
        fail(ctx, err)


def _month_status(lang: str, store: Store, config: OfficeConfig, month: str) -> None:
    """The month's availability confirmations, draws and (internal) quotas."""
    try:
        inspectors = stored_inspectors(store)
    except PolicyError:
        click.echo(_say(lang, "尚未导入执法人员名录", "No inspectors directory imported yet"))
        return
    click.echo(_say(lang, "人员可用情况确认：", "Availability:"))
    for status in availability(store, config, month, inspectors):
        if status.exempt:
            state = _say(lang, "免确认", "exempt")
        elif status.confirmed:
            state = _say(
                lang,
                f"已确认（{status.confirmer}，{status.time}）",
                f"confirmed by {status.confirmer} at {status.time}",
            )
        else:
            state = _say(lang, "未确认", "NOT CONFIRMED")
        count = f"{len(status.available)}/{len(status.members)}"
        click.echo(f"  {status.section}  {count}  {state}")
    for draw_id, outcome_ in month_attempts(store, month):
        verdict = _say(lang, "已抽取" if outcome_ == "drawn" else "已中止", outcome_)
        click.echo(_say(lang, f"抽取：{draw_id} {verdict}", f"Draw: {draw_id} {verdict}"))
    try:
        objects = stored_objects(store)
    except PolicyError:
        return
    year, number = int(month[:4]), int(month[5:])
    plan_ = month_plan(
        year,
        number,
        objects,
        Catalogue.bundled(),
        inspected_before(store, year, number),
        settings=config.plan,
    )
    quotas = "，".join(f"{q.scope} {q.quota}" for q in plan_.quotas if q.quota)
    click.echo(
        _say(
            lang,
            f"本月数量（内部资料，涉密）：{quotas}",
            f"This month's quotas (internal, confidential): {quotas}",
        )
    )
    if plan_.over_capacity:
        click.echo(
            _say(
                lang,
                f"提醒：超出各组能力 {plan_.over_capacity} 个",
                f"Note: over capacity by {plan_.over_capacity}",
            )
        )


@cli.command()
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
    lang = ctx.obj["lang"]
    drawn: dict[int, dict[str, set[str]]] = {}
    try:
        config = office_config(ctx)
        settings = config.plan if config else PlanSettings()
        if objects_per_group is not None:
            settings = attrs.evolve(settings, objects_per_group=objects_per_group)
        if objects_path is not None:
            objects = read_objects(objects_path)
        elif config is not None:
            with config.open_store() as store:
                objects = stored_objects(store)
                drawn = drawn_by_month(store, year)
        else:
            raise ConfigError("give --objects FILE, or run rfb plan in an office folder")
        plans = annual_plan(year, objects, Catalogue.bundled(), settings=settings, drawn=drawn)
        folders: list[str | Path] = [*calendar_dirs, *(config.calendar_dirs if config else ())]
        calendar = OfficialCalendar.load(*folders)
        rule = config.draw_day_rule if config else "first-tuesday"
        days = [draw_day(year, m, calendar, rule=rule) for m in range(1, 13)]
    except FairdrawError as err:
        fail(ctx, err)
    click.echo(
        _say(
            lang,
            f"{year} 年度抽查计划（内部资料，维护管理、使用安全、通信警报数量涉密，不得公开）",
            f"{year} plan (internal: the MAINT, USE and COMM totals are confidential)",
        )
    )
    click.echo(
        "  "
        + _say(
            lang,
            "月份  抽取日      QUAL MAINT USE COMM 合计",
            "month draw day    QUAL MAINT USE COMM total",
        )
    )
    for month_plan_, day in zip(plans, days, strict=True):
        per_item = {code: 0 for code in ("QUAL", "MAINT", "USE", "COMM")}
        for quota in month_plan_.quotas:
            per_item[quota.item] += quota.quota
        counts = " ".join(f"{per_item[c]:>{len(c)}}" for c in per_item)
        warning = ""
        if month_plan_.over_capacity:
            warning = _say(
                lang,
                f"  超出各组能力 {month_plan_.over_capacity} 个，请调整",
                f"  over capacity by {month_plan_.over_capacity}",
            )
        done = _say(lang, "  已抽取", "  drawn") if month_plan_.month in drawn else ""
        click.echo(
            f"  {month_plan_.month:>4}  {day}  {counts}  {month_plan_.total:>4}{done}{warning}"
        )


@cli.command("import")
@click.argument("kind", type=click.Choice(["objects", "inspectors"]))
@click.argument("path", metavar="FILE")
@click.option("--db", default=None, metavar="PATH|URL", help="数据库（默认 $FAIRDRAW_DB）")
@click.option("--key", "key_path", default=None, metavar="KEYFILE", help="机关签名密钥")
@click.option("--actor", required=True, help="操作人 / who imports")
@click.option(
    "--objects", "objects_path", default=None, metavar="FILE", help="回避对象核对用的对象名录"
)
@click.pass_context
def import_(
    ctx: click.Context,
    kind: str,
    path: str,
    db: str | None,
    key_path: str,
    actor: str,
    objects_path: str | None,
) -> None:
    """导入名录库（CSV 或 XLSX），存为不可修改的快照。Import a directory as a snapshot."""
    lang = ctx.obj["lang"]
    try:
        if kind == "objects":
            objects = read_objects(path)
            population, attributes = objects_population(objects)
            name = "objects"
        else:
            known = [o.id for o in read_objects(objects_path)] if objects_path else None
            inspectors = read_inspectors(path, object_ids=known or [])
            population, attributes = inspectors_population(inspectors)
            name = "inspectors"
        store, key = store_and_key(ctx, db, key_path)
        with store:
            if kind == "inspectors" and known is None:
                _check_conflicts(path, inspectors, store)
            digest = store.save_population(
                population, name=name, actor=actor, key=key, attributes=attributes
            )
    except DirectoryImportError as err:
        click.echo(
            _say(
                lang,
                f"错误：{err.path} 有 {len(err.problems)} 处问题，未导入任何数据：",
                f"Error: {err.path} has {len(err.problems)} problem(s); nothing was imported:",
            ),
            err=True,
        )
        for problem in err.problems:
            click.echo(
                _say(
                    lang,
                    f"  第 {problem.row} 行，{problem.column} 列：{problem.reason}",
                    f"  {problem}",
                ),
                err=True,
            )
        sys.exit(3)
    except FairdrawError as err:
        fail(ctx, err)
    what = "检查对象" if kind == "objects" else "执法人员"
    zh = f"已导入 {len(population)} 条{what}，快照摘要 {digest}"
    click.echo(_say(lang, zh, f"Imported {len(population)} {kind}; snapshot digest {digest}"))


def _check_conflicts(path: str, inspectors: Sequence[Inspector], store: Store) -> None:
    """Check 回避 entries against the stored objects directory, if one was imported."""
    try:
        known = {o.id for o in stored_objects(store)}
    except PolicyError:
        return
    problems = [
        Problem(row, "回避对象", f"{target} is not in the stored objects directory")
        for row, officer in enumerate(inspectors, start=2)
        for target in officer.conflicts
        if target not in known
    ]
    if problems:
        raise DirectoryImportError(path, problems)


def open_office_store(ctx: click.Context, db: str | None) -> Store:
    """The store named by ``--db``, else the configuration's, else ``$FAIRDRAW_DB``."""
    config = office_config(ctx)
    if db is None and config is not None:
        return config.open_store()
    return open_store(db or os.environ.get("FAIRDRAW_DB"))


def store_and_key(
    ctx: click.Context, db: str | None, key_path: str | None
) -> tuple[Store, OfficeKey]:
    """The store and the office key (``--key``, else the configuration's), passphrase asked."""
    config = office_config(ctx)
    path = key_path or (str(config.key) if config else None)
    if path is None:
        raise ConfigError(
            "no office key: pass --key, or run the command in an office folder made by `rfb init`"
        )
    key = OfficeKey.load(path, read_passphrase())
    return open_office_store(ctx, db), key


@cli.command()
@click.argument("draw_id")
@click.argument("object_id")
@click.option("--category", required=True, type=click.Choice(RESULT_CATEGORIES), help="检查结果")
@click.option("--findings", default="", help="检查发现")
@click.option("--penalty-decision", default="", help="处罚决定书文号")
@click.option("--penalty-amount", default="", help="罚款金额（元）")
@click.option("--inspected-on", default=None, metavar="YYYY-MM-DD", help="检查日期")
@click.option("--submitted-on", default=None, metavar="YYYY-MM-DD", help="报送日期（默认今天）")
@click.option("--actor", required=True, help="报送人（检查组）")
@click.option("--key", "key_path", default=None, metavar="KEYFILE")
@click.option("--db", default=None, metavar="PATH|URL")
@click.option("--calendar-dir", "calendar_dirs", multiple=True, metavar="DIR")
@click.pass_context
def result(
    ctx: click.Context,
    draw_id: str,
    object_id: str,
    category: str,
    findings: str,
    penalty_decision: str,
    penalty_amount: str,
    inspected_on: str | None,
    submitted_on: str | None,
    actor: str,
    key_path: str,
    db: str | None,
    calendar_dirs: tuple[str, ...],
) -> None:
    """报送检查结果（行政检查单）。Record an inspection's result; late results are flagged."""
    lang = ctx.obj["lang"]
    try:
        submitted = date.fromisoformat(submitted_on) if submitted_on else date.today()
        store, key = store_and_key(ctx, db, key_path)
        with store:
            draw_id = _draw_id(store, draw_id)
            month = record_month(store.record(draw_id))
            config = office_config(ctx)
            folders: list[str | Path] = [*calendar_dirs, *(config.calendar_dirs if config else ())]
            due = results_due(
                int(month[:4]),
                int(month[5:]),
                OfficialCalendar.load(*folders),
                rule=config.deadline_rule if config else "on-or-before-25",
            )
            payload = {
                "category": category,
                "findings": findings,
                "penalty_decision": penalty_decision,
                "penalty_amount": penalty_amount,
                "inspected_on": inspected_on or "",
                "submitted_on": submitted.isoformat(),
                "due": due.isoformat(),
                "late": submitted > due,
            }
            entry = store.record_result(draw_id, object_id, payload, actor=actor, key=key)
    except FairdrawError as err:
        fail(ctx, err)
    except ValueError as err:  # a date that is not YYYY-MM-DD
        click.echo(_say(lang, f"错误：{err}", f"Error: {err}"), err=True)
        sys.exit(3)
    late = _say(lang, "（逾期报送）", " (LATE)") if payload["late"] else ""
    zh = f"已记录 {object_id} 的检查结果{late}（日志 {entry.seq}）"
    click.echo(_say(lang, zh, f"Recorded the result of {object_id}{late} (log {entry.seq})"))


@cli.command()
@click.argument("draw_id")
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
    draw_id: str,
    leader: str,
    stand_in: str | None,
    authorisation: str | None,
    reject: bool,
    note: str,
    actor: str,
    key_path: str,
    db: str | None,
) -> None:
    """主管领导确认抽取结果（或经授权代为确认）。The leader's confirmation of a draw."""
    lang = ctx.obj["lang"]
    if stand_in and not authorisation:
        raise click.UsageError(
            _say(
                lang,
                "代为确认须提供 --authorisation 授权文件编号",
                "a stand-in needs --authorisation",
            )
        )
    approver = stand_in or leader
    role = f"代主管领导（{leader}）确认，授权：{authorisation}" if stand_in else "主管领导"
    try:
        store, key = store_and_key(ctx, db, key_path)
        with store:
            draw_id = _draw_id(store, draw_id)
            entry = store.approve(
                draw_id,
                approver=approver,
                role=role,
                decision="rejected" if reject else "approved",
                note=note,
                actor=actor,
                key=key,
            )
    except FairdrawError as err:
        fail(ctx, err)
    verdict = _say(lang, "不同意" if reject else "同意", "rejected" if reject else "approved")
    click.echo(
        _say(
            lang,
            f"{approver}：{verdict}（日志 {entry.seq}）",
            f"{approver}: {verdict} (log {entry.seq})",
        )
    )


@cli.command()
@click.argument("which", metavar="YYYY-MM|DRAW_ID")
@click.option("--out", "out_dir", default=None, metavar="DIR", help="默认 publication/YYYY-MM")
@click.option("--db", default=None, metavar="PATH|URL")
@click.pass_context
def publish(ctx: click.Context, which: str, out_dir: str | None, db: str | None) -> None:
    """生成行政执法公示（HTML、CSV、XLSX、记录与信用导出）。Write the month's disclosure."""
    catalogue = Catalogue.bundled()
    try:
        with open_office_store(ctx, db) as store:
            draw_id = _draw_id(store, which)
            record = store.record(draw_id)
            month = record_month(record)
            rows, assignment = publication(store, draw_id, catalogue)
            earlier = superseded_records(store, record)
    except FairdrawError as err:
        fail(ctx, err)
    folder = Path(out_dir) if out_dir else _office_folder(ctx) / "publication" / month
    for path in write_publication(folder, month, rows, record, assignment, earlier):
        click.echo(str(path))


def _office_folder(ctx: click.Context) -> Path:
    config = office_config(ctx)
    return config.path.resolve().parent if config else Path()


def _draw_id(store: Store, which: str) -> str:
    """A draw id, or the month's drawn draw id when ``which`` is ``YYYY-MM``."""
    if not _MONTH.fullmatch(which):
        return which
    drawn = [d for d, status in month_attempts(store, which) if status == "drawn"]
    if not drawn:
        raise PolicyError(f"{which} has not been drawn yet (rfb draw {which})")
    return drawn[-1]


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="rfb")


@cli.command()
@click.option("--month", "month_text", default="2026-01", show_default=True, help="YYYY-MM")
@click.option("--out", "out_dir", default="rfb-demo", show_default=True, metavar="DIR")
@click.pass_context
def demo(ctx: click.Context, month_text: str, out_dir: str) -> None:
    """演示一个月的完整流程（示例数据）。A whole month on the synthetic example data."""
    lang = ctx.obj["lang"]
    match = _MONTH.fullmatch(month_text)
    if match is None:
        raise click.BadParameter(_say(lang, "月份格式为 YYYY-MM", "write the month as YYYY-MM"))
    try:
        report = run_demo(int(match[1]), int(match[2]), Path(out_dir))
    except FairdrawError as err:
        fail(ctx, err)
    for line in report.lines(lang):
        click.echo(line)


# The month's commands live in their own module and register themselves on ``cli``.
from rfb_policy import cli_draw  # noqa: E402, F401
