"""Storage: population snapshots, draw records and the append-only, hash-chained audit log.

``Store`` is the interface; :class:`SQLiteStore` is the embedded default (a file in the user's
data folder unless a path is given). See ``docs/spec/audit-log-v1.md``.
"""

from fairdraw.storage.base import AlreadyFinalisedError, Store
from fairdraw.storage.log import LogEntry, read_export, verify_entries, write_export
from fairdraw.storage.sqlite import SQLiteStore, default_path

__all__ = [
    "AlreadyFinalisedError",
    "LogEntry",
    "SQLiteStore",
    "Store",
    "default_path",
    "read_export",
    "verify_entries",
    "write_export",
]
