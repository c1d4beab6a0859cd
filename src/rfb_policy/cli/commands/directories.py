"""``rfb import``: the two directories, as immutable snapshots in the store."""

from __future__ import annotations

import click

from rfb_policy.cli.app import lang_of, open_office, say

__all__ = ["import_"]


@click.command("import")
@click.argument("kind", type=click.Choice(["objects", "inspectors"]))
@click.argument("path", metavar="FILE")
@click.option("--db", default=None, metavar="PATH|URL", help="数据库（默认取配置或 $FAIRDRAW_DB）")
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
    key_path: str | None,
    actor: str,
    objects_path: str | None,
) -> None:
    """导入名录库（CSV 或 XLSX），存为不可修改的快照。Import a directory as a snapshot."""
    lang = lang_of(ctx)
    with open_office(ctx, db=db, key_path=key_path, signs=True) as office:
        if kind == "objects":
            digest, count = office.import_objects(path, actor=actor)
        else:
            digest, count = office.import_inspectors(path, actor=actor, objects_path=objects_path)
    what = "检查对象" if kind == "objects" else "执法人员"
    zh = f"已导入 {count} 条{what}，快照摘要 {digest}"
    click.echo(say(lang, zh, f"Imported {count} {kind}; snapshot digest {digest}"))
