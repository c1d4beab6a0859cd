"""What several ``fairdraw`` commands share: the ``--passphrase-file`` option and the key."""

from __future__ import annotations

import click

from fairdraw.files import read_json
from fairdraw.passphrase import PASSPHRASE_ENV, load_office_key, read_passphrase
from fairdraw.signing import OfficeKey

__all__ = ["PASSPHRASE_ENV", "load_key", "passphrase", "passphrase_option", "read_json"]

passphrase_option = click.option(
    "--passphrase-file",
    default=None,
    metavar="FILE",
    help=f"Read the key passphrase from FILE (else ${PASSPHRASE_ENV}, else a prompt).",
)


def passphrase(passphrase_file: str | None, *, confirm: bool = False) -> bytes:
    """The key passphrase: from ``passphrase_file``, else the environment, else a prompt."""
    return read_passphrase(passphrase_file, confirm=confirm)


def load_key(key_path: str, passphrase_file: str | None) -> OfficeKey:
    """Read the office's encrypted key."""
    return load_office_key(key_path, passphrase_file)
