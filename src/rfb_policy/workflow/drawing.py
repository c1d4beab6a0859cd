"""Running a month's ceremony over the office's store (rules R3, R5, R7–R14).

:class:`MonthCeremony` does, in this order: check that the month can be drawn (the sections have
confirmed, no earlier draw of the month, nothing unfinished), plan the quotas from the year's
earlier draws, freeze every scope's list as a snapshot, announce, commit and reveal the office's
secret, take the leader's dice and the announced beacon, seed, draw, and finalise the record.
Each event is stored as it happens. A ceremony that cannot finish is aborted and finalised as
such; the next attempt is a new draw id that names it in ``supersedes``. Nothing is redrawn
silently.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from fairdraw import (
    AlreadyFinalisedError,
    Ceremony,
    CeremonyLog,
    DrandChain,
    DrandClient,
    DrawRecord,
    OfficeKey,
    PolicyError,
    Population,
    ScopePlan,
    SignedEvent,
    SourceEntry,
    VerificationError,
    new_secret,
)
from rfb_policy.ceremony.announce import announce_month, month_scopes
from rfb_policy.ceremony.record import MonthOutcome, MonthRecord
from rfb_policy.model.directory import Inspector
from rfb_policy.model.performer import Performer
from rfb_policy.month import Month
from rfb_policy.rules.availability import available_officers, section_statuses
from rfb_policy.rules.calendar import OfficialCalendar
from rfb_policy.rules.groups import GroupRules, group_rules_for
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import MonthPlan, month_plan
from rfb_policy.rules.schedule import draw_day
from rfb_policy.workflow.clock import BEIJING, Clock, beijing
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.records import OfficeRecords
from rfb_policy.workflow.values import (
    BEACON_SOURCE,
    BeaconByHand,
    CeremonySteps,
    Progress,
    add_beacon,
    ask_witnesses,
    enter_dice,
)
from rfb_policy.workflow.witnesses import WitnessDesk

__all__ = ["MonthCeremony", "MonthDraw"]


@attrs.frozen
class MonthDraw:
    """A finished month draw: the record and what it decided."""

    draw_id: str
    month: Month
    draw_day: date
    plan: MonthPlan
    record: MonthRecord
    outcome: MonthOutcome
    populations: Mapping[str, Population]
    warnings: tuple[str, ...]


@attrs.frozen
class _Prepared:
    draw_id: str
    supersedes: dict[str, str] | None
    day: date
    plan: MonthPlan
    scopes: list[ScopePlan]
    rules: GroupRules
    inspectors: list[Inspector]
    warnings: list[str]
    snapshots: dict[str, str]
    confirmed_seq: int


@attrs.frozen
class MonthCeremony:
    """One month's ceremony over the office's records.

    Attributes:
        local_lock: the caller holds the month's lock for every process that can reach this
            store (a SQLite file in the office folder): an unfinished ceremony found then was
            left by a process that died, and is aborted at once.
    """

    records: OfficeRecords
    config: OfficeConfig
    key: OfficeKey
    catalogue: Catalogue
    calendar: OfficialCalendar
    clock: Clock
    say: Progress
    local_lock: bool = False

    def run(
        self,
        month: Month,
        *,
        performer: Performer,
        dice: Callable[[int], Sequence[int]],
        actor: str,
        client: DrandClient | None = None,
        announced: Callable[[str, SignedEvent], None] | None = None,
        redraw_reason: str | None = None,
        abort_unfinished: str | None = None,
        witness_desk: WitnessDesk | None = None,
        beacon_by_hand: BeaconByHand | None = None,
    ) -> MonthDraw:
        """Run ``month``'s ceremony end to end and finalise its record.

        Args:
            dice: called with the number of rolls once every secret is committed and before
                any is revealed; returns the leader's rolls (1–6), as rolled.
            client: fetches the beacon when the configuration names a drand chain.
            witness_desk: asks each witness of ``rfb.toml`` for their signed statements.
            beacon_by_hand: takes the beacon typed in, when it cannot be fetched (or the
                configuration says it is always typed in).
            announced: called with the draw id and the signed announcement as soon as it is
                stored, to publish it (before the beacon round is due: ceremony spec, section 5).
            redraw_reason: why the month is drawn again after an aborted attempt.
            abort_unfinished: why an unfinished ceremony of the month is aborted now.

        Raises:
            PolicyError: the month was drawn already, another officer is drawing it, a section
                has not confirmed, there is nothing to draw, or there are too few officers.
            CeremonyError: the dice are not valid rolls.
            SourceUnavailableError: the beacon could not be fetched (the ceremony is aborted and
                finalised as such; the next run supersedes it).
        """
        ready = self._prepare(month, performer, actor, redraw_reason, abort_unfinished)
        if isinstance(ready, MonthDraw):  # a crashed run's complete draw, finalised just now
            return ready
        start = self.clock.now()
        beacon_entry = None
        if self.config.beacon_chain:
            chain = DrandChain.named(self.config.beacon_chain)
            due = start + timedelta(minutes=self.config.beacon_delay_minutes)
            beacon_entry = SourceEntry.from_json(
                chain.source_entry(BEACON_SOURCE, chain.first_round_after(due))
            )
        ceremony = announce_month(
            self.key,
            draw_id=ready.draw_id,
            office=self.config.office,
            scopes=ready.scopes,
            catalogue=self.catalogue,
            start=start,
            beacon=None if beacon_entry is None else beacon_entry.to_json(),
            leader=performer.to_participant(),
            rules=ready.rules,
            supersedes=ready.supersedes,
            witnesses=self.config.witnesses,
            single_party_reason=self.config.single_party_reason,
            policy_extra={
                **ready.snapshots,
                **self.clock.policy_marker,
            },
        )
        self._store_announcement(ceremony, actor)
        announcement = SignedEvent.from_json(ceremony.events[0])
        self.say(
            f"已公告抽取 {ready.draw_id}，公告摘要 {announcement.hash}",
            f"Announced {ready.draw_id}; announcement hash {announcement.hash}",
        )
        if announced is not None:
            announced(ready.draw_id, announcement)
        steps = CeremonySteps(ceremony, self.records, self.key, actor, self.clock)
        confirmed = self.records.confirmations(month).values()
        if any(c.seq > ready.confirmed_seq for c in confirmed):  # after the lists were made
            steps.give_up("a section's availability was confirmed while the draw was prepared")
            raise PolicyError(
                f"{month}：准备抽取期间有科室提交了人员确认，本次抽取已中止（已记录）；请用 "
                f"--redraw-reason 重新抽取 / a section confirmed its availability while the draw "
                f"was being prepared, so its lists may be stale; the ceremony was aborted and "
                f"logged. Draw again with --redraw-reason"
            )
        if beacon_entry is not None and not self.config.witnesses:
            when = beijing(beacon_entry.round_time)
            self.say(
                f"提醒：没有见证人。只有本机关自己的时间能证明公告早于信标；请在 {when} 之前"
                f"公布公告摘要 {announcement.hash}，否则记录将显示本机关一方即可决定结果"
                f"（见 rfb.toml 的 [[witnesses]]）",
                f"Note: no witness. Only the office's own clock shows the announcement came "
                f"before the beacon: publish its hash {announcement.hash} before {when}; the "
                f"record will say the office alone could have chosen the result (see "
                f"[[witnesses]] in rfb.toml)",
            )
        if beacon_entry is not None:
            self.say(
                f"公共随机信标：drand {beacon_entry.chain} 第 {beacon_entry.round} 轮，"
                f"{beijing(beacon_entry.round_time)} 产生",
                f"Beacon: drand {beacon_entry.chain} round {beacon_entry.round}, "
                f"due {beijing(beacon_entry.round_time)}",
            )
        witnesses = self.config.witnesses
        ask_witnesses(steps, witness_desk, witnesses, "before")
        secret = new_secret()
        steps.run(lambda: ceremony.commit_secret("office-secret", secret, at=self.clock.now()))
        enter_dice(steps, dice)  # after every commitment, before any reveal: nobody can aim
        steps.run(lambda: ceremony.reveal("office-secret", secret, at=self.clock.now()))
        ask_witnesses(steps, witness_desk, witnesses, "after")
        if beacon_entry is not None:
            add_beacon(
                steps,
                beacon_entry,
                client,
                self.say,
                self.config.relays,
                beacon_by_hand,
                always_by_hand=self.config.beacon_by_hand,
            )
        ceremony.seed(at=self.clock.now())
        steps.keep()
        populations = {s.scope: s.population for s in ready.scopes}
        raw = ceremony.draw(populations, at=self.clock.now())
        steps.keep()
        try:
            self.records.store.finalise(raw, actor=actor, key=self.key)
        except AlreadyFinalisedError:  # another officer's `rfb draw` saw it complete first
            if self.records.store.record(ready.draw_id) != raw:  # Ed25519 is deterministic
                raise  # not this ceremony: never taken for ours
        record = MonthRecord(DrawRecord.from_json(raw), month)
        result = record.outcome(ready.inspectors, draw_day=ready.day)
        return MonthDraw(
            ready.draw_id,
            month,
            ready.day,
            ready.plan,
            record,
            result,
            populations,
            tuple(ready.warnings),
        )

    # -- before the announcement ------------------------------------------------------------

    def _prepare(
        self,
        month: Month,
        performer: Performer,
        actor: str,
        redraw_reason: str | None,
        abort_unfinished: str | None,
    ) -> _Prepared | MonthDraw:
        """Check the month can be drawn, plan it and freeze its lists (R3, R5, R8, R10–R14);
        or, when a crashed run of the month had made its draw, that draw (finalised now)."""
        config, records = self.config, self.records
        day = draw_day(month.year, month.number, self.calendar, rule=config.draw_day_rule)
        warnings: list[str] = []
        today = self.clock.now().astimezone(BEIJING).date()
        if today != day:
            warnings.append(f"{month}: the draw day is {day}, the ceremony is on {today}")
            self.say(f"提醒：本月抽取日为 {day}，今天是 {today}", warnings[-1])
        snapshots = {
            "objects_snapshot": records.latest_snapshot("objects"),
            "inspectors_snapshot": records.latest_snapshot("inspectors"),
        }
        objects = records.objects(snapshots["objects_snapshot"])
        inspectors = records.inspectors(snapshots["inspectors_snapshot"])
        confirmations = records.confirmations(month)
        statuses = section_statuses(
            inspectors,
            confirmations,
            exempt_sections=config.exempt_sections,
            exempt_mode=config.exempt_mode,
        )
        taking_part = available_officers(statuses, month)
        completed = self._close_unfinished(month, actor=actor, abort_reason=abort_unfinished)
        if completed:
            return self._completed(month, completed[-1], day, warnings)
        draw_id, supersedes = self._next_attempt(month, performer.name, redraw_reason)
        plan = month_plan(
            month.year,
            month.number,
            objects,
            self.catalogue,
            records.inspected_before(month),
            settings=config.plan,
        )
        if plan.over_capacity:
            warnings.append(
                f"{month}: the quotas exceed the groups' capacity by {plan.over_capacity}"
            )
            self.say(f"提醒：本月任务超出各组能力 {plan.over_capacity} 个", warnings[-1])
        scopes = month_scopes(  # the confidential lists' salt travels with their populations
            month,
            plan,
            self.catalogue,
            inspectors,
            available=taking_part,
            draw_day=day,
            salt=secrets.token_bytes(32),
        )
        officers = set(scopes[-1].population)
        eligible = [i for i in inspectors if i.certificate in officers]
        rules = group_rules_for(
            eligible,
            plan.total,
            groups=config.groups,
            group_size=config.group_size,
            require_a_post=config.require_a_post,
            month=month,
        )
        for scope in scopes:  # R3: every list is frozen before the seed exists
            records.freeze(scope.population, name=scope.scope, actor=actor, key=self.key)
        seen = max((c.seq for c in confirmations.values()), default=0)
        return _Prepared(
            draw_id, supersedes, day, plan, scopes, rules, inspectors, warnings, snapshots, seen
        )

    def _completed(self, month: Month, draw_id: str, day: date, warnings: list[str]) -> MonthDraw:
        """A stored draw of the month, read back as the run that made it would have returned."""
        record = self.records.record(draw_id)
        objects = self.records.objects(record.objects_snapshot)
        plan = month_plan(
            month.year,
            month.number,
            objects,
            self.catalogue,
            self.records.inspected_before(month),
            settings=self.config.plan,
        )
        populations = {
            r.scope: self.records.snapshot(r.population_digest) for r in record.record.results
        }
        outcome = record.outcome(self.records.inspectors_of(record), draw_day=day)
        return MonthDraw(draw_id, month, day, plan, record, outcome, populations, tuple(warnings))

    def _close_unfinished(self, month: Month, *, actor: str, abort_reason: str | None) -> list[str]:
        """Finish what an interrupted ceremony of the month left behind, or refuse while one
        may still be running.

        A ceremony whose draw event is stored is finalised as drawn. One that stopped earlier
        is aborted: with ``abort_reason``; by the announced rule once its reveal deadline has
        passed; or at once when the caller holds the month's lock for every process that can
        reach the store (its process died). Otherwise another officer may still be running it,
        and nothing is touched.

        Returns:
            The draw ids finalised as drawn.

        Raises:
            PolicyError: a ceremony of the month may still be running.
        """
        completed = []
        for log in self.records.unfinished(month):
            ceremony = Ceremony([e.raw for e in log.events], self.key)
            kind = log.last.kind
            if kind not in {"abort", "draw"}:
                deadline = datetime.fromisoformat(log.announcement.reveal_deadline)
                reason = abort_reason
                if reason is None and self.clock.now() > deadline:
                    reason = "interrupted: nothing happened by the reveal deadline"
                if reason is None and self.local_lock:
                    reason = "interrupted: the process running it stopped"
                if reason is None:
                    raise PolicyError(_still_running(month, log, self.records, deadline))
                last = datetime.fromisoformat(log.last.time)
                ceremony.abort(f"仪式中断 / {reason}", at=max(self.clock.now(), last))
                self.records.store.record_event(ceremony.events[-1], actor=actor, key=self.key)
            try:
                self.records.store.finalise(ceremony.record(), actor=actor, key=self.key)
            except AlreadyFinalisedError:  # its own, live process finalised it just now
                continue  # (another officer's draw: the month is drawn, and says by whom)
            if kind == "draw":
                completed.append(log.draw_id)
                self.say(
                    f"抽取 {log.draw_id} 已完成但未归档，现已归档",
                    f"The draw {log.draw_id} was complete but not finalised; it is finalised now",
                )
            else:
                self.say(
                    f"已中止未完成的抽取 {log.draw_id}（已记录）",
                    f"Aborted the unfinished {log.draw_id}",
                )
        return completed

    def _next_attempt(
        self, month: Month, approver: str, redraw_reason: str | None
    ) -> tuple[str, dict[str, str] | None]:
        """The next draw id of the month, and what it supersedes (after an abort).

        Raises:
            PolicyError: the month was drawn already, or an earlier attempt was aborted and no
                reason for drawing again is given.
        """
        attempts = self.records.month_attempts(month)
        drawn = [a.draw_id for a in attempts if a.drawn]
        if drawn:
            raise PolicyError(
                f"{month} 已完成抽取（{drawn[0]}），不得重新抽取 / was drawn already; a draw is "
                f"never redrawn. Replacing it needs a new decision: a ceremony that names it in "
                f"'supersedes' (see `fairdraw ceremony`)"
            )
        base = self.config.draw_id(month)
        if not attempts:
            return base, None
        last = attempts[-1].draw_id
        aborted = self.records.record(last).record.abort_reason or ""
        if not redraw_reason or not redraw_reason.strip():
            raise PolicyError(
                f"{month}：上次抽取 {last} 已中止（{aborted}）；重新抽取须用 --redraw-reason "
                f"说明理由 / the last attempt was aborted; drawing again needs --redraw-reason"
            )
        return f"{base}-{len(attempts) + 1}", {
            "draw_id": last,
            "reason": redraw_reason,
            "approver": approver,
        }

    def _store_announcement(self, ceremony: Ceremony, actor: str) -> None:
        """Store the announcement; if another officer announced the same draw first, say who.

        Raises:
            PolicyError: another officer is drawing, or has drawn, this month.
        """
        draw_id = ceremony.draw_id
        try:
            self.records.store.record_event(ceremony.events[-1], actor=actor, key=self.key)
        except VerificationError:
            started = self.records.started_by(draw_id)
            if started is None:
                raise
            who, when = started
            raise PolicyError(
                f"{draw_id}：{who} 已于 {when} 开始本月抽取，本次未做任何抽取 / another officer, "
                f"{who}, started this month's draw at {when}; nothing was drawn here. See "
                f"`rfb month` for where it stands"
            ) from None


def _still_running(month: Month, log: CeremonyLog, records: OfficeRecords, deadline: Any) -> str:
    started = records.started_by(log.draw_id)
    who = f"{started[0]}，{started[1]}" if started else "?"
    zh = (
        f"{month}：抽取 {log.draw_id} 正在进行或已中断（由 {who} 开始，最后一步："
        f"{log.last.kind}）。如确已中断，请在 {deadline} 之后重试，或用 --abort-unfinished "
        f"说明原因"
    )
    en = (
        f"the ceremony {log.draw_id} (started by {who}) may still be running; if it was "
        f"interrupted, wait until its reveal deadline or give --abort-unfinished REASON"
    )
    return f"{zh} / {en}"
