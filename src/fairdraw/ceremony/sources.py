"""Entropy sources of a ceremony (ceremony spec v1, sections 2.3 and 3).

Each source type knows three things: how its announcement entry is checked, how much entropy it
announces, and how a contributed value is checked and turned into the bytes the seed hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fairdraw.ceremony.times import parse_time
from fairdraw.errors import CeremonyError, InputError, VerificationError
from fairdraw.labels import check_label
from fairdraw.primitives import lp
from fairdraw.randomness.drand import DrandBeacon, DrandChain
from fairdraw.randomness.nist import NistPulse, load_certificate, verify_pulse

__all__ = [
    "BEACON_TYPES",
    "MIN_SECRET_BYTES",
    "SOURCE_TYPES",
    "check_entropy",
    "check_reveal",
    "check_source",
    "commitment",
    "public_record_key",
    "value_bytes",
]

SOURCE_TYPES = ("local", "dice", "drand", "nist", "public-record")
BEACON_TYPES = frozenset({"drand", "nist"})
MIN_SECRET_BYTES = 32
MIN_ENTROPY_BITS = 128
COMMIT_TAG = b"fairdraw/v1/commit\x00"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def commitment(draw_id: str, participant: str, secret: bytes) -> bytes:
    """``H("fairdraw/v1/commit" 0x00 ‖ lp(draw id) ‖ lp(participant) ‖ secret)``."""
    if len(secret) < MIN_SECRET_BYTES:
        raise CeremonyError(f"a secret must be at least {MIN_SECRET_BYTES} bytes long")
    return hashlib.sha256(
        COMMIT_TAG + lp(draw_id.encode()) + lp(participant.encode()) + secret
    ).digest()


def _int(spec: Mapping[str, Any], name: str, low: int, high: int | None = None) -> int:
    value = spec.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise CeremonyError(f"source {spec.get('id')!r}: {name} must be an integer ≥ {low}")
    if high is not None and value > high:
        raise CeremonyError(f"source {spec.get('id')!r}: {name} must be at most {high}")
    return value


def check_source(  # noqa: PLR0912 (one branch per source type)
    spec: Mapping[str, Any], participants: set[str], announced: datetime
) -> None:
    """Check one source entry of an announcement.

    Raises:
        CeremonyError: a member is missing or wrong, or a beacon is not due after the
            announcement.
    """
    source_id = spec.get("id")
    try:
        check_label(source_id)
    except InputError as err:
        raise CeremonyError(f"a source id must be a label: {err}") from err
    kind = spec.get("type")
    if kind not in SOURCE_TYPES:
        raise CeremonyError(f"source {source_id!r}: unknown type {kind!r}")
    if kind in {"local", "dice"} and spec.get("participant") not in participants:
        raise CeremonyError(
            f"source {source_id!r}: participant {spec.get('participant')!r} unknown"
        )
    if kind == "dice":
        _int(spec, "count", 1)
        _int(spec, "sides", 2, 100)
    elif kind == "drand":
        chain = DrandChain.named(str(spec.get("chain")))
        if spec.get("chain_hash") != chain.chain_hash.hex():
            raise CeremonyError(f"source {source_id!r}: chain_hash is not the pinned chain's")
        number = _int(spec, "round", 1)
        due = chain.time_of_round(number)
        if parse_time(spec.get("round_time"), "round_time") != due:
            raise CeremonyError(f"source {source_id!r}: round {number} is due at {due}")
        if due <= announced:
            raise CeremonyError(
                f"source {source_id!r}: drand round {number} was due at {due:%Y-%m-%d %H:%M:%S}Z, "
                f"not after the announcement; announce a future round"
            )
    elif kind == "nist":
        _int(spec, "chain_index", 1)
        _int(spec, "pulse_index", 1)
        if parse_time(spec.get("pulse_time"), "pulse_time") <= announced:
            raise CeremonyError(
                f"source {source_id!r}: the NIST pulse is not due after the announcement"
            )
    elif kind == "public-record":
        if not isinstance(spec.get("description"), str) or not spec["description"].strip():
            raise CeremonyError(f"source {source_id!r}: describe the public record")
        if not isinstance(spec.get("date"), str) or not _DATE.fullmatch(spec["date"]):
            raise CeremonyError(f"source {source_id!r}: date must be YYYY-MM-DD")
        if spec["date"] <= announced.strftime("%Y-%m-%d"):
            raise CeremonyError(
                f"source {source_id!r}: the public record must be published after the "
                f"announcement's day"
            )
        _int(spec, "draws", 1)
        _int(spec, "bits", 1)


def check_entropy(sources: Sequence[Mapping[str, Any]]) -> None:
    """Refuse sources that total under 128 bits unless a beacon is among them.

    The total is compared exactly: the product of each source's number of equally likely
    outcomes against 2^128 (dice: sides^count; a local secret: 2^256; a record: 2^bits).

    Raises:
        CeremonyError: too little entropy and no beacon.
    """
    if any(spec["type"] in BEACON_TYPES for spec in sources):
        return
    outcomes = 1
    for spec in sources:
        if spec["type"] == "local":
            outcomes <<= 256
        elif spec["type"] == "dice":
            outcomes *= spec["sides"] ** spec["count"]
        elif spec["type"] == "public-record":
            outcomes <<= spec["bits"]
    if outcomes < 1 << MIN_ENTROPY_BITS:
        raise CeremonyError(
            f"the announced sources total {outcomes.bit_length() - 1} bits of entropy; at least "
            f"{MIN_ENTROPY_BITS} are needed unless a drand or NIST beacon is a source "
            f"(for example 50 rolls of a six-sided die give 129 bits)"
        )


def public_record_key(numbers: Sequence[Sequence[int]]) -> str:
    """The RFC 3797 key string: each list sorted, numbers followed by ``.``, lists by ``/``."""
    return "".join("".join(f"{n}." for n in sorted(group)) + "/" for group in numbers)


def value_bytes(spec: Mapping[str, Any], value: Mapping[str, Any]) -> bytes:
    """Check a contributed value against its announced source and return the seed bytes.

    Raises:
        CeremonyError: the value does not fit the announcement (count, range, round…).
        VerificationError: a beacon's signature or certificate does not verify.
    """
    source_id = spec["id"]
    kind = spec["type"]
    if kind == "dice":
        rolls = value.get("rolls")
        if not isinstance(rolls, list) or len(rolls) != spec["count"]:
            raise CeremonyError(f"source {source_id!r}: exactly {spec['count']} rolls are needed")
        for index, roll in enumerate(rolls, start=1):
            if (
                isinstance(roll, bool)
                or not isinstance(roll, int)
                or not 1 <= roll <= spec["sides"]
            ):
                raise CeremonyError(
                    f"source {source_id!r}: roll {index} is {roll!r}, not 1 to {spec['sides']}"
                )
        return ",".join(map(str, rolls)).encode()
    if kind == "drand":
        beacon = DrandBeacon.from_json(value)
        if beacon.round != spec["round"]:
            raise CeremonyError(
                f"source {source_id!r}: the announcement named round {spec['round']}, "
                f"not {beacon.round}"
            )
        return DrandChain.named(spec["chain"]).verify(beacon)
    if kind == "nist":
        pulse_data = value.get("pulse")
        certificate = value.get("certificate")
        if not isinstance(pulse_data, Mapping) or not isinstance(certificate, str):
            raise CeremonyError(f"source {source_id!r}: give the pulse and the certificate PEM")
        pulse = NistPulse.from_json(pulse_data)
        if (pulse.chain_index, pulse.pulse_index) != (spec["chain_index"], spec["pulse_index"]):
            raise CeremonyError(
                f"source {source_id!r}: the announcement named pulse "
                f"{spec['chain_index']}/{spec['pulse_index']}"
            )
        return verify_pulse(pulse, load_certificate(certificate.encode()))
    if kind == "public-record":
        groups = value.get("numbers")
        if (
            not isinstance(groups, list)
            or len(groups) != spec["draws"]
            or not all(isinstance(g, list) and g for g in groups)
            or not all(
                isinstance(n, int) and not isinstance(n, bool) and n >= 0 for g in groups for n in g
            )
        ):
            raise CeremonyError(
                f"source {source_id!r}: give {spec['draws']} non-empty list(s) of whole numbers"
            )
        return public_record_key(groups).encode()
    raise CeremonyError(f"source {source_id!r} of type {kind!r} takes a reveal, not a value")


def check_reveal(draw_id: str, participant: str, secret: bytes, committed: bytes) -> None:
    """Check a revealed secret against its commitment.

    Raises:
        VerificationError: they do not match.
    """
    if not hmac.compare_digest(commitment(draw_id, participant, secret), committed):
        raise VerificationError(
            f"the secret revealed by {participant!r} does not match the commitment"
        )
