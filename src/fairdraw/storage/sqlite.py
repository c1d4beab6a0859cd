"""The embedded default: one SQLite file, through sqlite-utils, in WAL mode.

Writers take the database lock up front (``BEGIN IMMEDIATE``), so two officers writing at once
queue instead of interleaving; a draw id is finalised once by a ``UNIQUE`` key, and triggers make
the audit log, population snapshots and finalised records refuse ``UPDATE`` and ``DELETE`` inside
the database itself, whatever program opens the file.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
import sqlite_utils

from fairdraw.errors import StorageError
from fairdraw.population import Population
from fairdraw.signing import PublicKey
from fairdraw.storage.base import Store
from fairdraw.storage.log import GENESIS, LogEntry
from fairdraw.times import format_time, now

__all__ = ["MIGRATIONS", "SQLiteStore", "default_path"]

_APPEND_ONLY = ("office_keys", "audit_log", "populations", "records", "draws")

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE office_keys (
            key_id TEXT PRIMARY KEY,
            public_key TEXT NOT NULL UNIQUE
        );
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            previous TEXT NOT NULL,
            time TEXT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            key_id TEXT NOT NULL REFERENCES office_keys (key_id),
            signature TEXT NOT NULL
        );
        CREATE TABLE populations (
            digest TEXT PRIMARY KEY,
            salt TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            labels TEXT NOT NULL,
            log_seq INTEGER NOT NULL REFERENCES audit_log (seq)
        );
        CREATE TABLE records (
            draw_id TEXT PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ('drawn', 'aborted')),
            record TEXT NOT NULL,
            record_hash TEXT NOT NULL,
            supersedes TEXT REFERENCES records (draw_id),
            log_seq INTEGER NOT NULL REFERENCES audit_log (seq)
        );
        CREATE TABLE draws (
            draw_id TEXT NOT NULL REFERENCES records (draw_id),
            scope TEXT NOT NULL,
            population_digest TEXT NOT NULL,
            result TEXT NOT NULL,
            PRIMARY KEY (draw_id, scope)
        );
        """
        + "".join(
            f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'fairdraw: {table} is append-only'); END;
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'fairdraw: {table} is append-only'); END;
        """
            for table in _APPEND_ONLY
        ),
    ),
)
"""Schema migrations, applied in order; each runs once and is recorded in ``fairdraw_schema``."""


def default_path() -> Path:
    """The database file used when none is given: ``fairdraw.db`` in the user's data folder."""
    return Path(platformdirs.user_data_dir("fairdraw", appauthor=False)) / "fairdraw.db"


class SQLiteStore(Store):
    """A store in one SQLite file. Use :meth:`open`."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self._db = db
        self.path = path

    @classmethod
    def open(cls, path: str | Path | None = None, *, timeout: float = 30.0) -> SQLiteStore:
        """Open (creating it if needed) and migrate a database file.

        Args:
            path: the file; default :func:`default_path`.
            timeout: seconds a writer waits for another writer's lock.

        Raises:
            StorageError: the file cannot be opened or migrated.
        """
        target = Path(path) if path is not None else default_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(str(target), timeout=timeout, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
            store = cls(sqlite_utils.Database(connection), str(target))
            store._migrate()
        except (sqlite3.Error, OSError) as err:
            raise StorageError(f"{target}: cannot open the database: {err}") from err
        return store

    def _migrate(self) -> None:
        with self._write():
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS fairdraw_schema "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {row["version"] for row in self._db.query("SELECT version FROM fairdraw_schema")}
            for version, script in MIGRATIONS:
                if version in done:
                    continue
                for statement in _statements(script):
                    self._db.execute(statement)
                self._db.execute(
                    "INSERT INTO fairdraw_schema (version, applied_at) VALUES (?, ?)",
                    [version, format_time(now())],
                )

    @property
    def schema_version(self) -> int:
        """The newest migration applied."""
        rows = list(self._db.query("SELECT max(version) AS v FROM fairdraw_schema"))
        return int(rows[0]["v"] or 0)

    @contextmanager
    def _write(self) -> Iterator[None]:
        connection = self._db.conn
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _last_entry(self) -> tuple[int, str]:
        rows = list(self._db.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        return (rows[0]["seq"], rows[0]["hash"]) if rows else (0, GENESIS)

    def _insert_entry(self, entry: LogEntry) -> None:
        self._db.execute(
            "INSERT INTO audit_log (seq, previous, time, actor, kind, payload, hash, key_id, "
            "signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                entry.seq,
                entry.previous,
                entry.time,
                entry.actor,
                entry.kind,
                json.dumps(entry.payload, ensure_ascii=False, sort_keys=True),
                entry.hash,
                entry.key_id,
                entry.signature,
            ],
        )

    def _insert_key(self, public: PublicKey) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO office_keys (key_id, public_key) VALUES (?, ?)",
            [public.key_id, public.raw.hex()],
        )

    def _get_key(self, key_id: str) -> PublicKey | None:
        rows = list(self._db.query("SELECT public_key FROM office_keys WHERE key_id = ?", [key_id]))
        return PublicKey.from_hex(rows[0]["public_key"]) if rows else None

    def _entries(self) -> Iterator[LogEntry]:
        for row in self._db.query("SELECT * FROM audit_log ORDER BY seq"):
            yield LogEntry(
                seq=row["seq"],
                previous=row["previous"],
                time=row["time"],
                actor=row["actor"],
                kind=row["kind"],
                payload=json.loads(row["payload"]),
                hash=row["hash"],
                key_id=row["key_id"],
                signature=row["signature"],
            )

    def _insert_population(self, population: Population, name: str, seq: int) -> bool:
        self._db.execute(
            "INSERT INTO populations (digest, salt, name, size, labels, log_seq) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                population.digest_hex,
                population.salt.hex(),
                name,
                len(population),
                json.dumps(list(population), ensure_ascii=False),
                seq,
            ],
        )
        return True

    def _get_population(self, digest: str) -> Population | None:
        rows = list(
            self._db.query("SELECT salt, labels FROM populations WHERE digest = ?", [digest])
        )
        if not rows:
            return None
        return Population.of(json.loads(rows[0]["labels"]), salt=rows[0]["salt"])

    def _insert_record(
        self,
        draw_id: str,
        status: str,
        record: str,
        record_hash: str,
        supersedes: str | None,
        seq: int,
    ) -> None:
        self._db.execute(
            "INSERT INTO records (draw_id, status, record, record_hash, supersedes, log_seq) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [draw_id, status, record, record_hash, supersedes, seq],
        )

    def _insert_draw(self, draw_id: str, scope: str, digest: str, result: str) -> None:
        self._db.execute(
            "INSERT INTO draws (draw_id, scope, population_digest, result) VALUES (?, ?, ?, ?)",
            [draw_id, scope, digest, result],
        )

    def _get_record(self, draw_id: str) -> tuple[str, dict[str, Any]] | None:
        rows = list(
            self._db.query("SELECT status, record FROM records WHERE draw_id = ?", [draw_id])
        )
        return (rows[0]["status"], json.loads(rows[0]["record"])) if rows else None

    def _is_integrity_error(self, error: Exception) -> bool:
        return isinstance(error, sqlite3.IntegrityError)

    def _database_errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error,)

    def close(self) -> None:
        """Close the connection."""
        self._db.conn.close()


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (triggers contain ';' inside BEGIN … END)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
