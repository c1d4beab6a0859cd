"""RFC 3161 timestamps over a ceremony's announcement (ceremony spec v2, section 5.1).

A time-stamping authority (TSA) signs the announcement's hash and the time it saw it. The
message imprint is SHA-256 over the JCS bytes of the signed announce event, so its
``hashedMessage`` **is** the announcement hash ``H(JCS(signed announce event))`` that the rest
of the record names: ``openssl ts -verify -digest <announcement hash>`` checks it too.

:func:`request_timestamp` asks a TSA over HTTP (the office is online); :func:`verify_timestamp`
checks a token offline, against a certificate given with it. That certificate is **not** a trust
anchor: whoever made the record could have made it. A verifier compares its fingerprint
(:func:`certificate_fingerprint`) with the one the authority publishes.
"""

from __future__ import annotations

import hashlib
import math
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import cryptography.x509
from cryptography.hazmat.primitives.serialization import Encoding
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    TimeStampResponse,
    VerifierBuilder,
    decode_timestamp_response,
)
from rfc3161_client import VerificationError as TokenError

from fairdraw.canonical import canonical_json
from fairdraw.errors import SourceUnavailableError, VerificationError
from fairdraw.i18n import _

__all__ = [
    "QUERY_TYPE",
    "REPLY_TYPE",
    "TimestampInfo",
    "certificate_fingerprint",
    "read_timestamp",
    "request_timestamp",
    "verify_timestamp",
]

QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"
_SHA256 = cryptography.x509.ObjectIdentifier("2.16.840.1.101.3.4.2.1")
_MAX_BYTES = 1 << 20


@attrs.frozen(kw_only=True)
class TimestampInfo:
    """What a timestamp reply says (nothing of it is checked yet).

    Attributes:
        time: the TSA's ``genTime`` (UTC).
        accuracy: the TSA's stated accuracy (zero when it states none).
        imprint: the hex ``hashedMessage`` it signed.
    """

    time: datetime
    accuracy: timedelta
    imprint: str

    @property
    def latest(self) -> datetime:
        """The latest time the TSA vouches for: ``genTime`` plus its accuracy."""
        return self.time + self.accuracy


def request_timestamp(
    announcement_event: Mapping[str, Any], url: str, *, timeout: float = 10.0
) -> bytes:
    """Ask a TSA to timestamp a signed announce event.

    Args:
        announcement_event: the signed announce event (``{"event", "key_id", "signature"}``).
        url: the TSA's RFC 3161 HTTP endpoint.
        timeout: seconds to wait for its answer.

    Returns:
        The DER ``TimeStampResp`` (status and token), checked to answer this request (granted,
        SHA-256 over the announcement, our nonce); its signature is checked by
        :func:`verify_timestamp`.

    Raises:
        SourceUnavailableError: the TSA could not be reached, refused, or answered something
            else than a timestamp of this request; the message names the URL.
    """
    query = (
        TimestampRequestBuilder()
        .data(canonical_json(announcement_event))
        .hash_algorithm(HashAlgorithm.SHA256)
        .cert_request(cert_request=True)
        .build()
    )
    request = urllib.request.Request(  # noqa: S310 (the office configures the URL)
        url,
        data=query.as_bytes(),
        method="POST",
        headers={"Content-Type": QUERY_TYPE, "Accept": REPLY_TYPE},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            kind = response.headers.get("Content-Type", "")
            body: bytes = response.read(_MAX_BYTES + 1)
    except urllib.error.HTTPError as err:
        raise SourceUnavailableError(
            _("the TSA {url} answered HTTP {code}").format(url=url, code=err.code)
        ) from err
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise SourceUnavailableError(
            _("the TSA {url} could not be reached: {err}").format(url=url, err=err)
        ) from err
    if kind.split(";")[0].strip() != REPLY_TYPE or len(body) > _MAX_BYTES:
        raise SourceUnavailableError(
            _("the TSA {url} did not answer with a timestamp ({kind!r})").format(url=url, kind=kind)
        )
    try:
        reply = decode_timestamp_response(body)
        if PKIStatus(reply.status) not in {PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS}:
            raise SourceUnavailableError(
                _("the TSA {url} refused: {status_string}").format(
                    url=url, status_string=reply.status_string
                )
            )
        info = reply.tst_info
        if info.message_imprint.message != query.message_imprint.message:
            raise SourceUnavailableError(
                _("the TSA {url} timestamped another message").format(url=url)
            )
        if info.nonce != query.nonce:
            raise SourceUnavailableError(
                _("the TSA {url} answered another request (nonce)").format(url=url)
            )
    except (ValueError, TokenError) as err:
        raise SourceUnavailableError(
            _("the TSA {url} sent a malformed reply: {err}").format(url=url, err=err)
        ) from err
    return body


def _decode(token: bytes) -> TimeStampResponse:
    try:
        return decode_timestamp_response(token)
    except ValueError as err:
        raise VerificationError(
            _("the timestamp is not an RFC 3161 reply: {err}").format(err=err)
        ) from err


def read_timestamp(token: bytes) -> TimestampInfo:
    """What a timestamp reply claims, unchecked.

    Raises:
        VerificationError: it is not an RFC 3161 reply with a token.
    """
    reply = _decode(token)
    try:
        info = reply.tst_info
        accuracy = timedelta(0)
        try:
            stated = info.accuracy
            micros = (stated.millis or 0) * 1000 + (stated.micros or 0)
            accuracy = timedelta(seconds=stated.seconds, microseconds=micros)
        except (ValueError, AttributeError):  # no accuracy stated
            pass
        return TimestampInfo(
            time=info.gen_time.astimezone(UTC),
            accuracy=timedelta(seconds=math.ceil(accuracy.total_seconds())),
            imprint=info.message_imprint.message.hex(),
        )
    except ValueError as err:
        raise VerificationError(
            _("the timestamp has no readable token: {err}").format(err=err)
        ) from err


def _certificates(certificate_pem: bytes) -> list[cryptography.x509.Certificate]:
    try:
        found = cryptography.x509.load_pem_x509_certificates(certificate_pem)
    except ValueError as err:
        raise VerificationError(_("the TSA certificate is not PEM: {err}").format(err=err)) from err
    if not found:
        raise VerificationError(_("no TSA certificate was given"))
    return found


def certificate_fingerprint(certificate_pem: bytes) -> str:
    """The SHA-256 hex fingerprint of the TSA certificate (the first of a PEM chain), as
    ``openssl x509 -fingerprint -sha256`` prints it without the colons.

    Raises:
        VerificationError: the text holds no PEM certificate.
    """
    leaf = _certificates(certificate_pem)[0]
    return hashlib.sha256(leaf.public_bytes(Encoding.DER)).hexdigest()


def verify_timestamp(token: bytes, announcement_hash: str, certificate_pem: bytes) -> datetime:
    """Check a timestamp offline: its signature by the TSA certificate, and its imprint.

    Args:
        token: the DER ``TimeStampResp`` (as :func:`request_timestamp` returns it).
        announcement_hash: the hex ``H(JCS(signed announce event))`` it must be over.
        certificate_pem: the TSA's certificate, then the certificates of its chain up to and
            including a root (PEM, concatenated). A lone self-signed certificate is its own root.

    Returns:
        The TSA's ``genTime`` (UTC).

    Raises:
        VerificationError: the token is malformed, not signed by that certificate (or its
            chain does not verify at ``genTime``), its certificate lacks the critical
            timeStamping usage, or it is over another message or not over SHA-256.
    """
    chain = _certificates(certificate_pem)
    leaf, rest = chain[0], chain[1:]
    roots = rest[-1:] if rest else [leaf]
    reply = _decode(token)
    try:
        algorithm = reply.tst_info.message_imprint.hash_algorithm
    except ValueError as err:
        raise VerificationError(
            _("the timestamp has no readable token: {err}").format(err=err)
        ) from err
    if algorithm != _SHA256:
        raise VerificationError(
            _("the timestamp is over {dotted_string}, not SHA-256").format(
                dotted_string=algorithm.dotted_string
            )
        )
    try:
        expected = bytes.fromhex(announcement_hash)
    except (TypeError, ValueError) as err:
        raise VerificationError(
            _("not an announcement hash: {announcement_hash!r}").format(
                announcement_hash=announcement_hash
            )
        ) from err
    builder = VerifierBuilder(tsa_certificate=leaf, intermediates=rest[:-1], roots=roots)
    try:
        builder.build().verify(reply, expected)
    except TokenError as err:
        raise VerificationError(
            _(
                "the timestamp does not verify against the TSA certificate "
                "{certificate_fingerprint}… over announcement {announcement_hash}…: {err}"
            ).format(
                certificate_fingerprint=certificate_fingerprint(certificate_pem)[:16],
                announcement_hash=announcement_hash[:16],
                err=err,
            )
        ) from err
    return reply.tst_info.gen_time.astimezone(UTC)
