"""Who could have chosen the outcome of small, real v2 ceremonies, against an independent judgement.

Each example is a ceremony run with the real :class:`~fairdraw.ceremony.Ceremony` class and the
participants' own devices, then verified: some of the office's secret, a keyed witness's
secret, the leader's dice (typed by the office, or signed by a leader with a key) and the real
drand quicknet round 657413 (every event timed before it), with or without the witness signing
the announcement. The steering verdict is compared with a judgement written out here from the
spec's tables (v2 sections 2.1, 7.1 and 7.2) for these shapes only, not with
:mod:`fairdraw.ceremony.steering` (which the analysis itself uses).

The judgement, for the order the Ceremony records (commits, dice, reveals, then the beacon):

* *As recorded.* A party alone can choose when it controls a value fixed after it knows every
  other. The office controls its secret (fixed at its commit), the announcement (fixed first)
  and the typed dice (fixed at their event, before any reveal); it learns the witness's secret
  only at its reveal, the signed dice only at their event, the beacon only when it is due (after
  every event here). So the office alone can choose exactly when every source is its own secret
  or dice it types. The leader (whose dice are fixed before the reveals) can exactly when the
  dice are the only source; the witness exactly when its secret is; drand never (its value is
  fixed from −∞, before the announcement).
* *As attested.* Without a witness who signed the announcement before the round, the office also
  knows the beacon from −∞ (it could have announced after it). It then chooses alone unless a
  value it neither controls nor learns before fixing its own is there: the witness's secret or
  the leader's signed dice.

Status: ``failed`` if someone alone can as recorded, else ``not checked`` if the office alone
can as attested, else ``passed``. Hypothesis runs derandomized (conftest.py): the same examples
every run; a second test runs every shape once, so that none is left to chance.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from fairdraw import Population, verification_report
from fairdraw.ceremony import Ceremony, ScopePlan
from fairdraw.ceremony.report import STEERING
from fairdraw.participant import make_commit, make_dice, make_reveal, make_witness
from fairdraw.randomness.drand import DrandChain
from fairdraw.signing import OfficeKey

OFFICE = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
WITNESS = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(40, 72))))
LEADER = OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(80, 112))))
T0 = datetime(2023, 9, 15, 9, 0, tzinfo=UTC)
ROUND = 657413
ROUND_TIME = "2023-09-15T11:00:03Z"
SCOPE = "2023-09/MAINT"
POPULATION = Population.of([f"MAINT-{i:03d}" for i in range(12)])
DISPLAY = ("office", "witness", "leader", "drand")
_BEACONS = json.loads(
    (Path(__file__).parents[1] / "vectors" / "drand" / "beacons.json").read_text(encoding="utf-8")
)["beacons"]
BEACON = {
    "round": ROUND,
    "signature": next(
        b["signature"] for b in _BEACONS if b["chain"] == "quicknet" and b["round"] == ROUND
    ),
}


@attrs.frozen
class Shape:
    """A small v2 ceremony: which sources, who rolls the dice, and whether the witness signs."""

    office_secret: bool
    witness_secret: bool
    dice: str | None  # None, "typed" (the office types them) or "keyed" (the leader signs)
    drand: bool
    witnesses: bool
    witness_commits_first: bool = False
    witness_signs_late: bool = False  # after the commitments, instead of first
    office_bytes: bytes = bytes(range(32, 64))
    witness_bytes: bytes = bytes(range(64, 96))
    rolls: tuple[int, ...] = tuple((i * 7 + 3) % 6 + 1 for i in range(50))

    @property
    def has_source(self) -> bool:
        return self.office_secret or self.witness_secret or self.dice is not None or self.drand

    @property
    def witness_takes_part(self) -> bool:
        return self.witness_secret or self.witnesses


def judged(shape: Shape) -> tuple[str, list[str]]:
    """The steering status and the parties who alone could have chosen, by the spec's tables."""
    sources = {
        "office-secret": shape.office_secret,
        "witness-secret": shape.witness_secret,
        "typed-dice": shape.dice == "typed",
        "keyed-dice": shape.dice == "keyed",
        "drand": shape.drand,
    }
    present = {name for name, there in sources.items() if there}
    alone = set()
    if present <= {"office-secret", "typed-dice"}:
        alone.add("office")
    if present in ({"typed-dice"}, {"keyed-dice"}):
        alone.add("leader")
    if present == {"witness-secret"}:
        alone.add("witness")
    if alone:
        return "failed", [p for p in DISPLAY if p in alone]
    attested = shape.witnesses  # every witness time here is before the round
    if shape.drand and not attested and not shape.witness_secret and shape.dice != "keyed":
        return "not checked", ["office"]
    return "passed", []


def participants(shape: Shape) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = [{"id": "office", "role": "office"}]
    if shape.witness_takes_part:
        people.append({"id": "witness", "role": "witness", "key": WITNESS.public.to_json()})
    if shape.dice is not None:
        key = LEADER.public.to_json() if shape.dice == "keyed" else None
        people.append({"id": "leader", "role": "leader", "key": key})
    return people


def sources(shape: Shape) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if shape.office_secret:
        found.append({"id": "office-secret", "type": "local", "participant": "office"})
    if shape.witness_secret:
        found.append({"id": "witness-secret", "type": "local", "participant": "witness"})
    if shape.dice is not None:
        found.append(
            {"id": "leader-dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6}
        )
    if shape.drand:
        found.append(
            {
                "id": "drand",
                "type": "drand",
                "chain": "quicknet",
                "chain_hash": DrandChain.quicknet().chain_hash.hex(),
                "round": ROUND,
                "round_time": ROUND_TIME,
            }
        )
    return found


def run(shape: Shape) -> dict[str, Any]:
    """Run the ceremony of ``shape`` (a step a minute from 09:00) and return its record."""
    status, _ = judged(shape)
    ceremony = Ceremony.announce(
        OFFICE,
        draw_id="steering-property",
        office="fairdraw property test office",
        scopes=[ScopePlan(scope=SCOPE, population=POPULATION, k=3)],
        participants=participants(shape),
        sources=sources(shape),
        commit_deadline=T0 + timedelta(minutes=30),
        reveal_deadline=T0 + timedelta(minutes=90),
        at=T0,
        # the judgement says whether a reason is needed; announce refuses a wrong one
        single_party_reason="a property test" if status == "failed" else None,
    )
    announcement = ceremony.events[0]
    clock = itertools.count(1)

    def step() -> datetime:
        return T0 + timedelta(minutes=next(clock))

    def witness() -> None:
        when = step()
        seen = make_witness(WITNESS, announcement, "witness", when - timedelta(seconds=30))
        ceremony.accept(seen, at=when)

    def commit_office() -> None:
        if shape.office_secret:
            ceremony.commit_secret("office-secret", shape.office_bytes, at=step())

    def commit_witness() -> None:
        if shape.witness_secret:
            ceremony.accept(
                make_commit(
                    WITNESS, announcement, "witness", "witness-secret", shape.witness_bytes
                ),
                at=step(),
            )

    if shape.witnesses and not shape.witness_signs_late:
        witness()
    commits = (
        [commit_witness, commit_office]
        if shape.witness_commits_first
        else [
            commit_office,
            commit_witness,
        ]
    )
    for commit in commits:
        commit()
    if shape.witnesses and shape.witness_signs_late:
        witness()
    rolls = list(shape.rolls)
    if shape.dice == "typed":
        ceremony.add_value("leader-dice", {"rolls": rolls}, at=step())
    elif shape.dice == "keyed":
        ceremony.accept(make_dice(LEADER, announcement, "leader", "leader-dice", rolls), at=step())
    if shape.office_secret:
        ceremony.reveal("office-secret", shape.office_bytes, at=step())
    if shape.witness_secret:
        reveal = make_reveal(
            WITNESS, ceremony.events, "witness", "witness-secret", shape.witness_bytes
        )
        ceremony.accept(reveal, at=step())
    late = datetime(2023, 9, 15, 11, 0, 10, tzinfo=UTC)
    if shape.drand:
        ceremony.add_value("drand", BEACON, at=late)
    ceremony.seed(at=late + timedelta(seconds=10))
    return ceremony.draw({SCOPE: POPULATION}, at=late + timedelta(seconds=20))


def check(shape: Shape) -> None:
    record = run(shape)
    report = verification_report(record, populations={SCOPE: POPULATION}, public_key=OFFICE.public)
    assert report.steering is not None
    steering = report.steering
    # every other check passes: only who could have chosen is in question
    assert [c.name for c in report.checks if c.status != "passed"] == (
        [] if steering.status == "passed" else [STEERING]
    )
    status, alone = judged(shape)
    assert (steering.status, list(steering.alone)) == (status, alone), shape

    only_office_typed = shape.dice != "keyed" and not shape.witness_secret and not shape.drand
    # (i) when every source is the office's own secret or dice it types, the check fails
    if only_office_typed:
        assert steering.status == "failed"
        assert "office" in steering.alone
    # (ii) a keyed witness with a secret and any other source: no single party could choose
    others = shape.office_secret or shape.dice is not None or shape.drand
    if shape.witness_secret and others:
        assert steering.alone == ()
        assert all(len(group) > 1 for group in steering.recorded)
    if shape.witness_secret and not others:  # the witness's secret alone: the witness steers
        assert steering.alone == ("witness",)
    # (iii) a beacon and no witness's signature: the office alone, as attested, unless the
    # witness's secret or the leader's signed dice stand in its way
    if shape.drand and not shape.witnesses:
        blocked = shape.witness_secret or shape.dice == "keyed"
        assert (steering.status == "not checked") == (not blocked)
        if not blocked:
            assert ("office",) in steering.coalitions
            assert ("office",) not in steering.recorded


SHAPES = [
    shape
    for office_secret, witness_secret, dice, drand, witnesses in itertools.product(
        (False, True), (False, True), (None, "typed", "keyed"), (False, True), (False, True)
    )
    if (shape := Shape(office_secret, witness_secret, dice, drand, witnesses)).has_source
]


def test_every_shape_once() -> None:
    assert len(SHAPES) == 46
    for shape in SHAPES:
        check(shape)


@settings(max_examples=100, deadline=None)
@given(
    shape=st.sampled_from(SHAPES),
    witness_commits_first=st.booleans(),
    witness_signs_late=st.booleans(),
    office_bytes=st.binary(min_size=32, max_size=32),
    witness_bytes=st.binary(min_size=32, max_size=32),
    rolls=st.lists(st.integers(1, 6), min_size=50, max_size=50),
)
def test_steering_of_random_small_ceremonies(
    shape: Shape,
    witness_commits_first: bool,
    witness_signs_late: bool,
    office_bytes: bytes,
    witness_bytes: bytes,
    rolls: list[int],
) -> None:
    check(
        attrs.evolve(
            shape,
            witness_commits_first=witness_commits_first,
            witness_signs_late=witness_signs_late,
            office_bytes=office_bytes,
            witness_bytes=witness_bytes,
            rolls=tuple(rolls),
        )
    )
