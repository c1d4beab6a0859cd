"""The embedded default: one SQLite file, through sqlite-utils, in WAL mode.

Writers take the database lock up front (``BEGIN IMMEDIATE``), so two officers writing at once
queue instead of interleaving; a draw id is finalised once by a ``UNIQUE`` key, and triggers make
the audit log, population snapshots and finalised records refuse ``UPDATE`` and ``DELETE`` inside
the database itself, whatever program opens the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from fairdraw.errors import StorageError
from fairdraw.i18n import _
from fairdraw.storage.sql import APPEND_ONLY_TABLES, DOCUMENTS, LOG_IMPORTS, TABLES, SQLStore
from fairdraw.times import format_time, now

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["MIGRATIONS", "SQLiteStore", "default_path"]


def _append_only(tables: tuple[str, ...]) -> str:
    """Triggers that make each table refuse UPDATE and DELETE."""
    return "".join(
        f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'fairdraw: {table} is append-only'); END;
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'fairdraw: {table} is append-only'); END;
        """
        for table in tables
    )


MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, TABLES + _append_only(APPEND_ONLY_TABLES)),
    (2, DOCUMENTS + _append_only(("documents",))),
    (3, LOG_IMPORTS + _append_only(("log_imports",))),
)
"""Schema migrations, applied in order; each runs once and is recorded in ``fairdraw_schema``."""


def default_path() -> Path:
    """The database file used when none is given: ``fairdraw.db`` in the user's data folder."""
    import platformdirs  # noqa: PLC0415 (only when no file is named)

    return Path(platformdirs.user_data_dir("fairdraw", appauthor=False)) / "fairdraw.db"


class SQLiteStore(SQLStore):
    """A store in one SQLite file. Use :meth:`open`."""

    migrations: ClassVar[tuple[tuple[int, str], ...]] = MIGRATIONS
    """The migrations :meth:`open` applies (all of them; a test of migration 2 opens a
    database with the first only)."""

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
        import sqlite_utils  # noqa: PLC0415 (it loads slowly: only runs that open a file pay)

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
            raise StorageError(
                _("{target}: cannot open the database: {err}").format(target=target, err=err)
            ) from err
        return store

    def _migrate(self) -> None:
        with self._write():
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS fairdraw_schema "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {row["version"] for row in self._db.query("SELECT version FROM fairdraw_schema")}
            for version, script in self.migrations:
                if version in done:
                    continue
                for statement in _statements(script):
                    self._db.execute(statement)
                self._after_migration(version)
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

    def _execute(self, statement: str, parameters: Sequence[Any] = ()) -> None:
        self._db.execute(statement, list(parameters))

    def _query(self, statement: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self._db.query(statement, list(parameters)))

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
