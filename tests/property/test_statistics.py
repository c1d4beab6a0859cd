"""Uniformity of draws: chi-square tests over many fixed seeds.

Each test states its significance level α. The seeds are fixed (SHA-256 of a counter), so each
test either always passes or always fails: the suite never flakes. Were the seeds random, each
test would fail by chance with probability α = 0.001; with the three tests here, the chance that
a correct implementation fails one of them for a given set of seeds is under 0.3%.

Critical values are the upper 0.1% points of the chi-square distribution, from the NIST/SEMATECH
e-Handbook of Statistical Methods, table 1.3.6.7.4 (df 1: 10.828, df 9: 27.877, df 19: 43.820).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable

from fairdraw import draw_exact, shuffle

ALPHA = 0.001
CHI2_CRITICAL = {1: 10.828, 9: 27.877, 19: 43.820}


def fixed_seeds(count: int, purpose: str) -> list[str]:
    return [
        hashlib.sha256(f"fairdraw statistics/{purpose}/{i}".encode()).hexdigest()
        for i in range(count)
    ]


def inclusion_statistic(draw: Callable[[str, list[str], int], tuple[str, ...]]) -> float:
    """Exact mode, n = 20, k = 5, 4000 seeds: inclusion counts against Binomial(4000, 1/4).

    The counts are dependent (they sum to 4000·k), so the statistic is scaled by
    (n − 1) / (n (1 − k/n)), which makes it chi-square with n − 1 = 19 degrees of freedom.
    """
    n, k, draws = 20, 5, 4000
    labels = [f"对象{i:02d}" for i in range(n)]
    counts = Counter(
        label for seed in fixed_seeds(draws, "inclusion") for label in draw(seed, labels, k)
    )
    p = k / n
    expected = draws * p
    statistic = sum((counts[label] - expected) ** 2 for label in labels) / expected
    return statistic * (n - 1) / (n * (1 - p))


def test_each_label_is_selected_equally_often() -> None:
    statistic = inclusion_statistic(lambda seed, labels, k: draw_exact(seed, "s", labels, k).labels)
    assert statistic < CHI2_CRITICAL[19], statistic


def test_inclusion_test_detects_a_naive_shuffle() -> None:
    """The test above has power: the classic naive shuffle (swap i with any j) fails it.

    Swapping position i with a uniformly chosen j in 0..n-1 for every i gives n^n equally likely
    paths onto n! permutations, which cannot be uniform; the chi-square statistic shows it.
    """

    def naive(seed: str, labels: list[str], k: int) -> tuple[str, ...]:
        order = list(labels)
        stream = hashlib.sha512(bytes.fromhex(seed)).digest()
        for i in range(len(order)):
            j = stream[i] % len(order)
            order[i], order[j] = order[j], order[i]
        return tuple(order[:k])

    assert inclusion_statistic(naive) > CHI2_CRITICAL[19]


def test_rank_of_a_fixed_label_is_uniform() -> None:
    """Shuffle of n = 10, 5000 seeds: the rank of one label is uniform on 1..10 (df = 9)."""
    n, draws = 10, 5000
    labels = [f"obj-{i}" for i in range(n)]
    ranks = Counter(
        shuffle(seed, "groups", labels).labels.index("obj-3") + 1
        for seed in fixed_seeds(draws, "rank")
    )
    expected = draws / n
    statistic = sum((ranks[r] - expected) ** 2 / expected for r in range(1, n + 1))
    assert statistic < CHI2_CRITICAL[n - 1], statistic


def test_scopes_are_independent() -> None:
    """One label under two scopes of the same seed: inclusion in one says nothing about the other.

    2×2 contingency table over 4000 seeds, k/n = 1/4 in each scope; chi-square with 1 df.
    """
    n, k, draws = 8, 2, 4000
    labels = [f"x{i}" for i in range(n)]
    table: Counter[tuple[bool, bool]] = Counter()
    for seed in fixed_seeds(draws, "scopes"):
        in_a = "x0" in draw_exact(seed, "2026-05/MAINT", labels, k).labels
        in_b = "x0" in draw_exact(seed, "2026-05/USE", labels, k).labels
        table[in_a, in_b] += 1
    rows = {a: table[a, True] + table[a, False] for a in (True, False)}
    cols = {b: table[True, b] + table[False, b] for b in (True, False)}
    statistic = sum(
        (table[a, b] - rows[a] * cols[b] / draws) ** 2 / (rows[a] * cols[b] / draws)
        for a in (True, False)
        for b in (True, False)
    )
    assert statistic < CHI2_CRITICAL[1], statistic
