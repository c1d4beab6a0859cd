"""What a citizen can prove about a confidential total from a year of public records (R18).

The public records of a month (its announcement and draw record, and the published results)
give, for each confidential stratum (``MAINT/base`` …), the draw's ``k`` and how many objects were
drawn; the plan's rule (the ratio, the risk multiplier, the quota formula of
:mod:`rfb_policy.rules.plan`, mode ``hidden``'s ``extra_at_most``) is published too. A size ``n``
is *consistent* when the rule, run on a list of ``n`` objects, announces exactly what was
announced every month, for some value of what the citizen cannot see (in mode ``hidden``, the
year's pad). :func:`consistent_sizes` enumerates them exactly, with integers: the truth is always
among them, and nothing narrower can be proved from those figures. (Mode ``exact``'s draws also
publish the drawn objects' scores, whose cut-off bears on the size statistically; mode
``hidden``'s keyed scores publish none: ``benchmarks/confidential_inference.py`` measures both.)

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

from fairdraw import DrawRecord, Population, draw_exact
from rfb_policy.i18n import _
from rfb_policy.model.directory import InspectionObject
from rfb_policy.rules.hiding import uniform_share
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import PlanSettings, month_plan

__all__ = [
    "Announced",
    "Inferred",
    "announced_in_records",
    "consistent_pads",
    "consistent_sizes",
    "infer",
    "public_year",
]


@attrs.frozen
class Announced:
    """One month's public figures of one confidential stratum.

    Attributes:
        month: 1–12.
        k: the announced quota.
        drawn: how many objects the draw selected (the published record and results).
        cut: the largest score among the selected, as a share of 2^256, when the record
            publishes scores (anyone computes them from the seed, the scope and the published
            labels); None when nothing was drawn, or the scope's scores are keyed. Not used by
            the proofs here: it only bears on the size statistically (the k lowest scores of
            n), which the benchmark measures.
    """

    month: int
    k: int
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


def _announces(n: int, months: Mapping[int, Announced], ratio: Fraction, pad: int | None) -> bool:
    """Whether a list of ``n`` announces exactly ``months`` (a month not given announced
    nothing): mode exact (``pad`` None), quota = min(eligible, ceil((target − done) ÷ months
    left)), a stratum with quota 0 not announced; mode hidden, with that pad: every month with
    eligible objects announced, January with k = 0, then quota = min(eligible, ceil((target + pad
    − done) ÷ months left))."""
    target, done = ceil(ratio * n), 0
    for month in range(1, 13):
        seen, eligible = months.get(month), n - done
        if pad is None:
            quota = min(eligible, ceil(max(0, target - done) / (13 - month)))
            announced = quota > 0
        else:
            left = max(0, target + pad - done)
            quota = 0 if month == 1 else min(eligible, ceil(left / (13 - month)))
            announced = eligible > 0
        if seen is None:
            if announced:
                return False
            continue
        if not announced or seen.k != quota or seen.drawn != quota:
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
) -> list[int]:
    """The pads under which a list of ``n`` announces exactly ``months`` (month → its figures):
    ``[0]`` in mode ``exact`` when ``n`` is consistent; in mode ``hidden``, every pad from 0 to
    ``ceil(extra_at_most × target)`` that makes it so; empty when ``n`` is not consistent."""
    if n == 0:
        return [] if months else [0]
    if mode == "exact":
        return [0] if _announces(n, months, ratio, None) else []
    target = ceil(ratio * n)
    most = ceil(extra_at_most * target)
    drawn = sum(m.drawn for m in months.values())
    # The year draws target + pad, unless the list runs out first (then any larger pad fits).
    tried = range(most + 1) if drawn >= n else [drawn - target]
    return [p for p in tried if 0 <= p <= most and _announces(n, months, ratio, p)]


def consistent_sizes(
    months: Iterable[Announced],
    ratio: Fraction,
    *,
    mode: str = "exact",
    extra_at_most: Fraction = Fraction(1),
    limit: int | None = None,
) -> list[int]:
    """Every stratum size the rule makes consistent with a year of public figures, ascending.

    Args:
        months: the stratum's announced months (a month absent announced nothing).
        ratio: the stratum's ratio (the base ratio, or the risk stratum's).
        mode, extra_at_most: the office's quota mode and its largest extra share (public rules).
        limit: the largest size tried (default: the largest the year's drawn objects allow,
            ``drawn ÷ ratio``, plus one); a result ending at ``limit`` may go on above it.
    """
    given = {m.month: m for m in months}
    drawn = sum(m.drawn for m in given.values())
    top = limit if limit is not None else int(drawn / ratio) + 1
    return [
        n
        for n in range(drawn, top + 1)
        if consistent_pads(n, given, ratio, mode=mode, extra_at_most=extra_at_most)
    ]


def infer(
    months: Iterable[Announced],
    ratio: Fraction,
    truth: int,
    *,
    mode: str = "exact",
    extra_at_most: Fraction = Fraction(1),
) -> Inferred:
    """The narrowest range provable for one stratum's size (``truth`` kept for the report).

    Raises:
        ValueError: no size is consistent: the figures do not follow the rule (a changed list,
            or the wrong mode).
    """
    sizes = consistent_sizes(months, ratio, mode=mode, extra_at_most=extra_at_most)
    if not sizes:
        raise ValueError(
            _("no list size gives these announcements under quota mode {mode!r}").format(mode=mode)
        )
    return Inferred(sizes[0], sizes[-1], truth)


def announced_in_records(records: Iterable[DrawRecord]) -> dict[str, list[Announced]]:
    """The public figures of every confidential scope of a year's draw records (the signed
    ``record.json`` a publication holds, read with ``DrawRecord.from_json``), by stratum: each
    month's announced k, how many the draw selected and, when its picks carry scores, the
    cut-off. A record without a draw (an aborted ceremony) is left out.

    Raises:
        ValueError: a confidential scope is not in exact mode.
    """
    found: dict[str, list[Announced]] = {}
    for record in records:
        if record.seed is None or not record.results:
            continue
        for scope in record.announcement.scopes:
            if not scope.confidential:
                continue
            result = record.result(scope.scope)
            if scope.k is None or result is None:
                raise ValueError(
                    _("scope {scope!r}: a confidential scope not in exact mode").format(
                        scope=scope.scope
                    )
                )
            month, stratum = scope.scope.split("/", maxsplit=1)
            scores = [int(p.score, 16) for p in result.selected if p.score is not None]
            cut = Fraction(max(scores), 1 << 256) if scores else None
            found.setdefault(stratum, []).append(
                Announced(int(month.split("-")[1]), scope.k, len(result.selected), cut)
            )
    return {s: sorted(months, key=lambda m: m.month) for s, months in found.items()}


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
    keyed: bool = True,
) -> tuple[dict[str, list[Announced]], dict[str, int], dict[str, set[str]]]:
    """A year of draws of the office's plan (every drawn object inspected), as the public sees it.

    Each month is planned by :func:`rfb_policy.rules.plan.month_plan` (with the shares of the
    strata's first months, :func:`rfb_policy.rules.hiding.uniform_share`) and drawn with
    fairdraw's exact mode from ``seed(month)``, the confidential lists salted with
    ``salt(month)``, announced as :func:`rfb_policy.ceremony.announce.month_scopes` does (mode
    ``hidden``: a confidential stratum every month its list is not empty). The scores are
    ordinary ones; the ceremony draws mode ``hidden``'s scopes with keyed scores, which changes
    who is drawn but no count here, and publishes no score: with ``keyed`` (the default) their
    ``cut`` is then None; without it, this measures what they would reveal if scores were public.

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
            if quota.quota == 0 and not (quota.hidden and quota.eligible):
                continue
            scope = f"{year}-{month:02d}/{quota.scope}"
            population = Population.of(quota.eligible, salt=salt(month) if secret else None)
            draw = draw_exact(seed(month), scope, population, quota.quota)
            if quota.hidden and quota.scope not in shares:
                shares[quota.scope] = uniform_share(seed(month), salt(month), scope)
            inspected.setdefault(quota.item, set()).update(draw.labels)
            scored = draw.selected and not (keyed and quota.hidden)
            cut = Fraction(draw.selected[-1].score_int, 1 << 256) if scored else None
            public.setdefault(quota.scope, []).append(
                Announced(month, quota.quota, len(draw.labels), cut)
            )
    return public, sizes, inspected
