"""Signed, hash-linked ceremony events and the draw record (ceremony spec v1, sections 2 and 4)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from fairdraw.canonical import canonical_json
from fairdraw.primitives import parse_hex
from fairdraw.signing import OfficeKey

__all__ = [
    "CEREMONY_SPEC",
    "EVENT_KINDS",
    "EVENT_MEDIA_TYPE",
    "GENESIS",
    "RECORD_MEDIA_TYPE",
    "event_hash",
    "record_payload",
    "sign_event",
    "sign_record",
]

CEREMONY_SPEC = "fairdraw/ceremony/v1"
EVENT_MEDIA_TYPE = "application/vnd.fairdraw.ceremony-event.v1+json"
RECORD_MEDIA_TYPE = "application/vnd.fairdraw.draw-record.v1+json"
EVENT_KINDS = ("announce", "commit", "reveal", "randomness", "seed", "draw", "abort")
GENESIS = "0" * 64
"""The ``previous`` link of an announcement."""


def event_hash(signed: Mapping[str, Any]) -> str:
    """``H(JCS(signed event))`` in hex: what the next event links to."""
    return hashlib.sha256(canonical_json(signed)).hexdigest()


def sign_event(key: OfficeKey, event: Mapping[str, Any]) -> dict[str, Any]:
    """Wrap an event with the office's signature (tag ``event``)."""
    return {"event": dict(event), "key_id": key.key_id, "signature": key.sign("event", event).hex()}


def record_payload(draw_id: str, events: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The part of a record the office signs."""
    return {
        "media_type": RECORD_MEDIA_TYPE,
        "spec": CEREMONY_SPEC,
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
