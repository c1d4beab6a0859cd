"""Properties of the rule of ceremony spec v2, section 7 (who could have chosen the outcome).

The main property checks the rule against its meaning, by an independent search: in a small
game where the outcome is the sum of the values modulo 3, a group *can choose the outcome* when
it has a strategy that forces the sum to 0 whatever the values it does not control are. The
search knows nothing of the rule's "keep one value for last" argument; it looks for a strategy
among all of them. Agreement on every generated model and every group means the rule is exact
for these models, not merely plausible.

Hypothesis runs derandomized (conftest.py, and ``derandomize=True`` here): every run draws the
same examples, so the suite never flakes; these are exhaustive checks on the drawn examples, not
statistical tests, so there is no significance level. That the brute force can tell a wrong
rule from the right one is shown by finding, for each of three plausible wrong rules, a model
on which the two disagree.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from fairdraw.ceremony.steering import (
    NEG_INF,
    Knower,
    Model,
    Moment,
    Value,
    analyse,
    can_choose,
    minimal_coalitions,
)

START = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
PARTY_IDS = ("office", "a", "b", "c", "d")
# Few distinct moments, so that ties (a knower from the very moment a value is fixed) are common;
# a beacon due at 9:02 sits between the events of 9:01 and 9:02.
MOMENTS: tuple[Moment, ...] = (
    NEG_INF,
    (START, 1, 0),
    (START + timedelta(minutes=1), 1, 1),
    (START + timedelta(minutes=2), 0, 0),
    (START + timedelta(minutes=2), 1, 2),
    (START + timedelta(minutes=3), 1, 3),
)
DOMAIN = 3
TARGET = 0
SETTINGS = settings(derandomize=True, max_examples=200, deadline=None, database=None)


_MOMENT = st.sampled_from(MOMENTS)
# A group, as the positions of its parties: mostly small groups, so that a coalition often
# controls some values and not others (an empty group of knowers is everyone).
# (Each drawn from a list made once: Hypothesis draws one choice instead of a set's several.)
_SMALL_GROUPS = [
    frozenset(members)
    for size in range(3)
    for members in itertools.combinations(range(len(PARTY_IDS)), size)
]
_GROUP = st.sampled_from(_SMALL_GROUPS)
_LAST_PARTS = st.lists(st.sampled_from((None, *MOMENTS)), min_size=5, max_size=5)
_KNOWERS = st.lists(st.sampled_from(list(itertools.product(_SMALL_GROUPS, MOMENTS))), max_size=3)


@st.composite
def models(draw: st.DrawFn) -> Model:
    """Models of 2–5 parties and 1–5 values; any controllers (none too), moments and knowers."""
    parties = PARTY_IDS[: draw(st.integers(2, 5))]

    def group(positions: frozenset[int]) -> frozenset[str]:
        return frozenset(parties[i] for i in positions if i < len(parties))

    values = tuple(
        Value(
            f"v{i}",
            group(draw(_GROUP)),
            draw(_MOMENT),
            tuple(Knower(group(members), since) for members, since in draw(_KNOWERS)),
        )
        for i in range(draw(st.integers(1, 5)))
    )
    last_part = {p: since for p, since in zip(parties, draw(_LAST_PARTS), strict=False) if since}
    return Model(parties=parties, values=values, last_part=last_part)


def subsets(parties: tuple[str, ...]) -> list[frozenset[str]]:
    """Every group of these parties, the empty one included."""
    return [
        frozenset(members)
        for size in range(len(parties) + 1)
        for members in itertools.combinations(parties, size)
    ]


# --- the game ---------------------------------------------------------------------------------

Unknown = tuple[int, tuple[int, ...]]
"""One entry of a strategy: a value of the group's, and the values of nature's it has seen."""
Equation = tuple[tuple[Unknown, ...], int]
"""The group's unknowns in one play, and what they must sum to (mod 3)."""


def seen_by(coalition: frozenset[str], value: Value, moment: Moment) -> bool:
    """Whether a group has learnt a value it does not control from a knower before ``moment``.

    This reads the model's knowers directly, as the spec words it; it does not call the module.
    """
    return any(k.parties <= coalition and k.since < moment for k in value.knowers)


def brute_force_can_force(model: Model, coalition: frozenset[str]) -> bool:
    """Whether ``coalition`` has a strategy that forces ``sum(values) % 3 == 0``.

    Every value takes one of 0, 1, 2. The group picks each value it controls (a controller in
    it); the others are nature's. When the group fixes one of its values ``v``, it has seen
    exactly the values of nature's that it knows from a moment strictly before ``v.fixed``; its
    choice is a function of those (its information set). Its own earlier choices add nothing:
    they were functions of what it had seen then, and it has seen at least that now (knowing is
    monotone in time). The group wins when some choice of all these functions makes the sum 0
    for every assignment of nature's values.

    The values are fixed one by one in the order of ``fixed``, but that order enters only
    through what the group has seen, which the knowers decide (a knower knows the value's final
    value from ``since``, even before ``fixed``: re-announcing). Nature reacting to the group's
    moves gains nothing: the group's strategy is fixed in advance and deterministic, so any play
    of nature's yields one of the assignments quantified over. So ties in ``fixed`` need no
    order of their own: the strict "known before" alone decides whether one value fixed at a
    moment is seen by another fixed at the same moment.

    The search: one unknown per information set (a value of the group's and what it saw), one
    equation per assignment of nature's values (the group's unknowns it touches, plus nature's
    values, sum to 0 mod 3); then a backtracking search over the unknowns, with propagation
    (when all but one unknown of an equation are set, the last one is forced), decides
    whether every equation can hold at once.
    """
    values = model.values
    ours = [i for i, value in enumerate(values) if coalition & value.controllers]
    nature = [i for i, value in enumerate(values) if not coalition & value.controllers]
    information = {
        i: [j for j in nature if seen_by(coalition, values[j], values[i].fixed)] for i in ours
    }
    equations: list[Equation] = []
    for assignment in itertools.product(range(DOMAIN), repeat=len(nature)):
        chosen_by_nature = dict(zip(nature, assignment, strict=True))
        unknowns = tuple((i, tuple(chosen_by_nature[j] for j in information[i])) for i in ours)
        equations.append((unknowns, (TARGET - sum(assignment)) % DOMAIN))
    return _solvable(equations)


def _solvable(equations: list[Equation]) -> bool:
    """Whether the unknowns can be set so that each equation's unknowns sum to its right side."""
    touching: dict[Unknown, list[int]] = {}
    for index, (unknowns, _) in enumerate(equations):
        for unknown in unknowns:
            touching.setdefault(unknown, []).append(index)

    def propagate(table: dict[Unknown, int], indices: list[int]) -> bool:
        while indices:
            unknowns, right = equations[indices.pop()]
            free = [u for u in unknowns if u not in table]
            total = sum(table[u] for u in unknowns if u in table)
            if not free and total % DOMAIN != right:
                return False
            if len(free) == 1:
                table[free[0]] = (right - total) % DOMAIN
                indices.extend(touching[free[0]])
        return True

    def search(table: dict[Unknown, int]) -> bool:
        free = next((u for unknowns, _ in equations for u in unknowns if u not in table), None)
        if free is None:
            return True
        for choice in range(DOMAIN):
            trial = {**table, free: choice}
            if propagate(trial, list(touching[free])) and search(trial):
                return True
        return False

    table: dict[Unknown, int] = {}
    return propagate(table, list(range(len(equations)))) and search(table)


def every_strategy_can_force(model: Model, coalition: frozenset[str]) -> bool | None:
    """The game of :func:`brute_force_can_force`, by trying every strategy one by one.

    A strategy sets each unknown (a value of the group's and one thing it may have seen);
    returns None when there are more than 5 unknowns (3^5 strategies).
    """
    values = model.values
    ours = [i for i, value in enumerate(values) if coalition & value.controllers]
    nature = [i for i, value in enumerate(values) if not coalition & value.controllers]
    information = {
        i: [j for j in nature if seen_by(coalition, values[j], values[i].fixed)] for i in ours
    }
    unknowns = [
        (i, seen)
        for i in ours
        for seen in itertools.product(range(DOMAIN), repeat=len(information[i]))
    ]
    if len(unknowns) > 5:
        return None
    assignments = [
        dict(zip(nature, choice, strict=True))
        for choice in itertools.product(range(DOMAIN), repeat=len(nature))
    ]
    for strategy in itertools.product(range(DOMAIN), repeat=len(unknowns)):
        table = dict(zip(unknowns, strategy, strict=True))
        if all(
            (
                sum(table[i, tuple(by_nature[j] for j in information[i])] for i in ours)
                + sum(by_nature.values())
            )
            % DOMAIN
            == TARGET
            for by_nature in assignments
        ):
            return True
    return False


# --- properties -------------------------------------------------------------------------------


@SETTINGS
@given(models())
def test_the_rule_agrees_with_a_brute_force_game_search(model: Model) -> None:
    """can_choose(G) exactly when G can force the outcome, for every group G of the model."""
    for coalition in subsets(model.parties):
        assert can_choose(model, coalition) == brute_force_can_force(model, coalition), coalition


@SETTINGS
@given(models())
def test_the_search_agrees_with_trying_every_strategy(model: Model) -> None:
    """The brute force's solver is right where every strategy can be tried (few unknowns)."""
    for coalition in subsets(model.parties):
        slow = every_strategy_can_force(model, coalition)
        if slow is not None:
            assert brute_force_can_force(model, coalition) == slow, coalition


@SETTINGS
@given(models())
def test_minimal_coalitions_are_the_minimal_groups_that_can_choose(model: Model) -> None:
    """minimal_coalitions is exactly the set of minimal groups, and can_choose is monotone."""
    groups = subsets(model.parties)
    able = [g for g in groups if can_choose(model, g)]
    minimal = {g for g in able if not any(h < g for h in able)}
    found = minimal_coalitions(model)
    assert len(found) == len(set(found))
    assert set(found) == minimal
    order = {party: position for position, party in enumerate(model.parties)}
    keys = [(len(g), sorted(order[p] for p in g)) for g in found]
    assert keys == sorted(keys)
    for coalition in able:
        for party in model.parties:
            assert can_choose(model, coalition | {party})


@SETTINGS
@given(models())
def test_no_party_alone_means_no_party_alone_wins_the_game(model: Model) -> None:
    """The analysis never clears a party the brute force shows could choose alone."""
    steering = analyse(model)
    for party in model.parties:
        if party not in steering.alone:
            assert not brute_force_can_force(model, frozenset((party,)))
    assert steering.alone == tuple(
        p for p in model.parties if frozenset((p,)) in steering.coalitions
    )
    data = steering.to_dict()
    assert json.loads(json.dumps(data)) == data


@SETTINGS
@given(models(), st.randoms(use_true_random=False))
def test_the_order_of_values_does_not_matter(model: Model, rng: random.Random) -> None:
    """Listing the values in another order changes neither the coalitions nor the aborts."""
    shuffled = list(model.values)
    rng.shuffle(shuffled)
    other = Model(parties=model.parties, values=tuple(shuffled), last_part=model.last_part)
    assert analyse(other) == analyse(model)


# --- the brute force can fail ---------------------------------------------------------------

Rule = Callable[[Model, frozenset[str]], bool]


def _rule_with(known: Callable[[frozenset[str], Value, Moment], bool]) -> Rule:
    def rule(model: Model, coalition: frozenset[str]) -> bool:
        return any(
            coalition & v.controllers
            and all(
                w is v or coalition & w.controllers or known(coalition, w, v.fixed)
                for w in model.values
            )
            for v in model.values
        )

    return rule


WRONG_RULES: dict[str, Rule] = {
    # "known before" read as "known at or before": a value learnt at the moment the group's
    # value is fixed would count.
    "not strict": _rule_with(
        lambda g, w, m: any(k.parties <= g and k.since <= m for k in w.knowers)
    ),
    # A group knower counted as soon as one of its parties is in the group.
    "one member of a knower": _rule_with(
        lambda g, w, m: any((not k.parties or k.parties & g) and k.since < m for k in w.knowers)
    ),
    # "Fixed before" instead of "known before".
    "fixed, not known": _rule_with(lambda g, w, m: w.fixed < m),
}


@st.composite
def models_and_groups(draw: st.DrawFn) -> tuple[Model, frozenset[str]]:
    """A model and one of its groups."""
    model = draw(models())
    return model, draw(st.sampled_from(subsets(model.parties)))


def test_the_brute_force_refutes_plausible_wrong_rules() -> None:
    """For each wrong rule, the generator reaches a model where the game refutes it.

    The search looks for a model where the wrong rule and the rule differ (cheap), then checks
    that the game sides with the rule there.
    """
    for name, wrong in WRONG_RULES.items():

        def differs(case: tuple[Model, frozenset[str]], wrong: Rule = wrong) -> bool:
            return wrong(*case) != can_choose(*case)

        model, coalition = find(
            models_and_groups(),
            differs,
            # Any case will do: shrinking it would cost seconds and show nothing more.
            settings=settings(
                derandomize=True, max_examples=2000, database=None, phases=[Phase.generate]
            ),
        )
        game = brute_force_can_force(model, coalition)
        assert game == can_choose(model, coalition) != wrong(model, coalition), name
