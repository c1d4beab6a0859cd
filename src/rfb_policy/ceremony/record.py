"""A month's draw record read with the office's rules: what it drew, the groups, the deal.

:class:`MonthRecord` wraps fairdraw's typed :class:`fairdraw.DrawRecord` and adds what the
office's rules make of it, from the record alone:

* the objects drawn per item and stratum (``MAINT/base`` → ids) and their alternates;
* the groups: the officers' published ranking (scope ``YYYY-MM/inspectors``) filled by the rules
  the announcement states (:class:`rfb_policy.rules.groups.GroupRules`);
* the deal of the drawn objects to the groups (scope ``YYYY-MM/assignment``), which with the
  directory's conflicts of interest gives the assignment (:func:`MonthRecord.assignment`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from fairdraw import DrawRecord, PolicyError, SourceEntry, Supersedes
from rfb_policy.i18n import _
from rfb_policy.model.directory import Inspector
from rfb_policy.month import Month
from rfb_policy.rules.groups import Assignment, Group, GroupRules, assign_objects, deal_order

__all__ = ["MonthOutcome", "MonthRecord"]


@attrs.frozen
class MonthOutcome:
    """What a month's record decided: the objects per item, the groups and the assignment."""

    seed: str
    drawn: Mapping[str, tuple[str, ...]]
    alternates: Mapping[str, tuple[str, ...]]
    groups: tuple[Group, ...]
    assignment: Assignment


@attrs.frozen
class MonthRecord:
    """A monthly draw record of the office (``YYYY-MM/…`` scopes), read.

    Attributes:
        record: the typed fairdraw record.
        month: the month its scopes draw for.
    """

    record: DrawRecord
    month: Month

    @classmethod
    def of(cls, record: DrawRecord) -> MonthRecord:
        """Read a fairdraw record as a month's record.

        Raises:
            PolicyError: the record is not a monthly draw of rfb (no ``YYYY-MM/`` scope).
        """
        month = Month.of_scopes(s.scope for s in record.announcement.scopes)
        if month is not None:
            return cls(record, month)
        raise PolicyError(
            _("{draw_id}: this record is not a monthly draw of rfb (no YYYY-MM/ scope)").format(
                draw_id=record.draw_id
            )
        )

    @classmethod
    def from_json(cls, data: object) -> MonthRecord:
        """Read a record's JSON.

        Raises:
            MalformedRecordError: the JSON is not a record (a member missing or mistyped).
            PolicyError: it is not a monthly draw of rfb.
        """
        return cls.of(DrawRecord.from_json(data))

    # -- what the announcement says ---------------------------------------------------------

    @property
    def draw_id(self) -> str:
        """The record's draw id."""
        return self.record.draw_id

    @property
    def policy(self) -> Mapping[str, str]:
        """The announced policy."""
        return self.record.announcement.policy

    @property
    def rules(self) -> GroupRules:
        """The announced group rules.

        Raises:
            PolicyError: they break R8.
        """
        return GroupRules.from_policy(self.policy)

    @property
    def rehearsal(self) -> bool:
        """Whether the ceremony ran on a replayed clock (a rehearsal, never a draw)."""
        return self.policy.get("rehearsal") == "true"

    @property
    def demo(self) -> bool:
        """Whether the ceremony is a demonstration (``rfb demo``): fictitious data, on a clock
        replayed to before a recorded beacon round, so that its times are not real."""
        return self.policy.get("demo") == "true"

    def beacon_lead(self) -> tuple[SourceEntry, int] | None:
        """The announced drand round, if any, and how many whole minutes before it is due the
        ceremony was announced."""
        beacons = self.record.announcement.sources_of_type("drand")
        if not beacons:
            return None
        announced = datetime.fromisoformat(self.record.events[0].time)
        due = beacons[0].due or announced
        return beacons[0], round((due - announced).total_seconds() / 60)

    def demo_note(self, lang: str) -> str:
        """What a demonstration's record is, in Chinese (``zh``) or English: the beacon round
        its clock was replayed to, as the record announces it."""
        lead = self.beacon_lead()
        if lead is None:
            return (
                "演示：虚构示例数据，时钟为回放时间，记录中的时间并非真实时间"
                if lang == "zh"
                else "a demonstration on fictitious data, on a replayed clock: the times in the "
                "record are not real"
            )
        beacon, minutes = lead
        if lang == "zh":
            return (
                f"演示：虚构示例数据；时钟回放至已记录的 drand {beacon.chain} 第 {beacon.round} 轮"
                f"信标之前 {minutes} 分钟，记录中的时间并非真实时间"
            )
        return (
            f"a demonstration on fictitious data: its clock was replayed to {minutes} minutes "
            f"before the recorded drand {beacon.chain} round {beacon.round}, so the times in the "
            f"record are not real"
        )

    @property
    def objects_snapshot(self) -> str | None:
        """The digest of the objects directory the month was drawn from (older records: None)."""
        return self.policy.get("objects_snapshot")

    @property
    def inspectors_snapshot(self) -> str | None:
        """The digest of the inspectors directory the month was drawn from (older records: None)."""
        return self.policy.get("inspectors_snapshot")

    @property
    def supersedes(self) -> Supersedes | None:
        """The aborted attempt this draw replaces, if any."""
        return self.record.announcement.supersedes

    # -- what the draw gave -----------------------------------------------------------------

    @property
    def seed(self) -> str:
        """The seed (hex).

        Raises:
            PolicyError: the ceremony stopped before the seed.
        """
        if self.record.seed is None:
            raise PolicyError(_("{month}: the record has no seed").format(month=self.month))
        return self.record.seed

    def _results(self) -> dict[str, Any]:
        results = self.record.results
        if not results:
            raise PolicyError(_("{draw_id}: the record has no draw").format(draw_id=self.draw_id))
        return {r.scope: r for r in results}

    def _strata(self, which: str) -> dict[str, tuple[str, ...]]:
        prefix = f"{self.month}/"
        found = {}
        for scope, result in self._results().items():
            if scope == self.month.scope("inspectors") or not scope.startswith(prefix):
                continue
            found[scope[len(prefix) :]] = (
                result.labels if which == "selected" else result.alternate_labels
            )
        return found

    @property
    def drawn(self) -> dict[str, tuple[str, ...]]:
        """The selected objects per item and stratum (``MAINT/base`` → ids, in rank order).

        Raises:
            PolicyError: the record has no draw.
        """
        return self._strata("selected")

    @property
    def alternates(self) -> dict[str, tuple[str, ...]]:
        """The alternates per item and stratum, in rank order."""
        return self._strata("alternates")

    @property
    def objects(self) -> list[str]:
        """The drawn objects, each once, in scope order: an object drawn for several items is
        inspected once, for all of them (一次查完)."""
        return list(dict.fromkeys(o for ids in self.drawn.values() for o in ids))

    @property
    def ranking(self) -> tuple[str, ...]:
        """The officers' certificate numbers in their published ranking.

        Raises:
            PolicyError: the record has no draw or no officers' scope.
        """
        result = self._results().get(self.month.scope("inspectors"))
        if result is None:
            raise PolicyError(
                _("{month}: the record has no ranking of the inspectors ({scope})").format(
                    month=self.month, scope=f"{self.month}/inspectors"
                )
            )
        return tuple(result.labels)

    @property
    def groups(self) -> tuple[Group, ...]:
        """The month's groups, from the record alone: the ranking under the announced rules.

        Raises:
            PolicyError: the record has no draw, or its rules cannot be met.
        """
        return self.rules.groups_of(self.ranking)

    def deal_order(self) -> tuple[str, ...]:
        """The order in which the drawn objects are dealt to the groups."""
        return deal_order(self.seed, str(self.month), self.objects)

    def assignment(self, inspectors: Sequence[Inspector]) -> Assignment:
        """Which group inspects which object: the groups, the deal, and the directory's
        conflicts of interest (回避)."""
        return assign_objects(self.seed, str(self.month), self.objects, self.groups, inspectors)

    def outcome(self, inspectors: Sequence[Inspector], *, draw_day: date) -> MonthOutcome:
        """Everything the record decided, checked against the directory it was drawn from.

        The directory must agree with the record: every ranked officer certified on the draw
        day, and the announced A岗 list the directory's.

        Raises:
            PolicyError: the record has no draw, or it disagrees with the directory.
        """
        rules = self.rules
        posts = {i.certificate: i.post for i in inspectors}
        ranking = self.ranking
        a_posts = {c for c in ranking if posts.get(c) == "A"}
        if rules.require_a_post and set(rules.a_posts) != a_posts:
            raise PolicyError(
                _("{month}: the record's list of A posts differs from the directory's").format(
                    month=self.month
                )
            )
        certified = {i.certificate for i in inspectors if i.certified_on(draw_day)}
        unknown = [c for c in ranking if c not in certified]
        if unknown:
            raise PolicyError(
                _("{month}: officers in the record but not eligible: {officers}").format(
                    month=self.month, officers=", ".join(unknown[:3])
                )
            )
        assignment = self.assignment(inspectors)
        return MonthOutcome(self.seed, self.drawn, self.alternates, assignment.groups, assignment)
