"""The typed announcement: scopes, sources, participants and the rest of what a ceremony
committed to before its seed existed (ceremony specs v1 and v2, section 2)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from fairdraw.ceremony.rules import (
    DUE_MEMBER,
    OFFICE,
    SourceClass,
    controllers_of,
    due_of,
    source_class,
)
from fairdraw.errors import FairdrawError
from fairdraw.i18n import _
from fairdraw.record.members import MalformedRecordError, member, optional
from fairdraw.signing import PublicKey

__all__ = ["Announcement", "Participant", "ScopeEntry", "SourceEntry", "Supersedes"]


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PARTICIPANT_MEMBERS = frozenset({"id", "role", "key"})
_NAMED = frozenset({"name", "organisation"})


@attrs.frozen
class ScopeEntry:
    """One announced scope: its list's digest and the draw's parameters.

    Attributes:
        mode: ``exact`` (``k`` and ``alternates``) or ``rate`` (``rate``, as ``a/b``).
        population_size: None for a confidential scope.
        membership_size, membership_root: a confidential scope's membership tree (its number
            of leaves, its root in hex; membership spec v1, section 5), None without one.
        keyed_scores: whether the scope has keyed scores (``"scores": "keyed"``, membership
            spec v1, section 9): its picks are then published without scores.
    """

    scope: str
    population_digest: str
    population_size: int | None
    confidential: bool
    mode: str
    k: int | None = None
    alternates: int = 0
    rate: str | None = None
    membership_size: int | None = None
    membership_root: str | None = None
    keyed_scores: bool = False

    @classmethod
    def from_json(cls, data: object, where: str) -> ScopeEntry:
        """Read one member of the announcement's ``scopes``."""
        scope = member(data, "scope", str, where)
        here = f"{where}[{scope}]"
        assert isinstance(data, Mapping)  # noqa: S101 (checked by member)
        mode = member(data, "mode", str, here)
        tree = optional(data, "membership", dict, here) or {}
        return cls(
            scope=scope,
            population_digest=member(data, "population_digest", str, here),
            population_size=optional(data, "population_size", int, here),
            confidential=bool(data.get("confidential", False)),
            mode=mode,
            k=optional(data, "k", int, here),
            alternates=optional(data, "alternates", int, here) or 0,
            rate=optional(data, "rate", str, here),
            membership_size=optional(tree, "size", int, f"{here}.membership"),
            membership_root=optional(tree, "root", str, f"{here}.membership"),
            keyed_scores=optional(data, "scores", str, here) == "keyed",
        )


def _strings(data: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    values = member(data, name, list, where)
    if not all(isinstance(v, str) for v in values):
        raise MalformedRecordError(
            _("{where}.{name}: not a list of strings").format(where=where, name=name)
        )
    return tuple(values)


def _class_of(data: Mapping[str, Any], here: str) -> SourceClass:
    try:
        return source_class(data)
    except FairdrawError as err:
        raise MalformedRecordError(
            _("{here}.type: unknown source type {type!r}").format(here=here, type=data["type"])
        ) from err


def _controllers(
    data: Mapping[str, Any], kind: SourceClass, keyed: Collection[str], here: str
) -> tuple[str, ...]:
    """The rule's controllers of a source that does not name them (ceremony spec v2, 2.1)."""
    if kind != "beacon":
        member(data, "participant", str, here)
    if data["type"] == "public-record" and "publisher" in data:  # (v1 names none)
        member(data, "publisher", str, here)
    return tuple(controllers_of(data, set(keyed)))


def _due(
    data: Mapping[str, Any], kind: SourceClass, here: str, version: int | None
) -> datetime | None:
    """When a beacon is due (a v1 public record: 00:00 UTC of its ``date``)."""
    if kind != "beacon":
        return None
    name = DUE_MEMBER[data["type"]]
    if data["type"] == "public-record" and version != 2 and name not in data:  # v1: a day
        date = member(data, "date", str, here)
        if not _DATE.fullmatch(date):
            raise MalformedRecordError(
                _("{here}.date: not a YYYY-MM-DD date ({date!r})").format(here=here, date=date)
            )
        try:
            return datetime.fromisoformat(date).replace(tzinfo=UTC)
        except ValueError as err:
            raise MalformedRecordError(
                _("{here}.date: not a real date ({date!r})").format(here=here, date=date)
            ) from err
    text = member(data, name, str, here)
    try:
        return due_of(data)
    except FairdrawError as err:
        raise MalformedRecordError(
            _("{here}.{name}: not an RFC 3339 time ({text!r})").format(
                here=here, name=name, text=text
            )
        ) from err


@attrs.frozen
class SourceEntry:
    """One announced entropy source.

    Attributes:
        fields: every member as announced (``participant``, ``count``, ``sides``, ``chain``,
            ``round``, ``round_time``, ``publisher`` …).
        controllers: the party ids who can choose its value (ceremony spec v2, section 2.1),
            sorted: as a v2 announcement names them; for a v1 entry, by the rule with nobody
            holding their own key (a v1 public record, which names no publisher, is controlled by
            ``public-record:ID``, as the analysis of :attr:`DrawRecord.steering` calls it).
        due: when a beacon is due (drand ``round_time``, NIST ``pulse_time``, a public record's
            ``time``; a v1 public record: 00:00 UTC of its ``date``), None for other sources.
        source_class: ``secret`` (committed, then revealed), ``entered`` (dice, entered before
            the first reveal) or ``beacon`` (due after the last reveal).
    """

    id: str
    type: str
    fields: Mapping[str, Any]
    controllers: tuple[str, ...]
    due: datetime | None
    source_class: SourceClass

    def get(self, name: str, default: Any = None) -> Any:
        """An announced member of this source."""
        return self.fields.get(name, default)

    @classmethod
    def from_json(
        cls,
        data: object,
        where: str = "source",
        *,
        keyed: Collection[str] = (),
        version: int | None = None,
    ) -> SourceEntry:
        """Read one announced source (``{"id", "type", …}``).

        Args:
            data: the source entry.
            where: what it is, for messages.
            keyed: the participants holding their own key, for the rule's ``controllers`` of an
                entry that does not name them.
            version: 2: the entry must name its ``controllers``; 1: they are the rule's, with
                nobody keyed; None: read them if named, else the rule's.

        Raises:
            MalformedRecordError: a member is missing or malformed, or the type is unknown.
        """
        source_id = member(data, "id", str, where)
        here = f"{where}[{source_id}]"
        kind = member(data, "type", str, here)
        assert isinstance(data, Mapping)  # noqa: S101 (checked by member)
        klass = _class_of(data, here)
        if version == 2 or (version is None and "controllers" in data):
            controllers = _strings(data, "controllers", here)
        else:
            controllers = _controllers(data, klass, () if version == 1 else keyed, here)
        return cls(
            id=source_id,
            type=kind,
            fields=dict(data),
            controllers=controllers,
            due=_due(data, klass, here, version),
            source_class=klass,
        )

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


def _key(data: Mapping[str, Any], here: str) -> PublicKey | None:
    """A participant's announced key (``null`` or ``{"algorithm", "public_key", "key_id"}``)."""
    if data.get("key") is None:
        return None
    key = member(data, "key", dict, here)
    at = f"{here}.key"
    if member(key, "algorithm", str, at) != "ed25519":
        raise MalformedRecordError(
            _("{at}.algorithm: not ed25519 ({algorithm!r})").format(
                at=at, algorithm=key["algorithm"]
            )
        )
    try:
        public = PublicKey.from_hex(member(key, "public_key", str, at))
    except FairdrawError as err:
        raise MalformedRecordError(_("{at}.public_key: {err}").format(at=at, err=err)) from err
    if member(key, "key_id", str, at) != public.key_id:
        raise MalformedRecordError(
            _("{at}.key_id: not the SHA-256 of its public key").format(at=at)
        )
    return public


@attrs.frozen
class Participant:
    """One announced participant, and their own key if they hold one (ceremony spec v2, 2–3).

    Attributes:
        name, organisation: the entry's ``name`` and ``organisation`` members, or None.
        key: the participant's own Ed25519 key, None without one (always in a v1 record that
            names none, and for the participant ``office``, who signs with the office key).
        extra: every further string member (``stand_in_for``, ``authorisation`` …), without
            ``id``, ``role``, ``key``, ``name`` and ``organisation``.
        raw: the entry as announced.
    """

    id: str
    role: str
    name: str | None
    organisation: str | None
    key: PublicKey | None
    extra: Mapping[str, str]
    raw: Mapping[str, Any] = attrs.field(eq=False, repr=False)

    @property
    def key_id(self) -> str | None:
        """The key id of the participant's own key (hex SHA-256), or None."""
        return None if self.key is None else self.key.key_id

    @property
    def is_office(self) -> bool:
        """Whether this entry is the office itself (the reserved id ``office``)."""
        return self.id == OFFICE

    @classmethod
    def from_json(
        cls, data: object, where: str = "participant", *, version: int | None = None
    ) -> Participant:
        """Read one member of the announcement's ``participants``.

        Args:
            data: the entry.
            where: what it is, for messages.
            version: 2: ``key`` must be a member (null or a key) and every further member a
                string; 1 or None: ``key`` may be left out, and further members that are not
                strings are left out of :attr:`extra` (v1 has no closed member lists).

        Raises:
            MalformedRecordError: a member is missing or malformed, or the key's id is not its
                key's.
        """
        pid = member(data, "id", str, where)
        here = f"{where}[{pid}]"
        role = member(data, "role", str, here)
        assert isinstance(data, Mapping)  # noqa: S101 (checked by member)
        if version == 2:
            if "key" not in data:
                raise MalformedRecordError(_("{here}: no member 'key'").format(here=here))
            for name in set(data) - _PARTICIPANT_MEMBERS:
                member(data, name, str, here)
        further = {
            k: v for k, v in data.items() if k not in _PARTICIPANT_MEMBERS and isinstance(v, str)
        }
        return cls(
            id=pid,
            role=role,
            name=further.get("name"),
            organisation=further.get("organisation"),
            key=_key(data, here),
            extra={k: v for k, v in further.items() if k not in _NAMED},
            raw=dict(data),
        )


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
        participants: every announced participant, in order (the office too, if listed).
        policy: the office's announced policy (strings), empty when none was announced.
        commit_deadline, reveal_deadline: RFC 3339 times.
        single_party_reason: (v2) the office's reason for a ceremony one party alone could
            steer, or None (always None in v1).
        version: the ceremony version the announcement was read as, 1 or 2.
        office_public_key: the announced office key's public key (hex), as the record gives
            it (checked against the record's signature by the verifier, not here).
    """

    office: str
    key_id: str
    scopes: tuple[ScopeEntry, ...]
    sources: tuple[SourceEntry, ...]
    participants: tuple[Participant, ...]
    policy: Mapping[str, str]
    commit_deadline: str
    reveal_deadline: str
    supersedes: Supersedes | None
    single_party_reason: str | None
    version: int
    office_public_key: str = ""

    def scope(self, name: str) -> ScopeEntry | None:
        """The announced scope of that name, if any."""
        return next((s for s in self.scopes if s.scope == name), None)

    def source(self, source_id: str) -> SourceEntry | None:
        """The announced source of that id, if any."""
        return next((s for s in self.sources if s.id == source_id), None)

    def sources_of_type(self, kind: str) -> tuple[SourceEntry, ...]:
        """The announced sources of one type (``drand``, ``dice`` …), in order."""
        return tuple(s for s in self.sources if s.type == kind)

    def participant(self, participant_id: str) -> Participant | None:
        """The announced participant of that id, if any."""
        return next((p for p in self.participants if p.id == participant_id), None)

    @property
    def witnesses(self) -> tuple[Participant, ...]:
        """The participants who can witness the announcement: those holding their own key,
        other than the office (ceremony spec v2, section 3). Whether one did is in
        :attr:`DrawRecord.witnessings`."""
        return tuple(p for p in self.participants if p.key is not None and not p.is_office)

    @classmethod
    def from_body(
        cls, body: object, where: str = "announcement", *, version: int | None = None
    ) -> Announcement:
        """Read an announce event's body.

        Args:
            body: the body.
            where: what it is, for messages.
            version: the ceremony version of its event (:attr:`SignedEvent.version`); None:
                2 if the body has a ``single_party_reason`` member (every v2 body has), else 1.

        Raises:
            MalformedRecordError: a member is missing or malformed (the message names it).
        """
        key = member(body, "office_key", dict, where)
        deadlines = member(body, "deadlines", dict, where)
        assert isinstance(body, Mapping)  # noqa: S101 (checked by member)
        if version is None:
            version = 2 if "single_party_reason" in body else 1
        participants = tuple(
            Participant.from_json(p, f"{where}.participants", version=version)
            for p in member(body, "participants", list, where)
        )
        keyed = {p.id for p in participants if p.key is not None}
        sources = tuple(
            SourceEntry.from_json(spec, f"{where}.sources", keyed=keyed, version=version)
            for spec in member(body, "sources", list, where)
        )
        policy = optional(body, "policy", dict, where) or {}
        if not all(isinstance(v, str) for v in policy.values()):
            raise MalformedRecordError(
                _("{where}.policy: every member must be a string").format(where=where)
            )
        if version == 2 and "single_party_reason" not in body:
            raise MalformedRecordError(
                _("{where}: no member 'single_party_reason'").format(where=where)
            )
        supersedes = optional(body, "supersedes", dict, where)
        return cls(
            office=member(body, "office", str, where),
            key_id=member(key, "key_id", str, f"{where}.office_key"),
            scopes=tuple(
                ScopeEntry.from_json(s, f"{where}.scopes")
                for s in member(body, "scopes", list, where)
            ),
            sources=sources,
            participants=participants,
            policy=dict(policy),
            commit_deadline=member(deadlines, "commit", str, f"{where}.deadlines"),
            reveal_deadline=member(deadlines, "reveal", str, f"{where}.deadlines"),
            supersedes=None
            if supersedes is None
            else Supersedes(
                member(supersedes, "draw_id", str, f"{where}.supersedes"),
                str(supersedes.get("reason", "")),
                str(supersedes.get("approver", "")),
            ),
            single_party_reason=optional(body, "single_party_reason", str, where)
            if version == 2
            else None,
            version=version,
            office_public_key=str(key.get("public_key", "")),
        )
