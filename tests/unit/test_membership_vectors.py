"""The membership spec v1 vectors (tests/vectors/membership-v1.json), recomputed twice: from the
specification's formulas with hashlib and hmac alone, and with fairdraw."""

from __future__ import annotations

import hashlib
import hmac
import json
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import (
    MemberReceipt,
    MembershipTree,
    Population,
    PublicKey,
    check_member,
    verification_report,
)
from fairdraw.canonical import canonical_json
from fairdraw.ceremony.events import event_hash
from fairdraw.errors import VerificationError
from fairdraw.membership.tree import inclusion_root, member_leaf

VECTORS_DIR = Path(__file__).parents[1] / "vectors"
VECTORS: dict[str, Any] = json.loads((VECTORS_DIR / "membership-v1.json").read_text("utf-8"))
CASES = {case["name"]: case for case in VECTORS["cases"]}


def lp(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def ctx(case: dict[str, Any]) -> bytes:
    return lp(case["draw_id"].encode()) + lp(case["scope"].encode())


def spec_opening(case: dict[str, Any], label: str) -> bytes:
    salt = bytes.fromhex(case["salt"])
    message = b"fairdraw/v1/member\x00" + ctx(case) + label.encode()
    return hmac.new(salt, message, hashlib.sha256).digest()


def spec_leaf(case: dict[str, Any], opening: bytes, label: str) -> bytes:
    return hashlib.sha256(
        b"fairdraw/v1/member-leaf\x00" + opening + ctx(case) + label.encode()
    ).digest()


def spec_pad(case: dict[str, Any], j: int) -> bytes:
    message = b"fairdraw/v1/member-pad\x00" + ctx(case) + struct.pack(">I", j)
    return hmac.new(bytes.fromhex(case["salt"]), message, hashlib.sha256).digest()


def spec_root(leaves: list[bytes]) -> bytes:
    level = [hashlib.sha256(b"\x00" + leaf).digest() for leaf in leaves]
    while len(level) > 1:
        level = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level), 2)
        ]
    return level[0]


def spec_walk(leaf: bytes, index: int, path: list[bytes]) -> bytes:
    node = hashlib.sha256(b"\x00" + leaf).digest()
    for sibling in path:
        pair = node + sibling if index % 2 == 0 else sibling + node
        node = hashlib.sha256(b"\x01" + pair).digest()
        index //= 2
    return node


@pytest.mark.parametrize("name", list(CASES))
def test_each_tree_follows_the_formulas(name: str) -> None:
    case = CASES[name]
    expected = case["expected"]
    leaves = []
    for member in expected["members"]:
        opening = spec_opening(case, member["label"])
        assert opening.hex() == member["opening"]
        leaf = spec_leaf(case, opening, member["label"])
        assert leaf.hex() == member["leaf"]
        leaves.append(leaf)
    padding = [spec_pad(case, j) for j in range(case["size"] - len(case["labels"]))]
    assert [p.hex() for p in padding[: len(expected["padding"])]] == expected["padding"]
    ordered = sorted(leaves + padding)
    if expected["leaves"] is not None:
        assert [leaf.hex() for leaf in ordered] == expected["leaves"]
    root = spec_root(ordered)
    assert root.hex() == expected["root"]
    assert expected["membership"] == {
        "tree": "fairdraw/membership/v1",
        "size": case["size"],
        "root": root.hex(),
    }
    for member in expected["members"]:
        leaf = bytes.fromhex(member["leaf"])
        assert ordered.index(leaf) == member["index"]
        path = [bytes.fromhex(h) for h in member["path"]]
        assert len(path) == case["size"].bit_length() - 1
        assert spec_walk(leaf, member["index"], path) == root


@pytest.mark.parametrize("name", list(CASES))
def test_fairdraw_builds_the_same_trees(name: str) -> None:
    case = CASES[name]
    population = Population.of(case["labels"], salt=case["salt"])
    tree = MembershipTree.build(
        population, draw_id=case["draw_id"], scope=case["scope"], size=case["size"]
    )
    assert tree.to_json() == case["expected"]["membership"]
    for member in case["expected"]["members"]:
        index, path = tree.proof(member["label"])
        assert (index, [h.hex() for h in path]) == (member["index"], member["path"])
        assert tree.openings[member["label"]].hex() == member["opening"]


@pytest.mark.parametrize("bad", VECTORS["bad_paths"]["paths"], ids=lambda b: b["name"])
def test_no_bad_path_leads_to_the_root(bad: dict[str, Any]) -> None:
    case = CASES[VECTORS["bad_paths"]["case"]]
    root = case["expected"]["root"]
    opening = bytes.fromhex(bad["opening"])
    path = [bytes.fromhex(h) for h in bad["path"]]
    leaf = spec_leaf(case, opening, bad["label"])
    if len(path) == case["size"].bit_length() - 1:
        assert spec_walk(leaf, bad["index"], path).hex() != root
    fairdraw_leaf = member_leaf(opening, case["draw_id"], case["scope"], bad["label"])
    try:
        reached = inclusion_root(fairdraw_leaf, bad["index"], case["size"], path).hex()
    except VerificationError:
        reached = None  # a path of the wrong length is refused outright
    assert reached != root


def test_the_receipt_is_signed_over_its_canonical_bytes() -> None:
    given = VECTORS["receipt"]
    receipt = given["receipt"]
    body = {k: v for k, v in receipt.items() if k != "signature"}
    signed = b"fairdraw/v1/member-receipt\x00" + canonical_json(body)
    assert signed.hex() == given["signed_bytes"]
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTORS["office_private_key"]))
    assert key.sign(signed).hex() == receipt["signature"]  # Ed25519 is deterministic
    assert receipt["announcement"] == event_hash(given["announcement"])
    read = MemberReceipt.from_json(receipt)
    read.verify_signature()
    assert read.to_json() == receipt
    case = CASES[VECTORS["bad_paths"]["case"]]
    member = next(m for m in case["expected"]["members"] if m["label"] == receipt["label"])
    assert (receipt["opening"], receipt["tree"]["index"]) == (member["opening"], member["index"])
    assert receipt["tree"]["path"] == member["path"]


def test_the_committed_vectors_are_current() -> None:
    generator = VECTORS_DIR / "generate_membership.py"
    done = subprocess.run(
        [sys.executable, str(generator), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("case", VECTORS["checks"]["cases"], ids=lambda c: c["name"])
def test_each_receipt_checks_as_the_vectors_say(case: dict[str, Any]) -> None:
    record = VECTORS["checks"]["record"]
    key = PublicKey.from_hex(record["events"][0]["event"]["body"]["office_key"]["public_key"])
    report = check_member(MemberReceipt.from_json(case["receipt"]), record, public_key=key)
    found = report.to_dict()
    expected = case["expected"]
    assert [[c["name"], c["status"]] for c in found["checks"]] == expected["checks"]
    assert {k: found[k] for k in ("verdict", "outcome", "rank", "score", "cutoff")} == {
        k: expected[k] for k in ("verdict", "outcome", "rank", "score", "cutoff")
    }


def test_check_mode_fails_on_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sys.path.insert(0, str(VECTORS_DIR))
    import generate_membership as generator  # noqa: PLC0415

    stale = tmp_path / "membership-v1.json"
    changed = json.loads(json.dumps(VECTORS))
    changed["cases"][0]["expected"]["root"] = "00" * 32
    text = json.dumps(changed, ensure_ascii=False, indent=1) + "\n"
    stale.write_text(text, encoding="utf-8")
    monkeypatch.setattr(generator, "VECTORS", stale)
    monkeypatch.setattr(sys, "argv", ["generate_membership.py", "--check"])
    assert generator.main() == 1
    assert "is out of date" in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == text  # --check writes nothing


def test_with_its_lists_the_records_trees_are_recomputed() -> None:
    record = VECTORS["checks"]["record"]
    given = VECTORS["checks"]["populations"]
    lists = {s: Population.of(p["labels"], salt=p["salt"]) for s, p in given.items()}
    key = PublicKey.from_hex(record["events"][0]["event"]["body"]["office_key"]["public_key"])
    report = verification_report(record, populations=lists, public_key=key)
    assert report.failures == ()
    assert {c.name: c.status for c in report.checks}[
        "scope 2023-09/CONF: complete recomputation"
    ] == "passed"
    other = {
        **lists,
        "2023-09/CONF": Population.of(
            [*given["2023-09/CONF"]["labels"][:-1], "CONF-x"], salt=given["2023-09/CONF"]["salt"]
        ),
    }
    failed = verification_report(record, populations=other, public_key=key)
    assert "scope 2023-09/CONF: complete recomputation" in {c.name for c in failed.failures}


# -- keyed scores (membership spec section 9) ---------------------------------------------------

KEYED_SCOPES = ("2023-09/KEYED", "2023-09/KRATE")


def announced(scope: str) -> dict[str, Any]:
    scopes = VECTORS["checks"]["record"]["events"][0]["event"]["body"]["scopes"]
    entry: dict[str, Any] = next(s for s in scopes if s["scope"] == scope)
    return entry


def published(scope: str) -> dict[str, Any]:
    results = VECTORS["checks"]["record"]["events"][-1]["event"]["body"]["results"]
    result: dict[str, Any] = next(r for r in results if r["scope"] == scope)
    return result


@pytest.mark.parametrize("scope", KEYED_SCOPES)
def test_a_keyed_result_is_draw_spec_v1_over_the_draw_labels(scope: str) -> None:
    """Recomputed with hashlib and hmac alone: each member's draw label is the hex of its
    opening, scored under the scope's subseed and ordered by (score, draw label bytes)."""
    record = VECTORS["checks"]["record"]
    given = VECTORS["checks"]["populations"][scope]
    entry, result = announced(scope), published(scope)
    assert entry["scores"] == "keyed"
    case = {"draw_id": record["draw_id"], "scope": scope, "salt": given["salt"]}
    by_draw_label = {spec_opening(case, label).hex(): label for label in given["labels"]}
    seed = bytes.fromhex(record["events"][-2]["event"]["body"]["seed"])
    subseed = hashlib.sha256(b"fairdraw/v1/scope\x00" + seed + scope.encode()).digest()
    assert result["subseed"] == subseed.hex()
    ranked = sorted(
        (hashlib.sha256(b"fairdraw/v1/score\x00" + subseed + d.encode()).digest(), d.encode())
        for d in by_draw_label
    )
    if entry["mode"] == "exact":
        k, alternates = entry["k"], entry["alternates"]
        selected, rest = ranked[:k], ranked[k : k + alternates]
    else:
        a, b = (int(x) for x in entry["rate"].split("/"))
        selected = [key for key in ranked if int.from_bytes(key[0], "big") * b < a << 256]
        rest = []
    expected = [
        {"label": by_draw_label[d.decode()], "rank": rank}
        for rank, (_, d) in enumerate([*selected, *rest], start=1)
    ]
    assert [*result["selected"], *result["alternates"]] == expected
    assert len(result["selected"]) == len(selected) > 0


def test_the_public_record_of_a_keyed_scope_holds_no_score() -> None:
    for scope in KEYED_SCOPES:
        text = json.dumps(published(scope))
        assert "score" not in text
        assert all(set(p) == {"label", "rank"} for p in published(scope)["selected"])
    assert "score" in json.dumps(published("2023-09/CONF"))  # (ordinary scopes keep theirs)


def test_a_keyed_exact_receipt_carries_the_last_drawn_and_the_last_alternate() -> None:
    cases = {c["name"]: c for c in VECTORS["checks"]["cases"]}
    result = published("2023-09/KEYED")
    cutoff = cases["keyed-exact-not-drawn"]["receipt"]["cutoff"]
    assert [(p["label"], p["rank"]) for p in cutoff] == [
        (result["selected"][-1]["label"], result["selected"][-1]["rank"]),
        (result["alternates"][-1]["label"], result["alternates"][-1]["rank"]),
    ]
    assert cases["keyed-rate-drawn"]["receipt"]["cutoff"] == []
    assert "cutoff" not in cases["exact-drawn"]["receipt"]


@pytest.mark.parametrize("case", VECTORS["checks"]["tampered"], ids=lambda c: c["name"])
def test_each_tampered_record_verifies_as_the_vectors_say(case: dict[str, Any]) -> None:
    record = dict(VECTORS["checks"]["record"])
    record["events"] = [*record["events"][:-1], case["draw_event"]]
    record["signature"] = case["signature"]
    key = PublicKey.from_hex(record["events"][0]["event"]["body"]["office_key"]["public_key"])
    given = VECTORS["checks"]["populations"]
    lists = {s: Population.of(p["labels"], salt=p["salt"]) for s, p in given.items()}
    without = verification_report(record, public_key=key)
    with_lists = verification_report(record, populations=lists, public_key=key)
    expected = case["expected"]
    assert [[c.name, c.status] for c in without.checks] == expected["checks"]
    assert [[c.name, c.status] for c in with_lists.checks] == expected["checks_with_lists"]
    assert (without.verdict, with_lists.verdict) == (
        expected["verdict"],
        expected["verdict_with_lists"],
    )
    assert with_lists.verdict == "failed"  # the lists' holders always see the change
