"""A whole month on the example data: one fairdraw ceremony, verified, read back into groups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import DrawRecord, OfficeKey, PolicyError, Population, verify_record
from rfb_policy.ceremony.announce import announce_month, month_scopes
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.files.directories import read_inspectors, read_objects
from rfb_policy.month import Month
from rfb_policy.rules.groups import GroupRules
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import month_plan

EXAMPLE = Path(__file__).parents[1] / "examples" / "xicheng"
OBJECTS = read_objects(EXAMPLE / "objects.csv")
INSPECTORS = read_inspectors(EXAMPLE / "inspectors.csv")
CATALOGUE = Catalogue.bundled()
KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
SALT = bytes(range(100, 132))
DAY = date(2026, 11, 3)
NOVEMBER = Month(2026, 11)
START = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


def run_month(available: list[str]) -> dict[str, object]:
    plan = month_plan(2026, 11, OBJECTS, CATALOGUE, {})
    scopes = month_scopes(
        NOVEMBER, plan, CATALOGUE, INSPECTORS, available=available, draw_day=DAY, salt=SALT
    )
    ceremony = announce_month(
        KEY, draw_id="xicheng-2026-11", office="西城区人防办（示例）", scopes=scopes,
        catalogue=CATALOGUE, start=START,
    )  # fmt: skip
    secret = bytes(range(32))
    ceremony.commit_secret("office-secret", secret, at=START + timedelta(minutes=1))
    ceremony.reveal("office-secret", secret, at=START + timedelta(minutes=20))
    rolls = [(n * 5) % 6 + 1 for n in range(50)]
    ceremony.add_value("leader-dice", {"rolls": rolls}, at=START + timedelta(minutes=21))
    ceremony.seed(at=START + timedelta(minutes=22))
    populations = {scope.scope: scope.population for scope in scopes}
    record = ceremony.draw(populations, at=START + timedelta(minutes=23))
    report = verify_record(record, populations=populations, public_key=KEY.public)
    assert report.passed and all(c.status == "passed" for c in report.checks), report.to_dict()
    return {"record": record, "plan": plan, "scopes": scopes}


def test_a_month_is_one_verifiable_ceremony() -> None:
    available = [i.certificate for i in INSPECTORS]
    month = run_month(available)
    record = month["record"]
    result = MonthRecord.from_json(record).outcome(INSPECTORS, draw_day=DAY)
    plan = month["plan"]
    for quota in plan.quotas:  # type: ignore[attr-defined]
        if quota.quota:
            assert len(result.drawn[quota.scope]) == quota.quota
            assert set(result.drawn[quota.scope]) <= set(quota.eligible)
    assert len(result.groups) == 3 and all(len(g.members) == 2 for g in result.groups)
    dealt = [o for ids in result.assignment.objects for o in ids]
    assert len(dealt) == len(set(dealt)), "an object drawn for two items is visited once"
    assert set(dealt) == {o for ids in result.drawn.values() for o in ids}
    conflicts = {i.certificate: set(i.conflicts) for i in INSPECTORS}
    for group, ids in zip(result.assignment.groups, result.assignment.objects, strict=True):
        assert not any(conflicts[m] & set(ids) for m in group.members)


def test_confidential_totals_stay_out_of_the_record() -> None:
    """MAINT, USE and COMM scopes publish a salted digest and no size, in the announcement and in
    the results; QUAL and the officers' scope are public."""
    month = run_month([i.certificate for i in INSPECTORS])
    record = month["record"]
    events = record["events"]  # type: ignore[index]
    announced = {s["scope"]: s for s in events[0]["event"]["body"]["scopes"]}
    results = {r["scope"]: r for r in events[-1]["event"]["body"]["results"]}
    secret_scopes = [name for name in announced if name.split("/")[1] in {"MAINT", "USE", "COMM"}]
    assert secret_scopes
    for name in secret_scopes:
        assert announced[name]["confidential"] is True
        assert announced[name]["population_size"] is None
        assert results[name]["population_size"] is None
        unsalted = Population.of(next(s for s in month["scopes"] if s.scope == name).population)  # type: ignore[attr-defined]
        assert announced[name]["population_digest"] != unsalted.digest_hex
    assert announced["2026-11/QUAL"]["population_size"] == 6
    assert announced["2026-11/inspectors"]["population_size"] == 12


def test_the_group_rules_are_announced_and_read_back() -> None:
    """The record says how groups are formed, so the groups follow from the record alone."""
    month = run_month([i.certificate for i in INSPECTORS])
    record = month["record"]
    policy = record["events"][0]["event"]["body"]["policy"]  # type: ignore[index]
    assert policy["groups"] == "3" and policy["group_size"] == "2"
    assert MonthRecord.from_json(record).rules == GroupRules()
    policy["groups"] = "2"  # what the outcome reads (the signature is not checked here)
    policy["group_size"] = "3"
    result = MonthRecord.from_json(record).outcome(INSPECTORS, draw_day=DAY)
    assert [len(g.members) for g in result.groups] == [3, 3]
    policy["groups"] = "4"
    with pytest.raises(PolicyError, match="R8"):
        MonthRecord.from_json(record).outcome(INSPECTORS, draw_day=DAY)


def test_the_record_is_read_as_a_month_or_refused() -> None:
    month = run_month([i.certificate for i in INSPECTORS])
    read = MonthRecord.of(DrawRecord.from_json(month["record"]))
    assert read.month == NOVEMBER and not read.rehearsal
    assert read.ranking == tuple(sorted(read.ranking, key=read.ranking.index))
    assert len(read.objects) == len(set(read.objects))
    foreign = dict(month["record"])  # type: ignore[call-overload]
    events = [dict(e) for e in foreign["events"]]
    announce = {**events[0], "event": {**events[0]["event"]}}
    body = dict(announce["event"]["body"])
    body["scopes"] = [{**s, "scope": "other/" + s["scope"]} for s in body["scopes"]]
    announce["event"]["body"] = body
    foreign["events"] = [announce, *events[1:]]
    with pytest.raises(PolicyError, match="not a monthly draw"):
        MonthRecord.from_json(foreign)
