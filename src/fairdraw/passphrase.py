"""Reading the passphrase of an office key: from a file, the environment, or a prompt."""

from __future__ import annotations

import os
from pathlib import Path

import click

from fairdraw.errors import InputError
from fairdraw.files import os_reason
from fairdraw.i18n import _
from fairdraw.signing import OfficeKey

__all__ = ["PASSPHRASE_ENV", "load_office_key", "read_passphrase"]

PASSPHRASE_ENV = "FAIRDRAW_KEY_PASSPHRASE"  # noqa: S105 (the variable's name, not a secret)


def read_passphrase(passphrase_file: str | Path | None = None, *, confirm: bool = False) -> bytes:
    """The key passphrase: from ``passphrase_file``, else ``$FAIRDRAW_KEY_PASSPHRASE``, else
    asked on the terminal without echo (twice when ``confirm``).

    Raises:
        InputError: the file cannot be read.
    """
    if passphrase_file is not None:
        try:
            return Path(passphrase_file).read_bytes().rstrip(b"\r\n")
        except OSError as err:
            raise InputError(
                _("{path}: cannot read the passphrase: {reason}").format(
                    path=passphrase_file, reason=os_reason(err)
                )
            ) from err
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV].encode()
    value: str = click.prompt(
        _("Key passphrase"),
        hide_input=True,
        confirmation_prompt=_("Repeat the key passphrase") if confirm else False,
        err=True,
    )
    return value.encode()


def load_office_key(path: str | Path, passphrase_file: str | Path | None = None) -> OfficeKey:
    """Read an office's encrypted key, asking for its passphrase as :func:`read_passphrase` does.

    Raises:
        InputError: the file cannot be read, or the passphrase is wrong.
    """
    return OfficeKey.load(path, read_passphrase(passphrase_file))
