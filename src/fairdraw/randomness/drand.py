"""drand beacons: pinned chains and BLS signature verification.

drand is a network of independent organisations that jointly produce a BLS threshold signature
every period; no one of them can predict or bias the next value. A beacon of round ``r`` is
verified against the chain's group public key:

* the default chain (``pedersen-bls-chained``): public key on G1, signature on G2, message
  ``SHA-256(previous signature ‖ r as 8 bytes big-endian)`` (round 1's previous signature is the
  chain's genesis seed), hash-to-curve DST ``BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_``;
* quicknet (``bls-unchained-g1-rfc9380``): public key on G2, signature on G1, message
  ``SHA-256(r as 8 bytes big-endian)``, DST ``BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_``.

The randomness is ``SHA-256(signature)``; round ``r`` is due at ``genesis + (r − 1) × period``.
Chain parameters are pinned here, and the chain hash is recomputed from them
(``SHA-256(period u32 ‖ genesis i64 ‖ public key ‖ genesis seed ‖ beacon id unless "default")``)
rather than trusted. Pairings come from py-arkworks-bls12381 (arkworks, in Rust), which checks
that decompressed points lie in the prime-order subgroup.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

import attrs
from py_arkworks_bls12381 import GT, G1Point, G2Point

from fairdraw.errors import CeremonyError, InputError, VerificationError
from fairdraw.i18n import _, shown_time
from fairdraw.primitives import parse_hex
from fairdraw.randomness.base import BEACON, EntropySource
from fairdraw.times import format_time, parse_time

__all__ = ["CHAINED", "UNCHAINED_G1", "DrandBeacon", "DrandChain", "DrandSource"]

CHAINED = "pedersen-bls-chained"
UNCHAINED_G1 = "bls-unchained-g1-rfc9380"

_DST_G2 = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_"
_DST_G1 = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"


def _hex(value: object, field: str) -> bytes:
    return parse_hex(value, f"drand {field}")


def _point(kind: Any, data: bytes, size: int) -> Any:
    """Decompress a point, checked on the curve and in the subgroup, and never the identity.

    arkworks reads any bytes with the infinity flag set as the identity point, which a pairing
    check could then accept; a real key or signature is never the identity.
    """
    if len(data) != size:
        raise ValueError(_("expected {size} bytes, got {count}").format(size=size, count=len(data)))
    point = kind.from_compressed_bytes(data)
    if point == kind.identity():
        raise ValueError(_("the point at infinity is not a key or a signature"))
    return point


@attrs.frozen
class DrandBeacon:
    """One drand beacon: a round and its signature (and, on chained schemes, the previous one).

    Attributes:
        round: the round number (1 is the first).
        signature: the group's BLS signature for this round.
        previous_signature: the previous round's signature (chained schemes only).
    """

    round: int
    signature: bytes
    previous_signature: bytes | None = None

    @property
    def randomness(self) -> bytes:
        """``SHA-256(signature)``: the beacon's 32 random bytes."""
        return hashlib.sha256(self.signature).digest()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DrandBeacon:
        """Read a beacon as drand relays serve it (``round``, ``signature``, …).

        A ``randomness`` member, when present, must equal SHA-256 of the signature.

        Raises:
            InputError: a member is missing or malformed.
        """
        number = data.get("round")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise InputError(_("a drand beacon needs a positive integer round"))
        previous = data.get("previous_signature")
        beacon = cls(
            round=number,
            signature=_hex(data.get("signature"), "signature"),
            previous_signature=None if previous is None else _hex(previous, "previous_signature"),
        )
        if "randomness" in data and not hmac.compare_digest(
            _hex(data["randomness"], "randomness"), beacon.randomness
        ):
            raise InputError(
                _("drand round {number}: randomness is not SHA-256(signature)").format(
                    number=number
                )
            )
        return beacon

    def to_json(self) -> dict[str, Any]:
        """The relay form: round, randomness, signature and, if any, previous_signature."""
        data: dict[str, Any] = {
            "round": self.round,
            "randomness": self.randomness.hex(),
            "signature": self.signature.hex(),
        }
        if self.previous_signature is not None:
            data["previous_signature"] = self.previous_signature.hex()
        return data


@attrs.frozen
class DrandChain:
    """The parameters of one drand chain; use :meth:`default` or :meth:`quicknet`.

    Attributes:
        name: our name for the chain (``default``, ``quicknet``).
        public_key: the group public key (G1 for chained, G2 for unchained-g1).
        period: seconds between rounds.
        genesis_time: Unix time of round 1.
        genesis_seed: the chain's genesis seed (``groupHash``).
        scheme: ``pedersen-bls-chained`` or ``bls-unchained-g1-rfc9380``.
        beacon_id: the chain's beacon id (``default`` for the original chain).
    """

    name: str
    public_key: bytes
    period: int
    genesis_time: int
    genesis_seed: bytes
    scheme: str = attrs.field()
    beacon_id: str

    _PINNED: ClassVar[dict[str, str]] = {
        "default": "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce",
        "quicknet": "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
    }

    @scheme.validator
    def _known_scheme(self, _attribute: object, value: str) -> None:
        if value not in {CHAINED, UNCHAINED_G1}:
            raise InputError(_("drand scheme {value!r} is not supported").format(value=value))

    @classmethod
    def default(cls) -> DrandChain:
        """drand's original mainnet chain: a beacon every 30 s since 2020-07-22."""
        return cls(
            name="default",
            public_key=bytes.fromhex(
                "868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a5699"
                "37c529eeda66c7293784a9402801af31"
            ),
            period=30,
            genesis_time=1595431050,
            genesis_seed=bytes.fromhex(
                "176f93498eac9ca337150b46d21dd58673ea4e3581185f869672e59fa4cb390a"
            ),
            scheme=CHAINED,
            beacon_id="default",
        )

    @classmethod
    def quicknet(cls) -> DrandChain:
        """drand's quicknet mainnet chain: an unchained beacon every 3 s since 2023-08-23."""
        return cls(
            name="quicknet",
            public_key=bytes.fromhex(
                "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c"
                "8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb"
                "5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
            ),
            period=3,
            genesis_time=1692803367,
            genesis_seed=bytes.fromhex(
                "f477d5c89f21a17c863a7f937c6a6d15859414d2be09cd448d4279af331c5d3e"
            ),
            scheme=UNCHAINED_G1,
            beacon_id="quicknet",
        )

    @classmethod
    def named(cls, name: str) -> DrandChain:
        """A pinned chain by name: ``default`` or ``quicknet``."""
        if name == "default":
            return cls.default()
        if name == "quicknet":
            return cls.quicknet()
        raise InputError(
            _("unknown drand chain {name!r}; pinned chains: default, quicknet").format(name=name)
        )

    @classmethod
    def from_info(cls, name: str, info: Mapping[str, Any]) -> DrandChain:
        """A chain from a relay's ``/info`` JSON, checked against the hash it claims.

        Raises:
            InputError: a member is missing or malformed.
            VerificationError: the parameters do not hash to the published chain hash.
        """
        try:
            metadata = info.get("metadata") or {}
            chain = cls(
                name=name,
                public_key=_hex(info["public_key"], "public_key"),
                period=int(info["period"]),
                genesis_time=int(info["genesis_time"]),
                genesis_seed=_hex(info["groupHash"], "groupHash"),
                scheme=str(info["schemeID"]),
                beacon_id=str(metadata.get("beaconID", "default")),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(_("drand chain info lacks or garbles {err}").format(err=err)) from err
        claimed = _hex(info.get("hash", ""), "hash")
        if not hmac.compare_digest(claimed, chain.chain_hash):
            raise VerificationError(
                _(
                    "drand chain {name!r}: its parameters hash to {chain_hash}, not to the "
                    "published chain hash {claimed}"
                ).format(name=name, chain_hash=chain.chain_hash.hex(), claimed=claimed.hex())
            )
        return chain

    @property
    def chain_hash(self) -> bytes:
        """The chain hash, recomputed from the parameters."""
        data = struct.pack(">Iq", self.period, self.genesis_time)
        data += self.public_key + self.genesis_seed
        if self.beacon_id != "default":
            data += self.beacon_id.encode()
        return hashlib.sha256(data).digest()

    @property
    def is_pinned(self) -> bool:
        """True when these parameters are those of a chain pinned in fairdraw."""
        pinned = self._PINNED.get(self.name)
        return pinned is not None and hmac.compare_digest(bytes.fromhex(pinned), self.chain_hash)

    def time_of_round(self, number: int) -> datetime:
        """When round ``number`` is due (UTC)."""
        if number < 1:
            raise InputError(_("drand rounds start at 1, not {number}").format(number=number))
        return datetime.fromtimestamp(self.genesis_time + (number - 1) * self.period, UTC)

    def round_at(self, when: datetime) -> int:
        """The latest round due at ``when`` (0 before genesis)."""
        seconds = int(when.timestamp())
        if seconds < self.genesis_time:
            return 0
        return (seconds - self.genesis_time) // self.period + 1

    def first_round_after(self, when: datetime) -> int:
        """The first round due strictly after ``when``: the round to announce in advance."""
        return max(1, self.round_at(when) + 1)

    def source_entry(self, source_id: str, number: int) -> dict[str, Any]:
        """The announcement's entry for round ``number`` of this chain (ceremony spec 3)."""
        return {
            "id": source_id,
            "type": "drand",
            "chain": self.name,
            "chain_hash": self.chain_hash.hex(),
            "round": number,
            "round_time": format_time(self.time_of_round(number)),
        }

    def verify(self, beacon: DrandBeacon) -> bytes:
        """Verify a beacon of this chain and return its randomness.

        Raises:
            VerificationError: the signature does not verify, or a chained beacon lacks its
                previous signature.
        """
        where = _("drand {chain} round {round}").format(chain=self.name, round=beacon.round)
        round_bytes = struct.pack(">Q", beacon.round)
        try:
            if self.scheme == CHAINED:
                if beacon.previous_signature is None:
                    raise VerificationError(
                        _("{where}: the previous signature is needed").format(where=where)
                    )
                message = hashlib.sha256(beacon.previous_signature + round_bytes).digest()
                public_g1 = _point(G1Point, self.public_key, 48)
                signature_g2 = _point(G2Point, beacon.signature, 96)
                valid = GT.pairing_check(
                    [-G1Point(), public_g1],
                    [signature_g2, G2Point.hash_to_curve(message, _DST_G2)],
                )
            else:
                message = hashlib.sha256(round_bytes).digest()
                signature_g1 = _point(G1Point, beacon.signature, 48)
                public_g2 = _point(G2Point, self.public_key, 96)
                valid = GT.pairing_check(
                    [signature_g1, -G1Point.hash_to_curve(message, _DST_G1)],
                    [G2Point(), public_g2],
                )
        except ValueError as err:  # malformed, off-curve, out-of-subgroup or identity points
            raise VerificationError(
                _("{where}: the signature is not a valid curve point").format(where=where)
            ) from err
        if not valid:
            raise VerificationError(
                _(
                    "{where}: the BLS signature does not verify against the chain's public key"
                ).format(where=where)
            )
        return beacon.randomness


class DrandSource(EntropySource):
    """A drand beacon round of a pinned chain, announced before it is due."""

    type = "drand"
    is_beacon = True

    def _check(self, spec: Mapping[str, Any], participants: set[str], announced: datetime) -> None:
        source_id = spec["id"]
        chain = DrandChain.named(str(spec.get("chain")))
        if spec.get("chain_hash") != chain.chain_hash.hex():
            raise CeremonyError(
                _("source {source_id!r}: chain_hash is not the pinned chain's").format(
                    source_id=source_id
                )
            )
        number = self.require_int(spec, "round", 1)
        due = chain.time_of_round(number)
        if parse_time(spec.get("round_time"), "round_time") != due:
            raise CeremonyError(
                _("source {source_id!r}: round {number} is due at {due}").format(
                    source_id=source_id, number=number, due=shown_time(due)
                )
            )
        if due <= announced:
            raise CeremonyError(
                _(
                    "source {source_id!r}: drand round {number} was due at {due}, not after the "
                    "announcement; announce a future round"
                ).format(source_id=source_id, number=number, due=shown_time(due))
            )

    def _outcomes(self, spec: Mapping[str, Any]) -> int:
        return BEACON

    def _value_bytes(self, spec: Mapping[str, Any], value: Mapping[str, Any]) -> bytes:
        beacon = DrandBeacon.from_json(value)
        if beacon.round != spec["round"]:
            raise CeremonyError(
                _("source {id!r}: the announcement named round {round}, not {round2}").format(
                    id=spec["id"], round=spec["round"], round2=beacon.round
                )
            )
        return DrandChain.named(spec["chain"]).verify(beacon)
