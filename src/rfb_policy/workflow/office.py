"""The office's month as one service: a method per step, the same for every caller.

:class:`Office` holds what every step needs (the store, the configuration, the office key, the
item catalogue, the official calendar, a clock and a progress reporter) and offers the month's
steps in order::

    with Office.open(OfficeConfig.load("rfb.toml"), key=key) as office:
        office.import_objects("名录.xlsx", actor="张三")
        office.import_inspectors("人员.xlsx", actor="张三")
        office.confirm_availability(month, "工程管理科", confirmer="王科长", actor="王科长")
        drawn = office.draw(month, performer=Performer("王主任"), dice=ask, actor="张三")
        # (a month with a lottery draw pauses here: office.resume(month, …) once it is drawn)
        office.approve(month, performer=Performer("王主任"), actor="张三")
        office.record_result(month, object_id, InspectionResult(category=...), actor="第1组")
        office.publish(month)

The ``rfb`` commands and ``rfb demo`` are thin callers of these methods. Every step that writes
is an entry of the store's signed audit log; every file is written atomically, and the draw's
files can be written again from the store at any time (:meth:`Office.export`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Self

from fairdraw import (
    Approval,
    DrandClient,
    FairdrawError,
    OfficeKey,
    PolicyError,
    SignedEvent,
    Store,
)
from rfb_policy.files.directories import load_inspectors, load_objects, read_objects
from rfb_policy.files.tables import paused_gc
from rfb_policy.i18n import _
from rfb_policy.model.directory import InspectionObject, Inspector
from rfb_policy.model.performer import Performer
from rfb_policy.model.results import InspectionResult
from rfb_policy.month import Month
from rfb_policy.rules.availability import SectionStatus, check_confirmation
from rfb_policy.rules.calendar import OfficialCalendar
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.schedule import MonthSchedule
from rfb_policy.workflow.clock import Clock
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.drawing import MonthCeremony, MonthDraw
from rfb_policy.workflow.export import (
    DrawFiles,
    announce_files,
    draw_folder,
    export_draw,
    export_missing,
    write_draw_files,
    write_recusals,
)
from rfb_policy.workflow.lock import month_lock
from rfb_policy.workflow.planning import MonthStatus, OfficeRules, YearPlan, month_status, year_plan
from rfb_policy.workflow.publishing import publish_month
from rfb_policy.workflow.records import Confirmation, Imported, OfficeRecords
from rfb_policy.workflow.resulting import enter_result
from rfb_policy.workflow.resuming import LotteryNumbers
from rfb_policy.workflow.values import BeaconByHand, Progress, quiet
from rfb_policy.workflow.witnesses import WitnessDesk, handing_files

__all__ = ["MonthStatus", "Office", "YearPlan"]


class Office:
    """One office's records and rules: every step of the month."""

    def __init__(
        self,
        store: Store | None,
        config: OfficeConfig,
        *,
        key: OfficeKey | None = None,
        catalogue: Catalogue | None = None,
        calendar: OfficialCalendar | None = None,
        clock: Clock | None = None,
        say: Progress | None = None,
    ) -> None:
        self._store = store
        self.config = config
        self.catalogue = catalogue or Catalogue.bundled()
        self.calendar = calendar or OfficialCalendar.load(*config.calendar_dirs)
        self.clock = clock or Clock()
        self.say = say or quiet
        self._key = key

    @classmethod
    def open(
        cls,
        config: OfficeConfig,
        *,
        key: OfficeKey | None = None,
        clock: Clock | None = None,
        say: Progress | None = None,
        calendar_dirs: Iterable[str | Path] = (),
    ) -> Self:
        """Open the office's store (``config.database``); close it with ``with`` or :meth:`close`.

        Raises:
            ConfigError: the SQLite file does not exist.
        """
        calendar = OfficialCalendar.load(*calendar_dirs, *config.calendar_dirs)
        return cls(config.open_store(), config, key=key, clock=clock, say=say, calendar=calendar)

    def close(self) -> None:
        """Release the store."""
        if self._store is not None:
            self._store.close()

    @property
    def store(self) -> Store:
        """The office's store.

        Raises:
            PolicyError: the office was opened without one (outside an office folder).
        """
        if self._store is None:
            raise PolicyError(
                _(
                    "this step needs the office's database: run it in an office folder made by "
                    "rfb init, or give --db"
                )
            )
        return self._store

    @property
    def records(self) -> OfficeRecords:
        """The office's records in its store."""
        return OfficeRecords(self.store)

    @property
    def has_store(self) -> bool:
        """Whether the office was opened with its store."""
        return self._store is not None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def folder(self) -> Path:
        """The office folder (where ``rfb.toml`` is)."""
        return self.config.path.resolve().parent

    @property
    def key(self) -> OfficeKey:
        """The office key.

        Raises:
            PolicyError: the office was opened without it (read-only).
        """
        if self._key is None:
            raise PolicyError(_("this step signs: open the office with its key"))
        return self._key

    # -- the directories --------------------------------------------------------------------

    def import_objects(self, path: str | Path, *, actor: str) -> Imported:
        """Snapshot the objects directory from a CSV or XLSX file.

        Raises:
            DirectoryImportError: a row is bad (every problem by row and column).
        """
        read = load_objects(path)
        with paused_gc():  # the snapshot of 10^5 objects: millions of objects, no cycle
            saved = self.records.save_directories(read.entries, None, actor=actor, key=self.key)
        return Imported(*saved["objects"], read.source)

    def import_inspectors(
        self, path: str | Path, *, actor: str, objects_path: str | Path | None = None
    ) -> Imported:
        """Snapshot the inspectors directory; each 回避 entry must name an object of
        ``objects_path`` if given, else of the stored objects directory if there is one.

        Raises:
            DirectoryImportError: a row is bad (every problem by row and column).
        """
        if objects_path is not None:
            known = [o.id for o in read_objects(objects_path)]
        else:
            try:
                known = [o.id for o in self.records.objects()]
            except PolicyError:  # no objects directory yet: nothing to check the entries against
                known = []
        read = load_inspectors(path, object_ids=known)
        with paused_gc():
            saved = self.records.save_directories(None, read.entries, actor=actor, key=self.key)
        return Imported(*saved["inspectors"], read.source)

    def import_directories(
        self,
        objects: Sequence[InspectionObject],
        inspectors: Sequence[Inspector],
        *,
        actor: str,
    ) -> None:
        """Snapshot both directories, already read."""
        self.records.save_directories(objects, inspectors, actor=actor, key=self.key)

    # -- planning ---------------------------------------------------------------------------

    def plan_year(
        self, year: int, *, objects: Sequence[InspectionObject] | None = None
    ) -> YearPlan:
        """The year's monthly quotas: months drawn so far count with what their draws chose,
        later months are projected (internal: the totals are confidential).

        Raises:
            PolicyError: no objects directory (nor ``objects``).
        """
        return year_plan(self._rules(), self.records if objects is None else None, year, objects)

    def schedule(self, month: Month) -> MonthSchedule:
        """The month's draw day and results deadline (rules R6, R15)."""
        return self._rules().schedule(month)

    def status(self, month: Month) -> MonthStatus:
        """Where ``month`` stands."""
        return month_status(self._rules(), self.records, month)

    def _rules(self) -> OfficeRules:
        return OfficeRules(self.config, self.catalogue, self.calendar)

    # -- availability (R5) ------------------------------------------------------------------

    def sections(self, month: Month) -> list[SectionStatus]:
        """Every section's confirmation status for ``month``, in section order.

        Raises:
            PolicyError: no inspectors directory yet.
        """
        return self._rules().sections(self.records, month)

    def confirm_availability(
        self,
        month: Month,
        section: str,
        *,
        confirmer: str,
        unavailable: Iterable[str] = (),
        actor: str,
    ) -> Confirmation:
        """Record a section's confirmation for ``month``: everyone is available but
        ``unavailable``. Confirming again before the draw replaces the earlier confirmation
        (both stay in the log).

        Raises:
            PolicyError: unknown or exempt section, officers outside the section, or the month's
                ceremony has started already.
        """
        available, away = check_confirmation(
            self.records.inspectors(),
            section,
            confirmer=confirmer,
            unavailable=unavailable,
            exempt_sections=self.config.exempt_sections,
        )
        with month_lock(self.folder, self.config.database, month, holder=actor):
            started = self.records.month_attempts(month) or self.records.unfinished(month)
            if started or self.store.ceremony_events(self.config.draw_id(month)):
                raise PolicyError(
                    _(
                        "{month}: the draw has started; availability is confirmed before the "
                        "announcement"
                    ).format(month=month)
                )
            return self.records.confirm(
                month,
                section,
                confirmer=confirmer,
                available=available,
                unavailable=away,
                actor=actor,
                key=self.key,
            )

    # -- the draw ---------------------------------------------------------------------------

    def draw(
        self,
        month: Month,
        *,
        performer: Performer,
        dice: Callable[[int], Sequence[int]],
        actor: str,
        client: DrandClient | None = None,
        redraw_reason: str | None = None,
        abort_unfinished: str | None = None,
        witness_desk: WitnessDesk | None = None,
        beacon_by_hand: BeaconByHand | None = None,
    ) -> tuple[MonthDraw, DrawFiles]:
        """Run ``month``'s ceremony, finalise its record and write its files
        (``draws/DRAW_ID/``: the announcement at once, the record and ``internal/`` at the end).

        While it runs, the month's lock is held (:mod:`rfb_policy.workflow.lock`): a second
        ``rfb draw`` of the month on the office's SQLite file is refused at once, and after a
        crash the next one finds the lock free and finishes or aborts what the dead process
        left (on a PostgreSQL database other machines may be drawing, so the announced reveal
        deadline decides instead).

        Raises:
            PolicyError: the month cannot be drawn now (the message says why, and who is
                drawing it if someone is).
            SourceUnavailableError: the beacon could not be fetched (the ceremony is aborted).
            DrawPaused: the ceremony waits for its announced lottery draw: finish it with
                :meth:`resume` once the numbers are published.
        """
        with month_lock(self.folder, self.config.database, month, holder=actor) as local:
            self.export_missing(month)
            ceremony = self._ceremony(local=local)
            try:
                drawn = ceremony.run(
                    month,
                    performer=performer,
                    dice=dice,
                    actor=actor,
                    client=client,
                    announced=self._announced,
                    redraw_reason=redraw_reason,
                    abort_unfinished=abort_unfinished,
                    witness_desk=handing_files(witness_desk, lambda d: draw_folder(self.folder, d)),
                    beacon_by_hand=beacon_by_hand,
                )
            except FairdrawError:  # it may have finalised a complete draw a crash left behind
                self.export_missing(month)
                raise
            files = self._files(drawn)
        return drawn, files

    def resume(
        self,
        month: Month,
        *,
        actor: str,
        numbers: LotteryNumbers,
        client: DrandClient | None = None,
        beacon_by_hand: BeaconByHand | None = None,
    ) -> tuple[MonthDraw, DrawFiles]:
        """Finish the month's ceremony that waits for its lottery draw (or beacon round), as
        :meth:`MonthCeremony.resume` does, and write its files."""
        with month_lock(self.folder, self.config.database, month, holder=actor):
            drawn = self._ceremony(local=False).resume(
                month, actor=actor, numbers=numbers, client=client, beacon_by_hand=beacon_by_hand
            )
            files = self._files(drawn)
        return drawn, files

    def _ceremony(self, *, local: bool) -> MonthCeremony:
        made = (self.records, self.config, self.key, self.catalogue, self.calendar, self.clock)
        return MonthCeremony(*made, self.say, local_lock=local)

    def _files(self, drawn: MonthDraw) -> DrawFiles:
        folder = draw_folder(self.folder, drawn.draw_id)
        files = write_draw_files(folder, drawn.record, drawn.populations, self.config.public_key)
        write_recusals(self.records, drawn.record, files.internal, drawn.outcome.assignment)
        return files

    def _announced(self, draw_id: str, events: Sequence[SignedEvent]) -> list[Path]:
        return announce_files(self.folder, draw_id, events, self.say)

    # -- the draw's files -------------------------------------------------------------------

    def draw_id(self, which: Month | str) -> str:
        """A draw id, or the month's drawn draw id.

        Raises:
            PolicyError: the month has not been drawn.
        """
        if isinstance(which, Month):
            return self.records.drawn_draw_id(which)
        return which

    def export(self, which: Month | str) -> DrawFiles:
        """Write a stored draw's files again (``draws/DRAW_ID/``), from the store alone.

        Raises:
            PolicyError: the month has not been drawn.
            StorageError: no such draw, or one of its lists is missing from the store.
        """
        return export_draw(self.records, self.folder, self.config.public_key, self.draw_id(which))

    def export_missing(self, month: Month) -> list[DrawFiles]:
        """Write the files of the month's finalised draws whose files a crash left unwritten
        (only in an office folder: elsewhere there is no ``draws/`` to keep them in)."""
        if not self.config.path.exists():
            return []
        return export_missing(self.records, self.folder, self.config.public_key, month, self.say)

    # -- after the draw ---------------------------------------------------------------------

    def approve(
        self,
        which: Month | str,
        *,
        performer: Performer,
        actor: str,
        reject: bool = False,
        note: str = "",
    ) -> Approval:
        """Record the leader's confirmation of a finalised draw (or ``reject`` it); a
        stand-in's authorisation is logged with it (rule R7).

        Raises:
            PolicyError: the month has not been drawn.
            StorageError: the draw is not finalised.
        """
        draw_id = self.draw_id(which)
        return self.records.decide(
            draw_id,
            approver=performer.name,
            role=performer.role,
            decision="rejected" if reject else "approved",
            note=note,
            actor=actor,
            key=self.key,
        )

    def record_result(
        self,
        which: Month | str,
        object_id: str,
        result: InspectionResult,
        *,
        actor: str,
        submitted_on: date | None = None,
    ) -> tuple[InspectionResult, int]:
        """Record an inspection's result (行政检查单), checked at entry
        (:func:`rfb_policy.workflow.resulting.enter_result`); one submitted after the month's
        deadline is flagged late (rule R15). A correction is a new result: the history stays.

        Returns:
            The result as stored (with its deadline) and its log sequence number.

        Raises:
            PolicyError: the month has not been drawn, or the object was not drawn in it.
            ResultError: the form or a date is impossible (the field named).
        """
        return enter_result(
            self.records,
            self.records.record(self.draw_id(which)),
            object_id,
            result,
            calendar=self.calendar,
            deadline_rule=self.config.deadline_rule,
            clock=self.clock,
            actor=actor,
            key=self.key,
            submitted_on=submitted_on,
        )

    def publish(self, which: Month | str, out: Path | None = None) -> list[Path]:
        """Write the month's public disclosure (rule R17): the page, CSV, XLSX, the record, the
        assignment, the credit export and the aborted attempts the draw replaces.

        Raises:
            PolicyError: the leader has not confirmed the draw, or the latest decision rejects
                it (R7: the leader in charge confirms the result before it is published).
        """
        draw_id = self.draw_id(which)
        record = self.records.record(draw_id)
        decisions = self.records.decisions(draw_id)
        if not decisions or decisions[-1].decision != "approved":
            if not decisions:
                refused = _(
                    "{draw_id}: the leader has not confirmed this draw (rfb approve); it is not "
                    "published"
                )
            else:
                refused = _("{draw_id}: the leader rejected this draw; it is not published")
            raise PolicyError(refused.format(draw_id=draw_id))
        self.export_missing(record.month)
        folder = out or self.folder / "publication" / str(record.month)
        return publish_month(
            self.records,
            self.config,
            self.catalogue,
            record,
            folder,
            key=self.key,
            published=self.clock.now(),
            say=self.say,
        )
