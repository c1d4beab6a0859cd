"""``rfb init`` and ``rfb demo``: a new office folder, and a whole month on the example data."""

from __future__ import annotations

from pathlib import Path

import click

from fairdraw import read_passphrase
from rfb_policy.cli.app import lang_of, say
from rfb_policy.cli.params import MONTH
from rfb_policy.month import Month
from rfb_policy.workflow.demo import run_demo
from rfb_policy.workflow.folder import init_office

__all__ = ["demo", "init"]


@click.command()
@click.argument("folder", default=".", metavar="[DIR]")
@click.option("--office", default="北京市西城区人民防空办公室", show_default=True, help="机关名称")
@click.option("--prefix", default="xicheng-rfb", show_default=True, help="抽取编号前缀")
@click.pass_context
def init(ctx: click.Context, folder: str, office: str, prefix: str) -> None:
    """新建办公文件夹：配置、签名密钥、数据库。Create an office folder (config, key, database)."""
    lang = lang_of(ctx)
    config = init_office(
        Path(folder), office=office, prefix=prefix, passphrase=read_passphrase(confirm=True)
    )
    made = (
        config.path,
        config.key,
        config.public_key,
        Path(config.database),
        Path(folder) / "calendar",
    )
    for path in made:
        click.echo(say(lang, f"已创建 {path}", f"Created {path}"))
    click.echo(
        say(
            lang,
            "抽取使用 drand 公共随机信标（无法联网时可手工输入）。建议邀请见证人："
            "见证人在自己的电脑上运行 fairdraw participant key 生成密钥，"
            "把公钥文件交给本机关，填入 rfb.toml 的 [[witnesses]]；"
            "有见证人时，本机关一方无法决定抽取结果。",
            "Draws use the drand beacon (typed in when offline). Invite a witness: on their own "
            "computer they run `fairdraw participant key` and hand over the public key file, "
            "which goes into [[witnesses]] in rfb.toml; with a witness, the office alone cannot "
            "choose a draw's result.",
        )
    )
    click.echo(
        say(
            lang,
            "下一步：在该文件夹中运行 rfb import objects 文件，rfb import inspectors 文件",
            "Next, in that folder: rfb import objects FILE; rfb import inspectors FILE",
        )
    )


@click.command()
@click.option("--month", "month", type=MONTH, default="2026-01", show_default=True)
@click.option("--out", "out_dir", default="rfb-demo", show_default=True, metavar="DIR")
@click.pass_context
def demo(ctx: click.Context, month: Month, out_dir: str) -> None:
    """演示一个月的完整流程（示例数据）。A whole month on the synthetic example data."""
    report = run_demo(month, Path(out_dir))
    for line in report.lines(lang_of(ctx)):
        click.echo(line)
