"""Keyed scores (``docs/spec/membership-v1.md``, section 9): a confidential scope whose size
must not be estimated from its scores is drawn over its members' *draw labels*, the hex of their
openings, and its published picks are ``{label, rank}`` with no score.

Nobody without the list's salt can compute a drawn member's score (the opening is a keyed
function of the salt), so the public record tells nothing of the list's size but the counts;
each member learns its own score, and the cut-off, from its receipt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fairdraw.errors import InputError, ParameterError, VerificationError
from fairdraw.i18n import _
from fairdraw.labels import check_label
from fairdraw.membership.tree import member_opening
from fairdraw.population import Population

__all__ = [
    "KEYED",
    "check_keyed_picks",
    "check_scores_entry",
    "draw_labels",
    "has_keyed_scores",
]

KEYED = "keyed"
"""The value of an announced scope's ``scores`` member: its scores are keyed."""
_PICK = frozenset({"label", "rank"})


def has_keyed_scores(entry: Mapping[str, Any]) -> bool:
    """Whether an announced scope (its JSON entry) has keyed scores."""
    return entry.get("scores") == KEYED


def draw_labels(population: Population, *, draw_id: str, scope: str) -> dict[str, str]:
    """Each member's draw label ``hex(opening(label))``, mapped to its label.

    Raises:
        ParameterError: the population has no salt (only a confidential list has keyed
            scores).
    """
    if not population.salt:
        raise ParameterError(
            _("scope {scope!r}: only a salted (confidential) list has keyed scores").format(
                scope=scope
            ),
            parameter="salt",
        )
    return {
        member_opening(population.salt, draw_id, scope, label).hex(): label for label in population
    }


def check_scores_entry(scope: Mapping[str, Any]) -> None:
    """Check an announced scope's ``scores`` member, if it has one: it is ``"keyed"``, on a
    scope with a ``membership`` tree.

    Raises:
        VerificationError: it has another value, or the scope announces no membership tree.
    """
    if "scores" not in scope:
        return
    name = scope.get("scope")
    if scope["scores"] != KEYED:
        raise VerificationError(
            _('scope {scope!r}: scores must be "keyed", not {value!r:.40}').format(
                scope=name, value=scope["scores"]
            )
        )
    if "membership" not in scope:
        raise VerificationError(
            _("scope {scope!r}: only a scope with a membership tree has keyed scores").format(
                scope=name
            )
        )


def check_keyed_picks(entry: Mapping[str, Any], result: Mapping[str, Any]) -> int:
    """The public check of a keyed result's picks (section 9, "verification without the
    list"): each ``{label, rank}`` exactly, a label, none listed twice, the ranks 1, 2, 3, …
    in order; in exact mode ``k`` selected and at most ``alternates`` alternates. Returns
    how many picks are listed.

    Raises:
        VerificationError: one of these does not hold (the message says which pick).
    """
    selected, alternates = result["selected"], result["alternates"]
    if not isinstance(selected, Sequence) or not isinstance(alternates, Sequence):
        raise VerificationError(_("selected and alternates must be lists"))
    seen: set[str] = set()
    for rank, pick in enumerate([*selected, *alternates], start=1):
        if not isinstance(pick, Mapping) or set(pick) != _PICK:
            raise VerificationError(
                _(
                    "pick {rank}: a scope with keyed scores publishes {{label, rank}} and "
                    "nothing else (no score)"
                ).format(rank=rank)
            )
        label = pick["label"]
        try:
            check_label(label, rank)
        except InputError as err:
            raise VerificationError(str(err)) from err
        if label in seen:
            raise VerificationError(_("label {label!r:.80} is listed twice").format(label=label))
        seen.add(label)
        if type(pick["rank"]) is not int or pick["rank"] != rank:
            raise VerificationError(
                _("pick {rank} has the rank {found!r}, not {rank}").format(
                    rank=rank, found=pick["rank"]
                )
            )
    if entry["mode"] == "exact":
        if len(selected) != entry["k"]:
            raise VerificationError(
                _("{selected} selected, not k = {k}").format(selected=len(selected), k=entry["k"])
            )
        if len(alternates) > entry["alternates"]:
            raise VerificationError(
                _("{count} alternates listed, more than the {announced} announced").format(
                    count=len(alternates), announced=entry["alternates"]
                )
            )
    return len(seen)
