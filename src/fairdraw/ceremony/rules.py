"""The rules ceremony v2 adds: who controls a source, the order of events, the bodies' members
and the participants' signed statements (ceremony spec v2, sections 2–5).

Both a running :class:`~fairdraw.ceremony.Ceremony` and the verification of a record apply them,
so that a ceremony can never record what its verification would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from fairdraw.ceremony.events import event_hash, hex_bytes
from fairdraw.errors import CeremonyError, FairdrawError, VerificationError
from fairdraw.i18n import _
from fairdraw.signing import PublicKey
from fairdraw.times import parse_time

__all__ = [
    "DUE_MEMBER",
    "OFFICE",
    "PARTICIPANT_TAG",
    "STATEMENT_MEDIA_TYPE",
    "SourceClass",
    "announced_keys",
    "body_statement",
    "check_due_after_values",
    "check_order",
    "check_order_v1",
    "check_participants",
    "check_statement_signature",
    "check_witness",
    "closing_of",
    "controllers_of",
    "due_of",
    "parse_statement",
    "source_class",
    "spec_due",
]

OFFICE = "office"
"""The party id of the office whose key signs the events."""
PARTICIPANT_TAG = "participant"
"""The signature purpose of a participant's statement."""
STATEMENT_MEDIA_TYPE = "application/vnd.fairdraw.participant-statement.v2+json"
"""The media type of a participant's signed statement (ceremony spec v2, section 3)."""

SourceClass = Literal["secret", "entered", "beacon"]
"""When a source's value comes: committed then revealed; entered before the first reveal; or
due after the last reveal."""

_CLASS: dict[str, SourceClass] = {
    "local": "secret",
    "dice": "entered",
    "drand": "beacon",
    "nist": "beacon",
    "public-record": "beacon",
}
_OUTSIDE = {"drand": "drand", "nist": "nist"}
DUE_MEMBER = {"drand": "round_time", "nist": "pulse_time", "public-record": "time"}
"""The member that says when each type of beacon is due (ceremony spec v2, section 4)."""
_ACT_MEMBERS = {
    "commit": {"participant", "source", "commitment", "signature"},
    "witness": {"participant", "announcement", "time", "signature"},
    "reveal": {"participant", "source", "secret", "closing", "signature"},
    "randomness": {"participant", "source", "value", "signature"},
}
_PARTICIPANT_MEMBERS = {"id", "role", "key"}


def source_class(spec: Mapping[str, Any]) -> SourceClass:
    """``secret``, ``entered`` or ``beacon`` (ceremony spec v2, section 4).

    Raises:
        CeremonyError: the source type is unknown.
    """
    kind = _CLASS.get(str(spec.get("type")))
    if kind is None:
        raise CeremonyError(
            _("source {id!r}: unknown type {type!r}").format(
                id=spec.get("id"), type=spec.get("type")
            )
        )
    return kind


def due_of(spec: Mapping[str, Any]) -> datetime | None:
    """When a beacon source is due (drand ``round_time``, NIST ``pulse_time``, a public record's
    ``time``; a v1 public record, which names a day: 00:00 UTC of its ``date``); None for other
    sources."""
    if source_class(spec) != "beacon":
        return None
    member = DUE_MEMBER[spec["type"]]
    if spec["type"] == "public-record" and member not in spec and "date" in spec:  # v1
        return datetime.fromisoformat(str(spec["date"])).replace(tzinfo=UTC)
    return parse_time(
        spec.get(member), _("source {id!r} {member}").format(id=spec.get("id"), member=member)
    )


def announced_keys(participants: Sequence[Mapping[str, Any]]) -> dict[str, PublicKey]:
    """The public keys of the participants that hold one, by participant id.

    Raises:
        CeremonyError: a key entry is malformed or its key id is not its key's.
    """
    keys = {}
    for entry in participants:
        key = entry.get("key")
        if key is None:
            continue
        try:
            public = PublicKey.from_hex(key["public_key"])
        except (KeyError, TypeError, FairdrawError) as err:
            raise CeremonyError(
                _("participant {id!r}: malformed key ({err})").format(id=entry.get("id"), err=err)
            ) from err
        if key.get("algorithm") != "ed25519" or key.get("key_id") != public.key_id:
            raise CeremonyError(
                _(
                    "participant {id!r}: the key id is not the SHA-256 of its Ed25519 public key"
                ).format(id=entry.get("id"))
            )
        keys[str(entry["id"])] = public
    return keys


def check_participants(participants: Sequence[Mapping[str, Any]]) -> None:
    """Check v2 participant entries: ``id``, ``role``, ``key`` and further string members.

    Raises:
        CeremonyError: a member is missing or malformed, or the office is given a key.
    """
    for entry in participants:
        missing = _PARTICIPANT_MEMBERS - set(entry)
        if missing:
            raise CeremonyError(
                _("participant {id!r}: missing {names}").format(
                    id=entry.get("id"), names=", ".join(sorted(missing))
                )
            )
        extra = {k: v for k, v in entry.items() if k not in _PARTICIPANT_MEMBERS}
        if not all(isinstance(v, str) for v in extra.values()):
            raise CeremonyError(
                _("participant {id!r}: further members must be strings").format(id=entry.get("id"))
            )
        if entry["id"] == OFFICE and entry["key"] is not None:
            raise CeremonyError(_("the participant 'office' is the office: it signs with its key"))
    announced_keys(participants)


def controllers_of(spec: Mapping[str, Any], keyed: set[str]) -> list[str]:
    """Who can choose a source's value (ceremony spec v2, section 2.1), sorted.

    Args:
        spec: the announced source entry.
        keyed: the ids of the participants who hold their own key.
    """
    kind = spec.get("type")
    if kind in _OUTSIDE:
        return [_OUTSIDE[str(kind)]]
    if kind == "public-record":  # a v1 entry names no publisher: the party is the record's
        return [str(spec["publisher"]) if "publisher" in spec else f"public-record:{spec['id']}"]
    participant = str(spec.get("participant"))
    if participant in keyed or participant == OFFICE:
        return [participant]
    return sorted({participant, OFFICE})


def body_statement(kind: str, draw_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """The statement an event body stands for: the body without ``signature``, plus ``act``
    (the event's kind) and ``draw_id`` (ceremony spec v2, section 3)."""
    statement = {k: v for k, v in body.items() if k != "signature"}
    return {**statement, "act": kind, "draw_id": draw_id}


def check_statement_signature(
    kind: str, draw_id: str, body: Mapping[str, Any], keys: Mapping[str, PublicKey]
) -> None:
    """Check a commit, witness, reveal or randomness body's members and signature.

    A participant with a key must have signed; any other body carries ``"signature": null``.

    Raises:
        VerificationError: a member is missing or extra, or the signature is missing or wrong.
    """
    members = _ACT_MEMBERS[kind]
    if set(body) != members:
        extra, missing = set(body) - members, members - set(body)
        problems = [
            _("extra members {names}").format(names=", ".join(sorted(extra))) if extra else "",
            _("no {names}").format(names=", ".join(sorted(missing))) if missing else "",
        ]
        raise VerificationError(
            _("a {kind} body has {problems}").format(
                kind=kind, problems=_("; ").join(p for p in problems if p)
            )
        )
    participant = body["participant"]
    key = keys.get(participant) if isinstance(participant, str) else None
    if key is None:
        if body["signature"] is not None:
            raise VerificationError(
                _(
                    "the {kind} of {participant!r} is signed, but the announcement gives no key"
                ).format(kind=kind, participant=participant)
            )
        return
    if body["signature"] is None:
        raise VerificationError(
            _("{participant!r} holds a key but did not sign their {kind}").format(
                participant=participant, kind=kind
            )
        )
    key.verify(
        PARTICIPANT_TAG,
        body_statement(kind, draw_id, body),
        hex_bytes(body["signature"], "signature"),
    )


def parse_statement(
    signed: Mapping[str, Any], draw_id: str, participants: Sequence[Mapping[str, Any]]
) -> tuple[str, dict[str, Any]]:
    """The act and the event body of a participant's signed statement, checked.

    Raises:
        CeremonyError: the statement is malformed, for another draw, or of a participant not
            announced with that key.
        VerificationError: the signature is not the participant's.
    """
    try:
        statement = dict(signed["statement"])
        if signed.get("media_type") != STATEMENT_MEDIA_TYPE:
            raise CeremonyError(_("this is not a fairdraw participant statement"))
        act, participant = statement.pop("act"), statement["participant"]
        if statement.pop("draw_id") != draw_id:
            raise CeremonyError(
                _("the statement is for another draw, not {draw_id!r}").format(draw_id=draw_id)
            )
        keys = announced_keys(participants)
        if participant not in keys or signed.get("key_id") != keys[participant].key_id:
            raise CeremonyError(
                _("{participant!r} is not announced with the key {key_id}").format(
                    participant=participant, key_id=signed.get("key_id")
                )
            )
        if act not in _ACT_MEMBERS:
            raise CeremonyError(_("unknown act {act!r}").format(act=act))
        body = {**statement, "signature": signed.get("signature")}
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise CeremonyError(_("a malformed participant statement ({err})").format(err=err)) from err
    check_statement_signature(act, draw_id, body, keys)
    return str(act), body


def closing_of(events: Sequence[Mapping[str, Any]]) -> str:
    """The hash every reveal names: of the event just before the first reveal (or of the last
    event, before any reveal)."""
    for index, signed in enumerate(events):
        if signed["event"]["kind"] == "reveal":
            return event_hash(events[index - 1])
    return event_hash(events[-1])


def check_order(body: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> str:  # noqa: PLR0912
    """Check the phases of ceremony spec v2, section 4, over the events after the announcement.

    Raises:
        VerificationError: an event is out of its phase, or a beacon is due too early.
    """
    specs = {s["id"]: s for s in body["sources"]}
    secrets = {i for i, s in specs.items() if source_class(s) == "secret"}
    entered = {i for i, s in specs.items() if source_class(s) == "entered"}
    committed: set[str] = set()
    has_value: set[str] = set()
    revealed: set[str] = set()
    times: list[datetime] = []  # of every reveal and entered value
    seeded = drawn = aborted = False
    for signed in events[1:]:
        event = signed["event"]
        kind, content = event["kind"], event["body"]
        where = _("event {sequence} ({kind})").format(sequence=event["sequence"], kind=kind)
        if drawn or aborted:
            raise VerificationError(
                (
                    _("{where}: nothing may follow the draw")
                    if drawn
                    else _("{where}: nothing may follow the abort")
                ).format(where=where)
            )
        if kind == "abort":
            aborted = True
            continue
        if kind == "commit" and not (revealed or has_value):
            committed.add(content["source"])
        elif kind in {"witness", "timestamp"} and not revealed:
            pass
        elif kind == "randomness" and content["source"] in entered:
            if committed != secrets or revealed:
                raise VerificationError(
                    _(
                        "{where}: an entered value comes after every commitment and before the "
                        "first reveal"
                    ).format(where=where)
                )
            has_value.add(content["source"])
            times.append(parse_time(event["time"]))
        elif kind == "reveal" and committed == secrets and has_value == entered:
            revealed.add(content["source"])
            times.append(parse_time(event["time"]))
        elif kind == "randomness" and content["source"] in specs and revealed == secrets:
            if committed != secrets or not entered <= has_value or content["source"] in has_value:
                raise VerificationError(
                    _("{where}: a beacon comes after every other value").format(where=where)
                )
            has_value.add(content["source"])
        elif kind == "seed" and not seeded:
            if committed != secrets or revealed != secrets or has_value != set(specs) - secrets:
                raise VerificationError(
                    _("{where}: the seed comes once every source has its value").format(where=where)
                )
            seeded = True
        elif kind == "draw" and seeded:
            drawn = True
        else:
            raise VerificationError(
                _("{where}: out of order (ceremony spec v2, section 4)").format(where=where)
            )
    announced = parse_time(events[0]["event"]["time"])
    for spec in specs.values():
        due = due_of(spec)
        if due is None:
            continue
        if due <= announced or any(due <= t for t in times):
            raise VerificationError(
                _(
                    "the beacon {id!r} is due at {spec_due}, not after the announcement "
                    "and every reveal and entered value"
                ).format(id=spec["id"], spec_due=spec_due(spec))
            )
    return _("commitments, entered values, reveals, then beacons due after them")


def spec_due(spec: Mapping[str, Any]) -> str:
    """A beacon's due time as announced."""
    return str(spec.get(DUE_MEMBER.get(str(spec.get("type")), "time")))


def check_witness(
    body: Mapping[str, Any], events: Sequence[Mapping[str, Any]], when: datetime
) -> None:
    """Check a witness statement's body against the ceremony so far (spec v2, section 5).

    Raises:
        CeremonyError: the witness is the office, signed another announcement, has a time
            before the announcement or after ``when``, or has witnessed already.
    """
    if body["participant"] == OFFICE:
        raise CeremonyError(_("the office cannot witness its own announcement"))
    if body.get("signature") is None:
        raise CeremonyError(
            _(
                "{participant!r} holds no key of their own: only a participant who "
                "signs can witness (ceremony spec v2, section 3)"
            ).format(participant=body["participant"])
        )
    if body["announcement"] != event_hash(events[0]):
        raise CeremonyError(_("the witness signed another announcement"))
    seen = parse_time(body["time"], _("witness time"))
    if not parse_time(events[0]["event"]["time"]) <= seen <= when:
        raise CeremonyError(
            _("the witness's time must be after the announcement and not after now")
        )
    for signed in events:
        event = signed["event"]
        if event["kind"] == "witness" and event["body"]["participant"] == body["participant"]:
            raise CeremonyError(
                _("{participant!r} has witnessed already").format(participant=body["participant"])
            )


def check_due_after_values(
    spec: Mapping[str, Any], announcement: Mapping[str, Any], events: Sequence[Mapping[str, Any]]
) -> None:
    """A beacon must be due strictly after every reveal and entered value (spec v2, section 4).

    Raises:
        CeremonyError: it was due at or before one of them.
    """
    due = due_of(spec)
    if due is None:
        return
    entered = {s["id"] for s in announcement["sources"] if source_class(s) == "entered"}
    for signed in events:
        event = signed["event"]
        fixes = event["kind"] == "reveal" or (
            event["kind"] == "randomness" and event["body"]["source"] in entered
        )
        if fixes and due <= parse_time(event["time"]):
            raise CeremonyError(
                _(
                    "the beacon {id!r} was due at {spec_due}, not after the {kind} of "
                    "{source!r}: it could have been known then; abort the ceremony"
                ).format(
                    id=spec["id"],
                    spec_due=spec_due(spec),
                    kind=event["kind"],
                    source=event["body"]["source"],
                )
            )


def check_order_v1(events: Sequence[Mapping[str, Any]]) -> str:
    """The order of a v1 record's last phases (ceremony spec v1, section 2.7): every value before
    the seed, the draw after it, and nothing after a draw or an abort. (Commitments and reveals
    are checked with them.)

    Raises:
        VerificationError: an event is out of place.
    """
    seeded = ended = False
    for signed in events[1:]:
        event = signed["event"]
        where = _("event {sequence} ({kind})").format(
            sequence=event["sequence"], kind=event["kind"]
        )
        if ended:
            raise VerificationError(
                _("{where}: nothing may follow a draw or an abort").format(where=where)
            )
        if event["kind"] in {"commit", "reveal", "randomness"} and seeded:
            raise VerificationError(_("{where}: after the seed").format(where=where))
        if event["kind"] == "draw" and not seeded:
            raise VerificationError(_("{where}: the draw comes after the seed").format(where=where))
        seeded = seeded or event["kind"] == "seed"
        ended = event["kind"] in {"draw", "abort"}
    return _("every value before the seed, the draw after it, nothing after the end")
