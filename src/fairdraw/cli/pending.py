"""The files a ceremony step writes besides its event, and notes of steps in flight.

The notes let a step killed half-way be completed.
A step that writes a file besides its event (``commit`` its secret, ``draw`` and ``abort`` their
record) first notes in ``DIR/pending.json`` what it is about to write, then writes its files, and
drops the note when all are on disk. A re-run of the step, and ``status``, read the note:

* ``commit``: a secret file named by the note, whose commitment the note holds, is the secret of
  the interrupted commit: the re-run commits to it instead of making a second secret. Any other
  existing file is refused: a secret is never overwritten, nor reused by accident (a secret from
  another ceremony may be public already).
* ``draw``, ``abort``: when the event is recorded but the record file is missing, the re-run
  writes the record from the stored events (the same bytes: signatures are deterministic), and
  ``status`` says that it is missing.

Every write is atomic (:func:`fairdraw.files.write_atomic`), so the note itself is never partial.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from fairdraw.ceremony import Ceremony, commitment
from fairdraw.ceremony.events import event_hash
from fairdraw.cli.app import current_lang
from fairdraw.cli.i18n import text
from fairdraw.errors import CeremonyError, InputError
from fairdraw.files import json_bytes, os_reason, read_json, write_atomic, write_json
from fairdraw.i18n import _

__all__ = [
    "PENDING_FILE",
    "PENDING_MEDIA_TYPE",
    "RECORD_STEP",
    "clear_pending",
    "deliver_record",
    "interrupted_secret",
    "note_pending",
    "read_pending",
    "read_secret",
    "refuse_existing",
    "save_with_record",
]

PENDING_FILE = "pending.json"
PENDING_MEDIA_TYPE = "application/vnd.fairdraw.ceremony-pending.v1+json"
RECORD_STEP = "record"
"""The note's key for the record of ``draw`` or ``abort``; a commit's key is ``commit SOURCE``."""


def read_pending(directory: str | Path) -> dict[str, dict[str, Any]]:
    """The notes of interrupted steps in a ceremony directory, by step (empty when none).

    Raises:
        CeremonyError: ``pending.json`` is not a fairdraw note of steps in flight.
    """
    path = Path(directory) / PENDING_FILE
    if not path.exists():
        return {}
    data = read_json(path, _("notes of interrupted steps"))
    if (
        not isinstance(data, dict)
        or data.get("media_type") != PENDING_MEDIA_TYPE
        or not isinstance(data.get("steps"), dict)
    ):
        raise CeremonyError(
            _("{path}: not a fairdraw note of interrupted steps; move it elsewhere").format(
                path=path
            )
        )
    return {str(step): dict(note) for step, note in data["steps"].items()}


def note_pending(directory: str | Path, step: str, note: dict[str, Any]) -> None:
    """Record (atomically) that ``step`` is about to write the files ``note`` describes."""
    steps = read_pending(directory)
    steps[step] = note
    write_json(Path(directory) / PENDING_FILE, {"media_type": PENDING_MEDIA_TYPE, "steps": steps})


def clear_pending(directory: str | Path, step: str) -> None:
    """Drop the note of ``step`` once its files are on disk (the file goes with the last note)."""
    steps = read_pending(directory)
    if step not in steps:
        return
    del steps[step]
    path = Path(directory) / PENDING_FILE
    if steps:
        write_json(path, {"media_type": PENDING_MEDIA_TYPE, "steps": steps})
    else:
        path.unlink(missing_ok=True)


def interrupted_secret(directory: str, current: Ceremony, step: str, out: Path) -> bytes:
    """The secret an interrupted commit left in ``out``, checked against its note.

    Raises:
        CeremonyError: ``out`` is not the secret file of an interrupted commit of this source.
    """
    note = read_pending(directory).get(step, {})
    secret = read_secret(out)
    participant = current.participant_of(step.partition(" ")[2])
    if (
        note.get("announcement") != event_hash(current.events[0])
        or note.get("secret_file") != str(out.resolve())
        or not hmac.compare_digest(
            commitment(current.draw_id, participant, secret).hex(),
            str(note.get("commitment", "")),
        )
    ):
        raise CeremonyError(
            _(
                "{path} exists and is not the secret of an interrupted commit in {directory}; "
                "a secret is never overwritten or reused: give another --secret-out"
            ).format(path=out, directory=directory)
        )
    return secret


def refuse_existing(path: str) -> None:
    """Refuse a record file that exists before its step: a record is never overwritten."""
    if Path(path).exists():
        raise CeremonyError(_("{path} exists; a record is never overwritten").format(path=path))


def save_with_record(
    directory: str, current: Ceremony, out_path: str, record: Mapping[str, Any]
) -> None:
    """Save the step's new event, then its record, with a note until both are on disk."""
    note_pending(directory, RECORD_STEP, {"out": str(Path(out_path).resolve())})
    current.save(directory)
    write_json(out_path, record)
    clear_pending(directory, RECORD_STEP)


def deliver_record(directory: str, out_path: str, record: Mapping[str, Any]) -> None:
    """Write the record of a step recorded already, unless ``out_path`` holds it already.

    Raises:
        CeremonyError: ``out_path`` holds something else (a record is never overwritten).
    """
    target = Path(out_path)
    data = json_bytes(record)
    if target.exists():
        if target.read_bytes() != data:
            raise CeremonyError(
                _(
                    "{path} exists and is not this ceremony's record; a record is never "
                    "overwritten: give another --out"
                ).format(path=target)
            )
        click.echo(
            text(
                "ceremony.already", current_lang(), step=str(record["events"][-1]["event"]["kind"])
            )
        )
    else:
        write_atomic(target, data)
        click.echo(text("ceremony.record_rewritten", current_lang(), path=out_path))
    clear_pending(directory, RECORD_STEP)


def read_secret(path: str | Path) -> bytes:
    """Read a secret file (hex).

    Raises:
        InputError: the file cannot be read or is not hex.
    """
    try:
        text_value = Path(path).read_text(encoding="ascii")
    except OSError as err:
        raise InputError(
            _("{path}: cannot read the secret file: {reason}").format(
                path=path, reason=os_reason(err)
            )
        ) from err
    except ValueError as err:  # not ASCII
        raise InputError(_("{path}: not a secret file (hex digits)").format(path=path)) from err
    try:
        return bytes.fromhex(text_value.strip())
    except ValueError as err:
        raise InputError(_("{path}: not a secret file (hex digits)").format(path=path)) from err
