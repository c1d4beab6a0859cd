"""drand: pinned chains, real beacons, and beacons that must fail."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

from fairdraw import InputError, VerificationError
from fairdraw.randomness.drand import DrandBeacon, DrandChain

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "drand" / "beacons.json").read_text()
)


def chain_of(name: str) -> DrandChain:
    return DrandChain.from_info(name, VECTORS["chains"][name])


@pytest.mark.parametrize("name", ["default", "quicknet"])
def test_pinned_chains_match_published_info(name: str) -> None:
    pinned = DrandChain.named(name)
    assert pinned == chain_of(name)
    assert pinned.chain_hash.hex() == VECTORS["chains"][name]["hash"]
    assert pinned.is_pinned


def test_testnet_is_not_pinned() -> None:
    testnet = chain_of("testnet-default")
    assert not attrs.evolve(testnet, name="default").is_pinned


@pytest.mark.parametrize("beacon", VECTORS["beacons"], ids=lambda b: f"{b['chain']}-{b['round']}")
def test_real_beacons_verify(beacon: dict[str, Any]) -> None:
    parsed = DrandBeacon.from_json(beacon)
    randomness = chain_of(beacon["chain"]).verify(parsed)
    if "randomness" in beacon:
        assert randomness.hex() == beacon["randomness"]


@pytest.mark.parametrize(
    "case", VECTORS["negative_cases"], ids=lambda b: f"{b['chain']}-{b['round']}"
)
def test_negative_cases_fail(case: dict[str, Any]) -> None:
    with pytest.raises(VerificationError, match="does not verify"):
        DrandChain.named(case["chain"]).verify(DrandBeacon.from_json(case))


@pytest.mark.parametrize("index", range(len(VECTORS["beacons"])))
@pytest.mark.parametrize("position", [0, 20, -1])
def test_any_flipped_signature_byte_fails(index: int, position: int) -> None:
    beacon = VECTORS["beacons"][index]
    parsed = DrandBeacon.from_json({k: v for k, v in beacon.items() if k != "randomness"})
    signature = bytearray(parsed.signature)
    signature[position] ^= 0x01
    with pytest.raises(VerificationError):
        chain_of(beacon["chain"]).verify(attrs.evolve(parsed, signature=bytes(signature)))


def test_chained_beacon_needs_its_previous_signature() -> None:
    beacon = DrandBeacon.from_json(VECTORS["beacons"][1])
    with pytest.raises(VerificationError, match="previous signature"):
        DrandChain.default().verify(attrs.evolve(beacon, previous_signature=None))
    wrong = bytearray(beacon.previous_signature or b"")
    wrong[5] ^= 0x80
    with pytest.raises(VerificationError):
        DrandChain.default().verify(attrs.evolve(beacon, previous_signature=bytes(wrong)))


def test_signature_for_the_other_chain_fails() -> None:
    quick = DrandBeacon.from_json(VECTORS["beacons"][4])
    with pytest.raises(VerificationError):
        DrandChain.default().verify(attrs.evolve(quick, previous_signature=bytes(96)))
    chained = DrandBeacon.from_json(VECTORS["beacons"][1])
    with pytest.raises(VerificationError):
        DrandChain.quicknet().verify(chained)


def test_tampered_chain_info_is_refused() -> None:
    info = dict(VECTORS["chains"]["default"], period=31)
    with pytest.raises(VerificationError, match="chain hash"):
        DrandChain.from_info("default", info)
    with pytest.raises(InputError, match="not supported"):
        DrandChain.from_info(
            "x", dict(VECTORS["chains"]["default"], schemeID="bls-unchained-on-g1")
        )


def test_round_timing() -> None:
    chain = DrandChain.quicknet()
    assert chain.time_of_round(1) == datetime.fromtimestamp(1692803367, UTC)
    assert chain.round_at(chain.time_of_round(657413)) == 657413
    after = chain.first_round_after(chain.time_of_round(10))
    assert after == 11
    assert chain.round_at(datetime(2020, 1, 1, tzinfo=UTC)) == 0
    with pytest.raises(InputError):
        chain.time_of_round(0)


def test_beacon_json_round_trip_and_errors() -> None:
    beacon = DrandBeacon.from_json(VECTORS["beacons"][0])
    assert DrandBeacon.from_json(beacon.to_json()) == beacon
    with pytest.raises(InputError, match="randomness"):
        DrandBeacon.from_json(dict(VECTORS["beacons"][0], randomness="00" * 32))
    with pytest.raises(InputError, match="round"):
        DrandBeacon.from_json({"round": 0, "signature": "00"})
    with pytest.raises(InputError, match="hexadecimal"):
        DrandBeacon.from_json({"round": 1, "signature": "xyz"})


@pytest.mark.parametrize("chain", ["default", "quicknet"])
@pytest.mark.parametrize("fill", [b"\xff", b"\xc0", b"\x40"])
def test_identity_encodings_are_rejected(chain: str, fill: bytes) -> None:
    """Bytes with the infinity flag decode to the identity point in arkworks: never accepted."""
    size = 96 if chain == "default" else 48
    signature = fill + bytes(size - 1) if fill != b"\xff" else fill * size
    beacon = DrandBeacon(round=5, signature=signature, previous_signature=bytes(96))
    with pytest.raises(VerificationError, match="valid curve point"):
        DrandChain.named(chain).verify(beacon)
