"""The typed read model of draw records (fairdraw.record), on the ceremony vector."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from fairdraw import DrawRecord, MalformedRecordError, event_hash
from fairdraw.record import CeremonyLog

VECTOR: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "ceremony-v1.json").read_text(encoding="utf-8")
)
RECORD = VECTOR["record"]


def test_reads_every_part_of_the_vector_record() -> None:
    record = DrawRecord.from_json(RECORD)
    assert record.draw_id == "vector-2023-09"
    assert record.status == "drawn"
    assert record.abort_reason is None
    assert record.seed == RECORD["events"][5]["event"]["body"]["seed"]
    announced = record.announcement
    assert [s.scope for s in announced.scopes] == [
        s["scope"] for s in RECORD["events"][0]["event"]["body"]["scopes"]
    ]
    assert announced.key_id == RECORD["key_id"]
    assert announced.policy == {}
    assert announced.supersedes is None
    assert [s.id for s in announced.sources_of_type("dice")] == ["leader-dice"]
    maint = record.result("2023-09/MAINT")
    assert maint is not None
    assert maint.population_size == 60
    assert len(maint.labels) == 9 and maint.selected[0].rank == 1
    assert record.events[0].kind == "announce"
    assert record.events[1].hash == event_hash(RECORD["events"][1])
    assert record.to_json() is RECORD


def test_an_aborted_log_and_an_open_one() -> None:
    events = RECORD["events"][:3]
    assert CeremonyLog.from_json(events).status == "open"
    aborted = copy.deepcopy(events)
    aborted.append({**copy.deepcopy(events[-1])})
    aborted[-1]["event"]["kind"] = "abort"
    aborted[-1]["event"]["body"] = {"reason": "why"}
    log = CeremonyLog.from_json(aborted)
    assert log.status == "aborted"
    assert log.last.kind == "abort"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("draw_id",), "record: no member 'draw_id'"),
        (("events",), "record: no member 'events'"),
        (("events", 0, "event", "body", "scopes"), "announcement: no member 'scopes'"),
        (("events", 0, "event", "body", "deadlines"), "announcement: no member 'deadlines'"),
        (("events", 6, "event", "body", "results"), "draw event: no member 'results'"),
        (("events", 5, "event", "body", "seed"), "seed event: no member 'seed'"),
    ],
)
def test_a_missing_member_is_named(path: tuple[Any, ...], message: str) -> None:
    broken = copy.deepcopy(RECORD)
    holder = broken
    for step in path[:-1]:
        holder = holder[step]
    del holder[path[-1]]
    with pytest.raises(MalformedRecordError, match=message):
        DrawRecord.from_json(broken)


def test_a_member_of_the_wrong_type_is_named() -> None:
    broken = copy.deepcopy(RECORD)
    broken["events"][6]["event"]["body"]["results"][0]["selected"][0]["rank"] = "1"
    with pytest.raises(MalformedRecordError, match=r"selected.rank: wrong type \(str\)"):
        DrawRecord.from_json(broken)
    broken = copy.deepcopy(RECORD)
    broken["events"][0]["event"]["body"]["policy"] = {"groups": 3}
    with pytest.raises(MalformedRecordError, match="policy: every member must be a string"):
        DrawRecord.from_json(broken)
    with pytest.raises(MalformedRecordError, match="not a JSON object"):
        DrawRecord.from_json([])


def test_a_beacon_source_reads_its_chain_and_round() -> None:
    announced = DrawRecord.from_json(RECORD).announcement
    (drand,) = announced.sources_of_type("drand")
    raw = next(s for s in RECORD["events"][0]["event"]["body"]["sources"] if s["type"] == "drand")
    assert drand.chain == raw["chain"] and drand.round == raw["round"] == 657413
    assert drand.round_time == raw["round_time"]
    assert drand.to_json() == raw
    (dice,) = announced.sources_of_type("dice")
    assert dice.chain is None and dice.round is None and dice.get("count") == 50
