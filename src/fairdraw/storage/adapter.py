"""What a storage adapter (SQLite, PostgreSQL) implements: primitive operations inside one write
transaction, and the translation of its database errors into fairdraw's.

:class:`fairdraw.storage.base.Store` builds everything else on these primitives, the same for
every adapter.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any

from fairdraw.errors import FairdrawError, StorageError
from fairdraw.i18n import _
from fairdraw.population import Population
from fairdraw.signing import PublicKey
from fairdraw.storage.log import LogEntry

__all__ = ["Adapter", "AlreadyFinalisedError"]


class AlreadyFinalisedError(StorageError):
    """This draw id (and scope) was finalised before: a redraw needs a new ceremony."""

    code = "storage.already_finalised"


class Adapter(ABC):
    """The primitives of one database."""

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
    def _insert_import(self, up_to_seq: int, head: str) -> None:
        """Note that entries 1 … ``up_to_seq`` were loaded from an export without their rows."""

    @abstractmethod
    def _entries_naming(self, draw_id: str) -> list[LogEntry]:
        """The ceremony and finalisation entries whose payload names ``draw_id``, in order."""

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
        """The approvals of a draw, oldest first, with their log entry's time and actor."""

    @abstractmethod
    def _insert_document(
        self, seq: int, kind: str, subject: str, draw_id: str | None, body: str, body_hash: str
    ) -> None:
        """Store a document (its body as canonical JSON text, hash format ``jcs-sha256``)."""

    @abstractmethod
    def _documents_of(
        self, kind: str, subject: str | None, draw_id: str | None
    ) -> list[dict[str, Any]]:
        """Documents of a kind, oldest first, with their log entry's time and actor."""

    @abstractmethod
    def _snapshot_rows(self, name: str | None) -> list[dict[str, Any]]:
        """Population snapshots (name, digest, size, salt, log_seq, time), oldest first."""

    @abstractmethod
    def _record_rows(self) -> list[dict[str, Any]]:
        """Finalised records (draw_id, status, supersedes, record, log_seq, time), in log order."""

    @abstractmethod
    def _unfinished_draw_ids(self) -> list[str]:
        """Draw ids with stored ceremony events but no record, by their first event."""

    @abstractmethod
    def _rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of one of the append-only tables, to check against the log."""

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

    def _guard(self) -> AbstractContextManager[None]:
        """Turn the adapter's database errors into :class:`StorageError`."""
        return _Guard(self)


class _Guard:
    """Turn the adapter's database errors into StorageError (and unique violations into
    AlreadyFinalisedError)."""

    def __init__(self, store: Adapter) -> None:
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
                    _("already finalised (the database refused a second copy): {error}").format(
                        error=error
                    )
                ) from error
            raise StorageError(_("the database failed: {error}").format(error=error)) from error
