"""The ``fairdraw`` command line (see :mod:`fairdraw.cli.main` for the exit-status table)."""

from fairdraw.cli.main import ExitCode, cli, main

__all__ = ["ExitCode", "cli", "main"]
