"""``rfb init``, ``rfb confirm-availability``, ``rfb draw`` and ``rfb verify``: a month, run and
checked."""

from __future__ import annotations

import json
import re
import shlex
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from fairdraw import (
    DrandChain,
    DrandClient,
    FairdrawError,
    InputError,
    OfficeKey,
    PublicKey,
    verification_report,
)
from rfb_policy.calendar import OfficialCalendar
from rfb_policy.cli import _MONTH, _say, cli, fail, read_passphrase, require_config
from rfb_policy.config import OfficeConfig
from rfb_policy.items import Catalogue
from rfb_policy.monthly import DICE_ROLLS, announced
from rfb_policy.office import (
    Clock,
    MonthDraw,
    confirm_availability,
    draw_month,
    init_office,
    stored_inspectors,
    stored_objects,
    write_verification,
)
from rfb_policy.verify import check_assignment

__all__ = ["confirm", "draw", "init", "verify"]

_ROLL = re.compile(r"[1-6]")


@cli.command()
@click.argument("folder", default=".", metavar="[DIR]")
@click.option("--office", default="北京市西城区人民防空办公室", show_default=True, help="机关名称")
@click.option("--prefix", default="xicheng-rfb", show_default=True, help="抽取编号前缀")
@click.pass_context
def init(ctx: click.Context, folder: str, office: str, prefix: str) -> None:
    """新建办公文件夹：配置、签名密钥、数据库。Create an office folder (config, key, database)."""
    lang = ctx.obj["lang"]
    try:
        config = init_office(
            Path(folder), office=office, prefix=prefix, passphrase=read_passphrase(confirm=True)
        )
    except FairdrawError as err:
        fail(ctx, err)
    made = (
        config.path,
        config.key,
        config.public_key,
        Path(config.database),
        Path(folder) / "calendar",
    )
    for path in made:
        click.echo(_say(lang, f"已创建 {path}", f"Created {path}"))
    click.echo(
        _say(
            lang,
            "下一步：在该文件夹中运行 rfb import objects 文件，rfb import inspectors 文件",
            "Next, in that folder: rfb import objects FILE; rfb import inspectors FILE",
        )
    )


@cli.command("confirm-availability")
@click.argument("month", metavar="YYYY-MM")
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
    month: str,
    section: str,
    confirmer: str,
    unavailable: tuple[str, ...],
    actor: str | None,
) -> None:
    """抽取前由各科室确认人员可用情况。A section confirms who is available for the month."""
    lang = ctx.obj["lang"]
    try:
        config, key = _config_and_key(ctx)
        with config.open_store() as store:
            inspectors = stored_inspectors(store)
            entry = confirm_availability(
                store,
                config,
                month,
                section,
                confirmer=confirmer,
                unavailable=unavailable,
                inspectors=inspectors,
                actor=actor or confirmer,
                key=key,
            )
    except FairdrawError as err:
        fail(ctx, err)
    available = len(entry.payload["available"])
    away = len(entry.payload["unavailable"])
    click.echo(
        _say(
            lang,
            f"{month} {section}：{available} 人可参加，{away} 人不能参加（{confirmer} 确认，"
            f"日志 {entry.seq}）",
            f"{month} {section}: {available} available, {away} not ({confirmer}; log {entry.seq})",
        )
    )


def _config_and_key(ctx: click.Context) -> tuple[OfficeConfig, OfficeKey]:
    config = require_config(ctx)
    return config, OfficeKey.load(config.key, read_passphrase())


def parse_rolls(text: str) -> list[int]:
    """Dice rolls typed as digits, with or without spaces or commas (``3 5 1`` or ``351``).

    Raises:
        click.BadParameter: a character is not a roll of a six-sided die, or the count is wrong.
    """
    cleaned = re.sub(r"[\s,，、]", "", text)
    bad = [c for c in cleaned if not _ROLL.fullmatch(c)]
    if bad:
        raise click.BadParameter(f"{bad[0]!r} is not a roll of a six-sided die (1–6)")
    if len(cleaned) != DICE_ROLLS:
        raise click.BadParameter(f"{len(cleaned)} rolls typed; the ceremony needs {DICE_ROLLS}")
    return [int(c) for c in cleaned]


@cli.command()
@click.argument("month", metavar="YYYY-MM")
@click.option("--leader", required=True, help="主管领导姓名 / the leader in charge")
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
    "--at",
    "replay",
    default=None,
    metavar="TIME",
    help="演练用：以此时间为仪式开始（RFC 3339）/ rehearsal: replay from this time",
)
@click.pass_context
def draw(
    ctx: click.Context,
    month: str,
    leader: str,
    stand_in: str | None,
    authorisation: str | None,
    dice: str | None,
    actor: str,
    redraw_reason: str | None,
    abort_unfinished: str | None,
    replay: str | None,
) -> None:
    """本月双随机抽取仪式：公告、承诺、掷骰、信标、抽取、分组。Run the month's draw ceremony."""
    lang = ctx.obj["lang"]
    if not _MONTH.fullmatch(month):
        raise click.BadParameter(_say(lang, "月份格式为 YYYY-MM", "write the month as YYYY-MM"))
    if stand_in and not authorisation:
        raise click.UsageError(
            _say(lang, "代为抽取须提供 --authorisation", "a stand-in needs --authorisation")
        )
    performer = {"name": leader}
    if stand_in:
        performer = {"name": stand_in, "stand_in_for": leader, "authorisation": str(authorisation)}
    rolls = parse_rolls(dice) if dice is not None else None

    def leader_rolls(count: int) -> list[int]:
        if rolls is not None:
            return rolls
        while True:
            typed = click.prompt(
                _say(
                    lang,
                    f"请{performer['name']}掷骰子 {count} 次，依次输入点数",
                    f"{performer['name']}, roll the die {count} times and type the results",
                ),
                err=True,
            )
            try:
                return parse_rolls(typed)
            except click.BadParameter as err:
                click.echo(_say(lang, f"请重新输入：{err}", f"Again: {err}"), err=True)

    def say(zh: str, en: str) -> None:
        click.echo(_say(lang, zh, en), err=True)

    def publish_announcement(draw_id: str, signed: dict[str, Any]) -> None:
        folder = config.path.resolve().parent / "draws" / draw_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "announcement.json"
        path.write_text(json.dumps(signed, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        beacon = [s for s in signed["event"]["body"]["sources"] if s["type"] == "drand"]
        if beacon:
            due = beacon[0]["round_time"]
            say(
                f"请在 {due} 之前公布公告文件 {path}（或其摘要）",
                f"Publish {path} (or its hash) before {due}, when the beacon is due",
            )

    try:
        start = datetime.fromisoformat(replay) if replay else None
    except ValueError as err:
        raise click.BadParameter(f"--at: {err}") from err
    if start is not None and start.tzinfo is None:
        raise click.BadParameter("--at needs a time zone (…Z or +08:00)")
    try:
        config, key = _config_and_key(ctx)
        client = None
        if config.beacon_chain:
            client = DrandClient(chain=DrandChain.named(config.beacon_chain), relays=config.relays)
        with config.open_store() as store:
            drawn = draw_month(
                store,
                config,
                key,
                month,
                catalogue=Catalogue.bundled(),
                calendar=OfficialCalendar.load(*config.calendar_dirs),
                leader=performer,
                dice=leader_rolls,
                actor=actor,
                clock=Clock(start),
                client=client,
                say=say,
                announced=publish_announcement,
                redraw_reason=redraw_reason,
                abort_unfinished=abort_unfinished,
            )
            names = {o.id: o.name for o in stored_objects(store)}
            officers = {i.certificate: i.name for i in stored_inspectors(store)}
        folder = config.path.resolve().parent / "draws" / drawn.draw_id
        words = write_verification(folder, drawn, config.public_key)
    except FairdrawError as err:
        fail(ctx, err)
    _print_draw(lang, drawn, officers, names, folder, words)


def _print_draw(
    lang: str,
    drawn: MonthDraw,
    officers: dict[str, str],
    names: dict[str, str],
    folder: Path,
    words: list[str],
) -> None:
    click.echo(
        _say(
            lang,
            f"{drawn.month} 抽取完成：{drawn.draw_id}（抽取日 {drawn.draw_day}）",
            f"{drawn.month} drawn: {drawn.draw_id} (draw day {drawn.draw_day})",
        )
    )
    assignment = drawn.outcome.assignment
    for group, ids in zip(assignment.groups, assignment.objects, strict=True):
        members = "、".join(officers.get(m, m) for m in group.members)
        heading = _say(
            lang, f"第{group.number}组（{members}）", f"Group {group.number} ({members})"
        )
        click.echo(heading)
        for object_id in ids:
            click.echo(f"    {object_id}  {names.get(object_id, '')}".rstrip())
    for move in assignment.substitutions:
        click.echo(
            _say(
                lang,
                f"回避：{move.object_id} 由第{move.from_group}组改派第{move.to_group}组",
                f"Recusal: {move.object_id}, group {move.from_group} to {move.to_group}",
            )
        )
    click.echo(
        _say(lang, f"抽取记录：{folder / 'record.json'}", f"Record: {folder / 'record.json'}")
    )
    click.echo(
        _say(
            lang,
            f"内部核验材料（含涉密名单，不得公开）：{folder / 'internal'}",
            f"Internal check material (confidential lists): {folder / 'internal'}",
        )
    )
    click.echo(
        _say(
            lang,
            f"下一步：主管领导确认 rfb approve {drawn.month} --leader 姓名 --actor 记录人",
            f"Next: the leader confirms: rfb approve {drawn.month} --leader NAME --actor WHO",
        )
    )
    public = words[: words.index("--public-key") + 2]
    click.echo(_say(lang, "公开核验命令：", "Public check:"))
    click.echo(f"  {shlex.join(public)}")
    click.echo(
        _say(
            lang,
            f"含涉密名单的完整核验命令见 {folder / 'internal' / 'verify.sh'}",
            f"The full check, with the confidential lists: {folder / 'internal' / 'verify.sh'}",
        )
    )


@cli.command()
@click.argument("folder", metavar="DIR")
@click.option(
    "--public-key",
    "public_key_path",
    default=None,
    metavar="FILE",
    help="本办公布的公钥 / the office's public key, from its website",
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def verify(ctx: click.Context, folder: str, public_key_path: str | None, as_json: bool) -> None:
    """核验一期公示：抽取记录、检查组与分配。Check a published month: record, groups, assignment.

    DIR is the publication folder (record.json, assignment.json). Exit 0: every check passed;
    4: one failed.
    """
    lang = ctx.obj["lang"]
    here = Path(folder)
    try:
        record = _read_public_json(here / "record.json")
        public_key = PublicKey.load(public_key_path) if public_key_path else None
        report = verification_report(
            record, public_key=public_key, populations=_whole_lists(record)
        )
        checks: list[tuple[str, str, str]] = [(c.name, c.status, c.detail) for c in report.checks]
        policy = announced(record).get("policy") or {}
        if policy.get("rehearsal") == "true":
            checks.append(("rehearsal", "failed", "a rehearsal with a replayed clock, not a draw"))
        checks += _superseded_checks(here, record)
        if report.failed:
            checks.append(("assignment", "not checked", "the record itself does not verify"))
        elif (here / "assignment.json").exists():
            published = _read_public_json(here / "assignment.json")
            checks += [
                (f"assignment.{c.name}", "passed" if c.passed else "failed", c.detail)
                for c in check_assignment(record, published)
            ]
        else:
            checks.append(("assignment", "not checked", "no assignment.json in this folder"))
    except (KeyError, TypeError, IndexError, AttributeError) as err:
        checks = [("files", "failed", f"a published file is malformed: {type(err).__name__}")]
    except FairdrawError as err:
        fail(ctx, err)
    failed = any(status == "failed" for _, status, _ in checks)
    if as_json:
        rows = [{"name": n, "status": s, "detail": d} for n, s, d in checks]
        click.echo(json.dumps({"ok": not failed, "checks": rows}, ensure_ascii=False, indent=2))
    else:
        marks = {"passed": "✓", "failed": "✗"}
        for name, status, detail in checks:
            click.echo(f"{marks.get(status, '-')} {name}: {detail}")
        if public_key_path is None:
            click.echo(
                _say(
                    lang,
                    "提醒：未提供 --public-key，签名只与记录中公告的公钥核对；"
                    "请与本办网站公布的公钥比对。",
                    "Note: without --public-key the signatures are checked against the key the "
                    "record announces; compare it with the one on the office's website.",
                )
            )
        click.echo(
            _say(
                lang,
                "核验未通过" if failed else "全部核验通过",
                "FAILED" if failed else "All passed",
            )
        )
    sys.exit(4 if failed else 0)


def _superseded_checks(folder: Path, record: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Each aborted attempt the record replaces must be published, signed, and aborted."""
    checks = []
    current = record
    while (supersedes := announced(current).get("supersedes")) is not None:
        earlier = str(supersedes["draw_id"])
        path = folder / "superseded" / f"{earlier}.json"
        if not path.exists():
            checks.append(("supersedes", "failed", f"replaces {earlier}, not published here"))
            break
        current = _read_public_json(path)
        report = verification_report(current, public_key=None)
        broken = [c for c in report.failures if c.name != "outcome" or "aborted" not in c.detail]
        aborted = current["events"][-1]["event"]["kind"] == "abort"
        same_key = current["key_id"] == record["key_id"]
        fine = not broken and aborted and same_key and current.get("draw_id") == earlier
        reason = current["events"][-1]["event"]["body"].get("reason", "")
        detail = f"replaces {earlier}, published and aborted ({reason})"
        checks.append(("supersedes", "passed" if fine else "failed", detail))
    return checks


def _whole_lists(record: Mapping[str, Any]) -> dict[str, list[str]]:
    """Scopes whose every member the record ranks (the officers): their lists are in the record,
    so they can be checked completely (that nobody was left out is then the digest's job)."""
    draws = [e["event"]["body"] for e in record.get("events", []) if e["event"]["kind"] == "draw"]
    return {
        r["scope"]: [p["label"] for p in r["selected"]]
        for body in draws
        for r in body.get("results", [])
        if r.get("population_size") is not None and len(r["selected"]) == r["population_size"]
    }


def _read_public_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: cannot read it as JSON: {err}") from err
