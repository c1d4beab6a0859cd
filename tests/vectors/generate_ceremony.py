"""Write the ceremony spec v1 vector, or check that the committed file is current.

    python tests/vectors/generate_ceremony.py           # rewrite tests/vectors/ceremony-v1.json
    python tests/vectors/generate_ceremony.py --check   # exit 1 if the committed file differs

One complete ceremony with fixed inputs: an office key made from a fixed private key (Ed25519
signatures are deterministic), a fixed local secret, 50 dice rolls and the real quicknet drand
beacon of round 657413. The file holds the intermediate values (commitment, announcement hash,
seed, subseeds) beside the signed record, so that another implementation can check each step.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import Population
from fairdraw.ceremony import Ceremony, ScopePlan, commitment
from fairdraw.ceremony.events import event_hash
from fairdraw.randomness.drand import DrandChain
from fairdraw.signing import OfficeKey

sys.path.insert(0, str(Path(__file__).parent))
from generate import write_or_check

HERE = Path(__file__).parent
VECTOR = HERE / "ceremony-v1.json"
PRIVATE_KEY = bytes(range(32))
SECRET = bytes(range(32, 64))
ROLLS = [3, 6, 1, 4, 2, 5, 5, 1, 6, 2, 4, 3, 3, 6, 1, 2, 5, 4, 6, 1, 2, 3, 4, 5, 6]
ROLLS += [6, 5, 4, 3, 2, 1, 1, 2, 3, 4, 5, 6, 2, 4, 6, 1, 3, 5, 2, 2, 4, 4, 6, 6, 1]
SALT = bytes(range(64, 96))


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def build() -> dict[str, Any]:
    """The vector, computed with fairdraw."""
    beacons = json.loads((HERE / "drand" / "beacons.json").read_text())["beacons"]
    beacon = next(b for b in beacons if b["chain"] == "quicknet" and b["round"] == 657413)
    chain = DrandChain.quicknet()
    key = OfficeKey(Ed25519PrivateKey.from_private_bytes(PRIVATE_KEY))
    maint = Population.of([f"MAINT-{i:03d}" for i in range(60)])
    comm = Population.of([f"COMM-{i:03d}" for i in range(40)])
    secret_list = Population.of([f"USE-{i:03d}" for i in range(30)], salt=SALT)
    ceremony = Ceremony.announce(
        key,
        draw_id="vector-2023-09",
        office="fairdraw test vector office",
        scopes=[
            ScopePlan(scope="2023-09/MAINT", population=maint, k=9, alternates=3),
            ScopePlan(scope="2023-09/COMM", population=comm, rate="15%"),
            ScopePlan(scope="2023-09/USE", population=secret_list, k=5, confidential=True),
        ],
        participants=[{"id": "office", "role": "office"}, {"id": "leader", "role": "leader"}],
        sources=[
            {"id": "office-secret", "type": "local", "participant": "office"},
            {"id": "leader-dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6},
            {
                "id": "drand",
                "type": "drand",
                "chain": "quicknet",
                "chain_hash": chain.chain_hash.hex(),
                "round": 657413,
                "round_time": "2023-09-15T11:00:03Z",
            },
        ],
        commit_deadline=at("2023-09-15T09:30:00Z"),
        reveal_deadline=at("2023-09-15T11:30:00Z"),
        at=at("2023-09-15T09:00:00Z"),
        version=1,
    )
    ceremony.commit_secret("office-secret", SECRET, at=at("2023-09-15T09:05:00Z"))
    ceremony.reveal("office-secret", SECRET, at=at("2023-09-15T09:40:00Z"))
    ceremony.add_value("leader-dice", {"rolls": ROLLS}, at=at("2023-09-15T10:00:00Z"))
    ceremony.add_value(
        "drand", {"round": 657413, "signature": beacon["signature"]}, at=at("2023-09-15T11:00:10Z")
    )
    seed = ceremony.seed(at=at("2023-09-15T11:00:20Z"))
    record = ceremony.draw(
        {"2023-09/MAINT": maint, "2023-09/COMM": comm, "2023-09/USE": secret_list},
        at=at("2023-09-15T11:00:30Z"),
    )
    return {
        "format": "fairdraw-ceremony-vectors/1",
        "spec": "fairdraw/ceremony/v1",
        "generator": "tests/vectors/generate_ceremony.py",
        "inputs": {
            "office_private_key": PRIVATE_KEY.hex(),
            "office-secret": SECRET.hex(),
            "populations": {
                "2023-09/MAINT": list(maint),
                "2023-09/COMM": list(comm),
                "2023-09/USE": list(secret_list),
            },
            "salts": {"2023-09/USE": SALT.hex()},
        },
        "expected": {
            "office_key_id": key.key_id,
            "commitment": commitment("vector-2023-09", "office", SECRET).hex(),
            "announcement_hash": event_hash(record["events"][0]),
            "source_values": {
                "office-secret": SECRET.hex(),
                "leader-dice": ",".join(map(str, ROLLS)).encode().hex(),
                "drand": beacon["randomness"],
            },
            "seed": seed.hex(),
        },
        "record": record,
    }


def render(data: dict[str, Any]) -> str:
    """The exact text of the vector file."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    return write_or_check(VECTOR, render(build()), __doc__.splitlines()[0])


if __name__ == "__main__":
    raise SystemExit(main())
