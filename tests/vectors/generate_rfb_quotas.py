"""Write the rfb quota mode test vectors, or check that the committed file is current.

    python tests/vectors/generate_rfb_quotas.py           # rewrite rfb-quotas-v1.json
    python tests/vectors/generate_rfb_quotas.py --check   # exit 1 if the file differs

Mode hidden's uniform share of a rate month (docs/spec/rfb-quotas-v1.md section 3, step 2), its
December pad and k (step 3) and its monthly rates (step 1), computed with rfb_policy.
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
from rfb_policy.rules.plan import december_pad, hidden_rate

sys.path.insert(0, str(Path(__file__).parent))
from generate import write_or_check

VECTORS = Path(__file__).parent / "rfb-quotas-v1.json"

# (scope, ratio, n, done, extra_at_most): a shortfall, none, a small list, no extra, capped
DECEMBERS = [
    ("2026-11/MAINT/base", "3/20", 228, 30, "1"),
    ("2026-11/MAINT/base", "3/20", 200, 41, "1"),
    ("2026-11/COMM/risk", "3/10", 4, 1, "1"),
    ("2026-11/USE/base", "3/20", 154, 20, "0"),
    ("2026-11/USE/risk", "3/10", 14, 12, "1/2"),
]


def _bytes(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def build() -> dict[str, Any]:
    cases = []
    for number, (scope, ratio_text, n, done, extra_text) in enumerate(DECEMBERS):
        seed, salt = _bytes(f"seed/{number}"), _bytes(f"salt/{number}")
        share = uniform_share(seed, salt, scope)
        ratio, extra = Fraction(ratio_text), Fraction(extra_text)
        target = ceil(ratio * n)
        pad = december_pad(done, extra, share)
        cases.append(
            {
                "seed": seed.hex(),
                "salt": salt.hex(),
                "scope": scope,
                "share": f"{share.numerator * (1 << 256) // share.denominator:064x}",
                "ratio": ratio_text,
                "n": n,
                "done": done,
                "extra_at_most": extra_text,
                "target": target,
                "most": ceil(extra * done / 2),
                "pad": pad,
                "k": min(n - done, max(0, target - done) + pad),
            }
        )
    rates = [
        {"ratio": r, "extra_at_most": e, "rate": str(hidden_rate(Fraction(r), Fraction(e)))}
        for r, e in [("3/20", "1"), ("3/10", "1"), ("3/20", "1/2"), ("1", "1")]
    ]
    return {"spec": "rfb/quotas/v1", "cases": cases, "rates": rates}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    return write_or_check(VECTORS, render(build()), (__doc__ or "").splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
