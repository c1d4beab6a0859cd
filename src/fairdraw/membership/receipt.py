"""A member's receipt (``fairdraw/member-receipt/v1``, ``docs/spec/membership-v1.md``
section 6): what the office gives one business of a confidential list so that it can check its
own draw without the list.

The receipt names the draw, the scope and the label, and carries the label's opening and its
path in the scope's membership tree, whose root the announcement holds; it is bound to the
announcement by its hash and signed by the office key. It reveals nothing of the other members
or of their number: the opening is this label's alone, and the path's hashes look random.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from fairdraw.ceremony.events import event_hash
from fairdraw.errors import InputError
from fairdraw.i18n import _
from fairdraw.membership.tree import MembershipTree, check_size
from fairdraw.population import Population
from fairdraw.signing import OfficeKey, PublicKey

__all__ = ["RECEIPT_FORMAT", "RECEIPT_TAG", "MemberReceipt", "issue_receipts"]

RECEIPT_FORMAT = "fairdraw/member-receipt/v1"
RECEIPT_TAG = "member-receipt"
"""The signature's purpose: ``"fairdraw/v1/member-receipt" 0x00 ‖ JCS(receipt without
signature)``."""
_MEMBERS = frozenset(
    {
        "format",
        "draw_id",
        "scope",
        "label",
        "opening",
        "tree",
        "announcement",
        "context",
        "office_key",
        "signature",
    }
)
_TREE_MEMBERS = frozenset({"size", "index", "path", "root"})
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _bad(where: str, problem: str) -> InputError:
    return InputError(
        _("{where}: not a {format} receipt: {problem}").format(
            where=where, format=RECEIPT_FORMAT, problem=problem
        )
    )


def _hex(data: Mapping[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or _HEX64.fullmatch(value) is None:
        raise _bad(where, _("{name} must be 64 lowercase hex digits").format(name=name))
    return value


def _text(data: Mapping[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise _bad(where, _("{name} must be a non-empty string").format(name=name))
    return value


@attrs.frozen(kw_only=True)
class MemberReceipt:
    """One member's receipt.

    Attributes:
        opening: the label's opening (32 bytes, hex): its key in the tree.
        size, index, path, root: the tree's size, the leaf's index, its path (hex, from the
            leaf up) and the tree's root, as announced.
        announcement: ``H(JCS(signed announce event))`` of the draw (hex).
        context: what the office adds for people (``month``, ``name`` …), strings only.
        office_key: the key that signed it (``{"algorithm", "public_key", "key_id"}``).
        signature: Ed25519 over ``"fairdraw/v1/member-receipt" 0x00 ‖ JCS(body)``, hex.
    """

    draw_id: str
    scope: str
    label: str
    opening: str
    size: int
    index: int
    path: tuple[str, ...]
    root: str
    announcement: str
    context: Mapping[str, str]
    office_key: Mapping[str, str]
    signature: str

    def body(self) -> dict[str, Any]:
        """The receipt without its signature: what the signature covers."""
        return {
            "format": RECEIPT_FORMAT,
            "draw_id": self.draw_id,
            "scope": self.scope,
            "label": self.label,
            "opening": self.opening,
            "tree": {
                "size": self.size,
                "index": self.index,
                "path": list(self.path),
                "root": self.root,
            },
            "announcement": self.announcement,
            "context": dict(self.context),
            "office_key": dict(self.office_key),
        }

    def to_json(self) -> dict[str, Any]:
        """The receipt file's JSON object."""
        return {**self.body(), "signature": self.signature}

    @property
    def public_key(self) -> PublicKey:
        """The key the receipt names (check it is the record's)."""
        return PublicKey.from_hex(self.office_key["public_key"])

    def verify_signature(self) -> None:
        """Check the receipt's signature with the key it names.

        Raises:
            VerificationError: it does not verify (a member was changed).
        """
        self.public_key.verify(RECEIPT_TAG, self.body(), bytes.fromhex(self.signature))

    @classmethod
    def from_json(cls, data: object, where: str = "receipt") -> MemberReceipt:
        """Read a receipt (its form only: :func:`fairdraw.check_member` checks the rest).

        Raises:
            InputError: it is not a receipt of this format (the message says which member).
        """
        if not isinstance(data, Mapping):
            raise _bad(where, _("a receipt is a JSON object"))
        if data.get("format") != RECEIPT_FORMAT:
            raise _bad(where, _("its format is {found!r}").format(found=data.get("format")))
        if set(data) != _MEMBERS:
            names = sorted(set(data) ^ _MEMBERS)
            raise _bad(where, _("unknown or missing members {names}").format(names=names))
        tree = data["tree"]
        if not isinstance(tree, Mapping) or set(tree) != _TREE_MEMBERS:
            raise _bad(where, _("tree must have exactly size, index, path and root"))
        try:
            size = check_size(tree["size"])
        except InputError as err:
            raise _bad(where, str(err)) from err
        index, path = tree["index"], tree["path"]
        if type(index) is not int or not 0 <= index < size:
            raise _bad(where, _("tree.index must be a whole number below the tree's size"))
        if not isinstance(path, list) or not all(
            isinstance(h, str) and _HEX64.fullmatch(h) for h in path
        ):
            raise _bad(where, _("tree.path must be a list of 64-hex-digit hashes"))
        context, key = data["context"], data["office_key"]
        if not isinstance(context, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in context.items()
        ):
            raise _bad(where, _("context must be an object of strings"))
        if (
            not isinstance(key, Mapping)
            or key.get("algorithm") != "ed25519"
            or set(key) != {"algorithm", "public_key", "key_id"}
        ):
            raise _bad(where, _("office_key must be an ed25519 key"))
        receipt = cls(
            draw_id=_text(data, "draw_id", where),
            scope=_text(data, "scope", where),
            label=_text(data, "label", where),
            opening=_hex(data, "opening", where),
            size=size,
            index=index,
            path=tuple(path),
            root=_hex(tree, "root", where),
            announcement=_hex(data, "announcement", where),
            context=dict(context),
            office_key=dict(key),
            signature=_signature(data, where),
        )
        try:
            key_id = receipt.public_key.key_id
        except InputError as err:
            raise _bad(where, str(err)) from err
        if key_id != key["key_id"]:
            raise _bad(where, _("office_key.key_id is not its key's"))
        return receipt


def _signature(data: Mapping[str, Any], where: str) -> str:
    value = data.get("signature")
    if not isinstance(value, str) or re.fullmatch(r"[0-9a-f]{128}", value) is None:
        raise _bad(where, _("signature must be 128 lowercase hex digits"))
    return value


def issue_receipts(
    population: Population,
    *,
    draw_id: str,
    scope: str,
    size: int,
    announcement: Mapping[str, Any],
    key: OfficeKey,
    context: Mapping[str, Mapping[str, str]] | None = None,
    labels: Sequence[str] | None = None,
) -> dict[str, MemberReceipt]:
    """The signed receipt of every member of a confidential scope (or of ``labels``).

    Args:
        population: the scope's salted list, as announced.
        draw_id, scope, size: the draw, the scope and its announced tree size.
        announcement: the signed announce event (its hash binds each receipt to the draw).
        key: the office key the record is signed with.
        context: by label, strings for people (``month``, ``name`` …).
        labels: the members to issue for; every member by default.

    Raises:
        ParameterError: the list has no salt, or the size is not one it fits in.
        InputError: a label is not a member.
    """
    tree = MembershipTree.build(population, draw_id=draw_id, scope=scope, size=size)
    announced = event_hash(announcement)
    receipts = {}
    for label in population if labels is None else labels:
        index, path = tree.proof(label)
        unsigned = MemberReceipt(
            draw_id=draw_id,
            scope=scope,
            label=label,
            opening=tree.openings[label].hex(),
            size=size,
            index=index,
            path=tuple(h.hex() for h in path),
            root=tree.root.hex(),
            announcement=announced,
            context=dict((context or {}).get(label, {})),
            office_key=key.public.to_json(),
            signature="",
        )
        signature = key.sign(RECEIPT_TAG, unsigned.body()).hex()
        receipts[label] = attrs.evolve(unsigned, signature=signature)
    return receipts
