"""The month's ceremony as fairdraw announces it: its scopes, participants and sources.

One ceremony per month announces, before the seed exists:

* one scope per item and stratum with a quota, ``YYYY-MM/MAINT/base`` …: its eligible objects,
  ``k`` = the month's quota, with ranked alternates for objects that prove ineligible (in quota
  mode ``hidden``, a confidential stratum is announced every month its list is not empty, k = 0
  in its first, and with keyed scores: its record names the objects drawn, with no score);
* ``YYYY-MM/inspectors``: the eligible officers' certificate numbers, all ranked (a shuffle).

MAINT, USE and COMM lists are confidential: their scopes are announced with a salted digest and
no size. The order in which the drawn objects are dealt to the groups is their ranking under the
scope ``YYYY-MM/assignment``: it is not announced as a scope (its population would reveal the
confidential lists), but anyone can compute it from the record
(:class:`rfb_policy.ceremony.record.MonthRecord`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from fairdraw import Ceremony, OfficeKey, PolicyError, Population, ScopePlan
from rfb_policy.i18n import _
from rfb_policy.model.directory import Inspector
from rfb_policy.model.witness import Witness
from rfb_policy.month import Month
from rfb_policy.rules.groups import GroupRules
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import MonthPlan

__all__ = ["ALTERNATES", "DICE_ROLLS", "MEMBERSHIP_TREE_SIZE", "announce_month", "month_scopes"]

ALTERNATES = 3
"""Ranked alternates of a public scope (QUAL), for an object that proves ineligible. A confidential
scope has none: fairdraw lists fewer alternates when the list runs out, and how many it lists
would then give the list's size away (rule R18)."""
DICE_ROLLS = 50
MEMBERSHIP_TREE_SIZE = 1024
"""Leaves of each confidential scope's membership tree, every month: a fixed bound, far above
the office's lists (MAINT about 250), so the tree's size says nothing of a list's; each object
of a confidential list gets a receipt of its membership (fairdraw's membership spec v1)."""
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
    lottery: Mapping[str, Any] | None = None,
    leader: Mapping[str, str] | None = None,
    rules: GroupRules | None = None,
    supersedes: Mapping[str, str] | None = None,
    policy_extra: Mapping[str, str] | None = None,
    witnesses: Sequence[Witness] = (),
    single_party_reason: str = "",
) -> Ceremony:
    """Announce a month's ceremony (ceremony spec v2) with the office's usual participants and
    sources.

    The office (执法宣传科) commits to a secret; each witness signs the announcement and, if
    they bring one, commits to a secret of their own; the leader in charge (主管领导) rolls a die
    50 times at the ceremony, after every commitment and before any reveal; an announced beacon
    round and a lottery draw, if given, are due after every reveal. Commitments are due within 15
    minutes and reveals within 45; with a beacon or a lottery draw, reveals are due a minute
    before the first of them, and commitments at most halfway there.

    Args:
        leader: who performs the draw, added to the leader's participant entry (``name``; for
            a stand-in also ``stand_in_for`` and ``authorisation``).
        rules: how the groups are formed; announced in the policy so that anyone can recompute
            the groups and the assignment from the record alone.
        lottery: the ``public-record`` source of the lottery draw announced
            (:meth:`rfb_policy.rules.lottery.LotteryGame.source_entry`).
        supersedes: the aborted draw this one replaces (``draw_id``, ``reason``, ``approver``).
        policy_extra: further policy members: the digests of the directory snapshots the month
            is drawn from (``objects_snapshot``, ``inspectors_snapshot``), so that the record
            names the very directories (and 回避 table) its groups and assignment follow from;
            ``rehearsal`` when the ceremony's time was replayed (``demo`` for a demonstration's).
        witnesses: the witnesses from ``rfb.toml``.
        single_party_reason: the office's reason for a ceremony one party alone could steer.
    """
    sources: list[dict[str, Any]] = [
        {"id": "office-secret", "type": "local", "participant": "office"},
        *(s for w in witnesses if (s := w.source()) is not None),
        {
            "id": "leader-dice",
            "type": "dice",
            "participant": "leader",
            "count": DICE_ROLLS,
            "sides": 6,
        },
    ]
    commit_deadline, reveal_deadline = start + timedelta(minutes=15), start + timedelta(minutes=45)
    dues = []
    if beacon is not None:
        sources.append(dict(beacon))
        dues.append(datetime.fromisoformat(str(beacon["round_time"])))
    if lottery is not None:
        sources.append(dict(lottery))
        dues.append(datetime.fromisoformat(str(lottery["time"])))
    if dues:
        reveal_deadline = min(*dues, reveal_deadline + timedelta(minutes=1)) - timedelta(minutes=1)
        commit_deadline = min(commit_deadline, start + (reveal_deadline - start) / 2)
    return Ceremony.announce(
        key,
        draw_id=draw_id,
        office=office,
        scopes=scopes,
        participants=[
            {"id": "office", "role": "执法宣传科"},
            {"id": "leader", "role": "主管领导", **(leader or {})},
            *(w.participant() for w in witnesses),
        ],
        sources=sources,
        commit_deadline=commit_deadline.replace(microsecond=0),
        reveal_deadline=reveal_deadline,
        policy={
            "id": "xicheng-rfb",
            "version": catalogue.version,
            **(rules or GroupRules()).to_policy(),
            **(policy_extra or {}),
        },
        supersedes=supersedes,
        at=start,
        single_party_reason=single_party_reason or None,
    )


def month_scopes(
    month: Month,
    plan: MonthPlan,
    catalogue: Catalogue,
    inspectors: Sequence[Inspector],
    *,
    available: Iterable[str],
    draw_day: date,
    salt: bytes,
    membership_size: int | None = MEMBERSHIP_TREE_SIZE,
) -> list[ScopePlan]:
    """The scopes a month's ceremony announces.

    Args:
        month: the month.
        plan: the month's quotas (:func:`rfb_policy.rules.plan.month_plan`).
        catalogue: the item catalogue (which totals are confidential).
        inspectors: the inspectors directory.
        available: certificate numbers confirmed available for the month.
        draw_day: certificates must be valid on this day.
        salt: 32 random bytes for the confidential lists (kept with the office's records).
        membership_size: the confidential scopes' membership tree size (None: no tree).

    Raises:
        PolicyError: nothing to draw, or no eligible officers.
    """
    scopes = []
    for quota in plan.quotas:
        if quota.quota == 0 and not (quota.hidden and quota.eligible):
            continue  # (mode hidden announces a confidential stratum's every month)
        secret = catalogue[quota.item].confidential_total
        population = Population.of(quota.eligible, salt=salt if secret else None)
        tree = membership_size if secret else None
        scopes.append(
            ScopePlan(
                scope=month.scope(quota.scope),
                population=population,
                k=quota.quota,
                alternates=0 if secret else ALTERNATES,
                confidential=secret,
                membership_size=tree,
                keyed_scores=quota.hidden and tree is not None,
            )
        )
    if not scopes:
        raise PolicyError(_("{month}: no item has anything to draw").format(month=month))
    ready = set(available)
    eligible = sorted(
        i.certificate for i in inspectors if i.certificate in ready and i.certified_on(draw_day)
    )
    if not eligible:
        raise PolicyError(
            _("{month}: no officer is available and certified on {day}").format(
                month=month, day=draw_day
            )
        )
    scopes.append(
        ScopePlan(
            scope=month.scope("inspectors"), population=Population.of(eligible), k=len(eligible)
        )
    )
    return scopes
