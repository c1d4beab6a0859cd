"""The SQLite store on a real file: append-only log, draw once, snapshots, export and import."""

from __future__ import annotations

import io
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from fairdraw import Population, StorageError, VerificationError
from fairdraw.storage import (
    AlreadyFinalisedError,
    Approval,
    SQLiteStore,
    Store,
    open_store,
    read_export,
    verify_entries,
    write_export,
)
from fairdraw.storage.sqlite import default_path
from storage_helpers import KEY, OTHER_KEY, POPULATION, make_record


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore.open(db_path) as opened:
        yield opened


@pytest.fixture
def other_store(
    any_store: Store, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Store]:
    """A second, empty store of the same kind as any_store."""
    location = (
        str(tmp_path / "other.db")
        if isinstance(any_store, SQLiteStore)
        else request.getfixturevalue("pg_url").rsplit("/", 1)[0] + "/" + _fresh_pg(request)
    )
    with open_store(location) as opened:
        yield opened


def _fresh_pg(request: pytest.FixtureRequest) -> str:
    import psycopg  # noqa: PLC0415

    server = request.getfixturevalue("postgres_server")
    name = f"fairdraw_other_{abs(hash(request.node.nodeid))}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return name


def fill(store: Store, count: int = 5) -> None:
    for i in range(count):
        store.append("note", {"i": i, "text": f"第{i}条"}, actor=f"officer {i % 2}", key=KEY)


def fill_every_table(store: Store) -> None:
    """One row in every append-only table."""
    store.save_population(POPULATION, name="S", actor="a", key=KEY)
    record = make_record("d-1")
    store.record_event(record["events"][0], actor="a", key=KEY)
    store.finalise(record, actor="a", key=KEY)
    store.approve("d-1", approver="王主任", role="主管领导", actor="a", key=KEY)
    picked = record["events"][-1]["event"]["body"]["results"][0]["selected"][0]["label"]
    store.add_document(
        "inspection.result", picked, {"category": "未发现问题"}, draw_id="d-1", actor="a", key=KEY
    )


def raw(db_path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection, as a tamperer would open the file."""
    return sqlite3.connect(db_path, isolation_level=None)


def test_opens_migrates_and_reopens(db_path: Path) -> None:
    with SQLiteStore.open(db_path) as first:
        assert first.schema_version == 3
        fill(first, 2)
    with SQLiteStore.open(db_path) as again:
        assert again.schema_version == 3
        assert [e.seq for e in again.entries()] == [1, 2]
    mode = raw(db_path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_default_path_is_in_the_user_data_folder() -> None:
    assert default_path().name == "fairdraw.db"
    assert "fairdraw" in default_path().parent.as_posix()


def test_chain_verifies_and_needs_the_right_key(any_store: Store) -> None:
    fill(any_store)
    assert any_store.verify_chain(KEY.public) == 5
    assert any_store.verify_chain() == 5
    with pytest.raises(VerificationError, match="another key"):
        any_store.verify_chain(OTHER_KEY.public)
    first = any_store.entries()[0]
    assert first.previous == "0" * 64 and first.actor == "officer 0"
    assert any_store.office_key(first.key_id) == KEY.public


@pytest.mark.parametrize(
    "table",
    [
        "audit_log",
        "populations",
        "records",
        "draws",
        "office_keys",
        "ceremony_events",
        "approvals",
        "documents",
    ],
)
def test_database_refuses_update_and_delete(store: SQLiteStore, db_path: Path, table: str) -> None:
    fill_every_table(store)
    connection = raw(db_path)
    column = connection.execute(f"SELECT * FROM {table} LIMIT 1").description[0][0]  # noqa: S608
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute(f"UPDATE {table} SET {column} = {column}")  # noqa: S608
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute(f"DELETE FROM {table}")  # noqa: S608


def untrigger(db_path: Path) -> sqlite3.Connection:
    """Drop the log's triggers, as someone with write access to the file could."""
    connection = raw(db_path)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("DROP TRIGGER audit_log_no_delete")
    return connection


@pytest.mark.parametrize(
    ("tamper", "where"),
    [
        (
            "UPDATE audit_log SET payload = replace(payload, '第2条', '第9条') WHERE seq = 3",
            "entry 3",
        ),
        ("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2", "entry 2"),
        ("UPDATE audit_log SET time = '2020-01-01T00:00:00Z' WHERE seq = 5", "entry 5"),
        ("DELETE FROM audit_log WHERE seq = 3", "position 3"),
        ("DELETE FROM audit_log WHERE seq = 5", None),
        ("UPDATE audit_log SET seq = seq + 10 WHERE seq = 2", "position 2"),
        (
            "INSERT INTO audit_log (seq, previous, time, actor, kind, payload, hash, key_id, signature)"
            " SELECT 6, hash, time, actor, kind, payload, 'ab' || hash, key_id, signature"
            " FROM audit_log WHERE seq = 5",
            "entry 6",
        ),
    ],
)
def test_tampering_with_the_file_is_detected(
    store: SQLiteStore, db_path: Path, tamper: str, where: str | None
) -> None:
    fill(store)
    connection = untrigger(db_path)
    connection.execute(tamper)
    if where is None:
        # Deleting the newest entry leaves a shorter valid chain: the count tells, and an export
        # made before shows it (see test_export_detects_truncation).
        assert store.verify_chain(KEY.public) == 4
        return
    with pytest.raises(VerificationError, match=where):
        store.verify_chain(KEY.public)


def test_reordering_is_detected(store: SQLiteStore, db_path: Path) -> None:
    fill(store)
    connection = untrigger(db_path)
    connection.execute("UPDATE audit_log SET seq = 100 WHERE seq = 2")
    connection.execute("UPDATE audit_log SET seq = 2 WHERE seq = 3")
    connection.execute("UPDATE audit_log SET seq = 3 WHERE seq = 100")
    with pytest.raises(VerificationError, match="entry 2"):
        store.verify_chain(KEY.public)


def test_resigned_forgery_needs_the_office_key(store: SQLiteStore, db_path: Path) -> None:
    """Someone who rewrites the whole chain with another key is caught by the office key."""
    fill(store, 3)
    forged = SQLiteStore.open(db_path.with_name("forged.db"))
    for entry in store.entries():
        forged.append(
            entry.kind, {**entry.payload, "forged": True}, actor=entry.actor, key=OTHER_KEY
        )
    assert forged.verify_chain() == 3
    with pytest.raises(VerificationError, match="another key"):
        forged.verify_chain(KEY.public)
    forged.close()


def test_draw_is_finalised_once(any_store: Store) -> None:
    record = make_record("2026-05")
    entry = any_store.finalise(record, actor="officer A", key=KEY)
    assert entry.kind == "draw.finalised" and entry.payload["status"] == "drawn"
    assert any_store.record("2026-05") == record
    with pytest.raises(AlreadyFinalisedError, match="supersedes"):
        any_store.finalise(record, actor="officer B", key=KEY)
    assert len(any_store.entries()) == 1


def test_redraw_only_as_a_new_ceremony_naming_the_old(any_store: Store) -> None:
    any_store.finalise(make_record("2026-05", abort=True), actor="officer A", key=KEY)
    replacement = make_record(
        "2026-05-b",
        supersedes={"draw_id": "2026-05", "reason": "leader absent", "approver": "director"},
    )
    any_store.finalise(replacement, actor="officer A", key=KEY)
    statuses = [e.payload["status"] for e in any_store.entries()]
    assert statuses == ["aborted", "drawn"]
    orphan = make_record("2026-06", supersedes={"draw_id": "nope", "reason": "r", "approver": "a"})
    with pytest.raises(StorageError, match="not stored"):
        any_store.finalise(orphan, actor="officer A", key=KEY)


def test_unverifiable_record_is_refused(any_store: Store) -> None:
    record = make_record("2026-05")
    record["events"][-1]["event"]["body"]["results"][0]["selected"][0]["label"] = "obj-99"
    with pytest.raises(VerificationError):
        any_store.finalise(record, actor="officer A", key=KEY)
    with pytest.raises(VerificationError, match="office key"):
        any_store.finalise(make_record("2026-05"), actor="a", key=OTHER_KEY)
    assert any_store.entries() == []


def test_population_snapshots_are_immutable_and_logged_once(any_store: Store) -> None:
    digest = any_store.save_population(POPULATION, name="S", actor="officer A", key=KEY)
    assert (
        any_store.save_population(POPULATION, name="S again", actor="officer B", key=KEY) == digest
    )
    assert any_store.population(digest) == POPULATION
    salted = Population.of(["x", "y"], salt="5a" * 32)
    assert (
        any_store.population(any_store.save_population(salted, name="T", actor="a", key=KEY))
        == salted
    )
    assert [e.kind for e in any_store.entries()] == ["population.snapshot"] * 2
    with pytest.raises(StorageError, match="no population"):
        any_store.population("00" * 32)


def test_export_import_round_trip(any_store: Store, other_store: Store, tmp_path: Path) -> None:
    fill(any_store)
    any_store.finalise(make_record("2026-05"), actor="officer A", key=KEY)
    buffer = io.StringIO()
    assert write_export(buffer, KEY.public, any_store.entries()) == 6
    path = tmp_path / "log.jsonl"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    office, entries = read_export(path)
    assert office == KEY.public
    assert other_store.import_entries(entries, office) == 6
    assert other_store.entries() == any_store.entries()
    assert other_store.verify_chain(KEY.public) == 6
    with pytest.raises(StorageError, match="empty"):
        other_store.import_entries(iter(any_store.entries()), KEY.public)


def test_export_detects_edits_and_truncation(store: SQLiteStore, tmp_path: Path) -> None:
    fill(store)
    buffer = io.StringIO()
    write_export(buffer, KEY.public, store.entries())
    lines = buffer.getvalue().splitlines()
    edited = json.loads(lines[3])
    edited["entry"]["payload"]["text"] = "改过"
    path = tmp_path / "edited.jsonl"
    path.write_text(
        "\n".join([*lines[:3], json.dumps(edited), *lines[4:]]) + "\n", encoding="utf-8"
    )
    office, entries = read_export(path)
    with pytest.raises(VerificationError, match="entry 3"):
        verify_entries(entries, office)
    dropped = tmp_path / "dropped.jsonl"
    dropped.write_text("\n".join([*lines[:2], *lines[3:]]) + "\n", encoding="utf-8")
    with pytest.raises(VerificationError, match="position 2"):
        verify_entries(read_export(dropped)[1], KEY.public)


def test_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"hello": 1}\n')
    with pytest.raises(ValueError, match="not a fairdraw audit log"):
        read_export(path)


def test_unopenable_database(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    with pytest.raises(StorageError, match="cannot open"):
        SQLiteStore.open(folder)


class StoreMachine(RuleBasedStateMachine):
    """A store against an in-memory model: a list of (kind, actor, payload)."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.location = self.open_location()
        self.store = open_store(self.location)
        self.model: list[tuple[str, str, dict[str, Any]]] = []
        self.snapshots: set[str] = set()

    def open_location(self) -> str:
        return str(self.folder / "m.db")

    @rule(
        kind=st.sampled_from(["note", "rfb.approval", "result"]),
        actor=st.sampled_from(["张三", "officer B"]),
        value=st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=5),
    )
    def append(self, kind: str, actor: str, value: Any) -> None:
        self.store.append(kind, {"value": value}, actor=actor, key=KEY)
        self.model.append((kind, actor, {"value": value}))

    @rule(labels=st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=5, unique=True))
    def snapshot(self, labels: list[str]) -> None:
        population = Population.of(labels)
        self.store.save_population(population, name="p", actor="a", key=KEY)
        if population.digest_hex not in self.snapshots:
            self.snapshots.add(population.digest_hex)
            self.model.append(("population.snapshot", "a", {}))

    @rule()
    def reopen(self) -> None:
        self.store.close()
        self.store = open_store(self.location)

    @invariant()
    def matches_the_model(self) -> None:
        entries = self.store.entries()
        assert [(e.kind, e.actor) for e in entries] == [(k, a) for k, a, _ in self.model]
        for entry, (kind, _, payload) in zip(entries, self.model, strict=True):
            if kind != "population.snapshot":
                assert entry.payload == payload
        assert self.store.verify_chain(KEY.public) == len(self.model)

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)


TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(max_examples=25, stateful_step_count=15)


def test_postgres_store_against_the_model(postgres_server: str) -> None:
    """The same state machine on PostgreSQL, one fresh database per example."""
    import psycopg  # noqa: PLC0415

    counter = itertools.count()

    class PostgresMachine(StoreMachine):
        def open_location(self) -> str:
            name = f"fairdraw_machine_{os.getpid()}_{next(counter)}"
            with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as connection:
                connection.execute(f"CREATE DATABASE {name}")
            return f"{postgres_server}/{name}"

    run_state_machine_as_test(
        PostgresMachine, settings=settings(max_examples=10, stateful_step_count=10)
    )


# -- PostgreSQL: the database refuses changes, and tampering past it is found ------------------


@pytest.mark.parametrize(
    "table",
    [
        "audit_log",
        "populations",
        "records",
        "draws",
        "office_keys",
        "ceremony_events",
        "approvals",
        "documents",
    ],
)
def test_postgres_refuses_update_delete_truncate(pg_url: str, table: str) -> None:
    import psycopg  # noqa: PLC0415

    with open_store(pg_url) as pg:
        fill_every_table(pg)
    with psycopg.connect(pg_url, autocommit=True) as connection:
        column = connection.execute(f"SELECT * FROM {table} LIMIT 1").description[0].name  # noqa: S608
        for statement in (
            f"UPDATE {table} SET {column} = {column}",  # noqa: S608
            f"DELETE FROM {table}",  # noqa: S608
            f"TRUNCATE {table} CASCADE",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                connection.execute(statement)


@pytest.mark.parametrize(
    ("tamper", "where"),
    [
        ("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2", "entry 2"),
        ("DELETE FROM audit_log WHERE seq = 3", "position 3"),
        ("UPDATE audit_log SET seq = seq + 10 WHERE seq = 2", "position 2"),
    ],
)
def test_postgres_tampering_past_the_triggers_is_detected(
    pg_url: str, tamper: str, where: str
) -> None:
    import psycopg  # noqa: PLC0415

    with open_store(pg_url) as pg:
        fill(pg)
        with psycopg.connect(pg_url, autocommit=True) as connection:
            connection.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
            connection.execute(tamper)
        with pytest.raises(VerificationError, match=where):
            pg.verify_chain(KEY.public)


def test_postgres_url_hides_the_password(pg_url: str) -> None:
    with open_store(pg_url.replace("postgres@", "postgres:secret@")) as pg:
        assert "secret" not in pg.path and ":***@" in pg.path


def test_population_attributes_are_kept(any_store: Store) -> None:
    flags = {"obj-01": {"risk": ["complaints"], "items": ["MAINT", "USE"]}}
    digest = any_store.save_population(POPULATION, name="S", actor="a", key=KEY, attributes=flags)
    assert any_store.population_attributes(digest) == flags
    with pytest.raises(StorageError, match="outside the population"):
        any_store.save_population(
            Population.of(["p", "q"]), name="T", actor="a", key=KEY, attributes={"zz": {}}
        )


def test_ceremony_events_are_kept_as_they_happen(any_store: Store) -> None:
    record = make_record("2026-07")
    events = record["events"]
    for signed in events:
        entry = any_store.record_event(signed, actor="officer A", key=KEY)
        assert entry.kind == f"ceremony.{signed['event']['kind']}"
    assert any_store.ceremony_events("2026-07") == events
    with pytest.raises(VerificationError):
        any_store.record_event(events[1], actor="officer A", key=KEY)  # a replay
    other = make_record("2026-08")["events"]
    any_store.record_event(other[0], actor="officer A", key=KEY)
    with pytest.raises(VerificationError, match=r"link|sequence"):
        any_store.record_event(other[2], actor="officer A", key=KEY)  # event 1 skipped
    with pytest.raises(VerificationError, match="another key"):
        any_store.record_event(make_record("2026-09")["events"][0], actor="a", key=OTHER_KEY)
    assert len(any_store.ceremony_events("2026-08")) == 1
    assert any_store.verify_chain(KEY.public) == len(events) + 1


def test_leader_approval_of_a_finalised_draw(any_store: Store) -> None:
    with pytest.raises(StorageError, match="not finalised"):
        any_store.approve("2026-05", approver="王主任", role="主管领导", actor="a", key=KEY)
    any_store.finalise(make_record("2026-05"), actor="officer A", key=KEY)
    any_store.approve(
        "2026-05", approver="王主任", role="主管领导", note="同意", actor="a", key=KEY
    )
    with pytest.raises(StorageError, match="decision"):
        any_store.approve("2026-05", approver="x", role="y", decision="maybe", actor="a", key=KEY)
    approvals = any_store.approvals("2026-05")
    entry = any_store.entries()[-1]
    assert approvals == [
        Approval(
            seq=2,
            time=entry.time,
            approver="王主任",
            role="主管领导",
            decision="approved",
            note="同意",
            actor="a",
        )
    ]
    assert [e.kind for e in any_store.entries()] == ["draw.finalised", "approval"]
    assert any_store.approvals("2026-06") == []
