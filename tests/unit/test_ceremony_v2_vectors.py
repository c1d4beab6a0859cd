"""The ceremony v2 vectors: current, reported as expected, and recomputable from the spec text.

The recomputation here uses hashlib, rfc8785, ``cryptography``'s Ed25519 and the spec-only draw
reference, not fairdraw's ceremony code, so it checks the constructions of ceremony spec v2
(sections 2.1, 3 and 6) as written. What each case must give is written out here by hand
(:data:`INTENDED`), besides the outcome the file records, so that regenerating the file cannot
quietly change what a case shows.
"""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

import spec_reference as ref
from fairdraw import Population, verification_report
from fairdraw.ceremony import Ceremony
from fairdraw.ceremony.report import STEERING
from fairdraw.errors import CeremonyError
from fairdraw.signing import OfficeKey, PublicKey
from vectors import generate_ceremony_v2 as generator

HERE = Path(__file__).parents[1] / "vectors"
VECTOR: dict[str, Any] = json.loads((HERE / "ceremony-v2.json").read_text(encoding="utf-8"))
CASES: dict[str, dict[str, Any]] = {c["name"]: c for c in VECTOR["cases"]}
GENESIS = "0" * 64
STATEMENTS = "participants' signed statements"
ORDER = "order of the events"
Edit = Callable[[list[dict[str, Any]]], None]

INTENDED: dict[str, tuple[str, dict[str, str], str, list[list[str]]]] = {
    # name: verdict, every check that does not pass, steering status, coalitions
    "witnessed-beacon": ("passed", {}, "passed", [["office", "witness"]]),
    "keyed-leader": ("passed", {}, "passed", [["office", "witness", "leader"]]),
    "keyed-leader-unwitnessed": ("passed", {}, "passed", [["office", "leader"]]),
    "unwitnessed-beacon": ("incomplete", {STEERING: "not checked"}, "not checked", [["office"]]),
    "single-party": ("failed", {STEERING: "failed"}, "failed", [["office"], ["leader"]]),
    "v1-order": ("failed", {STEERING: "failed"}, "failed", [["office"]]),
    "reveal-before-dice": ("failed", {ORDER: "failed"}, "passed", [["office", "witness"]]),
    "witness-after-round": ("failed", {STATEMENTS: "failed"}, "passed", [["office", "witness"]]),
    "witness-signature-flipped": (
        "failed",
        {STATEMENTS: "failed"},
        "passed",
        [["office", "witness"]],
    ),
    "extra-member": ("failed", {STATEMENTS: "failed"}, "passed", [["office", "witness"]]),
    "controllers-changed": (
        "failed",
        {"announcement and entropy rule": "failed"},
        "passed",
        [["office", "witness"]],
    ),
    "participant-key-swapped": (
        "failed",
        {STATEMENTS: "failed"},
        "passed",
        [["office", "witness"]],
    ),
    "beacon-due-before-last-reveal": (
        "failed",
        {ORDER: "failed"},
        "passed",
        [["office", "witness"]],
    ),
    "event-after-draw": ("failed", {ORDER: "failed"}, "passed", [["office", "witness"]]),
    "abort-then-event": (
        "failed",
        {ORDER: "failed", "outcome": "failed"},
        "passed",
        [["office", "witness"]],
    ),
}


def lp(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def public_bytes(private_hex: str) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex))
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def ed25519_verifies(public: bytes, signature_hex: str, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def populations(case: dict[str, Any]) -> dict[str, Population]:
    return {
        scope: Population.of(entry["labels"], salt=entry["salt"])
        for scope, entry in case["populations"].items()
    }


def office_public() -> PublicKey:
    return PublicKey.from_hex(public_bytes(VECTOR["keys"]["office"]).hex())


def report_of(record: dict[str, Any], case: dict[str, Any]) -> Any:
    return verification_report(record, populations=populations(case), public_key=office_public())


# -- the file ---------------------------------------------------------------------------------


def test_vector_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(HERE / "generate_ceremony_v2.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_check_mode_fails_and_says_what_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = copy.deepcopy(VECTOR)
    changed["cases"][0]["expected"]["verdict"] = "failed"
    del changed["cases"][-1]
    stale = tmp_path / "ceremony-v2.json"
    stale.write_text(generator.render(changed), encoding="utf-8")
    monkeypatch.setattr(generator, "VECTOR", stale)
    monkeypatch.setattr(sys, "argv", ["generate_ceremony_v2.py", "--check"])
    assert generator.main() == 1
    err = capsys.readouterr().err
    assert "is out of date" in err
    assert "case 'witnessed-beacon' differs in expected" in err
    assert "case 'abort-then-event' is new" in err
    assert stale.read_text(encoding="utf-8") == generator.render(changed)  # --check writes nothing


def test_every_intended_case_is_in_the_file() -> None:
    assert list(CASES) == list(INTENDED)


# -- what verification reports ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(INTENDED))
def test_the_report_is_the_expected_one(name: str) -> None:
    case = CASES[name]
    report = report_of(case["record"], case)
    expected = case["expected"]
    assert report.verdict == expected["verdict"]
    assert [(c.name, c.status) for c in report.checks] == list(expected["checks"].items())
    assert report.steering is not None
    steering = report.steering.to_dict()
    assert {k: steering[k] for k in expected["steering"]} == expected["steering"]
    assert set(expected["steering"]) == {
        "status",
        "coalitions",
        "as_recorded",
        "alone",
        "abort_after_seeing",
        "witnesses",
    }


@pytest.mark.parametrize("name", list(INTENDED))
def test_the_case_shows_what_it_is_meant_to(name: str) -> None:
    verdict, not_passed, status, coalitions = INTENDED[name]
    expected = CASES[name]["expected"]
    assert expected["verdict"] == verdict
    shown = {check: s for check, s in expected["checks"].items() if s != "passed"}
    assert shown == not_passed
    assert expected["steering"]["status"] == status
    assert expected["steering"]["coalitions"] == coalitions
    alone = [c[0] for c in coalitions if len(c) == 1]
    assert expected["steering"]["alone"] == alone


def test_tampered_cases_differ_from_their_base_only_as_stated() -> None:
    for case in VECTOR["cases"]:
        derived = case.get("derived_from")
        if derived is None:
            continue
        base = CASES[derived["case"]]["expected"]["checks"]
        mine = case["expected"]["checks"]
        names = list(dict.fromkeys([*base, *mine]))
        differs = {
            n: mine.get(n, "absent")
            for n in names
            if base.get(n, "absent") != mine.get(n, "absent")
        }
        assert differs == derived["differs"], case["name"]


def test_a_witness_who_signed_after_the_round_attests_nothing() -> None:
    assert CASES["witnessed-beacon"]["expected"]["steering"]["witnesses"] == ["witness"]
    assert CASES["witness-after-round"]["expected"]["steering"]["witnesses"] == []


def test_the_ceremony_class_refuses_a_beacon_due_before_the_last_reveal() -> None:
    events = CASES["beacon-due-before-last-reveal"]["record"]["events"]
    before = [e for e in events if e["event"]["kind"] not in {"seed", "draw"}][:-1]
    assert events[len(before)]["event"]["body"]["source"] == "drand"
    office = OfficeKey(
        Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTOR["keys"]["office"]))
    )
    ceremony = Ceremony(before, office)
    with pytest.raises(CeremonyError, match="it could have been known then"):
        ceremony.add_value("drand", events[len(before)]["event"]["body"]["value"])


# -- the constructions, from the spec text ----------------------------------------------------


def controllers_by_the_table(source: dict[str, Any], keyed: set[str]) -> list[str]:
    """Ceremony spec v2, section 2.1."""
    kind = source["type"]
    if kind in {"drand", "nist"}:
        return [kind]
    if kind == "public-record":
        return [source["publisher"]]
    participant = source["participant"]
    if participant in keyed or participant == "office":
        return [participant]
    return sorted({participant, "office"})


def source_value(source: dict[str, Any], body: dict[str, Any]) -> bytes:
    """Ceremony spec v1, section 2.4: the bytes a source gives the seed."""
    if source["type"] == "local":
        return bytes.fromhex(body["secret"])
    if source["type"] == "dice":
        return ",".join(map(str, body["value"]["rolls"])).encode()
    assert source["type"] == "drand"
    return hashlib.sha256(bytes.fromhex(body["value"]["signature"])).digest()


@pytest.mark.parametrize("name", list(INTENDED))
def test_constructions_from_the_spec_text(name: str) -> None:
    case = CASES[name]
    record, mine = case["record"], case["intermediate"]
    events = record["events"]
    announce = events[0]["event"]
    body, draw_id = announce["body"], announce["draw_id"]
    v2 = announce["spec"] == "fairdraw/ceremony/v2"

    # keys: the key id is the SHA-256 of the raw Ed25519 public key
    office = public_bytes(VECTOR["keys"]["office"])
    assert body["office_key"]["public_key"] == office.hex()
    assert sha256(office) == body["office_key"]["key_id"] == mine["office_key_id"]
    announced = {p["id"]: p["key"] for p in body["participants"] if p.get("key") is not None}
    for pid, key in announced.items():
        assert sha256(bytes.fromhex(key["public_key"])) == key["key_id"]
        assert mine["participant_key_ids"][pid] == key["key_id"]
    assert set(mine["participant_key_ids"]) == set(announced)

    # the office's signatures and the hash chain
    for index, signed in enumerate(events):
        message = b"fairdraw/v1/event\x00" + rfc8785.dumps(signed["event"])
        assert ed25519_verifies(office, signed["signature"], message)
        previous = GENESIS if index == 0 else sha256(rfc8785.dumps(events[index - 1]))
        assert signed["event"]["previous"] == previous
    payload = {k: record[k] for k in ("media_type", "spec", "draw_id", "events")}
    record_message = b"fairdraw/v1/record\x00" + rfc8785.dumps(payload)
    assert ed25519_verifies(office, record["signature"], record_message)
    announcement = hashlib.sha256(rfc8785.dumps(events[0])).digest()
    assert announcement.hex() == mine["announcement_hash"]

    # section 2.1: who controls each source
    for source in body["sources"]:
        if v2:
            table = controllers_by_the_table(source, set(announced))
            changed = name == "controllers-changed" and source["id"] == "leader-dice"
            assert (source["controllers"] == table) != changed

    # v1 section 2.2: each commitment
    for source in (s for s in body["sources"] if s["type"] == "local"):
        secret = bytes.fromhex(case["secrets"][source["id"]])
        participant = source["participant"].encode()
        commit = sha256(b"fairdraw/v1/commit\x00" + lp(draw_id.encode()) + lp(participant) + secret)
        assert mine["commitments"][source["id"]] == commit
        recorded = [
            e["event"]["body"]["commitment"]
            for e in events
            if e["event"]["kind"] == "commit" and e["event"]["body"]["source"] == source["id"]
        ]
        assert recorded == [commit]

    # section 3: a statement is the body without "signature", plus act and draw_id, signed
    # over "fairdraw/v1/participant" 0x00 ‖ JCS(statement) with the announced key
    statements = []
    for signed in events[1:]:
        event = signed["event"]
        content = event["body"]
        if not isinstance(content.get("signature"), str):
            continue
        statement = {k: v for k, v in content.items() if k != "signature"}
        statement |= {"act": event["kind"], "draw_id": draw_id}
        message = b"fairdraw/v1/participant\x00" + rfc8785.dumps(statement)
        key = announced.get(content["participant"])
        verifies = key is not None and ed25519_verifies(
            bytes.fromhex(key["public_key"]), content["signature"], message
        )
        statements.append(
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
        # whoever signed, signed with the key they hold (in the swapped case: not the announced)
        holder = public_bytes(VECTOR["keys"][content["participant"]])
        tampered = name == "witness-signature-flipped" and event["kind"] == "witness"
        assert ed25519_verifies(holder, content["signature"], message) != tampered
    assert statements == mine["statements"]

    # section 3: closing is H(JCS(signed event)) of the event just before the first reveal
    kinds = [e["event"]["kind"] for e in events]
    if v2 and "reveal" in kinds:
        closing = sha256(rfc8785.dumps(events[kinds.index("reveal") - 1]))
        assert mine["closing"] == closing
        reveals = [e["event"]["body"] for e in events if e["event"]["kind"] == "reveal"]
        assert reveals
        assert all(b["closing"] == closing for b in reveals)
    else:  # v1 reveals name no closing; a ceremony without secrets has no reveal
        assert mine["closing"] is None
        assert name in {"v1-order", "single-party"}

    # section 6 (v1 sections 2.4, 2.5): the seed, then each scope's draw
    if "seed" not in kinds:
        assert mine["seed"] is None
        return
    bodies = {
        e["event"]["body"]["source"]: e["event"]["body"]
        for e in events
        if e["event"]["kind"] in {"reveal", "randomness"}
    }
    values = [(s["id"], source_value(s, bodies[s["id"]])) for s in body["sources"]]
    assert {i: v.hex() for i, v in values} == mine["source_values"]
    data = b"fairdraw/v1/seed\x00" + announcement
    for source_id, value in values:
        data += lp(source_id.encode()) + lp(value)
    seed = sha256(data)
    assert seed == mine["seed"] == events[kinds.index("seed")]["event"]["body"]["seed"]
    results = events[kinds.index("draw")]["event"]["body"]["results"]
    for entry, result in zip(body["scopes"], results, strict=True):
        labels = case["populations"][entry["scope"]]["labels"]
        salt = bytes.fromhex(case["populations"][entry["scope"]]["salt"] or "")
        assert ref.population_digest(labels, salt).hex() == entry["population_digest"]
        drawn = ref.draw_exact(seed, entry["scope"], labels, entry["k"], entry["alternates"])
        assert drawn["subseed"] == result["subseed"]
        assert (drawn["selected"], drawn["alternates"]) == (
            result["selected"],
            result["alternates"],
        )


# -- regressions: gaps in the verification found while writing the vectors, now closed ---------
# Each test below builds a record that passed every check before the fix although the spec
# refuses it.


def seed_before(kind: str, source: str | None) -> Edit:
    """The seed event moved just before the first ``kind`` event (of ``source``)."""

    def edit(plain: list[dict[str, Any]]) -> None:
        seed = plain.pop(generator.find(plain, "seed"))
        index = generator.find(plain, kind, source)
        seed["time"] = plain[index - 1]["time"]
        plain.insert(index, seed)

    return edit


def keyless_witness(plain: list[dict[str, Any]]) -> None:
    """A witness event the office wrote for the leader, who holds no key (signature null)."""
    forged = copy.deepcopy(plain[1])
    forged.update(
        kind="witness",
        time="2023-09-15T09:02:00Z",
        body={
            "participant": "leader",
            "announcement": "",  # set to the announcement's hash by the rebuild
            "time": "2023-09-15T09:01:00Z",
            "signature": None,
        },
    )
    plain.insert(1, forged)


def office_types_keyed_dice(plain: list[dict[str, Any]]) -> None:
    """The keyed leader's dice recorded as typed by the office: no participant, no signature."""
    body = plain[generator.find(plain, "randomness", "leader-dice")]["body"]
    body.update(participant=None, signature=None, value={"rolls": [1] * 50})


SEED_EARLY = [("reveal", None), ("randomness", "drand")]


def gap_record(base: str, edit: Edit) -> tuple[dict[str, Any], dict[str, Any]]:
    case = CASES[base]
    return generator.derive(copy.deepcopy(case["record"]), edit), case


@pytest.mark.parametrize(("kind", "source"), SEED_EARLY)
def test_a_seed_before_the_last_value_is_out_of_order(kind: str, source: str | None) -> None:
    record, case = gap_record("witnessed-beacon", seed_before(kind, source))
    assert {c.name: c.status for c in report_of(record, case).checks}[ORDER] == "failed"


def test_a_witness_without_a_key_attests_nothing() -> None:
    record, case = gap_record("unwitnessed-beacon", keyless_witness)
    report = report_of(record, case)
    assert report.steering is not None
    assert report.steering.witnesses == ()
    assert report.verdict != "passed"


def test_a_keyed_participants_dice_typed_by_the_office_are_refused() -> None:
    record, case = gap_record("keyed-leader-unwitnessed", office_types_keyed_dice)
    assert {c.name: c.status for c in report_of(record, case).checks}[STATEMENTS] == "failed"
