"""Play the citizen: what a year of public records proves about the confidential totals (R18).

    PYTHONPATH=src python benchmarks/confidential_inference.py [--seeds N] [--extra 100%]
    PYTHONPATH=src python benchmarks/confidential_inference.py --records FOLDER [--extra 100%]

For each quota mode (``exact``, the existing rule; ``hidden``, with its keyed scores; and
``open``, mode hidden's quotas with ordinary scores, to show what the keyed scores add), a year of
the example office (``examples/xicheng/objects.csv``) is planned and drawn with the real plan and
fairdraw's real draws; only the public figures are kept (each month's announced k per
confidential stratum, how many objects were drawn, and, when the record publishes scores, the
cut-off), and :mod:`rfb_policy.rules.inference` enumerates every list size the published rule
makes consistent with them; a likelihood-ratio test on the counts and cut-offs gives the 95%
range a statistician would quote. The table gives, per stratum and
per item, the true size, the range proved and its half-width as a share of the truth, for the
modes side by side, and the objects inspected in the year against the 15% target (the
price of hiding). Then the same for a list of 200 (one stratum), over ``--seeds`` years, with
the smallest half-width seen: the bound the mode keeps. Exact integer and fraction arithmetic;
the years differ by their seeds only (SHA-256 of the seed number and month), no sampling.

With ``--records FOLDER``, the citizen's side only: every signed ``record.json`` under the folder
(an office's publications, say; each draw counted once) is read, and the ranges of each year's
confidential strata and items are printed from those files alone (the mode is mode ``hidden``
when the records announce keyed scores).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from math import ceil
from pathlib import Path

import attrs

from fairdraw import DrawRecord, parse_rate
from rfb_policy.files.directories import read_objects
from rfb_policy.model.directory import InspectionObject
from rfb_policy.rules.inference import (
    Announced,
    Inferred,
    announced_in_records,
    consistent_pads,
    consistent_sizes,
    public_year,
)
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import PlanSettings, stratum_ratio

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "xicheng" / "objects.csv"
CATALOGUE = Catalogue.bundled()


def _seeded(number: int, tag: str) -> Callable[[int], bytes]:
    return lambda month: hashlib.sha256(f"{tag}/{number}/{month}".encode()).digest()


CHI2_95 = 3.841  # the 95% point of chi-square with one degree of freedom


def _log_likelihood(
    n: int, months: dict[int, Announced], ratio: Fraction, settings: PlanSettings
) -> float:
    """log P(what was published | a list of n), up to a constant: the cut-offs a record with
    scores publishes (the k lowest of the eligible: their largest is the cut) and, in mode
    hidden, the chance of a pad that gives the k announced (uniform over 0..ceil(extra ×
    target)). The counts themselves follow from n and the pad. Floats: this is analysis, not a
    draw."""
    total, done = 0.0, 0
    for month in sorted(months.values(), key=lambda m: m.month):
        eligible = n - done
        if month.cut is not None and month.cut < 1:
            total += math.lgamma(eligible + 1) - math.lgamma(eligible - month.drawn + 1)
            total += (eligible - month.drawn) * math.log1p(-float(month.cut))
        done += month.drawn
    if settings.quota_mode == "hidden" and n:
        extra = settings.extra_at_most
        pads = consistent_pads(n, months, ratio, mode="hidden", extra_at_most=extra)
        most = ceil(extra * ceil(ratio * n))
        total += math.log(len(pads) / (most + 1)) if pads else -math.inf
    return total


def _likely(likelihood: dict[int, float], truth: int) -> Inferred:
    """The sizes a likelihood-ratio test at 5% does not reject (Wilks: approximate)."""
    best = max(likelihood.values())
    kept = [n for n, ll in likelihood.items() if 2 * (best - ll) <= CHI2_95]
    return Inferred(min(kept), max(kept), truth)


def _profile(first: dict[int, float], second: dict[int, float]) -> dict[int, float]:
    """The profile log-likelihood of the sum of two strata's sizes."""
    found: dict[int, float] = {}
    for a, la in first.items():
        for b, lb in second.items():
            found[a + b] = max(found.get(a + b, -math.inf), la + lb)
    return found


@attrs.frozen
class Mode:
    """A quota mode, and whether its confidential scopes' records publish no score."""

    settings: PlanSettings
    keyed: bool = True


@attrs.frozen
class Found:
    """A stratum's or an item's proved range, and the 95% range its scores give."""

    proved: Inferred
    likely: Inferred


def _ranges(
    public: Mapping[str, Sequence[Announced]],
    settings: PlanSettings,
    truths: Mapping[str, int] | None = None,
) -> dict[str, Found]:
    """Each stratum's and item's proved and 95% ranges from its public figures. ``truths``:
    the strata's real sizes (each must be among the sizes found), None when unknown (every
    stratum of ``public``, and each range's truth 0); a stratum no size fits (its list changed
    in the year) is left out, and so is its item."""
    known = truths is not None
    strata = truths if truths is not None else dict.fromkeys(sorted(public), 0)
    found: dict[str, Found] = {}
    items: dict[str, tuple[Inferred, dict[int, float]] | None] = {}
    quota_mode, extra = settings.quota_mode, settings.extra_at_most
    for stratum, truth in strata.items():
        item = stratum.split("/", maxsplit=1)[0]
        ratio = stratum_ratio(CATALOGUE, stratum, settings)
        months = {m.month: m for m in public.get(stratum, ())}
        candidates = consistent_sizes(months.values(), ratio, mode=quota_mode, extra_at_most=extra)
        assert not known or truth in candidates, f"{stratum}: the truth must be consistent"  # noqa: S101
        if not candidates:
            items[item] = None
            continue
        likelihood = {n: _log_likelihood(n, months, ratio, settings) for n in candidates}
        proved = Inferred(candidates[0], candidates[-1], truth)
        found[stratum] = Found(proved, _likely(likelihood, truth))
        if item not in items:
            items[item] = (proved, likelihood)
        elif (earlier := items[item]) is not None:
            items[item] = (earlier[0] + proved, _profile(earlier[1], likelihood))
    for item, summed in items.items():
        if summed is not None:
            found[item] = Found(summed[0], _likely(summed[1], summed[0].truth))
    return found


def _year(
    objects: Sequence[InspectionObject], mode: Mode, number: int
) -> tuple[dict[str, Found], dict[str, int]]:
    """Each confidential stratum's and item's ranges, and the objects inspected per item (and,
    under ``busiest``, the most objects a month of the year draws)."""
    settings = mode.settings
    public, sizes, inspected = public_year(
        2026,
        objects,
        CATALOGUE,
        settings=settings,
        seed=_seeded(number, "seed"),
        salt=_seeded(number, "salt"),
        keyed=mode.keyed,
    )
    found = _ranges(public, settings, sizes)
    monthly = [
        sum(m.k for months in public.values() for m in months if m.month == month)
        for month in range(1, 13)
    ]
    counts = {item: len(ids) for item, ids in inspected.items()}
    return found, counts | {"busiest": max(monthly)}


def _range(found: Inferred) -> str:
    high = "∞" if found.high is None else str(found.high)
    half = found.half_width
    share = "—" if half is None else f"±{float(half) * 100:.1f}%"
    return f"{found.low:>4}–{high:<4} {share:>7}"


def _target(item: str, objects: Sequence[InspectionObject]) -> int:
    ratio = CATALOGUE[item].ratio or Fraction(0)
    members = [o for o in objects if item in o.items and not o.open_case]
    return ceil(ratio * len(members))


ITEMS = ("MAINT", "USE", "COMM")


def example(modes: dict[str, Mode], seeds: int) -> None:
    objects = read_objects(EXAMPLE)
    print("Example office (examples/xicheng/objects.csv), one year (seed 0):")
    print("proved = every size the published rule allows; 95% = what the counts and the")
    print("published cut-offs also make likely (likelihood-ratio test at 5%, approximate)\n")
    head = "".join(f"{m + ' proved':<22}{m + ' 95%':<22}" for m in modes)
    print(f"{'':12}{'true':>5}  {head}")
    years = {m: _year(objects, s, 0) for m, s in modes.items()}
    names = sorted(years["exact"][0], key=lambda s: (s.split("/", maxsplit=1)[0], "/" in s, s))
    for name in names:
        truth = years["exact"][0][name].proved.truth
        cells = "".join(
            f"{_range(years[m][0][name].proved):<22}{_range(years[m][0][name].likely):<22}"
            for m in modes
        )
        print(f"{name:<12}{truth:>5}  {cells}")
    print("\nObjects inspected in the year (target: ceil(15% of the item's total))")
    for item in ITEMS:
        cells = "  ".join(f"{m}: {years[m][1].get(item, 0):>3}" for m in modes)
        print(f"  {item:<6} target {_target(item, objects):>3}   {cells}")
    print(f"\nOver {seeds} seeded years of the example office: the smallest half-width seen")
    worst: dict[str, dict[str, tuple[Fraction, Fraction]]] = {m: {} for m in modes}
    work: dict[str, list[int]] = {m: [] for m in modes}
    busiest: dict[str, list[int]] = {m: [] for m in modes}
    for number in range(seeds):
        for name_of_mode, mode in modes.items():
            found, counts = _year(objects, mode, number)
            work[name_of_mode].append(sum(counts.get(i, 0) for i in ITEMS))
            busiest[name_of_mode].append(counts["busiest"])
            for name in ITEMS:
                proved = found[name].proved.half_width or Fraction(0)
                likely = found[name].likely.half_width or Fraction(0)
                old = worst[name_of_mode].get(name, (proved, likely))
                worst[name_of_mode][name] = (min(old[0], proved), min(old[1], likely))
    for name in ITEMS:
        cells = "   ".join(
            f"{m}: proved ±{float(worst[m][name][0]) * 100:5.1f}%, "
            f"95% ±{float(worst[m][name][1]) * 100:5.1f}%"
            for m in modes
        )
        print(f"  {name:<6} {cells}")
    target = sum(_target(i, objects) for i in ITEMS)
    capacity = PlanSettings().capacity
    for name_of_mode, done in work.items():
        mean = Fraction(sum(done), len(done))
        print(
            f"  {name_of_mode}: inspections of the three items {min(done)}–{max(done)} "
            f"(mean {float(mean):.1f}; the 15% targets sum to {target}); the busiest month "
            f"draws {max(busiest[name_of_mode])} (capacity {capacity})"
        )


def list_of(size: int) -> list[InspectionObject]:
    """A MAINT-only list of ``size`` objects, none risky (one stratum, ``MAINT/base``)."""
    template = read_objects(EXAMPLE)[10]
    return [
        attrs.evolve(
            template,
            id=f"91110102MA{n:05d}",
            items=("MAINT",),
            complaints=0,
            reported_problems=0,
            bad_records=0,
            serious_violation=False,
            case_number=None,
            evidence_ref=None,
        )
        for n in range(size)
    ]


def list_of_200(modes: dict[str, Mode], seeds: int) -> None:
    objects = list_of(200)
    print(f"\nA list of 200 (MAINT/base only), over {seeds} seeded years")
    for name, mode in modes.items():
        proved, likely, counts = [], [], []
        for number in range(seeds):
            found, inspected = _year(objects, mode, number)
            proved.append(found["MAINT"].proved.half_width or Fraction(0))
            likely.append(found["MAINT"].likely.half_width or Fraction(0))
            counts.append(inspected.get("MAINT", 0))
        print(
            f"  {name:<7} proved ±{float(min(proved)) * 100:.1f}% (smallest) to "
            f"±{float(max(proved)) * 100:.1f}%; 95% ±{float(min(likely)) * 100:.1f}% to "
            f"±{float(max(likely)) * 100:.1f}%; inspected {min(counts)}–{max(counts)} "
            f"(target 30)"
        )


def _spread(found: Inferred) -> str:
    middle = Fraction(found.low + (found.high or found.low), 2)
    share = Fraction(found.high - found.low, 2) / middle if found.high and middle else None
    high = "∞" if found.high is None else str(found.high)
    return f"{found.low:>4}–{high:<4} " + ("" if share is None else f"±{float(share) * 100:.1f}%")


def from_records(folder: Path, extra: Fraction) -> None:
    """The ranges a citizen proves from the signed records under ``folder``, per year."""
    by_draw: dict[str, DrawRecord] = {}
    for path in sorted(folder.rglob("record.json")):
        record = DrawRecord.from_json(json.loads(path.read_text(encoding="utf-8")))
        by_draw.setdefault(record.draw_id, record)
    years: dict[str, list[DrawRecord]] = {}
    for record in by_draw.values():
        years.setdefault(record.announcement.scopes[0].scope[:4], []).append(record)
    for year, records in sorted(years.items()):
        keyed = any(s.keyed_scores for r in records for s in r.announcement.scopes)
        settings = PlanSettings(quota_mode="hidden" if keyed else "exact", extra_at_most=extra)
        public = announced_in_records(records)
        print(f"{year}: {len(records)} records, mode {settings.quota_mode} (from the records)")
        found = _ranges(public, settings)
        for name in sorted(public):
            if name not in found:
                print(f"  {name:<12} no size fits the rule (the list changed in the year)")
        for name, ranges in found.items():
            print(f"  {name:<12} proved {_spread(ranges.proved)}   95% {_spread(ranges.likely)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="seeded years to try (20)")
    parser.add_argument("--extra", default="100%", help="mode hidden's extra_at_most (100%%)")
    parser.add_argument("--records", type=Path, help="read the signed records under a folder")
    options = parser.parse_args()
    extra = parse_rate(options.extra)
    if options.records:
        from_records(options.records, extra)
        return
    hidden = PlanSettings(quota_mode="hidden", extra_at_most=extra)
    modes = {
        "exact": Mode(PlanSettings(), keyed=False),
        "hidden": Mode(hidden),
        "open": Mode(hidden, keyed=False),
    }
    example(modes, options.seeds)
    list_of_200(modes, options.seeds)


if __name__ == "__main__":
    main()
