"""A draw id is used once, even after its rows are deleted by hand: the store asks the log, and
``verify_chain`` fails a log in which one draw id names two ceremonies (both adapters)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from fairdraw import DrawIdUsedError, ExitCode, InputError, VerificationError, exit_code
from fairdraw.storage import LogEntry, SQLiteStore, Store, open_store
from storage_helpers import KEY, make_record

OTHER_ROLLS = [(i * 5) % 6 + 1 for i in range(50)]
ROW_TABLES = ("documents", "approvals", "draws", "records", "ceremony_events")


class UncheckedSQLiteStore(SQLiteStore):
    """A store that does not ask the log about a draw id (as fairdraw 0.2 did): what a
    dishonest office could still run with its key, to see that log verify finds the reuse."""

    def _entries_naming(self, draw_id: str) -> list[LogEntry]:
        return []


def delete_rows(store: Store, location: str) -> None:
    """Delete every row of the draws past the triggers, as someone with write access could."""
    if isinstance(store, SQLiteStore):
        connection = sqlite3.connect(location, isolation_level=None)
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            connection.execute(f"DROP TRIGGER {name}")
        for table in ROW_TABLES:
            connection.execute(f"DELETE FROM {table}")  # noqa: S608 (a fixed name)
        connection.close()
        return
    import psycopg  # noqa: PLC0415

    with psycopg.connect(location, autocommit=True) as connection:
        connection.execute("SET session_replication_role = replica")
        for table in ROW_TABLES:
            connection.execute(f"DELETE FROM {table}")  # noqa: S608 (a fixed name)


@pytest.fixture(params=["sqlite", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield (
        str(tmp_path / "office.db")
        if request.param == "sqlite"
        else str(request.getfixturevalue("pg_url"))
    )


def drawn(location: str) -> Store:
    store = open_store(location)
    record = make_record("2026-05")
    for signed in record["events"]:
        store.record_event(signed, actor="a", key=KEY)
    store.finalise(record, actor="a", key=KEY)
    return store


def test_a_deleted_draw_cannot_be_drawn_again(location: str) -> None:
    with drawn(location) as store:
        delete_rows(store, location)
        assert store.finalised_draws() == []  # the tables say nothing of it any more
        again = make_record("2026-05", rolls=OTHER_ROLLS)
        with pytest.raises(DrawIdUsedError, match=r"'2026-05' was used before: audit log entry 5"):
            store.record_event(again["events"][0], actor="a", key=KEY)
        with pytest.raises(DrawIdUsedError, match=r"entry 5 .*records row is gone") as caught:
            store.finalise(again, actor="a", key=KEY)
        assert exit_code(caught.value) == ExitCode.DRAW_ID_USED == 9
        assert len(store.entries()) == 5  # nothing was written


def test_events_whose_rows_are_gone_are_not_recorded_again(location: str) -> None:
    with open_store(location) as store:
        record = make_record("2026-05")
        for signed in record["events"][:2]:
            store.record_event(signed, actor="a", key=KEY)
        delete_rows(store, location)
        other = make_record("2026-05", rolls=OTHER_ROLLS)
        with pytest.raises(DrawIdUsedError, match="recorded event 0 of its ceremony"):
            store.record_event(other["events"][0], actor="a", key=KEY)
        with pytest.raises(DrawIdUsedError, match="recorded event 1 of another ceremony"):
            store.finalise(other, actor="a", key=KEY)


def test_a_record_of_another_ceremony_is_refused(location: str) -> None:
    """A record finalised from a file must be the ceremony whose events the store logged."""
    with open_store(location) as store:
        store.record_event(make_record("2026-05")["events"][0], actor="a", key=KEY)
        store.record_event(make_record("2026-06")["events"][0], actor="a", key=KEY)
        store.finalise(make_record("2026-06"), actor="a", key=KEY)  # its own events: accepted
        other = make_record("2026-05", supersedes={"draw_id": "x", "reason": "r", "approver": "a"})
        with pytest.raises(DrawIdUsedError, match=r"entry 1 .*event 0 of another ceremony"):
            store.finalise(other, actor="a", key=KEY)


def test_log_verify_finds_a_reused_draw_id(tmp_path: Path) -> None:
    path = str(tmp_path / "office.db")
    with drawn(path) as store:
        delete_rows(store, path)
    with UncheckedSQLiteStore.open(path) as unchecked:  # the office's key, an unchecked store
        again = make_record("2026-05", rolls=OTHER_ROLLS)
        for signed in again["events"]:
            unchecked.record_event(signed, actor="a", key=KEY)
        unchecked.finalise(again, actor="a", key=KEY)
        with pytest.raises(
            VerificationError,
            match=r"entry 6 records a ceremony.announce event of draw '2026-05', which entry 5 "
            r"finalised: the draw id was reused",
        ):
            unchecked.verify_chain(KEY.public)


def test_log_verify_finds_two_finalisations(tmp_path: Path) -> None:
    path = str(tmp_path / "office.db")
    with UncheckedSQLiteStore.open(path) as unchecked:
        unchecked.finalise(make_record("2026-05"), actor="a", key=KEY)
        delete_rows(unchecked, path)
        unchecked.finalise(make_record("2026-05", rolls=OTHER_ROLLS), actor="a", key=KEY)
        with pytest.raises(
            VerificationError, match=r"entries 1 and 2 both finalise draw '2026-05'"
        ):
            unchecked.verify_chain(KEY.public)


def test_append_refuses_fairdraws_own_kinds(location: str) -> None:
    with open_store(location) as store:
        for kind in ("ceremony.announce", "draw.finalised", "approval", "document", "log.x"):
            with pytest.raises(InputError, match=f"{kind!r} is fairdraw's own"):
                store.append(kind, {"draw_id": "2026-05"}, actor="a", key=KEY)
        store.append("rfb.note", {"draw_id": "2026-05"}, actor="a", key=KEY)
        assert [e.kind for e in store.entries()] == ["rfb.note"]
