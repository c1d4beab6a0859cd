"""Storage: population snapshots, draw records and the append-only, hash-chained audit log.

``Store`` is the interface; :class:`SQLiteStore` is the embedded default (a file in the user's
data folder unless a path is given); :class:`PostgresStore` serves shared deployments
(``pip install 'fairdraw[postgres]'``). :func:`open_store` picks one from a path or URL. See
``docs/spec/audit-log-v1.md``.
"""

from pathlib import Path

from fairdraw.storage.adapter import AlreadyFinalisedError
from fairdraw.storage.base import Store
from fairdraw.storage.checkpoint import CHECKPOINT_FORMAT, Checkpoint, log_checkpoint, verify_log
from fairdraw.storage.draw_ids import DrawIdUsedError
from fairdraw.storage.log import LogEntry, read_export, verify_entries, write_export
from fairdraw.storage.models import Approval, Document, FinalisedDraw, Snapshot, document_hash
from fairdraw.storage.postgres import PostgresStore
from fairdraw.storage.published import published_documents, read_published_document
from fairdraw.storage.sqlite import SQLiteStore, default_path

__all__ = [
    "CHECKPOINT_FORMAT",
    "AlreadyFinalisedError",
    "Approval",
    "Checkpoint",
    "Document",
    "DrawIdUsedError",
    "FinalisedDraw",
    "LogEntry",
    "PostgresStore",
    "SQLiteStore",
    "Snapshot",
    "Store",
    "default_path",
    "document_hash",
    "log_checkpoint",
    "open_store",
    "published_documents",
    "read_export",
    "read_published_document",
    "verify_entries",
    "verify_log",
    "write_export",
]


def open_store(location: str | Path | None = None) -> Store:
    """Open a store: a ``postgresql://`` URL opens PostgreSQL, anything else a SQLite file
    (the default file when ``location`` is None)."""
    if isinstance(location, str) and location.startswith(("postgresql://", "postgres://")):
        return PostgresStore.open(location)
    return SQLiteStore.open(location)
