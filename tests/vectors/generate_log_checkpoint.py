"""Write the audit log checkpoint test vectors, or check that the committed file is current.

    python tests/vectors/generate_log_checkpoint.py           # rewrite log-checkpoint.json
    python tests/vectors/generate_log_checkpoint.py --check   # exit 1 if the file differs

A log of five entries signed by a fixed office key, and checkpoints of it (audit log spec v1,
section 10): each with its canonical bytes, and whether the log extends it (and if not, why).
Ed25519 is deterministic, so every byte is reproducible. tests/unit/test_log_checkpoint_vectors.py
recomputes every case from the specification's formulas and with fairdraw.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw.errors import VerificationError
from fairdraw.signing import OfficeKey
from fairdraw.storage.checkpoint import Checkpoint, sign_checkpoint, verify_log
from fairdraw.storage.log import GENESIS, LogEntry, make_entry

sys.path.insert(0, str(Path(__file__).parent))
from generate import write_or_check

VECTORS = Path(__file__).parent / "log-checkpoint.json"
PRIVATE = bytes(range(32))
OTHER = bytes(range(1, 33))
START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def log_of(key: OfficeKey, texts: list[str]) -> list[LogEntry]:
    entries: list[LogEntry] = []
    for i, text in enumerate(texts):
        entries.append(
            make_entry(
                key,
                seq=i + 1,
                previous=entries[-1].hash if entries else GENESIS,
                when=START + timedelta(minutes=i),
                actor="张三",
                kind="rfb.note",
                payload={"text": text},
            )
        )
    return entries


def build() -> dict[str, Any]:
    key, other = (OfficeKey(Ed25519PrivateKey.from_private_bytes(k)) for k in (PRIVATE, OTHER))
    entries = log_of(key, ["一", "二", "三", "四", "五"])
    forked = log_of(key, ["一", "二", "三（改写）", "四", "五"])
    when = START + timedelta(hours=1)

    def at(size: int, log: list[LogEntry] = entries, signer: OfficeKey = key) -> Checkpoint:
        return sign_checkpoint(signer, size, log[size - 1].hash if size else GENESIS, when)

    honest = at(3)
    cases = [
        ("empty", "a checkpoint of the empty log", at(0)),
        ("three", "three entries: the log of five extends it", honest),
        ("whole", "the whole log", at(5)),
        ("future", "seven entries, signed: the log of five is shorter", attrs.evolve(
            honest, size=7, signature=key.sign("log-checkpoint", {**honest.body(), "size": 7}).hex()
        )),
        ("fork", "entry 3 of another log with the same key: the log forks", at(3, forked)),
        ("bad-signature", "size changed after signing", attrs.evolve(honest, size=2)),
        ("other-key", "signed by another key", at(3, signer=other)),
        ("forged", "the office's key id, another key's signature", attrs.evolve(
            honest, signature=other.sign("log-checkpoint", honest.body()).hex()
        )),
    ]  # fmt: skip
    out = []
    for name, description, checkpoint in cases:
        try:
            verify_log(entries, key.public, [checkpoint])
            outcome: dict[str, Any] = {"extends": True}
        except VerificationError as err:
            outcome = {"extends": False, "reason": str(err)}
        out.append(
            {
                "name": name,
                "description": description,
                "checkpoint": checkpoint.to_json(),
                "bytes": checkpoint.to_bytes().decode(),
                **outcome,
            }
        )
    return {
        "format": "fairdraw/log-checkpoint/v1 test vectors",
        "office_private_key": PRIVATE.hex(),
        "office_public_key": key.public.raw.hex(),
        "log": [e.to_json() for e in entries],
        "cases": out,
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    return write_or_check(VECTORS, render(build()), (__doc__ or "").splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
