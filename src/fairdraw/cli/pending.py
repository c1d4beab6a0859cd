"""Notes of ceremony steps in flight, so that a step killed half-way can be completed.

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

from pathlib import Path
from typing import Any

from fairdraw.errors import CeremonyError
from fairdraw.files import read_json, write_json

__all__ = ["PENDING_FILE", "PENDING_MEDIA_TYPE", "clear_pending", "note_pending", "read_pending"]

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
    data = read_json(path, "notes of interrupted steps")
    if (
        not isinstance(data, dict)
        or data.get("media_type") != PENDING_MEDIA_TYPE
        or not isinstance(data.get("steps"), dict)
    ):
        raise CeremonyError(f"{path}: not a fairdraw note of interrupted steps; move it elsewhere")
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
