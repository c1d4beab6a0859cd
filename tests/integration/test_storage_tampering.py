"""Tampering past the triggers, one row at a time, on both adapters: ``verify_chain`` fails and
names the table and the row (a real SQLite file, the real PostgreSQL server).

Each case is what someone with write access to the database does: drop (SQLite) or switch off
(PostgreSQL) the triggers, then edit, delete or insert one thing. The log is checked against
the checkpoint taken before, as a publication would carry it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fairdraw import Population, VerificationError, log_checkpoint
from fairdraw.storage import Checkpoint, Store, open_store
from storage_helpers import KEY, OTHER_KEY, POPULATION, make_record

ATTRIBUTES = {"obj-a": {"risk": True, "items": ["MAINT"]}, "obj-b": {"risk": False, "items": []}}
OBJECTS = Population.of(list(ATTRIBUTES))
Tamper = Callable[[list[str]], None]


def fill(store: Store) -> None:
    """Entries 1–11: two snapshots (one with attributes), the 4 events of d-1, its record, an
    approval, a result with a penalty, an availability, and a row-less note."""
    store.save_population(POPULATION, name="S", actor="a", key=KEY)
    store.save_population(OBJECTS, name="objects", actor="a", key=KEY, attributes=ATTRIBUTES)
    record = make_record("d-1")
    for signed in record["events"]:
        store.record_event(signed, actor="a", key=KEY)
    store.finalise(record, actor="a", key=KEY)
    store.approve("d-1", approver="王主任", role="主管领导", note="同意", actor="a", key=KEY)
    picked = record["events"][-1]["event"]["body"]["results"][0]["selected"][0]["label"]
    result = {"category": "发现问题已责令改正", "penalty_amount": 20000}
    store.add_document("inspection.result", picked, result, draw_id="d-1", actor="a", key=KEY)
    store.add_document("rfb.availability", "2026-12/科", {"available": ["张"]}, actor="a", key=KEY)
    store.append("rfb.note", {"text": "leader absent"}, actor="a", key=KEY)


@pytest.fixture(params=["sqlite", "postgres"])
def tampered(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Store, Checkpoint, Tamper]]:
    """A filled store, its checkpoint, and a way to run SQL past its triggers."""
    if request.param == "sqlite":
        location = str(tmp_path / "office.db")

        def tamper(statements: list[str]) -> None:
            connection = sqlite3.connect(location, isolation_level=None)
            triggers = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in triggers.fetchall():
                connection.execute(f"DROP TRIGGER {name}")
            for statement in statements:
                connection.execute(statement)
            connection.close()

    else:
        import psycopg  # noqa: PLC0415

        location = request.getfixturevalue("pg_url")

        def tamper(statements: list[str]) -> None:
            with psycopg.connect(location, autocommit=True) as connection:
                connection.execute("SET session_replication_role = replica")  # no triggers
                for statement in statements:
                    connection.execute(statement.replace("%", "%%"))

    with open_store(location) as store:
        fill(store)
        checkpoint = log_checkpoint(store, KEY)
        assert store.verify_chain(KEY.public, checkpoints=[checkpoint]) == 11
        yield store, checkpoint, tamper


_OTHER = OTHER_KEY.public.raw.hex()
_DOC = "INSERT INTO documents (log_seq, kind, subject, draw_id, body, body_hash, hash_format) "

CASES: dict[str, tuple[list[str], str]] = {
    # edits
    "snapshot name": (["UPDATE populations SET name = 'T' WHERE name = 'S'"], r"populations row [0-9a-f]{64} .*its name"),
    "snapshot label": (["UPDATE populations SET labels = replace(labels, 'obj-01', 'obj-99')"], "populations row .*labels' digest"),
    "snapshot salt": (["UPDATE populations SET salt = '" + "5a" * 32 + "' WHERE name = 'S'"], "populations row .*labels' digest"),
    "snapshot size": (["UPDATE populations SET size = 19 WHERE name = 'S'"], "populations row .*its size"),
    "snapshot digest": (["UPDATE populations SET digest = '" + "00" * 32 + "' WHERE name = 'S'"], "populations row 0000.*its digest"),
    "snapshot entry": (["UPDATE populations SET log_seq = 3 WHERE name = 'S'"], "populations row .*a 'ceremony.announce' entry"),
    "population attribute": (["UPDATE populations SET attributes = replace(attributes, 'true', 'false')"], r"populations row .*\(audit log entry 2\).*attributes' hash"),
    "snapshot not json": (["UPDATE populations SET labels = 'not json' WHERE name = 'S'"], "populations row .*no longer JSON"),
    "event content": (["UPDATE ceremony_events SET event = replace(event, '09:07:00', '09:08:00') WHERE sequence = 3"], "ceremony_events row d-1/3.*event's hash"),
    "event hash": (["UPDATE ceremony_events SET event_hash = 'ab' WHERE sequence = 1"], "ceremony_events row d-1/1.*event hash"),
    "event kind": (["UPDATE ceremony_events SET kind = 'draw' WHERE sequence = 0"], "ceremony_events row d-1/0.*'ceremony.announce' entry"),
    "record content": (["UPDATE records SET record = replace(record, 'storage test office', 'another office')"], "records row d-1.*record's hash"),
    "record hash": (["UPDATE records SET record_hash = 'ab'"], "records row d-1.*its record hash"),
    "record status": (["UPDATE records SET status = 'aborted'"], "records row d-1.*its status"),
    "record supersedes": (["UPDATE records SET supersedes = 'd-1'"], "records row d-1.*supersedes"),
    "scope result": (["UPDATE draws SET result = replace(result, 'obj-', 'OBJ-')"], "draws row d-1/S.*differs from the one in the finalised record"),
    "scope digest": (["UPDATE draws SET population_digest = 'ab'"], "draws row d-1/S.*population digest"),
    "approval note": (["UPDATE approvals SET note = '不同意'"], "approvals row 8 .*its note"),
    "approval approver": (["UPDATE approvals SET approver = '李四'"], "approvals row 8 .*its approver"),
    "approval decision": (["UPDATE approvals SET decision = 'rejected'"], "approvals row 8 .*its decision"),
    "result penalty": (["UPDATE documents SET body = replace(body, '20000', '200') WHERE log_seq = 9"], "documents row 9 .*body's hash"),
    "result subject": (["UPDATE documents SET subject = 'obj-19' WHERE log_seq = 9"], "documents row 9 .*its subject"),
    "document kind": (["UPDATE documents SET kind = 'rfb.other' WHERE log_seq = 10"], "documents row 10 .*its kind"),
    "result draw": (["UPDATE documents SET draw_id = NULL WHERE log_seq = 9"], "documents row 9 .*its draw id"),
    "document hash": (["UPDATE documents SET body_hash = 'ab' WHERE log_seq = 10"], "documents row 10 .*its body hash"),
    "document entry": (["UPDATE documents SET log_seq = 99 WHERE log_seq = 10"], "documents row 99 .*does not exist"),
    "document format": (["UPDATE documents SET hash_format = 'legacy-json-sorted' WHERE log_seq = 10"], "documents row 10 .*a 'document' entry"),
    "office key": ([f"UPDATE office_keys SET public_key = '{_OTHER}'"], "office_keys row .*key id"),  # noqa: S608
    "log entry": (["UPDATE audit_log SET payload = replace(payload, '同意', '不同意') WHERE seq = 8"], "audit log entry 8 .*edited after it was written"),
    # deletions
    "snapshot deleted": (["DELETE FROM populations WHERE name = 'objects'"], r"audit log entry 2 \(population.snapshot of snapshot 'objects'.*not in table populations"),
    "event deleted": (["DELETE FROM ceremony_events WHERE sequence = 2"], r"audit log entry 5 \(ceremony.seed of draw 'd-1'.*not in table ceremony_events"),
    "record deleted": (["DELETE FROM draws", "DELETE FROM records"], r"audit log entry 7 \(draw.finalised of draw 'd-1'.*not in table records"),
    "scope deleted": (["DELETE FROM draws"], r"audit log entry 7 .*table draws has no row for its scope 'S'"),
    "approval deleted": (["DELETE FROM approvals"], r"audit log entry 8 \(approval of draw 'd-1'.*not in table approvals"),
    "result deleted": (["DELETE FROM documents WHERE log_seq = 9"], r"audit log entry 9 \(document of draw 'd-1'.*not in table documents"),
    "key deleted": (["DELETE FROM office_keys"], "audit log entry 1 .*not in office_keys"),
    "entry deleted": (["DELETE FROM audit_log WHERE seq = 5"], "audit log entry 6 .*expected entry 5 here"),
    "newest entry deleted": (["DELETE FROM audit_log WHERE seq = 11"], "the log has 10 entries, the checkpoint of .* says 11: entries were deleted"),
    "newest entries and row deleted": (["DELETE FROM documents WHERE log_seq = 10", "DELETE FROM audit_log WHERE seq >= 10"], "the log has 9 entries, the checkpoint .* says 11"),
    # insertions
    "document inserted": ([_DOC + "VALUES (12, 'inspection.result', 'obj-01', 'd-1', '{}', 'ab', 'jcs-sha256')"], "documents row 12 .*entry 12, which does not exist"),
    "approval inserted": (["INSERT INTO approvals (log_seq, draw_id, approver, role, decision, note) VALUES (11, 'd-1', '李四', '主任', 'approved', '')"], "approvals row 11 .*a 'rfb.note' entry"),
    "scope inserted": (["INSERT INTO draws (draw_id, scope, population_digest, result) VALUES ('d-1', 'T', 'ab', '{}')"], "draws row d-1/T.*has no result for this scope"),
    "import mark inserted": (["INSERT INTO log_imports (up_to_seq, head) SELECT seq, hash FROM audit_log WHERE seq = 9"], "populations row of audit log entry 1: the database was loaded from an export up to entry 9"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_tampering_is_found_and_named(
    tampered: tuple[Store, Checkpoint, Tamper], case: str
) -> None:
    store, checkpoint, tamper = tampered
    statements, reason = CASES[case]
    tamper(statements)
    with pytest.raises(VerificationError, match=reason):
        store.verify_chain(KEY.public, checkpoints=[checkpoint])


def test_the_newest_entries_need_the_checkpoint(tampered: tuple[Store, Checkpoint, Tamper]) -> None:
    """Without a checkpoint, a log cut short (its last rows with it) still looks whole: that is
    what the published checkpoint is for."""
    store, checkpoint, tamper = tampered
    tamper(["DELETE FROM documents WHERE log_seq = 10", "DELETE FROM audit_log WHERE seq >= 10"])
    assert store.verify_chain(KEY.public) == 9
    with pytest.raises(VerificationError, match="entries were deleted"):
        store.verify_chain(KEY.public, checkpoints=[checkpoint])
