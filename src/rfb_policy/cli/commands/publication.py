"""``rfb publish``, ``rfb export`` and ``rfb verify``: the month's disclosure, a draw's files
written again from the store, and the check any citizen can run on a publication (complete,
with ``--internal``, for the office and its auditors)."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click

from fairdraw import ExitCode, InputError, PublicKey, parse_public_record, speaking
from rfb_policy.cli.app import echo_draw_files, lang_of, open_office, say
from rfb_policy.cli.params import MONTH_OR_DRAW
from rfb_policy.files.internal import read_internal
from rfb_policy.i18n import check_name, one_language
from rfb_policy.month import Month
from rfb_policy.publish.verify import is_demonstration, publication_report

__all__ = ["export", "publish", "verify"]


@click.command()
@click.argument("which", metavar="YYYY-MM|DRAW_ID", type=MONTH_OR_DRAW)
@click.option("--out", "out_dir", default=None, metavar="DIR", help="默认 publication/YYYY-MM")
@click.option("--db", default=None, metavar="PATH|URL")
@click.option("--key", "key_path", default=None, metavar="FILE", help="机关签名密钥 / office key")
@click.pass_context
def publish(
    ctx: click.Context,
    which: Month | str,
    out_dir: str | None,
    db: str | None,
    key_path: str | None,
) -> None:
    """生成行政执法公示（HTML、CSV、XLSX、记录与信用导出，及机关签名的文件清单）。Write the
    month's disclosure, with its file manifest signed by the office."""
    with open_office(ctx, db=db, key_path=key_path, signs=True) as office:
        written = office.publish(which, Path(out_dir) if out_dir else None)
    for path in written:
        click.echo(str(path))


@click.command()
@click.argument("which", metavar="YYYY-MM|DRAW_ID", type=MONTH_OR_DRAW)
@click.pass_context
def export(ctx: click.Context, which: Month | str) -> None:
    """从数据库重写一次抽取的文件（记录与内部核验材料）。Write a stored draw's files again."""
    lang = lang_of(ctx)
    with open_office(ctx, needs_folder=True) as office:
        files = office.export(which)
    echo_draw_files(lang, files)


@click.command()
@click.argument("folder", metavar="DIR")
@click.option(
    "--public-key",
    "public_key_path",
    default=None,
    metavar="FILE",
    help="本办公布的公钥 / the office's public key, from its website",
)
@click.option(
    "--internal",
    "internal_dir",
    default=None,
    metavar="FOLDER",
    help="本办的内部名单（draws/抽取编号/internal）：完整核验涉密名单 / the office's own lists "
    "(draws/DRAW_ID/internal): the complete check",
)
@click.option(
    "--public-record",
    "public_records",
    multiple=True,
    metavar="ID=NUMBERS",
    help="开奖号码，以中国福彩网公布为准（如 lottery=3/7/1）/ a lottery draw's numbers as "
    "published",
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def verify(
    ctx: click.Context,
    folder: str,
    public_key_path: str | None,
    internal_dir: str | None,
    public_records: tuple[str, ...],
    as_json: bool,
) -> None:
    """核验一期公示：抽取记录、检查组与分配。Check a published month: record, groups, assignment.

    DIR is the publication folder (record.json, assignment.json). Exit 0: every check passed;
    4: one failed; 8: nothing failed, but some checks could not be made (the confidential
    lists, or the office's key when --public-key is not given); 3: the --internal folder's
    lists cannot be read, or are another draw's, or a --public-record names no lottery draw
    of the record. With --public-record ID=NUMBERS (the numbers as the lottery's publisher
    published them), the recorded numbers are compared with them; without, they are not
    checked. With --internal (the office's
    draws/DRAW_ID/internal, read through its lists.json), every list is recomputed completely.
    """
    lang = lang_of(ctx)
    public_key = PublicKey.load(public_key_path) if public_key_path else None
    lists = None if internal_dir is None else read_internal(internal_dir)
    numbers = {}
    for given in public_records:
        source, sep, text = given.partition("=")
        try:
            if not sep or not source:
                raise InputError("write it as ID=NUMBERS (lottery=3/7/1)")
            numbers[source] = parse_public_record(text)
        except InputError as err:
            raise click.BadParameter(f"{given}: {err}", param_hint="--public-record") from err
    with speaking("en") if as_json else contextlib.nullcontext():  # JSON is never translated
        report = publication_report(
            folder,
            public_key=public_key,
            populations=None if lists is None else lists.populations,
            public_records=numbers,
            recusals=None if lists is None else lists.recusals,
        )
    if lists is not None and report.draw_id:  # a record that cannot be read says so itself
        lists.require_draw(report.draw_id)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        marks = {"passed": "✓", "failed": "✗"}
        for check in report.checks:
            name, detail = check_name(check.name), one_language(check.detail, lang)
            click.echo(
                say(
                    lang,
                    f"{marks.get(check.status, '-')} {name}：{detail}",
                    f"{marks.get(check.status, '-')} {name}: {detail}",
                )
            )
        if public_key_path is None:
            click.echo(
                say(
                    lang,
                    "提醒：未提供 --public-key，签名只与记录中公告的公钥核对；"
                    "请与本办网站公布的公钥比对。",
                    "Note: without --public-key the signatures are checked against the key the "
                    "record announces; compare it with the one on the office's website.",
                )
            )
        if report.steering is not None:
            click.echo(report.steering.sentence(lang))
        unchecked = len(report.unchecked)
        verdicts = {
            "passed": ("全部核验通过", "All passed"),
            "failed": ("核验未通过", "FAILED"),
            "incomplete": (
                f"未发现问题，但有 {unchecked} 项无法核验（标 - 的各项），不能据此认定全部可信",
                f"Nothing failed, but {unchecked} check(s) could not be made (marked -): "
                f"INCOMPLETE, not passed",
            ),
        }
        zh, en = verdicts[report.verdict]
        if is_demonstration(report):
            zh = f"演示记录（虚构数据，时间为回放）：{zh}"
            en = f"A demonstration (fictitious data, replayed clock): {en}"
        click.echo(say(lang, zh, en))
    statuses = {
        "passed": ExitCode.OK,
        "failed": ExitCode.VERIFICATION_FAILED,
        "incomplete": ExitCode.INCOMPLETE,
    }
    sys.exit(statuses[report.verdict])
