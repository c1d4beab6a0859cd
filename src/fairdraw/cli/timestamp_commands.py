"""``fairdraw ceremony timestamp``: have a time-stamping authority timestamp the announcement
(RFC 3161, ceremony spec v2, section 5.1)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click

from fairdraw.ceremony import Ceremony
from fairdraw.cli.app import report_errors
from fairdraw.cli.common import office_key_option, passphrase_option
from fairdraw.errors import InputError
from fairdraw.files import os_reason
from fairdraw.i18n import N_, _, shown_time
from fairdraw.passphrase import load_office_key
from fairdraw.timestamp import certificate_fingerprint, request_timestamp

__all__ = ["timestamp"]


@click.command(
    "timestamp",
    help=N_(
        "Have a TSA timestamp the announcement, before the first reveal.\n\n"
        "The token is checked against --tsa-cert and the announcement before it is recorded. "
        "Verifiers compare the certificate's SHA-256 fingerprint printed here with the TSA's own."
    ),
)
@click.argument("directory", metavar="DIR")
@click.option("--tsa-url", required=True, metavar="URL", help=N_("The TSA's RFC 3161 endpoint."))
@click.option(
    "--tsa-cert",
    "cert_path",
    required=True,
    metavar="FILE",
    help=N_("The TSA's certificate, then its chain up to the root (PEM), as the TSA publishes it."),
)
@click.option(
    "--authority", default=None, help=N_("The TSA's name in the record (default: its host).")
)
@office_key_option
@click.option("--timeout", default=10.0, show_default=True, help=N_("Seconds to wait for the TSA."))
@passphrase_option
@report_errors
def timestamp(
    directory: str,
    tsa_url: str,
    cert_path: str,
    authority: str | None,
    key_path: str,
    timeout: float,
    passphrase_file: str | None,
) -> None:
    """``fairdraw ceremony timestamp``."""
    try:
        certificate = Path(cert_path).read_bytes()
    except OSError as err:
        raise InputError(
            _("{path}: cannot read the TSA certificate: {reason}").format(
                path=cert_path, reason=os_reason(err)
            )
        ) from err
    current = Ceremony.load(directory, load_office_key(key_path, passphrase_file))
    name = authority or urlsplit(tsa_url).hostname or tsa_url
    token = request_timestamp(current.events[0], tsa_url, timeout=timeout)
    seen = current.add_timestamp(token, certificate, name)
    current.save(directory)
    fingerprint = certificate_fingerprint(certificate)
    click.echo(
        _(
            "Timestamped by {authority}: {time} (the TSA certificate's SHA-256 fingerprint "
            "{fingerprint})"
        ).format(authority=name, time=shown_time(seen), fingerprint=fingerprint)
    )
