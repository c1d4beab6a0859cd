"""Quota mode ``hidden``: confidential totals (数量涉密) that the announced quotas do not give away.

In mode ``exact`` a month's quota is ceil(remaining target ÷ months left), so a year of announced
quotas pins every confidential stratum to a handful of sizes (measured by
``benchmarks/confidential_inference.py``). In mode ``hidden`` (spec:
``docs/spec/rfb-quotas-v1.md``), for each confidential stratum (``MAINT/base``, ``MAINT/risk`` …):

1. its **first month** of the year (the first month whose ceremony announces it, not December)
   draws nothing: k = 0. It commits the list, its salt and its membership tree;
2. that month's seed and the salt of the stratum's confidential list give a uniform value
   ``u = int(H("rfb/v1/quota-share" 0x00 ‖ seed ‖ salt ‖ UTF-8(scope))) / 2^256`` in [0, 1)
   (:func:`uniform_share`): the office cannot choose it (the salt is committed by the salted
   digest before the seed exists), the public cannot compute it (the salt is never published),
   and an auditor holding the list and its salt recomputes it;
3. the year's quota is ``target + pad``, the pad ``floor(u × (ceil(extra_at_most × target) +
   1))`` (:func:`rfb_policy.rules.plan.hidden_pad`), spread over the months left like mode
   exact's: ``k = min(eligible, ceil(max(0, target + pad − done) ÷ months left))``. The target
   is reached by December, and every month's k follows from ``target + pad`` alone, which only
   bounds the size between it ÷ (ratio × (1 + extra)) and it ÷ ratio, with every size between
   about as likely;
4. its scopes are announced with keyed scores (fairdraw's membership spec section 9): the public
   record names the objects drawn and no score, so the cut-off (the k-th lowest score of n, about
   k ÷ n) does not estimate the size either.

What remains public is how many objects were drawn each month, which the rule makes depend on
the size only through ``target + pad``.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

from rfb_policy.i18n import _

__all__ = ["SHARE_TAG", "uniform_share"]

SHARE_TAG = b"rfb/v1/quota-share\x00"
"""The domain separation tag of the extra share (``docs/spec/rfb-quotas-v1.md``)."""


def uniform_share(seed: bytes | str, salt: bytes, scope: str) -> Fraction:
    """The uniform value u in [0, 1) that a stratum's first month's seed and list salt give it.

    Args:
        seed: the month's seed (32 bytes, or 64 hex digits).
        salt: the 32-byte salt of the stratum's confidential list in that month.
        scope: that month's full scope name (``2026-01/MAINT/base``).

    Raises:
        ValueError: the seed or the salt is not 32 bytes.
    """
    seed_bytes = bytes.fromhex(seed) if isinstance(seed, str) else seed
    if len(seed_bytes) != 32 or len(salt) != 32:
        raise ValueError(
            _("scope {scope!r}: the seed and the list's salt are 32 bytes each").format(scope=scope)
        )
    digest = hashlib.sha256(SHARE_TAG + seed_bytes + salt + scope.encode("utf-8")).digest()
    return Fraction(int.from_bytes(digest, "big"), 1 << 256)
