"""The membership tree of a confidential scope (``docs/spec/membership-v1.md``, sections 2–4).

A lower-layer building block, easy to misuse: a tree built after the seed exists, or with a
size chosen from the list's own size, proves nothing or gives the total away. Offices announce
one through :class:`fairdraw.ScopePlan` (``membership_size``), which builds it before the seed
exists; members check theirs with :func:`fairdraw.check_member`.

Each member's leaf is a hash over its label and an *opening*, a key derived from the list's
secret salt for this draw, scope and label (HMAC-SHA256). The tree is padded to a fixed size
with leaves derived from the salt too, which nobody without the salt can tell from real ones;
the leaves are ordered by their own bytes, so a member's position says nothing about its label
or about how many leaves are real. Leaf and node hashes are those of RFC 9162, section 2.1.1.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import struct
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from fairdraw.errors import InputError, ParameterError, VerificationError
from fairdraw.i18n import _
from fairdraw.labels import check_label
from fairdraw.population import Population
from fairdraw.primitives import lp

__all__ = [
    "MAX_TREE_SIZE",
    "MEMBERSHIP_TREE",
    "MembershipTree",
    "check_membership_entry",
    "check_membership_root",
    "check_size",
    "inclusion_root",
    "member_leaf",
    "member_opening",
    "padding_leaf",
]

MEMBERSHIP_TREE = "fairdraw/membership/v1"
"""The ``tree`` member of an announced scope's ``membership``."""
MAX_TREE_SIZE = 1 << 20
"""The largest tree: 2^20 leaves, a path of 20 hashes."""

OPENING_TAG = b"fairdraw/v1/member\x00"
LEAF_TAG = b"fairdraw/v1/member-leaf\x00"
PAD_TAG = b"fairdraw/v1/member-pad\x00"
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _context(draw_id: str, scope: str) -> bytes:
    return lp(check_label(draw_id)) + lp(check_label(scope))


def member_opening(salt: bytes, draw_id: str, scope: str, label: str) -> bytes:
    """A member's opening: ``HMAC-SHA256(salt, "fairdraw/v1/member" 0x00 ‖ lp(draw_id) ‖
    lp(scope) ‖ UTF-8(label))``. Given to that member only; it reveals nothing of the salt."""
    message = OPENING_TAG + _context(draw_id, scope) + check_label(label)
    return hmac.new(salt, message, hashlib.sha256).digest()


def member_leaf(opening: bytes, draw_id: str, scope: str, label: str) -> bytes:
    """A member's leaf: ``H("fairdraw/v1/member-leaf" 0x00 ‖ opening ‖ lp(draw_id) ‖ lp(scope)
    ‖ UTF-8(label))``."""
    data = LEAF_TAG + opening + _context(draw_id, scope) + check_label(label)
    return hashlib.sha256(data).digest()


def padding_leaf(salt: bytes, draw_id: str, scope: str, index: int) -> bytes:
    """Padding leaf ``j``: ``HMAC-SHA256(salt, "fairdraw/v1/member-pad" 0x00 ‖ lp(draw_id) ‖
    lp(scope) ‖ u32(j))``."""
    message = PAD_TAG + _context(draw_id, scope) + struct.pack(">I", index)
    return hmac.new(salt, message, hashlib.sha256).digest()


def _leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def check_size(size: object) -> int:
    """A tree size: a power of two from 1 to :data:`MAX_TREE_SIZE`.

    Raises:
        ParameterError: it is not.
    """
    if type(size) is not int or not 1 <= size <= MAX_TREE_SIZE or size & (size - 1):
        raise ParameterError(
            _("a membership tree's size is a power of two from 1 to {most}, not {size!r}").format(
                most=MAX_TREE_SIZE, size=size
            ),
            parameter="membership_size",
        )
    return size


def inclusion_root(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes:
    """The root a leaf's path leads to (RFC 9162, section 2.1.3.2, for a tree whose size is a
    power of two): the path's hashes are the siblings from the leaf up.

    Raises:
        VerificationError: the index is outside the tree, or the path is not as long as the
            tree is deep.
    """
    check_size(size)
    depth = size.bit_length() - 1
    if not 0 <= index < size:
        raise VerificationError(
            _("leaf index {index} is outside a tree of {size} leaves").format(
                index=index, size=size
            )
        )
    if len(path) != depth:
        raise VerificationError(
            _("a path in a tree of {size} leaves has {depth} hashes, not {count}").format(
                size=size, depth=depth, count=len(path)
            )
        )
    node = _leaf_hash(leaf)
    for sibling in path:
        node = _node_hash(node, sibling) if index % 2 == 0 else _node_hash(sibling, node)
        index //= 2
    return node


@attrs.frozen(repr=False)
class MembershipTree:
    """A confidential scope's membership tree, built by the office that holds the salted list.

    Attributes:
        size: the number of leaves, real and padding (a power of two).
        leaves: every leaf, sorted by its bytes.
        levels: the node hashes, level by level from the leaves' hashes up to the root.
        openings: each member's opening, by label.
    """

    draw_id: str
    scope: str
    size: int
    leaves: tuple[bytes, ...]
    levels: tuple[tuple[bytes, ...], ...]
    openings: Mapping[str, bytes]

    @classmethod
    def build(
        cls, population: Population, *, draw_id: str, scope: str, size: int
    ) -> MembershipTree:
        """Build the tree of a salted population.

        Raises:
            ParameterError: the population has no salt (only a confidential list has a tree),
                the size is not a power of two up to :data:`MAX_TREE_SIZE`, or the list is
                larger than the tree.
        """
        check_size(size)
        if not population.salt:
            raise ParameterError(
                _(
                    "scope {scope!r}: only a salted (confidential) list has a membership tree"
                ).format(scope=scope),
                parameter="salt",
            )
        if len(population) > size:
            raise ParameterError(
                _(
                    "scope {scope!r}: the list has more members than the membership tree's "
                    "{size} leaves; announce a larger tree (the same size every month)"
                ).format(scope=scope, size=size),
                parameter="membership_size",
            )
        salt = population.salt
        openings = {label: member_opening(salt, draw_id, scope, label) for label in population}
        leaves = [member_leaf(o, draw_id, scope, label) for label, o in openings.items()]
        leaves += [padding_leaf(salt, draw_id, scope, j) for j in range(size - len(population))]
        leaves.sort()
        level = [_leaf_hash(leaf) for leaf in leaves]
        levels = [tuple(level)]
        while len(level) > 1:
            level = [_node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
            levels.append(tuple(level))
        return cls(draw_id, scope, size, tuple(leaves), tuple(levels), openings)

    @functools.cached_property
    def _positions(self) -> dict[bytes, int]:
        """Each leaf's index (equal leaves, which SHA-256 makes practically impossible, share the
        first)."""
        positions: dict[bytes, int] = {}
        for index, leaf in enumerate(self.leaves):
            positions.setdefault(leaf, index)
        return positions

    @property
    def root(self) -> bytes:
        """The tree's root (32 bytes)."""
        return self.levels[-1][0]

    def to_json(self) -> dict[str, Any]:
        """The announced scope's ``membership`` member."""
        return {"tree": MEMBERSHIP_TREE, "size": self.size, "root": self.root.hex()}

    def proof(self, label: str) -> tuple[int, tuple[bytes, ...]]:
        """A member's leaf index and path (the siblings from its leaf up).

        Raises:
            InputError: the label is not a member.
        """
        opening = self.openings.get(label)
        if opening is None:
            raise InputError(
                _("{label!r} is not a member of scope {scope!r}").format(
                    label=label, scope=self.scope
                )
            )
        index = self._positions[member_leaf(opening, self.draw_id, self.scope, label)]
        path, at = [], index
        for level in self.levels[:-1]:
            path.append(level[at ^ 1])
            at //= 2
        return index, tuple(path)

    def __repr__(self) -> str:
        return (
            f"MembershipTree(scope={self.scope!r}, size={self.size}, root={self.root.hex()[:16]}…)"
        )


def check_membership_entry(scope: Mapping[str, Any]) -> None:
    """Check an announced scope's ``membership`` member, if it has one: only a confidential
    scope may, and it is ``{"tree": "fairdraw/membership/v1", "size": power of two, "root":
    64 hex digits}``.

    Raises:
        VerificationError: it is malformed, or announced for a public scope.
    """
    if "membership" not in scope:
        return
    entry = scope["membership"]
    name = scope.get("scope")
    if scope.get("confidential") is not True:
        raise VerificationError(
            _("scope {scope!r}: only a confidential scope announces a membership tree").format(
                scope=name
            )
        )
    ok = isinstance(entry, Mapping) and set(entry) == {"tree", "size", "root"}
    if ok and entry["tree"] == MEMBERSHIP_TREE and isinstance(entry["root"], str):
        try:
            check_size(entry["size"])
        except ParameterError:
            ok = False
        ok = ok and _HEX64.fullmatch(entry["root"]) is not None
    else:
        ok = False
    if not ok:
        raise VerificationError(
            _(
                'scope {scope!r}: membership must be {{"tree": "{tree}", "size": a power '
                'of two up to {most}, "root": 64 lowercase hex digits}}'
            ).format(scope=name, tree=MEMBERSHIP_TREE, most=MAX_TREE_SIZE)
        )


def check_membership_root(entry: Mapping[str, Any], population: Population, draw_id: str) -> None:
    """Check an announced scope's membership root against its salted list (the auditor's
    check, part of the scope's complete recomputation); nothing to check without one.

    Raises:
        VerificationError: the member is malformed, or the root is not the list's.
    """
    check_membership_entry(entry)
    if "membership" not in entry:
        return
    announced = entry["membership"]
    try:
        tree = MembershipTree.build(
            population, draw_id=draw_id, scope=entry["scope"], size=announced["size"]
        )
    except InputError as err:
        raise VerificationError(str(err)) from err
    if not hmac.compare_digest(tree.root.hex(), announced["root"]):
        raise VerificationError(
            _(
                "the membership tree of this list has the root {root}, not the announced "
                "{announced}"
            ).format(root=tree.root.hex(), announced=announced["root"])
        )
