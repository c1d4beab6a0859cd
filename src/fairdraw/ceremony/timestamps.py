"""``timestamp`` events: an RFC 3161 timestamp over the announcement (ceremony spec v2, 5.1).

A running :class:`~fairdraw.ceremony.Ceremony` checks a timestamp before recording it; the
verification of a record checks each one again, offline, and the analysis of who could have
chosen the outcome counts a TSA that saw the announcement before every beacon as an attester.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fairdraw.ceremony.events import event_hash
from fairdraw.ceremony.rules import due_of
from fairdraw.errors import CeremonyError, FairdrawError, VerificationError
from fairdraw.times import format_time, parse_time

__all__ = [
    "TSA_PREFIX",
    "check_timestamp",
    "timestamp_body",
    "timestamps_check",
    "tsa_attesters",
]

TSA_PREFIX = "tsa:"
"""The party id of a time-stamping authority is this and its ``authority`` label."""
_MEMBERS = {"authority", "token", "certificate", "time"}


def timestamp_body(token: bytes, certificate_pem: bytes, authority: str) -> dict[str, Any]:
    """The body of a ``timestamp`` event (its ``time`` read from the token, unchecked).

    Raises:
        CeremonyError: the authority label is empty or the certificate is not text.
        VerificationError: the token is not an RFC 3161 reply.
    """
    from fairdraw import timestamp as tsa  # noqa: PLC0415 (rfc3161-client loads slowly)

    if not isinstance(authority, str) or not authority.strip():
        raise CeremonyError("a timestamp names its authority (a non-empty label)")
    try:
        certificate = certificate_pem.decode("ascii")
    except UnicodeDecodeError as err:
        raise CeremonyError("the TSA certificate must be PEM text") from err
    return {
        "authority": authority,
        "token": base64.b64encode(token).decode("ascii"),
        "certificate": certificate,
        "time": format_time(tsa.read_timestamp(token).time),
    }


def _token(body: Mapping[str, Any]) -> bytes:
    try:
        return base64.b64decode(str(body["token"]), validate=True)
    except (binascii.Error, ValueError) as err:
        raise VerificationError(f"the timestamp token is not base64: {err}") from err


def check_timestamp(
    body: Mapping[str, Any], events: Sequence[Mapping[str, Any]], when: datetime
) -> datetime:
    """Check a timestamp body against the announcement and the time it is recorded at.

    The token must verify offline against the certificate the body carries (which is not a
    trust anchor: see :func:`timestamps_check`), be over the announcement's hash, and its time
    must be at or after the announcement and at or before ``when``.

    Returns:
        The TSA's time, to whole seconds.

    Raises:
        VerificationError: a member is missing or extra, the token does not verify, or its time
            is out of bounds or not the body's ``time``; the message names the authority.
    """
    from fairdraw import timestamp as tsa  # noqa: PLC0415 (rfc3161-client loads slowly)

    if not isinstance(body, Mapping) or set(body) != _MEMBERS:
        members = sorted(body) if isinstance(body, Mapping) else body
        raise VerificationError(f"a timestamp body has the members {members}, not {_MEMBERS}")
    where = f"the timestamp of {body['authority']!r}"
    if not isinstance(body["authority"], str) or not body["authority"].strip():
        raise VerificationError("a timestamp names its authority (a non-empty label)")
    if not isinstance(body["certificate"], str):
        raise VerificationError(f"{where}: the certificate is not PEM text")
    try:
        seen = tsa.verify_timestamp(
            _token(body), event_hash(events[0]), body["certificate"].encode("ascii")
        )
    except (VerificationError, UnicodeEncodeError) as err:
        raise VerificationError(f"{where}: {err}") from err
    stated = parse_time(body["time"], f"{where} time")
    if format_time(seen) != body["time"]:
        raise VerificationError(f"{where}: its token says {format_time(seen)}, not {stated}")
    announced = parse_time(events[0]["event"]["time"])
    if not announced <= stated <= when:
        raise VerificationError(
            f"{where}: its time {body['time']} is not between the announcement "
            f"({format_time(announced)}) and the event that records it ({format_time(when)})"
        )
    return stated


def timestamps_check(events: Sequence[Mapping[str, Any]], pinned: bytes | None) -> tuple[bool, str]:
    """The verification check of every ``timestamp`` event (spec v2, section 5.1).

    Args:
        events: the record's signed events.
        pinned: PEM certificates the verifier trusts as TSAs (``--tsa-cert``), or None.

    Returns:
        Whether the certificates are pinned (without ``pinned``, every timestamp verifies
        against the certificate it carries, but nothing says that certificate is the
        authority's: the check is not made), and the check's detail, with each TSA
        certificate's SHA-256 fingerprint.

    Raises:
        VerificationError: a timestamp does not verify, or its certificate is not pinned.
    """
    from fairdraw import timestamp as tsa  # noqa: PLC0415 (rfc3161-client loads slowly)

    trusted = set()
    if pinned is not None:
        try:
            trusted = {tsa.certificate_fingerprint(p) for p in _split_pem(pinned)}
        except FairdrawError as err:
            raise VerificationError(f"the pinned TSA certificate (--tsa-cert): {err}") from err
    seen = []
    for signed in events:
        event = signed["event"]
        if event["kind"] != "timestamp":
            continue
        where = f"event {event['sequence']} (timestamp)"
        try:
            check_timestamp(event["body"], events, parse_time(event["time"]))
        except FairdrawError as err:
            raise VerificationError(f"{where}: {err}") from err
        fingerprint = tsa.certificate_fingerprint(event["body"]["certificate"].encode("ascii"))
        authority = event["body"]["authority"]
        if pinned is not None and fingerprint not in trusted:
            raise VerificationError(
                f"{where}: the TSA certificate of {authority!r} has SHA-256 fingerprint "
                f"{fingerprint}, which is not a pinned one (--tsa-cert)"
            )
        seen.append(f"{authority!r} at {event['body']['time']} (certificate SHA-256 {fingerprint})")
    listed = "; ".join(seen)
    if pinned is None:
        return False, (
            f"each timestamp verifies against the certificate the record carries: {listed}; but "
            f"the record's certificate is no trust anchor: compare each fingerprint with the one "
            f"the authority publishes, or pass its certificate (--tsa-cert FILE)"
        )
    return True, f"each timestamp is signed by a pinned TSA certificate: {listed}"


def _split_pem(text: bytes) -> list[bytes]:
    marker = b"-----BEGIN CERTIFICATE-----"
    parts = [marker + p for p in text.split(marker)[1:]]
    if not parts:
        raise VerificationError("no PEM certificate found")
    return parts


def tsa_attesters(body: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The TSAs whose time, plus their stated accuracy, is before every beacon's due time, by
    party id (``tsa:<authority>``) with their names (spec v2, sections 5.1 and 7.1).

    A token that cannot be read, or is over another announcement, attests nothing (the
    timestamps check fails on it).
    """
    from fairdraw import timestamp as tsa  # noqa: PLC0415 (rfc3161-client loads slowly)

    announcement = event_hash(events[0])
    dues = [d for d in (due_of(s) for s in body["sources"]) if d is not None]
    announced = parse_time(events[0]["event"]["time"])
    found: dict[str, str] = {}
    for signed in events:
        event = signed["event"]
        if event["kind"] != "timestamp":
            continue
        try:
            info = tsa.read_timestamp(_token(event["body"]))
        except (FairdrawError, KeyError, TypeError):
            continue
        authority = str(event["body"]["authority"])
        if info.imprint != announcement:
            continue
        if announced <= info.time and all(info.latest < due for due in dues):
            found[f"{TSA_PREFIX}{authority}"] = authority
    return found
