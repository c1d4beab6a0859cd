"""``fairdraw participant …``: a participant's own key and signed statements, on their device.

A witness, notary, leader or businesses' representative runs these on their own computer: the
office never sees their key, and never sees their secret before the reveal. Each command says
what it did and what to hand to the office (a file, or one line of base64 to paste).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from fairdraw.ceremony.events import event_hash
from fairdraw.ceremony.folder import read_event_files
from fairdraw.cli.app import current_lang, print_json, report_errors
from fairdraw.cli.common import passphrase_option
from fairdraw.cli.i18n import text
from fairdraw.errors import InputError
from fairdraw.files import read_json, write_json
from fairdraw.i18n import N_, _, shown_time
from fairdraw.participant import (
    ParticipantKey,
    check_office_events,
    load_secret,
    make_commit,
    make_dice,
    make_reveal,
    make_witness,
    new_secret,
    save_secret,
    statement_base64,
)
from fairdraw.passphrase import load_office_key, read_passphrase
from fairdraw.times import parse_time

_key_option = click.option(
    "--key",
    "key_path",
    required=True,
    metavar="KEYFILE",
    help=N_("Your encrypted participant key."),
)
_as_option = click.option(
    "--as",
    "participant_id",
    required=True,
    metavar="ID",
    help=N_("Your participant id, as the announcement names you."),
)
_out_option = click.option(
    "--out", "out_path", required=True, metavar="FILE", help=N_("Where to write the statement.")
)
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def read_events(path: str | Path) -> list[dict[str, Any]]:
    """Signed events from a file or folder: a signed event, a list of them, a draw record
    (``{"events": [...]}``), or a ``fairdraw ceremony`` folder (``DIR/events/NNN-kind.json``).

    Raises:
        InputError: none of these.
    """
    target = Path(path)
    if target.is_dir():
        events, _damaged = read_event_files(target)
        return list(events)
    data = read_json(target, _("announcement or events"))
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        data = data["events"]
    elif isinstance(data, dict) and "event" in data:
        data = [data]
    if not isinstance(data, list) or not data or not all(isinstance(e, dict) for e in data):
        raise InputError(
            _(
                "{path}: neither a signed event, a list of signed events, a draw record nor a "
                "ceremony folder"
            ).format(path=path)
        )
    return data


def _grouped(hex_text: str) -> str:
    """Hex in groups of four digits, eight groups a line: easy to read aloud and compare."""
    groups = [hex_text[i : i + 4] for i in range(0, len(hex_text), 4)]
    return "\n".join("  " + " ".join(groups[i : i + 8]) for i in range(0, len(groups), 8))


def _echo_announcement(announcement: Mapping[str, Any]) -> None:
    event = announcement["event"]
    click.echo(
        text(
            "participant.announcement",
            current_lang(),
            draw_id=event["draw_id"],
            office=event["body"].get("office"),
            time=shown_time(event["time"]),
        )
    )


def _announcement(path: str) -> dict[str, Any]:
    """The signed announcement in ``path``, its office signature checked."""
    announcement = read_events(path)[0]
    check_office_events([announcement])
    _echo_announcement(announcement)
    return announcement


def _held_already(out_path: str, signed: Mapping[str, Any]) -> bool:
    """Whether ``out_path`` holds this statement already; refuse a file holding anything else.

    Raises:
        InputError: the file exists and holds something else.
    """
    out = Path(out_path)
    if not out.exists():
        return False
    if read_json(out, _("statement")) != signed:
        raise InputError(
            _("{path} exists and holds something else; choose another --out").format(path=out)
        )
    return True


def _write_statement(out_path: str, signed: Mapping[str, Any], *, held: bool | None = None) -> None:
    """Write the statement, unless the file holds it already (then say so)."""
    if held if held is not None else _held_already(out_path, signed):
        click.echo(text("participant.unchanged", current_lang(), out=out_path))
        return
    write_json(out_path, signed)


def _echo_handover(out_path: str, signed: Mapping[str, Any]) -> None:
    click.echo(text("participant.handover", current_lang(), out=out_path))
    click.echo(statement_base64(signed))


# -- participant ------------------------------------------------------------------------------


@click.group(
    help=N_(
        "Your own key and signed statements, as a ceremony participant.\n\n"
        "key → give the office your entry; then commit, witness or dice; reveal once every "
        "commitment and entered value is recorded. The office records what you hand it."
    )
)
def participant() -> None:
    """``fairdraw participant``."""


@participant.command("key", help=N_("Create your key: KEYFILE (encrypted) and KEYFILE.pub."))
@click.option("--out", "out_path", required=True, metavar="KEYFILE", help=N_("The new key file."))
@click.option(
    "--id", "participant_id", default=None, help=N_("Your id, if agreed with the office.")
)
@click.option("--role", default=None, help=N_("Your role (witness, notary, leader…), if agreed."))
@click.option("--name", default=None, help=N_("Your name, for the announcement."))
@click.option("--organisation", default=None, help=N_("Your organisation, for the announcement."))
@passphrase_option
@report_errors
def key(
    out_path: str,
    participant_id: str | None,
    role: str | None,
    name: str | None,
    organisation: str | None,
    passphrase_file: str | None,
) -> None:
    """``fairdraw participant key``."""
    made = ParticipantKey.generate()
    made.save(out_path, read_passphrase(passphrase_file, confirm=True))
    lang = current_lang()
    click.echo(text("participant.key.created", lang, path=out_path, public=out_path + ".pub"))
    click.echo(text("participant.key.id", lang))
    click.echo(_grouped(made.key_id))
    entry: dict[str, Any] = {
        "id": participant_id or "?",
        "role": role or "?",
        "key": made.public.to_json(),
    }
    if name is not None:
        entry["name"] = name
    if organisation is not None:
        entry["organisation"] = organisation
    click.echo(text("participant.key.entry", lang))
    print_json(entry)
    if participant_id is None or role is None:
        click.echo(text("participant.key.fill", lang))


@participant.command(
    "commit",
    help=N_(
        "Make a secret, keep it, and sign its commitment.\n\n"
        "ANNOUNCEMENT is the signed announce event, a draw record or a ceremony folder. Run "
        "again after an interruption, it commits to the secret already in the secret file "
        "(never a second one)."
    ),
)
@click.argument("announcement_path", metavar="ANNOUNCEMENT")
@_as_option
@click.option("--source", "source_id", required=True, help=N_("Your local source."))
@_key_option
@passphrase_option
@click.option(
    "--secret-file",
    default=None,
    metavar="FILE",
    help=N_("Where to keep the new secret (default: secret-DRAW-SOURCE.json beside --out)."),
)
@_out_option
@report_errors
def commit(
    announcement_path: str,
    participant_id: str,
    source_id: str,
    key_path: str,
    passphrase_file: str | None,
    secret_file: str | None,
    out_path: str,
) -> None:
    """``fairdraw participant commit``."""
    announcement = _announcement(announcement_path)
    draw_id = announcement["event"]["draw_id"]
    if secret_file is None:
        name = f"secret-{_UNSAFE_IN_NAME.sub('_', draw_id)}-{_UNSAFE_IN_NAME.sub('_', source_id)}"
        secret_path = Path(out_path).parent / f"{name}.json"
    else:
        secret_path = Path(secret_file)
    signer = load_office_key(key_path, passphrase_file)
    kept = load_secret(secret_path) if secret_path.exists() else None
    if kept is not None and (kept.draw_id, kept.participant, kept.source) != (
        draw_id,
        participant_id,
        source_id,
    ):
        raise InputError(
            _(
                "{path} exists and holds the secret of draw {draw_id!r}, participant "
                "{participant!r}, source {source!r}; a secret file is never replaced: choose "
                "another --secret-file"
            ).format(
                path=secret_path,
                draw_id=kept.draw_id,
                participant=kept.participant,
                source=kept.source,
            )
        )
    secret = kept.secret if kept is not None else new_secret()
    signed = make_commit(signer, announcement, participant_id, source_id, secret)
    held = _held_already(out_path, signed)  # refused before a secret is kept for nothing
    if kept is None:
        save_secret(secret_path, draw_id, participant_id, source_id, secret)
    _write_statement(out_path, signed, held=held)
    done = "participant.commit.reused" if kept is not None else "participant.commit.done"
    click.echo(text(done, current_lang(), source=source_id, secret=secret_path, out=out_path))
    _echo_handover(out_path, signed)


@participant.command(
    "witness",
    help=N_(
        "Sign that you saw this announcement, now.\n\n"
        "Compare the hash printed with the one the office shows or publishes before you hand "
        "over the witness."
    ),
)
@click.argument("announcement_path", metavar="ANNOUNCEMENT")
@_as_option
@_key_option
@passphrase_option
@_out_option
@click.option(
    "--at",
    "at_text",
    default=None,
    metavar="TIME",
    help=N_("Sign this time (2026-05-12T09:00:00Z) instead of now: for replays and examples only."),
)
@report_errors
def witness(
    announcement_path: str,
    participant_id: str,
    key_path: str,
    passphrase_file: str | None,
    out_path: str,
    at_text: str | None,
) -> None:
    """``fairdraw participant witness``."""
    announcement = _announcement(announcement_path)
    lang = current_lang()
    click.echo(text("participant.announcement_hash", lang, hash=event_hash(announcement)))
    click.echo(_grouped(event_hash(announcement)))
    click.echo(text("participant.witness.check", lang))
    at: datetime | None = None if at_text is None else parse_time(at_text, "--at")
    signer = load_office_key(key_path, passphrase_file)
    signed = make_witness(signer, announcement, participant_id, at)
    _write_statement(out_path, signed)
    click.echo(
        text(
            "participant.witness.done",
            lang,
            time=shown_time(signed["statement"]["time"]),
            out=out_path,
        )
    )
    _echo_handover(out_path, signed)


@participant.command("dice", help=N_("Sign the dice you rolled, in order."))
@click.argument("announcement_path", metavar="ANNOUNCEMENT")
@_as_option
@click.option("--source", "source_id", required=True, help=N_("Your dice source."))
@click.option("--rolls", required=True, help=N_('The rolls in order: "3,6,1,4" or "3 6 1 4".'))
@_key_option
@passphrase_option
@_out_option
@report_errors
def dice(
    announcement_path: str,
    participant_id: str,
    source_id: str,
    rolls: str,
    key_path: str,
    passphrase_file: str | None,
    out_path: str,
) -> None:
    """``fairdraw participant dice``."""
    try:
        values = [int(part) for part in rolls.replace(",", " ").split()]
    except ValueError as err:
        raise InputError(_("--rolls takes whole numbers separated by commas or spaces")) from err
    announcement = _announcement(announcement_path)
    signer = load_office_key(key_path, passphrase_file)
    signed = make_dice(signer, announcement, participant_id, source_id, values)
    _write_statement(out_path, signed)
    click.echo(
        text(
            "participant.dice.done",
            current_lang(),
            source=source_id,
            count=len(values),
            rolls=" ".join(map(str, values)),
            out=out_path,
        )
    )
    _echo_handover(out_path, signed)


@participant.command(
    "reveal",
    help=N_(
        "Sign the reveal of your secret, once every commitment and value is in.\n\n"
        "EVENTS holds the signed events so far: a JSON list of them, a draw record or a "
        "ceremony folder. The reveal is refused unless they show every commitment and every "
        "entered value."
    ),
)
@click.argument("events_path", metavar="EVENTS")
@click.option(
    "--secret-file", required=True, metavar="FILE", help=N_("The secret file of your commit.")
)
@_key_option
@passphrase_option
@_out_option
@report_errors
def reveal(
    events_path: str, secret_file: str, key_path: str, passphrase_file: str | None, out_path: str
) -> None:
    """``fairdraw participant reveal``."""
    events = read_events(events_path)
    check_office_events(events)
    _echo_announcement(events[0])
    saved = load_secret(secret_file)
    draw_id = events[0]["event"]["draw_id"]
    if saved.draw_id != draw_id:
        raise InputError(
            _(
                "{secret} is the secret of draw {secret_draw!r}; {events} holds the events of "
                "draw {draw_id!r}"
            ).format(
                secret=secret_file, secret_draw=saved.draw_id, events=events_path, draw_id=draw_id
            )
        )
    signer = load_office_key(key_path, passphrase_file)
    signed = make_reveal(signer, events, saved.participant, saved.source, saved.secret)
    closing = signed["statement"]["closing"]
    before = next(e["event"] for e in events if event_hash(e) == closing)
    lang = current_lang()
    click.echo(
        text(
            "participant.reveal.after",
            lang,
            sequence=before["sequence"],
            kind=before["kind"],
            hash=closing,
        )
    )
    _write_statement(out_path, signed)
    click.echo(text("participant.reveal.done", lang, source=saved.source, out=out_path))
    _echo_handover(out_path, signed)


COMMANDS: tuple[click.Command, ...] = (participant,)
"""The commands this module adds to ``fairdraw``."""
