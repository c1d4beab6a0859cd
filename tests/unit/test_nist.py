"""NIST Beacon 2.0 pulses: the real pulses verify; every tampered one fails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from fairdraw import InputError, VerificationError
from fairdraw.randomness.nist import NistPulse, load_certificate, verify_pulse

NIST = Path(__file__).parents[1] / "vectors" / "nist"


def pulse_json(index: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((NIST / f"pulse_2_{index}.json").read_text())
    return data


@pytest.fixture(scope="module")
def certificate() -> Any:
    return load_certificate((NIST / "certificate_528943a5.pem").read_bytes())


@pytest.mark.parametrize("index", [1921299, 1921300])
def test_real_pulses_verify(index: int, certificate: Any) -> None:
    pulse = NistPulse.from_json(pulse_json(index))
    assert verify_pulse(pulse, certificate) == pulse.output_value
    assert len(pulse.output_value) == 64


def test_consecutive_pulses_chain(certificate: Any) -> None:
    first = NistPulse.from_json(pulse_json(1921299))
    second = NistPulse.from_json(pulse_json(1921300))
    verify_pulse(second, certificate, previous=first)
    with pytest.raises(VerificationError, match="not the one before"):
        verify_pulse(first, certificate, previous=second)


BYTE_FIELDS = [
    "certificate_id",
    "local_random_value",
    "external_source_id",
    "external_value",
    "precommitment_value",
    "signature_value",
    "output_value",
]


@pytest.mark.parametrize("field", BYTE_FIELDS)
@pytest.mark.parametrize("position", [0, -1])
def test_any_flipped_byte_fails(field: str, position: int, certificate: Any) -> None:
    pulse = NistPulse.from_json(pulse_json(1921300))
    value = bytearray(getattr(pulse, field))
    value[position] ^= 0x01
    with pytest.raises(VerificationError):
        verify_pulse(attrs.evolve(pulse, **{field: bytes(value)}), certificate)


@pytest.mark.parametrize(
    "change",
    [
        {"pulse_index": 1921301},
        {"chain_index": 1},
        {"period": 60001},
        {"status_code": 1},
        {"external_status_code": 1},
        {"uri": "https://beacon.nist.gov/beacon/2.0/chain/2/pulse/1921301"},
        {"time_stamp": "2026-08-31T19:05:00.000Z"},
    ],
)
def test_any_changed_field_fails(change: dict[str, Any], certificate: Any) -> None:
    pulse = NistPulse.from_json(pulse_json(1921300))
    with pytest.raises(VerificationError):
        verify_pulse(attrs.evolve(pulse, **change), certificate)


def test_list_value_tampering_fails(certificate: Any) -> None:
    pulse = NistPulse.from_json(pulse_json(1921300))
    values = [(kind, bytes(64) if kind == "hour" else value) for kind, value in pulse.list_values]
    with pytest.raises(VerificationError, match="signature"):
        verify_pulse(attrs.evolve(pulse, list_values=tuple(values)), certificate)


def test_chain_checks_name_what_broke(certificate: Any) -> None:
    first = NistPulse.from_json(pulse_json(1921299))
    second = NistPulse.from_json(pulse_json(1921300))
    with pytest.raises(VerificationError, match="precommitmentValue"):
        verify_pulse(
            second, certificate, previous=attrs.evolve(first, precommitment_value=bytes(64))
        )
    with pytest.raises(VerificationError, match=r"listValues\.previous"):
        verify_pulse(second, certificate, previous=attrs.evolve(first, output_value=bytes(64)))


def test_certificate_must_be_valid_at_the_pulse_time(certificate: Any) -> None:
    pulse = NistPulse.from_json(pulse_json(1921300))
    assert certificate.not_valid_after_utc.year == 2026
    with pytest.raises(VerificationError, match="validity"):
        verify_pulse(attrs.evolve(pulse, time_stamp="2027-01-01T00:00:00.000Z"), certificate)


def test_malformed_pulse_and_certificate() -> None:
    data = pulse_json(1921300)
    del data["pulse"]["outputValue"]
    with pytest.raises(InputError, match="outputValue"):
        NistPulse.from_json(data)
    data = pulse_json(1921300)
    data["pulse"]["localRandomValue"] = "zz"
    with pytest.raises(InputError, match="localRandomValue"):
        NistPulse.from_json(data)
    with pytest.raises(InputError):
        load_certificate(b"not a certificate")
