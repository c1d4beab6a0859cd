"""A tool's own documents and the store's typed queries, on both adapters (a real SQLite file
and the real PostgreSQL server)."""

from __future__ import annotations

import hashlib

import pytest
import rfc8785

from fairdraw import (
    CeremonyLog,
    Document,
    DrawRecord,
    FinalisedDraw,
    InputError,
    Population,
    Snapshot,
    StorageError,
)
from fairdraw.storage import Store, document_hash
from storage_helpers import KEY, POPULATION, make_record

RESULT = {"category": "未发现问题", "items": ["MAINT", "USE"], "late": False}
RESULT_HASH = "7aacbc468cb018f6becd8191bf6837b69257a9438456b778092282312beda82d"
"""``H("fairdraw/v1/document" 0x00 ‖ JCS(RESULT))``, also in the audit log spec."""


def drawn_label(record: dict[str, object], *, alternate: bool = False) -> str:
    """A label the record's draw selected (or an alternate)."""
    result = DrawRecord.from_json(record).results[0]
    return (result.alternate_labels if alternate else result.labels)[0]


def test_document_hash_is_tagged_canonical_json() -> None:
    canonical = rfc8785.dumps(RESULT)
    assert hashlib.sha256(b"fairdraw/v1/document\x00" + canonical).hexdigest() == RESULT_HASH
    assert document_hash(RESULT) == RESULT_HASH
    assert document_hash({"late": False, "items": ["MAINT", "USE"], **RESULT}) == RESULT_HASH
    assert document_hash({**RESULT, "late": True}) != RESULT_HASH


def test_a_document_is_kept_logged_and_read_back(any_store: Store) -> None:
    kept = any_store.add_document(
        "rfb.availability", "2026-12/工程管理科", {"available": ["张三"]}, actor="科长", key=KEY
    )
    entry = any_store.entries()[-1]
    assert entry.kind == "document"
    assert entry.payload == {
        "kind": "rfb.availability",
        "subject": "2026-12/工程管理科",
        "draw_id": None,
        "body_hash": document_hash({"available": ["张三"]}),
    }
    assert kept == Document(
        seq=entry.seq,
        time=entry.time,
        actor="科长",
        kind="rfb.availability",
        subject="2026-12/工程管理科",
        draw_id=None,
        body={"available": ["张三"]},
        body_hash=entry.payload["body_hash"],
    )
    assert any_store.documents("rfb.availability") == [kept]
    assert any_store.documents("rfb.availability", subject="2026-11/工程管理科") == []
    assert any_store.documents("inspection.result") == []
    with pytest.raises(TypeError):
        kept.body["available"] = []  # type: ignore[index]
    assert any_store.verify_chain(KEY.public) == 1


def test_documents_of_a_draw_keep_their_history(any_store: Store) -> None:
    record = make_record("2026-05")
    picked, alternate = drawn_label(record), drawn_label(record, alternate=True)
    with pytest.raises(StorageError, match=r"'2026-05' is not finalised as drawn.*obj-"):
        any_store.add_document(
            "inspection.result", picked, RESULT, draw_id="2026-05", actor="组1", key=KEY
        )
    any_store.finalise(record, actor="officer A", key=KEY)
    first = any_store.add_document(
        "inspection.result",
        picked,
        {"category": "发现问题已责令改正"},
        draw_id="2026-05",
        actor="组1",
        key=KEY,
    )
    corrected = any_store.add_document(
        "inspection.result", picked, RESULT, draw_id="2026-05", actor="组1", key=KEY
    )
    other = any_store.add_document(
        "inspection.result", alternate, RESULT, draw_id="2026-05", actor="组2", key=KEY
    )
    unrelated = any_store.add_document("inspection.note", picked, {"n": 1}, actor="a", key=KEY)
    assert corrected.body_hash == RESULT_HASH
    assert any_store.documents("inspection.result") == [first, corrected, other]
    assert any_store.documents("inspection.result", subject=picked) == [first, corrected]
    assert any_store.documents("inspection.result", draw_id="2026-05", subject=alternate) == [other]
    assert any_store.documents("inspection.result", draw_id="2026-06") == []
    assert any_store.documents("inspection.note", draw_id="2026-05") == []
    assert any_store.documents("inspection.note") == [unrelated]
    assert [d.seq for d in any_store.documents("inspection.result")] == [2, 3, 4]


def test_a_document_of_an_aborted_draw_is_refused(any_store: Store) -> None:
    any_store.finalise(make_record("2026-05", abort=True), actor="officer A", key=KEY)
    with pytest.raises(StorageError, match="not finalised as drawn"):
        any_store.add_document(
            "inspection.result", "obj-01", RESULT, draw_id="2026-05", actor="a", key=KEY
        )
    assert [e.kind for e in any_store.entries()] == ["draw.finalised"]


@pytest.mark.parametrize(
    ("kind", "subject", "body", "message"),
    [
        ("result", "obj-01", RESULT, "namespaced"),
        ("Inspection.Result", "obj-01", RESULT, "namespaced"),
        ("inspection.", "obj-01", RESULT, "namespaced"),
        ("inspection.result", "  ", RESULT, "subject"),
        ("inspection.result", "obj-01", ["not", "an", "object"], "JSON object"),
        ("inspection.result", "obj-01", {"score": 1.5}, "obj-01.*floating-point"),
        ("inspection.result", "obj-01", {1: "a non-string key"}, "obj-01"),
    ],
)
def test_malformed_documents_are_refused_and_not_logged(
    any_store: Store, kind: str, subject: str, body: object, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        any_store.add_document(kind, subject, body, actor="a", key=KEY)  # type: ignore[arg-type]
    assert any_store.entries() == []


def test_snapshots_by_name(any_store: Store) -> None:
    salted = Population.of(["x", "y"], salt="5a" * 32)
    any_store.save_population(POPULATION, name="2026-05/MAINT", actor="a", key=KEY)
    any_store.save_population(salted, name="2026-05/CONF", actor="a", key=KEY)
    any_store.save_population(Population.of(["z"]), name="2026-05/MAINT", actor="a", key=KEY)
    entries = any_store.entries()
    assert any_store.snapshots("2026-05/CONF") == [
        Snapshot(
            name="2026-05/CONF",
            digest=salted.digest_hex,
            size=2,
            salted=True,
            seq=2,
            time=entries[1].time,
        )
    ]
    maint = any_store.snapshots("2026-05/MAINT")
    assert [(s.digest, s.size, s.salted, s.seq) for s in maint] == [
        (POPULATION.digest_hex, 20, False, 1),
        (Population.of(["z"]).digest_hex, 1, False, 3),
    ]
    names = [s.name for s in any_store.snapshots()]
    assert names == ["2026-05/MAINT", "2026-05/CONF", "2026-05/MAINT"]
    assert any_store.snapshots("2026-06/MAINT") == []


def test_finalised_draws_in_log_order(any_store: Store) -> None:
    assert any_store.finalised_draws() == []
    any_store.finalise(make_record("2026-05", abort=True), actor="a", key=KEY)
    any_store.append("note", {"text": "leader absent"}, actor="a", key=KEY)
    redraw = make_record(
        "2026-05-b",
        supersedes={"draw_id": "2026-05", "reason": "leader absent", "approver": "director"},
    )
    any_store.finalise(redraw, actor="a", key=KEY)
    entries = any_store.entries()
    assert any_store.finalised_draws() == [
        FinalisedDraw("2026-05", "aborted", None, ("S",), 1, entries[0].time),
        FinalisedDraw("2026-05-b", "drawn", "2026-05", ("S",), 3, entries[2].time),
    ]


def test_unfinished_ceremonies_and_typed_records(any_store: Store) -> None:
    done, open_ = make_record("2026-05"), make_record("2026-06")
    for signed in done["events"]:
        any_store.record_event(signed, actor="a", key=KEY)
    for signed in open_["events"][:2]:
        any_store.record_event(signed, actor="a", key=KEY)
    assert [c.draw_id for c in any_store.unfinished_ceremonies()] == ["2026-05", "2026-06"]
    any_store.finalise(done, actor="a", key=KEY)
    (unfinished,) = any_store.unfinished_ceremonies()
    assert unfinished == CeremonyLog.from_json(open_["events"][:2])
    assert unfinished.status == "open" and len(unfinished.events) == 2
    assert any_store.ceremony("2026-06") == unfinished
    assert any_store.ceremony("2026-07") is None
    typed = any_store.draw_record("2026-05")
    assert typed.raw == any_store.record("2026-05") == done
    assert typed.status == "drawn" and typed.results[0].labels[0] == drawn_label(done)
    with pytest.raises(StorageError, match="no record for draw '2026-06'"):
        any_store.draw_record("2026-06")
