"""The ``fairdraw`` command: the top-level group with every command module's commands added.

Exit statuses are :class:`fairdraw.exits.ExitCode` (the one table, also in README.md).
"""

from __future__ import annotations

import sys
import traceback

import click

from fairdraw.cli import (
    beacon_commands,
    ceremony_commands,
    draw_commands,
    key_commands,
    member_commands,
    participant_commands,
    storage_commands,
    timestamp_commands,
    verify_commands,
)
from fairdraw.cli.app import cli
from fairdraw.cli.i18n import detect_lang, text
from fairdraw.exits import ExitCode
from fairdraw.i18n import lang_in_arguments, use_language_in_click

__all__ = ["ExitCode", "cli", "main"]

for _command in (
    *draw_commands.COMMANDS,
    *beacon_commands.COMMANDS,
    *key_commands.COMMANDS,
    *ceremony_commands.COMMANDS,
    *participant_commands.COMMANDS,
    *verify_commands.COMMANDS,
    *member_commands.COMMANDS,
    *storage_commands.COMMANDS,
):
    cli.add_command(_command)
ceremony_commands.ceremony.add_command(timestamp_commands.timestamp)


def main() -> None:
    """Console-script entry point."""
    lang = lang_in_arguments(sys.argv[1:], detect_lang())
    use_language_in_click(lang)
    try:
        cli.main(prog_name="fairdraw", standalone_mode=True)
    except Exception:  # pragma: no cover - the last line of defence against a bug
        click.echo(text("error.internal", lang), err=True)
        traceback.print_exc()
        sys.exit(ExitCode.INTERNAL)
