"""rfb_policy: one Hypothesis property per rule, over random directories and calendars.

The rules are those of ``domain-rules.md`` section 7 (R4–R22). Every expectation below is
computed from the generated directory or calendar on its own terms (a certificate's dates, an
object's flags, the ratios of the item catalogue), not read back from the function under test,
so each property can fail. The neighbouring files test fixed examples; these extend them to
random directories, random seeds (bytes drawn by Hypothesis, never ``random``) and random
calendar files.

Runs are reproducible: every test is derandomized and keeps no example database.
"""

from __future__ import annotations

import csv
import json
import re
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from math import ceil
from pathlib import Path
from typing import Any

import attrs
import openpyxl  # type: ignore[import-untyped]
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, Phase, assume, event, example, given, settings
from hypothesis import strategies as st

from fairdraw import OfficeKey, PolicyError, Population, ScopePlan, draw_exact, shuffle
from rfb_policy.ceremony.announce import announce_month
from rfb_policy.ceremony.announce import month_scopes as _month_scopes
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.errors import CalendarError
from rfb_policy.model.directory import USCC_CHARS, InspectionObject, Inspector, is_valid_uscc
from rfb_policy.model.results import RESULT_CATEGORIES, InspectionResult
from rfb_policy.month import Month
from rfb_policy.publish.assignment import assignment_json
from rfb_policy.publish.disclosure import PublicRow, public_rows, write_publication
from rfb_policy.rules.calendar import OfficialCalendar
from rfb_policy.rules.groups import (
    Group,
    GroupRules,
    Substitution,
    assign_objects,
    deal_order,
    form_groups,
)
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import PlanSettings, month_plan
from rfb_policy.rules.schedule import DrawDayRule, draw_day, month_schedule, results_due


def month_scopes(label: str, *args: Any, **options: Any) -> list[ScopePlan]:
    """``month_scopes`` for a month written ``YYYY-MM``."""
    return _month_scopes(Month.parse(label), *args, **options)


def tiny_record(label: str) -> MonthRecord:
    """A real, small month record (one public scope and the officers), for publication tests
    that need a record but not a directory."""
    scopes = [
        ScopePlan(scope=f"{label}/QUAL", population=Population.of(["P-1", "P-2"]), k=1),
        ScopePlan(scope=f"{label}/inspectors", population=Population.of(["C-1", "C-2"]), k=2),
    ]
    return MonthRecord.from_json(run_ceremony(label, scopes, bytes(32), [1] * 50))


PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CATALOGUE = Catalogue.bundled()
SECRET_ITEMS = ("MAINT", "USE", "COMM")
BASE_RATIO = Fraction(15, 100)
YEAR = 2026
SEEDS = st.binary(min_size=32, max_size=32)
SALT = bytes(range(7, 39))
KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64))))
SECTIONS = ("综合科", "执法宣传科", "工程管理科", "通信警报科")
CJK_DIGITS = "甲乙丙丁戊己庚辛壬癸"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


# -- shared builders ------------------------------------------------------------------------


def uscc(number: int) -> str:
    """A valid 统一社会信用代码 whose body encodes ``number`` (check character computed here)."""
    body = "91110102MA"
    digits = ""
    for _ in range(7):
        number, rest = divmod(number, 31)
        digits = USCC_CHARS[rest] + digits
    body += digits
    total = sum(USCC_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    code = body + USCC_CHARS[(31 - total % 31) % 31]
    assert is_valid_uscc(code)
    return code


def spelled(number: int, alphabet: str, width: int = 4) -> str:
    """``number`` written in ``alphabet`` (used to keep ids and names free of decimal digits)."""
    out = ""
    for _ in range(width):
        number, rest = divmod(number, len(alphabet))
        out = alphabet[rest] + out
    return out


def project_code(number: int) -> str:
    """A project code without decimal digits (``XCRF-ABCD``)."""
    return f"XCRF-{spelled(number, LETTERS)}"


def is_risky(obj: InspectionObject) -> bool:
    """The default high-risk rule, restated here (R12): complaints ≥ 2, any report, any bad
    record, or a serious violation."""
    return (
        obj.complaints >= 2
        or obj.reported_problems >= 1
        or obj.bad_records >= 1
        or obj.serious_violation
    )


def make_object(
    object_id: str,
    items: Iterable[str],
    *,
    construction: bool = False,
    complaints: int = 0,
    reported: int = 0,
    bad: int = 0,
    serious: bool = False,
    case: str | None = None,
) -> InspectionObject:
    return InspectionObject(
        id=object_id,
        id_type="project" if object_id.startswith("XCRF") else "uscc",
        name=f"示例单位{spelled(zlib.crc32(object_id.encode()), CJK_DIGITS)}工程",
        items=tuple(sorted(set(items))),
        under_construction=construction,
        complaints=complaints,
        reported_problems=reported,
        bad_records=bad,
        serious_violation=serious,
        case_number=None if case is None else f"西人防立〔2026〕{case}号",
        evidence_ref=None if case is None else f"现场检查笔录-{case}",
    )


def officer(certificate: str, *, post: str = "A", conflicts: Iterable[str] = ()) -> Inspector:
    return Inspector(
        name=f"officer {certificate}",
        post=post,
        certificate=certificate,
        valid_from=date(2020, 1, 1),
        valid_until=date(2035, 12, 31),
        section="执法宣传科",
        conflicts=tuple(conflicts),
    )


OFFICERS = [officer(f"京执{n:06d}", post="AB"[n % 2]) for n in range(8)]
"""Officers for the object draws (R10–R14, R18), valid all year, all available."""


@st.composite
def directories(draw: st.DrawFn, *, max_size: int = 80, open_cases: bool = True) -> Any:
    """Random objects directories: item mixes, risk flags, projects under construction, and
    (optionally) open cases. Ids are valid 统一社会信用代码 or project codes."""
    count = draw(st.integers(0, max_size))
    start = draw(st.integers(0, 31**6))
    objects = []
    for n in range(count):
        construction = draw(st.integers(0, 6)) == 0
        items = set(draw(st.sets(st.sampled_from(SECRET_ITEMS), min_size=0 if construction else 1)))
        if construction:
            items.add("QUAL")
        case = open_cases and draw(st.integers(0, 10)) == 0
        objects.append(
            make_object(
                project_code(start + n) if construction else uscc(start + n),
                items,
                construction=construction,
                complaints=draw(st.integers(0, 3)),
                reported=int(draw(st.integers(0, 8)) == 0),
                bad=int(draw(st.integers(0, 8)) == 0),
                serious=draw(st.integers(0, 15)) == 0,
                case=str(n) if case else None,
            )
        )
    return objects


def simulate_months(
    objects: Sequence[InspectionObject],
    seeds: Sequence[bytes],
    months: Iterable[int],
    *,
    plan_settings: PlanSettings | None = None,
    inspected: dict[str, list[str]] | None = None,
) -> dict[str, list[str]]:
    """Run months through ``month_plan`` → ``month_scopes`` → ``fairdraw.draw_exact``.

    Every month's objects are really drawn from its seed and its announced scopes (the
    ceremony-free path: the same draw the ceremony makes), and each draw is checked against the
    month's quotas as it is made. Returns item code → ids drawn for it, in draw order.
    """
    inspected = {} if inspected is None else inspected
    for month in months:
        label = f"{YEAR}-{month:02d}"
        plan = month_plan(YEAR, month, objects, CATALOGUE, inspected, settings=plan_settings)
        options: dict[str, Any] = {
            "available": [o.certificate for o in OFFICERS],
            "draw_day": date(YEAR, month, 1),
            "salt": SALT,
        }
        if plan.total == 0:
            with pytest.raises(PolicyError, match="anything to draw"):
                month_scopes(label, plan, CATALOGUE, OFFICERS, **options)
            continue
        scopes = month_scopes(label, plan, CATALOGUE, OFFICERS, **options)
        quotas = {f"{label}/{q.scope}": q for q in plan.quotas if q.quota}
        object_scopes = [s for s in scopes if s.scope != f"{label}/inspectors"]
        assert {s.scope for s in object_scopes} == set(quotas)
        for scope in object_scopes:
            quota = quotas[scope.scope]
            assert scope.k == quota.quota
            assert sorted(scope.population) == sorted(quota.eligible)
            assert scope.confidential == (quota.item in SECRET_ITEMS)
            picked = draw_exact(
                seeds[month - 1],
                scope.scope,
                scope.population,
                scope.k,
                alternates=scope.alternates,
            ).labels
            already = set(inspected.get(quota.item, ()))
            assert len(picked) == quota.quota and set(picked) <= set(quota.eligible)
            assert not already & set(picked), f"{scope.scope}: drawn twice in the year (R14)"
            inspected.setdefault(quota.item, []).extend(picked)
    return inspected


def run_ceremony(
    label: str, scopes: Sequence[ScopePlan], secret: bytes, rolls: Sequence[int]
) -> dict[str, Any]:
    """One month's ceremony, as tests/integration/test_rfb_monthly.py runs it, with random inputs."""
    start = datetime(YEAR, int(label[5:]), 1, 9, 0, tzinfo=UTC)
    ceremony = announce_month(
        KEY, draw_id=f"rfb-properties-{label}", office="西城区人防办（测试）", scopes=scopes,
        catalogue=CATALOGUE, start=start,
        single_party_reason="a property test of the exports: who steers is not what it tests",
    )  # fmt: skip
    ceremony.commit_secret("office-secret", secret, at=start + timedelta(minutes=1))
    ceremony.add_value("leader-dice", {"rolls": list(rolls)}, at=start + timedelta(minutes=20))
    ceremony.reveal("office-secret", secret, at=start + timedelta(minutes=21))
    ceremony.seed(at=start + timedelta(minutes=22))
    record: dict[str, Any] = ceremony.draw(
        {s.scope: s.population for s in scopes}, at=start + timedelta(minutes=23)
    )
    return record


# -- R4, R8: groups --------------------------------------------------------------------------


@st.composite
def inspector_directories(draw: st.DrawFn) -> Any:
    """Random inspectors: certificates valid on the draw day (most), expired or not yet valid,
    often ending or starting on the day itself or next to it; A岗/B岗, sections, and who
    confirmed availability (plus a certificate that is not in the directory)."""
    day = draw(st.dates(date(2024, 1, 1), date(2028, 12, 31)))
    count = draw(st.one_of(st.integers(0, 5), st.integers(6, 20)))
    numbers = draw(st.lists(st.integers(0, 999_999), min_size=count, max_size=count, unique=True))
    near = st.one_of(st.integers(0, 2), st.integers(0, 900))
    inspectors, available = [], set()
    for n, number in enumerate(numbers):
        kind = draw(st.sampled_from(["valid"] * 6 + ["expired", "not yet"]))
        if kind == "valid":
            first, last = -draw(near), draw(near)
        elif kind == "expired":
            last = -1 - draw(near)
            first = last - draw(near)
        else:
            first = 1 + draw(near)
            last = first + draw(near)
        inspectors.append(
            Inspector(
                name=f"检查员{n}",
                post=draw(st.sampled_from("AB")),
                certificate=f"京执{number:06d}",
                valid_from=day + timedelta(days=first),
                valid_until=day + timedelta(days=last),
                section=draw(st.sampled_from(SECTIONS)),
                conflicts=(),
            )
        )
        if draw(st.integers(0, 4)) > 0:
            available.add(f"京执{number:06d}")
    if draw(st.booleans()):
        available.add("京执-不在名录")  # confirmed, but not in the directory: never drawn
    return inspectors, available, day


@settings(PROPERTY, max_examples=300)
@given(
    directory=inspector_directories(),
    seed=SEEDS,
    groups=st.sampled_from([1, 2, 2, 3, 3, 3, 4]),
    size=st.sampled_from([1, 2, 2, 2, 3, 4, 5]),
    a_post=st.booleans(),
)
def test_r4_r8_groups_over_random_inspector_directories(
    directory: tuple[list[Inspector], set[str], date],
    seed: bytes,
    groups: int,
    size: int,
    a_post: bool,
) -> None:
    """At most 3 groups of at least 2, nobody twice, everyone available and certified on the
    draw day, one A岗 per group when asked; refused exactly when the rules cannot be met; the
    groups are the published shuffle and ignore officers who could not go."""
    inspectors, available, day = directory
    month = f"{day.year:04d}-{day.month:02d}"
    eligible = {
        i.certificate: i
        for i in inspectors
        if i.certificate in available and i.valid_from <= day <= i.valid_until
    }
    a_posts = [c for c, i in eligible.items() if i.post == "A"]
    feasible = (
        1 <= groups <= 3
        and size >= 2
        and len(eligible) >= groups * size
        and (not a_post or len(a_posts) >= groups)
    )

    def form(directory: Sequence[Inspector], ready: Iterable[str]) -> tuple[Group, ...]:
        return form_groups(
            seed, month, directory, available=sorted(ready), draw_day=day, groups=groups,
            group_size=size, require_a_post=a_post,
        )  # fmt: skip

    event(f"feasible: {feasible}")
    if not 1 <= groups <= 3:
        with pytest.raises(ValueError):
            GroupRules(groups=groups)
    if not feasible:
        with pytest.raises(PolicyError):
            form(inspectors, available)
        return
    formed = form(inspectors, available)
    assert [g.number for g in formed] == list(range(1, groups + 1)) and len(formed) <= 3
    assert all(len(g.members) == size >= 2 for g in formed)
    members = [m for g in formed for m in g.members]
    assert len(members) == len(set(members)), "an officer is in two groups"
    assert set(members) <= set(eligible), "an unavailable or uncertified officer is in a group"
    # The published rule (anyone can recompute it from the seed): shuffle the eligible
    # certificates; with require_a_post each group first takes the next A岗 in that order.
    order = list(shuffle(seed, f"{month}/inspectors", sorted(eligible)).labels)
    expected: list[list[str]] = [[] for _ in range(groups)]
    if a_post:
        for group, lead in zip(
            expected, [c for c in order if eligible[c].post == "A"], strict=False
        ):
            group.append(lead)
            order.remove(lead)
        assert all(eligible[g.members[0]].post == "A" for g in formed)
    for group in expected:
        while len(group) < size:
            group.append(order.pop(0))
    assert [list(g.members) for g in formed] == expected
    # Officers who cannot go change nothing: one not available, one whose certificate ended the
    # day before; nor does the directory's order.
    extra = [
        attrs.evolve(inspectors[0] if inspectors else OFFICERS[0], certificate="京执X1"),
        attrs.evolve(
            OFFICERS[0], certificate="京执X2", post="A", valid_until=day - timedelta(days=1)
        ),
    ]
    assert form([*reversed(inspectors), *extra], [*available, "京执X2"]) == formed


# Regression (fixed in ed21b24): at 58eea83 form_groups counted the eligible officers before
# checking the rules, so groups=0 with nobody eligible raised EmptyPopulationError (the example).
@settings(PROPERTY, max_examples=60)
@example(directory=([], set(), date(2026, 11, 3)), seed=bytes(32), groups=0, size=2)
@given(
    directory=inspector_directories(),
    seed=SEEDS,
    groups=st.integers(-1, 4),
    size=st.integers(-1, 5),
)
def test_r8_rules_outside_1_to_3_groups_of_2_or_more_are_refused(
    directory: tuple[list[Inspector], set[str], date], seed: bytes, groups: int, size: int
) -> None:
    """Asking for 0 or more than 3 groups, or groups of fewer than 2, is refused with
    PolicyError, whoever is available."""
    assume(not (1 <= groups <= 3 and size >= 2))
    inspectors, available, day = directory
    with pytest.raises(PolicyError):
        form_groups(
            seed, f"{day:%Y-%m}", inspectors, available=available, draw_day=day, groups=groups,
            group_size=size,
        )  # fmt: skip


# -- R9: assignment and 回避 ----------------------------------------------------------------


@st.composite
def assignment_cases(draw: st.DrawFn) -> Any:
    """Drawn objects, officers with random 回避 lists, and groups formed from them."""
    start = draw(st.integers(0, 31**6))
    ids = [uscc(start + n) for n in range(draw(st.integers(0, 30)))]
    others = [project_code(start + n) for n in range(3)]  # in the directory, not drawn
    with_conflicts = draw(st.booleans())
    pool = ids + others if with_conflicts and ids else others
    inspectors = [
        officer(
            f"京执{n:06d}",
            conflicts=draw(st.lists(st.sampled_from(pool), max_size=3, unique=True)),
        )
        for n in range(draw(st.integers(2, 10)))
    ]
    groups = draw(st.integers(1, min(3, len(inspectors) // 2)))
    size = draw(st.integers(2, min(4, len(inspectors) // groups)))
    return ids, inspectors, groups, size


@settings(PROPERTY, max_examples=200)
@given(case=assignment_cases(), seed=SEEDS, month=st.integers(1, 12))
def test_r9_assignment_honours_recusal_and_records_every_move(
    case: tuple[list[str], list[Inspector], int, int], seed: bytes, month: int
) -> None:
    """No officer inspects an object he must recuse from; every object not in its dealt group
    has exactly one recorded substitution, to the next group in turn without a conflict; sizes
    differ by at most one without conflicts; the assignment depends only on (seed, month,
    objects, groups)."""
    ids, inspectors, group_count, size = case
    label = f"{YEAR}-{month:02d}"
    everyone = [i.certificate for i in inspectors]
    groups = form_groups(
        seed, label, inspectors, available=everyone, draw_day=date(YEAR, month, 1),
        groups=group_count, group_size=size,
    )  # fmt: skip
    conflicts = {i.certificate: set(i.conflicts) for i in inspectors}

    def recused(group: Group, object_id: str) -> tuple[str, ...]:
        return tuple(m for m in group.members if object_id in conflicts[m])

    if any(all(recused(g, o) for g in groups) for o in ids):
        with pytest.raises(PolicyError, match="every group"):
            assign_objects(seed, label, ids, groups, inspectors)
        return
    assignment = assign_objects(seed, label, ids, groups, inspectors)
    assert assignment.groups == groups and len(assignment.objects) == len(groups)
    dealt = [o for bucket in assignment.objects for o in bucket]
    assert sorted(dealt) == sorted(ids), "every drawn object goes to exactly one group"
    for group, bucket in zip(groups, assignment.objects, strict=True):
        for object_id in bucket:
            assert not recused(group, object_id), f"{object_id}: a member must recuse himself"
    # The dealing order is the public ranking under YYYY-MM/assignment; object n goes to group
    # n mod g unless a member must recuse himself, and then the move is on record.
    order = shuffle(seed, f"{label}/assignment", ids).labels if ids else ()
    assert deal_order(seed, label, ids) == order
    moves = {s.object_id: s for s in assignment.substitutions}
    assert len(moves) == len(assignment.substitutions)
    for turn, object_id in enumerate(order):
        first = turn % len(groups)
        landed = assignment.group_of(object_id) - 1
        blocked = recused(groups[first], object_id)
        if not blocked:
            assert landed == first and object_id not in moves
            continue
        target = next(
            (first + step) % len(groups)
            for step in range(len(groups))
            if not recused(groups[(first + step) % len(groups)], object_id)
        )
        assert landed == target
        assert moves[object_id] == Substitution(object_id, first + 1, target + 1, blocked)
    if not any(recused(g, o) for g in groups for o in ids):
        sizes = [len(bucket) for bucket in assignment.objects]
        assert not assignment.substitutions and max(sizes) - min(sizes) <= 1
    # A function of (seed, month, objects, groups): not of the order the objects are listed in,
    # nor of the directory's order, nor of officers outside the groups.
    bystander = officer("京执旁观者", conflicts=[*ids, "x"])
    again = assign_objects(seed, label, ids[::-1], groups, [bystander, *inspectors[::-1]])
    assert again == assignment


# -- R10, R11, R12, R14: a year of real draws reaches every target --------------------------


@pytest.mark.slow
@settings(PROPERTY, max_examples=100)
@given(
    objects=directories(),
    seeds=st.lists(SEEDS, min_size=12, max_size=12),
    multiplier=st.sampled_from(
        [Fraction(2), Fraction(2), Fraction(1), Fraction(3, 2), Fraction(10)]
    ),
)
def test_r10_r11_r12_r14_a_year_of_real_draws_reaches_every_target(
    objects: list[InspectionObject], seeds: list[bytes], multiplier: Fraction
) -> None:
    """Twelve months drawn with fairdraw from random seeds (not "first eligible"): by December
    every stratum reaches ceil(15% of its size) (the risk stratum: ratio × multiplier, at most
    100%), QUAL covers every project under construction, and nothing is drawn twice for an
    item."""
    plan_settings = PlanSettings(risk_multiplier=Fraction(multiplier))
    inspected = simulate_months(objects, seeds, range(1, 13), plan_settings=plan_settings)
    for item, ids in inspected.items():
        assert len(ids) == len(set(ids)), f"{item}: an object is drawn twice in the year"
    closed = [o for o in objects if o.case_number is None]
    construction = {o.id for o in closed if o.under_construction and "QUAL" in o.items}
    assert set(inspected.get("QUAL", ())) == construction, "R10: 100% of projects under way"
    risk_ratio = min(Fraction(1), BASE_RATIO * Fraction(multiplier))
    for item in SECRET_ITEMS:
        members = [o for o in closed if item in o.items]
        drawn = set(inspected.get(item, ()))
        assert drawn <= {o.id for o in members}
        risky = {o.id for o in members if is_risky(o)}
        base = {o.id for o in members} - risky
        assert len(drawn & base) >= ceil(BASE_RATIO * len(base)), f"{item}: base target missed"
        assert len(drawn & risky) >= ceil(risk_ratio * len(risky)), f"{item}: risk target missed"
        assert len(drawn) >= ceil(BASE_RATIO * len(members)), f"{item}: 15% not reached"


# -- R13: open cases ------------------------------------------------------------------------


@pytest.mark.slow
@settings(PROPERTY, max_examples=60)
@given(
    objects=directories(open_cases=False),
    data=st.data(),
    month=st.integers(1, 12),
    seed=SEEDS,
)
def test_r13_open_cases_are_outside_every_scope_draw_and_ratio(
    objects: list[InspectionObject], data: st.DataObject, month: int, seed: bytes
) -> None:
    """Opening cases (case number and evidence) on any objects leaves the month exactly as if
    those objects were not in the directory: not in any scope, never drawn, not in any ratio's
    population — whatever was inspected earlier in the year."""
    marks = data.draw(st.lists(st.booleans(), min_size=len(objects), max_size=len(objects)))
    cased = [
        attrs.evolve(o, case_number=f"西人防立〔2026〕{n}号", evidence_ref=f"证据-{n}")
        if mark
        else o
        for n, (o, mark) in enumerate(zip(objects, marks, strict=True))
    ]
    open_ids = {o.id for o, mark in zip(objects, marks, strict=True) if mark}
    without = [o for o in objects if o.id not in open_ids]
    every_id = sorted(o.id for o in objects)
    history: dict[str, list[str]] = {}
    if every_id:
        for item in ("QUAL", *SECRET_ITEMS):
            history[item] = sorted(data.draw(st.sets(st.sampled_from(every_id), max_size=8)))
    plan = month_plan(YEAR, month, cased, CATALOGUE, history)
    assert plan == month_plan(YEAR, month, without, CATALOGUE, history)
    risk_ratio = min(Fraction(1), 2 * BASE_RATIO)
    for quota in plan.quotas:
        assert not open_ids & set(quota.eligible)
        members = [o for o in cased if quota.item in o.items and o.case_number is None]
        if quota.item == "QUAL":
            stratum, ratio = [o for o in members if o.under_construction], Fraction(1)
        elif quota.stratum == "risk":
            stratum, ratio = [o for o in members if is_risky(o)], risk_ratio
        else:
            stratum, ratio = [o for o in members if not is_risky(o)], BASE_RATIO
        assert quota.target == ceil(ratio * len(stratum)), f"{quota.scope}: open cases counted"
    if plan.total == 0:
        return
    label = f"{YEAR}-{month:02d}"
    scopes = month_scopes(
        label, plan, CATALOGUE, OFFICERS, available=[o.certificate for o in OFFICERS],
        draw_day=date(YEAR, month, 1), salt=SALT,
    )  # fmt: skip
    for scope in scopes:
        assert not open_ids & set(scope.population), f"{scope.scope}: an open case is listed"
        if scope.scope != f"{label}/inspectors":
            assert scope.k is not None
            picked = draw_exact(seed, scope.scope, scope.population, scope.k, alternates=3)
            assert not open_ids & {p.label for p in [*picked.selected, *picked.alternates]}


# -- R18: confidential totals never appear in public output ---------------------------------

_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")
_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]+(?![0-9A-Za-z])")
PUBLIC_HEADER = [
    "统一社会信用代码/编号", "名称", "抽查事项", "检查结果", "处罚决定书文号", "罚款金额（元）", "检查日期",
    "检查组", "执法人员", "发现的问题", "处理情况",
]  # fmt: skip
PUBLICATION_FILES = {
    "index.html", "results.csv", "results.xlsx", "record.json", "credit.json", "assignment.json",
}  # fmt: skip


def stated_numbers(text: str) -> set[int]:
    """Whole numbers standing alone in ``text``. Dates and times are removed first; a number
    inside an alphanumeric token (a hex digest, a 统一社会信用代码, ``v1``) is not one."""
    text = _YEAR_MONTH.sub(" ", _TIMESTAMP.sub(" ", text))
    return {int(t) for t in _NUMBER.findall(text)}


def publication_numbers(folder: Path) -> tuple[set[int], str]:
    """Every number stated in the files of a publication, and their text (XLSX: every cell of
    every sheet, read with openpyxl)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.suffix != ".xlsx"]
    numbers = set().union(*(stated_numbers(t) for t in texts))
    book = openpyxl.load_workbook(folder / "results.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for cell in row:
                if isinstance(cell, int | float) and not isinstance(cell, bool):
                    numbers.add(int(cell))
                elif isinstance(cell, str):
                    numbers |= stated_numbers(cell)
                    texts.append(cell)
    return numbers, "\n".join(texts)


RISK_REASONS: list[dict[str, Any]] = [
    {"complaints": 2}, {"complaints": 3}, {"reported": 1}, {"bad": 1}, {"serious": True},
    {"complaints": 1, "bad": 2},
]  # fmt: skip


@st.composite
def large_directories(draw: st.DrawFn) -> Any:
    """Directories whose confidential counts are distinctive: each MAINT/USE/COMM stratum holds
    hundreds of objects, so every population size and every target (≥ 60) is far above the
    small numbers a publication legitimately states (ranks, quotas, group numbers, dice)."""
    start = draw(st.integers(0, 31**5))
    reasons: list[dict[str, Any]] = draw(
        st.lists(st.sampled_from(RISK_REASONS), min_size=1, max_size=4)
    )
    objects = [
        make_object(project_code(start + n), ["QUAL"], construction=True)
        for n in range(draw(st.integers(0, 12)))
    ]
    number = start
    for item in SECRET_ITEMS:
        for stratum, low, high in (("base", 400, 700), ("risk", 200, 350)):
            for n in range(draw(st.integers(low, high))):
                number += 1
                flags: dict[str, Any] = (
                    reasons[n % len(reasons)] if stratum == "risk" else {"complaints": n % 2}
                )
                objects.append(make_object(uscc(number), [item], **flags))
        for n in range(draw(st.integers(0, 25))):  # open cases: in the directory, not counted
            number += 1
            objects.append(make_object(uscc(number), [item], case=f"{item}{n}"))
    for n in range(draw(st.integers(0, 40))):  # objects under two or three items
        number += 1
        items = draw(st.sets(st.sampled_from(SECRET_ITEMS), min_size=2))
        objects.append(make_object(uscc(number), items, complaints=2 * (n % 3 == 0)))
    return objects


def confidential_counts(
    objects: Sequence[InspectionObject], eligible: Mapping[str, int]
) -> dict[str, int]:
    """Every count that would reveal a confidential total, computed from the directory."""
    counts: dict[str, int] = {"directory size": len(objects)}
    closed = [o for o in objects if o.case_number is None]
    union = 0
    for item in SECRET_ITEMS:
        members = [o for o in closed if item in o.items]
        risky = [o for o in members if is_risky(o)]
        base = len(members) - len(risky)
        union += len(members)
        counts |= {
            f"{item} population": len(members),
            f"{item} with open cases": sum(1 for o in objects if item in o.items),
            f"{item}/base population": base,
            f"{item}/risk population": len(risky),
            f"{item} target": ceil(BASE_RATIO * len(members)),
            f"{item}/base target": ceil(BASE_RATIO * base),
            f"{item}/risk target": ceil(2 * BASE_RATIO * len(risky)),
            f"{item} strata targets": ceil(BASE_RATIO * base) + ceil(2 * BASE_RATIO * len(risky)),
        }
    counts["confidential populations together"] = union
    counts |= {f"{scope} eligible this month": size for scope, size in eligible.items()}
    return counts


# No shrinking: each example is a directory of thousands of objects, and its failure message
# already names the leaked count and where the directory came from.
@pytest.mark.slow
@settings(PROPERTY, max_examples=25, phases=[Phase.explicit, Phase.generate])
@given(
    objects=large_directories(),
    month=st.integers(1, 12),
    seeds=st.lists(SEEDS, min_size=12, max_size=12),
    rolls=st.lists(st.integers(1, 6), min_size=50, max_size=50),
    data=st.data(),
)
def test_r18_public_exports_never_state_a_confidential_total(
    tmp_path_factory: pytest.TempPathFactory,
    objects: list[InspectionObject],
    month: int,
    seeds: list[bytes],
    rolls: list[int],
    data: st.DataObject,
) -> None:
    """A month drawn in a ceremony after the earlier months were drawn, published with random
    results and its groups: no file (HTML, CSV, every XLSX cell, record, credit and assignment
    JSON) states a MAINT/USE/COMM population size, eligible count or target, and the files have
    only the public fields."""
    label = f"{YEAR}-{month:02d}"
    history = simulate_months(objects, seeds, range(1, month))
    plan = month_plan(YEAR, month, objects, CATALOGUE, history)
    scopes = month_scopes(
        label, plan, CATALOGUE, OFFICERS, available=[o.certificate for o in OFFICERS],
        draw_day=date(YEAR, month, 1), salt=SALT,
    )  # fmt: skip
    record = run_ceremony(label, scopes, seeds[month - 1], rolls)
    read = MonthRecord.from_json(record)
    drawn = read.drawn
    names = {o.id: o.name for o in objects}
    results: dict[str, InspectionResult] = {}
    for object_id in sorted({o for ids in drawn.values() for o in ids}):
        category = data.draw(st.sampled_from(RESULT_CATEGORIES))
        fined = category == "发现问题已责令改正" and data.draw(st.booleans())
        results[object_id] = InspectionResult(
            category=category,
            penalty_decision="西人防罚〔2026〕第甲号" if fined else "",
            penalty_amount=data.draw(st.sampled_from(["2000", "5000", "20000"])) if fined else "",
            inspected_on=date(YEAR, month, data.draw(st.integers(1, 28))),
        )
    assignment = read.assignment(OFFICERS)
    officer_names = {o.certificate: o.name for o in OFFICERS}
    rows = public_rows(drawn, names, results, CATALOGUE, assignment, officer_names)
    folder = tmp_path_factory.mktemp("publication")
    published_assignment = assignment_json(read.draw_id, label, assignment)
    written = write_publication(folder / "month", rows, read, published_assignment)
    assert {p.name for p in written} == PUBLICATION_FILES
    assert {p.name for p in (folder / "month").iterdir()} == PUBLICATION_FILES

    # What a publication may state whatever the directory: the numbers of the page template (an
    # empty month), those inside the published rows' own cells (decision numbers, amounts), and
    # the announcement's fixed parts (catalogue version, 50 dice rolls, group rules).
    write_publication(folder / "empty", [], read)  # the template: the page of an empty month,
    (folder / "empty" / "record.json").unlink()  # without the record the month publishes
    legitimate, _ = publication_numbers(folder / "empty")
    for row in rows:
        for value in attrs.astuple(row):
            legitimate |= stated_numbers(value)
    announcement = record["events"][0]["event"]["body"]
    for part in ("office", "policy", "participants", "sources"):
        legitimate |= stated_numbers(json.dumps(announcement[part], ensure_ascii=False))
    eligible = {q.scope: len(q.eligible) for q in plan.quotas if q.item in SECRET_ITEMS}
    counts = confidential_counts(objects, eligible)
    key = {v for k, v in counts.items() if "population" in k}
    assume(not key & legitimate)  # e.g. a stratum of 256 objects beside "SHA-256" on the page
    secret = {n for n in counts.values() if n >= 60} - legitimate
    assert key <= secret, "the directories are built so that every population is distinctive"

    stated, text = publication_numbers(folder / "month")
    leaked = {name: n for name, n in counts.items() if n in secret and n in stated}
    assert not leaked, f"confidential totals in the public files: {leaked}"
    for n in (n for n in secret if n >= 1000):
        assert f"{n:,}" not in text, f"{n} is stated with a thousands separator"
    # The scan is not blind: the same page stating a population is caught.
    page = (folder / "month" / "index.html").read_text(encoding="utf-8")
    assert (
        stated_numbers(page.replace("</body>", f"<p>维护管理对象共{max(key)}处</p></body>"))
        & secret
    )

    # The structure: only the public columns and fields, and no size for a confidential scope.
    expected = [[getattr(r, f.name) for f in attrs.fields(PublicRow)] for r in rows]
    with (folder / "month" / "results.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert table == [PUBLIC_HEADER, *expected]
    book = openpyxl.load_workbook(folder / "month" / "results.xlsx")
    assert len(book.worksheets) == 1
    cells = [
        ["" if c is None else str(c) for c in row]
        for row in book.active.iter_rows(values_only=True)
    ]
    assert cells == [PUBLIC_HEADER, *expected]
    credit = json.loads((folder / "month" / "credit.json").read_text(encoding="utf-8"))
    assert set(credit) == {"format", "month", "entries"}
    for entry in credit["entries"]:
        assert set(entry) == {
            "unified_social_credit_code", "name", "result", "penalty_decision", "penalty_amount",
        }  # fmt: skip
    dealt = json.loads((folder / "month" / "assignment.json").read_text(encoding="utf-8"))
    assert set(dealt) == {"format", "month", "draw_id", "groups", "moves"}
    assert all(set(g) == {"number", "members", "objects"} for g in dealt["groups"])
    assert all(set(m) == {"object_id", "from_group", "to_group"} for m in dealt["moves"])
    assert sorted(o for g in dealt["groups"] for o in g["objects"]) == sorted(r.id for r in rows)
    published = json.loads((folder / "month" / "record.json").read_text(encoding="utf-8"))
    assert published == record
    announced = published["events"][0]["event"]["body"]["scopes"]
    drawn_results = next(
        e["event"]["body"]["results"] for e in published["events"] if e["event"]["kind"] == "draw"
    )
    for entry in [*announced, *drawn_results]:
        if entry["scope"].split("/")[1] in SECRET_ITEMS:
            assert entry["population_size"] is None, f"{entry['scope']}: its size is published"


# Regression (fixed in ed21b24): month_scopes gave confidential scopes 3 alternates, and fairdraw
# lists fewer when the list runs out: 3 risky objects → 1 selected + 2 alternates (the example).
@settings(PROPERTY, max_examples=30)
@example(risky=3, base=20, secret=bytes(32), rolls=[1] * 50)
@given(
    risky=st.integers(1, 40),
    base=st.integers(0, 60),
    secret=SEEDS,
    rolls=st.lists(st.integers(1, 6), min_size=50, max_size=50),
)
def test_r18_record_does_not_reveal_a_confidential_stratum_size(
    risky: int, base: int, secret: bytes, rolls: list[int]
) -> None:
    """How many objects a confidential scope's result lists must not depend on its size: the
    record announces k and the number of alternates, so a shorter list gives the size away."""
    objects = [make_object(uscc(n), ["MAINT"], complaints=3) for n in range(risky)]
    objects += [make_object(uscc(1000 + n), ["MAINT"]) for n in range(base)]
    label = f"{YEAR}-01"
    plan = month_plan(YEAR, 1, objects, CATALOGUE, {})
    scopes = month_scopes(
        label, plan, CATALOGUE, OFFICERS, available=[o.certificate for o in OFFICERS],
        draw_day=date(YEAR, 1, 6), salt=SALT,
    )  # fmt: skip
    record = run_ceremony(label, scopes, secret, rolls)
    announced = {s["scope"]: s for s in record["events"][0]["event"]["body"]["scopes"]}
    for result in next(
        e["event"]["body"]["results"] for e in record["events"] if e["event"]["kind"] == "draw"
    ):
        entry = announced[result["scope"]]
        if entry["confidential"]:
            listed = len(result["selected"]) + len(result["alternates"])
            assert listed == entry["k"] + entry["alternates"], (
                f"{result['scope']}: the record lists {listed} objects, so the eligible list has "
                f"exactly {listed} (announced k={entry['k']}, alternates={entry['alternates']})"
            )


# -- R19: the credit export ------------------------------------------------------------------

PROJECT_CODES = st.text(
    alphabet="ABCDEFGHJKLMNPQRTUWXY0123456789-", min_size=6, max_size=24
).filter(lambda code: not is_valid_uscc(code) and code[0] != "-" and code[-1] != "-")


# Regression (fixed in ed21b24): credit.json took every id of 18 characters (the example).
@settings(PROPERTY, max_examples=60)
@example(codes=["XC-RF-2026-QUAL-01"], units=1)
@given(codes=st.lists(PROJECT_CODES, max_size=6, unique=True), units=st.integers(0, 5))
def test_r19_credit_export_is_keyed_by_unified_social_credit_codes_only(
    tmp_path_factory: pytest.TempPathFactory, codes: list[str], units: int
) -> None:
    """The credit-system export lists exactly the inspected objects named by a valid 统一社会信用代码,
    never a project code, whatever its length."""
    credit_codes = [uscc(5_000 + n) for n in range(units)]
    drawn = {"QUAL": tuple(codes), "MAINT/base": tuple(credit_codes)}
    rows = public_rows(drawn, {}, {}, CATALOGUE)
    folder = tmp_path_factory.mktemp("credit")
    write_publication(folder, rows, tiny_record(f"{YEAR}-05"))
    credit = json.loads((folder / "credit.json").read_text(encoding="utf-8"))
    exported = [e["unified_social_credit_code"] for e in credit["entries"]]
    assert sorted(exported) == sorted(credit_codes), (
        f"not credit codes: {set(exported) - set(credit_codes)}"
    )


# -- R22, R6, R15: the official calendar ----------------------------------------------------


@settings(PROPERTY, max_examples=60)
@given(
    year=st.one_of(st.integers(1901, 2003), st.integers(2027, 9998)),
    month=st.integers(1, 12),
    other_years=st.sets(st.integers(2027, 2099), max_size=3),
)
def test_r22_years_without_official_data_are_refused(
    tmp_path_factory: pytest.TempPathFactory, year: int, month: int, other_years: set[int]
) -> None:
    """Outside 2004–2026 and the office's YEAR.json files, every scheduling call raises the typed
    CalendarError, whose message says which file to add and where; other years' files don't
    help."""
    folder = tmp_path_factory.mktemp("calendar")
    for other in other_years - {year}:
        notice = {"format": "rfb-calendar/1", "year": other, "notice": "测试通知",
                  "holidays": [f"{other}-01-01"], "workdays": []}  # fmt: skip
        (folder / f"{other}.json").write_text(json.dumps(notice), encoding="utf-8")
    calendar = OfficialCalendar.load(folder)
    assert not calendar.covers(year)
    assert all(calendar.covers(other) for other in other_years - {year})
    calls: list[Callable[[], object]] = [
        lambda: draw_day(year, month, calendar),
        lambda: draw_day(year, month, calendar, rule="first-full-week"),
        lambda: results_due(year, month, calendar),
        lambda: month_schedule(year, month, calendar),
        lambda: calendar.is_workday(date(year, month, 1)),
    ]
    for call in calls:
        with pytest.raises(CalendarError) as caught:
            call()
        message = str(caught.value)
        assert isinstance(caught.value, PolicyError)
        assert f"{year}.json" in message and "calendar" in message
        assert "README.md" in message and f"国务院办公厅关于{year}年部分节假日安排的通知" in message


@st.composite
def office_calendars(draw: st.DrawFn) -> Any:
    """A YEAR.json the way State Council notices look: holiday blocks of 1–9 days (weekends
    inside them included) at least a week apart, and 调休 working weekend days."""
    year = draw(st.integers(2027, 2099))
    first, days_in_year = date(year, 1, 1), (date(year + 1, 1, 1) - date(year, 1, 1)).days
    holidays: set[date] = set()
    day = draw(st.integers(0, 30))
    while day < days_in_year:
        length = draw(st.integers(1, 9))
        holidays |= {first + timedelta(days=d) for d in range(day, min(day + length, days_in_year))}
        day += length + draw(st.integers(7, 80))
    weekends = sorted(
        d
        for d in (first + timedelta(days=n) for n in range(days_in_year))
        if d.weekday() >= 5 and d not in holidays
    )
    workdays = set(draw(st.lists(st.sampled_from(weekends), max_size=8)))
    return year, holidays, workdays


@settings(PROPERTY, max_examples=100)
@given(case=office_calendars(), rule=st.sampled_from(["first-tuesday", "first-full-week"]))
def test_r6_r15_schedule_from_an_office_calendar_file(
    tmp_path_factory: pytest.TempPathFactory,
    case: tuple[int, set[date], set[date]],
    rule: DrawDayRule,
) -> None:
    """With the office's YEAR.json for a new year: every draw day is a working Tuesday on days
    1–28, the first working one from the rule's starting Tuesday (R6); every deadline is the last
    working day on or before the 25th (R15); the schedule's counts agree."""
    year, holidays, workdays = case
    folder = tmp_path_factory.mktemp("calendar")
    notice = {
        "format": "rfb-calendar/1", "year": year, "notice": "国办发明电（测试）",
        "holidays": sorted(d.isoformat() for d in holidays),
        "workdays": sorted(d.isoformat() for d in workdays),
    }  # fmt: skip
    (folder / f"{year}.json").write_text(json.dumps(notice), encoding="utf-8")
    calendar = OfficialCalendar.load(folder)
    assert calendar.covers(year) and not calendar.covers(year + 1000)

    def working(day: date) -> bool:  # the notice's meaning, restated
        return day not in holidays and (day.weekday() < 5 or day in workdays)

    for month in range(1, 13):
        first = date(year, month, 1)
        start = first + timedelta(days=(1 - first.weekday()) % 7)
        if rule == "first-full-week" and first.weekday() == 1:
            start += timedelta(days=7)
        drawn = draw_day(year, month, calendar, rule=rule)
        assert drawn.weekday() == 1 and (drawn.year, drawn.month) == (year, month)
        assert 1 <= drawn.day <= 28 and working(drawn)
        assert start <= drawn and (drawn - start).days % 7 == 0
        assert not any(
            working(start + timedelta(weeks=w)) for w in range((drawn - start).days // 7)
        )
        due = results_due(year, month, calendar)
        assert (due.year, due.month) == (year, month) and due.day <= 25 and working(due)
        assert not any(working(d) for d in _days(due + timedelta(days=1), date(year, month, 25)))
        schedule = month_schedule(year, month, calendar, rule=rule)
        left = sum(1 for d in _days(drawn + timedelta(days=1), due) if working(d))
        assert (schedule.draw_day, schedule.results_due) == (drawn, due)
        assert schedule.moved == (drawn != start)
        assert schedule.working_days_left == left and schedule.tight == (left < 5)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def test_stated_numbers_sees_through_cjk_and_not_into_tokens() -> None:
    """The scanner of the R18 property: CJK text around a number does not hide it; dates, times,
    digests and ids are not numbers."""
    assert stated_numbers("共734处，目标111处") == {734, 111}
    assert stated_numbers("2026-11-03T09:00:00Z 2026-11 91110102MA0006802J v1 ab12cd") == set()
    assert stated_numbers(json.dumps({"population_size": 612})) == {612}
    assert stated_numbers("a,345,b") == {345}
