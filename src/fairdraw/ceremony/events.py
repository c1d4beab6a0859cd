"""Signed, hash-linked ceremony events and the draw record (ceremony specs v1 and v2).

:func:`verify_events` checks a sequence of signed events; both a resumed :class:`Ceremony` and
the verification of a record use it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from fairdraw.canonical import canonical_json
from fairdraw.errors import FairdrawError, VerificationError
from fairdraw.i18n import _
from fairdraw.primitives import parse_hex
from fairdraw.signing import OfficeKey, PublicKey
from fairdraw.times import parse_time

__all__ = [
    "CEREMONY_SPEC",
    "CEREMONY_SPEC_V1",
    "EVENT_KINDS",
    "EVENT_KINDS_BY_SPEC",
    "EVENT_MEDIA_TYPE",
    "EVENT_MEDIA_TYPES",
    "GENESIS",
    "RECORD_MEDIA_TYPE",
    "RECORD_MEDIA_TYPES",
    "event_hash",
    "record_payload",
    "sign_event",
    "sign_record",
    "spec_of",
    "verify_events",
]

CEREMONY_SPEC_V1 = "fairdraw/ceremony/v1"
CEREMONY_SPEC = "fairdraw/ceremony/v2"
"""The version new ceremonies follow."""
EVENT_MEDIA_TYPES = {
    CEREMONY_SPEC_V1: "application/vnd.fairdraw.ceremony-event.v1+json",
    CEREMONY_SPEC: "application/vnd.fairdraw.ceremony-event.v2+json",
}
RECORD_MEDIA_TYPES = {
    CEREMONY_SPEC_V1: "application/vnd.fairdraw.draw-record.v1+json",
    CEREMONY_SPEC: "application/vnd.fairdraw.draw-record.v2+json",
}
EVENT_MEDIA_TYPE = EVENT_MEDIA_TYPES[CEREMONY_SPEC]
RECORD_MEDIA_TYPE = RECORD_MEDIA_TYPES[CEREMONY_SPEC]
EVENT_KINDS_BY_SPEC = {
    CEREMONY_SPEC_V1: ("announce", "commit", "reveal", "randomness", "seed", "draw", "abort"),
    CEREMONY_SPEC: (
        "announce",
        "commit",
        "witness",
        "timestamp",
        "reveal",
        "randomness",
        "seed",
        "draw",
        "abort",
    ),
}
EVENT_KINDS = EVENT_KINDS_BY_SPEC[CEREMONY_SPEC]
GENESIS = "0" * 64
"""The ``previous`` link of an announcement."""


def event_hash(signed: Mapping[str, Any]) -> str:
    """``H(JCS(signed event))`` in hex: what the next event links to."""
    return hashlib.sha256(canonical_json(signed)).hexdigest()


def sign_event(key: OfficeKey, event: Mapping[str, Any]) -> dict[str, Any]:
    """Wrap an event with the office's signature (tag ``event``)."""
    return {"event": dict(event), "key_id": key.key_id, "signature": key.sign("event", event).hex()}


def spec_of(events: Sequence[Mapping[str, Any]]) -> str:
    """The ceremony version the events follow: their announcement's ``spec`` (v2 if unknown)."""
    try:
        spec = events[0]["event"]["spec"]
    except (IndexError, KeyError, TypeError):
        return CEREMONY_SPEC
    return spec if spec in EVENT_MEDIA_TYPES else CEREMONY_SPEC


def record_payload(draw_id: str, events: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The part of a record the office signs (of the events' ceremony version)."""
    spec = spec_of(events)
    return {
        "media_type": RECORD_MEDIA_TYPES[spec],
        "spec": spec,
        "draw_id": draw_id,
        "events": [dict(e) for e in events],
    }


def sign_record(
    key: OfficeKey, draw_id: str, events: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """A complete, signed draw record."""
    payload = record_payload(draw_id, events)
    return {**payload, "key_id": key.key_id, "signature": key.sign("record", payload).hex()}


def hex_bytes(value: object, what: str) -> bytes:
    """Decode a hex member of a record."""
    return parse_hex(value, what)


def _announced_office(events: Sequence[Mapping[str, Any]]) -> tuple[PublicKey, str]:
    """The office key and draw id the announcement names, with the key id checked."""
    if not events:
        raise VerificationError(_("there are no events"))
    try:
        announced_key = events[0]["event"]["body"]["office_key"]
        office = PublicKey.from_hex(announced_key["public_key"])
        draw_id = events[0]["event"]["draw_id"]
    except (KeyError, TypeError, FairdrawError) as err:
        raise VerificationError(
            _("the announcement does not name the office key: {err}").format(err=err)
        ) from err
    if announced_key.get("key_id") != office.key_id or announced_key.get("algorithm") != "ed25519":
        raise VerificationError(
            _("the announcement's office key id is not the SHA-256 of its Ed25519 public key")
        )
    return office, draw_id


def verify_events(events: Sequence[Mapping[str, Any]]) -> PublicKey:
    """Check the structure, links and office signatures of a sequence of signed events.

    Returns:
        The office key the announcement names.

    Raises:
        VerificationError: the first problem, naming the event.
    """
    office, draw_id = _announced_office(events)
    spec = events[0].get("event", {}).get("spec")
    if spec not in EVENT_MEDIA_TYPES:
        raise VerificationError(
            _("event 0: not a fairdraw ceremony event (spec {spec!r})").format(spec=spec)
        )
    media_type, kinds = EVENT_MEDIA_TYPES[spec], EVENT_KINDS_BY_SPEC[spec]
    previous, last_time = GENESIS, None
    for index, signed in enumerate(events):
        where = _("event {sequence}").format(sequence=index)
        try:
            event = signed["event"]
            where = _("event {sequence} ({kind})").format(sequence=index, kind=event.get("kind"))
            if event.get("media_type") != media_type or event.get("spec") != spec:
                raise VerificationError(
                    _("{where}: not a {spec} event like the announcement").format(
                        where=where, spec=spec
                    )
                )
            if event.get("draw_id") != draw_id:
                raise VerificationError(
                    _("{where}: it belongs to draw {draw_id!r}").format(
                        where=where, draw_id=event.get("draw_id")
                    )
                )
            if event.get("sequence") != index:
                raise VerificationError(
                    _("{where}: sequence {sequence} out of place").format(
                        where=where, sequence=event.get("sequence")
                    )
                )
            if event.get("kind") not in kinds or (index == 0) != (event.get("kind") == "announce"):
                raise VerificationError(_("{where}: kind out of place").format(where=where))
            if event.get("previous") != previous:
                raise VerificationError(
                    _(
                        "{where}: it does not link to the event before it (an event was "
                        "removed, inserted, reordered or changed)"
                    ).format(where=where)
                )
            when = parse_time(event.get("time"), f"event {index} time")
            if last_time is not None and when < last_time:
                raise VerificationError(
                    _("{where}: its time is earlier than the event before").format(where=where)
                )
            if signed.get("key_id") != office.key_id:
                raise VerificationError(_("{where}: signed by another key").format(where=where))
            office.verify("event", event, hex_bytes(signed.get("signature"), "signature"))
        except VerificationError:
            raise
        except (KeyError, TypeError, AttributeError, FairdrawError) as err:
            raise VerificationError(
                _("{where}: malformed ({err})").format(where=where, err=err)
            ) from err
        previous, last_time = event_hash(signed), when
    return office
