"""Write the rfb quota mode test vectors, or check that the committed file is current.

    python tests/vectors/generate_rfb_quotas.py           # rewrite rfb-quotas-v1.json
    python tests/vectors/generate_rfb_quotas.py --check   # exit 1 if the file differs

Mode hidden's uniform share of a rate month (docs/spec/rfb-quotas-v1.md section 3, step 2), its
monthly rates (step 1) and whole Decembers (step 3: each confidential stratum's P, cap, pad and
k, given the capacity and December's public quotas), computed with rfb_policy.
tests/unit/test_rfb_quota_vectors.py recomputes every case from the specification's formulas.
"""

from __future__ import annotations

import hashlib
import json
import sys
from fractions import Fraction
from math import ceil
from pathlib import Path
from typing import Any

from rfb_policy.rules.hiding import uniform_share
from rfb_policy.rules.plan import december_caps, december_pad, hidden_rate

sys.path.insert(0, str(Path(__file__).parent))
from generate import write_or_check

VECTORS = Path(__file__).parent / "rfb-quotas-v1.json"

# A December: (capacity, public quotas, extra_at_most, strata as (scope, ratio, n, done)).
DECEMBERS = [
    # room for every P: each cap is its P (a shortfall within its cap, one stratum empty)
    (
        60, 2, "1",
        [("MAINT/base", "3/20", 40, 4), ("MAINT/risk", "3/10", 10, 2), ("COMM/base", "3/20", 0, 0)],
    ),
    # the example office's shape: the largest caps are cut to a common level
    (
        30, 3, "1",
        [
            ("MAINT/base", "3/20", 228, 56), ("MAINT/risk", "3/10", 23, 10),
            ("USE/base", "3/20", 154, 38), ("USE/risk", "3/10", 14, 6),
            ("COMM/base", "3/20", 37, 9), ("COMM/risk", "3/10", 4, 2),
        ],
    ),
    # a shortfall above its cap: that stratum is bare, the others' caps computed again
    (
        16, 0, "1",
        [("MAINT/base", "3/20", 200, 40), ("COMM/base", "3/20", 80, 4), ("USE/risk", "3/10", 9, 3)],
    ),
    # no extra (every cap 0: k is the shortfall); and half the extra
    (30, 0, "0", [("USE/base", "3/20", 154, 20), ("USE/risk", "3/10", 14, 12)]),
    (30, 25, "1/2", [("MAINT/base", "3/20", 120, 30), ("MAINT/risk", "3/10", 20, 3)]),
]  # fmt: skip


def _bytes(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def _december(number: int, capacity: int, public: int, extra_text: str, strata: Any) -> Any:
    extra = Fraction(extra_text)
    rows = []
    for scope, ratio_text, n, done in strata:
        seed, salt = _bytes(f"seed/{number}/{scope}"), _bytes(f"salt/{number}/{scope}")
        rate_month = f"2026-11/{scope}"
        share = uniform_share(seed, salt, rate_month)
        target = ceil(Fraction(ratio_text) * n)
        rows.append(
            {
                "scope": rate_month,
                "seed": seed.hex(),
                "salt": salt.hex(),
                "share": f"{share.numerator * (1 << 256) // share.denominator:064x}",
                "ratio": ratio_text,
                "n": n,
                "done": done,
                "target": target,
                "shortfall": max(0, target - done),
                "most": ceil(extra * done),
            }
        )
    stratum = [str(row["scope"]).removeprefix("2026-11/") for row in rows]
    done_of = {s: int(row["done"]) for s, row in zip(stratum, rows, strict=True)}
    need = {s: int(row["shortfall"]) for s, row in zip(stratum, rows, strict=True)}
    caps = december_caps(capacity - public, done_of, extra, need)
    for s, row in zip(stratum, rows, strict=True):
        share = Fraction(int(str(row["share"]), 16), 1 << 256)
        pad = december_pad(caps[s], share)
        row |= {"cap": caps[s], "pad": pad}
        row["k"] = min(int(row["n"]) - done_of[s], max(need[s], pad))
    return {"capacity": capacity, "public": public, "extra_at_most": extra_text, "strata": rows}


def build() -> dict[str, Any]:
    decembers = [_december(number, *case) for number, case in enumerate(DECEMBERS)]
    rates = [
        {"ratio": r, "extra_at_most": e, "rate": str(hidden_rate(Fraction(r), Fraction(e)))}
        for r, e in [("3/20", "1"), ("3/10", "1"), ("3/20", "1/2"), ("1", "1")]
    ]
    return {"spec": "rfb/quotas/v1", "decembers": decembers, "rates": rates}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    return write_or_check(VECTORS, render(build()), (__doc__ or "").splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
