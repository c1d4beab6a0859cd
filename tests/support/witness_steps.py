"""The office's secret and a witness's, who holds their own key, in a v2 ceremony: the steps up
to the last reveal, with fixed keys, secrets and times (the tests' witnessed ceremonies)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import Ceremony, OfficeKey, ParticipantKey, make_commit, make_reveal, make_witness

OFFICE_KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
WITNESS_KEY = ParticipantKey(Ed25519PrivateKey.from_private_bytes(bytes(range(7, 39))))
OFFICE_SECRET = bytes(range(32, 64))
WITNESS_SECRET = bytes(range(64, 96))
MINUTE = timedelta(minutes=1)


def witnessed_secrets(
    ceremony: Ceremony, t0: datetime, entered: Callable[[], object] = lambda: None
) -> None:
    """Record, ``t0`` being the announcement's time: the witness's signature on the announcement
    (1 minute later) and commitment to ``witness-secret`` (2), the office's to ``office-secret``
    (3), ``entered`` (the entered values: dice), the office's reveal (10), the witness's (11)."""
    first = ceremony.events[0]
    ceremony.accept(make_witness(WITNESS_KEY, first, "witness", t0 + MINUTE), at=t0 + MINUTE)
    commit = make_commit(WITNESS_KEY, first, "witness", "witness-secret", WITNESS_SECRET)
    ceremony.accept(commit, at=t0 + 2 * MINUTE)
    ceremony.commit_secret("office-secret", OFFICE_SECRET, at=t0 + 3 * MINUTE)
    entered()
    ceremony.reveal("office-secret", OFFICE_SECRET, at=t0 + 10 * MINUTE)
    reveal = make_reveal(WITNESS_KEY, ceremony.events, "witness", "witness-secret", WITNESS_SECRET)
    ceremony.accept(reveal, at=t0 + 11 * MINUTE)
