"""Membership trees (membership spec v1): every member's path reaches the root and no other
label's does, for any list, salt and size; and a member's position in the tree says nothing of
how many members there are.

The statistical test states its significance level α = 0.001 and uses fixed salts (SHA-256 of a
counter), so it always passes or always fails: the suite never flakes. The critical value is
the upper 0.1 % point of the chi-square distribution with 7 degrees of freedom, 24.322 (NIST/
SEMATECH e-Handbook of Statistical Methods, table 1.3.6.7.4).
"""

from __future__ import annotations

import hashlib
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from fairdraw import MembershipTree, Population
from fairdraw.membership.tree import inclusion_root, member_leaf

DRAW_ID, SCOPE = "prop-2026-05", "2026-05/MAINT/base"
CHI2_CRITICAL_7 = 24.322
labels = st.lists(
    st.text(alphabet="ABCDEFGHIJ西城区0123456789", min_size=1, max_size=6),
    min_size=1,
    max_size=20,
    unique=True,
)


def reaches(
    tree: MembershipTree, label: str, opening: bytes, index: int, path: tuple[bytes, ...]
) -> bool:
    leaf = member_leaf(opening, DRAW_ID, SCOPE, label)
    return inclusion_root(leaf, index, tree.size, path) == tree.root


@settings(max_examples=60, deadline=None)
@given(labels, st.binary(min_size=32, max_size=32), st.integers(0, 3), st.text("KLMN", min_size=1))
def test_each_path_proves_exactly_its_member(
    members: list[str], salt: bytes, extra_depth: int, stranger: str
) -> None:
    population = Population.of(members, salt=salt)
    size = 1 << ((len(members) - 1).bit_length() + extra_depth)
    tree = MembershipTree.build(population, draw_id=DRAW_ID, scope=SCOPE, size=size)
    proofs = {label: tree.proof(label) for label in members}
    assert len({index for index, _ in proofs.values()}) == len(members)
    for label, (index, path) in proofs.items():
        opening = tree.openings[label]
        assert reaches(tree, label, opening, index, path)
        assert not reaches(tree, stranger, opening, index, path)  # (no member has K–N)
        for other in members:
            if other != label:
                assert not reaches(tree, other, opening, index, path)


def salts(count: int, purpose: str) -> list[bytes]:
    return [
        hashlib.sha256(f"fairdraw membership/{purpose}/{i}".encode()).digest() for i in range(count)
    ]


def chi_square(indexes: list[int], cells: int) -> float:
    counts = Counter(indexes)
    expected = len(indexes) / cells
    return sum((counts.get(i, 0) - expected) ** 2 / expected for i in range(cells))


def test_a_members_index_is_uniform_whatever_the_lists_size() -> None:
    """α = 0.001 per list size: the index of the member "A" in an 8-leaf tree, over 1,600 salts,
    is uniform for a list of 1 and of 7 (chi-square, 7 df), so the index reveals nothing of the
    list's size; ordering the leaves by label instead (padding last) would put "A" first every
    time, which the same statistic shows."""
    for n in (1, 7):
        members = ["A", *(f"B{i}" for i in range(n - 1))]
        indexes = []
        for salt in salts(1600, f"index/{n}"):
            tree = MembershipTree.build(
                Population.of(members, salt=salt), draw_id=DRAW_ID, scope=SCOPE, size=8
            )
            indexes.append(tree.proof("A")[0])
        assert chi_square(indexes, 8) < CHI2_CRITICAL_7, (n, Counter(indexes))
    by_label = [sorted(members).index("A") for _ in range(1600)]
    assert chi_square(by_label, 8) > CHI2_CRITICAL_7
