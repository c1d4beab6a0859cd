"""The typed draw record: its events, the seed, the published results, and who could have
chosen its outcome (ceremony specs v1 and v2, section 4 and v2 section 7)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import attrs

from fairdraw.ceremony.analysis import SteeringReport, record_steering
from fairdraw.errors import FairdrawError
from fairdraw.i18n import _
from fairdraw.record.announcement import Announcement
from fairdraw.record.events import CeremonyLog, SignedEvent, Status, Witnessing, read_events
from fairdraw.record.members import MalformedRecordError, member, optional, version_of

__all__ = ["DrawRecord", "PublishedPick", "ScopeResult"]


@attrs.frozen
class PublishedPick:
    """One ranked label of a published result: ``label``, ``rank`` (from 1), ``score`` (hex;
    None in a scope with keyed scores, whose picks are published without one)."""

    label: str
    rank: int
    score: str | None

    @classmethod
    def from_json(cls, data: object, where: str, *, keyed: bool = False) -> PublishedPick:
        """Read ``{"label", "rank", "score"}``, or ``{"label", "rank"}`` exactly when ``keyed``
        (a scope with keyed scores, membership spec v1, section 9).

        Raises:
            MalformedRecordError: a member is missing or of the wrong type, or a keyed pick has
                another member.
        """
        label, rank = member(data, "label", str, where), member(data, "rank", int, where)
        if not keyed:
            return cls(label, rank, member(data, "score", str, where))
        assert isinstance(data, Mapping)  # noqa: S101 (checked by member)
        if set(data) != {"label", "rank"}:
            raise MalformedRecordError(
                _("{where}: a pick of a scope with keyed scores is {{label, rank}} only").format(
                    where=where
                )
            )
        return cls(label, rank, None)


@attrs.frozen
class ScopeResult:
    """The published result of one scope in the draw event.

    Attributes:
        population_size: None for a confidential scope.
        keyed_scores: the scope has keyed scores (membership spec v1, section 9): its picks
            carry no score.
    """

    scope: str
    subseed: str
    population_digest: str
    population_size: int | None
    selected: tuple[PublishedPick, ...]
    alternates: tuple[PublishedPick, ...]
    keyed_scores: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """The selected labels, in rank order."""
        return tuple(p.label for p in self.selected)

    @property
    def alternate_labels(self) -> tuple[str, ...]:
        """The alternates' labels, in rank order."""
        return tuple(p.label for p in self.alternates)

    @property
    def ranks_everyone(self) -> bool:
        """Whether every member of the population is selected (a whole-list ranking): the
        result then publishes the list itself."""
        return self.population_size is not None and len(self.selected) == self.population_size

    @classmethod
    def from_json(
        cls, data: object, where: str, *, keyed_scopes: Collection[str] = ()
    ) -> ScopeResult:
        """Read one member of the draw event's ``results``; the picks of a scope named in
        ``keyed_scopes`` (announced with keyed scores) are read without scores."""
        scope = member(data, "scope", str, where)
        here = f"{where}[{scope}]"
        assert isinstance(data, Mapping)  # noqa: S101 (checked by member)
        keyed = scope in keyed_scopes
        return cls(
            scope=scope,
            subseed=member(data, "subseed", str, here),
            population_digest=member(data, "population_digest", str, here),
            population_size=optional(data, "population_size", int, here),
            selected=tuple(
                PublishedPick.from_json(p, f"{here}.selected", keyed=keyed)
                for p in member(data, "selected", list, here)
            ),
            alternates=tuple(
                PublishedPick.from_json(p, f"{here}.alternates", keyed=keyed)
                for p in member(data, "alternates", list, here)
            ),
            keyed_scores=keyed,
        )


@attrs.frozen
class DrawRecord:
    """A signed draw record, read: its events, the announcement, the seed and the results.

    Attributes:
        spec: the ceremony spec the record follows (``fairdraw/ceremony/v1`` or ``…/v2``).
        raw: the record's JSON, unchanged (what is hashed, stored and published).
    """

    draw_id: str
    key_id: str
    signature: str
    events: tuple[SignedEvent, ...]
    spec: str
    raw: Mapping[str, Any] = attrs.field(eq=False, repr=False)

    @classmethod
    def from_json(cls, data: object) -> DrawRecord:
        """Read a record.

        Raises:
            MalformedRecordError: a member is missing or of the wrong type (the message names
                it); a record read this way is not yet verified.
        """
        draw_id = member(data, "draw_id", str, "record")
        spec = member(data, "spec", str, "record")
        version_of(spec, "record")
        record = cls(
            draw_id=draw_id,
            key_id=member(data, "key_id", str, "record"),
            signature=member(data, "signature", str, "record"),
            events=read_events(member(data, "events", list, "record"), "record.events"),
            spec=spec,
            raw=data,  # type: ignore[arg-type]
        )
        if record.events[0].spec != spec:
            raise MalformedRecordError(
                _("record.spec: {spec}, but its announcement follows {spec2}").format(
                    spec=spec, spec2=record.events[0].spec
                )
            )
        # Read it all now, so that a malformed member fails here.
        record.announcement  # noqa: B018
        record.seed  # noqa: B018
        record.results  # noqa: B018
        record.witnessings  # noqa: B018
        for event in record.events:
            event.signed_by_participant  # noqa: B018
            event.closing  # noqa: B018
        return record

    @property
    def version(self) -> int:
        """The ceremony version the record follows: 1 or 2."""
        return version_of(self.spec, "record")

    @property
    def log(self) -> CeremonyLog:
        """The record's events as a ceremony log."""
        return CeremonyLog(self.events)

    @property
    def announcement(self) -> Announcement:
        """What the ceremony announced."""
        return self.log.announcement

    @property
    def witnessings(self) -> tuple[Witnessing, ...]:
        """Every witness's signature of the announcement, in order (none in v1); see
        :attr:`CeremonyLog.witnessings`."""
        return self.log.witnessings

    @property
    def status(self) -> Status:
        """``drawn``, ``aborted`` or ``open`` (a record of an unfinished ceremony)."""
        return self.log.status

    @property
    def abort_reason(self) -> str | None:
        """Why the ceremony was aborted, or None."""
        for event in self.log.of_kind("abort"):
            return str(event.body.get("reason", ""))
        return None

    @property
    def seed(self) -> str | None:
        """The seed (hex), or None when the ceremony stopped before it."""
        for event in self.log.of_kind("seed"):
            return member(event.body, "seed", str, "seed event")  # type: ignore[no-any-return]
        return None

    @property
    def results(self) -> tuple[ScopeResult, ...]:
        """Every scope's published result, in announced order (empty without a draw)."""
        keyed = {s.scope for s in self.announcement.scopes if s.keyed_scores}
        for event in self.log.of_kind("draw"):
            return tuple(
                ScopeResult.from_json(r, "draw.results", keyed_scopes=keyed)
                for r in member(event.body, "results", list, "draw event")
            )
        return ()

    def result(self, scope: str) -> ScopeResult | None:
        """The result of one scope, if drawn."""
        return next((r for r in self.results if r.scope == scope), None)

    @property
    def steering(self) -> SteeringReport:
        """Who could have chosen the outcome, alone or together, and who could have aborted
        after seeing it (ceremony spec v2, section 7; a v1 record gets the same analysis, with
        nobody holding their own key).

        The analysis reads the record as it stands: it checks **no** signature, hash link,
        statement or order, so a forged or altered record gets an analysis too. Trust it only
        for a record that :func:`fairdraw.verification_report` (or
        :func:`fairdraw.verify_record`) passed; that report makes the same analysis its
        ``STEERING`` check. Computed anew at every access.

        Raises:
            MalformedRecordError: the events cannot be analysed (a member the analysis needs
                is missing or malformed).
        """
        try:
            return record_steering(self.raw)
        except (FairdrawError, KeyError, TypeError, ValueError, AttributeError) as err:
            if isinstance(err, MalformedRecordError):
                raise
            raise MalformedRecordError(
                _("record: who could have chosen the outcome cannot be read ({err})").format(
                    err=err
                )
            ) from err

    def to_json(self) -> Mapping[str, Any]:
        """The record's JSON, unchanged."""
        return self.raw
