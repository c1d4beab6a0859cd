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
from rfb_policy.groups import Assignment, Group, assign_objects, groups_from_ranking
from rfb_policy.items import Catalogue
from rfb_policy.plan import MonthPlan

__all__ = [
    "DICE_ROLLS",
    "GroupRules",
    "MonthOutcome",
    "announce_month",
    "announced",
    "drawn_objects",
    "month_scopes",
    "outcome",
    "record_assignment",
    "record_groups",
    "record_objects",
]

ALTERNATES = 3
"""Ranked alternates of a public scope (QUAL), for an object that proves ineligible. A confidential
scope has none: fairdraw lists fewer alternates when the list runs out, and how many it lists
would then give the list's size away (rule R18)."""
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
    policy_extra: Mapping[str, str] | None = None,
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
        policy_extra: further policy members: the digests of the directory snapshots the month
            is drawn from (``objects_snapshot``, ``inspectors_snapshot``), so that the record
            names the very directories (and 回避 table) its groups and assignment follow from;
            ``rehearsal`` when the ceremony's time was replayed.
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
            **(policy_extra or {}),
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
                alternates=0 if secret else ALTERNATES,
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


def announced(record: Mapping[str, Any]) -> Mapping[str, Any]:
    """The body of a record's announcement (its scopes, sources, policy, ``supersedes``), or an
    empty mapping for a record without events."""
    events = record.get("events") or []
    body: Mapping[str, Any] = events[0]["event"]["body"] if events else {}
    return body


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


def _sorted_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(values))


@attrs.frozen(kw_only=True)
class GroupRules:
    """How a month's groups are formed (rule R8), announced in the ceremony's policy.

    Attributes:
        groups: 1 to 3.
        group_size: at least 2.
        require_a_post: each group has an A岗 officer; ``a_posts`` then lists the eligible A岗
            officers' certificate numbers, so that the groups follow from the record alone.
    """

    groups: int = attrs.field(default=3, validator=attrs.validators.in_(range(1, 4)))
    group_size: int = attrs.field(default=2, validator=attrs.validators.ge(2))
    require_a_post: bool = False
    a_posts: tuple[str, ...] = attrs.field(default=(), converter=_sorted_tuple)

    def to_policy(self) -> dict[str, str]:
        """The announcement's policy members (strings, as the ceremony spec keeps them)."""
        policy = {
            "groups": str(self.groups),
            "group_size": str(self.group_size),
            "require_a_post": "true" if self.require_a_post else "false",
        }
        if self.require_a_post:
            policy["a_posts"] = ",".join(self.a_posts)
        return policy

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> GroupRules:
        """The rules a record announced (records without them used the defaults).

        Raises:
            PolicyError: the announced values are not valid rules.
        """
        policy = announced(record).get("policy") or {}
        try:
            return cls(
                groups=int(policy.get("groups", 3)),
                group_size=int(policy.get("group_size", 2)),
                require_a_post=policy.get("require_a_post", "false") == "true",
                a_posts=[c for c in str(policy.get("a_posts", "")).split(",") if c],
            )
        except ValueError as err:
            raise PolicyError(f"the record announces group rules that break R8: {err}") from err


def record_groups(record: Mapping[str, Any], month: str) -> tuple[Group, ...]:
    """The month's groups, from the record alone: its officers' ranking and announced rules.

    Raises:
        PolicyError: the record has no draw, or its rules cannot be met.
    """
    results = {r["scope"]: r for r in _draw_results(record)}
    if f"{month}/inspectors" not in results:
        raise PolicyError(f"{month}: the record has no scope {month}/inspectors")
    ranking = [p["label"] for p in results[f"{month}/inspectors"]["selected"]]
    rules = GroupRules.from_record(record)
    return groups_from_ranking(
        ranking,
        groups=rules.groups,
        group_size=rules.group_size,
        a_posts=set(rules.a_posts) if rules.require_a_post else None,
    )


def _certified(inspectors: Sequence[Inspector], certificate: str, day: date) -> bool:
    return any(i.certificate == certificate and i.certified_on(day) for i in inspectors)


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

    The groups follow from the record alone (:func:`record_groups`: the officers' published
    ranking and the announced rules); the directory is checked against them (every officer
    certified on the draw day, the announced A岗 list right) and gives the conflicts of interest
    that the assignment honours (:func:`rfb_policy.groups.assign_objects`).

    Raises:
        PolicyError: the record has no draw, or it disagrees with the directory.
    """
    seed, drawn, alternates = drawn_objects(record, month)
    rules = GroupRules.from_record(record)
    posts = {i.certificate: i.post for i in inspectors}
    ranking = [
        p["label"]
        for r in _draw_results(record)
        if r["scope"] == f"{month}/inspectors"
        for p in r["selected"]
    ]
    if rules.require_a_post and set(rules.a_posts) != {c for c in ranking if posts.get(c) == "A"}:
        raise PolicyError(f"{month}: the record's A岗 list differs from the directory's")
    unknown = [c for c in ranking if c not in posts or not _certified(inspectors, c, draw_day)]
    if unknown:
        raise PolicyError(f"{month}: officers in the record but not eligible: {unknown[:3]}")
    assignment = record_assignment(record, month, inspectors)
    return MonthOutcome(seed, drawn, alternates, assignment.groups, assignment)


def record_objects(record: Mapping[str, Any], month: str) -> list[str]:
    """The month's drawn objects, each once, in scope order: an object drawn for several items is
    inspected once, for all of them (一次查完)."""
    _, drawn, _ = drawn_objects(record, month)
    return list(dict.fromkeys(o for ids in drawn.values() for o in ids))


def record_assignment(
    record: Mapping[str, Any], month: str, inspectors: Sequence[Inspector]
) -> Assignment:
    """Which group inspects which object: the record's groups, its objects dealt from its seed,
    and the directory's conflicts of interest (回避)."""
    seed, _, _ = drawn_objects(record, month)
    return assign_objects(
        seed, month, record_objects(record, month), record_groups(record, month), inspectors
    )
