"""The monthly draw as one fairdraw ceremony: which scopes it announces, and what it decided.

One ceremony per month announces, before the seed exists:

* one scope per item and stratum with a quota, ``YYYY-MM/MAINT/base`` …: its eligible objects,
  ``k`` = the month's quota, with ranked alternates for objects that prove ineligible;
* ``YYYY-MM/inspectors``: the eligible officers' certificate numbers, all ranked (a shuffle).

So ``fairdraw verify`` checks the objects and the order that forms the groups. The order in which
the drawn objects are dealt to the groups is their ranking under the scope ``YYYY-MM/assignment``:
it is not announced as a scope (its population would reveal the confidential lists), but anyone
can compute it from the record, since it needs only the seed and the drawn objects, which the
record publishes. :func:`outcome` reads the record back into groups and assignments with the
rules of :mod:`rfb_policy.groups`. MAINT, USE and COMM lists are confidential: their scopes are
announced with a salted digest and no size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from fairdraw import PolicyError, Population, ScopePlan
from rfb_policy.directories import Inspector
from rfb_policy.groups import Assignment, Group, assign_objects, form_groups
from rfb_policy.items import Catalogue
from rfb_policy.plan import MonthPlan

__all__ = ["MonthOutcome", "month_scopes", "outcome"]

ALTERNATES = 3


def month_scopes(
    month: str,
    plan: MonthPlan,
    catalogue: Catalogue,
    inspectors: Sequence[Inspector],
    *,
    available: Iterable[str],
    draw_day: date,
    salt: bytes,
) -> list[ScopePlan]:
    """The scopes a month's ceremony announces.

    Args:
        month: ``YYYY-MM``.
        plan: the month's quotas (:func:`rfb_policy.plan.month_plan`).
        catalogue: the item catalogue (which totals are confidential).
        inspectors: the inspectors directory.
        available: certificate numbers confirmed available for the month.
        draw_day: certificates must be valid on this day.
        salt: 32 random bytes for the confidential lists (kept with the office's records).

    Raises:
        PolicyError: nothing to draw, or no eligible officers.
    """
    scopes = []
    for quota in plan.quotas:
        if quota.quota == 0:
            continue
        secret = catalogue[quota.item].confidential_total
        scopes.append(
            ScopePlan(
                scope=f"{month}/{quota.scope}",
                population=Population.of(quota.eligible, salt=salt if secret else None),
                k=quota.quota,
                alternates=ALTERNATES,
                confidential=secret,
            )
        )
    if not scopes:
        raise PolicyError(f"{month}: no item has anything to draw")
    ready = set(available)
    eligible = sorted(
        i.certificate for i in inspectors if i.certificate in ready and i.certified_on(draw_day)
    )
    if not eligible:
        raise PolicyError(f"{month}: no officer is available and certified on {draw_day}")
    scopes.append(
        ScopePlan(scope=f"{month}/inspectors", population=Population.of(eligible), k=len(eligible))
    )
    return scopes


@attrs.frozen
class MonthOutcome:
    """What a month's record decided: the objects per item, the groups and the assignment."""

    seed: str
    drawn: Mapping[str, tuple[str, ...]]
    alternates: Mapping[str, tuple[str, ...]]
    groups: tuple[Group, ...]
    assignment: Assignment


def outcome(
    record: Mapping[str, Any],
    month: str,
    inspectors: Sequence[Inspector],
    *,
    available: Iterable[str],
    draw_day: date,
    groups: int = 3,
    group_size: int = 2,
    require_a_post: bool = False,
) -> MonthOutcome:
    """Read a month's draw record: the drawn objects, then the groups and their objects.

    The groups and the assignment are recomputed from the record's seed with the rules of
    :mod:`rfb_policy.groups`, and checked against the rankings the record publishes.

    Raises:
        PolicyError: the record has no draw, or its rankings disagree with the rules.
    """
    events = record.get("events", [])
    seeds = [e["event"]["body"]["seed"] for e in events if e["event"]["kind"] == "seed"]
    draws = [e["event"]["body"]["results"] for e in events if e["event"]["kind"] == "draw"]
    if not seeds or not draws:
        raise PolicyError(f"{month}: the record has no draw")
    seed, results = seeds[0], {r["scope"]: r for r in draws[0]}
    prefix = f"{month}/"
    drawn: dict[str, tuple[str, ...]] = {}
    alternates: dict[str, tuple[str, ...]] = {}
    for scope, result in results.items():
        if scope == f"{month}/inspectors" or not scope.startswith(prefix):
            continue
        drawn[scope[len(prefix) :]] = tuple(p["label"] for p in result["selected"])
        alternates[scope[len(prefix) :]] = tuple(p["label"] for p in result["alternates"])
    formed = form_groups(
        seed,
        month,
        inspectors,
        available=available,
        draw_day=draw_day,
        groups=groups,
        group_size=group_size,
        require_a_post=require_a_post,
    )
    published = [p["label"] for p in results[f"{month}/inspectors"]["selected"]]
    members = [m for g in formed for m in g.members]
    if not require_a_post and members != published[: len(members)]:
        raise PolicyError(f"{month}: the groups differ from the record's ranking of officers")
    objects = [o for ids in drawn.values() for o in ids]
    assignment = assign_objects(seed, month, objects, formed, inspectors)
    return MonthOutcome(seed, drawn, alternates, formed, assignment)
