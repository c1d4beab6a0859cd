"""Reading a record's members: the shape checks every part of the read model shares.

Each helper names the member it could not read (``announcement.sources[drand]: no member
'round_time'``), so that a malformed record is reported by where it went wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fairdraw.ceremony.events import CEREMONY_SPEC, CEREMONY_SPEC_V1
from fairdraw.errors import FairdrawError, VerificationError
from fairdraw.i18n import _
from fairdraw.times import parse_time

__all__ = [
    "VERSIONS",
    "MalformedRecordError",
    "member",
    "optional",
    "time_member",
    "version_of",
]

VERSIONS = {CEREMONY_SPEC_V1: 1, CEREMONY_SPEC: 2}
"""The ceremony specs a record may follow, with their version number."""


class MalformedRecordError(VerificationError):
    """A record or event lacks a member, or has one of the wrong type; the message says which."""

    code = "verification.malformed"


def member(data: object, name: str, kind: type | tuple[type, ...], where: str) -> Any:
    """The member ``name`` of a JSON object, of type ``kind``.

    Args:
        data: the object read.
        name: the member.
        kind: the type (or types) it must have; ``int`` refuses a boolean.
        where: what ``data`` is, for the message (``announcement.sources[drand]``).

    Raises:
        MalformedRecordError: ``data`` is not an object, lacks the member, or has one of another
            type.
    """
    if not isinstance(data, Mapping):
        raise MalformedRecordError(_("{where}: not a JSON object").format(where=where))
    if name not in data:
        raise MalformedRecordError(_("{where}: no member {name!r}").format(where=where, name=name))
    value = data[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise MalformedRecordError(
            _("{where}.{name}: wrong type ({type})").format(
                where=where, name=name, type=type(value).__name__
            )
        )
    return value


def optional(data: Mapping[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    """The member ``name`` if it is there and not null, else None.

    Raises:
        MalformedRecordError: it is there, not null, and of another type than ``kind``.
    """
    if data.get(name) is None:
        return None
    return member(data, name, kind, where)


def time_member(data: object, name: str, where: str) -> datetime:
    """A member holding an RFC 3339 time (``2026-05-12T09:00:00Z``), read.

    Raises:
        MalformedRecordError: it is missing, not a string, or not such a time.
    """
    text = member(data, name, str, where)
    try:
        return parse_time(text, f"{where}.{name}")
    except FairdrawError as err:
        raise MalformedRecordError(str(err)) from err


def version_of(spec: object, where: str) -> int:
    """The version number (1 or 2) of a ceremony spec (``fairdraw/ceremony/v2``).

    Raises:
        MalformedRecordError: it is not a spec fairdraw knows.
    """
    if not isinstance(spec, str) or spec not in VERSIONS:
        raise MalformedRecordError(
            _("{where}.spec: not a fairdraw ceremony spec ({spec!r})").format(
                where=where, spec=spec
            )
        )
    return VERSIONS[spec]
