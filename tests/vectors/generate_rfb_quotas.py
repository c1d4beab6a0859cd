"""Write the rfb quota mode test vectors, or check that the committed file is current.

    python tests/vectors/generate_rfb_quotas.py           # rewrite rfb-quotas-v1.json
    python tests/vectors/generate_rfb_quotas.py --check   # exit 1 if the file differs

Mode hidden's years (docs/spec/rfb-quotas-v1.md section 3): for one confidential stratum whose
list does not change, its first month's uniform share u (step 2), the year's target, largest pad
P and pad (step 3), and each month's k, planned by rfb_policy's month_plan with every drawn
object inspected. tests/unit/test_rfb_quota_vectors.py recomputes every case from the
specification's formulas.
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
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import PlanSettings, hidden_pad, month_plan, stratum_ratio

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "support"))
from generate import write_or_check

from quota_objects import plain_object

VECTORS = Path(__file__).parent / "rfb-quotas-v1.json"
CATALOGUE = Catalogue.bundled()

# A year: (item, risky, n, extra_at_most).
YEARS = [
    ("MAINT", False, 228, "1"),  # the example office's MAINT/base
    ("MAINT", True, 23, "1"),  # a risk stratum (ratio 3/10)
    ("USE", False, 154, "1/2"),  # half the extra
    ("COMM", True, 4, "1"),  # a stratum of four
    ("COMM", False, 37, "0"),  # no extra: mode exact's quotas, from February
    ("MAINT", True, 2, "1"),  # a list the year draws out: then no month announces it
]


def _bytes(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def _year(number: int, item: str, risky: bool, n: int, extra_text: str) -> dict[str, Any]:
    stratum = f"{item}/{'risk' if risky else 'base'}"
    scope = f"2026-01/{stratum}"
    seed, salt = _bytes(f"seed/{number}/{scope}"), _bytes(f"salt/{number}/{scope}")
    share = uniform_share(seed, salt, scope)
    settings = PlanSettings(quota_mode="hidden", extra_at_most=Fraction(extra_text))
    objects = [plain_object(i, (item,), risky) for i in range(n)]
    inspected: dict[str, set[str]] = {}
    months = []
    for month in range(1, 13):
        shares = {stratum: share} if month > 1 else {}
        plan = month_plan(
            2026, month, objects, CATALOGUE, inspected, settings=settings, shares=shares
        )
        (quota,) = [q for q in plan.quotas if q.scope == stratum]
        months.append(quota.quota if quota.eligible else None)
        inspected.setdefault(item, set()).update(quota.eligible[: quota.quota])
    ratio = stratum_ratio(CATALOGUE, stratum, settings)
    target = ceil(ratio * n)
    return {
        "scope": scope,
        "seed": seed.hex(),
        "salt": salt.hex(),
        "share": f"{share.numerator * (1 << 256) // share.denominator:064x}",
        "ratio": str(ratio),
        "n": n,
        "extra_at_most": extra_text,
        "target": target,
        "most": ceil(Fraction(extra_text) * target),
        "pad": hidden_pad(target, Fraction(extra_text), share),
        "k": months,
    }


def build() -> dict[str, Any]:
    years = [_year(number, *case) for number, case in enumerate(YEARS)]
    return {"spec": "rfb/quotas/v1", "years": years}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    return write_or_check(VECTORS, render(build()), (__doc__ or "").splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
