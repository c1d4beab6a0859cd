"""The storage interface: what every adapter (SQLite, PostgreSQL) offers, and the logic they share.

An adapter implements a handful of primitive operations inside one write transaction
(:class:`fairdraw.storage.adapter.Adapter`); this class builds the audit log entries, the
draw-once rule and the redraw rule on top, so that the adapters behave the same. Public methods
wrap any database failure in :class:`StorageError`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Self

from fairdraw.canonical import canonical_json
from fairdraw.ceremony.events import event_hash
from fairdraw.ceremony.report import STEERING, check_title
from fairdraw.ceremony.verify import verification_report, verify_events
from fairdraw.errors import InputError, StorageError, VerificationError
from fairdraw.i18n import _, shown_time
from fairdraw.population import Population
from fairdraw.signing import OfficeKey, PublicKey
from fairdraw.storage.adapter import AlreadyFinalisedError
from fairdraw.storage.checkpoint import Checkpoint, verify_log
from fairdraw.storage.coverage import check_coverage
from fairdraw.storage.draw_ids import (
    check_new_event,
    check_new_record,
    is_owned_kind,
)
from fairdraw.storage.integrity import check_rows
from fairdraw.storage.log import LogEntry, make_entry
from fairdraw.storage.models import (
    Document,
    attributes_hash,
    check_document,
    document_hash,
)
from fairdraw.storage.queries import Queries
from fairdraw.times import now

__all__ = ["AlreadyFinalisedError", "Store"]


class Store(Queries):
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
        """Append one of a tool's own entries to the audit log, in its own transaction.

        Raises:
            InputError: ``kind`` is one fairdraw writes itself (``ceremony.*``,
                ``draw.finalised``, ``population.snapshot``, ``approval``, ``document``,
                ``inspection.result``, ``log.*``): use the method that stores its row.
        """
        if is_owned_kind(kind):
            raise InputError(
                _(
                    "the audit log entry kind {kind!r} is fairdraw's own: it is written by "
                    "the store's method that also keeps its row, never by append()"
                ).format(kind=kind)
            )
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

    def verify_chain(
        self, public_key: PublicKey | None = None, *, checkpoints: Sequence[Checkpoint] = ()
    ) -> int:
        """Check the whole audit log and the stored rows it vouches for; return its length.

        After the chain, every stored row is checked against the entry that logged it (the
        hashes and ids a record, a ceremony event, a snapshot or a document was logged with
        must match the row as it is now), every entry that wrote a row must still have it, no
        draw id may name two ceremonies or finalisations, and the log must extend every
        checkpoint given (see ``docs/spec/audit-log-v1.md``, sections 7, 9 and 10).

        Args:
            public_key: the office key; without it, signatures are not checked, and a
                checkpoint is checked against the key the database remembers for it.
            checkpoints: published checkpoints the log must extend.

        Raises:
            VerificationError: an entry was edited, deleted, inserted or moved, a stored row no
                longer matches its entry or is gone, a draw id was reused, or the log is shorter
                than a checkpoint or forks from it; says which.
        """
        with self._guard():
            entries = list(self._entries())
            count = verify_log(
                entries, public_key, checkpoints, checkpoint_key=self._checkpoint_key
            )
            check_rows(entries, self._rows)
            check_coverage(entries, self._rows)
        return count

    def _checkpoint_key(self, checkpoint: Checkpoint) -> PublicKey:
        found = self._get_key(checkpoint.key_id)
        if found is None:
            raise VerificationError(
                _(
                    "the log checkpoint of {time} is signed by key {key_id}…, which signed "
                    "nothing in this database"
                ).format(time=shown_time(checkpoint.time), key_id=checkpoint.key_id[:16])
            )
        return found

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
                _("attributes name labels outside the population: {strangers}").format(
                    strangers=sorted(strangers)[:3]
                )
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
                    "attributes_hash": attributes_hash(attributes),
                },
                actor=actor,
                key=key,
                at=None,
            )
            self._insert_population(population, name, attributes, entry.seq)
            return population.digest_hex

    def record_event(self, signed: Mapping[str, Any], *, actor: str, key: OfficeKey) -> LogEntry:
        """Keep one signed ceremony event as it happens, in order, and log it.

        The event must be signed by the office key and link to the ceremony's previous stored
        event (or be its announcement); storing the same event twice is refused.

        Raises:
            VerificationError: the signature or the link does not check out.
            AlreadyFinalisedError: an event with this sequence is stored already.
            DrawIdUsedError: the audit log shows the draw id finalised, or events of it whose
                rows are gone.
        """
        with self._guard(), self._write():
            draw_id = str(signed["event"]["draw_id"])
            stored = self._events_of(draw_id)
            check_new_event(
                draw_id,
                signed["event"]["sequence"],
                self._entries_naming(draw_id),
                len(stored),
                stored=self._get_record(draw_id) is not None,
            )
            verify_events([*stored, signed])
            if signed["key_id"] != key.key_id:
                raise VerificationError(_("the event is signed by another key than the office's"))
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
            raise StorageError(
                _("a decision is 'approved' or 'rejected', not {decision!r}").format(
                    decision=decision
                )
            )
        with self._guard(), self._write():
            found = self._get_record(draw_id)
            if found is None or found[0] != "drawn":
                raise StorageError(
                    _("draw {draw_id!r} is not finalised: nothing to approve").format(
                        draw_id=draw_id
                    )
                )
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
                        _(
                            "draw {draw_id!r} is not finalised as drawn: no {kind} document for "
                            "{subject!r} can belong to it"
                        ).format(draw_id=draw_id, kind=kind, subject=subject)
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
            DrawIdUsedError: the audit log shows the draw id finalised, or used by another
                ceremony, though its rows are gone.
            StorageError: the superseded draw is unknown, or the database failed.
        """
        report = verification_report(record, public_key=public_key or key.public)
        failed = report.failures_of_an_aborted_record if report.aborted else report.failures
        # a ceremony one party could steer is a sound record of a poor ceremony: it is kept
        # (nothing is lost), and every verification says who could have chosen its outcome
        failed = tuple(c for c in failed if c.name != STEERING)
        if failed:
            raise VerificationError(
                _("the record does not verify: {problems}").format(
                    problems=_("; ").join(
                        _("{check}: {detail}").format(check=check_title(c.name), detail=c.detail)
                        for c in failed
                    )
                )
            )
        events = record["events"]
        draw_id = str(record["draw_id"])
        announcement = events[0]["event"]["body"]
        supersedes = announcement.get("supersedes")
        aborted = any(e["event"]["kind"] == "abort" for e in events)
        text = json.dumps(record, ensure_ascii=False, sort_keys=True)
        record_hash = hashlib.sha256(canonical_json(record)).hexdigest()
        event_hashes = [event_hash(e) for e in events]
        with self._guard(), self._write():
            check_new_record(
                draw_id,
                self._entries_naming(draw_id),
                event_hashes,
                stored=self._get_record(draw_id) is not None,
            )
            if supersedes is not None and self._get_record(str(supersedes["draw_id"])) is None:
                raise StorageError(
                    _("draw {draw_id!r} supersedes {draw_id2!r}, which is not stored").format(
                        draw_id=draw_id, draw_id2=supersedes["draw_id"]
                    )
                )
            if self._get_record(draw_id) is not None:
                raise AlreadyFinalisedError(
                    _(
                        "draw {draw_id!r} was finalised before; a redraw is a new ceremony that "
                        "names it in 'supersedes' with a reason and an approver"
                    ).format(draw_id=draw_id)
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

    def import_entries(self, entries: Iterator[LogEntry], public_key: PublicKey) -> int:
        """Copy an exported log into this empty store, checking it as it goes.

        The copy holds the entries without their rows; the store notes up to which entry, so
        that ``verify_chain`` does not take their absence for a deletion.

        Raises:
            StorageError: the store's log is not empty.
            VerificationError: the export does not verify.
        """
        items = list(entries)
        verify_log(items, public_key)
        with self._guard(), self._write():
            if self._last_entry()[0] != 0:
                raise StorageError(_("import into an empty database only"))
            self._insert_key(public_key)
            for item in items:
                self._insert_entry(item)
            if items:
                self._insert_import(items[-1].seq, items[-1].hash)
        return len(items)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
