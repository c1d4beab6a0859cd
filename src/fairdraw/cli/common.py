"""What several ``fairdraw`` commands share: reading the office key and JSON files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from fairdraw.errors import InputError
from fairdraw.signing import OfficeKey

__all__ = ["PASSPHRASE_ENV", "load_key", "passphrase", "passphrase_option", "read_json"]

PASSPHRASE_ENV = "FAIRDRAW_KEY_PASSPHRASE"  # noqa: S105 (the variable's name, not a secret)

passphrase_option = click.option(
    "--passphrase-file",
    default=None,
    metavar="FILE",
    help=f"Read the key passphrase from FILE (else ${PASSPHRASE_ENV}, else a prompt).",
)


def passphrase(passphrase_file: str | None, *, confirm: bool = False) -> bytes:
    """The key passphrase: from ``passphrase_file``, else the environment, else a prompt."""
    if passphrase_file is not None:
        try:
            return Path(passphrase_file).read_bytes().rstrip(b"\r\n")
        except OSError as err:
            raise InputError(f"{passphrase_file}: cannot read the passphrase: {err}") from err
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV].encode()
    value: str = click.prompt(
        "Key passphrase / 密钥口令", hide_input=True, confirmation_prompt=confirm, err=True
    )
    return value.encode()


def load_key(key_path: str, passphrase_file: str | None) -> OfficeKey:
    """Read the office's encrypted key."""
    return OfficeKey.load(key_path, passphrase(passphrase_file))


def read_json(path: str | Path, what: str) -> Any:
    """Read a JSON file, or raise InputError naming the file and what it should hold."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: cannot read the {what}: {err}") from err
