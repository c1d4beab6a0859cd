"""A member's check of its own draw (``docs/spec/membership-v1.md``, section 7): from its
receipt and the public record alone, that it was in the committed list, its score under the
published seed, the cut-off, and whether being drawn or not follows from them.

What the cut-off shows: in rate mode, the published rate, which says nothing of the list's
size. In exact mode, the score of the last drawn label, which the record publishes anyway (and
anyone can recompute from the seed and the drawn labels): the check shows nothing the record
does not, but that score, with k, does say roughly how long the list is (spec section 8).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from fairdraw.ceremony.events import event_hash
from fairdraw.ceremony.report import Check, Verdict, check_title
from fairdraw.ceremony.verify import verification_report
from fairdraw.errors import FairdrawError, VerificationError
from fairdraw.i18n import N_, _
from fairdraw.membership.keyed import has_keyed_scores
from fairdraw.membership.outcome import Found, Outcome, keyed_outcome, ordinary_outcome
from fairdraw.membership.receipt import MemberReceipt
from fairdraw.membership.tree import inclusion_root, member_leaf
from fairdraw.record.draw import DrawRecord, ScopeResult
from fairdraw.signing import PublicKey

__all__ = ["MEMBER_CHECKS", "MemberReport", "Outcome", "check_member"]

RECORD = "draw record"
SIGNATURE = "receipt signature"
DRAW = "receipt's draw"
MEMBERSHIP = "membership"
OUTCOME = "drawn or not drawn"
MEMBER_CHECKS = (
    N_("draw record"),
    N_("receipt signature"),
    N_("receipt's draw"),
    N_("membership"),
    N_("drawn or not drawn"),
)
"""The checks of a member's report, in order (names never translated; :func:`_` shows them)."""
_RECOMPUTATION = ": complete recomputation"


@attrs.frozen
class MemberReport:
    """What a member's check found.

    Attributes:
        checks: each check of :data:`MEMBER_CHECKS`.
        outcome: ``selected``, ``alternate`` or ``not selected`` as the record has it (None if
            the record has no result for the scope).
        rank: the label's published rank when listed.
        score: its score under the published seed (64 hex digits), None without a seed.
        cutoff: ``{"mode": "exact", "k", "rank", "score"}`` (the last drawn; ``rank`` and
            ``score`` null when k = 0) or ``{"mode": "rate", "rate", "threshold"}`` (selected
            iff score < threshold, hex), None without a result.
        reason: why the outcome follows (or does not), in the run's language.
    """

    draw_id: str
    scope: str
    label: str
    checks: tuple[Check, ...]
    outcome: Outcome | None = None
    rank: int | None = None
    score: str | None = None
    cutoff: Mapping[str, Any] | None = None
    reason: str = ""

    @property
    def verdict(self) -> Verdict:
        """``failed`` if a check failed, ``incomplete`` if one could not be made, else
        ``passed``."""
        if any(c.status == "failed" for c in self.checks):
            return "failed"
        return "passed" if all(c.status == "passed" for c in self.checks) else "incomplete"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``fairdraw check-member --json``."""
        return {
            "draw_id": self.draw_id,
            "scope": self.scope,
            "label": self.label,
            "verdict": self.verdict,
            "outcome": self.outcome,
            "rank": self.rank,
            "score": self.score,
            "cutoff": None if self.cutoff is None else dict(self.cutoff),
            "checks": [c.to_dict() for c in self.checks],
        }


def _run(checks: list[Check], name: str, check: Callable[[], str]) -> bool:
    try:
        checks.append(Check(name, "passed", check()))
    except (FairdrawError, KeyError, TypeError, ValueError) as err:
        checks.append(Check(name, "failed", str(err) or type(err).__name__))
    return checks[-1].status == "passed"


def _line(check: Check) -> str:
    return _("{what}: {detail}").format(what=check_title(check.name), detail=check.detail)


def _record_check(record: Mapping[str, Any], public_key: PublicKey | None) -> Check:
    """The record's own verification, less the complete recomputations (for list holders)."""
    report = verification_report(record, public_key=public_key)
    kept = [c for c in report.checks if not c.name.endswith(_RECOMPUTATION)]
    failed = [c for c in kept if c.status == "failed"]
    if failed:
        return Check(RECORD, "failed", _("; ").join(_line(c) for c in failed))
    open_ = [c for c in kept if c.status == "not checked"]
    if open_:
        return Check(RECORD, "not checked", _("; ").join(_line(c) for c in open_))
    return Check(
        RECORD,
        "passed",
        _(
            "{count} checks passed (recomputing the lists themselves is for the office's "
            "auditors, who hold them)"
        ).format(count=len(kept)),
    )


def check_member(
    receipt: MemberReceipt, record: Mapping[str, Any], *, public_key: PublicKey | None = None
) -> MemberReport:
    """Check a member's receipt against the public draw record; report each check, for people.

    It never raises for a failed check: read :attr:`MemberReport.verdict`.

    Args:
        receipt: the member's receipt (:meth:`MemberReceipt.from_json`).
        record: the draw record, as parsed JSON.
        public_key: the office key, from a source the member trusts; without it the record's
            check **office key** is not made, and the verdict is at best ``incomplete``.
    """
    checks = [_record_check(record, public_key)]
    base = MemberReport(receipt.draw_id, receipt.scope, receipt.label, ())
    try:
        read = DrawRecord.from_json(record)
    except FairdrawError:
        return attrs.evolve(base, checks=tuple(checks))

    def signature() -> str:
        if receipt.office_key.get("key_id") != read.key_id:
            raise VerificationError(
                _("the receipt is signed with key {key}…, the record with {record}…").format(
                    key=str(receipt.office_key.get("key_id"))[:16], record=read.key_id[:16]
                )
            )
        receipt.verify_signature()
        return _("signed by the record's office key {key}…").format(key=read.key_id[:16])

    announced: dict[str, Any] = {}

    def draw() -> str:
        if receipt.draw_id != read.draw_id:
            raise VerificationError(
                _("the receipt is for draw {draw!r}, the record is of {record!r}").format(
                    draw=receipt.draw_id, record=read.draw_id
                )
            )
        if not hmac.compare_digest(receipt.announcement, event_hash(read.events[0].raw)):
            raise VerificationError(_("the receipt names another announcement than the record's"))
        scopes = read.events[0].body.get("scopes", [])
        entry = next((s for s in scopes if s.get("scope") == receipt.scope), None)
        if entry is None:
            raise VerificationError(
                _("the record announces no scope {scope!r}").format(scope=receipt.scope)
            )
        tree = entry.get("membership")
        if not isinstance(tree, Mapping):
            raise VerificationError(
                _("scope {scope!r} announced no membership tree").format(scope=receipt.scope)
            )
        if (tree.get("root"), tree.get("size")) != (receipt.root, receipt.size):
            raise VerificationError(
                _(
                    "the receipt's tree (root {root}…, {size} leaves) is not the announced one"
                ).format(root=receipt.root[:16], size=receipt.size)
            )
        announced.update(entry)
        return _("draw {draw}, scope {scope}: tree of {size} leaves, root {root}…").format(
            draw=read.draw_id, scope=receipt.scope, size=receipt.size, root=receipt.root[:16]
        )

    def membership() -> str:
        leaf = member_leaf(
            bytes.fromhex(receipt.opening), receipt.draw_id, receipt.scope, receipt.label
        )
        path = [bytes.fromhex(h) for h in receipt.path]
        root = inclusion_root(leaf, receipt.index, receipt.size, path)
        if not hmac.compare_digest(root.hex(), receipt.root):
            raise VerificationError(
                _("the label's leaf and path lead to {root}…, not to the announced root").format(
                    root=root.hex()[:16]
                )
            )
        return _(
            "{label!r} is in the list committed before the seed existed (leaf {index} of {size})"
        ).format(label=receipt.label, index=receipt.index, size=receipt.size)

    signed = _run(checks, SIGNATURE, signature)
    drawn = _run(checks, DRAW, draw)
    member = _run(checks, MEMBERSHIP, membership)
    result = read.result(receipt.scope)
    if not (signed and drawn and member) or result is None or read.seed is None:
        why = (
            _("the record has no result for this scope")
            if signed and drawn and member
            else _("not derived: the receipt does not show this label's membership (see above)")
        )
        checks.append(Check(OUTCOME, "failed", why))
        return attrs.evolve(base, checks=tuple(checks))
    found = _outcome(announced, result, read.seed, receipt)
    checks.append(Check(OUTCOME, "failed" if found.failed else "passed", found.reason))
    return attrs.evolve(
        base,
        checks=tuple(checks),
        outcome=found.outcome,
        rank=found.rank,
        score=found.score,
        cutoff=found.cutoff,
        reason=found.reason,
    )


def _outcome(
    entry: Mapping[str, Any], result: ScopeResult, seed: str, receipt: MemberReceipt
) -> Found:
    """Check 5: by the member's keyed score and the receipt's cutoff picks for a scope with
    keyed scores (spec section 9), else by its score and the published ones (section 7)."""
    if has_keyed_scores(entry):
        return keyed_outcome(entry, result, seed, receipt)
    found = ordinary_outcome(entry, result, seed, receipt.label)
    if receipt.cutoff is not None and not found.failed:
        return attrs.evolve(
            found,
            reason=_("the receipt carries cutoff picks, but the scope has no keyed scores"),
            failed=True,
        )
    return found
