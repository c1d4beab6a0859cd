"""The committed checkpoint vectors (tests/vectors/log-checkpoint.json): current, and each case
recomputed from the audit log spec's formulas alone and with fairdraw."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from fairdraw import Checkpoint, VerificationError
from fairdraw.signing import PublicKey
from fairdraw.storage import LogEntry, verify_log

VECTORS = Path(__file__).parents[1] / "vectors"
DATA = json.loads((VECTORS / "log-checkpoint.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(VECTORS))
import generate_log_checkpoint as generator  # noqa: E402


def test_the_committed_vectors_are_current() -> None:
    assert generator.render(generator.build()) == (VECTORS / "log-checkpoint.json").read_text(
        encoding="utf-8"
    )


def extends_by_the_spec(entries: list[dict[str, Any]], checkpoint: dict[str, Any]) -> bool:
    """Section 9, from the text: the signature, then the size, then the head."""
    body = {k: v for k, v in checkpoint.items() if k != "signature"}
    raw = bytes.fromhex(DATA["office_public_key"])
    if checkpoint["key_id"] != hashlib.sha256(raw).hexdigest():
        return False
    message = b"fairdraw/v1/log-checkpoint\x00" + rfc8785.dumps(body)
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(
            bytes.fromhex(checkpoint["signature"]), message
        )
    except InvalidSignature:
        return False
    size = checkpoint["size"]
    if len(entries) < size:
        return False
    head = entries[size - 1]["hash"] if size else "0" * 64
    recomputed = (
        hashlib.sha256(
            b"fairdraw/v1/log\x00" + rfc8785.dumps(entries[size - 1]["entry"])
        ).hexdigest()
        if size
        else head
    )
    return head == recomputed == checkpoint["head"]


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["name"] for c in DATA["cases"]])
def test_each_case(case: dict[str, Any]) -> None:
    checkpoint = Checkpoint.from_json(case["checkpoint"])
    assert checkpoint.to_bytes().decode() == case["bytes"]
    assert rfc8785.dumps(case["checkpoint"]) + b"\n" == case["bytes"].encode()
    assert extends_by_the_spec(DATA["log"], case["checkpoint"]) is case["extends"]
    entries = [LogEntry.from_json(e) for e in DATA["log"]]
    office = PublicKey.from_hex(DATA["office_public_key"])
    if case["extends"]:
        assert verify_log(entries, office, [checkpoint]) == 5
    else:
        with pytest.raises(VerificationError) as caught:
            verify_log(entries, office, [checkpoint])
        assert str(caught.value) == case["reason"]
