"""The committed quota mode vectors (tests/vectors/rfb-quotas-v1.json): current, and each case
recomputed from docs/spec/rfb-quotas-v1.md's formulas alone (hashlib and exact fractions)."""

from __future__ import annotations

import hashlib
import json
import sys
from fractions import Fraction
from math import ceil, floor
from pathlib import Path

import pytest

VECTORS = Path(__file__).parents[1] / "vectors"
DATA = json.loads((VECTORS / "rfb-quotas-v1.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(VECTORS))
import generate_rfb_quotas as generator  # noqa: E402


def test_the_committed_vectors_are_current() -> None:
    assert generator.render(generator.build()) == (VECTORS / "rfb-quotas-v1.json").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: f"{c['scope']}-{c['n']}")
def test_each_december_follows_the_spec(case: dict[str, object]) -> None:
    """Section 3, steps 2 and 3, from the text."""
    seed, salt = bytes.fromhex(str(case["seed"])), bytes.fromhex(str(case["salt"]))
    data = b"rfb/v1/quota-share\x00" + seed + salt + str(case["scope"]).encode("utf-8")
    integer = int.from_bytes(hashlib.sha256(data).digest(), "big")
    assert f"{integer:064x}" == case["share"]
    u = Fraction(integer, 2**256)
    n, done = int(str(case["n"])), int(str(case["done"]))
    ratio, extra = Fraction(str(case["ratio"])), Fraction(str(case["extra_at_most"]))
    target = ceil(ratio * n)
    most = ceil(extra * done / 2)
    pad = floor(u * (most + 1))
    assert (target, most, pad) == (case["target"], case["most"], case["pad"])
    assert case["k"] == min(n - done, max(0, target - done) + pad)
    assert done + int(str(case["k"])) >= min(n, target), "the target is reached in December"


def test_the_vectors_cover_a_shortfall_a_pad_and_no_extra() -> None:
    cases = DATA["cases"]
    assert any(c["target"] > c["done"] for c in cases)
    assert any(c["target"] <= c["done"] and c["k"] > 0 for c in cases)
    assert any(c["extra_at_most"] == "0" and c["pad"] == 0 for c in cases)


@pytest.mark.parametrize("case", DATA["rates"], ids=lambda c: f"{c['ratio']}x{c['extra_at_most']}")
def test_each_rate_follows_the_spec(case: dict[str, str]) -> None:
    """Section 3, step 1: ρ = min(1, r × (1 + E) ÷ 12)."""
    rate = min(Fraction(1), Fraction(case["ratio"]) * (1 + Fraction(case["extra_at_most"])) / 12)
    assert Fraction(case["rate"]) == rate
