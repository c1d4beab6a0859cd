"""The ceremony vector: current, verifiable, and recomputable from the spec text alone.

The recomputation here uses hashlib, rfc8785 and the spec-only draw reference, not fairdraw's
ceremony code, so it checks the ceremony spec's constructions (section 2) as written.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

import spec_reference as ref
from fairdraw import Population
from fairdraw.ceremony import verification_report, verify_record
from fairdraw.ceremony.report import STEERING
from fairdraw.errors import VerificationError
from fairdraw.signing import PublicKey

HERE = Path(__file__).parents[1] / "vectors"
VECTOR: dict[str, Any] = json.loads((HERE / "ceremony-v1.json").read_text(encoding="utf-8"))


def lp(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def test_vector_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(HERE / "generate_ceremony.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_record_verifies_completely() -> None:
    inputs = VECTOR["inputs"]
    populations = {
        scope: Population.of(labels, salt=inputs["salts"].get(scope))
        for scope, labels in inputs["populations"].items()
    }
    office = PublicKey.from_hex(
        VECTOR["record"]["events"][0]["event"]["body"]["office_key"]["public_key"]
    )
    report = verification_report(VECTOR["record"], populations=populations, public_key=office)
    assert len(report.checks) == 16 and not report.failed
    # a v1 record has no witness: only the office's clock shows it announced before the round
    assert [c.name for c in report.unchecked] == [STEERING]
    with pytest.raises(VerificationError, match="who could have chosen the outcome"):
        verify_record(VECTOR["record"], populations=populations, public_key=office)


def test_constructions_from_the_spec_text() -> None:
    record, expected, inputs = VECTOR["record"], VECTOR["expected"], VECTOR["inputs"]
    events = record["events"]
    announce = events[0]["event"]
    body = announce["body"]
    public = bytes.fromhex(body["office_key"]["public_key"])
    assert hashlib.sha256(public).hexdigest() == expected["office_key_id"]
    # section 2.2: the commitment
    secret = bytes.fromhex(inputs["office-secret"])
    commit = hashlib.sha256(
        b"fairdraw/v1/commit\x00" + lp(b"vector-2023-09") + lp(b"office") + secret
    ).hexdigest()
    assert commit == expected["commitment"] == events[1]["event"]["body"]["commitment"]
    # section 2: each event links to the JCS hash of the previous signed event
    for before, after in itertools.pairwise(events):
        assert after["event"]["previous"] == hashlib.sha256(rfc8785.dumps(before)).hexdigest()
    # section 2.4: the seed over the announcement hash and the source values in announced order
    announcement = hashlib.sha256(rfc8785.dumps(events[0])).digest()
    assert announcement.hex() == expected["announcement_hash"]
    rolls = events[3]["event"]["body"]["value"]["rolls"]
    signature = bytes.fromhex(events[4]["event"]["body"]["value"]["signature"])
    values = [
        ("office-secret", secret),
        ("leader-dice", ",".join(map(str, rolls)).encode()),
        ("drand", hashlib.sha256(signature).digest()),
    ]
    assert [v.hex() for _, v in values] == list(expected["source_values"].values())
    data = b"fairdraw/v1/seed\x00" + announcement
    for source_id, value in values:
        data += lp(source_id.encode()) + lp(value)
    seed = hashlib.sha256(data).hexdigest()
    assert seed == expected["seed"] == events[5]["event"]["body"]["seed"]
    # section 2.5: every scope's result is draw spec v1 under that seed
    results = events[6]["event"]["body"]["results"]
    for entry, result in zip(body["scopes"], results, strict=True):
        labels = inputs["populations"][entry["scope"]]
        salt = bytes.fromhex(inputs["salts"].get(entry["scope"], ""))
        assert ref.population_digest(labels, salt).hex() == entry["population_digest"]
        if entry["mode"] == "exact":
            mine = ref.draw_exact(seed, entry["scope"], labels, entry["k"], entry["alternates"])
        else:
            mine = ref.draw_rate(seed, entry["scope"], labels, entry["rate"])
        assert mine["subseed"] == result["subseed"]
        assert (mine["selected"], mine["alternates"]) == (result["selected"], result["alternates"])
    assert body["scopes"][2]["population_size"] is None  # a confidential list hides its size


def test_signatures_are_ed25519_over_the_tagged_jcs() -> None:
    record = VECTOR["record"]
    public = bytes.fromhex(record["events"][0]["event"]["body"]["office_key"]["public_key"])
    key = Ed25519PublicKey.from_public_bytes(public)
    for signed in record["events"]:
        message = b"fairdraw/v1/event\x00" + rfc8785.dumps(signed["event"])
        key.verify(bytes.fromhex(signed["signature"]), message)
    payload = {k: record[k] for k in ("media_type", "spec", "draw_id", "events")}
    key.verify(
        bytes.fromhex(record["signature"]), b"fairdraw/v1/record\x00" + rfc8785.dumps(payload)
    )
