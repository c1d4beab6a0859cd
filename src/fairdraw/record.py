"""A typed read model of ceremony events and draw records (ceremony spec v1, sections 2 and 4).

Programs built on fairdraw read a record through these frozen types, never by nested keys of
its JSON, so that the wire format can grow without every caller learning it anew::

    record = DrawRecord.from_json(json.loads(text))
    record.announcement.scopes[0].scope       # "2026-05/MAINT/base"
    record.seed                               # hex, or None before the seed event
    record.result("2026-05/inspectors").labels

Reading checks the shape only (the members are there and of the right type); whether the record
is genuine is for :func:`fairdraw.verify_record`. The JSON each object was read from stays
available as ``raw``, to hash, sign or write back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs

from fairdraw.ceremony.events import event_hash
from fairdraw.errors import VerificationError

__all__ = [
    "Announcement",
    "CeremonyLog",
    "DrawRecord",
    "MalformedRecordError",
    "PublishedPick",
    "ScopeEntry",
    "ScopeResult",
    "SignedEvent",
    "SourceEntry",
    "Supersedes",
    "read_events",
]

Status = Literal["drawn", "aborted", "open"]


class MalformedRecordError(VerificationError):
    """A record or event lacks a member, or has one of the wrong type; the message says which."""

    code = "verification.malformed"


def _member(data: object, name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, Mapping):
        raise MalformedRecordError(f"{where}: not a JSON object")
    if name not in data:
        raise MalformedRecordError(f"{where}: no member {name!r}")
    value = data[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise MalformedRecordError(f"{where}.{name}: wrong type ({type(value).__name__})")
    return value


def _optional(data: Mapping[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if data.get(name) is None:
        return None
    return _member(data, name, kind, where)


@attrs.frozen
class PublishedPick:
    """One ranked label of a published result: ``label``, ``rank`` (from 1), ``score`` (hex)."""

    label: str
    rank: int
    score: str

    @classmethod
    def from_json(cls, data: object, where: str) -> PublishedPick:
        """Read ``{"label", "rank", "score"}``."""
        return cls(
            _member(data, "label", str, where),
            _member(data, "rank", int, where),
            _member(data, "score", str, where),
        )


@attrs.frozen
class ScopeResult:
    """The published result of one scope in the draw event.

    Attributes:
        population_size: None for a confidential scope.
    """

    scope: str
    subseed: str
    population_digest: str
    population_size: int | None
    selected: tuple[PublishedPick, ...]
    alternates: tuple[PublishedPick, ...]

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
    def from_json(cls, data: object, where: str) -> ScopeResult:
        """Read one member of the draw event's ``results``."""
        scope = _member(data, "scope", str, where)
        here = f"{where}[{scope}]"
        return cls(
            scope=scope,
            subseed=_member(data, "subseed", str, here),
            population_digest=_member(data, "population_digest", str, here),
            population_size=_optional(data, "population_size", int, here),  # type: ignore[arg-type]
            selected=tuple(
                PublishedPick.from_json(p, f"{here}.selected")
                for p in _member(data, "selected", list, here)
            ),
            alternates=tuple(
                PublishedPick.from_json(p, f"{here}.alternates")
                for p in _member(data, "alternates", list, here)
            ),
        )


@attrs.frozen
class ScopeEntry:
    """One announced scope: its list's digest and the draw's parameters.

    Attributes:
        mode: ``exact`` (``k`` and ``alternates``) or ``rate`` (``rate``, as ``a/b``).
        population_size: None for a confidential scope.
    """

    scope: str
    population_digest: str
    population_size: int | None
    confidential: bool
    mode: str
    k: int | None = None
    alternates: int = 0
    rate: str | None = None

    @classmethod
    def from_json(cls, data: object, where: str) -> ScopeEntry:
        """Read one member of the announcement's ``scopes``."""
        scope = _member(data, "scope", str, where)
        here = f"{where}[{scope}]"
        assert isinstance(data, Mapping)  # noqa: S101 (checked by _member)
        mode = _member(data, "mode", str, here)
        return cls(
            scope=scope,
            population_digest=_member(data, "population_digest", str, here),
            population_size=_optional(data, "population_size", int, here),
            confidential=bool(data.get("confidential", False)),
            mode=mode,
            k=_optional(data, "k", int, here),
            alternates=_optional(data, "alternates", int, here) or 0,
            rate=_optional(data, "rate", str, here),
        )


@attrs.frozen
class SourceEntry:
    """One announced entropy source. ``fields`` holds every member as announced (``count``,
    ``sides``, ``chain``, ``round``, ``round_time`` …)."""

    id: str
    type: str
    fields: Mapping[str, Any]

    def get(self, name: str, default: Any = None) -> Any:
        """An announced member of this source."""
        return self.fields.get(name, default)

    @classmethod
    def from_json(cls, data: object, where: str = "source") -> SourceEntry:
        """Read one announced source (``{"id", "type", …}``)."""
        source_id = _member(data, "id", str, where)
        kind = _member(data, "type", str, f"{where}[{source_id}]")
        assert isinstance(data, Mapping)  # noqa: S101 (checked by _member)
        return cls(source_id, kind, dict(data))

    def to_json(self) -> dict[str, Any]:
        """The source as announced."""
        return dict(self.fields)

    @property
    def chain(self) -> str | None:
        """A beacon's chain (``quicknet`` …), or None."""
        value = self.fields.get("chain")
        return value if isinstance(value, str) else None

    @property
    def round(self) -> int | None:
        """A drand beacon's announced round, or None."""
        value = self.fields.get("round")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def round_time(self) -> str | None:
        """When a drand beacon's announced round is due (RFC 3339), or None."""
        value = self.fields.get("round_time")
        return value if isinstance(value, str) else None


@attrs.frozen
class Supersedes:
    """The aborted draw an announcement replaces, why, and who decided it."""

    draw_id: str
    reason: str
    approver: str

    def to_json(self) -> dict[str, str]:
        """The announcement's ``supersedes`` member."""
        return {"draw_id": self.draw_id, "reason": self.reason, "approver": self.approver}


@attrs.frozen
class Announcement:
    """The body of a ceremony's announcement: what was committed to before the seed existed.

    Attributes:
        policy: the office's announced policy (strings), empty when none was announced.
        commit_deadline, reveal_deadline: RFC 3339 times.
    """

    office: str
    key_id: str
    scopes: tuple[ScopeEntry, ...]
    sources: tuple[SourceEntry, ...]
    participants: tuple[Mapping[str, Any], ...]
    policy: Mapping[str, str]
    commit_deadline: str
    reveal_deadline: str
    supersedes: Supersedes | None

    def scope(self, name: str) -> ScopeEntry | None:
        """The announced scope of that name, if any."""
        return next((s for s in self.scopes if s.scope == name), None)

    def sources_of_type(self, kind: str) -> tuple[SourceEntry, ...]:
        """The announced sources of one type (``drand``, ``dice`` …), in order."""
        return tuple(s for s in self.sources if s.type == kind)

    @classmethod
    def from_body(cls, body: object, where: str = "announcement") -> Announcement:
        """Read an announce event's body."""
        key = _member(body, "office_key", dict, where)
        deadlines = _member(body, "deadlines", dict, where)
        assert isinstance(body, Mapping)  # noqa: S101 (checked by _member)
        sources = []
        for spec in _member(body, "sources", list, where):
            sources.append(SourceEntry.from_json(spec, f"{where}.sources"))
        participants = _member(body, "participants", list, where)
        if not all(isinstance(p, Mapping) for p in participants):
            raise MalformedRecordError(f"{where}.participants: not a list of objects")
        policy = _optional(body, "policy", dict, where) or {}
        if not all(isinstance(v, str) for v in policy.values()):
            raise MalformedRecordError(f"{where}.policy: every member must be a string")
        supersedes = _optional(body, "supersedes", dict, where)
        return cls(
            office=_member(body, "office", str, where),
            key_id=_member(key, "key_id", str, f"{where}.office_key"),
            scopes=tuple(
                ScopeEntry.from_json(s, f"{where}.scopes")
                for s in _member(body, "scopes", list, where)
            ),
            sources=tuple(sources),
            participants=tuple(dict(p) for p in participants),
            policy=dict(policy),
            commit_deadline=_member(deadlines, "commit", str, f"{where}.deadlines"),
            reveal_deadline=_member(deadlines, "reveal", str, f"{where}.deadlines"),
            supersedes=None
            if supersedes is None
            else Supersedes(
                _member(supersedes, "draw_id", str, f"{where}.supersedes"),
                str(supersedes.get("reason", "")),
                str(supersedes.get("approver", "")),
            ),
        )


@attrs.frozen
class SignedEvent:
    """One signed ceremony event.

    Attributes:
        kind: ``announce``, ``commit``, ``reveal``, ``randomness``, ``seed``, ``draw`` or
            ``abort``.
        time: RFC 3339, as signed.
        body: the event's body as signed (read it through the typed accessors where one
            exists: :attr:`DrawRecord.announcement`, :attr:`DrawRecord.results` …).
        raw: the signed event's JSON.
    """

    draw_id: str
    sequence: int
    kind: str
    time: str
    key_id: str
    body: Mapping[str, Any]
    raw: Mapping[str, Any] = attrs.field(eq=False, repr=False)

    @classmethod
    def from_json(cls, data: object, where: str = "event") -> SignedEvent:
        """Read ``{"event": {...}, "key_id", "signature"}``."""
        event = _member(data, "event", dict, where)
        sequence = _member(event, "sequence", int, f"{where}.event")
        here = f"{where} {sequence}"
        assert isinstance(data, Mapping)  # noqa: S101 (checked by _member)
        return cls(
            draw_id=_member(event, "draw_id", str, here),
            sequence=sequence,
            kind=_member(event, "kind", str, here),
            time=_member(event, "time", str, here),
            key_id=_member(data, "key_id", str, here),
            body=_member(event, "body", dict, here),
            raw=data,
        )

    @property
    def hash(self) -> str:
        """``H(JCS(signed event))``: what the next event links to."""
        return event_hash(self.raw)


def read_events(events: Sequence[object], where: str = "events") -> tuple[SignedEvent, ...]:
    """Read a ceremony's signed events (the announcement first)."""
    read = tuple(SignedEvent.from_json(e, f"{where}[{n}]") for n, e in enumerate(events))
    if not read or read[0].kind != "announce":
        raise MalformedRecordError(f"{where}: the first event is not an announcement")
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
    def announcement(self) -> Announcement:
        """The announcement's body."""
        return Announcement.from_body(self.events[0].body)

    @property
    def last(self) -> SignedEvent:
        """The newest event."""
        return self.events[-1]

    def of_kind(self, kind: str) -> Iterator[SignedEvent]:
        """The events of one kind, in order."""
        return (e for e in self.events if e.kind == kind)

    @property
    def status(self) -> Status:
        """``drawn`` after a draw event, ``aborted`` after an abort, else ``open``."""
        kinds = {e.kind for e in self.events}
        if "abort" in kinds:
            return "aborted"
        return "drawn" if "draw" in kinds else "open"


@attrs.frozen
class DrawRecord:
    """A signed draw record, read: its events, the announcement, the seed and the results.

    Attributes:
        raw: the record's JSON, unchanged (what is hashed, stored and published).
    """

    draw_id: str
    key_id: str
    signature: str
    events: tuple[SignedEvent, ...]
    raw: Mapping[str, Any] = attrs.field(eq=False, repr=False)

    @classmethod
    def from_json(cls, data: object) -> DrawRecord:
        """Read a record.

        Raises:
            MalformedRecordError: a member is missing or of the wrong type (the message names
                it); a record read this way is not yet verified.
        """
        draw_id = _member(data, "draw_id", str, "record")
        record = cls(
            draw_id=draw_id,
            key_id=_member(data, "key_id", str, "record"),
            signature=_member(data, "signature", str, "record"),
            events=read_events(_member(data, "events", list, "record"), "record.events"),
            raw=data,  # type: ignore[arg-type]
        )
        record.announcement  # noqa: B018 (read it all now, so that a malformed one fails here)
        record.seed  # noqa: B018
        record.results  # noqa: B018
        return record

    @property
    def log(self) -> CeremonyLog:
        """The record's events as a ceremony log."""
        return CeremonyLog(self.events)

    @property
    def announcement(self) -> Announcement:
        """What the ceremony announced."""
        return self.log.announcement

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
            return _member(event.body, "seed", str, "seed event")  # type: ignore[no-any-return]
        return None

    @property
    def results(self) -> tuple[ScopeResult, ...]:
        """Every scope's published result, in announced order (empty without a draw)."""
        for event in self.log.of_kind("draw"):
            return tuple(
                ScopeResult.from_json(r, "draw.results")
                for r in _member(event.body, "results", list, "draw event")
            )
        return ()

    def result(self, scope: str) -> ScopeResult | None:
        """The result of one scope, if drawn."""
        return next((r for r in self.results if r.scope == scope), None)

    def to_json(self) -> Mapping[str, Any]:
        """The record's JSON, unchanged."""
        return self.raw
