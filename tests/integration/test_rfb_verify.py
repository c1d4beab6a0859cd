"""A citizen's check of a published month: the groups and the assignment, from the record alone."""

from __future__ import annotations

import copy
import json
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from fairdraw import Ceremony, Population, ScopePlan, VerificationError
from monthly import CATALOGUE, DAY, INSPECTORS, KEY, START, run_month
from rfb_policy.ceremony.announce import announce_month
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.month import Month
from rfb_policy.publish.assignment import assignment_json
from rfb_policy.publish.verify import check_assignment, publication_report, verify_publication
from rfb_policy.workflow.demo import run_demo

MONTH = Month(2026, 11)


def failed(record: MonthRecord, published: Any) -> set[str]:
    return {
        c.name.removeprefix("assignment.")
        for c in check_assignment(record, published)
        if c.status != "passed"
    }


def month_with_a_recusal() -> tuple[MonthRecord, dict[str, Any]]:
    """A month where the first object dealt to group 1 conflicts with a member of group 1."""
    record = MonthRecord.from_json(run_month([i.certificate for i in INSPECTORS])["record"])
    plain = record.outcome(INSPECTORS, draw_day=DAY)
    first = plain.assignment.objects[0][0]
    member = plain.groups[0].members[0]
    inspectors = [
        attrs.evolve(i, conflicts=(*i.conflicts, first)) if i.certificate == member else i
        for i in INSPECTORS
    ]
    result = record.outcome(inspectors, draw_day=DAY)
    assert first in [m.object_id for m in result.assignment.substitutions]
    return record, assignment_json(record.draw_id, MONTH, result.assignment)


def test_a_published_assignment_with_a_recusal_is_checked_as_far_as_the_public_can() -> None:
    """The deal is checked, and the move is declared; but who recused, and why, is internal, so
    the public cannot tell a real conflict from an invented one: that check is not made."""
    record, published = month_with_a_recusal()
    checks = {c.name: c.status for c in check_assignment(record, published)}
    assert checks == {
        "assignment.groups": "passed",
        "assignment.objects": "passed",
        "assignment.deal": "passed",
        "assignment.moves": "not checked",
    }
    assert published["moves"] and "officers" not in published["moves"][0]  # who recused: internal


def test_the_office_s_record_of_who_recused_makes_the_moves_a_real_check() -> None:
    """With the office's internal recusals.json (who recused from each move), an auditor's
    check of the moves is made: it passes for the recorded moves, and fails for a move the
    office did not record, or a recusal by an officer of another group."""
    record, published = month_with_a_recusal()
    move = published["moves"][0]
    member = next(g for g in published["groups"] if g["number"] == move["from_group"])
    recusals = [{**move, "officers": [member["members"][0]]}]
    checks = {c.name: c.status for c in check_assignment(record, published, recusals)}
    assert checks["assignment.moves"] == "passed"
    other = next(g for g in published["groups"] if g["number"] != move["from_group"])
    wrong = [{**move, "officers": [other["members"][0]]}]
    assert {c.name: c.status for c in check_assignment(record, published, wrong)}[
        "assignment.moves"
    ] == "failed"
    assert {c.name: c.status for c in check_assignment(record, published, [])}[
        "assignment.moves"
    ] == "failed"  # a declared move the office has no record of


def test_every_tampering_is_caught() -> None:
    record, published = month_with_a_recusal()
    groups = published["groups"]

    undeclared = copy.deepcopy(published)
    undeclared["moves"] = []
    assert failed(record, undeclared) == {"deal"}
    declared = failed(record, published)
    assert declared == {"moves"}  # a declared move: not checked, never passed

    moved = copy.deepcopy(published)  # an object quietly handed to another group
    victim = moved["groups"][1]["objects"].pop()
    moved["groups"][2]["objects"].append(victim)
    assert failed(record, moved) == {"deal", "moves"}

    swapped = copy.deepcopy(published)  # officers swapped between groups
    a, b = swapped["groups"][0]["members"][0], swapped["groups"][1]["members"][0]
    swapped["groups"][0]["members"][0], swapped["groups"][1]["members"][0] = b, a
    assert failed(record, swapped) == {"groups", "moves"}

    dropped = copy.deepcopy(published)
    dropped["groups"][0]["objects"].pop()
    assert "objects" in failed(record, dropped)

    extra = copy.deepcopy(published)
    extra["groups"][0]["objects"].append(groups[1]["objects"][0])
    assert "objects" in failed(record, extra)

    for breakage in ({"objects": 5}, {"number": "x"}, {"members": 7}):
        broken = copy.deepcopy(published)
        broken["groups"][0].update(breakage)
        assert failed(record, broken), breakage  # reported, never raised
    assert failed(record, ["not", "a", "mapping"]) == {"format"}

    other = copy.deepcopy(published)
    other["draw_id"] = "another-draw"
    assert failed(record, other) == {"draw_id"}  # (the file is not read further)

    later = copy.deepcopy(published)
    later["month"] = "2026-12"
    assert failed(record, later) == {"month"}


def test_groups_follow_from_the_record_alone() -> None:
    record = MonthRecord.from_json(run_month([i.certificate for i in INSPECTORS])["record"])
    assert record.groups == record.outcome(INSPECTORS, draw_day=DAY).groups


def test_rfb_verify_on_the_demo_publication(tmp_path: Path) -> None:
    def rolls(count: int) -> list[int]:
        return [(5 * i) % 6 + 1 for i in range(count)]

    run_demo(Month(2026, 1), tmp_path / "demo", dice=rolls)
    folder = tmp_path / "demo" / "publication"
    key = str(tmp_path / "demo" / "office.key.pub")

    def verify(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from rfb_policy.cli.main import main; main()",
             "verify", str(folder), "--public-key", key, *extra],
            capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
        )  # fmt: skip

    incomplete = verify("--json")  # a citizen cannot check the confidential lists
    assert incomplete.returncode == 8, incomplete.stdout + incomplete.stderr
    report = json.loads(incomplete.stdout)
    assert report["verdict"] == "incomplete"
    names = {c["name"]: c["status"] for c in report["checks"]}
    assert names["assignment.deal"] == "passed"
    assert names["scope 2026-01/inspectors: complete recomputation"] == "passed"
    unchecked = [n for n, status in names.items() if status != "passed"]
    # Only the confidential lists, which the publication never carries; the officers' list is
    # in the record and QUAL's in public-lists.json, so those scopes are recomputed.
    assert names["scope 2026-01/QUAL: complete recomputation"] == "passed"
    assert all(n.endswith(": complete recomputation") for n in unchecked), unchecked
    assert {n.split("/")[1].split(":")[0] for n in unchecked} == {"MAINT", "USE", "COMM"}
    said = verify()
    assert said.returncode == 8 and "全部核验通过" not in said.stdout
    assert "无法核验" in said.stdout
    published = json.loads((folder / "assignment.json").read_text(encoding="utf-8"))
    victim = published["groups"][0]["objects"].pop()
    published["groups"][1]["objects"].append(victim)
    (folder / "assignment.json").write_text(json.dumps(published), encoding="utf-8")
    caught = verify()
    assert caught.returncode == 4 and "✗ 分配：轮发：" in caught.stdout
    assert "核验未通过" in caught.stdout


def test_a_loop_of_replaced_draws_fails_and_ends(tmp_path: Path) -> None:
    """Regression: `rfb verify` walked the `supersedes` chain without end when it looped (the
    record replaces X, and the published X claims to replace the record)."""
    record_id, earlier_id = "loop-2026-11-2", "loop-2026-11"
    scopes = [
        ScopePlan(scope="2026-11/QUAL", population=Population.of(["P-1", "P-2"]), k=1),
        ScopePlan(scope="2026-11/inspectors", population=Population.of(["C-1", "C-2"]), k=2),
    ]

    def ceremony(draw_id: str, replaces: str) -> Ceremony:
        return announce_month(
            KEY, draw_id=draw_id, office="测试", scopes=scopes, catalogue=CATALOGUE, start=START,
            supersedes={"draw_id": replaces, "reason": "循环", "approver": "王主任"},
            single_party_reason="a test of the chain of replaced draws",
        )  # fmt: skip

    earlier = ceremony(earlier_id, record_id)
    earlier.abort("中止", at=START + timedelta(minutes=1))
    drawn = ceremony(record_id, earlier_id)
    secret = bytes(range(32))
    drawn.commit_secret("office-secret", secret, at=START + timedelta(minutes=1))
    drawn.add_value("leader-dice", {"rolls": [3] * 50}, at=START + timedelta(minutes=2))
    drawn.reveal("office-secret", secret, at=START + timedelta(minutes=3))
    drawn.seed(at=START + timedelta(minutes=4))
    record = drawn.draw({s.scope: s.population for s in scopes}, at=START + timedelta(minutes=5))
    (tmp_path / "superseded").mkdir()
    (tmp_path / "record.json").write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "superseded" / f"{earlier_id}.json").write_text(
        json.dumps(earlier.record()), encoding="utf-8"
    )
    signal.alarm(20)  # a loop would hang the suite: fail it instead
    try:
        report = publication_report(tmp_path, public_key=KEY.public)
    finally:
        signal.alarm(0)
    supersedes = [c for c in report.checks if c.name == "supersedes"]
    assert [c.status for c in supersedes] == ["passed", "failed"]
    assert "loops at loop-2026-11-2" in supersedes[-1].detail
    with pytest.raises(VerificationError, match="loops"):
        verify_publication(tmp_path, public_key=KEY.public)
