"""The committed quota mode vectors (tests/vectors/rfb-quotas-v1.json): current, and each case
recomputed from docs/spec/rfb-quotas-v1.md's formulas alone (hashlib and exact fractions)."""

from __future__ import annotations

import hashlib
import json
import sys
from fractions import Fraction
from math import ceil, floor
from pathlib import Path
from typing import Any

import pytest

VECTORS = Path(__file__).parents[1] / "vectors"
DATA = json.loads((VECTORS / "rfb-quotas-v1.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(VECTORS))
import generate_rfb_quotas as generator  # noqa: E402


def test_the_committed_vectors_are_current() -> None:
    assert generator.render(generator.build()) == (VECTORS / "rfb-quotas-v1.json").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("case", DATA["decembers"], ids=lambda c: f"{c['capacity']}-{c['public']}")
def test_each_december_follows_the_spec(case: dict[str, Any]) -> None:
    """Section 3, steps 2 and 3, from the text: u, P, the caps (the common level λ, bare
    strata), the pads and k."""
    extra = Fraction(case["extra_at_most"])
    rows = {row["scope"]: row for row in case["strata"]}
    for row in rows.values():
        seed, salt = bytes.fromhex(row["seed"]), bytes.fromhex(row["salt"])
        data = b"rfb/v1/quota-share\x00" + seed + salt + row["scope"].encode("utf-8")
        integer = int.from_bytes(hashlib.sha256(data).digest(), "big")
        assert f"{integer:064x}" == row["share"]
        target = ceil(Fraction(row["ratio"]) * row["n"])
        assert (target, ceil(extra * row["done"])) == (row["target"], row["most"])
        assert row["shortfall"] == max(0, target - row["done"])
    bare: dict[str, int] = {}
    left = max(0, case["capacity"] - case["public"])
    while True:  # section 3, step 3, as written
        open_ = [s for s in rows if s not in bare]
        level = max((rows[s]["most"] for s in open_), default=0)
        while level > 0 and sum(min(rows[s]["most"], level) for s in open_) > left:
            level -= 1
        caps = {s: min(rows[s]["most"], level) for s in open_}
        over = [s for s in open_ if rows[s]["shortfall"] > caps[s]]
        if not over:
            break
        for s in over:
            bare[s] = caps[s]
            left = max(0, left - rows[s]["shortfall"])
    caps |= bare
    for scope, row in rows.items():
        pad = floor(Fraction(int(row["share"], 16), 2**256) * (caps[scope] + 1))
        assert (row["cap"], row["pad"]) == (caps[scope], pad), scope
        assert row["k"] == min(row["n"] - row["done"], max(row["shortfall"], pad))
        assert row["done"] + row["k"] >= row["target"], "the target is reached in December"
    if sum(r["shortfall"] for r in rows.values()) + case["public"] <= case["capacity"]:
        assert sum(r["k"] for r in rows.values()) + case["public"] <= case["capacity"]


def test_the_vectors_cover_a_shortfall_a_pad_a_cut_a_bare_stratum_and_no_extra() -> None:
    rows = [(c, r) for c in DATA["decembers"] for r in c["strata"]]
    assert any(0 < r["shortfall"] <= r["cap"] and r["pad"] > r["shortfall"] for _, r in rows)
    assert any(r["shortfall"] == 0 and r["k"] > 0 for _, r in rows)
    assert any(r["cap"] < r["most"] and r["shortfall"] <= r["cap"] for _, r in rows)
    assert any(r["shortfall"] > r["cap"] and r["k"] == r["shortfall"] for _, r in rows)
    assert any(c["extra_at_most"] == "0" and r["shortfall"] > 0 for c, r in rows)


@pytest.mark.parametrize("case", DATA["rates"], ids=lambda c: f"{c['ratio']}x{c['extra_at_most']}")
def test_each_rate_follows_the_spec(case: dict[str, str]) -> None:
    """Section 3, step 1: ρ = min(1, r × (1 + E) ÷ 12)."""
    rate = min(Fraction(1), Fraction(case["ratio"]) * (1 + Fraction(case["extra_at_most"])) / 12)
    assert Fraction(case["rate"]) == rate
