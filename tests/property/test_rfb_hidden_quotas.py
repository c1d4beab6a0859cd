"""Properties of the quota modes (docs/spec/rfb-quotas-v1.md) and of what the public records
prove about the confidential totals (rfb_policy.rules.inference, R11, R18).

Every year here is planned by rfb's month_plan, announced by month_scopes (the ceremony's own
scopes) and drawn by fairdraw's exact mode from seeds Hypothesis chooses; nothing is
projected. The suite's Hypothesis profile is derandomised, so the examples are the same on every
run. No statistical test here: every assertion is exact.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from math import ceil

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairdraw import draw_exact
from quota_objects import plain_object
from rfb_policy.ceremony.announce import month_scopes
from rfb_policy.model.directory import InspectionObject, Inspector
from rfb_policy.month import Month
from rfb_policy.rules.hiding import uniform_share
from rfb_policy.rules.inference import Announced, consistent_sizes, public_year
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import PlanSettings, RiskRule, hidden_pad, month_plan, stratum_ratio

CATALOGUE = Catalogue.bundled()
SECRET = ("MAINT", "USE", "COMM")
YEAR = 2026
PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OFFICER = Inspector(
    name="officer",
    post="A",
    certificate="京执000001",
    valid_from=date(2020, 1, 1),
    valid_until=date(2035, 12, 31),
    section="执法宣传科",
    conflicts=(),
)
MODES = st.sampled_from(
    [
        PlanSettings(),
        PlanSettings(quota_mode="hidden"),
        PlanSettings(quota_mode="hidden", extra_at_most=Fraction(1, 2)),
        PlanSettings(quota_mode="hidden", extra_at_most=Fraction(0)),
        PlanSettings(quota_mode="hidden", risk_multiplier=Fraction(10)),
        PlanSettings(quota_mode="hidden", objects_per_group=3),
        PlanSettings(quota_mode="hidden", max_groups=1, objects_per_group=2),
    ]
)


@st.composite
def directories(draw: st.DrawFn, *, max_size: int = 120) -> list[InspectionObject]:
    """Objects with random item mixes and risk flags."""
    count = draw(st.integers(0, max_size))
    mixes = st.sampled_from([("MAINT",), ("MAINT", "USE"), ("USE",), ("COMM",), ("QUAL",)])
    return [plain_object(n, draw(mixes), draw(st.integers(0, 6)) == 0) for n in range(count)]


def _with_cases(objects: Sequence[InspectionObject], cased: set[int]) -> list[InspectionObject]:
    return [
        attrs.evolve(o, case_number=f"西人防立〔2026〕{n}号", evidence_ref=f"证据-{n}")
        if n in cased
        else o
        for n, o in enumerate(objects)
    ]


# -- R11 in every month sequence --------------------------------------------------------------


@pytest.mark.slow
@settings(PROPERTY, max_examples=60)
@given(objects=directories(), data=st.data(), plan=MODES)
def test_every_month_sequence_reaches_every_target_by_december(
    objects: list[InspectionObject], data: st.DataObject, plan: PlanSettings
) -> None:
    """Whatever the directory, the seeds, and the objects taken out of the draw month by month
    by an open case (R13), each month announced by month_scopes and drawn by fairdraw: by
    December every confidential stratum has at least ceil(ratio × its December members)
    inspected and nothing is drawn twice; in mode hidden a confidential stratum is announced
    every month its list is not empty, with keyed scores and a membership tree, and draws
    nothing in its first month (before the pad exists)."""
    inspected: dict[str, list[str]] = {}
    shares: dict[str, Fraction] = {}
    month_objects = objects
    for number in range(1, 13):
        cased = data.draw(st.sets(st.integers(0, max(0, len(objects) - 1)), max_size=5))
        month_objects = _with_cases(objects, cased)
        seed = data.draw(st.binary(min_size=32, max_size=32))
        salt = hashlib.sha256(seed).digest()
        month = Month(YEAR, number)
        quotas = month_plan(
            YEAR, number, month_objects, CATALOGUE, inspected, settings=plan, shares=shares
        )
        hidden = {q.scope for q in quotas.quotas if q.hidden and q.eligible}
        if quotas.total == 0 and not hidden:
            continue
        scopes = month_scopes(
            month, quotas, CATALOGUE, [OFFICER], available=[OFFICER.certificate],
            draw_day=date(YEAR, number, 1), salt=salt,
        )  # fmt: skip
        announced = {s.scope.removeprefix(f"{month}/") for s in scopes[:-1]}
        assert hidden <= announced, f"{sorted(hidden - announced)} not announced"
        for scope in scopes[:-1]:  # (the last is the officers' shuffle)
            stratum = scope.scope.removeprefix(f"{month}/")
            item = stratum.split("/", maxsplit=1)[0]
            assert scope.k is not None
            if plan.quota_mode == "hidden" and item in SECRET:
                assert scope.keyed_scores and scope.membership_size, scope.scope
                if stratum not in shares:
                    assert scope.k == 0 or number == 12, f"{scope.scope}: drawn before its pad"
                    shares[stratum] = uniform_share(seed, salt, scope.scope)
            else:
                assert not scope.keyed_scores
            picked = draw_exact(seed, scope.scope, scope.population, scope.k).labels
            assert not set(picked) & set(inspected.get(item, ())), "R14: drawn twice"
            inspected.setdefault(item, []).extend(picked)
    rule = RiskRule()
    for item in SECRET:
        members = [o for o in month_objects if item in o.items and not o.open_case]
        drawn = set(inspected.get(item, ()))
        for risky in (False, True):
            stratum = [o.id for o in members if rule.is_risky(o) == risky]
            ratio = stratum_ratio(CATALOGUE, f"{item}/{'risk' if risky else 'base'}", plan)
            reached = len(drawn & set(stratum))
            assert reached >= ceil(ratio * len(stratum)), f"{item} {risky}: target missed"


# -- what mode hidden announces ---------------------------------------------------------------


def _announced(size: int, share: Fraction, plan: PlanSettings) -> list[tuple[int, int]]:
    """A MAINT list's (month, k) for the year, every drawn object inspected, the stratum's
    first month's share given (the pad's only input besides the target)."""
    objects = [plain_object(n, ("MAINT",), False) for n in range(size)]
    inspected: dict[str, set[str]] = {}
    announced = []
    for month in range(1, 13):
        shares = {"MAINT/base": share} if month > 1 else {}
        quota = month_plan(
            YEAR, month, objects, CATALOGUE, inspected, settings=plan, shares=shares
        ).quotas[1]  # (QUAL first, then MAINT/base)
        assert quota.scope == "MAINT/base"
        if quota.eligible:
            announced.append((month, quota.quota))
        inspected.setdefault("MAINT", set()).update(quota.eligible[: quota.quota])
    return announced


@settings(PROPERTY, max_examples=60)
@given(
    size=st.integers(1, 400),
    share=st.fractions(0, 1).filter(lambda u: u < 1),
    extra=st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(1, 5)]),
    data=st.data(),
)
def test_every_size_with_the_same_target_plus_pad_announces_the_same_year(
    size: int, share: Fraction, extra: Fraction, data: st.DataObject
) -> None:
    """The hiding, exactly (spec section 3): a year's announced k's depend on a list's size only
    through target + pad. The sizes consistent with a list's year are exactly those whose target
    has a pad (0 to ceil(extra × target)) giving its total, and a list of any of those sizes, with
    the share giving that pad, announces the very same k every month."""
    plan = PlanSettings(quota_mode="hidden", extra_at_most=extra)
    ratio = Fraction(3, 20)
    year = _announced(size, share, plan)
    total = sum(k for _, k in year)
    public = [Announced(month, k, k) for month, k in year]
    found = consistent_sizes(public, ratio, mode="hidden", extra_at_most=extra)
    assert size in found
    if total < size:  # (a list drawn out entirely is the rule's edge: min(eligible, …))
        assert [n for n in found if n > total] == [
            n
            for n in range(total + 1, int(total / ratio) + 2)
            if 0 <= total - ceil(ratio * n) <= ceil(extra * ceil(ratio * n))
        ]
    other = data.draw(st.sampled_from(found))
    target = ceil(ratio * other)
    pad = total - target
    if total < other:
        # The share in the middle of the pad's interval gives it: floor(u × (P + 1)) = pad.
        assert pad >= 0
        middle = Fraction(2 * pad + 1, 2 * (ceil(extra * target) + 1))
        assert hidden_pad(target, extra, middle) == pad
        assert _announced(other, middle, plan) == year


def test_the_pad_is_uniform_from_zero_to_its_bound() -> None:
    """floor(u × (P + 1)) with P = ceil(extra × target): u = 0 gives 0, the largest u (a hash
    is below 1) gives P, and u = 1/2 the middle; with extra 0 there is no pad."""
    largest = Fraction((1 << 256) - 1, 1 << 256)
    assert hidden_pad(38, Fraction(1), Fraction(0)) == 0
    assert hidden_pad(38, Fraction(1), largest) == 38
    assert hidden_pad(38, Fraction(1), Fraction(1, 2)) == 19  # floor(39 / 2)
    assert hidden_pad(7, Fraction(1, 2), largest) == 4  # ceil(3.5)
    assert hidden_pad(38, Fraction(0), largest) == 0


# -- what the public records prove ------------------------------------------------------------


@settings(PROPERTY, max_examples=40)
@given(objects=directories(max_size=150), number=st.integers(0, 2**32), plan=MODES)
def test_the_inference_never_excludes_the_truth(
    objects: list[InspectionObject], number: int, plan: PlanSettings
) -> None:
    """The sizes consistent with a year of public figures always include the real size, in
    every mode: the ranges the benchmark reports are proofs, not guesses."""
    public, sizes, _ = _year(objects, plan, number)
    for stratum, truth in sizes.items():
        found = _sizes(public, stratum, plan)
        assert truth in found, f"{stratum}: {truth} not in {found[:3]}…{found[-3:]}"


@pytest.mark.slow
@settings(PROPERTY, max_examples=30)
@given(size=st.integers(200, 320), risky=st.integers(0, 40), number=st.integers(0, 2**32))
def test_mode_hidden_never_proves_a_list_of_200_or_more_to_within_25_percent(
    size: int, risky: int, number: int
) -> None:
    """The stated bound (README, docs/spec/rfb-quotas-v1.md section 4): in mode hidden (extra
    up to 100%), from a year of public figures, no MAINT list of 200 to 320 objects (some of
    them in the risk stratum) is proved narrower than ±25% of its size, and no record of it
    publishes a cut-off (keyed scores), while mode exact proves it to within ±3%."""
    objects = [plain_object(n, ("MAINT",), n < risky) for n in range(size)]
    for plan, at_least, at_most in (
        (PlanSettings(quota_mode="hidden"), Fraction(1, 4), None),
        (PlanSettings(), None, Fraction(3, 100)),
    ):
        public, sizes, _ = _year(objects, plan, number)
        if plan.quota_mode == "hidden":
            assert all(m.cut is None for s in sizes for m in public.get(s, ()))
        low = high = 0
        for stratum, truth in sizes.items():
            found = _sizes(public, stratum, plan)
            assert truth in found
            low, high = low + found[0], high + found[-1]
        half = Fraction(high - low, 2 * size)
        assert at_least is None or half >= at_least, f"{plan.quota_mode}: ±{float(half):.1%}"
        assert at_most is None or half <= at_most, f"{plan.quota_mode}: ±{float(half):.1%}"


def _sizes(public: dict[str, list[Announced]], stratum: str, plan: PlanSettings) -> list[int]:
    """The stratum's sizes the year's public figures are consistent with."""
    return consistent_sizes(
        public.get(stratum, ()),
        stratum_ratio(CATALOGUE, stratum, plan),
        mode=plan.quota_mode,
        extra_at_most=plan.extra_at_most,
    )


def _year(
    objects: Sequence[InspectionObject], plan: PlanSettings, number: int
) -> tuple[dict[str, list[Announced]], dict[str, int], dict[str, set[str]]]:
    def seed(month: int) -> bytes:
        return hashlib.sha256(f"seed/{number}/{month}".encode()).digest()

    def salt(month: int) -> bytes:
        return hashlib.sha256(f"salt/{number}/{month}".encode()).digest()

    return public_year(YEAR, objects, CATALOGUE, settings=plan, seed=seed, salt=salt)
