"""NIST Randomness Beacon 2.0 pulses: parsing and verification.

A pulse is a signed 512-bit random value published every minute by NIST. Verifying one means
(cipher suite 0, the only one NIST uses):

1. the certificate is the one the pulse names: ``certificateId = SHA-512(certificate DER)``;
2. the certificate was valid at the pulse's ``timeStamp`` (certificates rotate yearly);
3. the RSA PKCS #1 v1.5 / SHA-512 signature verifies over the pulse's fields serialised in order,
   big-endian, strings and byte fields length-prefixed with 4 bytes (:func:`signed_message`);
4. ``outputValue = SHA-512(signed message ‖ signatureValue)``;
5. given the previous pulse: the indices follow, ``listValues.previous`` is the previous
   ``outputValue``, and the previous ``precommitmentValue = SHA-512(localRandomValue)``.

The output value is what a draw uses.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

if TYPE_CHECKING:
    from cryptography import x509

from fairdraw.errors import CeremonyError, InputError, VerificationError
from fairdraw.i18n import _
from fairdraw.primitives import parse_hex
from fairdraw.randomness.base import BEACON, EntropySource
from fairdraw.times import parse_time

__all__ = ["LIST_VALUE_TYPES", "NistPulse", "NistSource", "load_certificate", "verify_pulse"]

LIST_VALUE_TYPES = ("previous", "hour", "day", "month", "year")
"""The list values a pulse carries, in the order they are signed."""


def _hex(value: Any, field: str) -> bytes:
    return parse_hex(value, _("NIST pulse field {field}").format(field=field))


def _int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(_("NIST pulse field {field} must be an integer").format(field=field))
    return value


def _str(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise InputError(_("NIST pulse field {field} must be a string").format(field=field))
    return value


@attrs.frozen
class NistPulse:
    """One NIST Beacon 2.0 pulse, with its byte fields decoded."""

    uri: str
    version: str
    cipher_suite: int
    period: int
    certificate_id: bytes
    chain_index: int
    pulse_index: int
    time_stamp: str
    local_random_value: bytes
    external_source_id: bytes
    external_status_code: int
    external_value: bytes
    list_values: tuple[tuple[str, bytes], ...]
    precommitment_value: bytes
    status_code: int
    signature_value: bytes
    output_value: bytes

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NistPulse:
        """Read a pulse as NIST serves it (``{"pulse": {...}}``) or the inner object.

        Raises:
            InputError: a field is missing or has the wrong type; the message names it.
        """
        pulse = data.get("pulse", data)
        if not isinstance(pulse, Mapping):
            raise InputError(_("a NIST pulse must be a JSON object"))
        try:
            external = pulse["external"]
            by_type = {_str(v["type"], "listValues.type"): v["value"] for v in pulse["listValues"]}
            list_values = tuple(
                (kind, _hex(by_type[kind], f"listValues[{kind}]")) for kind in LIST_VALUE_TYPES
            )
            return cls(
                uri=_str(pulse["uri"], "uri"),
                version=_str(pulse["version"], "version"),
                cipher_suite=_int(pulse["cipherSuite"], "cipherSuite"),
                period=_int(pulse["period"], "period"),
                certificate_id=_hex(pulse["certificateId"], "certificateId"),
                chain_index=_int(pulse["chainIndex"], "chainIndex"),
                pulse_index=_int(pulse["pulseIndex"], "pulseIndex"),
                time_stamp=_str(pulse["timeStamp"], "timeStamp"),
                local_random_value=_hex(pulse["localRandomValue"], "localRandomValue"),
                external_source_id=_hex(external["sourceId"], "external.sourceId"),
                external_status_code=_int(external["statusCode"], "external.statusCode"),
                external_value=_hex(external["value"], "external.value"),
                list_values=list_values,
                precommitment_value=_hex(pulse["precommitmentValue"], "precommitmentValue"),
                status_code=_int(pulse["statusCode"], "statusCode"),
                signature_value=_hex(pulse["signatureValue"], "signatureValue"),
                output_value=_hex(pulse["outputValue"], "outputValue"),
            )
        except (KeyError, TypeError) as err:
            raise InputError(_("a NIST pulse lacks the field {err}").format(err=err)) from err

    @property
    def timestamp(self) -> datetime:
        """The pulse's time stamp as an aware UTC datetime."""
        try:
            return datetime.fromisoformat(self.time_stamp.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError as err:
            raise InputError(
                _("NIST pulse timeStamp {time_stamp!r} is not ISO 8601").format(
                    time_stamp=self.time_stamp
                )
            ) from err

    def list_value(self, kind: str) -> bytes:
        """The list value of one type (``previous``, ``hour``, ``day``, ``month``, ``year``)."""
        return dict(self.list_values)[kind]

    def signed_message(self) -> bytes:
        """The bytes NIST signs: every field in order, big-endian, byte fields length-prefixed."""

        def lp(data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + data

        parts = [
            lp(self.uri.encode()),
            lp(self.version.encode()),
            struct.pack(">II", self.cipher_suite, self.period),
            lp(self.certificate_id),
            struct.pack(">QQ", self.chain_index, self.pulse_index),
            lp(self.time_stamp.encode()),
            lp(self.local_random_value),
            lp(self.external_source_id),
            struct.pack(">I", self.external_status_code),
            lp(self.external_value),
            *(lp(value) for _name, value in self.list_values),
            lp(self.precommitment_value),
            struct.pack(">I", self.status_code),
        ]
        return b"".join(parts)


def load_certificate(pem: bytes) -> x509.Certificate:
    """Load a PEM certificate.

    Raises:
        InputError: the bytes are not a PEM certificate.
    """
    from cryptography import x509  # noqa: PLC0415 (X.509 loads slowly; few runs need it)

    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as err:
        raise InputError(_("not a PEM certificate: {err}").format(err=err)) from err


def verify_pulse(
    pulse: NistPulse, certificate: x509.Certificate, *, previous: NistPulse | None = None
) -> bytes:
    """Verify a pulse and return its 64-byte output value.

    Raises:
        VerificationError: any check fails; the message says which.
    """
    if pulse.cipher_suite != 0:
        raise VerificationError(
            _("NIST pulse {pulse_index}: unknown cipher suite").format(
                pulse_index=pulse.pulse_index
            )
        )
    der = certificate.public_bytes(serialization.Encoding.DER)
    if not hmac.compare_digest(hashlib.sha512(der).digest(), pulse.certificate_id):
        raise VerificationError(
            _(
                "NIST pulse {pulse_index} was signed with certificate {certificate_id}…, "
                "not the one given ({hexdigest}…)"
            ).format(
                pulse_index=pulse.pulse_index,
                certificate_id=pulse.certificate_id.hex()[:16],
                hexdigest=hashlib.sha512(der).hexdigest()[:16],
            )
        )
    when = pulse.timestamp
    if not certificate.not_valid_before_utc <= when <= certificate.not_valid_after_utc:
        raise VerificationError(
            _(
                "NIST pulse {pulse_index} ({time_stamp}) lies outside the certificate's "
                "validity ({start} to {end})"
            ).format(
                pulse_index=pulse.pulse_index,
                time_stamp=pulse.time_stamp,
                start=certificate.not_valid_before_utc,
                end=certificate.not_valid_after_utc,
            )
        )
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise VerificationError(_("the NIST certificate does not hold an RSA key"))
    message = pulse.signed_message()
    try:
        key.verify(pulse.signature_value, message, padding.PKCS1v15(), hashes.SHA512())
    except InvalidSignature as err:
        raise VerificationError(
            _("NIST pulse {pulse_index}: the signature does not verify").format(
                pulse_index=pulse.pulse_index
            )
        ) from err
    expected = hashlib.sha512(message + pulse.signature_value).digest()
    if not hmac.compare_digest(expected, pulse.output_value):
        raise VerificationError(
            _("NIST pulse {pulse_index}: outputValue is not SHA-512(message ‖ signature)").format(
                pulse_index=pulse.pulse_index
            )
        )
    if previous is not None:
        _check_chain(previous, pulse)
    return pulse.output_value


def _check_chain(previous: NistPulse, pulse: NistPulse) -> None:
    if (previous.chain_index, previous.pulse_index + 1) != (pulse.chain_index, pulse.pulse_index):
        raise VerificationError(
            _(
                "NIST pulse {chain_index}/{pulse_index} is not the one before "
                "{chain_index2}/{pulse_index2}"
            ).format(
                chain_index=previous.chain_index,
                pulse_index=previous.pulse_index,
                chain_index2=pulse.chain_index,
                pulse_index2=pulse.pulse_index,
            )
        )
    if not hmac.compare_digest(pulse.list_value("previous"), previous.output_value):
        raise VerificationError(
            _(
                "NIST pulse {pulse_index}: listValues.previous is not the previous "
                "pulse's outputValue"
            ).format(pulse_index=pulse.pulse_index)
        )
    commitment = hashlib.sha512(pulse.local_random_value).digest()
    if not hmac.compare_digest(previous.precommitment_value, commitment):
        raise VerificationError(
            _(
                "NIST pulse {pulse_index}: its precommitmentValue does not commit to the "
                "next pulse's localRandomValue"
            ).format(pulse_index=previous.pulse_index)
        )


class NistSource(EntropySource):
    """A NIST Beacon 2.0 pulse, announced before it is due; the record keeps its certificate."""

    type = "nist"
    is_beacon = True

    def _check(self, spec: Mapping[str, Any], participants: set[str], announced: datetime) -> None:
        self.require_int(spec, "chain_index", 1)
        self.require_int(spec, "pulse_index", 1)
        if parse_time(spec.get("pulse_time"), "pulse_time") <= announced:
            raise CeremonyError(
                _("source {id!r}: the NIST pulse is not due after the announcement").format(
                    id=spec["id"]
                )
            )

    def _outcomes(self, spec: Mapping[str, Any]) -> int:
        return BEACON

    def _value_bytes(self, spec: Mapping[str, Any], value: Mapping[str, Any]) -> bytes:
        pulse_data = value.get("pulse")
        certificate = value.get("certificate")
        if not isinstance(pulse_data, Mapping) or not isinstance(certificate, str):
            raise CeremonyError(
                _("source {id!r}: give the pulse and the certificate PEM").format(id=spec["id"])
            )
        pulse = NistPulse.from_json(pulse_data)
        if (pulse.chain_index, pulse.pulse_index) != (spec["chain_index"], spec["pulse_index"]):
            raise CeremonyError(
                _("source {id!r}: the announcement named pulse {chain_index}/{pulse_index}").format(
                    id=spec["id"], chain_index=spec["chain_index"], pulse_index=spec["pulse_index"]
                )
            )
        if pulse.timestamp != parse_time(spec["pulse_time"], "pulse_time"):
            raise CeremonyError(
                _(
                    "source {id!r}: pulse {pulse_index} was published at {time_stamp}, not "
                    "at the announced {pulse_time}"
                ).format(
                    id=spec["id"],
                    pulse_index=pulse.pulse_index,
                    time_stamp=pulse.time_stamp,
                    pulse_time=spec["pulse_time"],
                )
            )
        return verify_pulse(pulse, load_certificate(certificate.encode()))
