"""The ``rfb`` console script: the command group with every command registered."""

from __future__ import annotations

import sys

from fairdraw import lang_in_arguments, use_language_in_click
from rfb_policy.cli.app import cli
from rfb_policy.cli.commands.availability import confirm
from rfb_policy.cli.commands.decisions import approve, result
from rfb_policy.cli.commands.directories import import_
from rfb_policy.cli.commands.draw import draw
from rfb_policy.cli.commands.log import check_log
from rfb_policy.cli.commands.planning import items, month, plan
from rfb_policy.cli.commands.publication import export, publish, verify
from rfb_policy.cli.commands.setup import demo, init

__all__ = ["cli", "main"]

for command in (
    init,
    items,
    month,
    plan,
    import_,
    confirm,
    draw,
    approve,
    result,
    publish,
    export,
    verify,
    check_log,
    demo,
):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point: click's own messages in the run's language too (Chinese
    unless ``--lang en``)."""
    use_language_in_click(lang_in_arguments(sys.argv[1:], "zh"))
    cli.main(prog_name="rfb")
