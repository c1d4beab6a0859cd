"""rfb_policy: the annual plan and monthly quotas, as properties over random directories."""

from __future__ import annotations

from fractions import Fraction
from math import ceil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rfb_policy.model.directory import InspectionObject
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import PlanSettings, annual_plan, month_plan

CATALOGUE = Catalogue.bundled()


@st.composite
def directories(draw: st.DrawFn) -> list[InspectionObject]:
    count = draw(st.integers(0, 120))
    objects = []
    for n in range(count):
        construction = draw(st.booleans()) and n % 5 == 0
        items = (
            ("QUAL",)
            if construction
            else tuple(sorted(draw(st.sets(st.sampled_from(["MAINT", "USE", "COMM"]), min_size=1))))
        )
        case = draw(st.integers(0, 20)) == 0
        objects.append(
            InspectionObject(
                id=f"obj-{n:03d}",
                id_type="project",
                name=f"对象{n}",
                items=items,
                under_construction=construction,
                complaints=draw(st.integers(0, 3)),
                reported_problems=draw(st.integers(0, 1)),
                bad_records=0,
                serious_violation=False,
                case_number="立字1号" if case else None,
                evidence_ref="证据" if case else None,
            )
        )
    return objects


@pytest.mark.slow
@settings(max_examples=80)
@given(directories())
def test_a_year_reaches_every_target_without_repeats(objects: list[InspectionObject]) -> None:
    plans = annual_plan(2026, objects, CATALOGUE)
    assert [p.month for p in plans] == list(range(1, 13))
    open_cases = {o.id for o in objects if o.open_case}
    picked: dict[str, list[str]] = {}
    for plan in plans:
        for quota in plan.quotas:
            assert 0 <= quota.quota <= len(quota.eligible)
            assert not open_cases & set(quota.eligible), "an object with an open case is drawn"
            picked.setdefault(quota.item, []).extend(quota.eligible[: quota.quota])
    for item, ids in picked.items():
        assert len(ids) == len(set(ids)), f"{item}: an object inspected twice in the year"
    for item in ("MAINT", "USE", "COMM"):
        population = [o for o in objects if item in o.items and not o.open_case]
        assert len(picked.get(item, [])) >= ceil(Fraction(3, 20) * len(population))
    construction = {o.id for o in objects if o.under_construction and not o.open_case}
    assert set(picked.get("QUAL", [])) == construction


@pytest.mark.slow
@given(directories(), st.integers(1, 12))
def test_quota_is_the_remaining_target_over_the_months_left(
    objects: list[InspectionObject], month: int
) -> None:
    plan = month_plan(2026, month, objects, CATALOGUE, {})
    for quota in plan.quotas:
        assert quota.done == 0
        assert quota.quota == min(len(quota.eligible), ceil(quota.target / (13 - month)))


def test_risk_stratum_is_drawn_at_twice_the_base_ratio() -> None:
    objects = [
        InspectionObject(id=f"r{n}", id_type="project", name="r", items=("MAINT",), under_construction=False,
                         complaints=5, reported_problems=0, bad_records=0, serious_violation=False,
                         case_number=None, evidence_ref=None)
        for n in range(10)
    ] + [
        InspectionObject(id=f"b{n}", id_type="project", name="b", items=("MAINT",), under_construction=False,
                         complaints=0, reported_problems=0, bad_records=0, serious_violation=False,
                         case_number=None, evidence_ref=None)
        for n in range(20)
    ]  # fmt: skip
    plan = month_plan(2026, 1, objects, CATALOGUE, {})
    targets = {q.scope: q.target for q in plan.quotas if q.item == "MAINT"}
    assert targets == {"MAINT/base": 3, "MAINT/risk": 3}  # ceil(15% of 20), ceil(30% of 10)
    capped = month_plan(
        2026, 1, objects, CATALOGUE, {}, settings=PlanSettings(risk_multiplier=Fraction(10))
    )
    assert {q.scope: q.target for q in capped.quotas}["MAINT/risk"] == 10  # at most 100%


def test_over_capacity_is_reported_not_dropped() -> None:
    objects = [
        InspectionObject(id=f"c{n}", id_type="project", name="c", items=("QUAL",), under_construction=True,
                         complaints=0, reported_problems=0, bad_records=0, serious_violation=False,
                         case_number=None, evidence_ref=None)
        for n in range(60)
    ]  # fmt: skip
    plan = month_plan(2026, 12, objects, CATALOGUE, {}, settings=PlanSettings(objects_per_group=5))
    assert plan.total == 60 and plan.capacity == 15 and plan.over_capacity == 45
