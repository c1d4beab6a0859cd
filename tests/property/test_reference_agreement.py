"""fairdraw and the spec-only reference (tests/support/spec_reference.py) agree on generated cases.

The reference was written from docs/spec/draw-v1.md without reading fairdraw's code, so where the
two agree on thousands of generated inputs, the specification, not an implementation detail,
decides the result. Each test runs at least 1,000 derandomized examples (2,000 for exact mode).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fairdraw
import spec_reference as ref
from fairdraw import InputError, Stratum
from strategies import populations, rates, raw_text, scopes, seeds


def picks(picks: fairdraw.PickList) -> list[dict[str, Any]]:
    return [pick.to_dict() for pick in picks]


@pytest.mark.slow
@settings(max_examples=1000)
@given(seeds, scopes, populations, st.data())
def test_exact_mode_agrees(seed: str, scope: str, labels: list[str], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(labels)), label="k")
    m = data.draw(st.integers(0, len(labels) + 2), label="alternates")
    ours = fairdraw.draw_exact(seed, scope, labels, k, alternates=m)
    theirs = ref.draw_exact(seed, scope, labels, k, m)
    assert ours.subseed == theirs["subseed"]
    assert picks(ours.selected) == theirs["selected"]
    assert picks(ours.alternates) == theirs["alternates"]
    assert fairdraw.population_digest(labels) == ref.population_digest(labels)


@pytest.mark.slow
@settings(max_examples=1000)
@given(seeds, scopes, populations, rates)
def test_rate_mode_agrees(seed: str, scope: str, labels: list[str], rate: str) -> None:
    ours = fairdraw.draw_rate(seed, scope, labels, rate)
    theirs = ref.draw_rate(seed, scope, labels, rate)
    assert picks(ours.selected) == theirs["selected"]
    assert ours.rate == f"{ref.parse_rate(rate).numerator}/{ref.parse_rate(rate).denominator}"


@settings(max_examples=1000)
@given(seeds, scopes, populations, st.binary(min_size=32, max_size=32) | st.just(b""))
def test_shuffle_and_digest_agree(seed: str, scope: str, labels: list[str], salt: bytes) -> None:
    assert fairdraw.shuffle(seed, scope, labels).labels == tuple(ref.shuffle(seed, scope, labels))
    assert fairdraw.population_digest(labels, salt=salt) == ref.population_digest(labels, salt)


@pytest.mark.slow
@settings(max_examples=500)
@given(seeds, st.lists(populations, min_size=1, max_size=4), st.data())
def test_stratified_agrees(seed: str, groups: list[list[str]], data: st.DataObject) -> None:
    strata: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, group in enumerate(groups):
        labels = [label for label in group if label not in seen] or [f"stratum-{number}-only"]
        seen.update(labels)
        if data.draw(st.booleans(), label="exact"):
            k = data.draw(st.integers(0, len(labels)), label="k")
            strata.append({"scope": f"s{number}", "labels": labels, "k": k, "alternates": 1})
        else:
            strata.append(
                {"scope": f"s{number}", "labels": labels, "rate": data.draw(rates, label="rate")}
            )
    ours = fairdraw.draw_stratified(seed, [Stratum(**s) for s in strata])
    theirs = ref.draw_stratified(seed, strata)
    for draw, result in zip(ours.draws, theirs, strict=True):
        assert picks(draw.selected) == result["selected"]
        assert picks(draw.alternates) == result["alternates"]


@pytest.mark.slow
@settings(max_examples=800)
@given(seeds, st.lists(raw_text, min_size=0, max_size=6), st.integers(-1, 7))
def test_both_reject_the_same_inputs(seed: str, labels: list[str], k: int) -> None:
    """On arbitrary text, both accept or both reject, and for the same reason."""
    try:
        ours: Any = fairdraw.draw_exact(seed, "s", labels, k)
    except InputError as err:
        ours = err.reason
    try:
        theirs: Any = ref.draw_exact(seed, "s", labels, k)
    except ref.SpecError as err:
        theirs = err.reason
    if isinstance(ours, fairdraw.Draw):
        assert picks(ours.selected) == theirs["selected"]
    else:
        assert ours == theirs


@settings(max_examples=1000)
@given(st.text(alphabet=st.sampled_from("0123456789./%\uff05\uff10\uff15 -e\u3000"), max_size=8))
def test_rate_parsing_agrees(text: str) -> None:
    try:
        ours: Any = fairdraw.parse_rate(text)
    except InputError as err:
        ours = err.reason
    try:
        theirs: Any = ref.parse_rate(text)
    except ref.SpecError as err:
        theirs = err.reason
    assert ours == theirs
