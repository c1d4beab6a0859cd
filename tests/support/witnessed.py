"""An office with a witness who holds their own key and secret: what the tests draw with.

A ceremony whose only outside party is a witness needs no network (no beacon), and nobody in
the office alone can steer it: its verification passes, as at an office that invites one.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw.participant import ParticipantKey
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.demo import DemoWitness, add_witness
from rfb_policy.workflow.folder import init_office

WITNESS_KEY = ParticipantKey(Ed25519PrivateKey.from_private_bytes(bytes(range(7, 39))))


def witnessed(folder: Path, *, chain: str = "") -> OfficeConfig:
    """``rfb init``'s rfb.toml in ``folder`` with the witness added and the beacon ``chain``
    ("" none)."""
    return add_witness(folder, WITNESS_KEY.public, by_hand=False, chain=chain)


def witness_device() -> DemoWitness:
    """The witness's own device: their key, a new secret for each draw."""
    return DemoWitness(key=WITNESS_KEY)


def new_office(folder: Path, *, office: str, prefix: str, passphrase: bytes) -> OfficeConfig:
    """``rfb init`` in ``folder``, then the witness added (and no beacon)."""
    init_office(folder, office=office, prefix=prefix, passphrase=passphrase)
    return witnessed(folder)
