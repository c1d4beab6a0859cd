"""Small signed records for the storage tests: dice-only ceremonies with a fixed office key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import Population
from fairdraw.ceremony import Ceremony, ScopePlan
from fairdraw.signing import OfficeKey

KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
OTHER_KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33))))
POPULATION = Population.of([f"obj-{i:02d}" for i in range(20)])
ROLLS = [(i * 7) % 6 + 1 for i in range(50)]
START = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)


def make_record(
    draw_id: str,
    *,
    supersedes: dict[str, str] | None = None,
    abort: bool = False,
    key: OfficeKey = KEY,
    rolls: list[int] = ROLLS,
) -> dict[str, Any]:
    """A signed record of a dice-only ceremony (drawn, or aborted before the seed): the office,
    which types the dice, could steer it, and says so. Other ``rolls`` give another seed."""
    ceremony = Ceremony.announce(
        key,
        draw_id=draw_id,
        office="storage test office",
        scopes=[ScopePlan(scope="S", population=POPULATION, k=3, alternates=1)],
        participants=[{"id": "leader", "role": "leader"}],
        sources=[{"id": "dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6}],
        commit_deadline=START + timedelta(minutes=30),
        reveal_deadline=START + timedelta(hours=1),
        supersedes=supersedes,
        at=START,
        single_party_reason="a storage test: the office types the only source",
    )
    if abort:
        return ceremony.abort("the leader could not attend", at=START + timedelta(minutes=5))
    ceremony.add_value("dice", {"rolls": rolls}, at=START + timedelta(minutes=5))
    ceremony.seed(at=START + timedelta(minutes=6))
    return ceremony.draw({"S": POPULATION}, at=START + timedelta(minutes=7))
