"""A whole month on the example data: one fairdraw ceremony, verified, read back into groups."""

from __future__ import annotations

import pytest

from fairdraw import DrawRecord, PolicyError, Population
from monthly import DAY, INSPECTORS, NOVEMBER, run_month
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.rules.groups import GroupRules


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
