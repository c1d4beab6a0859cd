"""The store's typed queries: what programs built on fairdraw read, never the log's kinds.

:class:`fairdraw.storage.base.Store` adds the writes and the checks; both rest on an adapter's
primitives (:class:`fairdraw.storage.adapter.Adapter`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fairdraw.errors import StorageError, VerificationError
from fairdraw.i18n import _
from fairdraw.population import Population
from fairdraw.record import CeremonyLog, DrawRecord
from fairdraw.signing import PublicKey
from fairdraw.storage.adapter import Adapter
from fairdraw.storage.log import LogEntry
from fairdraw.storage.models import Approval, Document, FinalisedDraw, Snapshot

__all__ = ["Queries"]


class Queries(Adapter):
    """Reading a store: snapshots, ceremonies, records, approvals, documents and the log."""

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
            raise StorageError(_("no office key {key_id} in this database").format(key_id=key_id))
        return found

    def population(self, digest: str) -> Population:
        """A stored snapshot by digest.

        Raises:
            StorageError: no such snapshot.
        """
        with self._guard():
            found = self._get_population(digest)
        if found is None:
            raise StorageError(
                _("no population snapshot with digest {digest}").format(digest=digest)
            )
        return found

    def population_attributes(self, digest: str) -> dict[str, Any]:
        """The per-label attributes saved with a snapshot (empty if none)."""
        with self._guard():
            return self._population_attributes(digest)

    def ceremony_events(self, draw_id: str) -> list[dict[str, Any]]:
        """The signed events stored for a ceremony, in sequence."""
        with self._guard():
            return self._events_of(draw_id)

    def approvals(self, draw_id: str) -> list[Approval]:
        """The approvals recorded for a draw, oldest first."""
        with self._guard():
            rows = self._approvals_of(draw_id)
        return [Approval.from_row(row) for row in rows]

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
                CeremonyLog.from_json(
                    self._events_of(draw_id),
                    _("stored events of {draw_id!r}").format(draw_id=draw_id),
                )
                for draw_id in self._unfinished_draw_ids()
            ]

    def ceremony_started(self, draw_id: str) -> LogEntry | None:
        """The audit-log entry that stored a ceremony's announcement (its ``actor`` started
        the ceremony, at its ``time``), or None."""
        with self._guard():
            found = self._entries_naming(draw_id)
        return next((e for e in found if e.kind == "ceremony.announce"), None)

    def ceremony(self, draw_id: str) -> CeremonyLog | None:
        """The stored events of a ceremony, read, or None if none are stored."""
        events = self.ceremony_events(draw_id)
        return (
            CeremonyLog.from_json(events, _("stored events of {draw_id!r}").format(draw_id=draw_id))
            if events
            else None
        )

    def record(self, draw_id: str) -> dict[str, Any]:
        """A stored draw record.

        Raises:
            StorageError: no such draw id.
        """
        with self._guard():
            found = self._get_record(draw_id)
        if found is None:
            raise StorageError(_("no record for draw {draw_id!r}").format(draw_id=draw_id))
        return found[1]

    def draw_record(self, draw_id: str) -> DrawRecord:
        """A stored draw record, read (:meth:`record` gives its JSON, to publish).

        Raises:
            StorageError: no such draw id, or the stored record cannot be read.
        """
        return _read_record(self.record(draw_id), draw_id)


def _read_record(record: str | Mapping[str, Any], draw_id: str) -> DrawRecord:
    try:
        return DrawRecord.from_json(json.loads(record) if isinstance(record, str) else record)
    except (ValueError, VerificationError) as err:
        raise StorageError(
            _("the stored record of draw {draw_id!r} cannot be read: {err}").format(
                draw_id=draw_id, err=err
            )
        ) from err
