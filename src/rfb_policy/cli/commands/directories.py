"""``rfb import``: the two directories, as immutable snapshots in the store, and the workbook
templates a clerk fills in for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from rfb_policy.cli.app import lang_of, open_office, say
from rfb_policy.files.tables import Source
from rfb_policy.files.template import write_template
from rfb_policy.workflow.records import Imported

__all__ = ["import_"]

_WHAT = {"objects": ("检查对象", "objects"), "inspectors": ("执法人员", "inspectors")}


@click.group("import", invoke_without_command=True)
@click.option(
    "--template",
    "template_kind",
    type=click.Choice(["objects", "inspectors"]),
    default=None,
    help="生成填写模板，同 rfb import template KIND / write the template, as rfb import template",
)
@click.option("--out", "template_out", default=None, metavar="FILE", help="模板输出文件")
@click.pass_context
def import_(ctx: click.Context, template_kind: str | None, template_out: str | None) -> None:
    """导入名录库（CSV 或 XLSX），存为不可修改的快照；或生成填写模板。Import a directory.

    \b
    rfb import objects 名录.xlsx --actor 张三
    rfb import inspectors 人员.xlsx --actor 张三 [--objects 名录.xlsx]
    rfb import template objects|inspectors [--out 文件.xlsx]   （或 rfb import --template …）
    """
    if template_kind is not None:
        if ctx.invoked_subcommand is not None:
            raise click.UsageError(
                say(
                    lang_of(ctx),
                    "--template 不能与子命令同用",
                    "--template goes without a subcommand",
                )
            )
        ctx.invoke(template, kind=template_kind, out=template_out)
        ctx.exit(0)
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help(), err=True)
        ctx.exit(2)


def _store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        (
            click.argument("path", metavar="FILE"),
            click.option(
                "--db", default=None, metavar="PATH|URL", help="数据库（默认取配置或 $FAIRDRAW_DB）"
            ),
            click.option("--key", "key_path", default=None, metavar="KEYFILE", help="机关签名密钥"),
            click.option("--actor", required=True, help="操作人 / who imports"),
        )
    ):
        command = option(command)
    return command


@import_.command("objects")
@_store_options
@click.pass_context
def objects(
    ctx: click.Context, path: str, db: str | None, key_path: str | None, actor: str
) -> None:
    """导入检查对象名录。Import the objects directory."""
    with open_office(ctx, db=db, key_path=key_path, signs=True) as office:
        imported = office.import_objects(path, actor=actor)
    _report(lang_of(ctx), "objects", path, imported)


@import_.command("inspectors")
@_store_options
@click.option(
    "--objects", "objects_path", default=None, metavar="FILE", help="回避对象核对用的对象名录"
)
@click.pass_context
def inspectors(
    ctx: click.Context,
    path: str,
    db: str | None,
    key_path: str | None,
    actor: str,
    objects_path: str | None,
) -> None:
    """导入执法人员名录。Import the inspectors directory."""
    with open_office(ctx, db=db, key_path=key_path, signs=True) as office:
        imported = office.import_inspectors(path, actor=actor, objects_path=objects_path)
    _report(lang_of(ctx), "inspectors", path, imported)


@import_.command("template")
@click.argument("kind", type=click.Choice(["objects", "inspectors"]))
@click.option("--out", "out", default=None, metavar="FILE", help="输出文件（默认 KIND模板.xlsx）")
@click.pass_context
def template(ctx: click.Context, kind: str, out: str | None) -> None:
    """生成名录填写模板（XLSX）。Write the workbook template of a directory.

    The first sheet has the exact headers, a note on each, and drop-down lists; the sheet 说明
    explains every column. Filled in, it imports with rfb import KIND FILE.
    """
    lang = lang_of(ctx)
    zh, en = _WHAT[kind]
    written = write_template(kind, out or f"{zh}名录模板.xlsx")
    click.echo(
        say(
            lang,
            f"已生成{zh}名录模板：{written}（填写第一个工作表，说明见“说明”工作表），"
            f"填好后运行 rfb import {kind} {written} --actor 姓名",
            f"Wrote the {en} template: {written} (fill in the first sheet; the sheet 说明 "
            f"explains each column), then run rfb import {kind} {written} --actor NAME",
        )
    )


def _report(lang: str, kind: str, path: str, imported: Imported) -> None:
    zh, en = _WHAT[kind]
    click.echo(
        say(
            lang,
            f"已导入 {imported.count} 条{zh}，快照摘要 {imported.digest}",
            f"Imported {imported.count} {en}; snapshot digest {imported.digest}",
        )
    )
    click.echo(say(lang, *_how(path, imported.source)))


def _how(path: str, source: Source) -> tuple[str, str]:
    """How the file was read, in each language."""
    if source.format == "csv":
        zh = f"读取：{path}（CSV，{source.encoding} 编码）"
        en = f"Read {path} as CSV in {source.encoding}"
    else:
        zh = f"读取：{path} 的工作表“{source.sheet}”"
        en = f"Read the sheet '{source.sheet}' of {path}"
    if source.header_row > 1:
        zh += f"，表头在第 {source.header_row} 行（其上为标题）"
        en += f", its header in row {source.header_row} (titles above it)"
    if source.empty_sheets:
        zh += f"；空工作表 {'、'.join(source.empty_sheets)} 已跳过"
        en += f"; the empty sheets {', '.join(source.empty_sheets)} were passed over"
    if source.other_sheets:
        zh += f"；注意：工作表 {'、'.join(source.other_sheets)} 也有内容，未读取"
        en += f"; note: the sheets {', '.join(source.other_sheets)} have content too, not read"
    return zh, en
