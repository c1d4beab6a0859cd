"""``fairdraw verify``: recompute and check a draw record, and say what could not be checked."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from fairdraw.ceremony import Report, Verdict, verification_report
from fairdraw.ceremony.public_records import given_public_records
from fairdraw.ceremony.report import check_title
from fairdraw.cli.app import current_lang, print_json, report_errors
from fairdraw.cli.common import (
    population_option,
    populations_by_scope,
    public_key_option,
    read_record,
    salt_option,
)
from fairdraw.cli.i18n import text
from fairdraw.errors import InputError
from fairdraw.exits import ExitCode
from fairdraw.files import os_reason
from fairdraw.i18n import N_, _, speaking
from fairdraw.population import Population
from fairdraw.signing import PublicKey
from fairdraw.verifier_page import write_verifier_page

# -- verify -----------------------------------------------------------------------------------


@click.command(
    "verify",
    help=N_(
        "Recompute and check everything a draw record claims.\n\n"
        "Exit 0 only if every check passed (the record can be trusted); 4 if a check failed; "
        "8 if nothing failed but some checks could not be made (give --public-key, every "
        "--population, and each public record's --public-record)."
    ),
)
@click.argument("record_path", metavar="RECORD.json")
@population_option
@salt_option
@public_key_option
@click.option(
    "--tsa-cert",
    "tsa_cert_path",
    default=None,
    metavar="FILE",
    help=N_(
        "PEM certificate(s) of the time-stamping authorities you trust (pins their timestamps)."
    ),
)
@click.option(
    "--public-record",
    "public_record_values",
    multiple=True,
    metavar="ID=NUMBERS",
    help=N_(
        "A public record's numbers as its publisher published them, looked up yourself: "
        "draws separated by /, numbers by . , or spaces (7.8.11./15.21./ or 7,8,11/15,21)."
    ),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the report as one JSON object."))
@report_errors
def verify(
    record_path: str,
    population_values: tuple[str, ...],
    salts: tuple[str, ...],
    public_key_path: str | None,
    tsa_cert_path: str | None,
    public_record_values: tuple[str, ...],
    as_json: bool,
) -> None:
    """``fairdraw verify``: the exit status tells the verdict."""
    record, populations = _record_and_lists(record_path, population_values, salts)
    public_key = None if public_key_path is None else PublicKey.load(public_key_path)
    tsa_certificates = None
    if tsa_cert_path is not None:
        try:
            tsa_certificates = Path(tsa_cert_path).read_bytes()
        except OSError as err:
            raise InputError(
                _("{path}: cannot read the TSA certificate: {reason}").format(
                    path=tsa_cert_path, reason=os_reason(err)
                )
            ) from err
    with speaking("en") if as_json else contextlib.nullcontext():  # JSON is never translated
        report = verification_report(
            record,
            populations=populations,
            public_key=public_key,
            tsa_certificates=tsa_certificates,
            public_records=_public_records(public_record_values, record),
        )
    if as_json:
        print_json(report.to_dict())
    else:
        _echo_report(report)
    sys.exit(_EXIT_BY_VERDICT[report.verdict])


def _record_and_lists(
    record_path: str, population_values: tuple[str, ...], salts: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, Population]]:
    """The record (a JSON object) and the ``--population``/``--salt`` lists by scope, matched
    against the scopes it announces."""
    record = read_record(record_path)
    try:
        announced = record["events"][0]["event"]["body"]["scopes"]
    except (KeyError, IndexError, TypeError):
        announced = []
    return record, populations_by_scope(population_values, salts, announced)


def _public_records(values: tuple[str, ...], record: dict[str, Any]) -> dict[str, str]:
    """``--public-record ID=NUMBERS`` by source id, each checked against the record."""
    given: dict[str, str] = {}
    for value in values:
        source, sep, numbers = value.partition("=")
        if not sep or not source or not numbers.strip():
            raise InputError(
                _("--public-record takes ID=NUMBERS, not {value!r}").format(value=value)
            )
        if source in given:
            raise InputError(_("--public-record {source}: given twice").format(source=source))
        try:
            given.update(given_public_records(record, {source: numbers}))
        except InputError as err:
            raise InputError(
                _("--public-record {value}: {reason}").format(value=value, reason=err)
            ) from err
    return given


_EXIT_BY_VERDICT: dict[Verdict, ExitCode] = {
    "passed": ExitCode.OK,
    "failed": ExitCode.VERIFICATION_FAILED,
    "incomplete": ExitCode.INCOMPLETE,
}


def _echo_report(report: Report) -> None:
    lang = current_lang()
    marks = {"passed": "✔", "failed": "✘", "not checked": "–"}
    click.echo(text("verify.title", lang, draw_id=report.draw_id))
    for check in report.checks:
        key_name = {"passed": "passed", "failed": "failed_check", "not checked": "not_checked"}
        label = text(f"verify.{key_name[check.status]}", lang)
        click.echo(f"  {marks[check.status]} {label}  {check_title(check.name)}")
        if check.detail:
            click.echo(f"      {check.detail}")
    if report.steering is not None:
        click.echo(text("verify.steering", lang, sentence=report.steering.sentence(lang)))
    click.echo(text(f"verify.verdict.{report.verdict}", lang, count=len(report.unchecked)))


@click.command(
    "verifier",
    help=N_(
        "Write DIR/verify.html: the browser check of a record, with it (and the lists and key "
        "given) embedded; it opens from a website or a folder with no network.\n\n"
        "A confidential list given with its salt is embedded too: such a page says it is an "
        "auditors' copy, never for publication."
    ),
)
@click.option(
    "--record",
    "record_path",
    required=True,
    metavar="RECORD.json",
    help=N_("The signed draw record to check."),
)
@population_option
@salt_option
@public_key_option
@click.option(
    "--key-notice",
    default="",
    metavar="TEXT",
    help=N_("Where the office publishes its key's fingerprint (shown beside it)."),
)
@click.option(
    "--out", "out_dir", required=True, metavar="DIR", help=N_("The folder to write it into.")
)
@report_errors
def verifier(
    record_path: str,
    population_values: tuple[str, ...],
    salts: tuple[str, ...],
    public_key_path: str | None,
    key_notice: str,
    out_dir: str,
) -> None:
    """``fairdraw verifier``."""
    record, populations = _record_and_lists(record_path, population_values, salts)
    key_text = None
    if public_key_path is not None:
        key_text = PublicKey.load(public_key_path).to_pem().decode("ascii")
    extra: dict[str, object] = {"key_notice": key_notice.strip()} if key_notice.strip() else {}
    if any(p.salt for p in populations.values()):
        extra["audit"] = True  # a salted list: the page says it is an auditors' copy
    path = write_verifier_page(
        out_dir, record, public_key=key_text, populations=populations, extra=extra
    )
    click.echo(str(path))


COMMANDS: tuple[click.Command, ...] = (verify, verifier)
"""The commands this module adds to ``fairdraw``."""
