"""``fairdraw ceremony accept``: record a participant's signed statement (ceremony spec v2,
section 3).

A participant who holds their own key makes their commitment, witness, dice and reveal on their
own device (``fairdraw participant …``) and hands the office the statement file, or pastes its
base64 or hex. The office checks it against the key its announcement gives the participant and
records it as the next event. Re-run after a kill, the command finds the statement recorded
already and says so.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from fairdraw.ceremony import Ceremony
from fairdraw.cli.app import current_lang, report_errors
from fairdraw.cli.ceremony_status import echo_status
from fairdraw.cli.common import at_option, at_time, office_key_option, passphrase_option
from fairdraw.cli.i18n import text
from fairdraw.errors import CeremonyError, InputError
from fairdraw.files import os_reason
from fairdraw.i18n import N_, _, shown_time
from fairdraw.participant import body_of, read_statement
from fairdraw.passphrase import load_office_key

__all__ = ["accept", "read_handed_over"]


def read_handed_over(statement_path: str) -> dict[str, Any]:
    """The signed statement in a file, or pasted on standard input (``-``).

    Raises:
        InputError: the file cannot be read, or holds no statement (JSON, base64 or hex).
    """
    if statement_path == "-":
        return read_statement(sys.stdin.read(), _("pasted text"))
    try:
        data = Path(statement_path).read_bytes()
    except OSError as err:
        raise InputError(
            _("{path}: cannot read the statement: {reason}").format(
                path=statement_path, reason=os_reason(err)
            )
        ) from err
    return read_statement(data, statement_path)


def _recorded(current: Ceremony, signed: Mapping[str, Any]) -> dict[str, Any] | None:
    """The recorded event this very statement became, if any."""
    statement = signed["statement"]
    if statement["draw_id"] != current.draw_id:
        return None
    body = body_of(signed)
    for event in current.events:
        if event["event"]["kind"] == statement["act"] and event["event"]["body"] == body:
            return dict(event["event"])
    return None


def _refuse_another(current: Ceremony, signed: Mapping[str, Any], err: CeremonyError) -> None:
    """Say why a statement was refused when it is a second one for a step the participant has
    made already.

    Raises:
        CeremonyError: the source's step, or the participant's witness, is recorded already.
    """
    statement = signed["statement"]
    act, participant = statement["act"], statement["participant"]
    if statement["draw_id"] != current.draw_id:
        return
    for event in current.events:
        kind, body = event["event"]["kind"], event["event"]["body"]
        if kind != act or body.get("participant") != participant:
            continue
        if act == "witness" or body.get("source") == statement.get("source"):
            lang = current_lang()
            values = {
                "sequence": event["event"]["sequence"],
                "act": text(f"ceremony.act.{act}", lang),
                "participant": participant,
            }
            if act == "witness":
                message = _(
                    "event {sequence} records another {act} of {participant!r}; a step is "
                    "recorded once"
                ).format(**values)
            else:
                message = _(
                    "event {sequence} records another {act} of source {source!r} of "
                    "{participant!r}; a step is recorded once"
                ).format(source=statement["source"], **values)
            raise CeremonyError(message) from err


def _echo_recorded(event: Mapping[str, Any], *, already: bool) -> None:
    lang = current_lang()
    body = event["body"]
    act = text(f"ceremony.act.{event['kind']}", lang)
    if already:
        key, values = "ceremony.accepted.already", {"act": act}
    elif event["kind"] == "witness":
        key, values = "ceremony.accepted.witness", {"time": shown_time(body["time"])}
    else:
        key, values = "ceremony.accepted", {"act": act, "source": body["source"]}
    click.echo(
        text(key, lang, participant=body["participant"], sequence=event["sequence"], **values)
    )


@click.command(
    "accept",
    help=N_(
        "Record a participant's signed statement.\n\n"
        "STATEMENT is the file a participant handed over (`fairdraw participant commit`, "
        "`witness`, `dice` or `reveal`), or - to paste its text (JSON, base64 or hex) on "
        "standard input. It is checked against the key the announcement gives the participant, "
        "and refused unless it is this ceremony's next step."
    ),
)
@click.argument("directory", metavar="DIR")
@click.argument("statement_path", metavar="STATEMENT")
@office_key_option
@passphrase_option
@at_option
@report_errors
def accept(
    directory: str,
    statement_path: str,
    key_path: str,
    passphrase_file: str | None,
    at_text: str | None,
) -> None:
    """``fairdraw ceremony accept``."""
    signed = read_handed_over(statement_path)
    current = Ceremony.load(directory, load_office_key(key_path, passphrase_file))
    recorded = _recorded(current, signed)
    if recorded is not None:
        _echo_recorded(recorded, already=True)
    else:
        try:
            current.accept(signed, at=at_time(at_text))
        except CeremonyError as err:
            _refuse_another(current, signed, err)
            raise
        current.save(directory)
        _echo_recorded(current.events[-1]["event"], already=False)
    echo_status(current)
