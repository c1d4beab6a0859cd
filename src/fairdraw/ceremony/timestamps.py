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
from fairdraw.i18n import _
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
        raise CeremonyError(_("a timestamp names its authority (a non-empty label)"))
    try:
        certificate = certificate_pem.decode("ascii")
    except UnicodeDecodeError as err:
        raise CeremonyError(_("the TSA certificate must be PEM text")) from err
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
        raise VerificationError(
            _("the timestamp token is not base64: {err}").format(err=err)
        ) from err


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
        raise VerificationError(
            _("a timestamp body has the members {members}, not {expected}").format(
                members=members, expected=_MEMBERS
            )
        )
    where = _("the timestamp of {authority!r}").format(authority=body["authority"])
    if not isinstance(body["authority"], str) or not body["authority"].strip():
        raise VerificationError(_("a timestamp names its authority (a non-empty label)"))
    if not isinstance(body["certificate"], str):
        raise VerificationError(_("{where}: the certificate is not PEM text").format(where=where))
    try:
        seen = tsa.verify_timestamp(
            _token(body), event_hash(events[0]), body["certificate"].encode("ascii")
        )
    except (VerificationError, UnicodeEncodeError) as err:
        raise VerificationError(_("{where}: {err}").format(where=where, err=err)) from err
    stated = parse_time(
        body["time"], _("the timestamp of {authority!r} time").format(authority=body["authority"])
    )
    if format_time(seen) != body["time"]:
        raise VerificationError(
            _("{where}: its token says {token_time}, not {stated}").format(
                where=where, token_time=format_time(seen), stated=stated
            )
        )
    announced = parse_time(events[0]["event"]["time"])
    if not announced <= stated <= when:
        raise VerificationError(
            _(
                "{where}: its time {time} is not between the announcement "
                "({announced}) and the event that records it ({recorded})"
            ).format(
                where=where,
                time=body["time"],
                announced=format_time(announced),
                recorded=format_time(when),
            )
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
            raise VerificationError(
                _("the pinned TSA certificate (--tsa-cert): {err}").format(err=err)
            ) from err
    seen = []
    for signed in events:
        event = signed["event"]
        if event["kind"] != "timestamp":
            continue
        where = _("event {sequence} ({kind})").format(sequence=event["sequence"], kind="timestamp")
        try:
            check_timestamp(event["body"], events, parse_time(event["time"]))
        except FairdrawError as err:
            raise VerificationError(_("{where}: {err}").format(where=where, err=err)) from err
        fingerprint = tsa.certificate_fingerprint(event["body"]["certificate"].encode("ascii"))
        authority = event["body"]["authority"]
        if pinned is not None and fingerprint not in trusted:
            raise VerificationError(
                _(
                    "{where}: the TSA certificate of {authority!r} has SHA-256 fingerprint "
                    "{fingerprint}, which is not a pinned one (--tsa-cert)"
                ).format(where=where, authority=authority, fingerprint=fingerprint)
            )
        seen.append(
            _("{authority!r} at {time} (certificate SHA-256 {fingerprint})").format(
                authority=authority, time=event["body"]["time"], fingerprint=fingerprint
            )
        )
    listed = _("; ").join(seen)
    if pinned is None:
        return False, _(
            "each timestamp verifies against the certificate the record carries: {listed}; but "
            "the record's certificate is no trust anchor: compare each fingerprint with the one "
            "the authority publishes, or pass its certificate (--tsa-cert FILE)"
        ).format(listed=listed)
    return True, _("each timestamp is signed by a pinned TSA certificate: {listed}").format(
        listed=listed
    )


def _split_pem(text: bytes) -> list[bytes]:
    marker = b"-----BEGIN CERTIFICATE-----"
    parts = [marker + p for p in text.split(marker)[1:]]
    if not parts:
        raise VerificationError(_("no PEM certificate found"))
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
