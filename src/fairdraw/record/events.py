"""Typed ceremony events: the signed events, witnesses' signatures, and a ceremony's log
(ceremony specs v1 and v2, sections 2–5)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

import attrs

from fairdraw.ceremony.events import event_hash
from fairdraw.i18n import _
from fairdraw.record.announcement import Announcement, SourceEntry
from fairdraw.record.members import MalformedRecordError, member, optional, time_member, version_of
from fairdraw.times import parse_time

__all__ = ["CeremonyLog", "SignedEvent", "Status", "Witnessing", "read_events"]

Status = Literal["drawn", "aborted", "open"]

STATEMENT_KINDS = frozenset({"commit", "witness", "reveal", "randomness"})
"""The kinds of event whose body may carry a participant's signature (ceremony spec v2, 3)."""


@attrs.frozen
class SignedEvent:
    """One signed ceremony event.

    Attributes:
        kind: ``announce``, ``commit``, ``witness`` (v2), ``reveal``, ``randomness``, ``seed``,
            ``draw`` or ``abort``.
        time: RFC 3339, as signed.
        spec: the ceremony spec the event follows (``fairdraw/ceremony/v2``).
        body: the event's body as signed (read it through the typed accessors where one
            exists: :attr:`DrawRecord.announcement`, :attr:`DrawRecord.results`,
            :attr:`DrawRecord.witnessings` …).
        raw: the signed event's JSON.
    """

    draw_id: str
    sequence: int
    kind: str
    time: str
    key_id: str
    body: Mapping[str, Any]
    spec: str
    raw: Mapping[str, Any] = attrs.field(eq=False, repr=False)

    @classmethod
    def from_json(cls, data: object, where: str = "event") -> SignedEvent:
        """Read ``{"event": {...}, "key_id", "signature"}``.

        Raises:
            MalformedRecordError: a member is missing or of the wrong type, or the spec is not
                a fairdraw ceremony spec.
        """
        event = member(data, "event", dict, where)
        sequence = member(event, "sequence", int, f"{where}.event")
        here = f"{where} {sequence}"
        assert isinstance(data, Mapping)  # noqa: S101 (checked by member)
        spec = member(event, "spec", str, here)
        version_of(spec, here)
        return cls(
            draw_id=member(event, "draw_id", str, here),
            sequence=sequence,
            kind=member(event, "kind", str, here),
            time=member(event, "time", str, here),
            key_id=member(data, "key_id", str, here),
            body=member(event, "body", dict, here),
            spec=spec,
            raw=data,
        )

    @property
    def version(self) -> int:
        """The ceremony version the event follows: 1 or 2."""
        return version_of(self.spec, f"event {self.sequence}")

    @property
    def hash(self) -> str:
        """``H(JCS(signed event))``: what the next event links to."""
        return event_hash(self.raw)

    def _at(self) -> str:
        return _("event {sequence} ({kind})").format(sequence=self.sequence, kind=self.kind)

    @property
    def signed_by_participant(self) -> str | None:
        """The participant whose own signature the body carries (ceremony spec v2, section 3):
        their id for a commit, witness, reveal or randomness body with a ``signature``; None
        for any other event, for a body signed by nobody but the office, and in v1.

        This reads the body only: the signature is checked by
        :func:`fairdraw.verification_report`.

        Raises:
            MalformedRecordError: a v2 body of these kinds has no ``signature``, or one that is
                neither null nor a string, or a signed body names no participant.
        """
        if self.kind not in STATEMENT_KINDS or self.version == 1:
            return None
        if "signature" not in self.body:
            raise MalformedRecordError(_("{at}: no member 'signature'").format(at=self._at()))
        if optional(self.body, "signature", str, self._at()) is None:
            return None
        return member(self.body, "participant", str, self._at())  # type: ignore[no-any-return]

    @property
    def closing(self) -> str | None:
        """A v2 reveal's ``closing``: the hash of the event just before the ceremony's first
        reveal, the state the revealing participant saw (ceremony spec v2, section 3); None for
        any other event, and for a v1 reveal.

        Raises:
            MalformedRecordError: a v2 reveal has no ``closing``, or one that is not a string.
        """
        if self.kind != "reveal" or self.version == 1:
            return None
        return member(self.body, "closing", str, self._at())  # type: ignore[no-any-return]


@attrs.frozen
class Witnessing:
    """A witness's signature of the announcement (a v2 ``witness`` event, spec section 5).

    Attributes:
        participant: the witness's participant id.
        announcement: the hash they signed, ``H(JCS(signed announce event))`` in hex.
        time: when they saw the announcement, by their own clock (RFC 3339, as signed).
        signature: their Ed25519 signature of the statement (hex), as recorded; checked by
            :func:`fairdraw.verification_report`, not here.
        event: the ``witness`` event it was read from (its ``time`` is when the office
            recorded it).
    """

    participant: str
    announcement: str
    time: str
    signature: str
    event: SignedEvent = attrs.field(repr=False)

    @property
    def seen_at(self) -> datetime:
        """:attr:`time`, read."""
        return parse_time(self.time)

    @classmethod
    def from_event(cls, event: SignedEvent) -> Witnessing:
        """Read a ``witness`` event's body (``{"participant", "announcement", "time",
        "signature"}``).

        Raises:
            MalformedRecordError: the event is not a witness event, or a member is missing or
                malformed.
        """
        where = _("event {sequence} (witness)").format(sequence=event.sequence)
        if event.kind != "witness":
            raise MalformedRecordError(
                _("event {sequence} ({kind}): not a witness").format(
                    sequence=event.sequence, kind=event.kind
                )
            )
        body = event.body
        time_member(body, "time", where)
        return cls(
            participant=member(body, "participant", str, where),
            announcement=member(body, "announcement", str, where),
            time=body["time"],
            signature=member(body, "signature", str, where),
            event=event,
        )


def read_events(events: Sequence[object], where: str = "events") -> tuple[SignedEvent, ...]:
    """Read a ceremony's signed events (the announcement first)."""
    read = tuple(SignedEvent.from_json(e, f"{where}[{n}]") for n, e in enumerate(events))
    if not read or read[0].kind != "announce":
        raise MalformedRecordError(
            _("{where}: the first event is not an announcement").format(where=where)
        )
    return read


@attrs.frozen
class CeremonyLog:
    """A ceremony's signed events so far, finished or not, read."""

    events: tuple[SignedEvent, ...]

    @classmethod
    def from_json(cls, events: Sequence[object], where: str = "events") -> CeremonyLog:
        """Read a list of signed events."""
        return cls(read_events(events, where))

    @property
    def draw_id(self) -> str:
        """The ceremony's draw id."""
        return self.events[0].draw_id

    @property
    def spec(self) -> str:
        """The ceremony spec the announcement follows (``fairdraw/ceremony/v2``)."""
        return self.events[0].spec

    @property
    def version(self) -> int:
        """The ceremony version the announcement follows: 1 or 2."""
        return self.events[0].version

    @property
    def announcement(self) -> Announcement:
        """The announcement's body."""
        return Announcement.from_body(self.events[0].body, version=self.version)

    @property
    def last(self) -> SignedEvent:
        """The newest event."""
        return self.events[-1]

    def of_kind(self, kind: str) -> Iterator[SignedEvent]:
        """The events of one kind, in order."""
        return (e for e in self.events if e.kind == kind)

    @property
    def witnessings(self) -> tuple[Witnessing, ...]:
        """Every witness's signature of the announcement, in order (none in v1).

        Read only: whether each signature verifies, names this announcement and precedes the
        beacons is for :func:`fairdraw.verification_report` (and :attr:`DrawRecord.steering`
        lists the witnesses who attest the announcement before every beacon).
        """
        return tuple(Witnessing.from_event(e) for e in self.of_kind("witness"))

    @property
    def awaiting(self) -> tuple[SourceEntry, ...]:
        """The announced sources whose value is not recorded yet (no ``reveal`` of a secret,
        no ``randomness`` event of a value), in the announcement's order: what the ceremony
        still waits for before it can be seeded."""
        valued = {e.body.get("source") for e in self.events if e.kind in {"reveal", "randomness"}}
        return tuple(s for s in self.announcement.sources if s.id not in valued)

    @property
    def status(self) -> Status:
        """``drawn`` after a draw event, ``aborted`` after an abort, else ``open``."""
        kinds = {e.kind for e in self.events}
        if "abort" in kinds:
            return "aborted"
        return "drawn" if "draw" in kinds else "open"
