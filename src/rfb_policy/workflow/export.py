"""A draw's files in the office folder, ``draws/DRAW_ID/``, written from the store.

* ``announcement.json``: the signed announcement, to publish before the beacon round is due;
* ``witnesses.json``: the witnesses' signatures of it, written before any secret is revealed;
* ``record.json``: the signed record (public);
* ``internal/``: every scope's list, ``lists.json`` (which file holds which scope's list, and
  the confidential lists' salts: what ``rfb verify --internal`` reads) and ``verify.sh`` (the
  full ``fairdraw verify`` command): material for the office and its auditors, never for
  publication.

Every file is written atomically, and everything here can be written again from the store at
any time (``rfb export``), so a crash between finalising a draw and writing its files loses
nothing.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from fairdraw import Announcement, Population, SignedEvent, write_atomic, write_json
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.files.internal import RECUSALS_NAME, recusals_json, write_internal
from rfb_policy.i18n import _
from rfb_policy.month import Month
from rfb_policy.rules.groups import Assignment
from rfb_policy.workflow.clock import beijing
from rfb_policy.workflow.records import OfficeRecords
from rfb_policy.workflow.values import Progress

__all__ = [
    "DrawFiles",
    "announce_files",
    "draw_folder",
    "export_draw",
    "export_missing",
    "public_lists",
    "write_announcement",
    "write_draw_files",
    "write_witnesses",
]


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


def write_witnesses(folder: Path, events: Sequence[SignedEvent]) -> list[Path]:
    """Write the witnesses' signatures of the announcement among ``events`` (its ``witness``
    and ``timestamp`` events, ``witnesses.json``), if there are any."""
    attested = [e.raw for e in events if e.kind in {"witness", "timestamp"}]
    if not attested:
        return []
    write_json(folder / "witnesses.json", attested)
    return [folder / "witnesses.json"]


def write_draw_files(
    folder: Path, record: MonthRecord, populations: Mapping[str, Population], public_key: Path
) -> DrawFiles:
    """Write the record, every scope's list with ``internal/lists.json``, and
    ``internal/verify.sh``."""
    lists = folder / "internal"
    record_path = folder / "record.json"
    write_json(record_path, record.record.to_json())
    write_announcement(folder, record.record.events[0])
    write_witnesses(folder, record.record.events)
    public = ["fairdraw", "verify", str(record_path), "--public-key", str(public_key)]
    words = list(public)
    paths = write_internal(lists, record.draw_id, populations)
    for scope, population in populations.items():
        words += ["--population", f"{scope}={paths[scope]}"]
        if population.salt:
            words += ["--salt", f"{scope}={population.salt.hex()}"]
    write_atomic(lists / "verify.sh", shlex.join(words) + "\n")
    return DrawFiles(folder, record_path, lists, tuple(words), tuple(public))


def export_draw(
    records: OfficeRecords, office_folder: Path, public_key: Path, draw_id: str
) -> DrawFiles:
    """Write a stored draw's files again, from the store alone: the record, and every scope's
    list from its snapshot (confidential ones with their salt).

    Raises:
        StorageError: no such draw, or one of its lists is missing from the store.
    """
    record = records.record(draw_id)
    populations = {r.scope: records.snapshot(r.population_digest) for r in record.record.results}
    files = write_draw_files(draw_folder(office_folder, draw_id), record, populations, public_key)
    write_recusals(records, record, files.internal)
    return files


def write_recusals(
    records: OfficeRecords,
    record: MonthRecord,
    internal: Path,
    assignment: Assignment | None = None,
) -> dict[str, Any]:
    """Write ``internal/recusals.json``: each 回避 move of the draw with the officers who recused
    (from the directory it was drawn from, unless the ``assignment`` is given); return it."""
    if assignment is None:
        assignment = record.assignment(records.inspectors_of(record))
    recusals = recusals_json(
        record.draw_id,
        [
            {
                "object_id": m.object_id,
                "from_group": m.from_group,
                "to_group": m.to_group,
                "officers": list(m.officers),
            }
            for m in assignment.substitutions
        ],
    )
    write_json(internal / RECUSALS_NAME, recusals)
    return recusals


def public_lists(records: OfficeRecords, record: MonthRecord) -> dict[str, Population]:
    """The month's public (not confidential) lists, from their snapshots: what the published
    browser check recomputes completely (the confidential ones stay with the office)."""
    return {
        s.scope: records.snapshot(s.population_digest)
        for s in record.record.announcement.scopes
        if not s.confidential
    }


def export_missing(
    records: OfficeRecords, office_folder: Path, public_key: Path, month: Month, say: Progress
) -> list[DrawFiles]:
    """Write the files of the month's finalised draws whose files a crash left unwritten."""
    written = []
    for attempt in records.month_attempts(month):
        folder = draw_folder(office_folder, attempt.draw_id)
        if attempt.drawn and not (folder / "internal" / "verify.sh").exists():
            written.append(export_draw(records, office_folder, public_key, attempt.draw_id))
            say(
                _("Wrote the files of {draw_id} that a crash left unwritten: {folder}").format(
                    draw_id=attempt.draw_id, folder=folder
                )
            )
    return written


def announce_files(
    office_folder: Path, draw_id: str, events: Sequence[SignedEvent], say: Progress
) -> list[Path]:
    """Write the announcement for publication as soon as it exists (``announcement.json``), and
    again with the witnesses' signatures once they are in (``witnesses.json``: the signed
    ``witness`` and ``timestamp`` events); the first time, say when it must be published by."""
    folder = draw_folder(office_folder, draw_id)
    paths = [write_announcement(folder, events[0]), *write_witnesses(folder, events)]
    beacons = Announcement.from_body(events[0].body).sources_of_type("drand")
    if beacons and len(events) == 1:
        due = beijing(beacons[0].get("round_time"))
        say(
            _("Publish {path} (or its hash) before {time}, when the beacon is due").format(
                path=paths[0], time=due
            )
        )
    return paths
