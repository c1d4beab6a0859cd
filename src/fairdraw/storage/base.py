"""The storage interface: what every adapter (SQLite, PostgreSQL) offers, and the logic they share.

An adapter implements a handful of primitive operations inside one write transaction; this class
builds the audit log entries, the draw-once rule and the redraw rule on top, so that the adapters
behave the same. Public methods wrap any database failure in :class:`StorageError`.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Self

from fairdraw.canonical import canonical_json
from fairdraw.ceremony.events import event_hash
from fairdraw.ceremony.verify import verification_report, verify_events
from fairdraw.errors import FairdrawError, StorageError, VerificationError
from fairdraw.population import Population
from fairdraw.signing import OfficeKey, PublicKey
from fairdraw.storage.log import LogEntry, make_entry, verify_entries
from fairdraw.times import now

__all__ = ["AlreadyFinalisedError", "Store"]


class AlreadyFinalisedError(StorageError):
    """This draw id (and scope) was finalised before: a redraw needs a new ceremony."""

    code = "storage.already_finalised"


class Store(ABC):
    """Where an office keeps populations, draw records and its audit log."""

    # -- what adapters implement ------------------------------------------------------------

    @abstractmethod
    def _write(self) -> AbstractContextManager[None]:
        """A write transaction that serialises writers (SQLite: BEGIN IMMEDIATE)."""

    @abstractmethod
    def _last_entry(self) -> tuple[int, str]:
        """(seq, hash) of the newest log entry, or (0, GENESIS)."""

    @abstractmethod
    def _insert_entry(self, entry: LogEntry) -> None:
        """Store one log entry (inside a write transaction)."""

    @abstractmethod
    def _insert_key(self, public: PublicKey) -> None:
        """Remember an office public key (ignored if known)."""

    @abstractmethod
    def _get_key(self, key_id: str) -> PublicKey | None:
        """A remembered office public key."""

    @abstractmethod
    def _entries(self) -> Iterator[LogEntry]:
        """Every log entry in seq order."""

    @abstractmethod
    def _insert_population(
        self, population: Population, name: str, attributes: Mapping[str, Any], seq: int
    ) -> None:
        """Store a snapshot (the caller checked that none with this digest exists)."""

    @abstractmethod
    def _population_attributes(self, digest: str) -> dict[str, Any]:
        """The attributes stored with a snapshot."""

    @abstractmethod
    def _insert_event(self, signed: Mapping[str, Any], event_hash: str, seq: int) -> None:
        """Store one signed ceremony event."""

    @abstractmethod
    def _events_of(self, draw_id: str) -> list[dict[str, Any]]:
        """The stored signed events of a ceremony, in sequence."""

    @abstractmethod
    def _insert_approval(
        self, seq: int, draw_id: str, approver: str, role: str, decision: str, note: str
    ) -> None:
        """Store an approval."""

    @abstractmethod
    def _approvals_of(self, draw_id: str) -> list[dict[str, Any]]:
        """The approvals of a draw, oldest first."""

    @abstractmethod
    def _insert_result(self, seq: int, draw_id: str, object_id: str, result: str) -> None:
        """Store an inspection result."""

    @abstractmethod
    def _results_of(self, draw_id: str) -> list[dict[str, Any]]:
        """The results recorded for a draw, oldest first."""

    @abstractmethod
    def _get_population(self, digest: str) -> Population | None:
        """The snapshot with this digest."""

    @abstractmethod
    def _insert_record(
        self,
        draw_id: str,
        status: str,
        record: str,
        record_hash: str,
        supersedes: str | None,
        seq: int,
    ) -> None:
        """Store a record; raise the adapter's integrity error if the draw id exists."""

    @abstractmethod
    def _insert_draw(self, draw_id: str, scope: str, digest: str, result: str) -> None:
        """Store one finalised scope; raise the integrity error if it exists."""

    @abstractmethod
    def _get_record(self, draw_id: str) -> tuple[str, dict[str, Any]] | None:
        """(status, record) of a stored draw id."""

    @abstractmethod
    def _is_integrity_error(self, error: Exception) -> bool:
        """True for the adapter's unique-constraint violation."""

    @abstractmethod
    def _database_errors(self) -> tuple[type[Exception], ...]:
        """The adapter's own exception types, to be wrapped in StorageError."""

    path: str
    """Where the store is: a file path or a database URL."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

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
        """Check the whole audit log; return how many entries it has.

        Raises:
            VerificationError: an entry was edited, deleted, inserted or moved; says where.
        """
        with self._guard():
            return verify_entries(self._entries(), public_key)

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

    def record_result(
        self,
        draw_id: str,
        object_id: str,
        result: Mapping[str, Any],
        *,
        actor: str,
        key: OfficeKey,
    ) -> LogEntry:
        """Record the result of inspecting one drawn object (a 行政检查单), and log it.

        A correction is a new result for the same object: the history stays, the newest counts.

        Raises:
            StorageError: the draw is not finalised, or the object was not drawn in it.
        """
        with self._guard(), self._write():
            found = self._get_record(draw_id)
            if found is None or found[0] != "drawn":
                raise StorageError(f"draw {draw_id!r} is not finalised: no results yet")
            drawn = {
                pick["label"]
                for result_ in found[1]["events"][-1]["event"]["body"]["results"]
                for pick in (*result_["selected"], *result_["alternates"])
            }
            if object_id not in drawn:
                raise StorageError(f"object {object_id!r} was not drawn in {draw_id!r}")
            text = json.dumps(dict(result), ensure_ascii=False, sort_keys=True)
            entry = self._append(
                "inspection.result",
                {"draw_id": draw_id, "object_id": object_id, "result_hash": _sha256(text)},
                actor=actor,
                key=key,
                at=None,
            )
            self._insert_result(entry.seq, draw_id, object_id, text)
            return entry

    def results(self, draw_id: str) -> list[dict[str, Any]]:
        """Every result recorded for a draw, oldest first (log_seq, object_id, result)."""
        with self._guard():
            return self._results_of(draw_id)

    def approvals(self, draw_id: str) -> list[dict[str, Any]]:
        """The approvals recorded for a draw, oldest first."""
        with self._guard():
            return self._approvals_of(draw_id)

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
        failed = [c for c in report.failures if c.name != "outcome" or "aborted" not in c.detail]
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

    def _guard(self) -> AbstractContextManager[None]:
        return _Guard(self)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class _Guard:
    """Turn the adapter's database errors into StorageError (and unique violations into
    AlreadyFinalisedError)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _tb: object
    ) -> None:
        if error is None or isinstance(error, FairdrawError):
            return
        if isinstance(error, Exception) and isinstance(error, self._store._database_errors()):
            if self._store._is_integrity_error(error):
                raise AlreadyFinalisedError(
                    f"already finalised (the database refused a second copy): {error}"
                ) from error
            raise StorageError(f"the database failed: {error}") from error
