"""``fairdraw beacon verify drand|nist``: check a published beacon value by hand."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from fairdraw.cli.app import current_lang, print_json, report_errors
from fairdraw.cli.i18n import field, text
from fairdraw.errors import InputError, VerificationError
from fairdraw.exits import ExitCode
from fairdraw.files import os_reason
from fairdraw.i18n import N_, _, shown_time, speaking
from fairdraw.randomness.drand import DrandBeacon, DrandChain
from fairdraw.randomness.fetch import DEFAULT_DRAND_RELAYS, DrandClient
from fairdraw.randomness.nist import NistPulse, load_certificate, verify_pulse

_chain_option = click.option(
    "--chain",
    type=click.Choice(["default", "quicknet"]),
    default="default",
    show_default=True,
    help=N_("The pinned drand chain."),
)
_round_option = click.option(
    "--round",
    "round_number",
    type=click.IntRange(min=1),
    required=True,
    help=N_("The beacon's round number."),
)


@click.group(help=N_("Public randomness beacons."))
def beacon() -> None:
    """``fairdraw beacon``."""


@beacon.group(help=N_("Verify a beacon value; print its randomness if valid."))
def verify() -> None:
    """``fairdraw beacon verify``."""


def _finish(report: dict[str, Any], as_json: bool, error: VerificationError | None) -> None:
    """Print the outcome and exit 0 (valid) or 4 (invalid)."""
    lang = current_lang()
    source = report.pop("source_description")
    report["valid"] = error is None
    if error is not None:
        report["reason"] = str(error)
    if as_json:
        print_json(report)
    elif error is None:
        click.echo(text("beacon.valid", lang, source=source))
        click.echo(f"  {field('beacon.randomness', report['randomness'], lang)}")
        click.echo(f"  {field('beacon.time', shown_time(report['time']), lang)}")
    else:
        click.echo(text("beacon.invalid", lang, source=source), err=True)
        click.echo(f"  {error}", err=True)
    if error is not None:
        sys.exit(ExitCode.VERIFICATION_FAILED)


@verify.command("drand", help=N_("Verify a drand beacon against a pinned chain."))
@_chain_option
@_round_option
@click.option("--signature", required=True, metavar="HEX", help=N_("The beacon's signature."))
@click.option(
    "--previous-signature",
    default=None,
    metavar="HEX",
    help=N_("Default chain: the previous round's signature."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON object."))
@report_errors
def verify_drand(
    chain: str, round_number: int, signature: str, previous_signature: str | None, as_json: bool
) -> None:
    """``fairdraw beacon verify drand``."""
    pinned = DrandChain.named(chain)
    parsed = DrandBeacon.from_json(
        {"round": round_number, "signature": signature, "previous_signature": previous_signature}
    )
    report: dict[str, Any] = {
        "source": "drand",
        "source_description": _("drand {chain} round {round}").format(
            chain=chain, round=round_number
        ),
        "chain": chain,
        "chain_hash": pinned.chain_hash.hex(),
        "round": round_number,
        "time": pinned.time_of_round(round_number).isoformat(),
    }
    try:
        with speaking("en") if as_json else contextlib.nullcontext():  # JSON is never translated
            report["randomness"] = pinned.verify(parsed).hex()
    except VerificationError as err:
        _finish(report, as_json, err)
        return
    _finish(report, as_json, None)


def _read_pulse(path: str) -> NistPulse:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise InputError(
            _("{path}: cannot read a NIST pulse: {reason}").format(path=path, reason=os_reason(err))
        ) from err
    except ValueError as err:
        raise InputError(_("{path}: a NIST pulse is a JSON object").format(path=path)) from err
    if not isinstance(data, dict):
        raise InputError(_("{path}: a NIST pulse is a JSON object").format(path=path))
    return NistPulse.from_json(data)


@verify.command("nist", help=N_("Verify a NIST Beacon 2.0 pulse against its certificate."))
@click.argument("pulse_path", metavar="PULSE.json")
@click.option(
    "--certificate",
    "certificate_path",
    required=True,
    metavar="CERT.pem",
    help=N_("The certificate the pulse names (PEM)."),
)
@click.option(
    "--previous",
    "previous_path",
    default=None,
    metavar="PULSE.json",
    help=N_("The previous pulse, to check the chain between the two."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON object."))
@report_errors
def verify_nist(
    pulse_path: str, certificate_path: str, previous_path: str | None, as_json: bool
) -> None:
    """``fairdraw beacon verify nist``."""
    pulse = _read_pulse(pulse_path)
    previous = None if previous_path is None else _read_pulse(previous_path)
    try:
        certificate = load_certificate(Path(certificate_path).read_bytes())
    except OSError as err:
        raise InputError(
            _("{path}: cannot read the certificate: {reason}").format(
                path=certificate_path, reason=os_reason(err)
            )
        ) from err
    report: dict[str, Any] = {
        "source": "nist",
        "source_description": _("NIST pulse {chain}/{pulse}").format(
            chain=pulse.chain_index, pulse=pulse.pulse_index
        ),
        "chain_index": pulse.chain_index,
        "pulse_index": pulse.pulse_index,
        "time": pulse.time_stamp,
        "status_code": pulse.status_code,
        "chained_to_previous": previous is not None,
    }
    try:
        with speaking("en") if as_json else contextlib.nullcontext():  # JSON is never translated
            report["randomness"] = verify_pulse(pulse, certificate, previous=previous).hex()
    except VerificationError as err:
        _finish(report, as_json, err)
        return
    _finish(report, as_json, None)


@beacon.group(help=N_("Fetch a beacon value over HTTP and verify it."))
def fetch() -> None:
    """``fairdraw beacon fetch``."""


@fetch.command(
    "drand",
    help=N_("Fetch a drand beacon, verify it, and print it as JSON (for `ceremony value`)."),
)
@_chain_option
@_round_option
@click.option(
    "--relay", "relays", multiple=True, metavar="URL", help=N_("Relays to try, in order.")
)
@click.option(
    "--timeout",
    type=float,
    default=10.0,
    show_default=True,
    help=N_("Seconds to wait for each request."),
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help=N_("How many times to try again after a failed request."),
)
@report_errors
def fetch_drand(
    chain: str, round_number: int, relays: tuple[str, ...], timeout: float, retries: int
) -> None:
    """``fairdraw beacon fetch drand``."""
    client = DrandClient(
        chain=DrandChain.named(chain),
        relays=relays or DEFAULT_DRAND_RELAYS,
        timeout=timeout,
        retries=retries,
    )
    print_json(client.beacon(round_number).to_json())


COMMANDS: tuple[click.Command, ...] = (beacon,)
"""The commands this module adds to ``fairdraw``."""
