"""The SQLite store on a real file: append-only log, draw once, snapshots, export and import."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from fairdraw import Population, StorageError, VerificationError
from fairdraw.storage import (
    AlreadyFinalisedError,
    SQLiteStore,
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


def fill(store: SQLiteStore, count: int = 5) -> None:
    for i in range(count):
        store.append("note", {"i": i, "text": f"第{i}条"}, actor=f"officer {i % 2}", key=KEY)


def raw(db_path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection, as a tamperer would open the file."""
    return sqlite3.connect(db_path, isolation_level=None)


def test_opens_migrates_and_reopens(db_path: Path) -> None:
    with SQLiteStore.open(db_path) as first:
        assert first.schema_version == 1
        fill(first, 2)
    with SQLiteStore.open(db_path) as again:
        assert again.schema_version == 1
        assert [e.seq for e in again.entries()] == [1, 2]
    mode = raw(db_path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_default_path_is_in_the_user_data_folder() -> None:
    assert default_path().name == "fairdraw.db"
    assert "fairdraw" in default_path().parent.as_posix()


def test_chain_verifies_and_needs_the_right_key(store: SQLiteStore) -> None:
    fill(store)
    assert store.verify_chain(KEY.public) == 5
    assert store.verify_chain() == 5
    with pytest.raises(VerificationError, match="another key"):
        store.verify_chain(OTHER_KEY.public)
    first = store.entries()[0]
    assert first.previous == "0" * 64 and first.actor == "officer 0"
    assert store.office_key(first.key_id) == KEY.public


@pytest.mark.parametrize("table", ["audit_log", "populations", "records", "draws", "office_keys"])
def test_database_refuses_update_and_delete(store: SQLiteStore, db_path: Path, table: str) -> None:
    store.save_population(POPULATION, name="S", actor="a", key=KEY)
    store.finalise(make_record("d-1"), actor="a", key=KEY)
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


def test_draw_is_finalised_once(store: SQLiteStore) -> None:
    record = make_record("2026-05")
    entry = store.finalise(record, actor="officer A", key=KEY)
    assert entry.kind == "draw.finalised" and entry.payload["status"] == "drawn"
    assert store.record("2026-05") == record
    with pytest.raises(AlreadyFinalisedError, match="supersedes"):
        store.finalise(record, actor="officer B", key=KEY)
    assert len(store.entries()) == 1


def test_redraw_only_as_a_new_ceremony_naming_the_old(store: SQLiteStore) -> None:
    store.finalise(make_record("2026-05", abort=True), actor="officer A", key=KEY)
    replacement = make_record(
        "2026-05-b",
        supersedes={"draw_id": "2026-05", "reason": "leader absent", "approver": "director"},
    )
    store.finalise(replacement, actor="officer A", key=KEY)
    statuses = [e.payload["status"] for e in store.entries()]
    assert statuses == ["aborted", "drawn"]
    orphan = make_record("2026-06", supersedes={"draw_id": "nope", "reason": "r", "approver": "a"})
    with pytest.raises(StorageError, match="not stored"):
        store.finalise(orphan, actor="officer A", key=KEY)


def test_unverifiable_record_is_refused(store: SQLiteStore) -> None:
    record = make_record("2026-05")
    record["events"][-1]["event"]["body"]["results"][0]["selected"][0]["label"] = "obj-99"
    with pytest.raises(VerificationError):
        store.finalise(record, actor="officer A", key=KEY)
    with pytest.raises(VerificationError, match="office key"):
        store.finalise(make_record("2026-05"), actor="a", key=OTHER_KEY)
    assert store.entries() == []


def test_population_snapshots_are_immutable_and_logged_once(store: SQLiteStore) -> None:
    digest = store.save_population(POPULATION, name="S", actor="officer A", key=KEY)
    assert store.save_population(POPULATION, name="S again", actor="officer B", key=KEY) == digest
    assert store.population(digest) == POPULATION
    salted = Population.of(["x", "y"], salt="5a" * 32)
    assert store.population(store.save_population(salted, name="T", actor="a", key=KEY)) == salted
    assert [e.kind for e in store.entries()] == ["population.snapshot"] * 2
    with pytest.raises(StorageError, match="no population"):
        store.population("00" * 32)


def test_export_import_round_trip(store: SQLiteStore, tmp_path: Path) -> None:
    fill(store)
    store.finalise(make_record("2026-05"), actor="officer A", key=KEY)
    buffer = io.StringIO()
    assert write_export(buffer, KEY.public, store.entries()) == 6
    path = tmp_path / "log.jsonl"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    office, entries = read_export(path)
    assert office == KEY.public
    with SQLiteStore.open(tmp_path / "copy.db") as copy:
        assert copy.import_entries(entries, office) == 6
        assert copy.entries() == store.entries()
        assert copy.verify_chain(KEY.public) == 6
        with pytest.raises(StorageError, match="empty"):
            copy.import_entries(iter(store.entries()), KEY.public)


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
    """The SQLite store against an in-memory model: a list of (kind, actor, payload)."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.store = SQLiteStore.open(self.folder / "m.db")
        self.model: list[tuple[str, str, dict[str, Any]]] = []
        self.snapshots: set[str] = set()

    @rule(
        kind=st.sampled_from(["note", "approval", "result"]),
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
        self.store = SQLiteStore.open(self.folder / "m.db")

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
