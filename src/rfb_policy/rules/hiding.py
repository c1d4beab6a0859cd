"""Quota mode ``hidden``: confidential totals (数量涉密) that the announced quotas do not give away.

In mode ``exact`` a month's quota is ceil(remaining target ÷ months left), so a year of announced
quotas pins every confidential stratum to a handful of sizes (measured by
``benchmarks/confidential_inference.py``). In mode ``hidden`` (spec:
``docs/spec/rfb-quotas-v1.md``), for each confidential stratum (``MAINT/base``, ``MAINT/risk`` …):

1. January to November draw the stratum's eligible objects in fairdraw's rate mode at the public
   rate ``ratio × (1 + extra_at_most) ÷ 12`` (:func:`rfb_policy.rules.plan.hidden_rate`): no
   announced number depends on the list's size, and the scores of the objects drawn are uniform
   under the rate whatever the size;
2. each rate month's seed and the salt of the stratum's confidential list give a uniform value
   ``u = int(H("rfb/v1/quota-share" 0x00 ‖ seed ‖ salt ‖ UTF-8(scope))) / 2^256`` in [0, 1)
   (:func:`uniform_share`): the office cannot choose it (the salt is committed by the salted
   digest before the seed exists), the public cannot compute it (the salt is never published),
   and an auditor holding the list and its salt recomputes it;
3. December draws, in exact mode, ``max(shortfall, pad)``, the shortfall ``max(0, target −
   done)`` and the pad ``floor(u × (c + 1))``, u from the latest rate month, ``c`` the
   stratum's cap: ``P = ceil(extra_at_most × done)``, cut to a common level when the strata's
   ``P`` do not fit in the capacity left after December's public quotas
   (:func:`rfb_policy.rules.plan.december_caps`): the target is always reached, December fits
   within the capacity whenever the shortfalls do, and December's k does not show whether there
   was a shortfall, nor how large, unless it exceeds the cap.

What remains public is how many objects were drawn, which a citizen can only turn into a
statistical estimate of the size (a binomial count), plus the hard bound the plan itself gives
(at least the ratio is inspected, so the size is at most the count ÷ the ratio).
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

from rfb_policy.i18n import _

__all__ = ["SHARE_TAG", "uniform_share"]

SHARE_TAG = b"rfb/v1/quota-share\x00"
"""The domain separation tag of the extra share (``docs/spec/rfb-quotas-v1.md``)."""


def uniform_share(seed: bytes | str, salt: bytes, scope: str) -> Fraction:
    """The uniform value u in [0, 1) that a rate month's seed and list salt give its stratum.

    Args:
        seed: the month's seed (32 bytes, or 64 hex digits).
        salt: the 32-byte salt of the stratum's confidential list in that month.
        scope: the rate month's full scope name (``2026-01/MAINT/base``).

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
