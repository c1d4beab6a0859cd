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
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from fairdraw import Ceremony, OfficeKey, PolicyError, Population, ScopePlan
from rfb_policy.directories import Inspector
from rfb_policy.groups import Assignment, Group, assign_objects, form_groups
from rfb_policy.items import Catalogue
from rfb_policy.plan import MonthPlan

__all__ = [
    "DICE_ROLLS",
    "GroupRules",
    "MonthOutcome",
    "announce_month",
    "drawn_objects",
    "month_scopes",
    "outcome",
]

ALTERNATES = 3
DICE_ROLLS = 50
"""Rolls of a six-sided die the leader makes: 50 give 129 bits, enough without a beacon."""


def announce_month(
    key: OfficeKey,
    *,
    draw_id: str,
    office: str,
    scopes: Sequence[ScopePlan],
    catalogue: Catalogue,
    start: datetime,
    beacon: Mapping[str, Any] | None = None,
    leader: Mapping[str, str] | None = None,
    rules: GroupRules | None = None,
    supersedes: Mapping[str, str] | None = None,
) -> Ceremony:
    """Announce a month's ceremony with the office's usual participants and sources.

    The office (执法宣传科) commits to a secret; the leader in charge (主管领导) rolls a die 50
    times at the ceremony; an announced beacon entry, if given, is added as a third source.
    Commitments are due within 15 minutes and reveals within 45.

    Args:
        leader: who performs the draw, added to the leader's participant entry (``name``; for
            a stand-in also ``stand_in_for`` and ``authorisation``).
        rules: how the groups are formed; announced in the policy so that anyone can recompute
            the groups and the assignment from the record alone.
        supersedes: the aborted draw this one replaces (``draw_id``, ``reason``, ``approver``).
    """
    sources: list[dict[str, Any]] = [
        {"id": "office-secret", "type": "local", "participant": "office"},
        {
            "id": "leader-dice",
            "type": "dice",
            "participant": "leader",
            "count": DICE_ROLLS,
            "sides": 6,
        },
    ]
    if beacon is not None:
        sources.append(dict(beacon))
    return Ceremony.announce(
        key,
        draw_id=draw_id,
        office=office,
        scopes=scopes,
        participants=[
            {"id": "office", "role": "执法宣传科"},
            {"id": "leader", "role": "主管领导", **(leader or {})},
        ],
        sources=sources,
        commit_deadline=start + timedelta(minutes=15),
        reveal_deadline=start + timedelta(minutes=45),
        policy={
            "id": "xicheng-rfb",
            "version": catalogue.version,
            **(rules or GroupRules()).to_policy(),
        },
        supersedes=supersedes,
        at=start,
    )


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


def _draw_results(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    draws = [
        e["event"]["body"]["results"]
        for e in record.get("events", [])
        if e["event"]["kind"] == "draw"
    ]
    if not draws:
        raise PolicyError(f"draw {record.get('draw_id')!r}: the record has no draw")
    results: list[dict[str, Any]] = draws[0]
    return results


def drawn_objects(
    record: Mapping[str, Any], month: str
) -> tuple[str, dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The seed, and the selected and alternate objects per item and stratum (``MAINT/base``).

    Raises:
        PolicyError: the record has no seed or no draw.
    """
    seeds = [
        e["event"]["body"]["seed"] for e in record.get("events", []) if e["event"]["kind"] == "seed"
    ]
    if not seeds:
        raise PolicyError(f"{month}: the record has no seed")
    prefix = f"{month}/"
    drawn: dict[str, tuple[str, ...]] = {}
    alternates: dict[str, tuple[str, ...]] = {}
    for result in _draw_results(record):
        scope = result["scope"]
        if scope == f"{month}/inspectors" or not scope.startswith(prefix):
            continue
        drawn[scope[len(prefix) :]] = tuple(p["label"] for p in result["selected"])
        alternates[scope[len(prefix) :]] = tuple(p["label"] for p in result["alternates"])
    return seeds[0], drawn, alternates


@attrs.frozen(kw_only=True)
class GroupRules:
    """How a month's groups are formed (rule R8), announced in the ceremony's policy."""

    groups: int = attrs.field(default=3, validator=attrs.validators.in_(range(1, 4)))
    group_size: int = attrs.field(default=2, validator=attrs.validators.ge(2))
    require_a_post: bool = False

    def to_policy(self) -> dict[str, str]:
        """The announcement's policy members (strings, as the ceremony spec keeps them)."""
        return {
            "groups": str(self.groups),
            "group_size": str(self.group_size),
            "require_a_post": "true" if self.require_a_post else "false",
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> GroupRules:
        """The rules a record announced (records without them used the defaults).

        Raises:
            PolicyError: the announced values are not valid rules.
        """
        policy = record["events"][0]["event"]["body"].get("policy") or {}
        try:
            return cls(
                groups=int(policy.get("groups", 3)),
                group_size=int(policy.get("group_size", 2)),
                require_a_post=policy.get("require_a_post", "false") == "true",
            )
        except ValueError as err:
            raise PolicyError(f"the record announces group rules that break R8: {err}") from err


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
    draw_day: date,
) -> MonthOutcome:
    """Read a month's draw record: the drawn objects, then the groups and their objects.

    The officers who could go are those of the record's ``YYYY-MM/inspectors`` scope; the group
    rules are those the announcement's policy names. The groups and the assignment are
    recomputed from the record's seed with the rules of :mod:`rfb_policy.groups`, and checked
    against the rankings the record publishes.

    Raises:
        PolicyError: the record has no draw, or its rankings disagree with the rules.
    """
    seed, drawn, alternates = drawn_objects(record, month)
    results = {r["scope"]: r for r in _draw_results(record)}
    rules = GroupRules.from_record(record)
    published = [p["label"] for p in results[f"{month}/inspectors"]["selected"]]
    formed = form_groups(
        seed,
        month,
        inspectors,
        available=published,
        draw_day=draw_day,
        groups=rules.groups,
        group_size=rules.group_size,
        require_a_post=rules.require_a_post,
    )
    members = [m for g in formed for m in g.members]
    if not rules.require_a_post and members != published[: len(members)]:
        raise PolicyError(f"{month}: the groups differ from the record's ranking of officers")
    # An object drawn for several items is inspected once, for all of them (一次查完).
    objects = list(dict.fromkeys(o for ids in drawn.values() for o in ids))
    assignment = assign_objects(seed, month, objects, formed, inspectors)
    return MonthOutcome(seed, drawn, alternates, formed, assignment)
