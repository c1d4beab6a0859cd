"""Membership trees and receipts (membership spec v1) in real ceremonies: the root is announced
and recomputed by auditors; a receipt proves membership of exactly its member, and fails when
tampered with, replayed in another draw, month or scope, or given a wrong path; a drawn and a
not-drawn member each see why."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Mapping
from typing import Any

import attrs
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import (
    MemberReceipt,
    MembershipTree,
    OfficeKey,
    Population,
    ScopePlan,
    check_member,
    issue_receipts,
    verification_report,
)
from fairdraw.ceremony.events import event_hash, record_payload, sign_event
from fairdraw.errors import CeremonyError, InputError
from membership_ceremony import (
    CONF,
    KEY,
    PUBLIC,
    RATED,
    SALT,
    SIZE,
    member_receipts,
    resign,
    result_of,
    run,
    scopes,
    statuses,
)

OTHER_KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33))))


@functools.cache
def _record(draw_id: str = "test-2023-09", month: str = "2023-09") -> dict[str, Any]:
    return run(draw_id, scopes(month))


@pytest.fixture
def record() -> dict[str, Any]:
    return copy.deepcopy(_record())


def receipts_of(
    record: Mapping[str, Any], scope: str = "2023-09/CONF", population: Population = CONF
) -> dict[str, MemberReceipt]:
    return member_receipts(
        record, scope, population, context={label: {"month": "2023-09"} for label in population}
    )


def announcing_the_tree_of(population: Population) -> dict[str, Any]:
    """A record whose scope CONF is drawn from CONF but announces the tree of ``population``:
    what an office that commits one list and draws from another would publish."""

    class OtherTree(ScopePlan):
        def membership(self, draw_id: str) -> dict[str, Any] | None:
            tree = MembershipTree.build(population, draw_id=draw_id, scope=self.scope, size=SIZE)
            return tree.to_json()

    plans = scopes()
    plans[1] = OtherTree(**attrs.asdict(plans[1], recurse=False))
    return run("test-2023-09", plans)


def announced_again(record: Mapping[str, Any], scope: int, membership: object) -> dict[str, Any]:
    """The record with a scope's ``membership`` replaced, every event and the record signed
    again by the office (its seed no longer matches: only the announcement check matters)."""
    events = [dict(e) for e in record["events"]]
    for n, signed in enumerate(events):
        event = copy.deepcopy(dict(signed["event"]))
        if n == 0:
            event["body"]["scopes"][scope]["membership"] = membership
        else:
            event["previous"] = event_hash(events[n - 1])
        events[n] = sign_event(KEY, event)
    payload = record_payload(record["draw_id"], events)
    return {**payload, "key_id": KEY.key_id, "signature": KEY.sign("record", payload).hex()}


# -- the announcement and the auditors' check ---------------------------------------------------


def test_confidential_scopes_announce_their_tree_and_auditors_recompute_it(record: dict) -> None:
    announced = {s["scope"]: s for s in record["events"][0]["event"]["body"]["scopes"]}
    assert "membership" not in announced["2023-09/PUB"]
    tree = MembershipTree.build(CONF, draw_id="test-2023-09", scope="2023-09/CONF", size=SIZE)
    assert announced["2023-09/CONF"]["membership"] == tree.to_json()
    assert announced["2023-09/CONF"]["population_size"] is None
    populations = {"2023-09/PUB": PUBLIC, "2023-09/CONF": CONF, "2023-09/RATE": RATED}
    report = verification_report(record, populations=populations, public_key=KEY.public)
    assert statuses(report)["scope 2023-09/CONF: complete recomputation"] == "passed"
    assert report.failures == ()


def test_a_root_that_is_not_the_lists_fails_the_complete_recomputation() -> None:
    record = announcing_the_tree_of(Population.of([*CONF, "CONF-extra"], salt=SALT))
    populations = {"2023-09/PUB": PUBLIC, "2023-09/CONF": CONF, "2023-09/RATE": RATED}
    report = verification_report(record, populations=populations, public_key=KEY.public)
    check = next(c for c in report.checks if c.name == "scope 2023-09/CONF: complete recomputation")
    assert check.status == "failed"
    assert "membership tree" in check.detail


@pytest.mark.parametrize(
    "membership",
    [
        {"tree": "fairdraw/membership/v1", "size": 48, "root": "00" * 32},
        {"tree": "fairdraw/membership/v2", "size": 64, "root": "00" * 32},
        {"tree": "fairdraw/membership/v1", "size": 64, "root": "AB" * 32},
        {"tree": "fairdraw/membership/v1", "size": 64, "root": "00" * 32, "extra": 1},
        {"tree": "fairdraw/membership/v1", "size": 1 << 21, "root": "00" * 32},
        "00" * 32,
    ],
)
def test_a_malformed_membership_fails_the_announcement_check(
    record: dict, membership: object
) -> None:
    report = verification_report(announced_again(record, 1, membership), public_key=KEY.public)
    assert statuses(report)["announcement and entropy rule"] == "failed"


def test_a_public_scope_announces_no_tree(record: dict) -> None:
    membership = {"tree": "fairdraw/membership/v1", "size": 64, "root": "00" * 32}
    report = verification_report(announced_again(record, 0, membership))
    assert statuses(report)["announcement and entropy rule"] == "failed"
    with pytest.raises(CeremonyError, match="only a confidential scope"):
        ScopePlan(scope="P", population=PUBLIC, k=1, membership_size=64).to_json()


@pytest.mark.parametrize("size", [0, 3, 20, 16])  # 16 < 30 members
def test_a_tree_is_a_power_of_two_that_holds_the_list(size: int) -> None:
    plan = ScopePlan(scope="C", population=CONF, k=1, confidential=True, membership_size=size)
    with pytest.raises(CeremonyError):
        plan.membership("d")


def test_records_without_trees_verify_as_before() -> None:
    plans = [attrs.evolve(p, membership_size=None) for p in scopes()]
    record = run("test-2023-09", plans)
    assert all("membership" not in s for s in record["events"][0]["event"]["body"]["scopes"])
    populations = {"2023-09/PUB": PUBLIC, "2023-09/CONF": CONF, "2023-09/RATE": RATED}
    assert (
        verification_report(record, populations=populations, public_key=KEY.public).failures == ()
    )


# -- each member's receipt ----------------------------------------------------------------------


def test_every_member_checks_its_own_receipt_and_its_outcome_follows(record: dict) -> None:
    for scope, population in (("2023-09/CONF", CONF), ("2023-09/RATE", RATED)):
        result = result_of(record, scope)
        drawn = [p["label"] for p in result["selected"]]
        for label, receipt in receipts_of(record, scope, population).items():
            report = check_member(
                MemberReceipt.from_json(json.loads(json.dumps(receipt.to_json()))),
                record,
                public_key=KEY.public,
            )
            found = statuses(report)
            assert found.pop("draw record") == "not checked"  # nobody witnessed the beacon
            assert set(found.values()) == {"passed"}, (label, report.checks)
            assert report.outcome == ("selected" if label in drawn else "not selected")
            assert report.reason.startswith("drawn" if label in drawn else "not drawn")


def test_a_drawn_and_a_not_drawn_member_see_their_score_and_the_cut_off(record: dict) -> None:
    result = result_of(record, "2023-09/CONF")
    receipts = receipts_of(record)
    last = result["selected"][-1]
    drawn = check_member(receipts[result["selected"][0]["label"]], record)
    assert (drawn.outcome, drawn.rank, drawn.score) == (
        "selected",
        1,
        result["selected"][0]["score"],
    )
    outside = next(label for label in CONF if label not in {p["label"] for p in result["selected"]})
    not_drawn = check_member(receipts[outside], record)
    assert not_drawn.outcome == "not selected"
    assert not_drawn.cutoff == {"mode": "exact", "k": 3, "rank": 3, "score": last["score"]}
    assert not_drawn.score is not None and not_drawn.score > last["score"]
    rated = receipts_of(record, "2023-09/RATE", RATED)
    cutoff = check_member(next(iter(rated.values())), record).cutoff
    assert cutoff == {"mode": "rate", "rate": "1/4", "threshold": "4" + "0" * 63}


def test_a_receipt_fails_for_anyone_else(record: dict) -> None:
    receipts = receipts_of(record)
    mine = receipts["CONF-001"]
    as_is = attrs.evolve(mine, label="CONF-002")
    assert statuses(check_member(as_is, record))["receipt signature"] == "failed"
    for other in ["CONF-002", "CONF-extra", "RATE-001"]:
        report = check_member(resign(mine, label=other), record)
        assert statuses(report)["membership"] == "failed", other
        assert report.verdict == "failed"
    with pytest.raises(InputError, match="not a member"):
        issue_receipts(
            CONF,
            draw_id="test-2023-09",
            scope="2023-09/CONF",
            size=SIZE,
            announcement=record["events"][0],
            key=KEY,
            labels=["CONF-extra"],
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("draw_id", "test-2023-10"),
        ("scope", "2023-09/RATE"),
        ("label", "CONF-003"),
        ("opening", "00" * 32),
        ("index", 0),
        ("path", ("00" * 32,) * 6),
        ("root", "11" * 32),
        ("announcement", "22" * 32),
        ("context", {"month": "2023-10"}),
        ("size", 128),
    ],
)
def test_every_field_is_covered_by_the_signature(record: dict, field: str, value: object) -> None:
    mine = receipts_of(record)["CONF-001"]
    if getattr(mine, field) == value:
        value = 1
    report = check_member(attrs.evolve(mine, **{field: value}), record)
    assert statuses(report)["receipt signature"] == "failed"
    assert report.verdict == "failed"


@pytest.mark.parametrize(
    ("field", "check"),
    [
        ("opening", "membership"),
        ("index", "membership"),
        ("path", "membership"),
        ("root", "receipt's draw"),
        ("announcement", "receipt's draw"),
        ("draw_id", "receipt's draw"),
        ("scope", "receipt's draw"),
    ],
)
def test_a_resigned_change_fails_its_own_check(record: dict, field: str, check: str) -> None:
    mine = receipts_of(record)["CONF-001"]
    other = receipts_of(record)["CONF-002"]
    changes = {
        "opening": other.opening,
        "index": mine.index ^ 1,
        "path": (*mine.path[:-1], other.path[0]),
        "root": "33" * 32,
        "announcement": "44" * 32,
        "draw_id": "test-2023-10",
        "scope": "2023-09/RATE",
    }
    report = check_member(resign(mine, **{field: changes[field]}), record)
    assert statuses(report)[check] == "failed"


def test_a_receipt_replayed_in_another_month_or_draw_fails(record: dict) -> None:
    mine = receipts_of(record)["CONF-001"]
    redraw = _record("test-2023-09-redraw", "2023-09")  # same list, salt and scopes
    report = check_member(mine, redraw)
    assert statuses(report)["receipt's draw"] == "failed"
    # even re-signed for the redraw, the tree is another one: the leaves hold the draw id
    forged = resign(mine, draw_id="test-2023-09-redraw", announcement=_announcement(redraw))
    forged = resign(forged, root=_root(redraw, "2023-09/CONF"))
    assert statuses(check_member(forged, redraw))["membership"] == "failed"
    october = _record("test-2023-10", "2023-10")
    moved = resign(
        mine,
        draw_id="test-2023-10",
        scope="2023-10/CONF",
        announcement=_announcement(october),
        root=_root(october, "2023-10/CONF"),
    )
    assert statuses(check_member(moved, october))["membership"] == "failed"


def _announcement(record: Mapping[str, Any]) -> str:
    return event_hash(record["events"][0])


def _root(record: Mapping[str, Any], scope: str) -> str:
    entry = next(s for s in record["events"][0]["event"]["body"]["scopes"] if s["scope"] == scope)
    return str(entry["membership"]["root"])


def test_a_receipt_signed_by_another_key_fails(record: dict) -> None:
    mine = receipts_of(record)["CONF-001"]
    forged = attrs.evolve(mine, office_key=OTHER_KEY.public.to_json())
    forged = attrs.evolve(forged, signature=OTHER_KEY.sign("member-receipt", forged.body()).hex())
    assert statuses(check_member(forged, record))["receipt signature"] == "failed"


def test_a_member_left_out_of_the_draw_below_the_cut_off_is_caught() -> None:
    """The office commits a tree with extra members but draws from the list without them: each
    extra member whose score is below the last drawn's holds proof of it."""
    extras = [f"CONF-x{i:02d}" for i in range(30)]
    longer = Population.of([*CONF, *extras], salt=SALT)

    record = announcing_the_tree_of(longer)
    receipts = receipts_of(record, population=longer)
    reports = [check_member(receipts[label], record) for label in extras]
    caught = [r for r in reports if statuses(r)["drawn or not drawn"] == "failed"]
    fine = [r for r in reports if statuses(r)["drawn or not drawn"] == "passed"]
    assert caught and fine  # (fixed seed: 30 extra members, k = 3 of 30)
    assert all("yet the record does not select it" in r.reason for r in caught)
    assert all(statuses(r)["membership"] == "passed" for r in reports)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.pop("signature"),
        lambda r: r.update(format="fairdraw/member-receipt/v2"),
        lambda r: r.update(extra=1),
        lambda r: r["tree"].update(size=6),
        lambda r: r["tree"].update(index=64),
        lambda r: r["tree"].update(path="00"),
        lambda r: r.update(opening="AB" * 32),
        lambda r: r.update(context={"month": 5}),
        lambda r: r["office_key"].update(key_id="00" * 32),
    ],
)
def test_a_malformed_receipt_is_bad_input(record: dict, change: Any) -> None:
    data = receipts_of(record)["CONF-001"].to_json()
    change(data)
    with pytest.raises(InputError, match="member-receipt/v1"):
        MemberReceipt.from_json(data)


def test_the_announcement_check_passes_with_a_well_formed_membership(record: dict) -> None:
    """The control of the malformed cases: re-signed as it was, the announcement passes."""
    as_announced = record["events"][0]["event"]["body"]["scopes"][1]["membership"]
    report = verification_report(announced_again(record, 1, as_announced), public_key=KEY.public)
    assert statuses(report)["announcement and entropy rule"] == "passed"


def test_a_receipt_whose_key_is_no_key_says_so_once(record: dict) -> None:
    data = receipts_of(record)["CONF-001"].to_json()
    data["office_key"]["public_key"] = "00"
    with pytest.raises(InputError) as caught:
        MemberReceipt.from_json(data, "r.json")
    assert str(caught.value).count("not a fairdraw/member-receipt/v1 receipt") == 1
    assert "64 hex digits" in str(caught.value) or "32 bytes" in str(caught.value)
