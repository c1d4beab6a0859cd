"""Worked examples of ceremony spec v2, section 7 (who could have chosen the outcome).

Each example is a small model written out by hand, with the answer worked out by hand in the
comments: the rule of section 7.2 applied value by value.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from fairdraw.ceremony.steering import (
    MAX_PARTIES,
    NEG_INF,
    Knower,
    Model,
    Moment,
    Steering,
    Value,
    analyse,
    can_choose,
    could_abort_after_seeing,
    knows,
    minimal_coalitions,
)
from fairdraw.errors import InputError

START = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
EVERYONE: frozenset[str] = frozenset()


def event(sequence: int, minute: int) -> Moment:
    """The moment of the event with this sequence number, recorded ``minute`` minutes in."""
    return (START + timedelta(minutes=minute), 1, sequence)


def due(minute: int) -> Moment:
    """The moment of a beacon due ``minute`` minutes in."""
    return (START + timedelta(minutes=minute), 0, 0)


def group(*parties: str) -> frozenset[str]:
    return frozenset(parties)


def announcement(at: Moment) -> Value:
    """The announcement: the office's, fixed and published at event 0."""
    return Value("announcement", group("office"), at, (Knower(EVERYONE, at),))


# --- v1: the office's secret, then the leader's dice after the reveal -----------------------

V1 = {
    "announce": event(0, 0),
    "commit": event(1, 1),
    "reveal": event(2, 5),
    "dice": event(3, 6),
    "seed": event(4, 7),
    "draw": event(5, 7),
}


def v1_default() -> Model:
    """v1's default ceremony: the office's local secret, then dice the office types."""
    return Model(
        parties=("office", "leader"),
        values=(
            announcement(V1["announce"]),
            Value(
                "office-secret",
                group("office"),
                V1["commit"],
                (Knower(group("office"), V1["reveal"]),),
            ),
            Value(
                "leader-dice",
                group("leader", "office"),
                V1["dice"],
                (Knower(group("office"), V1["dice"]),),
            ),
        ),
        last_part={"office": V1["draw"], "leader": V1["dice"]},
    )


def test_v1_default_the_office_alone_can_choose() -> None:
    model = v1_default()
    # {office} keeps the dice (fixed at event 3) for last: it controls the announcement and
    # its own secret, so it knows both before event 3, and types dice until the seed suits it.
    assert can_choose(model, group("office"))
    # {leader} controls only the dice; the office's secret is known to the office alone.
    assert not can_choose(model, group("leader"))
    steering = analyse(model)
    assert steering.coalitions == (group("office"),)
    assert steering.alone == ("office",)
    # The office knows every value before its draw; the leader never learns the secret.
    assert steering.abort_after_seeing == ("office",)


# --- v2: a keyed witness with its own secret, the leader's dice, a drand beacon -------------

V2 = {
    "announce": event(0, 0),
    "witness": event(1, 1),
    "commit": event(2, 2),
    "dice": event(3, 3),
    "reveal": event(4, 4),
    "due": due(10),
    "drand": event(5, 10),  # recorded at the round's due time: after it (section 7.1)
    "seed": event(6, 10),
    "draw": event(7, 11),
}
PARTIES = ("office", "leader", "W", "drand")


def v2_model(*, leader_key: bool, attested: bool) -> Model:
    """The v2 order of section 4 with witness ``W`` (a key, a local secret) and a drand round.

    Args:
        leader_key: the leader signs their own dice (controllers ``{leader}``); otherwise the
            office types them (``{leader, office}``).
        attested: the reading with re-announcing: the drand round is known from −∞ to every
            group containing the office and ``W``, the witness attesting the announcement.
    """
    dice_controllers = group("leader") if leader_key else group("leader", "office")
    drand_knowers = [Knower(EVERYONE, V2["due"])]
    if attested:
        drand_knowers.append(Knower(group("office", "W"), NEG_INF))
    return Model(
        parties=PARTIES,
        values=(
            announcement(V2["announce"]),
            Value("W-secret", group("W"), V2["commit"], (Knower(group("office"), V2["reveal"]),)),
            Value(
                "leader-dice", dice_controllers, V2["dice"], (Knower(group("office"), V2["dice"]),)
            ),
            Value("drand", group("drand"), NEG_INF, tuple(drand_knowers)),
        ),
        last_part={
            "office": V2["draw"],
            "leader": V2["dice"],
            "W": V2["reveal"],
            "drand": V2["due"],
        },
    )


def test_v2_office_types_the_dice_as_recorded() -> None:
    model = v2_model(leader_key=False, attested=False)
    # {office}: it controls the announcement (event 0) and the dice (event 3), but learns W's
    # secret only at its reveal (event 4) and the round at its due time: neither before 3.
    assert not can_choose(model, group("office"))
    # {office, W}: the round is still unknown before event 3 (it is public from its due time).
    assert not can_choose(model, group("office", "W"))
    # {office, W, drand}: they control every value; drand keeps its round (fixed at −∞) and
    # the others fix theirs knowing it, so the dice (event 3) come last.
    assert can_choose(model, group("office", "W", "drand"))
    # {leader, W, drand}: the leader controls the dice too (the office types what they say),
    # the announcement is public from event 0, W's secret and the round are the others' own:
    # a second minimal group. No pair of these three can: {leader, W} and {W, drand} do not
    # know the round or the dice in time, {leader, drand} never learns W's secret.
    assert can_choose(model, group("leader", "W", "drand"))
    for pair in (group("leader", "W"), group("W", "drand"), group("leader", "drand")):
        assert not can_choose(model, pair)
    # {drand} alone: its round is fixed at −∞, before the announcement existed.
    assert not can_choose(model, group("drand"))
    steering = analyse(model)
    assert steering.coalitions == (group("office", "W", "drand"), group("leader", "W", "drand"))
    assert steering.alone == ()
    # The office knows everything before its draw event; W's last part (the reveal) is before
    # the round is due; drand never learns W's secret; the leader never learns it either.
    assert steering.abort_after_seeing == ("office",)


def test_v2_office_types_the_dice_as_attested() -> None:
    model = v2_model(leader_key=False, attested=True)
    # {office, W} could have seen the round, then announced, backdated: they then know the
    # round from −∞, control the rest, and type the dice (event 3) last.
    assert can_choose(model, group("office", "W"))
    # Re-announcing needs W: the office alone still learns W's secret too late.
    assert not can_choose(model, group("office"))
    assert not can_choose(model, group("W"))
    steering = analyse(model)
    # {office, W, drand} is no longer minimal; {leader, W, drand} still is ({leader, W} is not
    # a group containing the office, so it does not know the round early).
    assert steering.coalitions == (group("office", "W"), group("leader", "W", "drand"))
    assert steering.alone == ()
    assert steering.abort_after_seeing == ("office",)


def test_v2_leader_signs_the_dice_as_recorded() -> None:
    model = v2_model(leader_key=True, attested=False)
    # The leader now controls the dice alone. {leader, W, drand} still can (the dice last, as
    # above): that makes the four-party group, which can trivially, not minimal.
    assert can_choose(model, group("leader", "W", "drand"))
    # {office, W, drand} no longer can: the office learns the dice only at their event 3, so
    # not before the dice are fixed (strictly before), nor before W's secret (event 2) or the
    # round (−∞) is fixed; and the office no longer controls the dice.
    assert not can_choose(model, group("office", "W", "drand"))
    # Without the leader nobody knows the dice before event 3; without W nobody knows W's
    # secret before event 4 (after the dice); without drand nobody knows the round before its
    # due time (after the dice and W's secret).
    for trio in (
        group("office", "W", "drand"),
        group("office", "leader", "drand"),
        group("office", "leader", "W"),
    ):
        assert not can_choose(model, trio)
    steering = analyse(model)
    assert steering.coalitions == (group("leader", "W", "drand"),)
    assert steering.alone == ()
    assert steering.abort_after_seeing == ("office",)


def test_v2_leader_signs_the_dice_as_attested() -> None:
    model = v2_model(leader_key=True, attested=True)
    # {office, W} cannot: the dice are the leader's and the office learns them at event 3,
    # not before W's secret (event 2), the announcement (event 0) or the dice themselves.
    assert not can_choose(model, group("office", "W"))
    # {office, leader, W}: the round is known from −∞ (office and W re-announce), the
    # leader's dice (event 3) come last.
    assert can_choose(model, group("office", "leader", "W"))
    assert not can_choose(model, group("office", "leader"))
    assert not can_choose(model, group("leader", "W"))
    steering = analyse(model)
    assert steering.coalitions == (group("office", "leader", "W"), group("leader", "W", "drand"))
    assert steering.to_dict() == {
        "coalitions": [["office", "leader", "W"], ["leader", "W", "drand"]],
        "alone": [],
        "abort_after_seeing": ["office"],
    }


# --- a beacon and the announcement only ------------------------------------------------------

BEACON_ONLY = {
    "announce": event(0, 0),
    "due": due(10),
    "beacon": event(1, 10),
    "draw": event(3, 11),
}


def beacon_only(kind: str, *, attested: bool) -> Model:
    """The announcement and one beacon round (``drand``: fixed at −∞; ``nist``: at its due time)."""
    fixed = NEG_INF if kind == "drand" else BEACON_ONLY["due"]
    knowers = [Knower(EVERYONE, BEACON_ONLY["due"])]
    if attested:  # no witness: every group containing the office could re-announce
        knowers.append(Knower(group("office"), NEG_INF))
    return Model(
        parties=("office", kind),
        values=(
            announcement(BEACON_ONLY["announce"]),
            Value(kind, group(kind), fixed, tuple(knowers)),
        ),
        last_part={"office": BEACON_ONLY["draw"], kind: BEACON_ONLY["due"]},
    )


def test_drand_only_as_recorded_nobody_alone() -> None:
    model = beacon_only("drand", attested=False)
    # The office fixes the announcement before the round is due; drand fixed its round (at −∞)
    # before the announcement existed. Together they can.
    steering = analyse(model)
    assert steering.coalitions == (group("office", "drand"),)
    assert steering.alone == ()
    # drand knows the public announcement before the round is due: it could withhold the round
    # after computing the outcome. The office could abort after the round, before its draw.
    assert steering.abort_after_seeing == ("office", "drand")


def test_drand_only_as_attested_the_office_alone() -> None:
    # Announcing after the round, backdated: the office alone could have chosen (section 7.3:
    # "not checked" unless the announcement's hash was published before the round).
    steering = analyse(beacon_only("drand", attested=True))
    assert steering.coalitions == (group("office"),)
    assert steering.alone == ("office",)


def test_nist_only_the_beacon_operator_alone() -> None:
    # Unlike a drand round, a NIST pulse is fixed only at its due time, after the (public)
    # announcement: NIST alone could have chosen its pulse to suit the draw.
    steering = analyse(beacon_only("nist", attested=False))
    assert steering.coalitions == (group("nist"),)
    assert steering.alone == ("nist",)


# --- the predicates, one rule at a time --------------------------------------------------------


def test_knowing_is_strictly_before() -> None:
    model = v1_default()
    secret = model.values[1]
    assert not knows(model, group("leader"), secret, V1["draw"])  # the office's alone
    assert knows(model, group("office"), secret, NEG_INF)  # a controller knows from −∞
    # Dice the leader signs: the office learns them at their own event, so not strictly before
    # it, but before the next event.
    signed_dice = attrs.evolve(model.values[2], controllers=group("leader"))
    assert not knows(model, group("office"), signed_dice, V1["dice"])
    assert knows(model, group("office"), signed_dice, V1["seed"])


def test_a_public_value_is_known_to_every_group_even_the_empty_one() -> None:
    model = v1_default()
    assert knows(model, EVERYONE, model.values[0], V1["commit"])
    assert not knows(model, EVERYONE, model.values[0], V1["announce"])


def test_a_group_knower_needs_every_member() -> None:
    model = v2_model(leader_key=False, attested=True)
    drand = model.values[3]
    assert knows(model, group("office", "W"), drand, event(0, 0))
    assert knows(model, group("office", "W", "leader"), drand, event(0, 0))
    assert not knows(model, group("office"), drand, event(0, 0))
    assert not knows(model, group("W", "leader"), drand, event(0, 0))


def test_neg_inf_is_before_every_moment() -> None:
    earliest = datetime.min.replace(tzinfo=UTC)
    assert NEG_INF < (earliest, 0, 0) < (earliest, 1, 0)
    assert due(10) < event(5, 10)  # an event at a beacon's due time comes after it


def test_a_party_without_a_last_part_cannot_abort() -> None:
    model = attrs.evolve(v1_default(), last_part={})
    assert could_abort_after_seeing(model) == ()


def test_abort_needs_every_value_strictly_before_the_last_part() -> None:
    model = v1_default()
    signed_dice = attrs.evolve(model.values[2], controllers=group("leader"))
    model = attrs.evolve(model, values=(*model.values[:2], signed_dice))
    # Dice the leader signs, and the office's last part at the dice event itself: it learns the
    # dice only then, not before; at the seed event it has seen them.
    assert could_abort_after_seeing(attrs.evolve(model, last_part={"office": V1["dice"]})) == ()
    at_seed = attrs.evolve(model, last_part={"office": V1["seed"]})
    assert could_abort_after_seeing(at_seed) == ("office",)


def test_no_value_controlled_by_the_group_means_it_cannot_choose() -> None:
    public = Value("beacon", EVERYONE, due(1), (Knower(EVERYONE, due(1)),))
    model = Model(parties=("a", "b"), values=(public,), last_part={})
    assert minimal_coalitions(model) == ()
    assert not can_choose(model, group("a", "b"))


def test_coalitions_are_ordered_by_size_then_display_order() -> None:
    public = (Knower(EVERYONE, NEG_INF),)
    x = Value("x", group("z"), event(1, 1), public)
    y = Value("y", group("a"), event(2, 2), public)
    secret_w = Value("w", group("m", "q"), event(3, 3), ())
    model = Model(parties=("z", "m", "a", "q"), values=(x, y, secret_w), last_part={})
    # w is known to its controllers only, so a group that can choose contains m or q; each of
    # them alone chooses w last, knowing the public x and y.
    assert analyse(model).coalitions == (group("m"), group("q"))
    # With w public too, every controller alone can; in display order, not alphabetical.
    model = attrs.evolve(model, values=(x, y, attrs.evolve(secret_w, knowers=public)))
    assert analyse(model).coalitions == (group("z"), group("m"), group("a"), group("q"))
    assert analyse(model).alone == ("z", "m", "a", "q")


def test_to_dict_is_json_in_display_order() -> None:
    steering = analyse(v2_model(leader_key=False, attested=False))
    data = steering.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data == {
        "coalitions": [["office", "W", "drand"], ["leader", "W", "drand"]],
        "alone": [],
        "abort_after_seeing": ["office"],
    }


# --- refusals ---------------------------------------------------------------------------------


def test_more_than_max_parties_is_refused() -> None:
    parties = tuple(f"p{i}" for i in range(MAX_PARTIES + 1))
    model = Model(
        parties=parties,
        values=(Value("x", group("p0"), event(1, 1), ()),),
        last_part={},
    )
    with pytest.raises(InputError, match="at most 20"):
        minimal_coalitions(model)
    with pytest.raises(ValueError):
        analyse(model)
    assert can_choose(model, group("p0"))  # a single question is still answered


@pytest.mark.parametrize(
    ("parties", "values", "last_part", "match"),
    [
        (("a", "a"), (), {}, "distinct"),
        (("a", ""), (), {}, "distinct"),
        (("a",), (Value("x", group("b"), NEG_INF, ()),), {}, "not in the model"),
        (("a",), (Value("x", group(), NEG_INF, (Knower(group("b"), NEG_INF),)),), {}, "'b'"),
        (("a",), (Value("x", group(), NEG_INF, ()),) * 2, {}, "value ids"),
        (("a",), (), {"b": NEG_INF}, "last_part names 'b'"),
        (("a",), (), {"a": (START, 1)}, "moment"),
    ],
)
def test_a_bad_model_is_refused(
    parties: tuple[str, ...], values: tuple[Value, ...], last_part: dict[str, Moment], match: str
) -> None:
    with pytest.raises(InputError, match=match):
        Model(parties=parties, values=values, last_part=last_part)


def test_a_bad_moment_or_group_is_refused() -> None:
    with pytest.raises(InputError, match="aware"):
        Knower(EVERYONE, (datetime(2026, 5, 6), 1, 0))  # naive
    with pytest.raises(InputError, match="frozenset"):
        Knower({"a"}, NEG_INF)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="coalition"):
        can_choose(v1_default(), group("office", "stranger"))
    with pytest.raises(InputError, match="does not list"):
        Steering((group("x"),), (), parties=("a",))


def test_the_model_is_read_only() -> None:
    model = v1_default()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        model.parties = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        model.last_part["office"] = NEG_INF  # type: ignore[index]
