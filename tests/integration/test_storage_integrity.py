"""Schema migration v2 on real v1 databases (a real SQLite file, the real PostgreSQL server);
the tampering matrix is in ``test_storage_tampering.py``."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from fairdraw import VerificationError
from fairdraw.storage import PostgresStore, SQLiteStore
from storage_helpers import KEY, make_record

# -- a database as schema v1 (with record_result) left it --------------------------------------

LEGACY_RESULT = {"category": "发现问题已责令改正", "late": False, "score": 2.5, "a": 1}
"""A v1 result: record_result hashed json.dumps(sort_keys=True), which even took a float."""


class V1SQLiteStore(SQLiteStore):
    """The SQLite adapter as it stood at schema v1: only the first migration."""

    migrations = SQLiteStore.migrations[:1]


class V1PostgresStore(PostgresStore):
    """The PostgreSQL adapter as it stood at schema v1: only the first migration."""

    migrations = PostgresStore.migrations[:1]


def fill_v1(store: SQLiteStore | PostgresStore) -> None:
    """Finalise draw ``d-1`` and record one inspection result as schema v1's Store did."""
    assert store.schema_version == 1
    record = make_record("d-1")
    store.finalise(record, actor="officer A", key=KEY)
    picked = record["events"][-1]["event"]["body"]["results"][0]["selected"][0]["label"]
    text = json.dumps(LEGACY_RESULT, ensure_ascii=False, sort_keys=True)
    with store._write():  # the body of the v1 Store.record_result
        entry = store._append(
            "inspection.result",
            {
                "draw_id": "d-1",
                "object_id": picked,
                "result_hash": hashlib.sha256(text.encode()).hexdigest(),
            },
            actor="第1组",
            key=KEY,
            at=None,
        )
        store._execute(
            "INSERT INTO results (log_seq, draw_id, object_id, result) VALUES (?, ?, ?, ?)",
            [entry.seq, "d-1", picked, text],
        )


def check_migrated(store: SQLiteStore | PostgresStore) -> None:
    """A migrated v1 database: its result is a legacy document, the chain and rows verify, and
    new documents are written the v2 way."""
    assert store.schema_version == 3
    (legacy,) = store.documents("inspection.result")
    entry = store.entries()[1]
    assert (legacy.seq, legacy.time, legacy.actor) == (2, entry.time, "第1组")
    assert (legacy.kind, legacy.subject, legacy.draw_id) == (
        "inspection.result",
        entry.payload["object_id"],
        "d-1",
    )
    assert legacy.body == LEGACY_RESULT
    assert legacy.body_hash == entry.payload["result_hash"]
    assert legacy.hash_format == "legacy-json-sorted"
    assert store.verify_chain(KEY.public) == 2
    new = store.add_document(
        "inspection.result",
        legacy.subject,
        {"category": "未发现问题"},
        draw_id="d-1",
        actor="第1组",
        key=KEY,
    )
    assert new.hash_format == "jcs-sha256" and new.seq == 3
    assert store.documents("inspection.result", subject=legacy.subject) == [legacy, new]
    assert store.verify_chain(KEY.public) == 3


def test_migration_v2_on_a_v1_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    with V1SQLiteStore.open(path) as v1:
        fill_v1(v1)
    with SQLiteStore.open(path) as store:
        check_migrated(store)
    with SQLiteStore.open(path) as again:  # migrations run once: nothing is copied twice
        assert [d.seq for d in again.documents("inspection.result")] == [2, 3]
    connection = raw_untriggered(path)
    connection.execute("UPDATE documents SET body = replace(body, '2.5', '3.5') WHERE log_seq = 2")
    with SQLiteStore.open(path) as store, pytest.raises(VerificationError, match="documents row 2"):
        store.verify_chain(KEY.public)
    connection.execute("UPDATE documents SET body = replace(body, '3.5', '2.5') WHERE log_seq = 2")
    connection.execute("UPDATE results SET object_id = 'obj-19' WHERE log_seq = 2")
    with SQLiteStore.open(path) as store, pytest.raises(VerificationError, match="results row 2"):
        store.verify_chain(KEY.public)


def test_migration_v2_on_a_v1_postgres_database(pg_url: str) -> None:
    import psycopg  # noqa: PLC0415

    with V1PostgresStore.open(pg_url) as v1:
        fill_v1(v1)
    with PostgresStore.open(pg_url) as store:
        check_migrated(store)
        with psycopg.connect(pg_url, autocommit=True) as connection:
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                connection.execute("UPDATE documents SET subject = 'obj-19'")
            connection.execute("ALTER TABLE documents DISABLE TRIGGER USER")
            connection.execute("UPDATE documents SET draw_id = NULL WHERE log_seq = 2")
        with pytest.raises(VerificationError, match=r"documents row 2.*draw id"):
            store.verify_chain(KEY.public)
    with PostgresStore.open(pg_url) as again:
        assert again.schema_version == 3
        assert [d.seq for d in again.documents("inspection.result")] == [2, 3]


def raw_untriggered(path: Path) -> sqlite3.Connection:
    """A plain connection to the file with every fairdraw trigger dropped, as someone with
    write access to it could."""
    connection = sqlite3.connect(path, isolation_level=None)
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        connection.execute(f"DROP TRIGGER {name}")
    return connection
