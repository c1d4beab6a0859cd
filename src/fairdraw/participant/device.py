"""Statements made on the participant's own device, each after checking what the office sent.

Before signing, each helper checks the signed announcement (the office's signature, the key id
the announcement gives the office) and that the participant is announced with *this* key, with a
source of the right type. :func:`make_reveal` also checks the events so far: their links and
office signatures, that the participant's own commitment is among them and matches the secret,
and that every commitment and every entered value is in, so the reveal's ``closing`` names the
state the secret was revealed after.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from fairdraw.ceremony.events import (
    CEREMONY_SPEC,
    EVENT_KINDS,
    EVENT_MEDIA_TYPE,
    GENESIS,
    event_hash,
)
from fairdraw.ceremony.sources import value_bytes
from fairdraw.errors import CeremonyError, FairdrawError, VerificationError
from fairdraw.i18n import _
from fairdraw.participant.statement import sign_statement, verify_body
from fairdraw.primitives import parse_hex
from fairdraw.randomness.local import commitment
from fairdraw.signing import OfficeKey, PublicKey
from fairdraw.times import format_time, now, parse_time

__all__ = [
    "EVENT_MEDIA_TYPES",
    "announced_key",
    "check_office_events",
    "make_commit",
    "make_dice",
    "make_reveal",
    "make_witness",
]

EVENT_MEDIA_TYPES: dict[str, str] = {
    CEREMONY_SPEC: EVENT_MEDIA_TYPE,
    "fairdraw/ceremony/v2": "application/vnd.fairdraw.ceremony-event.v2+json",
}
"""The ceremony specs whose events a participant's device reads, with their event media type."""

_KINDS = frozenset({*EVENT_KINDS, "witness"})
_ENTERED = frozenset({"dice"})
"""Source types whose value a person enters before the first reveal (ceremony spec v2, §4)."""


@contextmanager
def _readable(what: str) -> Iterator[None]:
    """Turn a missing or mistyped member of what the office sent into a VerificationError."""
    try:
        yield
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as err:
        if isinstance(err, FairdrawError):
            raise
        raise VerificationError(
            _("{what} is malformed ({why}); do not sign for it").format(what=what, why=_why(err))
        ) from err


def _why(err: Exception) -> str:
    """An exception as a message: a missing member is named as such."""
    if isinstance(err, KeyError):
        return _("member {member!r} is missing").format(member=err.args[0])
    return str(err) or type(err).__name__


def _office_key(announce: Mapping[str, Any]) -> PublicKey:
    announced = announce["body"]["office_key"]
    office = PublicKey.from_hex(announced["public_key"])
    if announced.get("key_id") != office.key_id or announced.get("algorithm") != "ed25519":
        raise VerificationError(
            _("the announcement's office key id is not the SHA-256 of its Ed25519 public key")
        )
    return office


def _check_event(
    signed: Mapping[str, Any], index: int, previous: str, office: PublicKey, spec: str, draw_id: str
) -> datetime:
    """Check one event's place, link and office signature; return its time."""
    event = signed["event"]
    kind = event.get("kind")
    if event.get("spec") != spec or event.get("media_type") != EVENT_MEDIA_TYPES[spec]:
        raise VerificationError(_("not a fairdraw ceremony event of {spec}").format(spec=spec))
    if event.get("draw_id") != draw_id:
        raise VerificationError(
            _("it belongs to draw {draw_id!r}, not {draw_id2!r}").format(
                draw_id=event.get("draw_id"), draw_id2=draw_id
            )
        )
    if event.get("sequence") != index:
        raise VerificationError(
            _("sequence {sequence} out of place").format(sequence=event.get("sequence"))
        )
    if kind not in _KINDS or (index == 0) != (kind == "announce"):
        raise VerificationError(_("kind out of place"))
    if event.get("previous") != previous:
        raise VerificationError(
            _(
                "it does not link to the event before it (an event was removed, "
                "inserted, reordered or changed)"
            )
        )
    if signed.get("key_id") != office.key_id:
        raise VerificationError(_("not signed by the office key the announcement names"))
    office.verify("event", event, parse_hex(signed.get("signature"), "signature", length=64))
    return parse_time(event.get("time"))


def check_office_events(events: Sequence[Mapping[str, Any]]) -> PublicKey:
    """Check signed events (first the announcement): specs, sequence, links, times, signatures.

    Accepts ceremony spec v1 and v2 events (every event of the spec the announcement names).

    Returns:
        The office key the announcement names.

    Raises:
        VerificationError: the first problem, naming the event.
    """
    if not events:
        raise VerificationError(_("there are no events; give at least the signed announcement"))
    previous, last_time = GENESIS, None
    try:
        announce = events[0]["event"]
        spec, draw_id = announce.get("spec"), announce["draw_id"]
        if spec not in EVENT_MEDIA_TYPES:
            raise VerificationError(_("not a fairdraw ceremony (spec {spec!r})").format(spec=spec))
        if announce.get("kind") != "announce":
            raise VerificationError(
                _("kind out of place: a {kind} event comes first").format(kind=announce.get("kind"))
            )
        office = _office_key(announce)
    except (KeyError, TypeError, AttributeError, FairdrawError) as err:
        raise VerificationError(
            _("the announcement (event 0): {why}").format(why=_why(err))
        ) from err
    for index, signed in enumerate(events):
        kind = signed.get("event", {}).get("kind") if isinstance(signed, Mapping) else None
        where = _("event {index} ({kind})").format(index=index, kind=kind)
        try:
            when = _check_event(signed, index, previous, office, spec, draw_id)
        except (KeyError, TypeError, AttributeError, FairdrawError) as err:
            raise VerificationError(_("{where}: {why}").format(where=where, why=_why(err))) from err
        if last_time is not None and when < last_time:
            raise VerificationError(
                _("{where}: its time is earlier than the event before").format(where=where)
            )
        previous, last_time = event_hash(signed), when
    return office


def _participants(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    entries = body.get("participants")
    if not isinstance(entries, list) or not all(isinstance(p, Mapping) for p in entries):
        raise CeremonyError(_("the announcement's participants are not a list of objects"))
    return entries


def announced_key(body: Mapping[str, Any], participant: str) -> PublicKey | None:
    """The key an announcement body gives ``participant`` (None: announced without a key).

    Raises:
        CeremonyError: the participant is not announced, or their key entry is inconsistent.
    """
    entry = next((p for p in _participants(body) if p.get("id") == participant), None)
    if entry is None:
        ids = ", ".join(repr(p.get("id")) for p in _participants(body))
        raise CeremonyError(
            _(
                "participant {participant!r} is not in the announcement (its participants: {ids})"
            ).format(participant=participant, ids=ids)
        )
    key = entry.get("key")
    if key is None:
        return None
    try:
        public = PublicKey.from_hex(key["public_key"])
    except (KeyError, TypeError, FairdrawError) as err:
        raise CeremonyError(
            _("participant {participant!r}: the announced key is malformed").format(
                participant=participant
            )
        ) from err
    if key.get("algorithm") != "ed25519" or key.get("key_id") != public.key_id:
        raise CeremonyError(
            _(
                "participant {participant!r}: the announced key id is not the SHA-256 of "
                "the announced Ed25519 public key"
            ).format(participant=participant)
        )
    return public


def _check_party(body: Mapping[str, Any], participant: str, key: OfficeKey) -> None:
    if participant == "office":
        raise CeremonyError(
            _(
                "the id 'office' is the office itself: it signs with the office key, not "
                "with participant statements; use your own participant id (--as)"
            )
        )
    public = announced_key(body, participant)
    if public is None or public.key_id != key.key_id:
        named = _("no key") if public is None else _("key {key}").format(key=_short(public.key_id))
        raise CeremonyError(
            _(
                "participant {participant!r} is announced with {named}, not with this key "
                "({short}): use the key file you gave the office, or ask it to announce yours"
            ).format(participant=participant, named=named, short=_short(key.key_id))
        )


def _source(body: Mapping[str, Any], participant: str, source: str, types: set[str]) -> None:
    spec = next((s for s in body.get("sources", []) if s.get("id") == source), None)
    if spec is None:
        own = [s.get("id") for s in body.get("sources", []) if s.get("participant") == participant]
        sources = _(", ").join(map(repr, own)) or _("(none)")
        raise CeremonyError(
            _(
                "source {source!r} is not in the announcement ({participant!r}'s sources: "
                "{sources})"
            ).format(source=source, participant=participant, sources=sources)
        )
    if spec.get("type") not in types:
        raise CeremonyError(
            _("source {source!r} is a {type} source, not {names}").format(
                source=source, type=spec.get("type"), names=_(" or ").join(sorted(types))
            )
        )
    if spec.get("participant") != participant:
        raise CeremonyError(
            _("source {source!r} belongs to {participant!r}, not to {participant2!r}").format(
                source=source, participant=spec.get("participant"), participant2=participant
            )
        )


def _short(key_id: str) -> str:
    return key_id[:16] + "…"


def _announcement(
    key: OfficeKey, announcement_event: Mapping[str, Any], participant: str
) -> tuple[dict[str, Any], str]:
    check_office_events([announcement_event])
    event = announcement_event["event"]
    _check_party(event["body"], participant, key)
    return event["body"], event["draw_id"]


def make_commit(
    key: OfficeKey,
    announcement_event: Mapping[str, Any],
    participant: str,
    source: str,
    secret: bytes,
) -> dict[str, Any]:
    """The signed ``commit`` statement for a ``local`` source of ``participant``.

    Raises:
        VerificationError: the announcement is not signed by the office key it names.
        CeremonyError: the participant is not announced with this key, or ``source`` is not
            their local source; the secret is too short.
    """
    with _readable(_("the announcement")):
        body, draw_id = _announcement(key, announcement_event, participant)
        _source(body, participant, source, {"local"})
    statement = {
        "act": "commit",
        "draw_id": draw_id,
        "participant": participant,
        "source": source,
        "commitment": commitment(draw_id, participant, secret).hex(),
    }
    return sign_statement(key, statement)


def make_witness(
    key: OfficeKey,
    announcement_event: Mapping[str, Any],
    participant: str,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The signed ``witness`` statement: the announcement's hash and the time seen (now).

    Raises:
        VerificationError: the announcement is not signed by the office key it names.
        CeremonyError: the participant is not announced with this key, or the time is before
            the announcement's own time (check the device's clock).
    """
    with _readable(_("the announcement")):
        _announced, draw_id = _announcement(key, announcement_event, participant)
        announced = announcement_event["event"]["time"]
    when = at or now()
    if when < parse_time(announced):
        raise CeremonyError(
            _(
                "this device's time {when} is before the announcement's time "
                "{announced}: set the clock right before witnessing"
            ).format(when=format_time(when), announced=announced)
        )
    statement = {
        "act": "witness",
        "draw_id": draw_id,
        "participant": participant,
        "announcement": event_hash(announcement_event),
        "time": format_time(when),
    }
    return sign_statement(key, statement)


def make_dice(
    key: OfficeKey,
    announcement_event: Mapping[str, Any],
    participant: str,
    source: str,
    rolls: Sequence[int],
) -> dict[str, Any]:
    """The signed ``randomness`` statement of a ``dice`` source: the rolls, in order.

    Raises:
        VerificationError: the announcement is not signed by the office key it names.
        CeremonyError: the participant is not announced with this key, ``source`` is not their
            dice source, or the rolls do not fit it (count, sides).
    """
    value = {"rolls": list(rolls)}
    with _readable(_("the announcement")):
        body, draw_id = _announcement(key, announcement_event, participant)
        _source(body, participant, source, {"dice"})
        spec = next(s for s in body["sources"] if s["id"] == source)
    value_bytes(spec, value)
    statement = {
        "act": "randomness",
        "draw_id": draw_id,
        "participant": participant,
        "source": source,
        "value": value,
    }
    return sign_statement(key, statement)


def _body(signed: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = signed["event"]["body"]
    return body


def _kind(signed: Mapping[str, Any]) -> str:
    kind: str = signed["event"]["kind"]
    return kind


def _check_own_commit(
    events: Sequence[Mapping[str, Any]], participant: str, source: str, secret: bytes
) -> None:
    announce = events[0]["event"]
    draw_id = announce["draw_id"]
    found = [
        (i, e)
        for i, e in enumerate(events)
        if _kind(e) == "commit" and _body(e)["source"] == source
    ]
    if not found:
        raise CeremonyError(
            _(
                "the events hold no commitment of source {source!r}: the office has not "
                "recorded your commit yet (or these are another ceremony's events)"
            ).format(source=source)
        )
    index, signed = found[0]
    body = _body(signed)
    if body.get("signature") is not None:
        public = announced_key(announce["body"], participant)
        if public is None:
            raise VerificationError(
                _("event {index} (commit) is signed, but {participant!r} has no key").format(
                    index=index, participant=participant
                )
            )
        verify_body("commit", draw_id, body, public)
    mine = commitment(draw_id, participant, secret).hex()
    if body.get("participant") != participant or not hmac.compare_digest(
        mine, str(body.get("commitment"))
    ):
        raise CeremonyError(
            _(
                "this secret does not match the commitment of source {source!r} in event "
                "{index}: it is not the secret committed there (another secret file?)"
            ).format(source=source, index=index)
        )


def _closing_index(events: Sequence[Mapping[str, Any]], source: str) -> int:
    sources = events[0]["event"]["body"]["sources"]
    types = {s["id"]: s["type"] for s in sources}
    first_reveal = next((i for i, e in enumerate(events) if _kind(e) == "reveal"), None)
    before = events if first_reveal is None else events[:first_reveal]
    for index, signed in enumerate(before):
        kind = _kind(signed)
        entered = kind == "randomness" and types.get(_body(signed).get("source")) in _ENTERED
        if kind not in {"announce", "commit", "witness"} and not entered:
            raise CeremonyError(
                _(
                    "event {index} ({kind}) comes before any reveal: the ceremony is past "
                    "the reveal phase, or out of order; do not reveal"
                ).format(index=index, kind=kind)
            )
    for index, signed in enumerate(events[len(before) :], start=len(before)):
        if _kind(signed) != "reveal":
            raise CeremonyError(
                _("event {index} ({kind}) follows the reveals: the reveal phase is over").format(
                    index=index, kind=_kind(signed)
                )
            )
        if _body(signed).get("source") == source:
            raise CeremonyError(
                _("source {source!r} is revealed already, in event {index}").format(
                    source=source, index=index
                )
            )
    done = {(_kind(e), _body(e).get("source")) for e in before}
    for spec in sources:
        if spec["type"] == "local" and ("commit", spec["id"]) not in done:
            raise CeremonyError(
                _(
                    "source {id!r} has not committed yet: reveal only once every commitment "
                    "is recorded"
                ).format(id=spec["id"])
            )
        if spec["type"] in _ENTERED and ("randomness", spec["id"]) not in done:
            raise CeremonyError(
                _(
                    "the value of {type} source {id!r} is not recorded yet: reveal only once "
                    "every entered value is in"
                ).format(type=spec["type"], id=spec["id"])
            )
    return len(before) - 1


def make_reveal(
    key: OfficeKey,
    events: Sequence[Mapping[str, Any]],
    participant: str,
    source: str,
    secret: bytes,
) -> dict[str, Any]:
    """The signed ``reveal`` statement, after checking the events so far.

    ``closing`` is the hash of the event just before the first reveal: the last event when no
    one has revealed yet, else the event before the reveals already made (which must name the
    same ``closing``).

    Args:
        key: the participant's key.
        events: the signed events so far, the announcement first.
        participant: the participant's id.
        source: their ``local`` source.
        secret: the secret they committed to.

    Raises:
        VerificationError: an event's link or office signature, or a recorded statement's
            signature, does not verify; an earlier reveal names another ``closing``.
        CeremonyError: the participant is not announced with this key, ``source`` is not their
            local source, a commitment or entered value is missing, the secret does not match
            the commitment, or the ceremony is past its reveal phase.
    """
    check_office_events(events)
    with _readable(_("an event")):
        body, draw_id = _announcement(key, events[0], participant)
        _source(body, participant, source, {"local"})
        _check_own_commit(events, participant, source, secret)
        index = _closing_index(events, source)
        closing = event_hash(events[index])
        for later, signed in enumerate(events[index + 1 :], start=index + 1):
            named = _body(signed).get("closing")
            if named is not None and named != closing:
                raise VerificationError(
                    _(
                        "event {later} (reveal) names closing {named}…, not the hash of event "
                        "{index} ({closing}…): the events before the reveals were changed"
                    ).format(later=later, named=str(named)[:16], index=index, closing=closing[:16])
                )
    statement = {
        "act": "reveal",
        "draw_id": draw_id,
        "participant": participant,
        "source": source,
        "secret": secret.hex(),
        "closing": closing,
    }
    return sign_statement(key, statement)
