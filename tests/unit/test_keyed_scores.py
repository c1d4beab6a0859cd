"""Keyed scores (membership spec v1, section 9) in real ceremonies: a confidential scope is drawn
by draw spec v1 over its members' draw labels and published without scores; the public checks
pass, the complete recomputation needs the list and catches what they cannot; each member's
receipt carries the cut-off picks, and a drawn, an alternate and a not-drawn member each check
their outcome, while a tampered cut-off fails."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import pytest

from fairdraw import (
    DrawRecord,
    MemberReceipt,
    Population,
    ScopePlan,
    check_member,
    draw_exact,
    draw_rate,
    issue_receipts,
    verification_report,
)
from fairdraw.ceremony.events import event_hash, sign_event, sign_record
from fairdraw.errors import CeremonyError, InputError, ParameterError
from fairdraw.membership.receipt import CutoffPick
from fairdraw.membership.tree import member_opening
from fairdraw.record import MalformedRecordError
from membership_ceremony import (
    CONF,
    KEY,
    KEYED,
    KEYED_RATED,
    PUBLIC,
    RATED,
    SALT,
    SIZE,
    keyed_scopes,
    member_receipts,
    redrawn,
    resign,
    result_of,
    run,
    scopes,
    statuses,
)

DRAW_ID = "test-2023-09"
EXACT, RATE = "2023-09/KEYED", "2023-09/KRATE"
LISTS = {
    "2023-09/PUB": PUBLIC,
    "2023-09/CONF": CONF,
    "2023-09/RATE": RATED,
    EXACT: KEYED,
    RATE: KEYED_RATED,
}


@functools.cache
def _record() -> dict[str, Any]:
    return run(DRAW_ID, [*scopes(), *keyed_scopes()])


@pytest.fixture
def record() -> dict[str, Any]:
    return copy.deepcopy(_record())


def entry_of(record: Mapping[str, Any], scope: str) -> dict[str, Any]:
    entries = record["events"][0]["event"]["body"]["scopes"]
    found: dict[str, Any] = next(s for s in entries if s["scope"] == scope)
    return found


def receipts_of(
    record: Mapping[str, Any], scope: str = EXACT, population: Population = KEYED
) -> dict[str, MemberReceipt]:
    return member_receipts(record, scope, population)


def announced_with(
    record: Mapping[str, Any], scope: str, change: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """The record with a scope's announced entry changed and every event signed again (the
    seed no longer matches: only the announcement check matters)."""
    events = copy.deepcopy(list(record["events"]))
    for n, signed in enumerate(events):
        event = signed["event"]
        if n == 0:
            change(next(s for s in event["body"]["scopes"] if s["scope"] == scope))
        else:
            event["previous"] = event_hash(events[n - 1])
        events[n] = sign_event(KEY, event)
    return sign_record(KEY, record["draw_id"], events)


# -- the announcement and the draw --------------------------------------------------------------


def test_a_keyed_scope_is_announced_beside_its_tree(record: dict) -> None:
    entry = entry_of(record, EXACT)
    assert entry["scores"] == "keyed"
    assert set(entry) >= {"membership", "scores"}
    assert "scores" not in entry_of(record, "2023-09/CONF")
    plan = ScopePlan(scope="K", population=KEYED, k=1, confidential=True, keyed_scores=True)
    with pytest.raises(CeremonyError, match="membership tree has keyed scores"):
        plan.to_json()
    public = ScopePlan(scope="P", population=PUBLIC, k=1, keyed_scores=True)
    with pytest.raises(CeremonyError):
        public.to_json()


@pytest.mark.parametrize(
    ("scope", "change"),
    [
        (EXACT, lambda s: s.update(scores="plain")),
        (EXACT, lambda s: s.update(scores=True)),
        (EXACT, lambda s: s.pop("membership")),
        (
            "2023-09/CONF",
            lambda s: s.update(scores="keyed", confidential=True) or s.pop("membership"),
        ),
        ("2023-09/PUB", lambda s: s.update(scores="keyed")),
    ],
)
def test_a_scores_member_out_of_place_fails_the_announcement_check(
    record: dict, scope: str, change: Callable[[dict[str, Any]], None]
) -> None:
    report = verification_report(announced_with(record, scope, change), public_key=KEY.public)
    assert statuses(report)["announcement and entropy rule"] == "failed"


def test_the_announcement_check_passes_with_keyed_scores_as_announced(record: dict) -> None:
    report = verification_report(announced_with(record, EXACT, lambda s: None))
    assert statuses(report)["announcement and entropy rule"] == "passed"


def test_a_keyed_draw_is_draw_spec_v1_over_the_openings(record: dict) -> None:
    seed = record["events"][-2]["event"]["body"]["seed"]
    for scope, population in ((EXACT, KEYED), (RATE, KEYED_RATED)):
        draw_labels = {
            member_opening(SALT, DRAW_ID, scope, label).hex(): label for label in population
        }
        entry = entry_of(record, scope)
        draw = (
            draw_exact(seed, scope, list(draw_labels), entry["k"], alternates=entry["alternates"])
            if entry["mode"] == "exact"
            else draw_rate(seed, scope, list(draw_labels), entry["rate"])
        )
        result = result_of(record, scope)
        assert result["subseed"] == draw.subseed
        assert result["selected"] == [
            {"label": draw_labels[p.label], "rank": p.rank} for p in draw.selected
        ]
        assert result["alternates"] == [
            {"label": draw_labels[p.label], "rank": p.rank} for p in draw.alternates
        ]
        assert result["population_size"] is None
        assert result["population_digest"] == population.digest_hex
    assert len(result_of(record, EXACT)["alternates"]) == 2


def test_the_public_record_of_a_keyed_scope_holds_no_score(record: dict) -> None:
    for scope in (EXACT, RATE):
        result = result_of(record, scope)
        assert "score" not in json.dumps(result)
        assert all(
            set(p) == {"label", "rank"} for p in (*result["selected"], *result["alternates"])
        )
    assert all("score" in p for p in result_of(record, "2023-09/CONF")["selected"])


def test_library_users_read_a_keyed_result_as_any_other(record: dict) -> None:
    read = DrawRecord.from_json(record)
    result = read.result(EXACT)
    assert result is not None and result.keyed_scores
    assert result.labels == tuple(p["label"] for p in result_of(record, EXACT)["selected"])
    assert result.alternate_labels == tuple(
        p["label"] for p in result_of(record, EXACT)["alternates"]
    )
    assert all(p.score is None for p in result.selected)
    assert read.announcement.scopes[3].keyed_scores
    ordinary = read.result("2023-09/CONF")
    assert ordinary is not None and not ordinary.keyed_scores
    assert all(p.score is not None for p in ordinary.selected)


def test_the_read_model_refuses_a_pick_of_the_other_shape(record: dict) -> None:
    def score_added(r: dict[str, Any]) -> None:
        r[EXACT]["selected"][0]["score"] = "00" * 32

    def score_removed(r: dict[str, Any]) -> None:
        del r["2023-09/CONF"]["selected"][0]["score"]

    for change in (score_added, score_removed):
        with pytest.raises(MalformedRecordError):
            DrawRecord.from_json(redrawn(record, change))


# -- verification ------------------------------------------------------------------------------


def test_without_the_lists_the_public_checks_pass_and_the_recomputation_is_not_made(
    record: dict,
) -> None:
    report = verification_report(record, public_key=KEY.public)
    found = statuses(report)
    for scope in (EXACT, RATE):
        assert found[f"scope {scope}: published scores"] == "passed"
        assert found[f"scope {scope}: complete recomputation"] == "not checked"
    assert report.failures == ()
    assert report.verdict == "incomplete"
    detail = next(c.detail for c in report.checks if c.name == f"scope {EXACT}: published scores")
    assert "keyed scores" in detail


def test_with_the_lists_every_scope_is_recomputed(record: dict) -> None:
    report = verification_report(record, populations=LISTS, public_key=KEY.public)
    assert report.failures == ()
    for scope in (EXACT, RATE):
        assert statuses(report)[f"scope {scope}: complete recomputation"] == "passed"
    salts = {EXACT: SALT.hex()}
    given = {**LISTS, EXACT: list(KEYED)}
    again = verification_report(record, populations=given, salts=salts, public_key=KEY.public)
    assert statuses(again)[f"scope {EXACT}: complete recomputation"] == "passed"
    other = {**LISTS, EXACT: Population.of([*KEYED[:-1], "KEY-x"], salt=SALT)}
    failed = verification_report(record, populations=other, public_key=KEY.public)
    assert statuses(failed)[f"scope {EXACT}: complete recomputation"] == "failed"


def _score_added(r: dict[str, Any]) -> None:
    r[EXACT]["selected"][0]["score"] = "00" * 32


def _ranks_swapped(r: dict[str, Any]) -> None:
    first, second = r[EXACT]["selected"][:2]
    first["rank"], second["rank"] = second["rank"], first["rank"]


def _picks_swapped(r: dict[str, Any]) -> None:
    first, second = r[EXACT]["selected"][:2]
    first["label"], second["label"] = second["label"], first["label"]


def _duplicated(r: dict[str, Any]) -> None:
    r[EXACT]["alternates"][0]["label"] = r[EXACT]["selected"][0]["label"]


def _changed(r: dict[str, Any]) -> None:
    listed = {p["label"] for p in (*r[EXACT]["selected"], *r[EXACT]["alternates"])}
    r[EXACT]["selected"][0]["label"] = next(x for x in KEYED if x not in listed)


def _one_more(r: dict[str, Any]) -> None:
    r[EXACT]["selected"].append(r[EXACT]["alternates"].pop(0))


def _one_less(r: dict[str, Any]) -> None:
    r[EXACT]["selected"].pop()
    for pick in r[EXACT]["alternates"]:
        pick["rank"] -= 1


def _extra_alternate(r: dict[str, Any]) -> None:
    listed = {p["label"] for p in (*r[EXACT]["selected"], *r[EXACT]["alternates"])}
    r[EXACT]["alternates"].append({"label": next(x for x in KEYED if x not in listed), "rank": 7})


def _rank_gap(r: dict[str, Any]) -> None:
    r[EXACT]["alternates"][-1]["rank"] += 1


def _rate_extra_member(r: dict[str, Any]) -> None:
    r[RATE]["selected"][0]["extra"] = "x"


@pytest.mark.parametrize(
    ("change", "public"),
    [
        (_score_added, "failed"),
        (_ranks_swapped, "failed"),
        (_picks_swapped, "passed"),  # no scores: the order is the recomputation's to check
        (_duplicated, "failed"),
        (_changed, "passed"),  # a label not drawn in a drawn one's place: only the list shows it
        (_one_more, "failed"),
        (_one_less, "failed"),
        (_extra_alternate, "failed"),
        (_rank_gap, "failed"),
        (_rate_extra_member, "failed"),
    ],
)
def test_a_tampered_keyed_result_fails(
    record: dict, change: Callable[[dict[str, Any]], None], public: str
) -> None:
    changed = redrawn(record, change)
    scope = RATE if change is _rate_extra_member else EXACT
    report = verification_report(changed, public_key=KEY.public)
    assert statuses(report)[f"scope {scope}: published scores"] == public
    assert statuses(report)["record signature"] == "passed"  # (signed again: only the change)
    with_lists = verification_report(changed, populations=LISTS, public_key=KEY.public)
    assert statuses(with_lists)[f"scope {scope}: complete recomputation"] == "failed"


def test_an_ordinary_scope_refuses_keyed_picks(record: dict) -> None:
    def no_score(r: dict[str, Any]) -> None:
        del r["2023-09/CONF"]["selected"][0]["score"]

    report = verification_report(redrawn(record, no_score), public_key=KEY.public)
    assert statuses(report)["scope 2023-09/CONF: published scores"] == "failed"


def test_records_without_keyed_scores_are_drawn_as_before() -> None:
    """The same plans without keyed scores give the ordinary draw over the labels themselves."""
    plans = [attrs.evolve(p, keyed_scores=False) for p in keyed_scopes()]
    plain = run(DRAW_ID, plans)
    seed = plain["events"][-2]["event"]["body"]["seed"]
    result = result_of(plain, EXACT)
    expected = draw_exact(seed, EXACT, KEYED, 4, alternates=2)
    assert result["selected"] == [p.to_dict() for p in expected.selected]
    assert "scores" not in entry_of(plain, EXACT)


# -- receipts ----------------------------------------------------------------------------------


def test_every_keyed_member_checks_its_receipt_and_its_outcome_follows(record: dict) -> None:
    for scope, population in ((EXACT, KEYED), (RATE, KEYED_RATED)):
        result = result_of(record, scope)
        drawn = [p["label"] for p in result["selected"]]
        alternates = [p["label"] for p in result["alternates"]]
        outcomes = set()
        for label, receipt in receipts_of(record, scope, population).items():
            read = MemberReceipt.from_json(json.loads(json.dumps(receipt.to_json())))
            assert read == receipt
            report = check_member(read, record, public_key=KEY.public)
            found = statuses(report)
            assert found.pop("draw record") == "not checked"  # nobody witnessed the beacon
            assert set(found.values()) == {"passed"}, (label, report.checks)
            expected = (
                "selected"
                if label in drawn
                else ("alternate" if label in alternates else "not selected")
            )
            assert report.outcome == expected
            outcomes.add(expected)
        assert outcomes == (
            {"selected", "alternate", "not selected"}
            if scope == EXACT
            else {"selected", "not selected"}
        )


def test_a_keyed_receipt_shows_the_members_score_and_the_cut_off(record: dict) -> None:
    result = result_of(record, EXACT)
    receipts = receipts_of(record)
    last, tail = result["selected"][-1], result["alternates"][-1]
    mine = receipts[last["label"]]
    assert [(p.label, p.rank) for p in mine.cutoff or ()] == [
        (last["label"], last["rank"]),
        (tail["label"], tail["rank"]),
    ]
    seed = record["events"][-2]["event"]["body"]["seed"]
    own = draw_exact(
        seed,
        EXACT,
        [member_opening(SALT, DRAW_ID, EXACT, label).hex() for label in KEYED],
        4,
        alternates=2,
    )
    report = check_member(mine, record)
    assert report.score == own.selected[-1].score
    assert report.cutoff == {"mode": "exact", "k": 4, "rank": 4, "score": own.selected[-1].score}
    assert report.outcome == "selected" and report.rank == 4
    rated = next(iter(receipts_of(record, RATE, KEYED_RATED).values()))
    assert rated.cutoff == ()
    assert check_member(rated, record).cutoff == {
        "mode": "rate",
        "rate": "1/4",
        "threshold": "4" + "0" * 63,
    }
    ordinary = issue_receipts(
        CONF, draw_id=DRAW_ID, scope="2023-09/CONF", size=SIZE,
        announcement=record["events"][0], key=KEY, labels=["CONF-001"],
    )["CONF-001"]  # fmt: skip
    assert ordinary.cutoff is None and "cutoff" not in ordinary.to_json()


def _not_drawn(record: Mapping[str, Any]) -> str:
    result = result_of(record, EXACT)
    listed = {p["label"] for p in (*result["selected"], *result["alternates"])}
    return next(label for label in KEYED if label not in listed)


def test_a_tampered_cutoff_fails(record: dict) -> None:
    receipts = receipts_of(record)
    result = result_of(record, EXACT)
    mine = receipts[_not_drawn(record)]
    last, tail = mine.cutoff or ()
    drawn = receipts[result["selected"][0]["label"]]
    outsider = receipts[next(x for x in KEYED if x != mine.label and x not in {
        p["label"] for p in (*result["selected"], *result["alternates"])})]  # fmt: skip
    as_outsider = CutoffPick(
        label=last.label,
        rank=last.rank,
        opening=outsider.opening,
        index=outsider.index,
        path=outsider.path,
    )
    changes: list[tuple[str, tuple[CutoffPick, ...] | None]] = [
        ("another opening", (attrs.evolve(last, opening=drawn.opening), tail)),
        ("another member's leaf", (as_outsider, tail)),
        ("a wrong rank", (attrs.evolve(last, rank=3), tail)),
        ("another label", (attrs.evolve(last, label=drawn.label), tail)),
        ("a missing pick", (last,)),
        ("the picks swapped", (tail, last)),
        ("a pick too many", (last, tail, tail)),
        ("no cutoff", None),
        ("a sibling replaced", (attrs.evolve(last, path=(tail.path[0], *last.path[1:])), tail)),
    ]
    for what, cutoff in changes:
        report = check_member(resign(mine, cutoff=cutoff), record)
        assert statuses(report)["drawn or not drawn"] == "failed", what
        assert statuses(report)["membership"] == "passed", what
        assert report.verdict == "failed", what
    unsigned = attrs.evolve(mine, cutoff=(attrs.evolve(last, opening=drawn.opening), tail))
    assert statuses(check_member(unsigned, record))["receipt signature"] == "failed"


def test_an_ordinary_receipt_with_a_cutoff_fails(record: dict) -> None:
    mine = issue_receipts(
        CONF, draw_id=DRAW_ID, scope="2023-09/CONF", size=SIZE,
        announcement=record["events"][0], key=KEY, labels=["CONF-001"],
    )["CONF-001"]  # fmt: skip
    report = check_member(resign(mine, cutoff=()), record)
    assert statuses(report)["drawn or not drawn"] == "failed"
    assert "no keyed scores" in report.reason


def test_a_member_claiming_drawn_fails(record: dict) -> None:
    receipts = receipts_of(record)
    mine = receipts[_not_drawn(record)]
    drawn = result_of(record, EXACT)["selected"][0]["label"]
    report = check_member(resign(mine, label=drawn), record)
    assert statuses(report)["membership"] == "failed"
    assert statuses(report)["drawn or not drawn"] == "failed"


def test_a_member_left_out_below_the_cut_off_is_caught(record: dict) -> None:
    """The office publishes a drawn member replaced by one not drawn (the public checks pass),
    and issues receipts against what it published: the member left out holds proof of it."""
    original = result_of(record, EXACT)["selected"][0]["label"]
    changed = redrawn(record, _changed)
    receipts = receipts_of(changed)
    report = check_member(receipts[original], changed)
    assert statuses(report)["drawn or not drawn"] == "failed"
    assert "yet the record does not select it" in report.reason
    slipped_in = result_of(changed, EXACT)["selected"][0]["label"]
    assert statuses(check_member(receipts[slipped_in], changed))["drawn or not drawn"] == "failed"


def test_k_zero_with_alternates() -> None:
    """k = 0: nobody is drawn, the cut-off is the last alternate alone."""
    plans = [attrs.evolve(keyed_scopes()[0], k=0, alternates=3)]
    record = run(DRAW_ID, plans)
    result = result_of(record, EXACT)
    assert result["selected"] == [] and len(result["alternates"]) == 3
    receipts = receipts_of(record)
    for label, receipt in receipts.items():
        assert [(p.label, p.rank) for p in receipt.cutoff or ()] == [
            (result["alternates"][-1]["label"], 3)
        ]
        report = check_member(receipt, record)
        assert statuses(report)["drawn or not drawn"] == "passed", (label, report.reason)
        assert report.cutoff == {"mode": "exact", "k": 0, "rank": None, "score": None}


def test_issuing_keyed_receipts_needs_the_scopes_result(record: dict) -> None:
    args: dict[str, Any] = {
        "draw_id": DRAW_ID, "scope": EXACT, "size": SIZE,
        "announcement": record["events"][0], "key": KEY, "labels": ["KEY-001"],
    }  # fmt: skip
    with pytest.raises(ParameterError, match="keyed scores"):
        issue_receipts(KEYED, **args)
    with pytest.raises(ParameterError, match="of scope"):
        issue_receipts(KEYED, **args, result=DrawRecord.from_json(record).result(RATE))
    as_json = issue_receipts(KEYED, **args, result=result_of(record, EXACT))
    assert as_json == {"KEY-001": receipts_of(record)["KEY-001"]}


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.update(cutoff=None),
        lambda r: r.update(cutoff={}),
        lambda r: r["cutoff"][0].update(extra=1),
        lambda r: r["cutoff"][0].pop("path"),
        lambda r: r["cutoff"][0].update(rank=0),
        lambda r: r["cutoff"][0].update(rank=True),
        lambda r: r["cutoff"][0].update(index=SIZE),
        lambda r: r["cutoff"][0].update(opening="AB" * 32),
        lambda r: r["cutoff"][0].update(path=["00"]),
        lambda r: r["cutoff"][0].update(label=""),
        lambda r: r.update(cutoff=["x"]),
    ],
)
def test_a_malformed_cutoff_is_bad_input(record: dict, change: Any) -> None:
    data = receipts_of(record)["KEY-001"].to_json()
    change(data)
    with pytest.raises(InputError, match="member-receipt/v1"):
        MemberReceipt.from_json(data)
