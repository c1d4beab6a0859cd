"""A v2 ceremony with confidential scopes that announce membership trees (membership spec v1):
an office secret, the leader's dice and the recorded drand quicknet round 657413, drawn on a
replayed clock. Shared by the membership tests and the membership vectors' generator."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import (
    Ceremony,
    DrandChain,
    DrawRecord,
    MemberReceipt,
    OfficeKey,
    Population,
    ScopePlan,
    issue_receipts,
)
from fairdraw.ceremony.events import sign_event, sign_record

KEY = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
SALT = bytes(range(64, 96))
SIZE = 64
PUBLIC = Population.of([f"PUB-{i:03d}" for i in range(20)])
CONF = Population.of([f"CONF-{i:03d}" for i in range(30)], salt=SALT)
RATED = Population.of([f"RATE-{i:03d}" for i in range(40)], salt=SALT)
KEYED = Population.of([f"KEY-{i:03d}" for i in range(30)], salt=SALT)
KEYED_RATED = Population.of([f"KRATE-{i:03d}" for i in range(40)], salt=SALT)
_BEACONS = json.loads(
    (Path(__file__).parents[1] / "vectors" / "drand" / "beacons.json").read_text("utf-8")
)
DRAND_VALUE = next(
    {"round": b["round"], "signature": b["signature"]}
    for b in _BEACONS["beacons"]
    if b["chain"] == "quicknet" and b["round"] == 657413
)


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def scopes(month: str = "2023-09") -> list[ScopePlan]:
    """A public exact scope, a confidential exact scope and a confidential rate scope."""
    return [
        ScopePlan(scope=f"{month}/PUB", population=PUBLIC, k=3, alternates=1),
        ScopePlan(
            scope=f"{month}/CONF", population=CONF, k=3, confidential=True, membership_size=SIZE
        ),
        ScopePlan(
            scope=f"{month}/RATE",
            population=RATED,
            rate="1/4",
            confidential=True,
            membership_size=SIZE,
        ),
    ]


def keyed_scopes(month: str = "2023-09") -> list[ScopePlan]:
    """Two confidential scopes with keyed scores (membership spec v1, section 9): an exact scope
    with alternates and a rate scope."""
    return [
        ScopePlan(
            scope=f"{month}/KEYED",
            population=KEYED,
            k=4,
            alternates=2,
            confidential=True,
            membership_size=SIZE,
            keyed_scores=True,
        ),
        ScopePlan(
            scope=f"{month}/KRATE",
            population=KEYED_RATED,
            rate="1/4",
            confidential=True,
            membership_size=SIZE,
            keyed_scores=True,
        ),
    ]


def run(draw_id: str, plans: Sequence[ScopePlan], key: OfficeKey = KEY) -> dict[str, Any]:
    """The ceremony announcing ``plans``, walked to its draw; its record."""
    chain = DrandChain.quicknet()
    ceremony = Ceremony.announce(
        key,
        draw_id=draw_id,
        office="Test office",
        scopes=plans,
        participants=[{"id": "office", "role": "office"}, {"id": "leader", "role": "leader"}],
        sources=[
            {"id": "office-secret", "type": "local", "participant": "office"},
            {"id": "dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6},
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
        version=2,
    )
    secret = bytes(range(32, 64))
    ceremony.commit_secret("office-secret", secret, at=at("2023-09-15T09:05:00Z"))
    rolls = [(i * i + 3 * i) % 6 + 1 for i in range(50)]
    ceremony.add_value("dice", {"rolls": rolls}, at=at("2023-09-15T09:10:00Z"))
    ceremony.reveal("office-secret", secret, at=at("2023-09-15T09:40:00Z"))
    ceremony.add_value("drand", DRAND_VALUE, at=at("2023-09-15T11:00:10Z"))
    ceremony.seed(at=at("2023-09-15T11:00:20Z"))
    ceremony.draw({p.scope: p.population for p in plans}, at=at("2023-09-15T11:00:30Z"))
    return ceremony.record()


def redrawn(
    record: Mapping[str, Any],
    change: Callable[[dict[str, dict[str, Any]]], None],
    key: OfficeKey = KEY,
) -> dict[str, Any]:
    """The record with its draw event's results changed by ``change`` (given them by scope),
    the draw event and the record signed again by the office: only the change can fail."""
    events = copy.deepcopy(list(record["events"]))
    event = events[-1]["event"]
    change({r["scope"]: r for r in event["body"]["results"]})
    events[-1] = sign_event(key, event)
    return sign_record(key, record["draw_id"], events)


def result_of(record: Mapping[str, Any], scope: str) -> dict[str, Any]:
    """The record's published result of ``scope``."""
    results = record["events"][-1]["event"]["body"]["results"]
    found: dict[str, Any] = next(r for r in results if r["scope"] == scope)
    return found


def statuses(report: Any) -> dict[str, str]:
    """A report's checks: name → status."""
    return {c.name: c.status for c in report.checks}


def member_receipts(
    record: Mapping[str, Any],
    scope: str,
    population: Population,
    *,
    context: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, MemberReceipt]:
    """Every member's receipt of ``scope`` in ``record``, signed with KEY (with the scope's
    result, which a keyed scope's receipts need and others ignore)."""
    return issue_receipts(
        population,
        draw_id=record["draw_id"],
        scope=scope,
        size=SIZE,
        announcement=record["events"][0],
        key=KEY,
        context=context,
        result=DrawRecord.from_json(record).result(scope),
    )


def resign(receipt: MemberReceipt, **changes: Any) -> MemberReceipt:
    """The receipt changed, and signed again by the office: only the change can fail."""
    changed = attrs.evolve(receipt, **changes)
    return attrs.evolve(changed, signature=KEY.sign("member-receipt", changed.body()).hex())
