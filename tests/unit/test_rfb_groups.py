"""rfb_policy: groups and assignment from the ceremony seed (rules R4, R8, R9)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairdraw import PolicyError, shuffle, speaking
from rfb_policy.files.directories import read_inspectors, read_objects
from rfb_policy.model.directory import Inspector
from rfb_policy.rules.groups import assign_objects, form_groups

EXAMPLE = Path(__file__).parents[2] / "examples" / "xicheng"
INSPECTORS = read_inspectors(EXAMPLE / "inspectors.csv")
OBJECTS = read_objects(EXAMPLE / "objects.csv")
DAY = date(2026, 11, 3)
ALL = [i.certificate for i in INSPECTORS]


def seed_of(n: int) -> str:
    return hashlib.sha256(f"rfb groups test {n}".encode()).hexdigest()


@given(st.integers(0, 10**6), st.integers(1, 3), st.integers(2, 4), st.booleans())
def test_group_rules(n: int, groups: int, size: int, a_post: bool) -> None:
    options = {"available": ALL, "draw_day": DAY, "groups": groups, "group_size": size}
    if groups * size > 12:  # one of the 13 certificates has expired by DAY
        with pytest.raises(PolicyError, match="cannot form"):
            form_groups(seed_of(n), "2026-11", INSPECTORS, **options)  # type: ignore[arg-type]
        return
    formed = form_groups(seed_of(n), "2026-11", INSPECTORS, require_a_post=a_post, **options)  # type: ignore[arg-type]
    members = [m for g in formed for m in g.members]
    assert len(formed) == groups and all(len(g.members) == size for g in formed)
    assert len(set(members)) == len(members), "nobody is in two groups"
    by_cert = {i.certificate: i for i in INSPECTORS}
    assert all(by_cert[m].certified_on(DAY) for m in members)
    if a_post:
        assert all(any(by_cert[m].post == "A" for m in g.members) for g in formed)


def test_groups_follow_the_published_shuffle() -> None:
    """Anyone can recompute the groups from the seed: the shuffle of the eligible certificates."""
    eligible = sorted(i.certificate for i in INSPECTORS if i.certified_on(DAY))
    order = shuffle(seed_of(1), "2026-11/inspectors", eligible).labels
    formed = form_groups(seed_of(1), "2026-11", INSPECTORS, available=ALL, draw_day=DAY)
    assert [g.members for g in formed] == [order[0:2], order[2:4], order[4:6]]
    assert formed == form_groups(seed_of(1), "2026-11", INSPECTORS, available=ALL, draw_day=DAY)


def test_only_available_officers_and_too_few() -> None:
    available = ALL[:5]
    formed = form_groups(
        seed_of(2), "2026-11", INSPECTORS, available=available, draw_day=DAY, groups=2
    )
    assert {m for g in formed for m in g.members} <= set(available)
    with pytest.raises(PolicyError, match="postpone"):
        form_groups(seed_of(2), "2026-11", INSPECTORS, available=ALL[:1], draw_day=DAY, groups=1)
    with speaking("zh"), pytest.raises(PolicyError, match="每月检查组为 1 到 3 个"):
        form_groups(seed_of(2), "2026-11", INSPECTORS, available=ALL, draw_day=DAY, groups=4)
    with speaking("en"), pytest.raises(PolicyError, match="a month has 1 to 3 groups, not 4"):
        form_groups(seed_of(2), "2026-11", INSPECTORS, available=ALL, draw_day=DAY, groups=4)
    with speaking("zh"), pytest.raises(PolicyError, match="执法人员不得少于 2 人"):
        form_groups(seed_of(2), "2026-11", INSPECTORS, available=ALL, draw_day=DAY, group_size=1)


@given(st.integers(0, 10**6), st.integers(0, 40))
def test_assignment_is_even_and_never_conflicted(n: int, count: int) -> None:
    groups = form_groups(seed_of(n), "2026-11", INSPECTORS, available=ALL, draw_day=DAY)
    drawn = [o.id for o in OBJECTS[:count]]
    assignment = assign_objects(seed_of(n), "2026-11", drawn, groups, INSPECTORS)
    assert sorted(i for ids in assignment.objects for i in ids) == sorted(drawn)
    conflicts = {i.certificate: set(i.conflicts) for i in INSPECTORS}
    for group, ids in zip(assignment.groups, assignment.objects, strict=True):
        for member in group.members:
            assert not conflicts[member] & set(ids), (
                "an officer inspects an object he must recuse from"
            )
    sizes = [len(ids) for ids in assignment.objects]
    if not assignment.substitutions:
        assert max(sizes) - min(sizes) <= 1


def officer(n: int, conflicts: tuple[str, ...]) -> Inspector:
    return Inspector(
        name=f"o{n}", post="A", certificate=f"C{n}", valid_from=date(2024, 1, 1),
        valid_until=date(2030, 1, 1), section="s", conflicts=conflicts,
    )  # fmt: skip


def test_conflicts_move_objects_and_are_recorded() -> None:
    officers = [officer(n, ("X",) if n in {0, 1, 2} else ()) for n in range(6)]
    certificates = [o.certificate for o in officers]
    groups = form_groups(seed_of(3), "2026-11", officers, available=certificates, draw_day=DAY)
    blocked = {g.number for g in groups if {"C0", "C1", "C2"} & set(g.members)}
    moved = 0
    for n in range(40):
        assignment = assign_objects(seed_of(n), "2026-11", ["X", "Y", "Z"], groups, officers)
        assert assignment.group_of("X") not in blocked
        for move in assignment.substitutions:
            assert move.object_id == "X" and set(move.officers) <= {"C0", "C1", "C2"}
            assert move.from_group in blocked
        moved += len(assignment.substitutions)
    assert moved > 0, "with 40 seeds, X must have been dealt to a blocked group at least once"
    everyone = [attrs.evolve(o, conflicts=("X",)) for o in officers]
    with pytest.raises(PolicyError, match="every group"):
        assign_objects(seed_of(4), "2026-11", ["X"], groups, everyone)
