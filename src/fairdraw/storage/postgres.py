"""PostgreSQL for shared deployments: several officers and systems on one database (psycopg 3).

Install with ``pip install 'fairdraw[postgres]'`` and point fairdraw at a server with a
``postgresql://`` URL (``--db`` or ``FAIRDRAW_DB``). Writers serialise on a transaction-scoped
advisory lock, draws are finalised once by a ``PRIMARY KEY``, and a trigger function refuses
``UPDATE``, ``DELETE`` and ``TRUNCATE`` on the log, the snapshots and the records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from fairdraw.errors import StorageError
from fairdraw.i18n import _
from fairdraw.storage.sql import APPEND_ONLY_TABLES, DOCUMENTS, LOG_IMPORTS, TABLES, SQLStore
from fairdraw.times import format_time, now

__all__ = ["MIGRATIONS", "PostgresStore"]

_LOCK_ID = 0x66616972  # "fair": the advisory lock every fairdraw writer takes


def _append_only(tables: tuple[str, ...]) -> str:
    """Triggers that make each table refuse UPDATE, DELETE and TRUNCATE."""
    return "".join(
        f"""
        CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION fairdraw_append_only();
        CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION fairdraw_append_only();
        """
        for table in tables
    )


MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        TABLES
        + """
        CREATE FUNCTION fairdraw_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'fairdraw: % is append-only', TG_TABLE_NAME;
        END
        $$;
        """
        + _append_only(APPEND_ONLY_TABLES),
    ),
    (2, DOCUMENTS + _append_only(("documents",))),
    (3, LOG_IMPORTS + _append_only(("log_imports",))),
)
"""Schema migrations, applied in order under the advisory lock."""


def _psycopg() -> Any:
    try:
        import psycopg  # noqa: PLC0415 (an optional dependency)
    except ImportError as err:
        raise StorageError(
            _("PostgreSQL support needs psycopg: pip install 'fairdraw[postgres]'")
        ) from err
    return psycopg


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database. Use :meth:`open`."""

    migrations: ClassVar[tuple[tuple[int, str], ...]] = MIGRATIONS
    """The migrations :meth:`open` applies (all of them; a test of migration 2 opens a
    database with the first only)."""

    def __init__(self, connection: Any, dsn: str) -> None:
        self._connection = connection
        self.path = re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", dsn)  # never print a password

    @classmethod
    def open(cls, dsn: str, *, timeout: float = 30.0) -> PostgresStore:
        """Connect to ``dsn`` (a ``postgresql://`` URL) and migrate the schema.

        Raises:
            StorageError: the server cannot be reached or the schema cannot be created.
        """
        psycopg = _psycopg()
        try:
            connection = psycopg.connect(dsn, autocommit=True, connect_timeout=int(timeout))
            connection.execute(f"SET lock_timeout = '{int(timeout * 1000)}ms'")
            store = cls(connection, dsn)
            store._migrate()
        except psycopg.Error as err:
            raise StorageError(
                _("cannot open the PostgreSQL database: {err}").format(err=err)
            ) from err
        return store

    def _migrate(self) -> None:
        with self._write():
            self._execute(
                "CREATE TABLE IF NOT EXISTS fairdraw_schema "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {row["version"] for row in self._query("SELECT version FROM fairdraw_schema")}
            for version, script in self.migrations:
                if version in done:
                    continue
                self._connection.execute(script)
                self._after_migration(version)
                self._execute(
                    "INSERT INTO fairdraw_schema (version, applied_at) VALUES (?, ?)",
                    [version, format_time(now())],
                )

    @property
    def schema_version(self) -> int:
        """The newest migration applied."""
        rows = self._query("SELECT max(version) AS v FROM fairdraw_schema")
        return int(rows[0]["v"] or 0)

    @contextmanager
    def _write(self) -> Iterator[None]:
        with self._connection.transaction():
            self._connection.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
            yield

    def _execute(self, statement: str, parameters: Sequence[Any] = ()) -> None:
        self._connection.execute(statement.replace("?", "%s"), list(parameters))

    def _query(self, statement: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self._connection.execute(statement.replace("?", "%s"), list(parameters))
        names = [column.name for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _is_integrity_error(self, error: Exception) -> bool:
        return isinstance(error, _psycopg().IntegrityError)

    def _database_errors(self) -> tuple[type[Exception], ...]:
        return (_psycopg().Error,)

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()
