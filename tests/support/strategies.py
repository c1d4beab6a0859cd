"""Hypothesis strategies for labels, populations, seeds and rates."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

from fairdraw.labels import MAX_LABEL_BYTES, WHITE_SPACE

# Characters that make label rules interesting: combining marks, white space, CJK, emoji,
# compatibility characters that NFC changes, a ZWJ.
_TRICKY = "e\u0301\u00e9\u212b\u00c5 \u3000\u00a0\u4e2d\u6587\U0001f600\u200d\uf900\u1100\u1161"


def _is_valid_label(text: str) -> bool:
    encoded = text.encode("utf-8", "surrogatepass")
    return (
        0 < len(encoded) <= MAX_LABEL_BYTES
        and unicodedata.is_normalized("NFC", text)
        and not any(unicodedata.category(c) in {"Cc", "Cs"} for c in text)
        and text[0] not in WHITE_SPACE
        and text[-1] not in WHITE_SPACE
    )


labels = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
        st.sampled_from(_TRICKY),
    ),
    min_size=1,
    max_size=12,
).filter(_is_valid_label)
"""Valid labels, biased towards characters that exercise the rules."""

populations = st.lists(labels, min_size=1, max_size=40, unique=True)
"""Valid, non-empty populations without duplicates."""

seeds = st.binary(min_size=32, max_size=32).map(bytes.hex)
"""Seeds as 64 hex digits."""

scopes = st.sampled_from(["items", "2026-05/MAINT", "组", "stratum/风险"])

rates = st.one_of(
    st.fractions(min_value=0, max_value=1, max_denominator=1000).map(
        lambda f: f"{f.numerator}/{f.denominator}"
    ),
    st.integers(0, 100).map(lambda p: f"{p}%"),
    st.integers(0, 1000).map(lambda m: f"{m // 1000}.{m % 1000:03d}"),
)
"""Rates in each input form the spec accepts."""

# Strings that may or may not be valid labels: the raw material of the rejection tests.
raw_text = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(_TRICKY + "\t\n\r\x85\x00")),
    min_size=0,
    max_size=8,
)
