"""What a ceremony announces and draws: its scopes, the seed and each scope's result
(ceremony spec v1 sections 2.1, 2.4 and 2.5; unchanged in v2)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from fairdraw.canonical import canonical_json
from fairdraw.errors import CeremonyError, InputError
from fairdraw.i18n import _
from fairdraw.labels import check_label
from fairdraw.membership.keyed import KEYED, draw_labels, has_keyed_scores
from fairdraw.membership.tree import MembershipTree
from fairdraw.population import Population
from fairdraw.primitives import lp
from fairdraw.rates import format_rate, parse_rate
from fairdraw.sampling import Draw, draw_exact, draw_rate

__all__ = ["SEED_TAG", "ScopePlan", "draw_scope", "result_json", "scope_result", "seed_from"]

SEED_TAG = b"fairdraw/v1/seed\x00"


@attrs.frozen(kw_only=True)
class ScopePlan:
    """One scope to announce: its population and its parameters (give ``k`` or ``rate``).

    The announcement adds the scope's ``membership`` (:meth:`membership`) once the draw id is
    known.

    A confidential scope's population must carry a 32-byte salt (``Population.of(…, salt=…)``);
    its size is then left out of the announcement.
    """

    scope: str
    population: Population
    k: int | None = None
    alternates: int = 0
    rate: str | Fraction | None = None
    confidential: bool = False
    membership_size: int | None = None
    """A confidential scope's membership tree size (a power of two, the same every month, at
    least the list's size): its root is announced, and each member can be given a receipt
    (``docs/spec/membership-v1.md``). None: no tree."""
    keyed_scores: bool = False
    """Draw a confidential scope with a membership tree over its members' draw labels and
    publish its picks without scores, so that its size cannot be estimated from them
    (membership spec v1, section 9)."""

    def membership(self, draw_id: str) -> dict[str, Any] | None:
        """The scope's announced ``membership`` in draw ``draw_id``, None without a tree.

        Raises:
            CeremonyError: the tree's size is not a power of two at least the list's size.
        """
        if self.membership_size is None:
            return None
        try:
            tree = MembershipTree.build(
                self.population, draw_id=draw_id, scope=self.scope, size=self.membership_size
            )
        except InputError as err:
            raise CeremonyError(str(err)) from err
        return tree.to_json()

    def to_json(self) -> dict[str, Any]:
        """The announcement entry of this scope (without its ``membership``)."""
        check_label(self.scope)
        if (self.k is None) == (self.rate is None):
            raise CeremonyError(
                _("scope {scope!r}: give either k or rate").format(scope=self.scope)
            )
        if self.confidential and not self.population.salt:
            raise CeremonyError(
                _("scope {scope!r}: a confidential list needs a salt").format(scope=self.scope)
            )
        if self.membership_size is not None and not self.confidential:
            raise CeremonyError(
                _("scope {scope!r}: only a confidential scope announces a membership tree").format(
                    scope=self.scope
                )
            )
        if self.keyed_scores and self.membership_size is None:
            raise CeremonyError(
                _(
                    "scope {scope!r}: only a confidential scope with a membership tree has "
                    "keyed scores"
                ).format(scope=self.scope)
            )
        entry: dict[str, Any] = {
            "scope": self.scope,
            "population_digest": self.population.digest_hex,
            "population_size": None if self.confidential else len(self.population),
            "confidential": self.confidential,
        }
        if self.k is not None:
            if self.k > len(self.population) or self.k < 0 or self.alternates < 0:
                raise CeremonyError(
                    _("scope {scope!r}: k must be 0 to the population size").format(
                        scope=self.scope
                    )
                )
            entry.update(mode="exact", k=self.k, alternates=self.alternates)
        else:
            entry.update(mode="rate", rate=format_rate(parse_rate(self.rate or "0")))
        if self.keyed_scores:
            entry["scores"] = KEYED
        return entry


def seed_from(announcement: Mapping[str, Any], values: Sequence[tuple[str, bytes]]) -> bytes:
    """``H("fairdraw/v1/seed" 0x00 ‖ H(JCS(announcement)) ‖ lp(id_i) ‖ lp(value_i) …)``."""
    data = SEED_TAG + hashlib.sha256(canonical_json(announcement)).digest()
    for source_id, value in values:
        data += lp(source_id.encode()) + lp(value)
    return hashlib.sha256(data).digest()


def draw_scope(
    entry: Mapping[str, Any], seed: bytes, labels: Population, *, draw_id: str | None = None
) -> Draw:
    """Draw one announced scope from its population.

    A scope with keyed scores is drawn over its members' draw labels (membership spec v1,
    section 9), which need the record's ``draw_id``: the draw's picks are then draw labels
    (:func:`scope_result` maps them back).

    Raises:
        CeremonyError: a scope with keyed scores, without ``draw_id`` or without a salt.
    """
    if has_keyed_scores(entry):
        labels = Population.of(_keyed_members(entry, labels, draw_id))
    return _draw(entry, seed, labels)


def _draw(entry: Mapping[str, Any], seed: bytes, labels: Population) -> Draw:
    if entry["mode"] == "exact":
        return draw_exact(seed, entry["scope"], labels, entry["k"], alternates=entry["alternates"])
    return draw_rate(seed, entry["scope"], labels, entry["rate"])


def _keyed_members(
    entry: Mapping[str, Any], labels: Population, draw_id: str | None
) -> dict[str, str]:
    if draw_id is None:
        raise CeremonyError(
            _("scope {scope!r} has keyed scores: its draw needs the draw id").format(
                scope=entry["scope"]
            )
        )
    try:
        return draw_labels(labels, draw_id=draw_id, scope=entry["scope"])
    except InputError as err:
        raise CeremonyError(str(err)) from err


def result_json(
    entry: Mapping[str, Any], draw: Draw, *, members: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The published result of one scope (ceremony spec v1, section 2.5).

    Args:
        entry: the announced scope.
        draw: its draw.
        members: a scope with keyed scores: each member's label by its draw label; its picks
            are then ``{label, rank}`` (membership spec v1, section 9).
    """
    if members is None:
        selected = [pick.to_dict() for pick in draw.selected]
        alternates = [pick.to_dict() for pick in draw.alternates]
    else:
        selected = [{"label": members[p.label], "rank": p.rank} for p in draw.selected]
        alternates = [{"label": members[p.label], "rank": p.rank} for p in draw.alternates]
    return {
        "scope": draw.scope,
        "subseed": draw.subseed,
        "population_digest": entry["population_digest"],
        "population_size": entry["population_size"],
        "selected": selected,
        "alternates": alternates,
    }


def scope_result(
    entry: Mapping[str, Any], seed: bytes, population: Population, *, draw_id: str
) -> dict[str, Any]:
    """Draw one announced scope and return its published result: what the ceremony writes
    and what a complete recomputation compares (keyed scores included).

    Raises:
        CeremonyError: a scope with keyed scores whose population has no salt.
    """
    if not has_keyed_scores(entry):
        return result_json(entry, draw_scope(entry, seed, population))
    members = _keyed_members(entry, population, draw_id)
    draw = _draw(entry, seed, Population.of(members))
    return result_json(entry, draw, members=members)
