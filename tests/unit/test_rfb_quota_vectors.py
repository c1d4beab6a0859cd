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


@pytest.mark.parametrize("case", DATA["years"], ids=lambda c: f"{c['scope']}-{c['n']}")
def test_each_year_follows_the_spec(case: dict[str, Any]) -> None:
    """Section 3, from the text: u from the first month's seed, salt and scope; the target, P
    and the pad; January's k = 0; then k = min(eligible, ceil(max(0, target + pad − done) ÷ L));
    a month whose list is empty is not announced (null); the target is reached by December."""
    seed, salt = bytes.fromhex(case["seed"]), bytes.fromhex(case["salt"])
    data = b"rfb/v1/quota-share\x00" + seed + salt + case["scope"].encode("utf-8")
    integer = int.from_bytes(hashlib.sha256(data).digest(), "big")
    assert f"{integer:064x}" == case["share"]
    extra, n = Fraction(case["extra_at_most"]), case["n"]
    target = ceil(Fraction(case["ratio"]) * n)
    most = ceil(extra * target)
    pad = floor(Fraction(integer, 2**256) * (most + 1))
    assert (case["target"], case["most"], case["pad"]) == (target, most, pad)
    done, expected = 0, []
    for month in range(1, 13):
        eligible = n - done
        if eligible == 0:
            expected.append(None)
            continue
        k = 0 if month == 1 else min(eligible, ceil(max(0, target + pad - done) / (13 - month)))
        expected.append(k)
        done += k
    assert case["k"] == expected
    assert done >= target


def test_the_vectors_cover_a_pad_no_extra_half_the_extra_and_a_list_drawn_out() -> None:
    years = DATA["years"]
    assert any(y["pad"] > 0 for y in years)
    assert any(y["extra_at_most"] == "0" for y in years)
    assert any(y["extra_at_most"] == "1/2" for y in years)
    assert any(None in y["k"] for y in years)
    assert any(y["ratio"] == "3/10" for y in years)
