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
from fairdraw.errors import InputError, ParameterError
from fairdraw.i18n import _
from fairdraw.membership.tree import MembershipTree, check_size
from fairdraw.population import Population
from fairdraw.record.draw import ScopeResult
from fairdraw.signing import OfficeKey, PublicKey

__all__ = ["RECEIPT_FORMAT", "RECEIPT_TAG", "CutoffPick", "MemberReceipt", "issue_receipts"]

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
_CUTOFF_MEMBERS = frozenset({"label", "rank", "opening", "index", "path"})
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
class CutoffPick:
    """A pick a member of a scope with keyed scores needs to check its outcome (membership
    spec v1, section 9): the pick's label and rank as the result lists them, its opening
    (hex) and its leaf's index and path (hex, from the leaf up) in the scope's tree."""

    label: str
    rank: int
    opening: str
    index: int
    path: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"label", "rank", "opening", "index", "path"}``."""
        return {
            "label": self.label,
            "rank": self.rank,
            "opening": self.opening,
            "index": self.index,
            "path": list(self.path),
        }

    @classmethod
    def from_json(cls, data: object, size: int, where: str) -> CutoffPick:
        """Read one ``cutoff`` pick of a receipt whose tree has ``size`` leaves.

        Raises:
            InputError: it is not of this form.
        """
        if not isinstance(data, Mapping) or set(data) != _CUTOFF_MEMBERS:
            raise _bad(
                where, _("each cutoff pick has exactly label, rank, opening, index and path")
            )
        rank, index = data["rank"], data["index"]
        if type(rank) is not int or rank < 1:
            raise _bad(where, _("a cutoff pick's rank must be a whole number from 1"))
        if type(index) is not int or not 0 <= index < size:
            raise _bad(
                where, _("a cutoff pick's index must be a whole number below the tree's size")
            )
        return cls(
            label=_text(data, "label", where),
            rank=rank,
            opening=_hex(data, "opening", where),
            index=index,
            path=_path(
                data["path"], where, _("a cutoff pick's path must be a list of 64-hex-digit hashes")
            ),
        )


def _path(value: object, where: str, problem: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(
        isinstance(h, str) and _HEX64.fullmatch(h) for h in value
    ):
        raise _bad(where, problem)
    return tuple(value)


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
        cutoff: a scope with keyed scores: the picks its check needs (membership spec v1,
            section 9: the last selected, then the last alternate listed; none in rate mode).
            None for any other scope (the receipt then has no ``cutoff`` member).
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
    cutoff: tuple[CutoffPick, ...] | None = None

    def body(self) -> dict[str, Any]:
        """The receipt without its signature: what the signature covers."""
        body: dict[str, Any] = {
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
        if self.cutoff is not None:
            body["cutoff"] = [pick.to_json() for pick in self.cutoff]
        return body

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
        if set(data) - {"cutoff"} != _MEMBERS:
            names = sorted((set(data) - {"cutoff"}) ^ _MEMBERS)
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
        path = _path(path, where, _("tree.path must be a list of 64-hex-digit hashes"))
        cutoff = data.get("cutoff")
        if "cutoff" in data and not isinstance(cutoff, list):
            raise _bad(where, _("cutoff must be a list of picks"))
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
            path=path,
            root=_hex(tree, "root", where),
            announcement=_hex(data, "announcement", where),
            context=dict(context),
            office_key=dict(key),
            signature=_signature(data, where),
            cutoff=None
            if cutoff is None
            else tuple(CutoffPick.from_json(p, size, f"{where}.cutoff") for p in cutoff),
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
    result: ScopeResult | Mapping[str, Any] | None = None,
) -> dict[str, MemberReceipt]:
    """The signed receipt of every member of a confidential scope (or of ``labels``).

    Args:
        population: the scope's salted list, as announced.
        draw_id, scope, size: the draw, the scope and its announced tree size.
        announcement: the signed announce event (its hash binds each receipt to the draw).
        key: the office key the record is signed with.
        context: by label, strings for people (``month``, ``name`` …).
        labels: the members to issue for; every member by default.
        result: the scope's published result (the record's :class:`ScopeResult`, or its
            JSON): required when the announcement gives the scope keyed scores, whose
            receipts carry the ``cutoff`` picks it names (membership spec v1, section 9);
            not used otherwise.

    Raises:
        ParameterError: the list has no salt, or the size is not one it fits in; the scope
            has keyed scores and no result (or another scope's) is given.
        InputError: a label is not a member (a member of ``labels``, or a pick of the result).
    """
    tree = MembershipTree.build(population, draw_id=draw_id, scope=scope, size=size)
    announced = event_hash(announcement)
    entry = _announced_scope(announcement, scope)
    cutoff = None
    if entry is not None and entry.get("scores") == "keyed":
        cutoff = _cutoff(tree, entry, _keyed_result(result, scope))
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
            cutoff=cutoff,
        )
        signature = key.sign(RECEIPT_TAG, unsigned.body()).hex()
        receipts[label] = attrs.evolve(unsigned, signature=signature)
    return receipts


def _announced_scope(announcement: Mapping[str, Any], scope: str) -> Mapping[str, Any] | None:
    """The scope's entry in a signed announce event, None if it has none."""
    event = announcement.get("event")
    body = event.get("body") if isinstance(event, Mapping) else None
    scopes = body.get("scopes") if isinstance(body, Mapping) else None
    if not isinstance(scopes, list):
        return None
    return next((s for s in scopes if isinstance(s, Mapping) and s.get("scope") == scope), None)


def _keyed_result(result: ScopeResult | Mapping[str, Any] | None, scope: str) -> ScopeResult:
    if result is None:
        raise ParameterError(
            _(
                "scope {scope!r} has keyed scores: its receipts need the scope's result "
                "(give result=)"
            ).format(scope=scope),
            parameter="result",
        )
    if not isinstance(result, ScopeResult):
        result = ScopeResult.from_json(result, "result", keyed_scopes={scope})
    if result.scope != scope:
        raise ParameterError(
            _("the result given is of scope {other!r}, not {scope!r}").format(
                other=result.scope, scope=scope
            ),
            parameter="result",
        )
    return result


def _cutoff(
    tree: MembershipTree, entry: Mapping[str, Any], result: ScopeResult
) -> tuple[CutoffPick, ...]:
    """The ``cutoff`` picks of a scope with keyed scores: in exact mode the last selected
    (when k > 0), then the last alternate listed (when any); none in rate mode."""
    if entry.get("mode") != "exact":
        return ()
    picks = [result.selected[-1]] if result.selected else []
    picks += [result.alternates[-1]] if result.alternates else []
    cutoff = []
    for pick in picks:
        index, path = tree.proof(pick.label)
        cutoff.append(
            CutoffPick(
                label=pick.label,
                rank=pick.rank,
                opening=tree.openings[pick.label].hex(),
                index=index,
                path=tuple(h.hex() for h in path),
            )
        )
    return tuple(cutoff)
