"""What the office's store holds, read in the office's terms.

Everything the office keeps is in a :class:`fairdraw.Store`: the directories as snapshots, each
section's availability confirmation (kind ``rfb.availability``, subject ``YYYY-MM/section``) and
each inspection result (kind ``inspection.result``, subject the object's id) as the store's
documents, the ceremonies' events, the finalised records and the leader's decisions.
:class:`OfficeRecords` is the one place that reads them back: the directories, the draws of a
month and of the year so far, the unfinished ceremonies, the confirmations, the latest result
of each object.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, Literal

import attrs

from fairdraw import (
    Approval,
    CeremonyLog,
    Document,
    DrawRecord,
    FinalisedDraw,
    OfficeKey,
    PolicyError,
    Population,
    Store,
    published_documents,
)
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.files.tables import Source
from rfb_policy.i18n import _
from rfb_policy.model.directory import (
    InspectionObject,
    Inspector,
    inspectors_population,
    objects_population,
)
from rfb_policy.model.results import RESULT_KIND, InspectionResult
from rfb_policy.month import Month
from rfb_policy.rules.hiding import uniform_share

__all__ = ["AVAILABILITY_KIND", "PUBLISHED_KIND", "Confirmation", "OfficeRecords"]

AVAILABILITY_KIND = "rfb.availability"
"""The store's document kind of a section's confirmation (subject ``YYYY-MM/section``)."""
PUBLISHED_KIND = "rfb.announcement-published"
"""The store's document kind of the step that wrote a ceremony's announcement and its witnesses'
signatures for publication (subject: the draw id), logged before any secret is revealed."""


@attrs.frozen
class Confirmation:
    """A section's confirmation of who can take part in a month's draw (rule R5)."""

    month: Month
    section: str
    confirmer: str
    available: tuple[str, ...]
    unavailable: tuple[str, ...]
    time: str
    seq: int


@attrs.frozen
class Imported:
    """A directory imported: its snapshot's digest, its entries, and how its file was read."""

    digest: str
    count: int
    source: Source


@attrs.frozen
class OfficeRecords:
    """Reads (and appends) the office's records in its store."""

    store: Store

    # -- directories ------------------------------------------------------------------------

    def save_directories(
        self,
        objects: Sequence[InspectionObject] | None,
        inspectors: Sequence[Inspector] | None,
        *,
        actor: str,
        key: OfficeKey,
    ) -> dict[str, tuple[str, int]]:
        """Snapshot the directories given; return name → (digest, entries)."""
        saved = {}
        for name, made in (
            ("objects", objects_population(objects) if objects is not None else None),
            ("inspectors", inspectors_population(inspectors) if inspectors is not None else None),
        ):
            if made is None:
                continue
            population, attributes = made
            digest = self.store.save_population(
                population, name=name, actor=actor, key=key, attributes=attributes
            )
            saved[name] = (digest, len(population))
        return saved

    def latest_snapshot(self, name: str) -> str:
        """The digest of the latest ``objects`` or ``inspectors`` snapshot.

        Raises:
            PolicyError: none was imported.
        """
        found = self.store.snapshots(name)
        if not found:
            if name == "objects":
                missing = _("the database has no objects directory yet: run rfb import objects")
            else:
                missing = _(
                    "the database has no inspectors directory yet: run rfb import inspectors"
                )
            raise PolicyError(missing)
        return found[-1].digest

    def objects(self, digest: str | None = None) -> list[InspectionObject]:
        """The objects directory: the snapshot ``digest``, else the latest one.

        Raises:
            PolicyError: none was imported.
        """
        attributes = self.store.population_attributes(digest or self.latest_snapshot("objects"))
        return [InspectionObject.from_attributes(i, a) for i, a in sorted(attributes.items())]

    def inspectors(self, digest: str | None = None) -> list[Inspector]:
        """The inspectors directory: the snapshot ``digest``, else the latest one.

        Raises:
            PolicyError: none was imported.
        """
        digest = digest or self.latest_snapshot("inspectors")
        attributes = self.store.population_attributes(digest)
        return [Inspector.from_attributes(c, a) for c, a in sorted(attributes.items())]

    def inspectors_of(self, record: MonthRecord) -> list[Inspector]:
        """The inspectors directory a record announced (older records: the latest one)."""
        return self.inspectors(record.inspectors_snapshot)

    def snapshot(self, digest: str) -> Population:
        """A stored population (a scope's frozen list, salt included).

        Raises:
            StorageError: no such snapshot.
        """
        return self.store.population(digest)

    def freeze(self, population: Population, *, name: str, actor: str, key: OfficeKey) -> str:
        """Keep a scope's list as a snapshot before the seed exists (rule R3)."""
        return self.store.save_population(population, name=name, actor=actor, key=key)

    # -- draws ------------------------------------------------------------------------------

    def record(self, draw_id: str) -> MonthRecord:
        """A finalised draw, read as a month's record.

        Raises:
            StorageError: no such draw id.
            PolicyError: it is not a monthly draw of rfb.
        """
        return MonthRecord.of(self.store.draw_record(draw_id))

    def attempts(self) -> dict[Month, list[FinalisedDraw]]:
        """Every finalised draw, by the month it draws for, in order.

        A draw belongs to the month its scopes name (``YYYY-MM/…``), whatever its draw id: a
        changed draw-id prefix cannot hide an earlier draw of the month.
        """
        found: dict[Month, list[FinalisedDraw]] = {}
        for draw in self.store.finalised_draws():
            month = Month.of_scopes(draw.scopes)
            if month is not None:
                found.setdefault(month, []).append(draw)
        return found

    def month_attempts(self, month: Month) -> list[FinalisedDraw]:
        """The finalised draws of ``month``, in order."""
        return self.attempts().get(month, [])

    def drawn_draw_id(self, month: Month) -> str:
        """The draw id of the month's draw.

        Raises:
            PolicyError: the month has not been drawn.
        """
        drawn = [a.draw_id for a in self.month_attempts(month) if a.drawn]
        if not drawn:
            raise PolicyError(
                _("{month} has not been drawn yet (rfb draw {month})").format(month=month)
            )
        return drawn[-1]

    def drawn_by_month(self, year: int) -> dict[int, dict[str, set[str]]]:
        """Month → item code → the objects its finalised draw chose, for the months drawn."""
        found: dict[int, dict[str, set[str]]] = {}
        for month, attempts in self.attempts().items():
            if month.year != year:
                continue
            for attempt in attempts:
                if not attempt.drawn:
                    continue
                items = found.setdefault(month.number, {})
                for scope, ids in self.record(attempt.draw_id).drawn.items():
                    items.setdefault(scope.split("/")[0], set()).update(ids)
        return found

    def inspected_before(self, month: Month) -> dict[str, set[str]]:
        """Item code → objects drawn for it in the year's months before ``month`` (rule R14)."""
        inspected: dict[str, set[str]] = {}
        for number, items in self.drawn_by_month(month.year).items():
            if number < month.number:
                for item, ids in items.items():
                    inspected.setdefault(item, set()).update(ids)
        return inspected

    def shares_before(self, month: Month) -> dict[str, Fraction]:
        """Quota mode ``hidden``: stratum (``MAINT/base``) → the uniform value its first month of
        the year before ``month`` gave, the first drawn record announcing it as a confidential
        scope (:func:`rfb_policy.rules.hiding.uniform_share`)."""
        shares: dict[str, Fraction] = {}
        for number, attempts in sorted(self.attempts().items(), key=lambda a: a[0].number):
            if number.year != month.year or number.number >= month.number:
                continue
            for attempt in attempts:
                if not attempt.drawn:
                    continue
                record = self.record(attempt.draw_id)
                for entry in record.record.announcement.scopes:
                    stratum = entry.scope.removeprefix(f"{number}/")
                    if not entry.confidential or stratum in shares:
                        continue
                    salt = self.snapshot(entry.population_digest).salt
                    shares[stratum] = uniform_share(record.seed, salt, entry.scope)
        return shares

    def superseded(self, record: MonthRecord) -> list[DrawRecord]:
        """The aborted attempts a record replaces, newest first (its ``supersedes`` chain)."""
        chain: list[DrawRecord] = []
        seen = {record.draw_id}
        current = record.record
        while (supersedes := current.announcement.supersedes) is not None:
            if supersedes.draw_id in seen:
                break
            seen.add(supersedes.draw_id)
            current = self.store.draw_record(supersedes.draw_id)
            chain.append(current)
        return chain

    def unfinished(self, month: Month) -> list[CeremonyLog]:
        """Ceremonies of ``month`` whose events are stored but whose record is not finalised."""
        return [
            log
            for log in self.store.unfinished_ceremonies()
            if Month.of_scopes(s.scope for s in log.announcement.scopes) == month
        ]

    def started_by(self, draw_id: str) -> tuple[str, str] | None:
        """Who announced a ceremony, and when (the log's actor and time), if anyone did."""
        entry = self.store.ceremony_started(draw_id)
        return None if entry is None else (entry.actor, entry.time)

    # -- availability (R5) ------------------------------------------------------------------

    def confirm(
        self,
        month: Month,
        section: str,
        *,
        confirmer: str,
        available: Iterable[str],
        unavailable: Iterable[str],
        actor: str,
        key: OfficeKey,
    ) -> Confirmation:
        """Log a section's confirmation."""
        body = {
            "month": str(month),
            "section": section,
            "confirmer": confirmer,
            "available": list(available),
            "unavailable": list(unavailable),
        }
        document = self.store.add_document(
            AVAILABILITY_KIND, f"{month}/{section}", body, actor=actor, key=key
        )
        return _confirmation(document)

    def confirmations(self, month: Month) -> dict[str, Confirmation]:
        """The latest confirmation of each section for ``month``."""
        return {
            d.body["section"]: _confirmation(d)
            for d in self.store.documents(AVAILABILITY_KIND)
            if d.subject.startswith(f"{month}/")
        }

    # -- publication of the announcement ----------------------------------------------------

    def announcement_published(
        self,
        draw_id: str,
        *,
        announcement: str,
        witnesses: Sequence[str],
        files: Sequence[str],
        actor: str,
        key: OfficeKey,
    ) -> int:
        """Log that the announcement (its hash) and its witnesses' signatures (their event
        hashes) were written for publication, in ``files``; returns the log sequence number."""
        body = {
            "draw_id": draw_id,
            "announcement": announcement,
            "witnesses": list(witnesses),
            "files": list(files),
        }
        return self.store.add_document(PUBLISHED_KIND, draw_id, body, actor=actor, key=key).seq

    def published_announcement(self, draw_id: str) -> str | None:
        """The announcement hash logged as written for publication for ``draw_id``, if any."""
        found = self.store.documents(PUBLISHED_KIND, subject=draw_id)
        return str(found[-1].body["announcement"]) if found else None

    # -- decisions and results --------------------------------------------------------------

    def decisions(self, draw_id: str) -> list[Approval]:
        """The leader's decisions on a draw, oldest first."""
        return self.store.approvals(draw_id)

    def decide(
        self,
        draw_id: str,
        *,
        approver: str,
        role: str,
        decision: Literal["approved", "rejected"],
        note: str,
        actor: str,
        key: OfficeKey,
    ) -> Approval:
        """Log the leader's decision on a finalised draw."""
        entry = self.store.approve(
            draw_id,
            approver=approver,
            role=role,
            decision=decision,
            note=note,
            actor=actor,
            key=key,
        )
        return Approval(entry.seq, entry.time, approver, role, decision, note, actor)

    def add_result(
        self,
        draw_id: str,
        object_id: str,
        result: InspectionResult,
        *,
        actor: str,
        key: OfficeKey,
    ) -> int:
        """Log an object's result; return its log sequence number."""
        document = self.store.add_document(
            RESULT_KIND, object_id, result.to_json(), actor=actor, key=key, draw_id=draw_id
        )
        return document.seq

    def result_history(self, draw_id: str) -> dict[str, list[Document]]:
        """Each object's results in a draw, oldest first (a correction is a newer result)."""
        history: dict[str, list[Document]] = {}
        for document in self.store.documents(RESULT_KIND, draw_id=draw_id):
            history.setdefault(document.subject, []).append(document)
        return history

    def published(self, documents: Sequence[Document]) -> list[dict[str, Any]]:
        """Documents as a publication carries them: each with the signed audit log entry that
        logged it (:func:`fairdraw.published_documents`)."""
        return published_documents(self.store, documents)

    def latest_results(self, draw_id: str) -> dict[str, InspectionResult]:
        """Each object's latest result in a draw (a correction is a newer result)."""
        return {
            d.subject: InspectionResult.from_json(d.body)
            for d in self.store.documents(RESULT_KIND, draw_id=draw_id)
        }


def _confirmation(document: Document) -> Confirmation:
    body = document.body
    return Confirmation(
        month=Month.parse(str(body["month"])),
        section=str(body["section"]),
        confirmer=str(body["confirmer"]),
        available=tuple(body["available"]),
        unavailable=tuple(body["unavailable"]),
        time=document.time,
        seq=document.seq,
    )
