"""The grinding attack on ceremony v1, as a regression test.

In the v1 order the office's secret was revealed and *then* the dice were typed, by the office.
Whoever types the dice then knows every other input of the seed, so they can try dice lines
offline, compute each outcome, and type the line whose outcome suits them.

What the tests show:

* v1: a search over at most 200 dice lines (a fixed ``random.Random`` seed) finds a line that
  keeps out of a scope a label the honest first line would have selected, the ceremony runs
  with it and verifies arithmetically, and the verifier reports that the office alone could
  have chosen the outcome (the check "who could have chosen the outcome" fails).
* v2: the dice come after every commitment and before the first reveal, and a keyed witness
  commits to a secret of their own. When the dice are entered the seed is not determined by
  anything the office holds: the same announcement, office secret and dice with two different
  witness secrets give two different seeds and draws, and the report names nobody who could
  have chosen alone. The Ceremony class refuses the v1 order in v2, and a v2 ceremony whose
  only inputs are the office's own is refused without a ``single_party_reason``: the new order
  alone does not stop the office from knowing its own secret when it types the dice.

Limits: the attack is shown against one scope (9 of 10 labels drawn, so a line leaves the chosen
label out with probability 1/10 and 200 tries almost surely suffice; the fixed seed makes the
test deterministic). The v2 part shows that the seed depends on the witness's secret, not that
this secret is unpredictable to the office, nor that the witness is independent of it: a
witness colluding with the office can still steer, which the report says (the group office +
witness). Beacons and announcing after a beacon are not part of this test (see the vectors).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import Population, verification_report
from fairdraw.ceremony import Ceremony, ScopePlan
from fairdraw.ceremony.report import STEERING
from fairdraw.ceremony.scopes import draw_scope, seed_from
from fairdraw.errors import CeremonyError
from fairdraw.participant import make_commit, make_reveal
from fairdraw.signing import OfficeKey

OFFICE = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
WITNESS = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(40, 72))))
SECRET = bytes(range(32, 64))
T0 = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
SCOPE = "2026-05/SHOPS"
SHOPS = Population.of([f"SHOP-{i:02d}" for i in range(10)])
MAX_TRIES = 200
DICE: dict[str, Any] = {
    "id": "leader-dice",
    "type": "dice",
    "participant": "leader",
    "count": 50,
    "sides": 6,
}
OFFICE_SECRET: dict[str, Any] = {"id": "office-secret", "type": "local", "participant": "office"}
WITNESS_SECRET: dict[str, Any] = {"id": "witness-secret", "type": "local", "participant": "witness"}


def minutes(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


def announce(*, version: int, witness: bool, single_party_reason: str | None = None) -> Ceremony:
    people: list[dict[str, Any]] = [
        {"id": "office", "role": "office"},
        {"id": "leader", "role": "leader"},
    ]
    sources = [OFFICE_SECRET, DICE]
    if witness:
        people.append({"id": "witness", "role": "witness", "key": WITNESS.public.to_json()})
        sources = [OFFICE_SECRET, WITNESS_SECRET, DICE]
    return Ceremony.announce(
        OFFICE,
        draw_id=f"grinding-v{version}",
        office="示例：区市场监管局（虚构）",
        scopes=[ScopePlan(scope=SCOPE, population=SHOPS, k=9)],
        participants=people,
        sources=sources,
        commit_deadline=minutes(30),
        reveal_deadline=minutes(120),
        at=T0,
        version=version,
        single_party_reason=single_party_reason,
    )


def selected(seed: bytes) -> list[str]:
    entry = ScopePlan(scope=SCOPE, population=SHOPS, k=9).to_json()
    return [pick.label for pick in draw_scope(entry, seed, SHOPS).selected]


def dice_lines() -> list[list[int]]:
    """The office's candidate lines: the honest first line, then the ones it would try."""
    rng = random.Random(20230915)  # noqa: S311 (the office's search needs no secrecy)
    return [[rng.randint(1, 6) for _ in range(50)] for _ in range(MAX_TRIES)]


def encode(rolls: list[int]) -> bytes:
    return ",".join(map(str, rolls)).encode()


def test_v1_the_office_searches_dice_lines_until_a_label_is_left_out() -> None:
    ceremony = announce(version=1, witness=False)
    ceremony.commit_secret("office-secret", SECRET, at=minutes(5))
    ceremony.reveal("office-secret", SECRET, at=minutes(40))
    # The office now holds every input but the dice, which it types: it tries lines offline.
    announcement = ceremony.events[0]
    lines = dice_lines()

    def outcome(rolls: list[int]) -> list[str]:
        values = [("office-secret", SECRET), ("leader-dice", encode(rolls))]
        return selected(seed_from(announcement, values))

    target = outcome(lines[0])[0]  # a label the honest first line selects
    tries = next((n for n, rolls in enumerate(lines, 1) if target not in outcome(rolls)), None)
    assert tries is not None, f"no line among {MAX_TRIES} leaves {target} out"
    assert tries > 1
    ceremony.add_value("leader-dice", {"rolls": lines[tries - 1]}, at=minutes(50))
    ceremony.seed(at=minutes(51))
    record = ceremony.draw({SCOPE: SHOPS}, at=minutes(52))

    drawn = record["events"][-1]["event"]["body"]["results"][0]["selected"]
    assert target not in [pick["label"] for pick in drawn]
    report = verification_report(record, populations={SCOPE: SHOPS}, public_key=OFFICE.public)
    # the arithmetic is right: every check but the steering one passes
    assert [c.name for c in report.checks if c.status != "passed"] == [STEERING]
    assert report.verdict == "failed"
    assert report.steering is not None
    assert report.steering.status == "failed"
    assert report.steering.alone == ("office",)


def v2_ceremony(witness_secret: bytes, rolls: list[int]) -> tuple[Ceremony, dict[str, Any]]:
    ceremony = announce(version=2, witness=True)
    announcement = ceremony.events[0]
    ceremony.commit_secret("office-secret", SECRET, at=minutes(5))
    ceremony.accept(
        make_commit(WITNESS, announcement, "witness", "witness-secret", witness_secret),
        at=minutes(6),
    )
    ceremony.add_value("leader-dice", {"rolls": rolls}, at=minutes(40))
    ceremony.reveal("office-secret", SECRET, at=minutes(50))
    reveal = make_reveal(WITNESS, ceremony.events, "witness", "witness-secret", witness_secret)
    ceremony.accept(reveal, at=minutes(51))
    ceremony.seed(at=minutes(52))
    return ceremony, ceremony.draw({SCOPE: SHOPS}, at=minutes(53))


def test_v2_the_seed_is_not_determined_when_the_dice_are_entered() -> None:
    rolls = dice_lines()[0]
    first, record_a = v2_ceremony(bytes(range(100, 132)), rolls)
    second, record_b = v2_ceremony(bytes(range(140, 172)), rolls)
    # the same announcement, office secret and dice ...
    assert first.events[0] == second.events[0]
    assert first.body_of("randomness", "leader-dice") == second.body_of("randomness", "leader-dice")
    office_reveals = [c.body_of("reveal", "office-secret") for c in (first, second)]
    assert office_reveals[0] is not None and office_reveals[1] is not None
    assert office_reveals[0]["secret"] == office_reveals[1]["secret"]
    # ... and the witness's secret alone changes the seed (and so what a dice search would see)
    seeds = [r["events"][-2]["event"]["body"]["seed"] for r in (record_a, record_b)]
    assert seeds[0] != seeds[1]
    for record in (record_a, record_b):
        report = verification_report(record, populations={SCOPE: SHOPS}, public_key=OFFICE.public)
        assert report.verdict == "passed"
        assert report.steering is not None
        assert report.steering.status == "passed"
        assert report.steering.alone == ()
        assert report.steering.coalitions == (("office", "witness"),)


def test_v2_refuses_the_v1_order() -> None:
    ceremony = announce(version=2, witness=True)
    ceremony.commit_secret("office-secret", SECRET, at=minutes(5))
    secret = bytes(range(100, 132))
    ceremony.accept(
        make_commit(WITNESS, ceremony.events[0], "witness", "witness-secret", secret),
        at=minutes(6),
    )
    with pytest.raises(CeremonyError, match="cannot reveal now"):
        ceremony.reveal("office-secret", SECRET, at=minutes(40))


def test_v2_without_an_independent_secret_needs_a_reason() -> None:
    with pytest.raises(CeremonyError, match=r"^office could choose this draw's outcome alone"):
        announce(version=2, witness=False)
    reason = "a rehearsal, with no outside party"
    announce(version=2, witness=False, single_party_reason=reason)
