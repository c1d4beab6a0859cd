"""``rfb publish``, ``rfb export`` and ``rfb verify``: the month's disclosure, a draw's files
written again from the store, and the check any citizen can run on a publication (complete,
with ``--internal``, for the office and its auditors)."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click

from fairdraw import ExitCode, InputError, PublicKey, parse_public_record, speaking
from rfb_policy.cli.app import echo_draw_files, lang_of, open_office
from rfb_policy.cli.params import DB_OPTION, MONTH_OR_DRAW
from rfb_policy.files.internal import read_internal
from rfb_policy.i18n import N_, _, check_name
from rfb_policy.month import Month
from rfb_policy.publish.verify import is_demonstration, publication_report

__all__ = ["export", "publish", "verify"]


@click.command(
    help=N_(
        "Write the month's disclosure (HTML, CSV, XLSX, the record and the credit export), with "
        "its file manifest signed by the office."
    )
)
@click.argument("which", metavar="YYYY-MM|DRAW_ID", type=MONTH_OR_DRAW)
@click.option(
    "--out",
    "out_dir",
    default=None,
    metavar="DIR",
    help=N_("the folder written (default: publication/YYYY-MM)"),
)
@DB_OPTION
@click.option("--key", "key_path", default=None, metavar="FILE", help=N_("the office key"))
@click.pass_context
def publish(
    ctx: click.Context,
    which: Month | str,
    out_dir: str | None,
    db: str | None,
    key_path: str | None,
) -> None:
    """The month's disclosure written (``rfb publish``)."""
    with open_office(ctx, db=db, key_path=key_path, signs=True) as office:
        written = office.publish(which, Path(out_dir) if out_dir else None)
    for path in written:
        click.echo(str(path))


@click.command(
    help=N_(
        "Write a stored draw's files again from the database (its record and the internal check "
        "material)."
    )
)
@click.argument("which", metavar="YYYY-MM|DRAW_ID", type=MONTH_OR_DRAW)
@click.pass_context
def export(ctx: click.Context, which: Month | str) -> None:
    """A draw's files written again (``rfb export``)."""
    with open_office(ctx, needs_folder=True) as office:
        files = office.export(which)
    echo_draw_files(files)


@click.command(
    help=N_(
        "Check a published month: its record, groups and assignment.\n\n"
        "DIR is the publication folder (record.json, assignment.json). Exit 0: every check "
        "passed; 4: one failed; 8: nothing failed, but some checks could not be made (the "
        "confidential lists, or the office's key when --public-key is not given); 3: the "
        "--internal folder's lists cannot be read, or are another draw's, or a --public-record "
        "names no lottery draw of the record. With --public-record ID=NUMBERS (the numbers as "
        "the lottery's publisher published them), the recorded numbers are compared with them; "
        "without, they are not checked. With --internal (the office's draws/DRAW_ID/internal, "
        "read through its lists.json), every list is recomputed completely."
    )
)
@click.argument("folder", metavar="DIR")
@click.option(
    "--public-key",
    "public_key_path",
    default=None,
    metavar="FILE",
    help=N_("the office's public key, from its website"),
)
@click.option(
    "--internal",
    "internal_dir",
    default=None,
    metavar="FOLDER",
    help=N_("the office's own lists (draws/DRAW_ID/internal): the complete check"),
)
@click.option(
    "--public-record",
    "public_records",
    multiple=True,
    metavar="ID=NUMBERS",
    help=N_(
        "a lottery draw's numbers as its publisher (www.cwl.gov.cn) published them (lottery=3/7/1)"
    ),
)
@click.option(
    "--json", "as_json", is_flag=True, help=N_("print JSON (for programs; never translated)")
)
@click.pass_context
def verify(
    ctx: click.Context,
    folder: str,
    public_key_path: str | None,
    internal_dir: str | None,
    public_records: tuple[str, ...],
    as_json: bool,
) -> None:
    """A publication checked (``rfb verify``)."""
    lang = lang_of(ctx)
    public_key = PublicKey.load(public_key_path) if public_key_path else None
    lists = None if internal_dir is None else read_internal(internal_dir)
    numbers = {}
    for given in public_records:
        source, sep, text = given.partition("=")
        try:
            if not sep or not source:
                raise InputError(_("write it as ID=NUMBERS (lottery=3/7/1)"))
            numbers[source] = parse_public_record(text)
        except InputError as err:
            raise click.BadParameter(
                _("{given}: {error}").format(given=given, error=err), param_hint="--public-record"
            ) from err
    with speaking("en") if as_json else contextlib.nullcontext():  # JSON is never translated
        report = publication_report(
            folder,
            public_key=public_key,
            populations=None if lists is None else lists.populations,
            public_records=numbers,
            recusals=None if lists is None else lists.recusals,
        )
    if lists is not None and report.draw_id:  # a record that cannot be read says so itself
        lists.require_draw(report.draw_id)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        marks = {"passed": "✓", "failed": "✗"}
        for check in report.checks:
            shown = _("{mark} {name}: {detail}")
            click.echo(
                shown.format(
                    mark=marks.get(check.status, "-"),
                    name=check_name(check.name),
                    detail=check.detail,
                )
            )
        if public_key_path is None:
            click.echo(
                _(
                    "Note: without --public-key the signatures are checked against the key the "
                    "record announces; compare it with the one on the office's website."
                )
            )
        if report.steering is not None:
            click.echo(report.steering.sentence(lang))
        verdicts = {
            "passed": N_("All passed"),
            "failed": N_("FAILED"),
            "incomplete": N_(
                "Nothing failed, but {count} check(s) could not be made (marked -): INCOMPLETE, "
                "not passed"
            ),
        }
        verdict = _(verdicts[report.verdict]).format(count=len(report.unchecked))
        if is_demonstration(report):
            verdict = _("A demonstration (fictitious data, replayed clock): {verdict}").format(
                verdict=verdict
            )
        click.echo(verdict)
    statuses = {
        "passed": ExitCode.OK,
        "failed": ExitCode.VERIFICATION_FAILED,
        "incomplete": ExitCode.INCOMPLETE,
    }
    sys.exit(statuses[report.verdict])
