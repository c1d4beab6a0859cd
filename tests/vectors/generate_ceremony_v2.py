"""Write the ceremony spec v2 vectors, or check that the committed file is current.

    python tests/vectors/generate_ceremony_v2.py           # rewrite tests/vectors/ceremony-v2.json
    python tests/vectors/generate_ceremony_v2.py --check   # exit 1, with a summary, if it differs

Every case is a complete signed record with fixed inputs: an office key and participants' keys
made from fixed private keys (Ed25519 signatures are deterministic), fixed secrets and dice
rolls, fixed times, and the real quicknet drand beacon of round 657413 (due
2023-09-15T11:00:03Z). Beside each record the file holds its populations, the intermediate
values of each construction (the announcement hash, every participant statement's signed bytes,
every commitment, the closing hash, the seed), and the expected outcome of each check of the
verification report and of the analysis of who could have chosen the outcome.

The valid cases are run with :class:`fairdraw.ceremony.Ceremony` and the participants' own
devices (:mod:`fairdraw.participant`). The tampered cases start from ``witnessed-beacon``:
each edits its events and then rebuilds the chain (:func:`rechain`): every later event and the
record are signed again by the office, and what depends on earlier events (a witness's
announcement hash, the reveals' closing, the seed, the draw) is recomputed, a participant's
statement being signed again with their own key when such a member changed. So each case
breaks exactly the rule it names; ``derived_from.differs`` lists the checks whose status differs
from the base case, and the generator refuses to write a case that does otherwise.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import Population, verification_report
from fairdraw.canonical import canonical_json
from fairdraw.ceremony import Ceremony, ScopePlan, commitment
from fairdraw.ceremony.events import GENESIS, event_hash, sign_event, sign_record
from fairdraw.ceremony.rules import body_statement
from fairdraw.ceremony.scopes import draw_scope, result_json, seed_from
from fairdraw.ceremony.sources import seed_inputs
from fairdraw.errors import VerificationError
from fairdraw.participant import body_of, make_commit, make_dice, make_reveal, make_witness
from fairdraw.randomness.drand import DrandChain
from fairdraw.signing import OfficeKey, PublicKey

HERE = Path(__file__).parent
VECTOR = HERE / "ceremony-v2.json"
PARTICIPANT_PREFIX = b"fairdraw/v1/participant\x00"


def fixed_key(start: int) -> bytes:
    """32 fixed private-key bytes (tests only)."""
    return bytes(range(start, start + 32))


PRIVATE_KEYS = {
    "office": fixed_key(0),
    "witness": fixed_key(40),
    "leader": fixed_key(80),
    "stranger": fixed_key(120),
}
KEYS = {
    name: OfficeKey(Ed25519PrivateKey.from_private_bytes(raw)) for name, raw in PRIVATE_KEYS.items()
}
OFFICE = KEYS["office"]
SECRETS = {"office-secret": bytes(range(32, 64)), "witness-secret": bytes(range(64, 96))}
OWNERS = {"office-secret": "office", "witness-secret": "witness"}
ROLLS = [3, 6, 1, 4, 2, 5, 5, 1, 6, 2, 4, 3, 3, 6, 1, 2, 5, 4, 6, 1, 2, 3, 4, 5, 6]
ROLLS += [6, 5, 4, 3, 2, 1, 1, 2, 3, 4, 5, 6, 2, 4, 6, 1, 3, 5, 2, 2, 4, 4, 6, 6, 1]
SALT = bytes(range(96, 128))
ROUND = 657413
ROUND_TIME = "2023-09-15T11:00:03Z"
MAINT = Population.of([f"MAINT-{i:03d}" for i in range(30)])
USE = Population.of([f"USE-{i:03d}" for i in range(12)], salt=SALT)
POPULATIONS = {"2023-09/MAINT": MAINT, "2023-09/USE": USE}
BASE = "witnessed-beacon"


def at(text: str) -> datetime:
    """A fixed time, written as in the record (``2023-09-15T09:00:00Z``)."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _beacon() -> dict[str, Any]:
    beacons = json.loads((HERE / "drand" / "beacons.json").read_text(encoding="utf-8"))["beacons"]
    found = next(b for b in beacons if b["chain"] == "quicknet" and b["round"] == ROUND)
    return {"round": ROUND, "signature": found["signature"]}


BEACON = _beacon()


# -- the valid cases, run with the Ceremony class ---------------------------------------------


def _participants(*, witness: bool, leader: str | None) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = [{"id": "office", "role": "office"}]
    if witness:
        people.append(
            {
                "id": "witness",
                "role": "witness",
                "key": KEYS["witness"].public.to_json(),
                "name": "Notary (fictitious)",
            }
        )
    if leader is not None:
        key = KEYS["leader"].public.to_json() if leader == "keyed" else None
        people.append({"id": "leader", "role": "leader", "key": key})
    return people


def _sources(
    *, office_secret: bool, witness_secret: bool, dice: bool, drand: bool
) -> list[dict[str, Any]]:
    sources: list[dict[str, Any]] = []
    if office_secret:
        sources.append({"id": "office-secret", "type": "local", "participant": "office"})
    if witness_secret:
        sources.append({"id": "witness-secret", "type": "local", "participant": "witness"})
    if dice:
        sources.append(
            {"id": "leader-dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6}
        )
    if drand:
        sources.append(
            {
                "id": "drand",
                "type": "drand",
                "chain": "quicknet",
                "chain_hash": DrandChain.quicknet().chain_hash.hex(),
                "round": ROUND,
                "round_time": ROUND_TIME,
            }
        )
    return sources


def run(
    draw_id: str,
    *,
    office_secret: bool = True,
    witness_secret: bool = False,
    witnesses: bool = False,
    leader: str | None = "typed",
    drand: bool = True,
    version: int = 2,
    single_party_reason: str | None = None,
) -> dict[str, Any]:
    """Run a ceremony with the Ceremony class; return its signed record.

    Args:
        leader: None (no dice), ``typed`` (the leader has no key: the office types the rolls)
            or ``keyed`` (the leader signs their rolls on their own device).
        version: 2, or 1 for the v1 order (the dice typed after the office's reveal).
    """
    people = _participants(witness=witness_secret or witnesses, leader=leader)
    if version == 1:  # a v1 participant entry has no key
        people = [{"id": p["id"], "role": p["role"]} for p in people]
    ceremony = Ceremony.announce(
        OFFICE,
        draw_id=draw_id,
        office="fairdraw test vector office",
        scopes=[
            ScopePlan(scope="2023-09/MAINT", population=MAINT, k=3, alternates=1),
            ScopePlan(scope="2023-09/USE", population=USE, k=2, confidential=True),
        ],
        participants=people,
        sources=_sources(
            office_secret=office_secret,
            witness_secret=witness_secret,
            dice=leader is not None,
            drand=drand,
        ),
        commit_deadline=at("2023-09-15T09:30:00Z"),
        reveal_deadline=at("2023-09-15T10:30:00Z"),
        at=at("2023-09-15T09:00:00Z"),
        single_party_reason=single_party_reason,
        version=version,
    )
    announcement = ceremony.events[0]
    if witnesses:
        seen = make_witness(KEYS["witness"], announcement, "witness", at("2023-09-15T09:01:00Z"))
        ceremony.accept(seen, at=at("2023-09-15T09:02:00Z"))
    if office_secret:
        ceremony.commit_secret(
            "office-secret", SECRETS["office-secret"], at=at("2023-09-15T09:05:00Z")
        )
    if witness_secret:
        signed = make_commit(
            KEYS["witness"], announcement, "witness", "witness-secret", SECRETS["witness-secret"]
        )
        ceremony.accept(signed, at=at("2023-09-15T09:06:00Z"))

    def dice(when: str) -> None:
        if leader == "keyed":
            signed = make_dice(KEYS["leader"], announcement, "leader", "leader-dice", ROLLS)
            ceremony.accept(signed, at=at(when))
        elif leader == "typed":
            ceremony.add_value("leader-dice", {"rolls": ROLLS}, at=at(when))

    if version == 2:
        dice("2023-09-15T09:40:00Z")
    if office_secret:
        ceremony.reveal("office-secret", SECRETS["office-secret"], at=at("2023-09-15T09:50:00Z"))
    if witness_secret:
        signed = make_reveal(
            KEYS["witness"], ceremony.events, "witness", "witness-secret", SECRETS["witness-secret"]
        )
        ceremony.accept(signed, at=at("2023-09-15T09:51:00Z"))
    if version == 1:
        dice("2023-09-15T10:00:00Z")
    if drand:
        ceremony.add_value("drand", BEACON, at=at("2023-09-15T11:00:10Z"))
        ceremony.seed(at=at("2023-09-15T11:00:20Z"))
        return ceremony.draw(POPULATIONS, at=at("2023-09-15T11:00:30Z"))
    ceremony.seed(at=at("2023-09-15T10:00:20Z"))
    return ceremony.draw(POPULATIONS, at=at("2023-09-15T10:00:30Z"))


# -- the tampered cases: edit the events, then rebuild the chain ------------------------------


def sign_body(kind: str, draw_id: str, body: dict[str, Any], participant: str) -> None:
    """Sign ``body`` again as ``participant``'s statement, with the key they actually hold."""
    statement = body_statement(kind, draw_id, body)
    body["signature"] = KEYS[participant].sign("participant", statement).hex()


def rechain(plain: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Sign unsigned events in order with the office key and return the signed record.

    Each event gets its sequence and its link to the event before it. A witness's
    ``announcement`` and every reveal's ``closing`` are set to what they must name now, and a
    participant's statement is signed again with their own key when one of them changed. A
    ``seed`` event is recomputed from the announcement and the record's values, and a ``draw``
    event from that seed and the populations. Nothing else changes: an edited body, time or
    signature stays as the edit left it.
    """
    signed: list[dict[str, Any]] = []
    closing: str | None = None
    seed = b""
    draw_id = str(plain[0]["draw_id"])
    for index, original in enumerate(plain):
        event = copy.deepcopy(dict(original))
        event["sequence"] = index
        event["previous"] = event_hash(signed[-1]) if signed else GENESIS
        kind, body = event["kind"], event["body"]
        derived: dict[str, str] = {}
        if kind == "witness":
            derived["announcement"] = event_hash(signed[0])
        if kind == "reveal" and "closing" in body:
            closing = closing or event_hash(signed[-1])
            derived["closing"] = closing
        changed = {k: v for k, v in derived.items() if body[k] != v}
        body.update(changed)
        if changed and body.get("signature") is not None:
            sign_body(kind, draw_id, body, body["participant"])
        if kind == "seed":
            sources = signed[0]["event"]["body"]["sources"]
            reveals = {e["body"]["source"]: e["body"] for e in plain if e["kind"] == "reveal"}
            values = {e["body"]["source"]: e["body"] for e in plain if e["kind"] == "randomness"}
            seed = seed_from(signed[0], seed_inputs(sources, reveals, values))
            event["body"] = {"announcement": event_hash(signed[0]), "seed": seed.hex()}
        if kind == "draw":
            scopes = signed[0]["event"]["body"]["scopes"]
            event["body"] = {
                "results": [
                    result_json(entry, draw_scope(entry, seed, POPULATIONS[entry["scope"]]))
                    for entry in scopes
                ]
            }
        signed.append(sign_event(OFFICE, event))
    return sign_record(OFFICE, draw_id, signed)


def derive(
    record: Mapping[str, Any], edit: Callable[[list[dict[str, Any]]], None]
) -> dict[str, Any]:
    """The record of ``record``'s events edited by ``edit`` (on the unsigned events), rebuilt."""
    plain = [copy.deepcopy(e["event"]) for e in record["events"]]
    edit(plain)
    return rechain(plain)


def find(plain: Sequence[dict[str, Any]], kind: str, source: str | None = None) -> int:
    """The index of the first event of ``kind`` (of ``source``)."""
    return next(
        i
        for i, e in enumerate(plain)
        if e["kind"] == kind and (source is None or e["body"].get("source") == source)
    )


def reveal_before_dice(plain: list[dict[str, Any]]) -> None:
    """The office's reveal moved before the dice (each keeps its place in time)."""
    dice, reveal = find(plain, "randomness", "leader-dice"), find(plain, "reveal", "office-secret")
    plain[dice]["time"], plain[reveal]["time"] = plain[reveal]["time"], plain[dice]["time"]
    plain[dice], plain[reveal] = plain[reveal], plain[dice]


def witness_after_round(plain: list[dict[str, Any]]) -> None:
    """The witness signs a time after the round was due (a valid signature)."""
    body = plain[find(plain, "witness")]["body"]
    body["time"] = "2023-09-15T11:00:05Z"
    sign_body("witness", plain[0]["draw_id"], body, "witness")


def witness_signature_flipped(plain: list[dict[str, Any]]) -> None:
    """One hex digit of the witness's signature changed."""
    body = plain[find(plain, "witness")]["body"]
    last = body["signature"][-1]
    body["signature"] = body["signature"][:-1] + ("1" if last == "0" else "0")


def extra_member(plain: list[dict[str, Any]]) -> None:
    """The witness's commitment carries a member no statement has (signed with it)."""
    body = plain[find(plain, "commit", "witness-secret")]["body"]
    body["note"] = "an extra member"
    sign_body("commit", plain[0]["draw_id"], body, "witness")


def controllers_changed(plain: list[dict[str, Any]]) -> None:
    """The dice the office types announced as controlled by the leader alone."""
    sources = plain[0]["body"]["sources"]
    next(s for s in sources if s["id"] == "leader-dice")["controllers"] = ["leader"]


def key_swapped(plain: list[dict[str, Any]]) -> None:
    """The witness announced with another key than the one that signs their statements."""
    people = plain[0]["body"]["participants"]
    next(p for p in people if p["id"] == "witness")["key"] = KEYS["stranger"].public.to_json()


def beacon_due_before_last_reveal(plain: list[dict[str, Any]]) -> None:
    """The reveal deadline after the round, and the witness's reveal after the round was due."""
    plain[0]["body"]["deadlines"]["reveal"] = "2023-09-15T11:30:00Z"
    plain[find(plain, "reveal", "witness-secret")]["time"] = "2023-09-15T11:00:05Z"


def event_after_draw(plain: list[dict[str, Any]]) -> None:
    """A second witness statement, signed after the draw, recorded after it."""
    announcement = sign_event(OFFICE, plain[0])
    seen = make_witness(KEYS["witness"], announcement, "witness", at("2023-09-15T11:00:40Z"))
    later = copy.deepcopy(plain[-1])
    later.update(kind="witness", time="2023-09-15T11:00:40Z", body=body_of(seen))
    plain.append(later)


def abort_then_event(plain: list[dict[str, Any]]) -> None:
    """An abort after the reveals, and the beacon's value recorded after it."""
    beacon = plain[find(plain, "randomness", "drand")]
    abort = copy.deepcopy(beacon)
    abort.update(kind="abort", time="2023-09-15T10:00:00Z", body={"reason": "a test of the order"})
    del plain[find(plain, "randomness", "drand") :]
    plain.extend([abort, beacon])


TAMPERED: list[tuple[str, Callable[[list[dict[str, Any]]], None], dict[str, str]]] = [
    ("reveal-before-dice", reveal_before_dice, {"order of the events": "failed"}),
    ("witness-after-round", witness_after_round, {"participants' signed statements": "failed"}),
    (
        "witness-signature-flipped",
        witness_signature_flipped,
        {"participants' signed statements": "failed"},
    ),
    ("extra-member", extra_member, {"participants' signed statements": "failed"}),
    ("controllers-changed", controllers_changed, {"announcement and entropy rule": "failed"}),
    ("participant-key-swapped", key_swapped, {"participants' signed statements": "failed"}),
    (
        "beacon-due-before-last-reveal",
        beacon_due_before_last_reveal,
        {"order of the events": "failed"},
    ),
    ("event-after-draw", event_after_draw, {"order of the events": "failed"}),
    (
        "abort-then-event",
        abort_then_event,
        {
            "order of the events": "failed",
            # an aborted record has no seed and no draw to check
            "seed": "absent",
            "scope 2023-09/MAINT: published scores": "absent",
            "scope 2023-09/MAINT: complete recomputation": "absent",
            "scope 2023-09/USE: published scores": "absent",
            "scope 2023-09/USE: complete recomputation": "absent",
            "outcome": "failed",
        },
    ),
]
"""Each tampered case: its name, its edit, and the checks whose status must differ from the base
case's (with the status they get). A check missing from the record is ``absent``."""


# -- expected values --------------------------------------------------------------------------


def _statements(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    events = record["events"]
    body = events[0]["event"]["body"]
    keys = {p["id"]: p["key"] for p in body["participants"] if p.get("key") is not None}
    found = []
    for signed in events[1:]:
        event = signed["event"]
        content = event["body"]
        if not isinstance(content.get("signature"), str):
            continue
        statement = body_statement(event["kind"], event["draw_id"], content)
        message = PARTICIPANT_PREFIX + canonical_json(statement)
        key = keys.get(content["participant"])
        verifies = False
        if key is not None:
            try:
                PublicKey.from_hex(key["public_key"]).verify(
                    "participant", statement, bytes.fromhex(content["signature"])
                )
                verifies = True
            except VerificationError:
                verifies = False
        found.append(
            {
                "event": event["sequence"],
                "act": event["kind"],
                "participant": content["participant"],
                "statement": statement,
                "signed_bytes": message.hex(),
                "signature": content["signature"],
                "verifies": verifies,
            }
        )
    return found


def intermediate(record: Mapping[str, Any]) -> dict[str, Any]:
    """The values another implementation recomputes, one construction at a time."""
    events = record["events"]
    announce = events[0]["event"]
    body = announce["body"]
    draw_id = announce["draw_id"]
    kinds = [e["event"]["kind"] for e in events]
    closing = None
    if "reveal" in kinds and announce["spec"] == "fairdraw/ceremony/v2":
        closing = event_hash(events[kinds.index("reveal") - 1])
    local = [s for s in body["sources"] if s["type"] == "local"]
    values: dict[str, str] | None = None
    seed = None
    if "seed" in kinds:
        bodies = [e["event"] for e in events]
        reveals = {e["body"]["source"]: e["body"] for e in bodies if e["kind"] == "reveal"}
        given = {e["body"]["source"]: e["body"] for e in bodies if e["kind"] == "randomness"}
        inputs = seed_inputs(body["sources"], reveals, given)
        values = {source: value.hex() for source, value in inputs}
        seed = seed_from(events[0], inputs).hex()
    return {
        "office_key_id": OFFICE.key_id,
        "announcement_hash": event_hash(events[0]),
        "participant_key_ids": {
            p["id"]: p["key"]["key_id"] for p in body["participants"] if p.get("key") is not None
        },
        "commitments": {
            s["id"]: commitment(draw_id, s["participant"], SECRETS[s["id"]]).hex() for s in local
        },
        "statements": _statements(record),
        "closing": closing,
        "source_values": values,
        "seed": seed,
    }


STEERING_MEMBERS = (
    "status",
    "coalitions",
    "as_recorded",
    "alone",
    "abort_after_seeing",
    "witnesses",
)


def expected(record: Mapping[str, Any]) -> dict[str, Any]:
    """What fairdraw's verification reports for the record, check by check."""
    report = verification_report(record, populations=POPULATIONS, public_key=OFFICE.public)
    steering = None if report.steering is None else report.steering.to_dict()
    return {
        "verdict": report.verdict,
        "checks": {c.name: c.status for c in report.checks},
        "steering": None if steering is None else {k: steering[k] for k in STEERING_MEMBERS},
    }


def case(
    name: str, description: str, record: dict[str, Any], derived: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One case of the file."""
    body = record["events"][0]["event"]["body"]
    local = [s["id"] for s in body["sources"] if s["type"] == "local"]
    entry: dict[str, Any] = {"name": name, "description": description}
    if derived is not None:
        entry["derived_from"] = derived
    entry.update(
        {
            "secrets": {source: SECRETS[source].hex() for source in local},
            "populations": {
                scope: {"labels": list(population), "salt": population.salt.hex() or None}
                for scope, population in POPULATIONS.items()
            },
            "record": record,
            "intermediate": intermediate(record),
            "expected": expected(record),
        }
    )
    return entry


def _differs(base: Mapping[str, str], other: Mapping[str, str]) -> dict[str, str]:
    names = list(dict.fromkeys([*base, *other]))
    return {
        n: other.get(n, "absent") for n in names if base.get(n, "absent") != other.get(n, "absent")
    }


def build() -> dict[str, Any]:
    """The vector file, computed with fairdraw."""
    base = run("vector-v2-witnessed", witness_secret=True, witnesses=True)
    again = rechain([e["event"] for e in base["events"]])
    if again != base:
        raise SystemExit("rechain() must rebuild an untouched record exactly")
    cases = [
        case(
            BASE,
            "Office secret, a keyed witness who witnesses the announcement before the round and "
            "commits and reveals their own secret, the leader's dice typed by the office before "
            "the reveals, and drand quicknet round 657413: nobody alone could have chosen.",
            base,
        ),
        case(
            "keyed-leader",
            "As witnessed-beacon, but the leader holds a key and signs their own dice.",
            run("vector-v2-keyed-leader", witness_secret=True, witnesses=True, leader="keyed"),
        ),
        case(
            "keyed-leader-unwitnessed",
            "Office secret, the leader's own signed dice and drand, no witness: the office "
            "announcing after the beacon still needs the leader.",
            run("vector-v2-keyed-leader-only", leader="keyed"),
        ),
        case(
            "unwitnessed-beacon",
            "Office secret, dice typed by the office and drand, no witness: only the office's "
            "clock shows the announcement came before the round (not checked).",
            run("vector-v2-unwitnessed"),
        ),
        case(
            "single-party",
            "Only dice, typed by the office, with a single_party_reason: a well-formed record "
            "whose outcome the office (or the leader) alone could have chosen.",
            run(
                "vector-v2-single-party",
                office_secret=False,
                drand=False,
                single_party_reason="a rehearsal of the ceremony, with no outside party present",
            ),
        ),
        case(
            "v1-order",
            "A ceremony v1 record: the office's secret revealed, then the dice typed, no beacon. "
            "The office could search dice lines until the draw suited it (the grinding attack).",
            run("vector-v1-order", drand=False, version=1),
        ),
    ]
    base_checks = cases[0]["expected"]["checks"]
    for name, edit, differs in TAMPERED:
        record = derive(base, edit)
        entry = case(
            name,
            str(edit.__doc__),
            record,
            {"case": BASE, "differs": differs},
        )
        actual = _differs(base_checks, entry["expected"]["checks"])
        if actual != differs:
            raise SystemExit(f"{name}: the checks that differ are {actual}, not {differs}")
        cases.append(entry)
    return {
        "format": "fairdraw-ceremony-vectors/2",
        "spec": "fairdraw/ceremony/v2",
        "generator": "tests/vectors/generate_ceremony_v2.py",
        "keys": {name: raw.hex() for name, raw in PRIVATE_KEYS.items()},
        "beacon": {"chain": "quicknet", "round_time": ROUND_TIME, **BEACON},
        "cases": cases,
    }


def render(data: Mapping[str, Any]) -> str:
    """The exact text of the vector file."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def summary(old_text: str, new_text: str, limit: int = 40) -> list[str]:
    """What differs between the committed file and the generated one, in a few lines."""
    try:
        old, new = json.loads(old_text), json.loads(new_text)
        old_cases = {c["name"]: c for c in old.get("cases", [])}
        new_cases = {c["name"]: c for c in new.get("cases", [])}
    except (ValueError, AttributeError, KeyError, TypeError):
        old = new = None
    if old is None or new is None:
        diff = difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), lineterm="")
        return list(diff)[:limit]
    lines = [
        f"  top-level member {k!r} differs"
        for k in sorted({*old, *new} - {"cases"})
        if old.get(k) != new.get(k)
    ]
    for name in old_cases.keys() - new_cases.keys():
        lines.append(f"  case {name!r} is no longer generated")
    for name in new_cases.keys() - old_cases.keys():
        lines.append(f"  case {name!r} is new")
    for name in new_cases.keys() & old_cases.keys():
        members = [
            k
            for k in dict.fromkeys([*old_cases[name], *new_cases[name]])
            if old_cases[name].get(k) != new_cases[name].get(k)
        ]
        if members:
            lines.append(f"  case {name!r} differs in {', '.join(members)}")
    if not lines:
        lines.append("  the same JSON, written differently")
    return lines[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=str(__doc__).splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    text = render(build())
    if args.check:
        old = VECTOR.read_text(encoding="utf-8") if VECTOR.exists() else ""
        if old != text:
            print(f"{VECTOR} is out of date: run python {sys.argv[0]}", file=sys.stderr)
            for line in summary(old, text):
                print(line, file=sys.stderr)
            return 1
        print(f"{VECTOR} is current")
        return 0
    VECTOR.write_text(text, encoding="utf-8")
    print(f"wrote {VECTOR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
