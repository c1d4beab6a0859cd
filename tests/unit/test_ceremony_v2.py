"""Ceremony v2 as the office runs it: who may act for whom, and what a re-signed record with a
forged step still shows (ceremony spec v2, sections 3, 4 and 7)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import Population, make_commit, make_dice, make_reveal, make_witness
from fairdraw.ceremony import Ceremony, ScopePlan, verification_report
from fairdraw.ceremony.events import event_hash, record_payload, sign_event
from fairdraw.ceremony.report import STEERING
from fairdraw.errors import CeremonyError
from fairdraw.randomness.drand import DrandChain
from fairdraw.signing import OfficeKey

KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
WITNESS = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(2, 34))))
LEADER = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(3, 35))))
CHAIN = DrandChain.named("quicknet")
BEACON = next(
    b
    for b in json.loads(
        (Path(__file__).parents[1] / "vectors" / "drand" / "beacons.json").read_text()
    )["beacons"]
    if b["chain"] == "quicknet" and b["round"] == 657413
)
DUE = CHAIN.time_of_round(657413)
START = DUE - timedelta(minutes=10)
POPULATION = Population.of([f"obj-{i:02d}" for i in range(20)])
ROLLS = [(i * 5) % 6 + 1 for i in range(50)]


def announce(*, leader_key: bool) -> Ceremony:
    leader: dict[str, Any] = {"id": "leader", "role": "主管领导", "name": "王主任"}
    if leader_key:
        leader["key"] = LEADER.public.to_json()
    return Ceremony.announce(
        KEY,
        draw_id="v2-test",
        office="西城区人防办",
        scopes=[ScopePlan(scope="S", population=POPULATION, k=3)],
        participants=[
            {"id": "office", "role": "执法宣传科"},
            leader,
            {"id": "w", "role": "见证人", "name": "李某", "key": WITNESS.public.to_json()},
        ],
        sources=[
            {"id": "office-secret", "type": "local", "participant": "office"},
            {"id": "w-secret", "type": "local", "participant": "w"},
            {"id": "dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6},
            CHAIN.source_entry("drand", 657413),
        ],
        commit_deadline=START + timedelta(minutes=4),
        reveal_deadline=START + timedelta(minutes=8),
        at=START,
    )


def drawn(*, leader_key: bool) -> dict[str, Any]:
    """A whole v2 ceremony: witness, commitments, dice, reveals, the recorded drand round."""
    ceremony = announce(leader_key=leader_key)
    first = ceremony.events[0]
    at = START + timedelta(seconds=10)
    ceremony.accept(make_witness(WITNESS, first, "w", at=at), at=at)
    ceremony.commit_secret("office-secret", b"\x01" * 32, at=at)
    ceremony.accept(make_commit(WITNESS, first, "w", "w-secret", b"\x02" * 32), at=at)
    if leader_key:
        ceremony.accept(make_dice(LEADER, first, "leader", "dice", ROLLS), at=at)
    else:
        ceremony.add_value("dice", {"rolls": ROLLS}, at=at)
    ceremony.reveal("office-secret", b"\x01" * 32, at=at)
    ceremony.accept(make_reveal(WITNESS, ceremony.events, "w", "w-secret", b"\x02" * 32), at=at)
    value = {"round": BEACON["round"], "signature": BEACON["signature"]}
    ceremony.add_value("drand", value, at=DUE)
    ceremony.seed(at=DUE)
    return ceremony.draw({"S": POPULATION}, at=DUE)


def resigned(record: dict[str, Any], index: int, body: dict[str, Any]) -> dict[str, Any]:
    """The record with event ``index``'s body replaced, and every link and signature from there
    on made again with the office's key: only what the office alone cannot forge shows."""
    events = [dict(e) for e in record["events"]]
    for n in range(index, len(events)):
        event = dict(events[n]["event"])
        if n == index:
            event["body"] = body
        event["previous"] = event_hash(events[n - 1])
        events[n] = sign_event(KEY, event)
    payload = record_payload(record["draw_id"], events)
    return {**payload, "key_id": KEY.key_id, "signature": KEY.sign("record", payload).hex()}


def statuses(record: dict[str, Any]) -> dict[str, str]:
    report = verification_report(record, populations={"S": POPULATION}, public_key=KEY.public)
    return {c.name: c.status for c in report.checks}


@pytest.mark.parametrize("leader_key", [False, True])
def test_a_witnessed_v2_ceremony_passes_and_names_who_would_collude(leader_key: bool) -> None:
    report = verification_report(
        drawn(leader_key=leader_key), populations={"S": POPULATION}, public_key=KEY.public
    )
    assert report.passed, report.to_dict()
    assert report.steering is not None and not report.steering.alone
    expected = (("office", "leader", "w"),) if leader_key else (("office", "w"),)
    assert report.steering.coalitions[: len(expected)] == expected


def test_the_office_cannot_type_a_keyed_leaders_dice() -> None:
    ceremony = announce(leader_key=True)
    first = ceremony.events[0]
    at = START + timedelta(seconds=10)
    ceremony.commit_secret("office-secret", b"\x01" * 32, at=at)
    ceremony.accept(make_commit(WITNESS, first, "w", "w-secret", b"\x02" * 32), at=at)
    with pytest.raises(CeremonyError, match="holds their own key"):
        ceremony.add_value("dice", {"rolls": ROLLS}, at=at)
    with pytest.raises(CeremonyError, match="holds their own key"):
        ceremony.reveal("w-secret", b"\x02" * 32, at=at)


def test_dice_of_a_keyed_leader_typed_by_the_office_fail_even_re_signed() -> None:
    """Regression: an entered value with neither participant nor signature passed the
    statements check though the announcement gave the roller a key (so the analysis took the
    dice to be the leader's alone)."""
    record = drawn(leader_key=True)
    index = next(
        n for n, e in enumerate(record["events"]) if e["event"]["body"].get("source") == "dice"
    )
    body = {**record["events"][index]["event"]["body"], "participant": None, "signature": None}
    found = statuses(resigned(record, index, body))
    assert found["participants' signed statements"] == "failed"


def test_a_reveal_before_the_dice_fails_the_order_even_re_signed() -> None:
    record = drawn(leader_key=False)
    events = record["events"]
    kinds = [e["event"]["kind"] for e in events]
    dice, reveal = kinds.index("randomness"), kinds.index("reveal")
    swapped = [*events[:dice], events[reveal], events[dice], *events[reveal + 1 :]]
    forged = {**record, "events": swapped}
    for n in range(dice, len(swapped)):  # renumber, relink, re-sign
        event = {**swapped[n]["event"], "sequence": n, "previous": event_hash(swapped[n - 1])}
        swapped[n] = sign_event(KEY, event)
    payload = record_payload(record["draw_id"], swapped)
    forged = {**payload, "key_id": KEY.key_id, "signature": KEY.sign("record", payload).hex()}
    found = statuses(forged)
    assert found["order of the events"] == "failed"
    assert found["record signature"] == "passed" and found["event signatures and hash chain"] == (
        "passed"
    )


def test_without_a_witness_the_office_alone_could_have_re_announced() -> None:
    ceremony = Ceremony.announce(
        KEY, draw_id="v2-alone", office="西城区人防办",
        scopes=[ScopePlan(scope="S", population=POPULATION, k=3)],
        participants=[{"id": "office", "role": "执法宣传科"}, {"id": "leader", "role": "主管领导"}],
        sources=[
            {"id": "office-secret", "type": "local", "participant": "office"},
            {"id": "dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6},
            CHAIN.source_entry("drand", 657413),
        ],
        commit_deadline=START + timedelta(minutes=4), reveal_deadline=START + timedelta(minutes=8),
        at=START,
    )  # fmt: skip
    at = START + timedelta(seconds=10)
    ceremony.commit_secret("office-secret", b"\x01" * 32, at=at)
    ceremony.add_value("dice", {"rolls": ROLLS}, at=at)
    ceremony.reveal("office-secret", b"\x01" * 32, at=at)
    ceremony.add_value("drand", {"round": 657413, "signature": BEACON["signature"]}, at=DUE)
    ceremony.seed(at=DUE)
    report = verification_report(
        ceremony.draw({"S": POPULATION}, at=DUE), populations={"S": POPULATION},
        public_key=KEY.public,
    )  # fmt: skip
    assert [c.name for c in report.unchecked] == [STEERING] and not report.failed
    assert report.steering is not None
    assert report.steering.recorded == (("office", "drand"),)
    assert report.steering.alone == ("office",)
    assert "北京时间" in report.steering.sentence("zh")


def test_an_office_alone_needs_a_reason_and_then_fails() -> None:
    arguments: dict[str, Any] = {
        "draw_id": "v2-dice", "office": "西城区人防办",
        "scopes": [ScopePlan(scope="S", population=POPULATION, k=3)],
        "participants": [{"id": "leader", "role": "主管领导"}],
        "sources": [
            {"id": "dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6}
        ],
        "commit_deadline": START + timedelta(minutes=4),
        "reveal_deadline": START + timedelta(minutes=8), "at": START,
    }  # fmt: skip
    with pytest.raises(
        CeremonyError, match="office or leader could choose this draw's outcome alone"
    ):
        Ceremony.announce(KEY, **arguments)
    ceremony = Ceremony.announce(KEY, single_party_reason="无见证人，机关自行抽取", **arguments)
    ceremony.add_value("dice", {"rolls": ROLLS}, at=START + timedelta(minutes=1))
    ceremony.seed(at=START + timedelta(minutes=1))
    record = ceremony.draw({"S": POPULATION}, at=START + timedelta(minutes=1))
    report = verification_report(record, populations={"S": POPULATION}, public_key=KEY.public)
    assert [c.name for c in report.failures] == [STEERING]
    # the office types the rolls, the leader rolls them: either could pick them
    assert report.steering is not None and report.steering.alone == ("office", "leader")
    assert "无见证人，机关自行抽取" in report.steering.sentence("zh")
