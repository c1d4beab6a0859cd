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
from datetime import date, timedelta
from pathlib import Path

import attrs

from fairdraw import (
    AlreadyFinalisedError,
    Ceremony,
    DrandChain,
    DrandClient,
    DrawRecord,
    OfficeKey,
    PolicyError,
    Population,
    ScopePlan,
    SignedEvent,
    SourceEntry,
    new_secret,
)
from rfb_policy.ceremony.announce import announce_month, month_scopes
from rfb_policy.ceremony.record import MonthOutcome, MonthRecord
from rfb_policy.i18n import _
from rfb_policy.model.directory import Inspector
from rfb_policy.model.performer import Performer
from rfb_policy.month import Month
from rfb_policy.rules.availability import available_officers, section_statuses
from rfb_policy.rules.calendar import OfficialCalendar
from rfb_policy.rules.groups import GroupRules, group_rules_for
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import MonthPlan, month_plan
from rfb_policy.rules.schedule import draw_day
from rfb_policy.workflow.attempts import close_unfinished, next_attempt, store_announcement
from rfb_policy.workflow.clock import BEIJING, Clock, beijing
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.records import OfficeRecords
from rfb_policy.workflow.resuming import LotteryNumbers, add_outside_values
from rfb_policy.workflow.values import (
    BEACON_SOURCE,
    BeaconByHand,
    CeremonySteps,
    Progress,
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
        announced: Callable[[str, Sequence[SignedEvent]], Sequence[Path]] | None = None,
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
                stored, and again with the witnesses' signatures once they are in, to write them
                for publication (before the beacon round is due: ceremony spec, section 5);
                returns the files written.
            redraw_reason: why the month is drawn again after an aborted attempt.
            abort_unfinished: why an unfinished ceremony of the month is aborted now.

        Raises:
            PolicyError: the month was drawn already, another officer is drawing it, a section
                has not confirmed, there is nothing to draw, or there are too few officers.
            CeremonyError: the dice are not valid rolls.
            SourceUnavailableError: the beacon could not be fetched (the ceremony is aborted and
                finalised as such; the next run supersedes it).
            DrawPaused: the ceremony waits for its announced lottery draw (finish it with
                :meth:`resume` once the numbers are published).
        """
        ready = self._prepare(month, performer, actor, redraw_reason, abort_unfinished)
        if isinstance(ready, MonthDraw):  # a crashed run's complete draw, finalised just now
            return ready
        start = self.clock.now()
        beacon_entry = None
        due = start + timedelta(minutes=self.config.beacon_delay_minutes)
        if self.config.beacon_chain:
            chain = DrandChain.named(self.config.beacon_chain)
            beacon_entry = SourceEntry.from_json(
                chain.source_entry(BEACON_SOURCE, chain.first_round_after(due))
            )
        lottery = self.config.lottery
        lottery_entry = None
        if lottery is not None:  # its first draw after the beacon's delay
            lottery_entry = SourceEntry.from_json(
                lottery.source_entry(lottery.next_draw(due, self.config.lottery_time))
            )
        ceremony = announce_month(
            self.key,
            draw_id=ready.draw_id,
            office=self.config.office,
            scopes=ready.scopes,
            catalogue=self.catalogue,
            start=start,
            beacon=None if beacon_entry is None else beacon_entry.to_json(),
            lottery=None if lottery_entry is None else lottery_entry.to_json(),
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
        store_announcement(self.records, self.key, ceremony, actor)
        announcement = SignedEvent.from_json(ceremony.events[0])
        self.say(
            _("Announced {draw_id}; announcement hash {hash}").format(
                draw_id=ready.draw_id, hash=announcement.hash
            )
        )
        if announced is not None:
            announced(ready.draw_id, [announcement])
        steps = CeremonySteps(ceremony, self.records, self.key, actor, self.clock)
        confirmed = self.records.confirmations(month).values()
        if any(c.seq > ready.confirmed_seq for c in confirmed):  # after the lists were made
            steps.give_up("a section's availability was confirmed while the draw was prepared")
            raise PolicyError(
                _(
                    "{month}: a section confirmed its availability while the draw was being "
                    "prepared, so its lists may be stale; the ceremony was aborted and logged. "
                    "Draw again with --redraw-reason"
                ).format(month=month)
            )
        if beacon_entry is not None and not self.config.witnesses:
            self.say(
                _(
                    "Note: no witness. Only the office's own clock shows the announcement came "
                    "before the beacon: publish its hash {hash} before {time}, or the record will "
                    "say the office alone could have chosen the result (see [[witnesses]] in "
                    "rfb.toml)"
                ).format(hash=announcement.hash, time=beijing(beacon_entry.round_time))
            )
        if beacon_entry is not None:
            self.say(
                _("Beacon: drand {chain} round {round}, due {time}").format(
                    chain=beacon_entry.chain,
                    round=beacon_entry.round,
                    time=beijing(beacon_entry.round_time),
                )
            )
        witnesses = self.config.witnesses
        ask_witnesses(steps, witness_desk, witnesses, "before")
        self._publish(steps, announced, actor)
        secret = new_secret()
        steps.run(lambda: ceremony.commit_secret("office-secret", secret, at=self.clock.now()))
        enter_dice(steps, dice)  # after every commitment, before any reveal: nobody can aim
        steps.run(lambda: ceremony.reveal("office-secret", secret, at=self.clock.now()))
        ask_witnesses(steps, witness_desk, witnesses, "after")
        populations = {s.scope: s.population for s in ready.scopes}
        add_outside_values(
            steps,
            [e for e in (beacon_entry, lottery_entry) if e is not None],
            published=self.records.published_announcement(ready.draw_id),
            client=client,
            say=self.say,
            relays=self.config.relays,
            beacon_by_hand=beacon_by_hand,
            always_by_hand=self.config.beacon_by_hand,
            numbers=None,  # a lottery is drawn in the evening: the ceremony pauses for it
            populations=populations,
        )
        raw = ceremony.record()
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

    def resume(
        self,
        month: Month,
        *,
        actor: str,
        numbers: LotteryNumbers,
        client: DrandClient | None = None,
        beacon_by_hand: BeaconByHand | None = None,
    ) -> MonthDraw:
        """Finish the month's ceremony that waits for its beacon round or lottery draw (every
        secret revealed): add those values, seed, draw and finalise the record.

        Raises:
            PolicyError: no ceremony of the month waits for them (none is unfinished, or one
                stopped before its reveals: abort it with ``--abort-unfinished``); the officer
                gave up typing the numbers (the ceremony still waits).
            DrawPaused: the lottery draw is not due yet (nothing is stored).
        """
        waiting = [log for log in self.records.unfinished(month) if log.status == "open"]
        log = waiting[-1] if waiting else None
        awaiting = () if log is None else log.awaiting
        if log is None or any(s.source_class != "beacon" for s in awaiting):
            if log is None:
                raise PolicyError(
                    _(
                        "{month}: no ceremony of the month waits for its beacon or lottery draw"
                    ).format(month=month)
                )
            raise PolicyError(
                _(
                    "{month}: no ceremony of the month waits for its beacon or lottery draw (one "
                    "stopped after a {step} event: abort it with --abort-unfinished)"
                ).format(month=month, step=log.last.kind)
            )
        ceremony = Ceremony([e.raw for e in log.events], self.key)
        steps = CeremonySteps(ceremony, self.records, self.key, actor, self.clock)
        populations = {
            s.scope: self.records.snapshot(s.population_digest) for s in log.announcement.scopes
        }
        add_outside_values(
            steps,
            awaiting,
            published=self.records.published_announcement(log.draw_id),
            client=client,
            say=self.say,
            relays=self.config.relays,
            beacon_by_hand=beacon_by_hand,
            always_by_hand=self.config.beacon_by_hand,
            numbers=numbers,
            populations=populations,
        )
        self.records.store.finalise(ceremony.record(), actor=actor, key=self.key)
        day = draw_day(month.year, month.number, self.calendar, rule=self.config.draw_day_rule)
        return self._completed(month, log.draw_id, day, [])

    def _publish(
        self,
        steps: CeremonySteps,
        announced: Callable[[str, Sequence[SignedEvent]], Sequence[Path]] | None,
        actor: str,
    ) -> None:
        """Write the announcement and its witnesses' signatures for publication, and log that
        step, before any secret is revealed (ceremony spec v2, section 5)."""
        events = [SignedEvent.from_json(e) for e in steps.ceremony.events]
        attested = [e for e in events if e.kind in {"witness", "timestamp"}]
        files = announced(steps.ceremony.draw_id, [events[0], *attested]) if announced else ()
        self.records.announcement_published(
            steps.ceremony.draw_id,
            announcement=events[0].hash,
            witnesses=[e.hash for e in attested],
            files=[str(f) for f in files],
            actor=actor,
            key=self.key,
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
            self.say(
                _("Note: the month's draw day is {day}; today is {today}").format(
                    day=day, today=today
                )
            )
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
        completed = close_unfinished(
            self.records, self.key, self.clock, self.say, self.local_lock,
            month, actor=actor, abort_reason=abort_unfinished,
        )  # fmt: skip
        if completed:
            return self._completed(month, completed[-1], day, warnings)
        draw_id, supersedes = next_attempt(
            self.records, self.config, month, performer.name, redraw_reason
        )
        plan = month_plan(
            month.year,
            month.number,
            objects,
            self.catalogue,
            records.inspected_before(month),
            settings=config.plan,
            shares=records.shares_before(month),
        )
        if plan.over_capacity:
            warnings.append(
                f"{month}: the quotas exceed the groups' capacity by {plan.over_capacity}"
            )
            self.say(
                _("Note: the month's quotas exceed the groups' capacity by {count}").format(
                    count=plan.over_capacity
                )
            )
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
            shares=self.records.shares_before(month),
        )
        populations = {
            r.scope: self.records.snapshot(r.population_digest) for r in record.record.results
        }
        outcome = record.outcome(self.records.inspectors_of(record), draw_day=day)
        return MonthDraw(draw_id, month, day, plan, record, outcome, populations, tuple(warnings))
