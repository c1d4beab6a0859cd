"""A draw's files in the office folder, ``draws/DRAW_ID/``, written from the store.

* ``announcement.json``: the signed announcement, to publish before the beacon round is due;
* ``record.json``: the signed record (public);
* ``internal/``: every scope's list, the confidential lists' salts in ``verify.sh`` (the full
  ``fairdraw verify`` command): material for auditors, never for publication.

Every file is written atomically, and everything here can be written again from the store at
any time (``rfb export``), so a crash between finalising a draw and writing its files loses
nothing.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path

import attrs

from fairdraw import Population, SignedEvent, write_atomic, write_json
from rfb_policy.ceremony.record import MonthRecord

__all__ = ["DrawFiles", "draw_folder", "write_announcement", "write_draw_files"]


@attrs.frozen
class DrawFiles:
    """What :func:`write_draw_files` wrote, and the commands that check it.

    Attributes:
        verify_words: the full ``fairdraw verify`` command (with the confidential lists).
        public_words: the command anyone can run on the public record.
    """

    folder: Path
    record: Path
    internal: Path
    verify_words: tuple[str, ...]
    public_words: tuple[str, ...]


def draw_folder(office_folder: Path, draw_id: str) -> Path:
    """Where a draw's files live in the office folder."""
    return office_folder / "draws" / draw_id


def write_announcement(folder: Path, announcement: SignedEvent) -> Path:
    """Write the signed announcement (``announcement.json``)."""
    path = folder / "announcement.json"
    write_json(path, announcement.raw)
    return path


def write_draw_files(
    folder: Path, record: MonthRecord, populations: Mapping[str, Population], public_key: Path
) -> DrawFiles:
    """Write the record, every scope's list and ``internal/verify.sh``."""
    lists = folder / "internal"
    record_path = folder / "record.json"
    write_json(record_path, record.record.to_json())
    write_announcement(folder, record.record.events[0])
    public = ["fairdraw", "verify", str(record_path), "--public-key", str(public_key)]
    words = list(public)
    for scope, population in populations.items():
        path = lists / (scope.replace("/", "_") + ".txt")
        write_atomic(path, "\n".join(population) + "\n")
        words += ["--population", f"{scope}={path}"]
        if population.salt:
            words += ["--salt", f"{scope}={population.salt.hex()}"]
    write_atomic(lists / "verify.sh", shlex.join(words) + "\n")
    return DrawFiles(folder, record_path, lists, tuple(words), tuple(public))
