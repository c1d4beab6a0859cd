"""A citizen's check of a published month: the groups and the assignment, from the record alone."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs

from rfb_policy.demo import run_demo
from rfb_policy.monthly import outcome, record_groups
from rfb_policy.publish import assignment_json
from rfb_policy.verify import check_assignment
from test_rfb_monthly import DAY, INSPECTORS, run_month

MONTH = "2026-11"


def failed(record: dict[str, Any], published: dict[str, Any]) -> set[str]:
    return {c.name for c in check_assignment(record, published) if not c.passed}


def month_with_a_recusal() -> tuple[dict[str, Any], dict[str, Any]]:
    """A month where the first object dealt to group 1 conflicts with a member of group 1."""
    record: dict[str, Any] = run_month([i.certificate for i in INSPECTORS])["record"]  # type: ignore[assignment]
    plain = outcome(record, MONTH, INSPECTORS, draw_day=DAY)
    first = plain.assignment.objects[0][0]
    member = plain.groups[0].members[0]
    inspectors = [
        attrs.evolve(i, conflicts=(*i.conflicts, first)) if i.certificate == member else i
        for i in INSPECTORS
    ]
    result = outcome(record, MONTH, inspectors, draw_day=DAY)
    assert first in [m.object_id for m in result.assignment.substitutions]
    return record, assignment_json(record, MONTH, result.assignment)


def test_a_published_assignment_with_a_recusal_checks_out() -> None:
    record, published = month_with_a_recusal()
    checks = check_assignment(record, published)
    assert [c.name for c in checks] == ["groups", "objects", "deal"]
    assert all(c.passed for c in checks), checks
    assert published["moves"] and "officers" not in published["moves"][0]  # who recused: internal


def test_every_tampering_is_caught() -> None:
    record, published = month_with_a_recusal()
    groups = published["groups"]

    undeclared = copy.deepcopy(published)
    undeclared["moves"] = []
    assert failed(record, undeclared) == {"deal"}

    moved = copy.deepcopy(published)  # an object quietly handed to another group
    victim = moved["groups"][1]["objects"].pop()
    moved["groups"][2]["objects"].append(victim)
    assert failed(record, moved) == {"deal"}

    swapped = copy.deepcopy(published)  # officers swapped between groups
    a, b = swapped["groups"][0]["members"][0], swapped["groups"][1]["members"][0]
    swapped["groups"][0]["members"][0], swapped["groups"][1]["members"][0] = b, a
    assert failed(record, swapped) == {"groups"}

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
    assert failed(record, ["not", "a", "mapping"]) == {"format"}  # type: ignore[arg-type]

    other = copy.deepcopy(published)
    other["draw_id"] = "another-draw"
    assert failed(record, other) == {"draw_id"}


def test_groups_follow_from_the_record_alone() -> None:
    record: dict[str, Any] = run_month([i.certificate for i in INSPECTORS])["record"]  # type: ignore[assignment]
    assert record_groups(record, MONTH) == outcome(record, MONTH, INSPECTORS, draw_day=DAY).groups


def test_rfb_verify_on_the_demo_publication(tmp_path: Path) -> None:
    def rolls(count: int) -> list[int]:
        return [(5 * i) % 6 + 1 for i in range(count)]

    run_demo(2026, 1, tmp_path / "demo", dice=rolls)
    folder = tmp_path / "demo" / "publication"
    key = str(tmp_path / "demo" / "office.key.pub")

    def verify(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from rfb_policy.cli import main; main()",
             "verify", str(folder), "--public-key", key, *extra],
            capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
        )  # fmt: skip

    passed = verify("--json")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    report = json.loads(passed.stdout)
    names = {c["name"]: c["status"] for c in report["checks"]}
    assert names["assignment.deal"] == "passed"
    assert names["scope 2026-01/inspectors: complete recomputation"] == "passed"
    published = json.loads((folder / "assignment.json").read_text(encoding="utf-8"))
    victim = published["groups"][0]["objects"].pop()
    published["groups"][1]["objects"].append(victim)
    (folder / "assignment.json").write_text(json.dumps(published), encoding="utf-8")
    caught = verify()
    assert caught.returncode == 4 and "✗ assignment.deal" in caught.stdout
    assert "核验未通过" in caught.stdout
