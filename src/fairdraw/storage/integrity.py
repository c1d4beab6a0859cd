"""Check the stored rows against the audit log entries that logged them (audit log spec, sec. 5).

The chain check proves the log was not changed; this check proves that the tables the office
reads (records, ceremony events, snapshots, approvals, documents) still say what the log says
they said when they were written. Someone who drops the triggers and edits a row is found here,
and the message names the table and the row.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from fairdraw.canonical import canonical_json
from fairdraw.ceremony.events import event_hash
from fairdraw.errors import FairdrawError, VerificationError
from fairdraw.i18n import N_, _
from fairdraw.population import Population
from fairdraw.signing import PublicKey
from fairdraw.storage.log import LogEntry
from fairdraw.storage.models import DOCUMENT_TAG, attributes_hash

__all__ = ["check_rows"]

Rows = Callable[[str], list[dict[str, Any]]]


def check_rows(entries: Sequence[LogEntry], rows: Rows) -> None:
    """Check every stored row against its log entry; ``entries`` is the verified chain.

    Raises:
        VerificationError: the first row that does not match, named by table and key.
    """
    by_seq = {entry.seq: entry for entry in entries}
    _check_keys(rows("office_keys"))
    _check_populations(by_seq, rows("populations"))
    _check_events(by_seq, rows("ceremony_events"))
    records = _check_records(by_seq, rows("records"))
    _check_record_events(entries, records)
    _check_draws(records, rows("draws"))
    _check_approvals(by_seq, rows("approvals"))
    _check_results(by_seq, rows("results"))
    _check_documents(by_seq, rows("documents"))


def _same(stored: object, expected: object) -> bool:
    if isinstance(stored, str) and isinstance(expected, str):
        return hmac.compare_digest(stored.encode(), expected.encode())
    return stored == expected


def _edited(where: str, what: str) -> VerificationError:
    return VerificationError(
        _(
            "{where}: {what}; the row was edited after it was written (run 'fairdraw "
            "log verify' on an export made before, and restore the row from a backup)"
        ).format(where=where, what=what)
    )


def _entry_of(
    by_seq: Mapping[int, LogEntry], row: Mapping[str, Any], kinds: Iterable[str], where: str
) -> LogEntry:
    entry = by_seq.get(row["log_seq"])
    if entry is None:
        raise _edited(
            where,
            _("it names audit log entry {log_seq}, which does not exist").format(
                log_seq=row["log_seq"]
            ),
        )
    if entry.kind not in set(kinds):
        raise _edited(
            where,
            _("it names audit log entry {seq}, a {kind!r} entry").format(
                seq=entry.seq, kind=entry.kind
            ),
        )
    return entry


def _compare(where: str, entry: LogEntry, pairs: Iterable[tuple[str, object, object]]) -> None:
    for name, stored, logged in pairs:
        if not _same(stored, logged):
            raise _edited(
                where,
                _("its {name} is {stored!r}, but audit log entry {seq} says {logged!r}").format(
                    name=_(name), stored=stored, seq=entry.seq, logged=logged
                ),
            )


def _load(where: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as err:
        raise _edited(where, _("it is no longer JSON ({err})").format(err=err)) from err


def _check_keys(rows: list[dict[str, Any]]) -> None:
    for row in sorted(rows, key=lambda r: str(r["key_id"])):
        where = _("office_keys row {key_id}").format(key_id=row["key_id"])
        try:
            key_id = PublicKey.from_hex(row["public_key"]).key_id
        except (FairdrawError, ValueError) as err:
            raise _edited(
                where, _("its public key cannot be read ({err})").format(err=err)
            ) from err
        if not _same(key_id, row["key_id"]):
            raise _edited(where, _("its public key has the key id {key_id}").format(key_id=key_id))


def _check_populations(by_seq: Mapping[int, LogEntry], rows: list[dict[str, Any]]) -> None:
    for row in sorted(rows, key=lambda r: int(r["log_seq"])):
        where = _("populations row {digest} (audit log entry {seq})").format(
            digest=row["digest"], seq=row["log_seq"]
        )
        entry = _entry_of(by_seq, row, ["population.snapshot"], where)
        labels = _load(where, row["labels"])
        try:
            digest = Population.of(labels, salt=row["salt"]).digest_hex
        except (FairdrawError, TypeError, ValueError) as err:
            raise _edited(
                where, _("its labels or salt cannot be read ({err})").format(err=err)
            ) from err
        payload = entry.payload
        _compare(
            where,
            entry,
            [
                (N_("digest"), row["digest"], payload.get("population_digest")),
                (N_("labels' digest"), digest, payload.get("population_digest")),
                (N_("name"), row["name"], payload.get("name")),
                (N_("size"), row["size"], payload.get("population_size")),
                (N_("number of labels"), len(labels), payload.get("population_size")),
                (N_("salted flag"), bool(row["salt"]), payload.get("salted")),
            ],
        )
        if "attributes_hash" in payload:  # logged since fairdraw 0.3 (spec, section 7)
            try:
                recomputed = attributes_hash(_load(where, row["attributes"]))
            except (FairdrawError, TypeError) as err:
                raise _edited(
                    where, _("its attributes cannot be hashed ({err})").format(err=err)
                ) from err
            _compare(
                where, entry, [(N_("attributes' hash"), recomputed, payload["attributes_hash"])]
            )


def _check_events(by_seq: Mapping[int, LogEntry], rows: list[dict[str, Any]]) -> None:
    for row in sorted(rows, key=lambda r: int(r["log_seq"])):
        where = _("ceremony_events row {draw_id}/{sequence}").format(
            draw_id=row["draw_id"], sequence=row["sequence"]
        )
        entry = _entry_of(by_seq, row, [f"ceremony.{row['kind']}"], where)
        signed = _load(where, row["event"])
        try:
            event = signed["event"]
            recomputed = event_hash(signed)
            inner = (event["draw_id"], event["sequence"], event["kind"])
        except (FairdrawError, KeyError, TypeError) as err:
            raise _edited(where, _("its event cannot be read ({err})").format(err=err)) from err
        payload = entry.payload
        _compare(
            where,
            entry,
            [
                (N_("event hash"), row["event_hash"], payload.get("event_hash")),
                (N_("event's hash"), recomputed, payload.get("event_hash")),
                (N_("draw id"), row["draw_id"], payload.get("draw_id")),
                (N_("sequence"), row["sequence"], payload.get("sequence")),
                (N_("event's kind"), f"ceremony.{inner[2]}", entry.kind),
                (N_("event's draw id"), inner[0], payload.get("draw_id")),
                (N_("event's sequence"), inner[1], payload.get("sequence")),
            ],
        )


def _check_records(
    by_seq: Mapping[int, LogEntry], rows: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    records = {}
    for row in sorted(rows, key=lambda r: int(r["log_seq"])):
        where = _("records row {draw_id}").format(draw_id=row["draw_id"])
        entry = _entry_of(by_seq, row, ["draw.finalised"], where)
        record = _load(where, row["record"])
        try:
            recomputed = hashlib.sha256(canonical_json(record)).hexdigest()
        except FairdrawError as err:
            raise _edited(where, _("its record cannot be hashed ({err})").format(err=err)) from err
        payload = entry.payload
        supersedes = payload.get("supersedes")
        _compare(
            where,
            entry,
            [
                (N_("record hash"), row["record_hash"], payload.get("record_hash")),
                (N_("record's hash"), recomputed, payload.get("record_hash")),
                (N_("draw id"), row["draw_id"], payload.get("draw_id")),
                (
                    N_("record's draw id"),
                    record.get("draw_id") if isinstance(record, dict) else None,
                    payload.get("draw_id"),
                ),
                (N_("status"), row["status"], payload.get("status")),
                (
                    N_("supersedes"),
                    row["supersedes"],
                    supersedes.get("draw_id") if isinstance(supersedes, dict) else None,
                ),
            ],
        )
        records[row["draw_id"]] = record
    return records


def _check_record_events(
    entries: Sequence[LogEntry], records: Mapping[str, dict[str, Any]]
) -> None:
    """A finalised record's events are the ceremony events the log recorded for its draw id."""
    for entry in entries:
        draw_id = str(entry.payload.get("draw_id"))
        if not entry.kind.startswith("ceremony.") or draw_id not in records:
            continue
        where = _("records row {draw_id}").format(draw_id=draw_id)
        try:
            events = records[draw_id]["events"]
            sequence = entry.payload["sequence"]
            recomputed = event_hash(events[sequence]) if 0 <= sequence < len(events) else None
        except (FairdrawError, KeyError, TypeError) as err:
            raise _edited(where, _("its events cannot be read ({err})").format(err=err)) from err
        if recomputed is None or not _same(recomputed, entry.payload.get("event_hash")):
            raise _edited(
                where,
                _(
                    "its event {sequence} is not the {kind} event audit log entry {seq} "
                    "recorded for this draw id"
                ).format(sequence=sequence, kind=entry.kind, seq=entry.seq),
            )


def _check_draws(records: Mapping[str, dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    for row in sorted(rows, key=lambda r: (str(r["draw_id"]), str(r["scope"]))):
        where = _("draws row {draw_id}/{scope}").format(draw_id=row["draw_id"], scope=row["scope"])
        record = records.get(row["draw_id"])
        try:
            results = record["events"][-1]["event"]["body"]["results"] if record else []
        except (KeyError, IndexError, TypeError):
            results = []
        logged = next((r for r in results if r.get("scope") == row["scope"]), None)
        if logged is None:
            raise _edited(
                where,
                _("record {draw_id!r} has no result for this scope").format(draw_id=row["draw_id"]),
            )
        if _load(where, row["result"]) != logged:
            raise _edited(where, _("its result differs from the one in the finalised record"))
        if not _same(row["population_digest"], logged.get("population_digest")):
            raise _edited(where, _("its population digest differs from the finalised record's"))


def _check_approvals(by_seq: Mapping[int, LogEntry], rows: list[dict[str, Any]]) -> None:
    for row in sorted(rows, key=lambda r: int(r["log_seq"])):
        where = _("approvals row {seq} (draw {draw_id})").format(
            seq=row["log_seq"], draw_id=row["draw_id"]
        )
        entry = _entry_of(by_seq, row, ["approval"], where)
        _compare(
            where,
            entry,
            [
                (name, row[name], entry.payload.get(name))
                for name in ("draw_id", "approver", "role", "decision", "note")
            ],
        )


def _check_results(by_seq: Mapping[int, LogEntry], rows: list[dict[str, Any]]) -> None:
    """Schema v1's inspection results (``Store.record_result``), copied into documents by
    migration v2."""
    for row in sorted(rows, key=lambda r: int(r["log_seq"])):
        where = _("results row {seq} (object {object_id})").format(
            seq=row["log_seq"], object_id=row["object_id"]
        )
        entry = _entry_of(by_seq, row, ["inspection.result"], where)
        _compare(
            where,
            entry,
            [
                (
                    N_("result's hash"),
                    _legacy_hash(row["result"]),
                    entry.payload.get("result_hash"),
                ),
                (N_("draw id"), row["draw_id"], entry.payload.get("draw_id")),
                (N_("object id"), row["object_id"], entry.payload.get("object_id")),
            ],
        )


def _check_documents(by_seq: Mapping[int, LogEntry], rows: list[dict[str, Any]]) -> None:
    for row in sorted(rows, key=lambda r: int(r["log_seq"])):
        where = _("documents row {seq} ({kind} about {subject!r})").format(
            seq=row["log_seq"], kind=row["kind"], subject=row["subject"]
        )
        if row["hash_format"] == "legacy-json-sorted":
            entry = _entry_of(by_seq, row, ["inspection.result"], where)
            logged = {
                "kind": "inspection.result",
                "subject": entry.payload.get("object_id"),
                "draw_id": entry.payload.get("draw_id"),
                "body_hash": entry.payload.get("result_hash"),
            }
            recomputed = _legacy_hash(row["body"])
        else:
            entry = _entry_of(by_seq, row, ["document"], where)
            logged = dict(entry.payload)
            try:
                body = _load(where, row["body"])
                recomputed = hashlib.sha256(DOCUMENT_TAG + canonical_json(body)).hexdigest()
            except FairdrawError as err:
                raise _edited(
                    where, _("its body cannot be hashed ({err})").format(err=err)
                ) from err
        _compare(
            where,
            entry,
            [
                (N_("body's hash"), recomputed, logged.get("body_hash")),
                (N_("body hash"), row["body_hash"], logged.get("body_hash")),
                (N_("kind"), row["kind"], logged.get("kind")),
                (N_("subject"), row["subject"], logged.get("subject")),
                (N_("draw id"), row["draw_id"], logged.get("draw_id")),
            ],
        )


def _legacy_hash(text: str) -> str:
    """Schema v1's result hash: SHA-256 of the stored ``json.dumps(sort_keys=True)`` text."""
    return hashlib.sha256(text.encode()).hexdigest()
