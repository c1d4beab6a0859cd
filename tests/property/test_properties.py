"""Properties every draw must have (Hypothesis, derandomized: see conftest.py)."""

from __future__ import annotations

from fractions import Fraction
from math import isqrt

from hypothesis import given, settings
from hypothesis import strategies as st

from fairdraw import draw_exact, draw_rate, parse_rate, shuffle
from strategies import populations, rates, scopes, seeds


@given(seeds, scopes, populations, st.data())
def test_deterministic(seed: str, scope: str, labels: list[str], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(labels)))
    m = data.draw(st.integers(0, 5))
    assert draw_exact(seed, scope, labels, k, alternates=m) == draw_exact(
        seed, scope, list(labels), k, alternates=m
    )


@given(seeds, scopes, populations, st.data())
def test_independent_of_input_order(
    seed: str, scope: str, labels: list[str], data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, len(labels)))
    permuted = data.draw(st.permutations(labels))
    assert draw_exact(seed, scope, permuted, k, alternates=3) == draw_exact(
        seed, scope, labels, k, alternates=3
    )
    assert shuffle(seed, scope, permuted) == shuffle(seed, scope, labels)


@given(seeds, scopes, populations, st.data())
def test_subset_consistency(seed: str, scope: str, labels: list[str], data: st.DataObject) -> None:
    """The ranking of a subset is the superset's ranking with the other labels removed."""
    subset = data.draw(st.lists(st.sampled_from(labels), min_size=1, unique=True))
    whole = shuffle(seed, scope, labels)
    keep = set(subset)
    filtered = [(p.label, p.score) for p in whole.order if p.label in keep]
    part = shuffle(seed, scope, subset)
    assert [(p.label, p.score) for p in part.order] == filtered
    k = data.draw(st.integers(0, len(subset)))
    assert draw_exact(seed, scope, subset, k).labels == tuple(label for label, _ in filtered[:k])


@given(seeds, scopes, populations, st.data())
def test_counts_and_ranks(seed: str, scope: str, labels: list[str], data: st.DataObject) -> None:
    n = len(labels)
    k = data.draw(st.integers(0, n))
    m = data.draw(st.integers(0, 2 * n))
    draw = draw_exact(seed, scope, labels, k, alternates=m)
    chosen = [p.label for p in draw.selected] + [p.label for p in draw.alternates]
    assert len(draw.selected) == min(k, n)
    assert len(draw.alternates) == min(m, n - k)
    assert len(set(chosen)) == len(chosen)
    assert set(chosen) <= set(labels)
    assert [p.rank for p in (*draw.selected, *draw.alternates)] == list(range(1, len(chosen) + 1))
    scores = [p.score_int for p in (*draw.selected, *draw.alternates)]
    assert scores == sorted(scores)


@given(seeds, scopes, populations, st.data())
def test_smaller_k_is_a_prefix(
    seed: str, scope: str, labels: list[str], data: st.DataObject
) -> None:
    k1 = data.draw(st.integers(0, len(labels)))
    k2 = data.draw(st.integers(k1, len(labels)))
    assert (
        draw_exact(seed, scope, labels, k2).labels[:k1]
        == draw_exact(seed, scope, labels, k1).labels
    )


@given(seeds, scopes, populations, rates, rates)
def test_rate_mode_is_monotone(seed: str, scope: str, labels: list[str], r1: str, r2: str) -> None:
    low, high = sorted([r1, r2], key=parse_rate)
    assert set(draw_rate(seed, scope, labels, low).labels) <= set(
        draw_rate(seed, scope, labels, high).labels
    )


@given(seeds, scopes, populations, rates)
def test_rate_mode_lets_each_label_check_itself(
    seed: str, scope: str, labels: list[str], rate: str
) -> None:
    """Selection of a label depends on the seed, the scope and the label alone."""
    draw = draw_rate(seed, scope, labels, rate)
    for label in labels:
        alone = draw_rate(seed, scope, [label], rate)
        assert (label in draw.labels) == (alone.labels == (label,))


N_RATE = 2000


@settings(max_examples=300)
@given(seeds, st.fractions(min_value=0, max_value=1, max_denominator=10_000))
def test_rate_mode_count_within_binomial_bound(seed: str, rate: Fraction) -> None:
    """The number selected is Binomial(n, r); it must lie within 6 standard deviations of n·r.

    Significance: for a binomial with n = 2000 the two-sided probability of a deviation beyond
    6 sigma is about 2e-9 (normal approximation), so 300 examples fail by chance with probability
    under 1e-6. The examples are derandomized, so the outcome is the same on every run.
    """
    labels = [f"member-{i:04d}" for i in range(N_RATE)]
    count = len(draw_rate(seed, "binomial", labels, rate).selected)
    mean = N_RATE * rate
    variance = N_RATE * rate * (1 - rate)
    # |count - mean| <= 6 sigma, in exact arithmetic: (count - mean)^2 <= 36 variance (+1 for
    # the discreteness when the variance is tiny).
    assert (count - mean) ** 2 <= 36 * variance + 1, (count, float(mean), isqrt(int(variance)))
