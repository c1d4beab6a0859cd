"""Check 5 of a member's receipt, **drawn or not drawn** (``docs/spec/membership-v1.md``,
sections 7 and 9): whether the member's place in the published result follows from its score
and the cut-off, for ordinary scores and for keyed ones.

With keyed scores the record publishes no score: the member's score is that of its draw label
(the hex of its opening), and the cut-off's is that of the ``cutoff`` picks its receipt
carries, each proved in the tree like the member's own leaf.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from fairdraw.errors import VerificationError
from fairdraw.i18n import _
from fairdraw.membership.receipt import CutoffPick, MemberReceipt
from fairdraw.membership.tree import inclusion_root, member_leaf
from fairdraw.primitives import derive_subseed, score_bytes
from fairdraw.rates import parse_rate
from fairdraw.record.draw import PublishedPick, ScopeResult

__all__ = ["Found", "Outcome", "keyed_outcome", "ordinary_outcome"]

Outcome = Literal["selected", "alternate", "not selected"]


@attrs.frozen
class Found:
    """What check 5 found: the outcome the record gives, the member's rank and score, the
    cut-off, why, and whether the check failed."""

    outcome: Outcome
    rank: int | None
    score: str
    cutoff: dict[str, Any]
    reason: str
    failed: bool


def ordinary_outcome(entry: Mapping[str, Any], result: ScopeResult, seed: str, label: str) -> Found:
    """Where the label stands in the published result, and whether that follows from its score
    and the cut-off."""
    mine = score_bytes(derive_subseed(seed, result.scope), label)
    score = mine.hex()
    listed = {p.label: p for p in (*result.selected, *result.alternates)}
    pick = listed.get(label)
    outcome: Outcome = (
        "not selected" if pick is None else ("selected" if pick in result.selected else "alternate")
    )
    rank = None if pick is None else pick.rank
    if pick is not None and pick.score != score:
        return Found(outcome, rank, score, {}, _(
            "the record gives it the score {published}, not {score}"
        ).format(published=pick.score, score=score), True)  # fmt: skip
    if entry["mode"] == "rate":
        return _rate(entry, outcome, rank, score)
    return _exact(entry, result, label, outcome, rank, score)


def _rate(entry: Mapping[str, Any], outcome: Outcome, rank: int | None, score: str) -> Found:
    """Rate mode (``a/b``): the label is drawn iff ``score × b < a × 2^256``."""
    rate = parse_rate(entry["rate"])
    threshold = -(-(rate.numerator << 256) // rate.denominator)  # selected iff score < it
    cutoff = {"mode": "rate", "rate": entry["rate"], "threshold": f"{threshold:064x}"}
    below = int(score, 16) * rate.denominator < rate.numerator << 256
    if below == (outcome == "selected"):
        reason = (
            _("drawn: its score is below the rate's cut-off ({rate} of all scores)")
            if below
            else _("not drawn: its score is not below the rate's cut-off ({rate} of all scores)")
        ).format(rate=entry["rate"])
        return Found(outcome, rank, score, cutoff, reason, False)
    reason = (
        _("its score is below the rate's cut-off, yet the record does not select it")
        if below
        else _("the record selects it, yet its score is not below the rate's cut-off")
    )
    return Found(outcome, rank, score, cutoff, reason, True)


def _exact(
    entry: Mapping[str, Any],
    result: ScopeResult,
    label: str,
    outcome: Outcome,
    rank: int | None,
    score: str,
) -> Found:
    k = int(entry["k"])
    last = result.selected[-1] if result.selected else None
    cutoff = {
        "mode": "exact",
        "k": k,
        "rank": None if last is None else last.rank,
        "score": None if last is None else _score(last),
    }
    if outcome == "selected":
        reason = _("drawn: its score ranks {rank} of the {k} drawn").format(rank=rank, k=k)
        return Found(outcome, rank, score, cutoff, reason, False)
    if last is None:
        reason = _("not drawn: this scope draws nobody (k = 0)")
        return Found(outcome, rank, score, cutoff, reason, k != 0)
    mine = (bytes.fromhex(score), label.encode())
    if mine < (bytes.fromhex(_score(last)), last.label.encode()):
        reason = _(
            "its score {score} is below the last drawn's ({cutoff}, rank {k}), yet the record "
            "does not select it"
        ).format(score=score, cutoff=_score(last), k=last.rank)
        return Found(outcome, rank, score, cutoff, reason, True)
    listed_all = len(result.alternates) == int(entry.get("alternates", 0))
    if outcome == "not selected" and not listed_all:
        reason = _("the record lists fewer alternates than announced, yet not this label")
        return Found(outcome, rank, score, cutoff, reason, True)
    if outcome == "not selected" and result.alternates:
        tail = result.alternates[-1]
        if mine < (bytes.fromhex(_score(tail)), tail.label.encode()):
            reason = _("its score is below the last alternate's, yet the record does not list it")
            return Found(outcome, rank, score, cutoff, reason, True)
    reason = (
        _("not drawn but alternate {rank}: its score is above the last drawn's ({cutoff})")
        if outcome == "alternate"
        else _(
            "not drawn: its score is above the last drawn's ({cutoff}, rank {k}), so the {k} "
            "drawn all scored lower"
        )
    ).format(rank=rank, cutoff=_score(last), k=last.rank)
    return Found(outcome, rank, score, cutoff, reason, False)


def _score(pick: PublishedPick) -> str:
    """A published pick's score (a result with scores has one for every pick)."""
    if pick.score is None:
        raise VerificationError(
            _("the pick of {label!r:.80} has no score").format(label=pick.label)
        )
    return pick.score


def _member(result: ScopeResult, label: str) -> tuple[Outcome, PublishedPick | None]:
    """The label's place in the result, and its pick if listed."""
    if pick := next((p for p in result.selected if p.label == label), None):
        return "selected", pick
    if pick := next((p for p in result.alternates if p.label == label), None):
        return "alternate", pick
    return "not selected", None


_Key = tuple[bytes, bytes]


def keyed_outcome(
    entry: Mapping[str, Any], result: ScopeResult, seed: str, receipt: MemberReceipt
) -> Found:
    """Check 5 for a scope with keyed scores (section 9): the member's score is that of its
    draw label ``hex(opening)``, the cut-off's those of the receipt's ``cutoff`` picks, each
    of which must be the result's pick of its rank and be proved in the tree."""
    subseed = derive_subseed(seed, result.scope)

    def key(opening: str) -> _Key:
        return score_bytes(subseed, opening), opening.encode()

    mine = key(receipt.opening)
    score = mine[0].hex()
    outcome, pick = _member(result, receipt.label)
    rank = None if pick is None else pick.rank
    try:
        last, tail = _cutoff_picks(entry, result, receipt)
    except VerificationError as err:
        return Found(outcome, rank, score, {}, str(err), True)
    if entry["mode"] == "rate":
        return _rate(entry, outcome, rank, score)
    k = int(entry["k"])
    c = None if last is None else key(last.opening)
    a = None if tail is None else key(tail.opening)
    cutoff = {
        "mode": "exact",
        "k": k,
        "rank": None if last is None else last.rank,
        "score": None if c is None else c[0].hex(),
    }

    def found(reason: str, failed: bool) -> Found:
        return Found(outcome, rank, score, cutoff, reason, failed)

    shown = {"score": score, "cutoff": cutoff["score"], "k": cutoff["rank"], "rank": rank}
    if outcome == "selected":
        if c is None or mine > c:
            return found(
                _(
                    "the record selects it, yet its score {score} is above the last drawn's "
                    "({cutoff}, rank {k})"
                ).format(**shown),
                True,
            )
        return found(
            _("drawn: its score ranks {rank} of the {k} drawn").format(rank=rank, k=k), False
        )
    if outcome == "alternate":
        if c is not None and mine < c:
            return found(
                _(
                    "the record lists it as alternate {rank}, yet its score {score} is below "
                    "the last drawn's ({cutoff}, rank {k})"
                ).format(**shown),
                True,
            )
        if a is None or mine > a:
            return found(
                _(
                    "the record lists it as alternate {rank}, yet its score is above the last "
                    "alternate's"
                ).format(**shown),
                True,
            )
        if c is None:
            return found(_("not drawn but alternate {rank} (k = 0)").format(**shown), False)
        return found(
            _("not drawn but alternate {rank}: its score is above the last drawn's ({cutoff})")
            .format(**shown),
            False,
        )  # fmt: skip
    if c is not None and mine < c:
        return found(
            _(
                "its score {score} is below the last drawn's ({cutoff}, rank {k}), yet the "
                "record does not select it"
            ).format(**shown),
            True,
        )
    if a is not None and mine < a:
        return found(
            _("its score is below the last alternate's, yet the record does not list it"), True
        )
    if len(result.alternates) < int(entry.get("alternates", 0)):
        return found(
            _("the record lists fewer alternates than announced, yet not this label"), True
        )
    if c is None:
        return found(_("not drawn: this scope draws nobody (k = 0)"), False)
    return found(
        _(
            "not drawn: its score is above the last drawn's ({cutoff}, rank {k}), so the {k} "
            "drawn all scored lower"
        ).format(**shown),
        False,
    )


def _cutoff_picks(
    entry: Mapping[str, Any], result: ScopeResult, receipt: MemberReceipt
) -> tuple[CutoffPick | None, CutoffPick | None]:
    """The receipt's cutoff picks, checked: the last selected (None when k = 0) and the last
    listed alternate (None when none is listed); both None in rate mode.

    Raises:
        VerificationError: a pick is not the result's of its rank, or is not in the tree, or
            the picks are not those section 9 names.
    """
    if receipt.cutoff is None:
        raise VerificationError(
            _("the scope has keyed scores, yet the receipt carries no cutoff picks")
        )
    by_rank = {p.rank: p for p in (*result.selected, *result.alternates)}
    for pick in receipt.cutoff:
        listed = by_rank.get(pick.rank)
        if listed is None or listed.label != pick.label:
            raise VerificationError(
                _(
                    "the receipt's cutoff pick {label!r:.80} is not the result's of rank {rank}"
                ).format(label=pick.label, rank=pick.rank)
            )
        leaf = member_leaf(bytes.fromhex(pick.opening), receipt.draw_id, receipt.scope, pick.label)
        path = [bytes.fromhex(h) for h in pick.path]
        root = inclusion_root(leaf, pick.index, receipt.size, path)
        if not hmac.compare_digest(root.hex(), receipt.root):
            raise VerificationError(
                _("the cutoff pick {label!r:.80}'s leaf and path do not lead to the root").format(
                    label=pick.label
                )
            )
    exact = entry["mode"] == "exact"
    wanted = [result.selected[-1]] if exact and int(entry["k"]) > 0 and result.selected else []
    wanted += [result.alternates[-1]] if exact and result.alternates else []
    if [(p.label, p.rank) for p in receipt.cutoff] != [(p.label, p.rank) for p in wanted]:
        raise VerificationError(
            _("the receipt's cutoff picks are not the result's {picks}").format(
                picks=_(" and ").join(_("rank {rank}").format(rank=p.rank) for p in wanted)
                or _("none")
            )
        )
    last = receipt.cutoff[0] if wanted and wanted[0] in result.selected else None
    tail = receipt.cutoff[-1] if exact and result.alternates else None
    return last, tail
