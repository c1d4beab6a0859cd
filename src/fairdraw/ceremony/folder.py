"""A ceremony's folder: its signed events as ``events/NNN-kind.json``, each written atomically.

Only files named ``NNN-kind.json`` are events: the temporary files of an interrupted atomic
write (``.NNN-kind.json.XXXX.tmp``) and set-aside ``*.damaged`` files are not. An empty or
cut-short *last* file, which older fairdraw versions could leave after a kill (they wrote in
place), can be left out on request and set aside when the step is repeated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fairdraw.errors import CeremonyError
from fairdraw.files import read_json, write_json
from fairdraw.i18n import N_, _

__all__ = ["event_file_name", "event_files", "read_event_files", "save_events"]

_EVENT_FILE = re.compile(r"[0-9]{3}-[a-z]+\.json")


def event_file_name(signed: Mapping[str, Any]) -> str:
    """The file name of a signed event in a ceremony's ``events/`` folder: ``NNN-kind.json``."""
    return f"{signed['event']['sequence']:03d}-{signed['event']['kind']}.json"


def event_files(folder: Path) -> list[Path]:
    """The event files in ``folder``, in sequence; temporary and set-aside files are skipped.

    Raises:
        CeremonyError: a visible ``*.json`` file that is not named like an event.
    """
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.json"):
        if path.name.startswith("."):
            continue  # a temporary file of an interrupted write, never an event
        if not _EVENT_FILE.fullmatch(path.name):
            raise CeremonyError(
                _("{path}: not an event file (NNN-kind.json); move it elsewhere").format(path=path)
            )
        found.append(path)
    return sorted(found)


def save_events(
    folder: Path, events: Sequence[Mapping[str, Any]], damaged: tuple[Path, ...]
) -> tuple[Path, ...]:
    """Write every event not yet in ``folder``, each atomically; return what is still damaged.

    Events already on disk must match (events never change). A damaged last file is renamed
    ``NNN-kind.json.damaged`` before the event that takes its place is written, so it is kept
    for inspection but never read again.

    Raises:
        CeremonyError: a file on disk differs from the ceremony's event.
        OSError: an event file cannot be written (the events before it are on disk).
    """
    for signed in events:
        path = folder / event_file_name(signed)
        if path.exists():
            if read_json(path, N_("ceremony event")) != signed:
                raise CeremonyError(
                    _("{path} differs from the ceremony: events never change").format(path=path)
                )
            continue
        for leftover in damaged:
            if leftover.exists():
                leftover.rename(leftover.with_name(leftover.name + ".damaged"))
        damaged = ()
        write_json(path, signed)
    return damaged


def read_event_files(
    directory: Path, *, allow_damaged_tail: bool = False
) -> tuple[list[Any], tuple[Path, ...]]:
    """The events in ``directory/events``, in sequence, and a damaged last file left out.

    Raises:
        CeremonyError: no events, or a damaged event file (the last one only with
            ``allow_damaged_tail``).
    """
    files = event_files(directory / "events")
    if not files:
        raise CeremonyError(
            _("{directory}: no ceremony here (no events/*.json)").format(directory=directory)
        )
    events: list[Any] = []
    damaged: tuple[Path, ...] = ()
    for index, path in enumerate(files):
        try:
            events.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as err:
            if index < len(files) - 1 or index == 0:
                raise CeremonyError(
                    _("{path}: not a readable event ({err})").format(path=path, err=err)
                ) from err
            if not allow_damaged_tail:
                raise CeremonyError(
                    _(
                        "{path} is empty or cut short: an older fairdraw was interrupted while "
                        "writing it, so that step was not recorded. Delete the file and repeat "
                        "the step, or close the ceremony with `fairdraw ceremony abort`"
                    ).format(path=path)
                ) from err
            damaged = (path,)
    return events, damaged
