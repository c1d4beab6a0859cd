"""A ceremony with participants who hold their own keys, built from real keys and signatures.

The announcement is made by :meth:`fairdraw.ceremony.Ceremony.announce` (ceremony spec v1, whose
participant entries may carry a ``key``); later events are signed by the office key and
hash-linked by :func:`append`, in the order of ceremony spec v2 (entered values before the
first reveal), which the v1 :class:`Ceremony` does not record yet.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw.ceremony import Ceremony, ScopePlan
from fairdraw.ceremony.events import event_hash, sign_event
from fairdraw.population import Population
from fairdraw.signing import OfficeKey
from fairdraw.times import format_time


def fixed_key(start: int) -> OfficeKey:
    """A deterministic Ed25519 key (tests only)."""
    return OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(start, start + 32))))


OFFICE = fixed_key(0)
NOTARY = fixed_key(40)
LEADER = fixed_key(80)
WITNESS = fixed_key(120)
STRANGER = fixed_key(160)

DRAW_ID = "particip-2026-05"
T0 = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
POPULATION = Population.of([f"MAINT-{i:03d}" for i in range(20)])
ROLLS = [(i * 7 + 3) % 6 + 1 for i in range(50)]


def entry(pid: str, role: str, key: OfficeKey | None) -> dict[str, Any]:
    """A participant entry of the announcement (spec v2 section 2)."""
    return {"id": pid, "role": role, "key": None if key is None else key.public.to_json()}


def participants(
    notary: OfficeKey | None = NOTARY, leader: OfficeKey | None = LEADER
) -> list[dict[str, Any]]:
    """The office, a notary and a leader (with keys), a witness, and a clerk without a key."""
    return [
        entry("office", "office", None),
        entry("notary", "notary", notary),
        entry("leader", "leader", leader),
        entry("witness", "witness", WITNESS),
        entry("clerk", "clerk", None),
    ]


SOURCES: list[dict[str, Any]] = [
    {"id": "office-secret", "type": "local", "participant": "office"},
    {"id": "notary-secret", "type": "local", "participant": "notary"},
    {"id": "leader-dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6},
]


def announce(
    people: Sequence[Mapping[str, Any]] | None = None,
    sources: Sequence[Mapping[str, Any]] = SOURCES,
    *,
    draw_id: str = DRAW_ID,
    at: datetime = T0,
) -> dict[str, Any]:
    """The signed announce event, made at ``at``."""
    ceremony = Ceremony.announce(
        OFFICE,
        draw_id=draw_id,
        office="示例：西城区人防办（虚构）",
        scopes=[ScopePlan(scope="2026-05/MAINT", population=POPULATION, k=3)],
        participants=participants() if people is None else people,
        sources=sources,
        commit_deadline=at + timedelta(minutes=30),
        reveal_deadline=at + timedelta(hours=2),
        at=at,
    )
    return ceremony.events[0]


def append(
    events: Sequence[Mapping[str, Any]], kind: str, body: Mapping[str, Any], minutes: int
) -> list[dict[str, Any]]:
    """``events`` with one more office-signed, hash-linked event, ``minutes`` after T0."""
    first = events[0]["event"]
    event = {
        "media_type": first["media_type"],
        "spec": first["spec"],
        "draw_id": first["draw_id"],
        "sequence": len(events),
        "kind": kind,
        "time": format_time(T0 + timedelta(minutes=minutes)),
        "previous": event_hash(events[-1]),
        "body": copy.deepcopy(dict(body)),
    }
    return [*(copy.deepcopy(dict(e)) for e in events), sign_event(OFFICE, event)]
