"""The storage interface: what every adapter (SQLite, PostgreSQL) offers, and the logic they share.

An adapter implements a handful of primitive operations inside one write transaction
(:class:`fairdraw.storage.adapter.Adapter`); this class builds the audit log entries, the
draw-once rule and the redraw rule on top, so that the adapters behave the same. Public methods
wrap any database failure in :class:`StorageError`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Self

from fairdraw.canonical import canonical_json
from fairdraw.ceremony.events import event_hash
from fairdraw.ceremony.report import STEERING
from fairdraw.ceremony.verify import verification_report, verify_events
from fairdraw.errors import StorageError, VerificationError
from fairdraw.population import Population
from fairdraw.record import CeremonyLog, DrawRecord
from fairdraw.signing import OfficeKey, PublicKey
from fairdraw.storage.adapter import Adapter, AlreadyFinalisedError
from fairdraw.storage.integrity import check_rows
from fairdraw.storage.log import LogEntry, make_entry, verify_entries
from fairdraw.storage.models import (
    Approval,
    Document,
    FinalisedDraw,
    Snapshot,
    check_document,
    document_hash,
)
from fairdraw.times import now

__all__ = ["AlreadyFinalisedError", "Store"]


class Store(Adapter):
    """Where an office keeps populations, draw records and its audit log."""

    # -- the shared logic --------------------------------------------------------------------

    def append(
        self,
        kind: str,
        payload: Mapping[str, Any],
        *,
        actor: str,
        key: OfficeKey,
        at: datetime | None = None,
    ) -> LogEntry:
        """Append one entry to the audit log, in its own transaction."""
        with self._guard(), self._write():
            return self._append(kind, payload, actor=actor, key=key, at=at)

    def _append(
        self,
        kind: str,
        payload: Mapping[str, Any],
        *,
        actor: str,
        key: OfficeKey,
        at: datetime | None,
    ) -> LogEntry:
        seq, previous = self._last_entry()
        self._insert_key(key.public)
        entry = make_entry(
            key,
            seq=seq + 1,
            previous=previous,
            when=at or now(),
            actor=actor,
            kind=kind,
            payload=payload,
        )
        self._insert_entry(entry)
        return entry

    def entries(self) -> list[LogEntry]:
        """Every audit log entry, in order."""
        with self._guard():
            return list(self._entries())

    def office_key(self, key_id: str) -> PublicKey:
        """The public key the database remembers for a key id (not proof it is the office's).

        Raises:
            StorageError: the key id is unknown.
        """
        with self._guard():
            found = self._get_key(key_id)
        if found is None:
            raise StorageError(f"no office key {key_id} in this database")
        return found

    def verify_chain(self, public_key: PublicKey | None = None) -> int:
        """Check the whole audit log and the stored rows it vouches for; return its length.

        After the chain, every stored row is checked against the entry that logged it: the
        hashes and ids a record, a ceremony event, a snapshot or a document was logged with
        must match the row as it is now (see ``docs/spec/audit-log-v1.md``, section 5).

        Raises:
            VerificationError: an entry was edited, deleted, inserted or moved, or a stored row
                no longer matches its entry; says which.
        """
        with self._guard():
            entries = list(self._entries())
            count = verify_entries(entries, public_key)
            check_rows(entries, self._rows)
        return count

    def save_population(
        self,
        population: Population,
        *,
        name: str,
        actor: str,
        key: OfficeKey,
        attributes: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> str:
        """Keep an immutable snapshot of a population; return its digest (hex).

        Args:
            population: the checked population.
            name: a name for people (``2026-05/MAINT``).
            actor: who saves it.
            key: the office key that signs the log entry.
            attributes: per-label attributes (risk flags, the items that apply …), kept with the
                snapshot; every key must be a label of the population.

        Saving the same population again changes nothing and logs nothing.
        """
        attributes = dict(attributes or {})
        strangers = set(attributes) - set(population)
        if strangers:
            raise StorageError(
                f"attributes name labels outside the population: {sorted(strangers)[:3]}"
            )
        with self._guard(), self._write():
            if self._get_population(population.digest_hex) is not None:
                return population.digest_hex
            entry = self._append(
                "population.snapshot",
                {
                    "name": name,
                    "population_digest": population.digest_hex,
                    "population_size": len(population),
                    "salted": bool(population.salt),
                },
                actor=actor,
                key=key,
                at=None,
            )
            self._insert_population(population, name, attributes, entry.seq)
            return population.digest_hex

    def population(self, digest: str) -> Population:
        """A stored snapshot by digest.

        Raises:
            StorageError: no such snapshot.
        """
        with self._guard():
            found = self._get_population(digest)
        if found is None:
            raise StorageError(f"no population snapshot with digest {digest}")
        return found

    def population_attributes(self, digest: str) -> dict[str, Any]:
        """The per-label attributes saved with a snapshot (empty if none)."""
        with self._guard():
            return self._population_attributes(digest)

    def record_event(self, signed: Mapping[str, Any], *, actor: str, key: OfficeKey) -> LogEntry:
        """Keep one signed ceremony event as it happens, in order, and log it.

        The event must be signed by the office key and link to the ceremony's previous stored
        event (or be its announcement); storing the same event twice is refused.

        Raises:
            VerificationError: the signature or the link does not check out.
            AlreadyFinalisedError: an event with this sequence is stored already.
        """
        with self._guard(), self._write():
            stored = self._events_of(str(signed["event"]["draw_id"]))
            verify_events([*stored, signed])
            if signed["key_id"] != key.key_id:
                raise VerificationError("the event is signed by another key than the office's")
            event = signed["event"]
            digest = event_hash(signed)
            entry = self._append(
                f"ceremony.{event['kind']}",
                {"draw_id": event["draw_id"], "sequence": event["sequence"], "event_hash": digest},
                actor=actor,
                key=key,
                at=None,
            )
            self._insert_event(signed, digest, entry.seq)
            return entry

    def ceremony_events(self, draw_id: str) -> list[dict[str, Any]]:
        """The signed events stored for a ceremony, in sequence."""
        with self._guard():
            return self._events_of(draw_id)

    def approve(
        self,
        draw_id: str,
        *,
        approver: str,
        role: str,
        decision: str = "approved",
        note: str = "",
        actor: str,
        key: OfficeKey,
    ) -> LogEntry:
        """Record a leader's confirmation (or rejection) of a finalised draw.

        Raises:
            StorageError: the draw is not finalised, or the decision is not approved/rejected.
        """
        if decision not in {"approved", "rejected"}:
            raise StorageError(f"a decision is 'approved' or 'rejected', not {decision!r}")
        with self._guard(), self._write():
            found = self._get_record(draw_id)
            if found is None or found[0] != "drawn":
                raise StorageError(f"draw {draw_id!r} is not finalised: nothing to approve")
            entry = self._append(
                "approval",
                {
                    "draw_id": draw_id,
                    "approver": approver,
                    "role": role,
                    "decision": decision,
                    "note": note,
                },
                actor=actor,
                key=key,
                at=None,
            )
            self._insert_approval(entry.seq, draw_id, approver, role, decision, note)
            return entry

    def approvals(self, draw_id: str) -> list[Approval]:
        """The approvals recorded for a draw, oldest first."""
        with self._guard():
            rows = self._approvals_of(draw_id)
        return [Approval.from_row(row) for row in rows]

    def add_document(
        self,
        kind: str,
        subject: str,
        body: Mapping[str, Any],
        *,
        actor: str,
        key: OfficeKey,
        draw_id: str | None = None,
    ) -> Document:
        """Keep one of a tool's own documents (an inspection result, a confirmation …), and log it.

        The document is append-only: a correction is a new document of the same kind and
        subject. Its body is hashed over canonical JSON (``document_hash``) and the hash is
        signed in an audit log entry of kind ``document``, written in the same transaction.

        Args:
            kind: the tool's namespaced name for what it is (``inspection.result``).
            subject: what it is about (an object id, ``2026-12/工程管理科`` …).
            body: a JSON object (no floating-point numbers).
            actor: who stores it.
            key: the office key that signs the log entry.
            draw_id: the finalised draw it belongs to, if any.

        Raises:
            InputError: the kind, subject or body is malformed (the message says which).
            StorageError: ``draw_id`` names no draw finalised as drawn.
        """
        text = check_document(kind, subject, body).decode()
        body_hash = document_hash(body)
        with self._guard(), self._write():
            if draw_id is not None:
                found = self._get_record(draw_id)
                if found is None or found[0] != "drawn":
                    raise StorageError(
                        f"draw {draw_id!r} is not finalised as drawn: no {kind} document for "
                        f"{subject!r} can belong to it"
                    )
            entry = self._append(
                "document",
                {"kind": kind, "subject": subject, "draw_id": draw_id, "body_hash": body_hash},
                actor=actor,
                key=key,
                at=None,
            )
            self._insert_document(entry.seq, kind, subject, draw_id, text, body_hash)
        return Document.from_row(
            {
                "log_seq": entry.seq,
                "time": entry.time,
                "actor": actor,
                "kind": kind,
                "subject": subject,
                "draw_id": draw_id,
                "body": text,
                "body_hash": body_hash,
                "hash_format": "jcs-sha256",
            }
        )

    def documents(
        self, kind: str, *, subject: str | None = None, draw_id: str | None = None
    ) -> list[Document]:
        """The documents of one kind, oldest first; only those about ``subject`` and of
        ``draw_id`` when given."""
        with self._guard():
            rows = self._documents_of(kind, subject, draw_id)
        return [Document.from_row(row) for row in rows]

    def snapshots(self, name: str | None = None) -> list[Snapshot]:
        """The stored population snapshots, oldest first; only those saved under ``name`` when
        given."""
        with self._guard():
            rows = self._snapshot_rows(name)
        return [Snapshot.from_row(row) for row in rows]

    def finalised_draws(self) -> list[FinalisedDraw]:
        """Every finalised draw (drawn or aborted), in the order it was finalised."""
        with self._guard():
            rows = self._record_rows()
        return [
            FinalisedDraw(
                draw_id=row["draw_id"],
                status=row["status"],
                supersedes=row["supersedes"],
                scopes=tuple(
                    s.scope for s in _read_record(row["record"], row["draw_id"]).announcement.scopes
                ),
                seq=row["log_seq"],
                time=row["time"],
            )
            for row in rows
        ]

    def unfinished_ceremonies(self) -> list[CeremonyLog]:
        """The ceremonies with stored events but no finalised record, oldest first."""
        with self._guard():
            return [
                CeremonyLog.from_json(self._events_of(draw_id), f"stored events of {draw_id!r}")
                for draw_id in self._unfinished_draw_ids()
            ]

    def ceremony_started(self, draw_id: str) -> LogEntry | None:
        """The audit-log entry that stored a ceremony's announcement (its ``actor`` started
        the ceremony, at its ``time``), or None."""
        return next(
            (
                e
                for e in self.entries()
                if e.kind == "ceremony.announce" and e.payload.get("draw_id") == draw_id
            ),
            None,
        )

    def ceremony(self, draw_id: str) -> CeremonyLog | None:
        """The stored events of a ceremony, read, or None if none are stored."""
        events = self.ceremony_events(draw_id)
        return CeremonyLog.from_json(events, f"stored events of {draw_id!r}") if events else None

    def finalise(
        self,
        record: Mapping[str, Any],
        *,
        actor: str,
        key: OfficeKey,
        public_key: PublicKey | None = None,
    ) -> LogEntry:
        """Store a signed draw record (drawn or aborted) once, and log it.

        The record must verify (signatures, links, seed, published scores). A record whose
        announcement supersedes another draw id is accepted only if that draw id is stored.

        Raises:
            VerificationError: the record does not verify.
            AlreadyFinalisedError: this draw id (or one of its scopes) was finalised before.
            StorageError: the superseded draw is unknown, or the database failed.
        """
        report = verification_report(record, public_key=public_key or key.public)
        failed = report.failures_of_an_aborted_record if report.aborted else report.failures
        # a ceremony one party could steer is a sound record of a poor ceremony: it is kept
        # (nothing is lost), and every verification says who could have chosen its outcome
        failed = tuple(c for c in failed if c.name != STEERING)
        if failed:
            raise VerificationError(
                "the record does not verify: " + "; ".join(f"{c.name}: {c.detail}" for c in failed)
            )
        events = record["events"]
        draw_id = str(record["draw_id"])
        announcement = events[0]["event"]["body"]
        supersedes = announcement.get("supersedes")
        aborted = any(e["event"]["kind"] == "abort" for e in events)
        text = json.dumps(record, ensure_ascii=False, sort_keys=True)
        record_hash = hashlib.sha256(canonical_json(record)).hexdigest()
        with self._guard(), self._write():
            if supersedes is not None and self._get_record(str(supersedes["draw_id"])) is None:
                raise StorageError(
                    f"draw {draw_id!r} supersedes {supersedes['draw_id']!r}, which is not stored"
                )
            if self._get_record(draw_id) is not None:
                raise AlreadyFinalisedError(
                    f"draw {draw_id!r} was finalised before; a redraw is a new ceremony that "
                    f"names it in 'supersedes' with a reason and an approver"
                )
            payload: dict[str, Any] = {
                "draw_id": draw_id,
                "status": "aborted" if aborted else "drawn",
                "record_hash": record_hash,
                "supersedes": supersedes,
            }
            if not aborted:
                results = events[-1]["event"]["body"]["results"]
                payload["scopes"] = [
                    {"scope": r["scope"], "population_digest": r["population_digest"]}
                    for r in results
                ]
            entry = self._append("draw.finalised", payload, actor=actor, key=key, at=None)
            self._insert_record(
                draw_id,
                payload["status"],
                text,
                record_hash,
                None if supersedes is None else str(supersedes["draw_id"]),
                entry.seq,
            )
            if not aborted:
                for result in results:
                    self._insert_draw(
                        draw_id,
                        result["scope"],
                        result["population_digest"],
                        json.dumps(result, ensure_ascii=False, sort_keys=True),
                    )
            return entry

    def record(self, draw_id: str) -> dict[str, Any]:
        """A stored draw record.

        Raises:
            StorageError: no such draw id.
        """
        with self._guard():
            found = self._get_record(draw_id)
        if found is None:
            raise StorageError(f"no record for draw {draw_id!r}")
        return found[1]

    def draw_record(self, draw_id: str) -> DrawRecord:
        """A stored draw record, read (:meth:`record` gives its JSON, to publish).

        Raises:
            StorageError: no such draw id, or the stored record cannot be read.
        """
        return _read_record(self.record(draw_id), draw_id)

    def import_entries(self, entries: Iterator[LogEntry], public_key: PublicKey) -> int:
        """Copy an exported log into this empty store, checking it as it goes.

        Raises:
            StorageError: the store's log is not empty.
            VerificationError: the export does not verify.
        """
        items = list(entries)
        verify_entries(items, public_key)
        with self._guard(), self._write():
            if self._last_entry()[0] != 0:
                raise StorageError("import into an empty database only")
            self._insert_key(public_key)
            for item in items:
                self._insert_entry(item)
        return len(items)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_record(record: str | Mapping[str, Any], draw_id: str) -> DrawRecord:
    try:
        return DrawRecord.from_json(json.loads(record) if isinstance(record, str) else record)
    except (ValueError, VerificationError) as err:
        raise StorageError(f"the stored record of draw {draw_id!r} cannot be read: {err}") from err
