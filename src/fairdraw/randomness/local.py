"""``local``: a participant's secret, committed before anyone reveals (commit–reveal).

The secret comes from the operating system's CSPRNG. Its commitment binds the draw id and the
participant: ``H("fairdraw/v1/commit" 0x00 ‖ lp(draw id) ‖ lp(participant) ‖ secret)``, so a
commitment copied from another ceremony or another participant never matches.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fairdraw.errors import CeremonyError, VerificationError
from fairdraw.i18n import _
from fairdraw.primitives import lp
from fairdraw.randomness.base import EntropySource

__all__ = ["MIN_SECRET_BYTES", "LocalSource", "check_reveal", "commitment", "new_secret"]

MIN_SECRET_BYTES = 32
COMMIT_TAG = b"fairdraw/v1/commit\x00"


def new_secret() -> bytes:
    """A 32-byte secret from the operating system's CSPRNG."""
    return secrets.token_bytes(32)


def commitment(draw_id: str, participant: str, secret: bytes) -> bytes:
    """``H("fairdraw/v1/commit" 0x00 ‖ lp(draw id) ‖ lp(participant) ‖ secret)``."""
    if len(secret) < MIN_SECRET_BYTES:
        raise CeremonyError(
            _("a secret must be at least {minimum} bytes long").format(minimum=MIN_SECRET_BYTES)
        )
    return hashlib.sha256(
        COMMIT_TAG + lp(draw_id.encode()) + lp(participant.encode()) + secret
    ).digest()


def check_reveal(draw_id: str, participant: str, secret: bytes, committed: bytes) -> None:
    """Check a revealed secret against its commitment.

    Raises:
        VerificationError: they do not match.
    """
    if not hmac.compare_digest(commitment(draw_id, participant, secret), committed):
        raise VerificationError(
            _("the secret revealed by {participant!r} does not match the commitment").format(
                participant=participant
            )
        )


class LocalSource(EntropySource):
    """A committed secret: 256 bits, revealed after every commitment is in."""

    type = "local"
    takes_value = False

    def _check(self, spec: Mapping[str, Any], participants: set[str], announced: datetime) -> None:
        self.require_participant(spec, participants)

    def _outcomes(self, spec: Mapping[str, Any]) -> int:
        return 1 << 256
