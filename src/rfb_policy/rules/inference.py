"""What a citizen can prove about a confidential total from a year of public records (R18).

The public records of a month (its announcement and draw record, and the published results)
give, for each confidential stratum (``MAINT/base`` …), the draw's parameters (``k``, or a rate
in quota mode ``hidden``) and how many objects were drawn; the plan's rule (the ratio, the risk
multiplier, the quota formula of :mod:`rfb_policy.rules.plan`) is published too. A size ``n`` is
*consistent* when the rule, run on a list of ``n`` objects, announces exactly what was announced
every month, for some value of what the citizen cannot see (in mode ``hidden``, the extra share).
:func:`consistent_sizes` enumerates them exactly, with integers and fractions: the truth is
always among them, and nothing narrower can be proved from those figures. In mode ``hidden``,
a stratum's December pad cap (rule ``fit``) depends on December's public figures, the other
strata's included: :func:`december_caps_seen` computes it from them exactly as the rule does
from the secret shortfalls, so the sizes consistent with a year are each stratum's own, given
its cap.

The citizen's model: the list does not change during the year and every drawn object counts as
inspected (so a month's eligible list is ``n`` minus the objects drawn before). An office whose
list changes gives the citizen less, not more.

:func:`public_year` plays a year of an office's draws with the real plan and fairdraw's real
draws, and keeps only these public figures, for ``benchmarks/confidential_inference.py`` and the
tests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from math import ceil

import attrs

from fairdraw import Population, draw_exact, draw_rate
from rfb_policy.i18n import _
from rfb_policy.model.directory import InspectionObject
from rfb_policy.rules.hiding import uniform_share
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import PlanSettings, december_caps, hidden_rate, month_plan

__all__ = [
    "Announced",
    "Inferred",
    "consistent_pads",
    "consistent_sizes",
    "december_caps_seen",
    "infer",
    "public_year",
]


@attrs.frozen
class Announced:
    """One month's public figures of one confidential stratum.

    Attributes:
        month: 1–12.
        k: the announced quota (exact mode), or None.
        rate: the announced rate (rate mode), or None.
        drawn: how many objects the draw selected (the published record and results).
        cut: the largest score among the selected, as a share of 2^256 (anyone computes it from
            the seed, the scope and the published labels); None when nothing was drawn. Not
            used by the proofs here: it only bears on the size statistically (exact mode's k
            lowest scores of n), which the benchmark measures.
    """

    month: int
    k: int | None
    rate: Fraction | None
    drawn: int
    cut: Fraction | None = None


@attrs.frozen
class Inferred:
    """The sizes of a stratum (or the total of an item) consistent with the public records.

    Attributes:
        low, high: the narrowest range provable; ``high`` None when unbounded.
        truth: the real size, for reports.
    """

    low: int
    high: int | None
    truth: int

    @property
    def half_width(self) -> Fraction | None:
        """(high − low) ÷ 2 as a share of the truth; None when unbounded (or the truth is 0)."""
        if self.high is None or self.truth == 0:
            return None
        return Fraction(self.high - self.low, 2 * self.truth)

    def __add__(self, other: Inferred) -> Inferred:
        high = None if self.high is None or other.high is None else self.high + other.high
        return Inferred(self.low + other.low, high, self.truth + other.truth)


def _exact_months(
    n: int, target: int, done: int, months: Mapping[int, Announced], start: int
) -> bool:
    """Whether quota = min(eligible, ceil((target − done) ÷ months left)) announces, from month
    ``start`` on, exactly the ``months`` given (a month not given announced nothing: 0)."""
    for month in range(start, 13):
        seen = months.get(month)
        quota = min(n - done, ceil(max(0, target - done) / (13 - month)))
        if seen is None:
            if quota:
                return False
            continue
        if seen.rate is not None or seen.k != quota or seen.drawn != quota:
            return False
        done += quota
    return True


def consistent_pads(
    n: int,
    months: Mapping[int, Announced],
    ratio: Fraction,
    *,
    mode: str = "exact",
    extra_at_most: Fraction = Fraction(1),
    cap: int | None = None,
) -> list[int]:
    """The pads under which a list of ``n`` announces exactly ``months`` (month → its figures):
    ``[0]`` in mode ``exact`` when ``n`` is consistent; in mode ``hidden``, every December pad
    that makes it so; empty when ``n`` is not consistent.

    ``cap``: mode hidden's December pad cap for this stratum (rule ``fit``: k = max(shortfall,
    pad), pad at most ``cap``), which the citizen computes from December's public figures
    (:func:`december_caps_seen`); None: the first draft's rule (``pad_rule = "draft"``: k =
    shortfall + pad, pad at most ``ceil(extra × done ÷ 2)``)."""
    if n == 0:
        return [] if months else [0]
    if mode == "exact":
        return [0] if _exact_months(n, ceil(ratio * n), 0, months, 1) else []
    rate, done = hidden_rate(ratio, extra_at_most), 0
    for month in range(1, 12):  # January–November: the public rate, any count
        seen = months.get(month)
        if seen is None:
            if n - done:  # a stratum with eligible objects is always announced
                return []
            continue
        if seen.rate != rate or seen.k is not None or seen.drawn > n - done:
            return []
        done += seen.drawn
    december = months.get(12)
    k = 0 if december is None else december.k
    if december is not None and (december.rate is not None or december.drawn != k):
        return []
    shortfall = max(0, ceil(ratio * n) - done)
    if cap is not None:  # (a pad is floor(u × (cap + 1)), u uniform)
        return [pad for pad in range(cap + 1) if min(n - done, max(shortfall, pad)) == k]
    most = ceil(extra_at_most * done / 2)
    return [pad for pad in range(most + 1) if min(n - done, shortfall + pad) == k]


def december_caps_seen(
    public: Mapping[str, Sequence[Announced]],
    secret: Iterable[str],
    capacity: int,
    extra_at_most: Fraction,
) -> dict[str, int]:
    """Each confidential stratum's December pad cap (mode hidden, rule ``fit``), as the citizen
    computes it from the year's public figures: :func:`rfb_policy.rules.plan.december_caps` with
    December's public quotas, the strata's drawn counts of January to November and their
    announced December k (the rule gets the same caps from the secret shortfalls).

    Args:
        public: stratum → its announced months, the strata of public totals (QUAL) included.
        secret: the confidential strata (``MAINT/base`` …).
        capacity: the groups' capacity (max_groups × objects_per_group, a published setting).
    """
    secret = set(secret)

    def december(stratum: str) -> int:
        return sum(m.k or 0 for m in public.get(stratum, ()) if m.month == 12)

    free = capacity - sum(december(s) for s in public if s not in secret)
    done = {s: sum(m.drawn for m in public.get(s, ()) if m.month < 12) for s in secret}
    return december_caps(free, done, extra_at_most, {s: december(s) for s in secret})


def consistent_sizes(
    months: Iterable[Announced],
    ratio: Fraction,
    *,
    mode: str = "exact",
    extra_at_most: Fraction = Fraction(1),
    cap: int | None = None,
    limit: int | None = None,
) -> list[int]:
    """Every stratum size the rule makes consistent with a year of public figures, ascending.

    Args:
        months: the stratum's announced months (a month absent announced nothing).
        ratio: the stratum's ratio (the base ratio, or the risk stratum's).
        mode, extra_at_most: the office's quota mode and its largest extra share (public rules).
        cap: mode hidden: the stratum's December pad cap (:func:`consistent_pads`).
        limit: the largest size tried (default: the largest the year's drawn objects allow,
            ``drawn ÷ ratio``, plus one); a result ending at ``limit`` may go on above it.
    """
    given = {m.month: m for m in months}
    drawn = sum(m.drawn for m in given.values())
    top = limit if limit is not None else int(drawn / ratio) + 1
    return [
        n
        for n in range(drawn, top + 1)
        if consistent_pads(n, given, ratio, mode=mode, extra_at_most=extra_at_most, cap=cap)
    ]


def infer(
    months: Iterable[Announced],
    ratio: Fraction,
    truth: int,
    *,
    mode: str = "exact",
    extra_at_most: Fraction = Fraction(1),
    cap: int | None = None,
) -> Inferred:
    """The narrowest range provable for one stratum's size (``truth`` kept for the report;
    ``cap`` as for :func:`consistent_pads`).

    Raises:
        ValueError: no size is consistent: the figures do not follow the rule (a changed list,
            or the wrong mode).
    """
    sizes = consistent_sizes(months, ratio, mode=mode, extra_at_most=extra_at_most, cap=cap)
    if not sizes:
        raise ValueError(
            _("no list size gives these announcements under quota mode {mode!r}").format(mode=mode)
        )
    return Inferred(sizes[0], sizes[-1], truth)


def _bytes(tag: str, month: int) -> bytes:
    return hashlib.sha256(f"{tag}/{month}".encode()).digest()


def public_year(
    year: int,
    objects: Sequence[InspectionObject],
    catalogue: Catalogue,
    *,
    settings: PlanSettings,
    seed: Callable[[int], bytes] = lambda m: _bytes("seed", m),
    salt: Callable[[int], bytes] = lambda m: _bytes("salt", m),
) -> tuple[dict[str, list[Announced]], dict[str, int], dict[str, set[str]]]:
    """A year of draws of the office's plan (every drawn object inspected), as the public sees it.

    Each month is planned by :func:`rfb_policy.rules.plan.month_plan` (with the extra shares of
    the year's rate months, :func:`rfb_policy.rules.hiding.uniform_share`) and drawn with
    fairdraw's exact or rate mode from ``seed(month)``, the confidential lists salted with
    ``salt(month)``, as the ceremony announces them
    (:func:`rfb_policy.ceremony.announce.month_scopes`).

    Returns:
        the public figures by stratum (``MAINT/base`` → months; the strata of public totals,
        ``QUAL``, too), each confidential stratum's true size in December, and item → the
        objects inspected in the year.
    """
    inspected: dict[str, set[str]] = {}
    shares: dict[str, Fraction] = {}
    public: dict[str, list[Announced]] = {}
    sizes: dict[str, int] = {}
    for month in range(1, 13):
        plan = month_plan(
            year, month, objects, catalogue, inspected, settings=settings, shares=shares
        )
        for quota in plan.quotas:
            secret = catalogue[quota.item].confidential_total
            if secret:
                sizes[quota.scope] = len(quota.eligible) + quota.done
            if quota.quota == 0:
                continue
            scope = f"{year}-{month:02d}/{quota.scope}"
            population = Population.of(quota.eligible, salt=salt(month) if secret else None)
            if quota.rate is None:
                draw = draw_exact(seed(month), scope, population, quota.quota)
            else:
                draw = draw_rate(seed(month), scope, population, quota.rate)
                shares[quota.scope] = uniform_share(seed(month), salt(month), scope)
            inspected.setdefault(quota.item, set()).update(draw.labels)
            k = None if quota.rate is not None else quota.quota
            cut = Fraction(draw.selected[-1].score_int, 1 << 256) if draw.selected else None
            public.setdefault(quota.scope, []).append(
                Announced(month, k, quota.rate, len(draw.labels), cut)
            )
    return public, sizes, inspected
