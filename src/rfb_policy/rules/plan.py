"""The annual plan and the monthly quotas (rules R10–R14, and the plan's group cap R8).

* QUAL covers every project under construction within the year; the draw decides the month order.
* MAINT, USE and COMM each reach at least ceil(15% of the item's population) within the year,
  spread over the months left: ``quota = ceil(remaining target ÷ months left)``.
* Objects with risk flags form their own stratum, drawn at a higher ratio (twice the base by
  default, at most 100%).
* An object is not drawn twice for the same item in a year, and objects with an open case
  (立案查处) are inspected directly: outside the draw and outside every ratio.
* At most 3 groups a month: when the quotas exceed what the groups can inspect, the plan says so
  instead of dropping objects.
* Quota mode ``hidden`` (:mod:`rfb_policy.rules.hiding`) keeps the confidential totals from being
  worked out of the announced quotas: each confidential stratum's first month of the year draws
  nothing (k = 0: it commits the list and its salt), and that month's seed and (secret) list salt
  fix a pad, uniform from 0 to ``ceil(extra_at_most × target)``; the year's quota is the target
  plus the pad, spread over the months left like mode ``exact``'s. Its scopes are announced with
  keyed scores, so that the drawn objects' scores do not give the list's size away either.
  Mode ``exact`` is the rule above alone.

All counts are exact integers from exact fractions; population sizes are confidential for MAINT,
USE and COMM and never leave this module's internal figures for public output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from math import ceil

import attrs

from fairdraw import InputError, parse_rate
from rfb_policy.model.directory import InspectionObject
from rfb_policy.rules.items import Catalogue

__all__ = [
    "QUOTA_MODES",
    "MonthPlan",
    "PlanSettings",
    "RiskRule",
    "StratumQuota",
    "annual_plan",
    "extra_share",
    "hidden_pad",
    "month_plan",
    "stratum_ratio",
]

QUOTA_MODES = ("exact", "hidden")
"""``exact``: quota = ceil(remaining target ÷ months left), which lets anyone work the
confidential totals out of the announced quotas to within a few objects; ``hidden``: the target
plus a pad only the seed and the list's salt decide (:mod:`rfb_policy.rules.hiding`)."""


@attrs.frozen(kw_only=True)
class RiskRule:
    """When an object belongs to the high-risk stratum (thresholds are the office's choice)."""

    complaints_at_least: int = 2
    reported_problems_at_least: int = 1
    bad_records_at_least: int = 1
    serious_violation: bool = True

    def is_risky(self, obj: InspectionObject) -> bool:
        """Whether ``obj`` is drawn in the high-risk stratum."""
        return (
            obj.complaints >= self.complaints_at_least
            or obj.reported_problems >= self.reported_problems_at_least
            or obj.bad_records >= self.bad_records_at_least
            or (self.serious_violation and obj.serious_violation)
        )


@attrs.frozen(kw_only=True)
class PlanSettings:
    """The office's choices: group cap, capacity, risk rule and risk multiplier."""

    max_groups: int = attrs.field(default=3, validator=attrs.validators.in_(range(1, 4)))
    objects_per_group: int = attrs.field(default=10, validator=attrs.validators.ge(1))
    risk_rule: RiskRule = RiskRule()
    risk_multiplier: Fraction = Fraction(2)
    quota_mode: str = attrs.field(default="exact", validator=attrs.validators.in_(QUOTA_MODES))
    extra_at_most: Fraction = attrs.field(
        default=Fraction(1), validator=attrs.validators.ge(Fraction(0))
    )

    @property
    def capacity(self) -> int:
        """What the groups can inspect in a month: max_groups × objects_per_group."""
        return self.max_groups * self.objects_per_group


@attrs.frozen
class StratumQuota:
    """One item and stratum in one month.

    Attributes:
        item: the item code.
        stratum: ``all`` (QUAL), ``base`` or ``risk``.
        eligible: objects that may be drawn this month (not yet inspected this year, no open case).
        target: the year's target for this stratum.
        done: inspected so far this year.
        quota: how many to draw this month.
        hidden: a confidential stratum of mode ``hidden``: announced whenever its eligible list
            is not empty (its first month with ``quota`` 0), with keyed scores.
        pad: mode ``hidden``: the year's pad (None in its first month, before the pad exists,
            and in mode ``exact``); the year's quota is ``target + pad``.
    """

    item: str
    stratum: str
    eligible: tuple[str, ...]
    target: int
    done: int
    quota: int
    hidden: bool = False
    pad: int | None = None

    @property
    def scope(self) -> str:
        """The ceremony scope suffix of this stratum (``MAINT/base``)."""
        return _scope(self.item, self.stratum)


def _scope(item: str, stratum: str) -> str:
    return item if stratum == "all" else f"{item}/{stratum}"


@attrs.frozen
class MonthPlan:
    """One month's quotas and whether the groups can carry them."""

    year: int
    month: int
    quotas: tuple[StratumQuota, ...]
    capacity: int

    @property
    def total(self) -> int:
        """Objects to inspect this month."""
        return sum(q.quota for q in self.quotas)

    @property
    def over_capacity(self) -> int:
        """How many objects exceed what the groups can inspect (0 when they fit)."""
        return max(0, self.total - self.capacity)


_LARGEST = Fraction((1 << 256) - 1, 1 << 256)  # the largest share a hash gives


def extra_share(text: str) -> Fraction | None:
    """An ``extra_at_most`` setting (``100%``, ``1/2`` …, 0 to 1) read exactly; None if it is not
    one."""
    try:
        share = parse_rate(text)
    except InputError:
        return None
    return share


def stratum_ratio(catalogue: Catalogue, scope: str, settings: PlanSettings) -> Fraction:
    """The ratio a stratum is drawn at (``MAINT/base``: the item's; ``MAINT/risk``: the item's
    × the risk multiplier, at most 1; ``QUAL``, one stratum: 1), as the published rule says."""
    code, _, stratum = scope.partition("/")
    if not stratum:
        return Fraction(1)
    base = catalogue[code].ratio or Fraction(0)
    return min(Fraction(1), base * settings.risk_multiplier) if stratum == "risk" else base


def _target(ratio: Fraction, population: int) -> int:
    return ceil(ratio * population)


def hidden_pad(target: int, extra_at_most: Fraction, share: Fraction) -> int:
    """Mode hidden's pad: floor(u × (ceil(extra × target) + 1)), uniform from 0 to
    ceil(extra × target), u the share of the stratum's first month of the year."""
    return int(share * (ceil(extra_at_most * target) + 1))


def _quota(
    item: str,
    stratum: str,
    ids: Sequence[str],
    done_ids: set[str],
    ratio: Fraction,
    months_left: int,
    share: Fraction | None,
    settings: PlanSettings,
    hidden: bool,
) -> StratumQuota:
    """One stratum's quota. Mode hidden (``hidden``): 0 in the stratum's first month (no
    ``share`` yet, not December), then the target plus the pad spread over the months left."""
    done = sum(1 for i in ids if i in done_ids)
    eligible = tuple(i for i in ids if i not in done_ids)
    target = _target(ratio, len(ids))
    if hidden and share is None and months_left >= 2:  # the first month: the pad is drawn
        return StratumQuota(item, stratum, eligible, target, done, 0, hidden=True)
    pad = None
    if hidden:
        pad = 0 if share is None else hidden_pad(target, settings.extra_at_most, share)
    quota = ceil(max(0, target + (pad or 0) - done) / months_left)
    return StratumQuota(
        item, stratum, eligible, target, done, min(len(eligible), quota), hidden=hidden, pad=pad
    )


def month_plan(
    year: int,
    month: int,
    objects: Sequence[InspectionObject],
    catalogue: Catalogue,
    inspected: Mapping[str, Iterable[str]],
    *,
    settings: PlanSettings | None = None,
    shares: Mapping[str, Fraction] | None = None,
) -> MonthPlan:
    """The quotas of ``month``, given what was inspected earlier in the year.

    Args:
        year, month: the month planned.
        objects: the directory snapshot.
        catalogue: the item catalogue (ratios, random items).
        inspected: item code → ids of objects already inspected for it this year (by draw).
        settings: the office's choices.
        shares: mode ``hidden``: stratum (``MAINT/base``) → the uniform value u in [0, 1) its
            first month of the year's seed and salt gave
            (:func:`rfb_policy.rules.hiding.uniform_share`), which sets the year's pad (a
            stratum without one: this is its first month).
    """
    settings = settings or PlanSettings()
    months_left = 13 - month
    quotas: list[StratumQuota] = []
    shares = shares or {}
    for item in catalogue.random_items:
        done_ids = set(inspected.get(item.code, ()))
        members = [o for o in objects if item.code in o.items and not o.open_case]
        if item.code == "QUAL":
            members = [o for o in members if o.under_construction]
            strata = {"all": (members, Fraction(1))}
        else:
            risky = [o for o in members if settings.risk_rule.is_risky(o)]
            base = [o for o in members if not settings.risk_rule.is_risky(o)]
            strata = {
                "base": (base, stratum_ratio(catalogue, f"{item.code}/base", settings)),
                "risk": (risky, stratum_ratio(catalogue, f"{item.code}/risk", settings)),
            }
        hide = settings.quota_mode == "hidden" and item.confidential_total
        for stratum, (group, ratio) in strata.items():
            ids = [o.id for o in group]
            share = shares.get(_scope(item.code, stratum))
            quotas.append(
                _quota(item.code, stratum, ids, done_ids, ratio, months_left, share, settings, hide)
            )
    return MonthPlan(year, month, tuple(quotas), settings.capacity)


def annual_plan(
    year: int,
    objects: Sequence[InspectionObject],
    catalogue: Catalogue,
    *,
    settings: PlanSettings | None = None,
    drawn: Mapping[int, Mapping[str, Iterable[str]]] | None = None,
    shares: Mapping[str, Fraction] | None = None,
) -> list[MonthPlan]:
    """Plan every month of a year, assuming each month's quota is inspected.

    Args:
        drawn: month → item code → the objects that month's draw really chose. Months without a
            draw yet are projected: which objects they inspect is the draw's business, and for
            planning the first eligible ones (in directory order) stand in for them, which is
            enough to show that the quotas reach every target by December.
        shares: mode ``hidden``: the shares of the strata's first months drawn (see
            :func:`month_plan`); a first month not drawn yet is projected with the largest share
            (the largest pad: the most work the year can bring).
    """
    inspected: dict[str, set[str]] = {}
    known = dict(shares or {})
    seen: set[str] = set()  # the strata whose first month is planned: their share is fixed
    plans = []
    for month in range(1, 13):
        given = {scope: share for scope, share in known.items() if scope in seen}
        plan = month_plan(
            year, month, objects, catalogue, inspected, settings=settings, shares=given
        )
        plans.append(plan)
        for quota in plan.quotas:
            if quota.hidden and quota.eligible:
                known.setdefault(quota.scope, _LARGEST)  # (a drawn one is in ``shares``)
                seen.add(quota.scope)
        if drawn is not None and month in drawn:
            for item, ids in drawn[month].items():
                inspected.setdefault(item, set()).update(ids)
            continue
        for quota in plan.quotas:
            inspected.setdefault(quota.item, set()).update(quota.eligible[: quota.quota])
    return plans
