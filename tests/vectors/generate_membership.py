"""Write the membership spec v1 test vectors, or check that the committed file is current.

    python tests/vectors/generate_membership.py           # rewrite membership-v1.json
    python tests/vectors/generate_membership.py --check   # exit 1 if the file differs

Membership trees of salted lists (docs/spec/membership-v1.md): each member's opening and leaf,
the padding leaves, the leaves in tree order, the root and every member's path; paths that
must not lead to the root; and a receipt signed by a fixed office key with its signed bytes.
HMAC, SHA-256 and Ed25519 are deterministic, so every byte is reproducible.
tests/unit/test_membership_vectors.py recomputes every case from the specification's formulas
(hashlib and hmac alone) and with fairdraw; the browser verifier's tests do so in JavaScript.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import (
    MemberReceipt,
    MembershipTree,
    OfficeKey,
    Population,
    check_member,
    issue_receipts,
    verification_report,
)
from fairdraw.canonical import canonical_json
from fairdraw.membership.receipt import RECEIPT_TAG, CutoffPick
from fairdraw.membership.tree import member_leaf, padding_leaf

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "support"))
from generate import render, write_or_check

from membership_ceremony import (
    CONF,
    KEYED,
    KEYED_RATED,
    PUBLIC,
    RATED,
    keyed_scopes,
    redrawn,
    run,
    scopes,
)

VECTORS = Path(__file__).parent / "membership-v1.json"
PRIVATE = bytes(range(32))
SALT = bytes(range(64, 96))
DRAW_ID = "xicheng-rfb-2026-05"
SCOPE = "2026-05/MAINT/base"
LABELS = [
    "91110102MA01ABCD1X",
    "91110102MA01EFGH2Y",
    "西城区人防工程-017",
    "西城区人防工程-042",
    "91110102MA01JKLM3Z",
]
ANNOUNCEMENT = {
    "event": {"kind": "announce", "draw_id": DRAW_ID, "note": "a stand-in announce event"},
    "key_id": "0" * 64,
    "signature": "0" * 128,
}
"""The receipt binds to ``H(JCS(signed announce event))``; any JSON object serves here."""


def tree_case(
    name: str, description: str, labels: list[str], size: int, *, paths: bool = True
) -> dict[str, Any]:
    population = Population.of(labels, salt=SALT)
    tree = MembershipTree.build(population, draw_id=DRAW_ID, scope=SCOPE, size=size)
    members = []
    for label in labels:
        opening = tree.openings[label]
        index, path = tree.proof(label)
        members.append(
            {
                "label": label,
                "opening": opening.hex(),
                "leaf": member_leaf(opening, DRAW_ID, SCOPE, label).hex(),
                "index": index,
                "path": [h.hex() for h in path] if paths else None,
            }
        )
    padding = [padding_leaf(SALT, DRAW_ID, SCOPE, j).hex() for j in range(size - len(labels))]
    return {
        "name": name,
        "description": description,
        "draw_id": DRAW_ID,
        "scope": SCOPE,
        "salt": SALT.hex(),
        "size": size,
        "labels": labels,
        "expected": {
            "members": members,
            "padding": padding if size <= 16 else padding[:4],
            "leaves": [leaf.hex() for leaf in tree.leaves] if size <= 16 else None,
            "root": tree.root.hex(),
            "membership": tree.to_json(),
        },
    }


def bad_paths(case: dict[str, Any]) -> list[dict[str, Any]]:
    """Openings and paths that must not lead to the root, each changed in one thing."""
    first, second = case["expected"]["members"][:2]
    flipped = [first["path"][0][:-1] + ("0" if first["path"][0][-1] != "0" else "1")]
    return [
        {"name": "other-label", "description": "a member's opening and path, another label",
         "label": second["label"], "opening": first["opening"], "index": first["index"],
         "path": first["path"]},
        {"name": "other-index", "description": "the path, the index of its neighbour",
         "label": first["label"], "opening": first["opening"], "index": first["index"] ^ 1,
         "path": first["path"]},
        {"name": "flipped-sibling", "description": "the first sibling's last hex digit changed",
         "label": first["label"], "opening": first["opening"], "index": first["index"],
         "path": flipped + first["path"][1:]},
        {"name": "other-opening", "description": "another member's opening",
         "label": first["label"], "opening": second["opening"], "index": first["index"],
         "path": first["path"]},
        {"name": "short-path", "description": "the path without its last hash",
         "label": first["label"], "opening": first["opening"], "index": first["index"],
         "path": first["path"][:-1]},
    ]  # fmt: skip


def checks(key: OfficeKey) -> dict[str, Any]:
    """Receipts of a real v2 record checked as a member checks them (sections 7 and 9)."""
    record = run("test-2023-09", [*scopes(), *keyed_scopes()], key)
    results = {r["scope"]: r for r in record["events"][-1]["event"]["body"]["results"]}

    def issued(scope: str, population: Population) -> dict[str, MemberReceipt]:
        return issue_receipts(
            population, draw_id=record["draw_id"], scope=scope, size=64,
            announcement=record["events"][0], key=key, result=results[scope],
        )  # fmt: skip

    def resigned(receipt: MemberReceipt, **changes: Any) -> MemberReceipt:
        changed = attrs.evolve(receipt, **changes)
        return attrs.evolve(changed, signature=key.sign(RECEIPT_TAG, changed.body()).hex())

    def listed(scope: str, part: str) -> list[str]:
        return [p["label"] for p in results[scope][part]]

    def drawn_and_not(scope: str, population: Population) -> tuple[str, str]:
        listed_ = {*listed(scope, "selected"), *listed(scope, "alternates")}
        return (
            next(label for label in population if label in listed(scope, "selected")),
            next(label for label in population if label not in listed_),
        )

    conf, rate = issued("2023-09/CONF", CONF), issued("2023-09/RATE", RATED)
    conf_in, conf_out = drawn_and_not("2023-09/CONF", CONF)
    rate_in, rate_out = drawn_and_not("2023-09/RATE", RATED)
    keyed, krate = issued("2023-09/KEYED", KEYED), issued("2023-09/KRATE", KEYED_RATED)
    keyed_in, keyed_out = drawn_and_not("2023-09/KEYED", KEYED)
    keyed_alt = listed("2023-09/KEYED", "alternates")[0]
    krate_in, krate_out = drawn_and_not("2023-09/KRATE", KEYED_RATED)
    last, tail = keyed[keyed_out].cutoff or ()
    other = keyed[keyed_in]
    cases = [
        ("exact-drawn", "a drawn member of an exact-mode scope", conf[conf_in]),
        ("exact-not-drawn", "a member scoring above the last drawn", conf[conf_out]),
        ("rate-drawn", "a member below the rate's threshold", rate[rate_in]),
        ("rate-not-drawn", "a member at or above the rate's threshold", rate[rate_out]),
        ("other-label", "a not-drawn member's receipt claiming a drawn label",
         attrs.evolve(conf[conf_out], label=conf_in)),
        ("other-label-resigned", "the same, signed again by the office: not in the tree",
         resigned(conf[conf_out], label=conf_in)),
        ("other-scope", "a receipt moved to another scope and signed again",
         resigned(conf[conf_out], scope="2023-09/RATE")),
        ("wrong-path", "a sibling of the path replaced, signed again",
         resigned(conf[conf_out], path=(conf[conf_in].path[0], *conf[conf_out].path[1:]))),
        ("cutoff-without-keyed-scores", "an ordinary scope's receipt given cutoff [], signed "
         "again", resigned(conf[conf_out], cutoff=())),
        ("keyed-exact-drawn", "keyed scores: a drawn member", keyed[keyed_in]),
        ("keyed-exact-alternate", "keyed scores: the first alternate", keyed[keyed_alt]),
        ("keyed-exact-not-drawn", "keyed scores: a member ranking after the last alternate",
         keyed[keyed_out]),
        ("keyed-rate-drawn", "keyed scores, rate mode: a member below the threshold",
         krate[krate_in]),
        ("keyed-rate-not-drawn", "keyed scores, rate mode: a member at or above it",
         krate[krate_out]),
        ("keyed-claims-drawn", "keyed scores: a not-drawn member's receipt claiming a drawn "
         "label, signed again: not in the tree", resigned(keyed[keyed_out], label=keyed_in)),
        ("keyed-cutoff-unsigned", "keyed scores: the cut-off's opening changed, not signed "
         "again", attrs.evolve(keyed[keyed_out], cutoff=(
             attrs.evolve(last, opening=other.opening), tail))),
        ("keyed-cutoff-other-opening", "keyed scores: the cut-off pick given a drawn member's "
         "opening, signed again: not in the tree", resigned(keyed[keyed_out], cutoff=(
             attrs.evolve(last, opening=other.opening), tail))),
        ("keyed-cutoff-wrong-rank", "keyed scores: the cut-off pick given rank k - 1, signed "
         "again", resigned(keyed[keyed_out], cutoff=(attrs.evolve(last, rank=last.rank - 1),
                                                     tail))),
        ("keyed-cutoff-missing-pick", "keyed scores: the last alternate left out of the "
         "cut-off, signed again", resigned(keyed[keyed_out], cutoff=(last,))),
        ("keyed-cutoff-missing", "keyed scores: a receipt without cutoff, signed again",
         resigned(keyed[keyed_out], cutoff=None)),
        ("keyed-rate-cutoff-extra-pick", "keyed scores, rate mode: a cut-off pick where none "
         "is due, signed again", resigned(krate[krate_out], cutoff=(
             CutoffPick(label=krate_in, rank=1, opening=krate[krate_in].opening,
                        index=krate[krate_in].index, path=krate[krate_in].path),))),
    ]  # fmt: skip
    out = []
    for name, description, receipt in cases:
        report = check_member(receipt, record, public_key=key.public).to_dict()
        out.append(
            {
                "name": name,
                "description": description,
                "receipt": receipt.to_json(),
                "expected": {
                    "verdict": report["verdict"],
                    "outcome": report["outcome"],
                    "rank": report["rank"],
                    "score": report["score"],
                    "cutoff": report["cutoff"],
                    "checks": [[c["name"], c["status"]] for c in report["checks"]],
                },
            }
        )
    lists = {
        "2023-09/PUB": PUBLIC,
        "2023-09/CONF": CONF,
        "2023-09/RATE": RATED,
        "2023-09/KEYED": KEYED,
        "2023-09/KRATE": KEYED_RATED,
    }
    populations = {
        scope: {"labels": list(p), "salt": p.salt.hex() or None} for scope, p in lists.items()
    }
    return {
        "record": record,
        "populations": populations,
        "cases": out,
        "tampered": tampered(record, key, lists),
    }


def tampered(
    record: dict[str, Any], key: OfficeKey, lists: dict[str, Population]
) -> list[dict[str, Any]]:
    """The record's results changed and signed again (draw event and record): what verifying
    each gives, without the lists and with them (membership spec section 9)."""
    keyed, krate = "2023-09/KEYED", "2023-09/KRATE"

    def score_added(r: dict[str, Any]) -> None:
        r[keyed]["selected"][0]["score"] = "00" * 32

    def ranks_swapped(r: dict[str, Any]) -> None:
        first, second = r[keyed]["selected"][:2]
        first["rank"], second["rank"] = second["rank"], first["rank"]

    def duplicated(r: dict[str, Any]) -> None:
        r[keyed]["selected"][1]["label"] = r[keyed]["selected"][0]["label"]

    def changed(r: dict[str, Any]) -> None:
        listed = {p["label"] for p in (*r[keyed]["selected"], *r[keyed]["alternates"])}
        r[keyed]["selected"][0]["label"] = next(x for x in lists[keyed] if x not in listed)

    def one_more(r: dict[str, Any]) -> None:
        r[keyed]["selected"].append(r[keyed]["alternates"].pop(0))

    def extra_alternate(r: dict[str, Any]) -> None:
        listed = {p["label"] for p in (*r[keyed]["selected"], *r[keyed]["alternates"])}
        extra = next(x for x in lists[keyed] if x not in listed)
        r[keyed]["alternates"].append({"label": extra, "rank": 7})

    def bad_label(r: dict[str, Any]) -> None:
        r[keyed]["selected"][0]["label"] = " " + r[keyed]["selected"][0]["label"]

    def rate_score_added(r: dict[str, Any]) -> None:
        r[krate]["selected"][0]["score"] = "00" * 32

    def ordinary_without_score(r: dict[str, Any]) -> None:
        del r["2023-09/CONF"]["selected"][0]["score"]

    changes = [
        ("keyed-score-added", "a keyed pick given a score", score_added),
        ("keyed-ranks-swapped", "the ranks of the first two selected swapped", ranks_swapped),
        ("keyed-duplicate-label", "the second selected given the first's label", duplicated),
        ("keyed-changed-label", "the first selected replaced by a member not drawn: only "
         "the complete recomputation sees it", changed),
        ("keyed-k-plus-one", "the first alternate moved to the selected: k + 1 selected",
         one_more),
        ("keyed-extra-alternate", "a third alternate listed, two announced", extra_alternate),
        ("keyed-bad-label", "a selected label with a leading space (not a label)", bad_label),
        ("keyed-rate-score-added", "rate mode: a keyed pick given a score", rate_score_added),
        ("ordinary-pick-without-score", "an ordinary confidential scope's pick without its "
         "score", ordinary_without_score),
    ]  # fmt: skip
    out = []
    for name, description, change in changes:
        changed_record = redrawn(record, change, key)
        without = verification_report(changed_record, public_key=key.public)
        with_lists = verification_report(changed_record, populations=lists, public_key=key.public)
        out.append(
            {
                "name": name,
                "description": description,
                "draw_event": changed_record["events"][-1],
                "signature": changed_record["signature"],
                "expected": {
                    "verdict": without.verdict,
                    "checks": [[c.name, c.status] for c in without.checks],
                    "verdict_with_lists": with_lists.verdict,
                    "checks_with_lists": [[c.name, c.status] for c in with_lists.checks],
                },
            }
        )
    return out


def build() -> dict[str, Any]:
    key = OfficeKey(Ed25519PrivateKey.from_private_bytes(PRIVATE))
    small = tree_case("five-in-eight", "five members, three padding leaves", LABELS, 8)
    cases = [
        small,
        tree_case("four-in-four", "a full tree: no padding", LABELS[:4], 4),
        tree_case(
            "one-in-one", "a single leaf: the root is its hash, the path empty", LABELS[:1], 1
        ),
        tree_case(
            "five-in-1024",
            "the office's usual bound: paths of ten hashes (first four padding leaves shown)",
            LABELS,
            1024,
        ),
    ]
    receipt = issue_receipts(
        Population.of(LABELS, salt=SALT),
        draw_id=DRAW_ID,
        scope=SCOPE,
        size=8,
        announcement=ANNOUNCEMENT,
        key=key,
        context={LABELS[2]: {"month": "2026-05", "name": "某某大厦人防工程"}},
        labels=[LABELS[2]],
    )[LABELS[2]]
    signed = b"fairdraw/v1/" + RECEIPT_TAG.encode() + b"\x00" + canonical_json(receipt.body())
    return {
        "format": "fairdraw-membership-vectors/1",
        "spec": "fairdraw/membership/v1",
        "generator": "tests/vectors/generate_membership.py",
        "office_private_key": PRIVATE.hex(),
        "cases": cases,
        "bad_paths": {"case": small["name"], "paths": bad_paths(small)},
        "receipt": {
            "announcement": ANNOUNCEMENT,
            "receipt": receipt.to_json(),
            "signed_bytes": signed.hex(),
        },
        "checks": checks(key),
    }


def main() -> int:
    return write_or_check(VECTORS, render(build()), (__doc__ or "").splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
