"""Who could have chosen a ceremony's outcome: the model and rule of ceremony spec v2, section 7.

This is a **lower-layer building block**, easy to misuse: it decides nothing about a real
ceremony by itself. It works on an abstract :class:`Model` (parties, values, who controls and
who knows each value from when), and its answers are only as right as that model. Building the
model from an announcement and its events (the tables of spec sections 2.1 and 7.1, and the two
readings of section 7.3) is the job of the caller; this module has no notion of events or
records.

The rule (spec section 7.2):

* a group ``G`` **knows** value ``v`` before moment ``m`` when ``G`` contains a controller of
  ``v``, or some :class:`Knower` of ``v`` has all its parties in ``G`` and a ``since`` strictly
  before ``m``;
* ``G`` **can choose** the outcome when there is a value ``v`` it controls such that every other
  value is known to ``G`` before ``v`` is fixed (``G`` keeps ``v`` for last and tries values of
  it until the seed, a hash, suits it);
* the groups **who could have steered** are the minimal groups that can choose;
* a party ``p`` **could have aborted after seeing** when ``{p}`` knows every value before its
  last part in the ceremony.

A value with several controllers can be chosen by each of them alone (a participant's dice the
office types: either can). A knower knows the value's *final* value from ``since``, which may
be before ``fixed`` (re-announcing: the office, announcing after a beacon, knows it "from −∞").
Knowing is monotone in the group and in the moment, so *can choose* is monotone in the group:
every superset of a group that can choose can choose too. :func:`minimal_coalitions` relies on
it. The tests check the rule against a brute-force search of the game it stands for.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from itertools import combinations
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from fairdraw.errors import InputError
from fairdraw.i18n import _

__all__ = [
    "MAX_PARTIES",
    "NEG_INF",
    "Knower",
    "Model",
    "Moment",
    "Steering",
    "Value",
    "analyse",
    "can_choose",
    "could_abort_after_seeing",
    "knows",
    "minimal_coalitions",
]

Moment: TypeAlias = tuple[datetime, int, int]
"""A moment of spec section 7.1, compared as a tuple.

An event ``e`` is ``(time(e), 1, sequence(e))``, a beacon's due time ``T`` is ``(T, 0, 0)``;
times are timezone-aware."""

NEG_INF: Moment = (datetime.min.replace(tzinfo=UTC), -1, -1)
"""−∞: before every moment."""

MAX_PARTIES = 20
"""The most parties :func:`minimal_coalitions` enumerates the groups of (2^20 groups)."""


def _check_moment(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not (
        isinstance(value, tuple)
        and len(value) == 3
        and isinstance(value[0], datetime)
        and value[0].tzinfo is not None
        and all(isinstance(part, int) and not isinstance(part, bool) for part in value[1:])
    ):
        raise InputError(
            _(
                "{name} must be a moment (an aware datetime, an int, an int), not "
                "{value!r}; use NEG_INF for −∞"
            ).format(name=attribute.name, value=value)
        )


def _check_parties(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not (isinstance(value, frozenset) and all(isinstance(p, str) for p in value)):
        raise InputError(
            _("{name} must be a frozenset of party ids, not {value!r}").format(
                name=attribute.name, value=value
            )
        )


def _read_only(moments: Mapping[str, Moment]) -> Mapping[str, Moment]:
    return MappingProxyType(dict(moments))


@attrs.frozen
class Knower:
    """A group of parties that knows a value from a moment on.

    Any group containing ``parties`` knows the value from ``since``: before a moment ``m`` when
    ``since < m`` (strictly). An empty ``parties`` means everyone (the value is public).

    Attributes:
        parties: the party ids that must all be in a group for it to know the value.
        since: the moment from which they know it.
    """

    parties: frozenset[str] = attrs.field(validator=_check_parties)
    since: Moment = attrs.field(validator=_check_moment)


@attrs.frozen
class Value:
    """One input of the seed: the announcement or a source.

    Attributes:
        id: ``announcement``, or the source's id.
        controllers: the parties who can choose it, each alone; they know it from −∞.
        fixed: the moment from which it can no longer be changed.
        knowers: who else knows it, and from when.
    """

    id: str = attrs.field(validator=attrs.validators.instance_of(str))
    controllers: frozenset[str] = attrs.field(validator=_check_parties)
    fixed: Moment = attrs.field(validator=_check_moment)
    knowers: tuple[Knower, ...] = attrs.field(
        validator=attrs.validators.deep_iterable(
            attrs.validators.instance_of(Knower), attrs.validators.instance_of(tuple)
        )
    )


@attrs.frozen
class Model:
    """Everything the rule of spec section 7.2 looks at.

    Attributes:
        parties: every party id, in display order.
        values: the seed's inputs.
        last_part: for each party that can abort, the moment of its last part in the ceremony
            (for ``office`` its ``draw`` event, for a participant their last event, for a
            beacon's operator its due time). A party missing here cannot abort.

    Raises:
        InputError: a party id is repeated or empty, a value id is repeated, or a value, a
            knower or ``last_part`` names a party not in ``parties``.
    """

    parties: tuple[str, ...] = attrs.field(
        validator=attrs.validators.deep_iterable(
            attrs.validators.instance_of(str), attrs.validators.instance_of(tuple)
        )
    )
    values: tuple[Value, ...] = attrs.field(
        validator=attrs.validators.deep_iterable(
            attrs.validators.instance_of(Value), attrs.validators.instance_of(tuple)
        )
    )
    last_part: Mapping[str, Moment] = attrs.field(converter=_read_only, hash=False)

    def __attrs_post_init__(self) -> None:
        known = set(self.parties)
        if len(known) != len(self.parties) or "" in known:
            raise InputError(
                _("parties must be distinct, non-empty ids: {parties!r}").format(
                    parties=self.parties
                )
            )
        ids = [value.id for value in self.values]
        if len(set(ids)) != len(ids):
            raise InputError(_("value ids must be distinct: {ids!r}").format(ids=ids))
        for value in self.values:
            named = value.controllers.union(*(k.parties for k in value.knowers))
            if not named <= known:
                raise InputError(
                    _("value {id!r} names parties not in the model: {value}").format(
                        id=value.id, value=sorted(named - known)
                    )
                )
        for party, moment in self.last_part.items():
            if party not in known:
                raise InputError(
                    _("last_part names {party!r}, which is not a party of the model").format(
                        party=party
                    )
                )
            _check_moment(self, attrs.fields(Model).last_part, moment)


def _check_coalition(model: Model, coalition: frozenset[str]) -> None:
    if not isinstance(coalition, frozenset) or not coalition <= set(model.parties):
        raise InputError(
            _("a coalition must be a frozenset of the model's parties, not {coalition!r}").format(
                coalition=coalition
            )
        )


def _knows(coalition: frozenset[str], value: Value, before: Moment) -> bool:
    if coalition & value.controllers:
        return True
    return any(k.parties <= coalition and k.since < before for k in value.knowers)


def _can_choose(model: Model, coalition: frozenset[str]) -> bool:
    for index, chosen in enumerate(model.values):
        if not coalition & chosen.controllers:
            continue
        if all(
            other == index or _knows(coalition, value, chosen.fixed)
            for other, value in enumerate(model.values)
        ):
            return True
    return False


def knows(model: Model, coalition: frozenset[str], value: Value, before: Moment) -> bool:
    """Whether ``coalition`` knows ``value`` at some moment strictly before ``before``.

    True when the coalition contains a controller of the value, or when some knower of the
    value has all its parties in the coalition and knows it from a moment strictly before
    ``before``.

    Raises:
        InputError: ``coalition`` is not a frozenset of the model's parties.
    """
    _check_coalition(model, coalition)
    return _knows(coalition, value, before)


def can_choose(model: Model, coalition: frozenset[str]) -> bool:
    """Whether ``coalition`` could have chosen the outcome (spec section 7.2).

    True when the coalition controls a value ``v`` and knows every other value before ``v`` is
    fixed.

    Raises:
        InputError: ``coalition`` is not a frozenset of the model's parties.
    """
    _check_coalition(model, coalition)
    return _can_choose(model, coalition)


def minimal_coalitions(model: Model) -> tuple[frozenset[str], ...]:
    """Every minimal coalition that can choose the outcome: the groups who could have steered.

    A coalition is minimal when it can choose and no proper subset of it can. The result is
    sorted by size, then by the positions of the members in ``model.parties`` (compared as
    sorted lists of positions).

    Raises:
        InputError: the model has more than :data:`MAX_PARTIES` parties.
    """
    if len(model.parties) > MAX_PARTIES:
        raise InputError(
            _(
                "the model has {count} parties; the analysis enumerates the groups of at "
                "most {maximum}"
            ).format(count=len(model.parties), maximum=MAX_PARTIES)
        )
    found: list[frozenset[str]] = []
    # combinations() yields the groups of one size in the order of their members' positions;
    # by increasing size, a group is minimal exactly when it contains no group found before
    # (can_choose is monotone).
    for size in range(1, len(model.parties) + 1):
        for members in combinations(model.parties, size):
            group = frozenset(members)
            if not any(smaller <= group for smaller in found) and _can_choose(model, group):
                found.append(group)
    return tuple(found)


def could_abort_after_seeing(model: Model) -> tuple[str, ...]:
    """The parties who, alone, know every value before their last part in the ceremony.

    Such a party could have computed the outcome and then aborted the ceremony instead of
    taking its last part. In the order of ``model.parties``; a party missing from
    ``model.last_part`` is never one.
    """
    single = [
        party
        for party in model.parties
        if party in model.last_part
        and all(
            _knows(frozenset((party,)), value, model.last_part[party]) for value in model.values
        )
    ]
    return tuple(single)


@attrs.frozen
class Steering:
    """The analysis of spec section 7 for one reading of a ceremony.

    Attributes:
        coalitions: the minimal coalitions that could have chosen the outcome, as
            :func:`minimal_coalitions` orders them.
        abort_after_seeing: the parties who could have aborted after seeing the outcome, in
            display order.
        parties: every party id, in display order (that of the model).

    Raises:
        InputError: a coalition or an aborting party is not among ``parties``.
    """

    coalitions: tuple[frozenset[str], ...]
    abort_after_seeing: tuple[str, ...]
    parties: tuple[str, ...] = attrs.field(kw_only=True)

    def __attrs_post_init__(self) -> None:
        known = set(self.parties)
        named = set(self.abort_after_seeing).union(*self.coalitions)
        if not named <= known:
            raise InputError(
                _("the analysis names parties it does not list: {value}").format(
                    value=sorted(named - known)
                )
            )

    @property
    def alone(self) -> tuple[str, ...]:
        """The parties who could have chosen the outcome by themselves, in display order."""
        return tuple(p for p in self.parties if frozenset((p,)) in self.coalitions)

    def to_dict(self) -> dict[str, list[Any]]:
        """The analysis as JSON-able data; every list of parties is in display order."""
        return {
            "coalitions": [[p for p in self.parties if p in group] for group in self.coalitions],
            "alone": list(self.alone),
            "abort_after_seeing": list(self.abort_after_seeing),
        }


def analyse(model: Model) -> Steering:
    """Who could have chosen the outcome, and who could have aborted after seeing it.

    Raises:
        InputError: the model has more than :data:`MAX_PARTIES` parties.
    """
    return Steering(
        minimal_coalitions(model), could_abort_after_seeing(model), parties=model.parties
    )
