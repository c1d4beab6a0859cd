"""The typed read model of ceremony v2 records (fairdraw.record): participants and their keys,
controllers, due times, witnesses' signatures, closings and who could have chosen the outcome.

The v2 records are real: made by :class:`fairdraw.Ceremony` with the office's secret, a witness
who holds their own key and secret (their statements made by ``make_witness``, ``make_commit``
and ``make_reveal`` and recorded by ``Ceremony.accept``), the leader's dice typed in by the
office before the reveals, and no beacon or the recorded quicknet drand round 657413. Each is
verified before it is read. The v1 record is ``tests/vectors/ceremony-v1.json``.
"""

from __future__ import annotations

import copy
import functools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from fairdraw import (
    Ceremony,
    CeremonyLog,
    DrawRecord,
    MalformedRecordError,
    Participant,
    Population,
    ScopePlan,
    SourceEntry,
    SteeringReport,
    Witnessing,
    event_hash,
    record_steering,
    verification_report,
)
from fairdraw.randomness.drand import DrandChain
from witness_steps import OFFICE_KEY, OFFICE_SECRET, WITNESS_KEY, witnessed_secrets

VECTORS = Path(__file__).parents[1] / "vectors"


def read_vector(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


V1_RECORD: dict[str, Any] = read_vector("ceremony-v1.json")["record"]
BEACON = next(
    {"round": b["round"], "signature": b["signature"]}
    for b in read_vector("drand/beacons.json")["beacons"]
    if b["chain"] == "quicknet" and b["round"] == 657413
)

ROLLS = [(i * 7 + 3) % 6 + 1 for i in range(50)]
POPULATION = Population.of([f"MAINT-{i:03d}" for i in range(20)])
WITNESS_ENTRY: dict[str, Any] = {
    "id": "witness",
    "role": "witness",
    "key": WITNESS_KEY.public.to_json(),
    "name": "李某",
    "organisation": "区司法局",
    "stand_in_for": "区人大代表",
}
PARTICIPANTS: list[dict[str, Any]] = [
    {"id": "office", "role": "office"},
    WITNESS_ENTRY,
    {"id": "leader", "role": "leader", "name": "王某"},
]
SOURCES: list[dict[str, Any]] = [
    {"id": "office-secret", "type": "local", "participant": "office"},
    {"id": "witness-secret", "type": "local", "participant": "witness"},
    {"id": "leader-dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6},
]
QUICKNET = DrandChain.quicknet()
DRAND: dict[str, Any] = {
    "id": "drand",
    "type": "drand",
    "chain": "quicknet",
    "chain_hash": QUICKNET.chain_hash.hex(),
    "round": 657413,
    "round_time": "2023-09-15T11:00:03Z",
}
START = {
    "no beacon": datetime(2026, 5, 12, 9, 0, tzinfo=UTC),
    "drand": datetime(2023, 9, 15, 9, 0, tzinfo=UTC),
}


@functools.cache
def _v2_record(beacon: str) -> dict[str, Any]:
    """A verified v2 record, ``beacon`` "no beacon" or "drand" (round 657413)."""
    t0, minute = START[beacon], timedelta(minutes=1)
    ceremony = Ceremony.announce(
        OFFICE_KEY,
        draw_id=f"readmodel-{t0:%Y-%m}",
        office="示例：西城区人防办（虚构）",
        scopes=[ScopePlan(scope="2026-05/MAINT", population=POPULATION, k=3, alternates=1)],
        participants=PARTICIPANTS,
        sources=[*SOURCES, *([DRAND] if beacon == "drand" else [])],
        commit_deadline=t0 + 30 * minute,
        reveal_deadline=t0 + 150 * minute,
        at=t0,
    )
    witnessed_secrets(
        ceremony,
        t0,
        lambda: ceremony.add_value("leader-dice", {"rolls": ROLLS}, at=t0 + 5 * minute),
    )
    later = t0 + 12 * minute
    if beacon == "drand":
        later = datetime(2023, 9, 15, 11, 0, 10, tzinfo=UTC)
        ceremony.add_value("drand", BEACON, at=later)
    ceremony.seed(at=later + minute)
    record = ceremony.draw({"2026-05/MAINT": POPULATION}, at=later + 2 * minute)
    report = verification_report(
        record, populations={"2026-05/MAINT": POPULATION}, public_key=OFFICE_KEY.public
    )
    assert report.passed, report.to_dict()
    return record


@functools.cache
def _office_alone() -> dict[str, Any]:
    """A v2 record of the office alone, with the reason it gives."""
    t0 = START["no beacon"]
    ceremony = Ceremony.announce(
        OFFICE_KEY,
        draw_id="readmodel-alone",
        office="示例：西城区人防办（虚构）",
        scopes=[ScopePlan(scope="2026-05/MAINT", population=POPULATION, k=3)],
        participants=[{"id": "office", "role": "office"}],
        sources=[SOURCES[0]],
        commit_deadline=t0 + timedelta(minutes=30),
        reveal_deadline=t0 + timedelta(hours=2),
        at=t0,
        single_party_reason="a rehearsal",
    )
    ceremony.commit_secret("office-secret", OFFICE_SECRET, at=t0 + timedelta(minutes=1))
    ceremony.reveal("office-secret", OFFICE_SECRET, at=t0 + timedelta(minutes=2))
    ceremony.seed(at=t0 + timedelta(minutes=3))
    return ceremony.draw({"2026-05/MAINT": POPULATION}, at=t0 + timedelta(minutes=4))


@pytest.fixture(params=["no beacon", "drand"])
def v2(request: pytest.FixtureRequest) -> dict[str, Any]:
    """A fresh copy of a v2 record, without and with a beacon."""
    return copy.deepcopy(_v2_record(request.param))


def kinds(record: DrawRecord) -> list[str]:
    return [e.kind for e in record.events]


def test_a_v2_record_reads_its_version_and_participants(v2: dict[str, Any]) -> None:
    record = DrawRecord.from_json(v2)
    assert (record.spec, record.version) == ("fairdraw/ceremony/v2", 2)
    assert record.log.spec == record.spec and record.log.version == 2
    announced = record.announcement
    assert announced.version == 2 and announced.single_party_reason is None
    assert [p.id for p in announced.participants] == ["office", "witness", "leader"]
    witness = announced.participant("witness")
    assert isinstance(witness, Participant)
    assert witness.key == WITNESS_KEY.public and witness.key_id == WITNESS_KEY.key_id
    assert (witness.role, witness.name, witness.organisation) == ("witness", "李某", "区司法局")
    assert witness.extra == {"stand_in_for": "区人大代表"}
    assert witness.raw == WITNESS_ENTRY and not witness.is_office
    office = announced.participant("office")
    assert office is not None and office.is_office
    assert office.key is None and office.key_id is None and office.name is None
    leader = announced.participant("leader")
    assert leader is not None and leader.key is None and leader.name == "王某"
    assert leader.extra == {}
    assert announced.participant("nobody") is None
    assert announced.witnesses == (witness,)


def test_a_v2_record_reads_each_sources_controllers_class_and_due_time(
    v2: dict[str, Any],
) -> None:
    announced = DrawRecord.from_json(v2).announcement
    read = {s.id: (s.controllers, s.source_class, s.due) for s in announced.sources}
    assert read["office-secret"] == (("office",), "secret", None)
    assert read["witness-secret"] == (("witness",), "secret", None)
    assert read["leader-dice"] == (("leader", "office"), "entered", None)
    raw = v2["events"][0]["event"]["body"]["sources"]
    assert [list(s.controllers) for s in announced.sources] == [s["controllers"] for s in raw]
    if "drand" in read:
        assert read["drand"] == (("drand",), "beacon", datetime(2023, 9, 15, 11, 0, 3, tzinfo=UTC))
        assert announced.source("drand") == announced.sources_of_type("drand")[0]
    assert announced.source("nothing") is None


def test_a_v2_record_reads_the_witnessing_signatures_and_closings(v2: dict[str, Any]) -> None:
    record = DrawRecord.from_json(v2)
    (seen,) = record.witnessings
    assert isinstance(seen, Witnessing)
    raw = v2["events"][1]["event"]["body"]
    assert seen.participant == "witness"
    assert seen.announcement == record.events[0].hash == event_hash(v2["events"][0])
    assert seen.time == raw["time"] and seen.signature == raw["signature"]
    beacon = "drand" if record.announcement.source("drand") else "no beacon"
    assert seen.seen_at == START[beacon] + timedelta(minutes=1)
    assert seen.event is record.events[1] and seen.event.kind == "witness"
    assert record.log.witnessings == record.witnessings
    before_reveals = CeremonyLog.from_json(v2["events"][:3])
    assert before_reveals.witnessings == record.witnessings
    signed = {(e.kind, e.body.get("source")): e.signed_by_participant for e in record.events}
    assert signed[("witness", None)] == "witness"
    assert signed[("commit", "witness-secret")] == signed[("reveal", "witness-secret")] == "witness"
    assert signed[("commit", "office-secret")] is None
    assert signed[("reveal", "office-secret")] is None
    assert signed[("randomness", "leader-dice")] is None
    assert signed.get(("randomness", "drand")) is None
    assert signed[("announce", None)] is signed[("seed", None)] is signed[("draw", None)] is None
    first_reveal = kinds(record).index("reveal")
    closings = {e.closing for e in record.events if e.kind == "reveal"}
    assert closings == {record.events[first_reveal - 1].hash}
    assert all(e.closing is None for e in record.events if e.kind != "reveal")


def test_a_v2_record_says_who_could_have_chosen_its_outcome(v2: dict[str, Any]) -> None:
    record = DrawRecord.from_json(v2)
    steering = record.steering
    assert isinstance(steering, SteeringReport)
    assert steering == record_steering(v2)
    assert steering.status == "passed" and steering.witnesses == ("witness",)
    assert steering.announcement == record.events[0].hash
    assert ("witness",) not in steering.coalitions and ("office",) not in steering.coalitions
    assert steering.to_dict()["status"] == "passed" and steering.sentence("en")
    report = verification_report(
        v2, populations={"2026-05/MAINT": POPULATION}, public_key=OFFICE_KEY.public
    )
    assert report.steering == steering


def test_a_ceremony_the_office_alone_could_steer_reads_its_reason() -> None:
    record = DrawRecord.from_json(_office_alone())
    assert record.announcement.single_party_reason == "a rehearsal"
    assert record.announcement.witnesses == () and record.witnessings == ()
    assert record.announcement.sources[0].controllers == ("office",)
    steering = record.steering
    assert steering.status == "failed" and steering.alone == ("office",)
    assert steering.single_party_reason == "a rehearsal"


def test_a_v1_record_reads_every_new_property() -> None:
    record = DrawRecord.from_json(V1_RECORD)
    assert (record.spec, record.version) == ("fairdraw/ceremony/v1", 1)
    announced = record.announcement
    assert announced.version == 1 and announced.single_party_reason is None
    assert [(p.id, p.role, p.key, p.key_id) for p in announced.participants] == [
        ("office", "office", None, None),
        ("leader", "leader", None, None),
    ]
    leader = announced.participant("leader")
    assert leader is not None and leader.name is None and leader.organisation is None
    assert leader.extra == {}
    assert announced.witnesses == ()
    read = {s.id: (s.controllers, s.source_class, s.due) for s in announced.sources}
    assert read == {
        "office-secret": (("office",), "secret", None),
        "leader-dice": (("leader", "office"), "entered", None),
        "drand": (("drand",), "beacon", datetime(2023, 9, 15, 11, 0, 3, tzinfo=UTC)),
    }
    assert record.witnessings == () and record.log.witnessings == ()
    assert all(e.signed_by_participant is None and e.closing is None for e in record.events)
    assert all(e.version == 1 for e in record.events)
    steering = record.steering
    assert steering == record_steering(V1_RECORD)
    assert steering.witnesses == () and steering.status == "not checked"


def test_a_v1_public_record_is_due_on_its_day_and_controlled_by_the_record() -> None:
    entry = {"id": "lottery", "type": "public-record", "description": "福彩3D", "draws": 1}
    v1 = SourceEntry.from_json({**entry, "date": "2026-05-13", "bits": 9}, version=1)
    assert v1.due == datetime(2026, 5, 13, tzinfo=UTC)
    assert v1.controllers == ("public-record:lottery",) and v1.source_class == "beacon"
    v2 = {**entry, "publisher": "福彩中心", "time": "2026-05-13T12:30:00Z", "bits": 9}
    named = SourceEntry.from_json({**v2, "controllers": ["福彩中心"]}, version=2)
    assert named.due == datetime(2026, 5, 13, 12, 30, tzinfo=UTC)
    assert named.controllers == ("福彩中心",)
    assert SourceEntry.from_json(v2).controllers == ("福彩中心",)  # by the rule
    keyed = {"id": "dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6}
    assert SourceEntry.from_json(keyed, keyed={"leader"}).controllers == ("leader",)
    assert SourceEntry.from_json(keyed, keyed={"leader"}, version=1).controllers == (
        "leader",
        "office",
    )


def at(record: dict[str, Any], path: tuple[Any, ...]) -> tuple[Any, Any]:
    """The holder of the member at ``path`` (``("events", 1, "time")`` is in the body of
    event 1; ``("participants", "witness", "key")`` and ``("sources", "drand", "round_time")``
    are in the announcement's entry of that id), and the member's name."""
    body = record["events"][0]["event"]["body"]
    head, *rest = path
    if head == "events":
        holder = record["events"][rest[0]]["event"]["body"]
        rest = rest[1:]
    elif head in {"participants", "sources"}:
        holder = next(entry for entry in body[head] if entry["id"] == rest[0])
        rest = rest[1:]
    elif head == "record":
        holder = record
    else:
        holder, rest = body, [head, *rest]
    for step in rest[:-1]:
        holder = holder[step]
    return holder, rest[-1]


DELETE = object()
MALFORMED = [
    (("participants", "witness", "key", "public_key"), "zz", r"\[witness\]\.key\.public_key"),
    (("participants", "witness", "key", "key_id"), "00" * 32, r"key\.key_id: not the SHA-256"),
    (("participants", "witness", "key", "algorithm"), "rsa", r"key\.algorithm: not ed25519"),
    (("participants", "witness", "key"), [], r"participants\[witness\]\.key: wrong type"),
    (("participants", "leader", "key"), DELETE, r"participants\[leader\]: no member 'key'"),
    (("participants", "witness", "name"), 3, r"\[witness\]\.name: wrong type \(int\)"),
    (("participants", "leader", "role"), DELETE, r"\[leader\]: no member 'role'"),
    (("sources", "office-secret", "controllers"), DELETE, r"no member 'controllers'"),
    (("sources", "leader-dice", "controllers"), ["office", 1], r"controllers: not a list of str"),
    (("sources", "leader-dice", "type"), "coin", r"leader-dice\]\.type: unknown source type"),
    (("single_party_reason",), DELETE, r"announcement: no member 'single_party_reason'"),
    (("single_party_reason",), 5, r"announcement\.single_party_reason: wrong type \(int\)"),
    (("events", 1, "time"), "yesterday", r"event 1 \(witness\)\.time must look like"),
    (("events", 1, "signature"), None, r"event 1 \(witness\)\.signature: wrong type"),
    (("events", 1, "announcement"), DELETE, r"event 1 \(witness\): no member 'announcement'"),
    (("events", 2, "signature"), 5, r"event 2 \(commit\)\.signature: wrong type \(int\)"),
    (("events", 2, "signature"), DELETE, r"event 2 \(commit\): no member 'signature'"),
    (("events", 2, "participant"), DELETE, r"event 2 \(commit\): no member 'participant'"),
    (("events", 5, "closing"), DELETE, r"event 5 \(reveal\): no member 'closing'"),
    (("events", 6, "closing"), 7, r"event 6 \(reveal\)\.closing: wrong type \(int\)"),
    (("record", "spec"), "fairdraw/ceremony/v9", r"record\.spec: not a fairdraw ceremony spec"),
    (("record", "spec"), "fairdraw/ceremony/v1", r"record\.spec: .*announcement follows"),
    (("record", "events", 3, "event", "spec"), DELETE, r"no member 'spec'"),
]


@pytest.mark.parametrize(("path", "value", "message"), MALFORMED)
def test_a_malformed_v2_member_is_named(
    v2: dict[str, Any], path: tuple[Any, ...], value: object, message: str
) -> None:
    holder, name = at(v2, path)
    if value is DELETE:
        del holder[name]
    else:
        holder[name] = value
    with pytest.raises(MalformedRecordError, match=message):
        DrawRecord.from_json(v2)


def test_a_malformed_drand_due_time_is_named() -> None:
    record = copy.deepcopy(_v2_record("drand"))
    holder, name = at(record, ("sources", "drand", "round_time"))
    holder[name] = "soon"
    with pytest.raises(MalformedRecordError, match=r"sources\[drand\]\.round_time: not an RFC"):
        DrawRecord.from_json(record)
    with pytest.raises(MalformedRecordError, match=r"source\[drand\]: no member 'round_time'"):
        SourceEntry.from_json({"id": "drand", "type": "drand", "chain": "quicknet"})


def test_a_v1_record_with_a_malformed_member_is_named() -> None:
    broken = copy.deepcopy(V1_RECORD)
    broken["events"][0]["event"]["body"]["participants"][1]["key"] = {"algorithm": "ed25519"}
    with pytest.raises(MalformedRecordError, match=r"\[leader\]\.key: no member 'public_key'"):
        DrawRecord.from_json(broken)
    lottery = {"id": "lottery", "type": "public-record", "description": "x", "draws": 1}
    with pytest.raises(MalformedRecordError, match=r"\[lottery\]\.date: not a YYYY-MM-DD"):
        SourceEntry.from_json({**lottery, "date": "13 May", "bits": 9}, version=1)
    with pytest.raises(MalformedRecordError, match=r"\[lottery\]\.date: not a real date"):
        SourceEntry.from_json({**lottery, "date": "2026-02-30", "bits": 9}, version=1)
    with pytest.raises(MalformedRecordError, match=r"\[lottery\]: no member 'time'"):
        SourceEntry.from_json(
            {**lottery, "date": "2026-05-13", "bits": 9, "controllers": ["x"]}, version=2
        )
    with pytest.raises(MalformedRecordError, match=r"\[dice\]: no member 'participant'"):
        SourceEntry.from_json({"id": "dice", "type": "dice"}, version=1)


def test_steering_that_cannot_be_read_is_malformed(v2: dict[str, Any]) -> None:
    v2["events"][3]["event"]["time"] = "later"
    record = DrawRecord.from_json(v2)  # the read model reads an event's time as a string
    with pytest.raises(MalformedRecordError, match="who could have chosen the outcome"):
        record.steering  # noqa: B018


def test_a_witnessing_is_read_only_from_a_witness_event(v2: dict[str, Any]) -> None:
    record = DrawRecord.from_json(v2)
    with pytest.raises(MalformedRecordError, match=r"event 2 \(commit\): not a witness"):
        Witnessing.from_event(record.events[2])
