"""``rfb init`` and ``rfb demo``: a new office folder, and a whole month on the example data."""

from __future__ import annotations

from pathlib import Path

import click

from fairdraw import read_passphrase
from rfb_policy.cli.app import lang_of
from rfb_policy.cli.params import MONTH
from rfb_policy.i18n import N_, _
from rfb_policy.month import Month
from rfb_policy.workflow.demo import run_demo
from rfb_policy.workflow.folder import init_office

__all__ = ["demo", "init"]


@click.command(help=N_("Create an office folder: its configuration, signing key and database."))
@click.argument("folder", default=".", metavar="[DIR]")
@click.option(
    "--office",
    default="北京市西城区人民防空办公室",
    show_default=True,
    help=N_("the office's name"),
)
@click.option(
    "--prefix", default="xicheng-rfb", show_default=True, help=N_("the prefix of the draw ids")
)
def init(folder: str, office: str, prefix: str) -> None:
    """A new office folder (``rfb init``)."""
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
        click.echo(_("Created {path}").format(path=path))
    click.echo(
        _(
            "Draws use the drand beacon (typed in when offline). Invite a witness: on their own "
            "computer they run `fairdraw participant key` and hand over the public key file, "
            "which goes into [[witnesses]] in rfb.toml; with a witness, the office alone cannot "
            "choose a draw's result."
        )
    )
    click.echo(_("Next, in that folder: rfb import objects FILE; rfb import inspectors FILE"))


@click.command(help=N_("A whole month of the workflow on the synthetic example data."))
@click.option(
    "--month",
    "month",
    type=MONTH,
    default="2026-01",
    show_default=True,
    help=N_("the month the demonstration draws"),
)
@click.option(
    "--out",
    "out_dir",
    default="rfb-demo",
    show_default=True,
    metavar="DIR",
    help=N_("the folder it writes (a new one)"),
)
@click.pass_context
def demo(ctx: click.Context, month: Month, out_dir: str) -> None:
    """A demonstration month (``rfb demo``)."""
    report = run_demo(month, Path(out_dir))
    for line in report.lines(lang_of(ctx)):
        click.echo(line)
