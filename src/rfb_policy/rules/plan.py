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
  worked out of the announced quotas: January to November draw each confidential stratum in
  fairdraw's rate mode at a public rate, ratio × (1 + ``extra_at_most``) ÷ 12, and December draws
  the larger of the shortfall and a pad the latest rate month's seed and (secret) list salt give,
  the pad capped so that December fits within the groups' capacity whenever the shortfalls do.
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
    "PAD_RULES",
    "QUOTA_MODES",
    "MonthPlan",
    "PlanSettings",
    "RiskRule",
    "StratumQuota",
    "annual_plan",
    "december_caps",
    "december_pad",
    "extra_share",
    "hidden_rate",
    "month_plan",
]

QUOTA_MODES = ("exact", "hidden")
"""``exact``: quota = ceil(remaining target ÷ months left), which lets anyone work the
confidential totals out of the announced quotas to within a few objects; ``hidden``: a public
monthly rate and a padded December top-up (:mod:`rfb_policy.rules.hiding`)."""

PAD_RULES = ("fit", "draft")
"""Mode ``hidden``'s December: ``fit`` (the rule): k = max(shortfall, pad), the pad at most a
public share of the capacity left after December's public quotas, so December fits whenever the
shortfalls do; ``draft``: the first draft's k = shortfall + pad, the pad up to half the year's
draws, which can exceed the capacity. ``rfb.toml`` cannot choose ``draft``: it is kept only for
``benchmarks/confidential_inference.py`` to measure the two side by side."""


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
    pad_rule: str = attrs.field(default="fit", validator=attrs.validators.in_(PAD_RULES))

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
        quota: how many to draw this month (a rate month: ceil(rate × eligible), what the
            groups plan for; the draw decides how many; December of mode ``hidden``: the
            larger of the shortfall and its pad).
        rate: the public rate of a rate month (mode ``hidden``), else None (exact: ``quota``).
    """

    item: str
    stratum: str
    eligible: tuple[str, ...]
    target: int
    done: int
    quota: int
    rate: Fraction | None = None

    @property
    def scope(self) -> str:
        """The ceremony scope suffix of this stratum (``MAINT/base``)."""
        return self.item if self.stratum == "all" else f"{self.item}/{self.stratum}"


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


def _target(ratio: Fraction, population: int) -> int:
    return ceil(ratio * population)


def _quota(
    item: str,
    stratum: str,
    ids: Sequence[str],
    done_ids: set[str],
    ratio: Fraction,
    months_left: int,
    hidden: bool,
    settings: PlanSettings,
) -> StratumQuota:
    """One stratum's quota; in December of mode hidden (``hidden`` and one month left), the bare
    shortfall, which :func:`_pad_december` then pads."""
    done = sum(1 for i in ids if i in done_ids)
    eligible = tuple(i for i in ids if i not in done_ids)
    target = _target(ratio, len(ids))
    if hidden and months_left >= 2:  # mode hidden: a public-rate month
        rate = hidden_rate(ratio, settings.extra_at_most)
        planned = ceil(rate * len(eligible))
        return StratumQuota(item, stratum, eligible, target, done, planned, rate)
    quota = ceil(max(0, target - done) / months_left)
    return StratumQuota(item, stratum, eligible, target, done, min(len(eligible), quota))


def hidden_rate(ratio: Fraction, extra_at_most: Fraction) -> Fraction:
    """Mode hidden's public monthly rate, January to November: ratio × (1 + extra) ÷ 12."""
    return min(Fraction(1), ratio * (1 + extra_at_most) / 12)


def december_pad(most: int, share: Fraction | None) -> int:
    """Mode hidden's December pad: floor(u × (most + 1)), uniform over 0..most, u the latest rate
    month's share (none: 0)."""
    return 0 if share is None else int(share * (most + 1))


def december_caps(
    free: int, done: Mapping[str, int], extra_at_most: Fraction, needs: Mapping[str, int]
) -> dict[str, int]:
    """Mode hidden's December pad caps (rule ``fit``, ``docs/spec/rfb-quotas-v1.md`` section 3).

    Each confidential stratum's pad is at most ``min(P, λ)``: ``P = ceil(extra × done)``, ``λ``
    the largest level at which the caps fit in ``left``, the capacity left after December's
    public quotas (``free``): when the ``P``s fit, every cap is its ``P``; when not, the largest
    are cut to a common level. A stratum whose need exceeds its
    cap is *bare* (its k is its shortfall, which then shows anyway): ``left`` loses its need and
    the others' caps are computed again, until no need exceeds its cap. A bare stratum keeps the
    cap it exceeded. Every figure here is public but the needs, and the caps are the same
    whether the needs are the shortfalls or the k announced.

    Args:
        free: the capacity less December's public quotas.
        done: stratum → objects drawn for it in the year's earlier months (public counts).
        extra_at_most: ``[quotas] extra_at_most``.
        needs: stratum → its shortfall (the rule), or its announced k (the citizen, who gets
            the same caps: a k above its cap is a bare shortfall, one within it is not).
    """
    most = {stratum: ceil(extra_at_most * count) for stratum, count in done.items()}
    bare: dict[str, int] = {}
    left = max(0, free)
    while True:
        level = _level(left, [p for s, p in most.items() if s not in bare])
        caps = {s: min(p, level) for s, p in most.items() if s not in bare}
        over = [s for s, cap in caps.items() if needs[s] > cap]
        if not over:
            return {**bare, **caps}
        for s in over:
            bare[s] = caps[s]
            left = max(0, left - needs[s])


def _level(room: int, mosts: Sequence[int]) -> int:
    """The largest λ (at most max(mosts)) with Σ min(p, λ) ≤ room (water-filling)."""
    level = max(mosts, default=0)
    while level > 0 and sum(min(p, level) for p in mosts) > room:
        level -= 1
    return level


def _pad_december(
    quotas: list[StratumQuota],
    hidden: set[int],
    settings: PlanSettings,
    shares: Mapping[str, Fraction],
) -> None:
    """December of mode hidden: the quotas at ``hidden`` (bare shortfalls) get their pads."""
    extra = settings.extra_at_most
    need = {quotas[i].scope: max(0, quotas[i].target - quotas[i].done) for i in hidden}
    if settings.pad_rule == "fit":
        public = sum(q.quota for i, q in enumerate(quotas) if i not in hidden)
        done = {quotas[i].scope: quotas[i].done for i in hidden}
        caps = december_caps(settings.capacity - public, done, extra, need)
    for i in hidden:
        q = quotas[i]
        share = shares.get(q.scope)
        if settings.pad_rule == "fit":
            quota = max(need[q.scope], december_pad(caps[q.scope], share))
        else:  # the first draft: shortfall + pad, P = ceil(extra × done ÷ 2)
            quota = need[q.scope] + december_pad(ceil(extra * q.done / 2), share)
        quotas[i] = attrs.evolve(q, quota=min(len(q.eligible), quota))


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
            latest rate month's seed and salt gave (:func:`rfb_policy.rules.hiding.uniform_share`),
            which sets December's pad (none: no pad).
    """
    settings = settings or PlanSettings()
    months_left = 13 - month
    quotas: list[StratumQuota] = []
    hidden: set[int] = set()
    for item in catalogue.random_items:
        done_ids = set(inspected.get(item.code, ()))
        members = [o for o in objects if item.code in o.items and not o.open_case]
        if item.code == "QUAL":
            members = [o for o in members if o.under_construction]
            strata = {"all": (members, Fraction(1))}
        else:
            ratio = item.ratio or Fraction(0)
            risky = [o for o in members if settings.risk_rule.is_risky(o)]
            base = [o for o in members if not settings.risk_rule.is_risky(o)]
            strata = {
                "base": (base, ratio),
                "risk": (risky, min(Fraction(1), ratio * settings.risk_multiplier)),
            }
        hide = settings.quota_mode == "hidden" and item.confidential_total
        for stratum, (group, ratio) in strata.items():
            if hide:
                hidden.add(len(quotas))
            ids = [o.id for o in group]
            quotas.append(
                _quota(item.code, stratum, ids, done_ids, ratio, months_left, hide, settings)
            )
    if months_left == 1 and hidden:
        _pad_december(quotas, hidden, settings, shares or {})
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
        shares: mode ``hidden``: the shares of the year's rate months drawn (see
            :func:`month_plan`); a rate month not drawn yet is projected with ceil(rate ×
            eligible) objects and the largest share (the most work December can bring).
    """
    inspected: dict[str, set[str]] = {}
    known = dict(shares or {})
    plans = []
    for month in range(1, 13):
        plan = month_plan(
            year, month, objects, catalogue, inspected, settings=settings, shares=known
        )
        plans.append(plan)
        for quota in plan.quotas:
            if quota.rate is not None and (drawn is None or month not in drawn):
                known[quota.scope] = _LARGEST
        if drawn is not None and month in drawn:
            for item, ids in drawn[month].items():
                inspected.setdefault(item, set()).update(ids)
            continue
        for quota in plan.quotas:
            inspected.setdefault(quota.item, set()).update(quota.eligible[: quota.quota])
    return plans
