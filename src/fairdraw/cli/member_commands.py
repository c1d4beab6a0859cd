"""``fairdraw check-member``: a business checks its own draw with the receipt the office gave
it and the public record (``docs/spec/membership-v1.md``, section 7)."""

from __future__ import annotations

import contextlib
import sys

import click

from fairdraw.ceremony.report import check_title
from fairdraw.cli.app import print_json, report_errors
from fairdraw.cli.common import public_key_option, read_json, read_record
from fairdraw.exits import ExitCode
from fairdraw.i18n import N_, _, speaking
from fairdraw.membership.check import MemberReport, check_member
from fairdraw.membership.receipt import MemberReceipt
from fairdraw.signing import PublicKey

_EXITS = {
    "passed": ExitCode.OK,
    "failed": ExitCode.VERIFICATION_FAILED,
    "incomplete": ExitCode.INCOMPLETE,
}
_MARKS = {"passed": "✔", "failed": "✘", "not checked": "–"}


@click.command(
    "check-member",
    help=N_(
        "Check with your receipt that you were in a confidential list, and why you were or "
        "were not drawn.\n\nExit 0 if every check passed; 4 if one failed (the receipt or the "
        "record does not check out, or the outcome does not follow from the scores); 8 if "
        "nothing failed but a check could not be made (give --public-key)."
    ),
)
@click.argument("receipt_path", metavar="RECEIPT.json")
@click.option(
    "--record",
    "record_path",
    required=True,
    metavar="RECORD.json",
    help=N_("The published draw record the receipt belongs to."),
)
@public_key_option
@click.option("--json", "as_json", is_flag=True, help=N_("Print the report as one JSON object."))
@report_errors
def check_member_command(
    receipt_path: str, record_path: str, public_key_path: str | None, as_json: bool
) -> None:
    """A business checks its own draw with its receipt (spec membership-v1, section 7)."""
    receipt_data = read_json(receipt_path, _("member receipt"))
    record = read_record(record_path)
    receipt = MemberReceipt.from_json(receipt_data, receipt_path)
    public_key = None if public_key_path is None else PublicKey.load(public_key_path)
    with speaking("en") if as_json else contextlib.nullcontext():  # JSON is never translated
        report = check_member(receipt, record, public_key=public_key)
    if as_json:
        print_json(report.to_dict())
    else:
        _echo(report)
    sys.exit(_EXITS[report.verdict])


def _echo(report: MemberReport) -> None:
    status = {"passed": _("passed"), "failed": _("FAILED"), "not checked": _("not checked")}
    click.echo(
        _("Checking {label} in scope {scope} of draw {draw_id}").format(
            label=report.label, scope=report.scope, draw_id=report.draw_id
        )
    )
    for check in report.checks:
        click.echo(f"  {_MARKS[check.status]} {status[check.status]}  {check_title(check.name)}")
        if check.detail:
            click.echo(f"      {check.detail}")
    if report.score is not None:
        click.echo(_("Its score under the published seed: {score}").format(score=report.score))
    cutoff = report.cutoff or {}
    if cutoff.get("mode") == "exact" and cutoff.get("score"):
        click.echo(
            _("Cut-off: the last drawn (rank {rank}) scored {score}").format(
                rank=cutoff["rank"], score=cutoff["score"]
            )
        )
    elif cutoff.get("mode") == "rate":
        click.echo(
            _("Cut-off: rate {rate}, drawn if the score is below {threshold}").format(
                rate=cutoff["rate"], threshold=cutoff["threshold"]
            )
        )
    verdicts = {
        "passed": _("Result: PASSED: {reason}."),
        "failed": _("Result: FAILED: do not trust this draw for this business ({reason})."),
        "incomplete": _(
            "Result: nothing failed ({reason}), but a check could not be made; see above."
        ),
    }
    reason = report.reason or _("no outcome could be derived")
    click.echo(verdicts[report.verdict].format(reason=reason))


COMMANDS: tuple[click.Command, ...] = (check_member_command,)
"""The commands this module adds to ``fairdraw``."""
