"""``fairdraw key …``: the office's signing key."""

from __future__ import annotations

import click

from fairdraw.cli.app import current_lang, report_errors
from fairdraw.cli.common import passphrase_option
from fairdraw.cli.i18n import text
from fairdraw.i18n import N_, _
from fairdraw.passphrase import read_passphrase
from fairdraw.signing import OfficeKey, PublicKey

# -- keys -------------------------------------------------------------------------------------


@click.group(help=N_("The office's signing key."))
def key() -> None:
    """``fairdraw key``."""


@key.command("generate", help=N_("Create an Ed25519 key: KEYFILE (encrypted) and KEYFILE.pub."))
@click.argument("key_path", metavar="KEYFILE")
@passphrase_option
@report_errors
def key_generate(key_path: str, passphrase_file: str | None) -> None:
    """``fairdraw key generate``."""
    office = OfficeKey.generate()
    office.save(key_path, read_passphrase(passphrase_file, confirm=True))
    lang = current_lang()
    click.echo(text("key.created", lang, path=key_path, public=key_path + ".pub"))
    click.echo(_("  key id: {key_id}").format(key_id=office.key_id))


@key.command("show", help=N_("Print a public key's id and hex form."))
@click.argument("public_path", metavar="KEYFILE.pub")
@report_errors
def key_show(public_path: str) -> None:
    """``fairdraw key show``."""
    public = PublicKey.load(public_path)
    click.echo(_("key id:     {key_id}").format(key_id=public.key_id))
    click.echo(_("public key: {key}").format(key=public.raw.hex()))


COMMANDS: tuple[click.Command, ...] = (key,)
"""The commands this module adds to ``fairdraw``."""
