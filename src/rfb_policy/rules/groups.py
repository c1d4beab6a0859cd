"""Inspection groups and the assignment of drawn objects to them (rules R4, R8, R9).

Every random choice comes from the ceremony seed through named scopes, with fairdraw's
verifiable shuffle, so anyone holding the record can recompute the groups and the assignment:

1. **Who may go**: inspectors confirmed available whose certificate is valid on the draw day.
2. **Groups** (scope ``YYYY-MM/inspectors``): the eligible officers, shuffled by certificate
   number, fill ``groups`` groups of ``group_size`` in shuffled order (with ``require_a_post``,
   each group first takes the next A岗 officer in that order). At most 3 groups, at least 2
   officers each, nobody in two groups.
3. **Assignment** (scope ``YYYY-MM/assignment``): the drawn objects, shuffled, are dealt to the
   groups in turn, so group sizes differ by at most one. An object dealt to a group with a member
   who must recuse himself (回避) moves to the next group in turn without a conflict; each move is
   recorded with its reason.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date

import attrs

from fairdraw import PolicyError, shuffle
from rfb_policy.i18n import _
from rfb_policy.model.directory import Inspector

__all__ = [
    "Assignment",
    "Group",
    "GroupRules",
    "Substitution",
    "assign_objects",
    "deal_order",
    "form_groups",
    "group_rules_for",
    "groups_from_ranking",
]

MAX_GROUPS = 3
MIN_GROUP_SIZE = 2


@attrs.frozen
class Group:
    """One inspection group: its number (from 1) and its members' certificate numbers."""

    number: int
    members: tuple[str, ...]


@attrs.frozen
class Substitution:
    """An object moved to another group because a member had to recuse himself (回避)."""

    object_id: str
    from_group: int
    to_group: int
    officers: tuple[str, ...]


@attrs.frozen
class Assignment:
    """Which group inspects which object, and every 回避 move."""

    groups: tuple[Group, ...]
    objects: tuple[tuple[str, ...], ...]
    substitutions: tuple[Substitution, ...]

    def group_of(self, object_id: str) -> int:
        """The number of the group that inspects ``object_id``."""
        for number, ids in enumerate(self.objects, start=1):
            if object_id in ids:
                return number
        raise KeyError(object_id)


def form_groups(
    seed: str | bytes,
    month: str,
    inspectors: Sequence[Inspector],
    *,
    available: Iterable[str],
    draw_day: date,
    groups: int = MAX_GROUPS,
    group_size: int = MIN_GROUP_SIZE,
    require_a_post: bool = False,
) -> tuple[Group, ...]:
    """Form the month's groups from the ceremony seed.

    Args:
        seed: the ceremony seed.
        month: ``YYYY-MM``; the scope is ``YYYY-MM/inspectors``.
        inspectors: the inspectors directory.
        available: certificate numbers of the officers confirmed available.
        draw_day: certificates must be valid on this day.
        groups: how many groups (1 to 3).
        group_size: officers per group (at least 2).
        require_a_post: each group has at least one A岗 officer.

    Raises:
        PolicyError: the rules cannot be met (too few eligible officers, no A岗 for a group).
    """
    _check_rules(groups, group_size)
    ready = set(available)
    eligible = {
        i.certificate: i for i in inspectors if i.certificate in ready and i.certified_on(draw_day)
    }
    if len(eligible) < groups * group_size:
        raise PolicyError(
            _(
                "{count} eligible officers (available, certificate valid on {day}) cannot form "
                "{groups} groups of {size}; form fewer groups or postpone the draw"
            ).format(count=len(eligible), day=draw_day, groups=groups, size=group_size)
        )
    order = shuffle(seed, f"{month}/inspectors", sorted(eligible)).labels
    a_posts = {c for c, i in eligible.items() if i.post == "A"} if require_a_post else None
    return groups_from_ranking(order, groups=groups, group_size=group_size, a_posts=a_posts)


def _check_rules(groups: int, group_size: int) -> None:
    if not 1 <= groups <= MAX_GROUPS:
        raise PolicyError(
            _("a month has 1 to {most} groups, not {groups}").format(most=MAX_GROUPS, groups=groups)
        )
    if group_size < MIN_GROUP_SIZE:
        raise PolicyError(_("a group has at least {least} officers").format(least=MIN_GROUP_SIZE))


def groups_from_ranking(
    ranking: Sequence[str],
    *,
    groups: int = MAX_GROUPS,
    group_size: int = MIN_GROUP_SIZE,
    a_posts: Collection[str] | None = None,
) -> tuple[Group, ...]:
    """Fill the groups from the officers' ranking (the ``YYYY-MM/inspectors`` shuffle).

    Each group in turn takes the next officers of the ranking; with ``a_posts`` (the A岗
    officers' certificate numbers), each group first takes the next A岗 officer. This needs
    nothing but the published ranking, so anyone can redo it from a record.

    Raises:
        PolicyError: the rules cannot be met.
    """
    _check_rules(groups, group_size)
    if len(ranking) < groups * group_size:
        raise PolicyError(
            _("{count} officers cannot form {groups} groups of {size}").format(
                count=len(ranking), groups=groups, size=group_size
            )
        )
    order = list(ranking)
    members: list[list[str]] = [[] for _ in range(groups)]
    if a_posts is not None:
        for group in members:
            lead = next((c for c in order if c in a_posts), None)
            if lead is None:
                raise PolicyError(_("not enough officers of an A post for one in every group"))
            group.append(lead)
            order.remove(lead)
    for group in members:
        while len(group) < group_size:
            group.append(order.pop(0))
    return tuple(Group(n, tuple(m)) for n, m in enumerate(members, start=1))


def deal_order(seed: str | bytes, month: str, object_ids: Sequence[str]) -> tuple[str, ...]:
    """The order in which the drawn objects are dealt to the groups (scope ``YYYY-MM/assignment``).

    The object at turn ``t`` goes to group ``t mod n + 1`` unless a 回避 move is recorded.
    """
    return shuffle(seed, f"{month}/assignment", list(object_ids)).labels if object_ids else ()


def assign_objects(
    seed: str | bytes,
    month: str,
    object_ids: Sequence[str],
    groups: Sequence[Group],
    inspectors: Sequence[Inspector],
) -> Assignment:
    """Deal the drawn objects to the groups from the ceremony seed, honouring 回避.

    Raises:
        PolicyError: an object conflicts with every group.
    """
    if not groups:
        raise PolicyError("there are no groups to assign objects to")
    conflicts = {i.certificate: set(i.conflicts) for i in inspectors}
    dealt: list[list[str]] = [[] for _ in groups]
    moves = []
    order = deal_order(seed, month, object_ids)
    for turn, object_id in enumerate(order):
        first = turn % len(groups)
        for step in range(len(groups)):
            index = (first + step) % len(groups)
            recused = tuple(m for m in groups[index].members if object_id in conflicts.get(m, ()))
            if not recused:
                break
            if step == 0:
                blocked = recused
        else:
            raise PolicyError(
                _(
                    "the object {object_id} conflicts with a member of every group; replace an "
                    "officer"
                ).format(object_id=object_id)
            )
        dealt[index].append(object_id)
        if index != first:
            moves.append(Substitution(object_id, first + 1, index + 1, blocked))
    return Assignment(tuple(groups), tuple(tuple(d) for d in dealt), tuple(moves))


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
    def from_policy(cls, policy: Mapping[str, str]) -> GroupRules:
        """The rules an announced policy states (records without them used the defaults).

        Raises:
            PolicyError: the announced values are not valid rules.
        """
        try:
            return cls(
                groups=int(policy.get("groups", 3)),
                group_size=int(policy.get("group_size", 2)),
                require_a_post=policy.get("require_a_post", "false") == "true",
                a_posts=[c for c in str(policy.get("a_posts", "")).split(",") if c],
            )
        except ValueError as err:
            raise PolicyError(f"the record announces group rules that break R8: {err}") from err

    def groups_of(self, ranking: Sequence[str]) -> tuple[Group, ...]:
        """The groups these rules make of the officers' ranking.

        Raises:
            PolicyError: the rules cannot be met with these officers.
        """
        return groups_from_ranking(
            ranking,
            groups=self.groups,
            group_size=self.group_size,
            a_posts=set(self.a_posts) if self.require_a_post else None,
        )


def group_rules_for(
    eligible: Sequence[Inspector],
    objects: int,
    *,
    groups: int,
    group_size: int,
    require_a_post: bool,
    month: object,
) -> GroupRules:
    """The month's group rules: as many of the office's ``groups`` as the eligible officers (and,
    with ``require_a_post``, its A岗 officers) and the ``objects`` to inspect allow.

    Raises:
        PolicyError: the eligible officers cannot form one group.
    """
    possible = len(eligible) // group_size
    if require_a_post:
        possible = min(possible, sum(1 for i in eligible if i.post == "A"))
    if possible < 1:
        raise PolicyError(
            _(
                "{month}: {count} officer(s) available and certified cannot form one group of "
                "{size} (with an officer of an A post if required); confirm more officers or "
                "postpone the draw"
            ).format(month=month, count=len(eligible), size=group_size)
        )
    return GroupRules(
        groups=max(1, min(groups, possible, objects)),
        group_size=group_size,
        require_a_post=require_a_post,
        a_posts=[i.certificate for i in eligible if i.post == "A"] if require_a_post else [],
    )
