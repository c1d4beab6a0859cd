"""Draw functions: results, value objects, parameter errors, and the fast path's fallback."""

from __future__ import annotations

import hashlib

import attrs
import pytest

import fairdraw
from fairdraw import (
    EmptyPopulationError,
    InputError,
    LabelError,
    ParameterError,
    Pick,
    Stratum,
    draw_exact,
    draw_rate,
    draw_stratified,
    sampling,
    shuffle,
)

SEED = "00" * 31 + "01"
WORKED = ["alpha", "bravo", "charlie", "delta", "echo"]


def brute_force(seed: str, scope: str, labels: list[str]) -> list[tuple[str, str]]:
    """The spec's ranking, computed the slow way: (label, score hex) in rank order."""
    subseed = hashlib.sha256(
        b"fairdraw/v1/scope\x00" + bytes.fromhex(seed) + scope.encode()
    ).digest()
    scored = [
        (hashlib.sha256(b"fairdraw/v1/score\x00" + subseed + label.encode()).digest(), label)
        for label in labels
    ]
    scored.sort(key=lambda item: (int.from_bytes(item[0], "big"), item[1].encode()))
    return [(label, digest.hex()) for digest, label in scored]


def test_worked_example_of_the_spec() -> None:
    draw = draw_exact(SEED, "demo", WORKED, 2, alternates=2)
    assert draw.subseed == "eb392ee93d6fda9f06a840c8c7fc2b08d9d63929031c3212087f9c52230e894c"
    assert draw.labels == ("alpha", "bravo")
    assert [p.label for p in draw.alternates] == ["echo", "delta"]
    assert [p.rank for p in draw.alternates] == [3, 4]
    assert draw.selected[0] == Pick(
        label="alpha",
        rank=1,
        score="59609cc1f016568b62b6069806f184959c86790ab8ab01f7d5fad864eec5aa64",
    )
    assert draw_rate(SEED, "demo", WORKED, "40%").labels == ("alpha", "bravo")
    assert shuffle(SEED, "demo", WORKED).labels == ("alpha", "bravo", "echo", "delta", "charlie")
    digest = fairdraw.population_digest(WORKED).hex()
    assert digest == "4a6ba664594fe5df738511d7ad33bb11c242860289fc88bc6b827a51f0573abb"


def test_results_are_frozen() -> None:
    draw = draw_exact(SEED, "demo", WORKED, 2)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        draw.k = 3  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        draw.selected[0].rank = 9  # type: ignore[misc]
    assert draw == draw_exact(SEED, "demo", list(reversed(WORKED)), 2)
    assert hash(draw) == hash(draw_exact(SEED, "demo", WORKED, 2))


def test_pick_list_behaves_like_a_sequence() -> None:
    draw = draw_exact(SEED, "demo", WORKED, 5)
    picks = draw.selected
    assert len(picks) == 5
    assert picks[-1] == picks[4]
    assert list(picks[1:3]) == [picks[1], picks[2]]
    assert picks == tuple(picks)
    assert picks != draw_exact(SEED, "other", WORKED, 5).selected
    assert "PickList" in repr(picks)
    assert picks[0].score_int == int(picks[0].score, 16)


def test_to_dict_is_the_documented_json_form() -> None:
    data = draw_exact(SEED, "demo", WORKED, 2, alternates=1).to_dict()
    assert data["media_type"] == "application/vnd.fairdraw.draw-result.v1+json"
    assert data["spec"] == "fairdraw/draw/v1"
    assert data["parameters"] == {"k": 2, "alternates": 1}
    assert data["selected"][1] == {
        "label": "bravo",
        "rank": 2,
        "score": data["selected"][1]["score"],
    }
    assert data["alternates"][0]["rank"] == 3
    rate = draw_rate(SEED, "demo", WORKED, "0.4").to_dict()
    assert rate["parameters"] == {"rate": "2/5"}
    assert rate["alternates"] == []


@pytest.mark.parametrize("n", [1, 2, 3, 50, 200, 1000, 5000])
@pytest.mark.parametrize("share", [0, 1, 15, 49, 50, 100])
def test_exact_mode_matches_brute_force(n: int, share: int) -> None:
    labels = [f"label-{i}" for i in range(n)]
    k = n * share // 100
    m = min(3, n - k)
    draw = draw_exact(SEED, "sizes", labels, k, alternates=m)
    ranking = brute_force(SEED, "sizes", labels)
    assert [(p.label, p.score) for p in draw.selected] == ranking[:k]
    assert [(p.label, p.score) for p in draw.alternates] == ranking[k : k + m]


def test_fallback_when_the_cut_keeps_too_few(monkeypatch: pytest.MonkeyPatch) -> None:
    """If fewer labels than needed fall under the cut, the full ranking is used: same result."""
    labels = [f"x{i}" for i in range(3000)]
    expected = draw_exact(SEED, "fallback", labels, 100, alternates=5)
    calls: list[bytes | None] = []
    real = sampling._keys_below

    def starved(subseed: bytes, population: list[str], cut: bytes | None) -> list[bytes]:
        calls.append(cut)
        return real(subseed, population, None if cut is None else bytes(32))

    monkeypatch.setattr(sampling, "_keys_below", starved)
    assert draw_exact(SEED, "fallback", labels, 100, alternates=5) == expected
    assert calls[0] is not None and calls[-1] is None


@pytest.mark.parametrize("rate", ["0", "1/1000", "15%", "1/2", "99.9%", "1"])
def test_rate_mode_matches_definition(rate: str) -> None:
    labels = [f"obj-{i}" for i in range(2000)]
    fraction = fairdraw.parse_rate(rate)
    expected = [
        (label, score)
        for label, score in brute_force(SEED, "rate", labels)
        if int(score, 16) * fraction.denominator < fraction.numerator * 2**256
    ]
    draw = draw_rate(SEED, "rate", labels, rate)
    assert [(p.label, p.score) for p in draw.selected] == expected
    assert [p.rank for p in draw.selected] == list(range(1, len(expected) + 1))


def test_scope_and_seed_change_the_draw() -> None:
    labels = [f"obj-{i}" for i in range(100)]
    base = draw_exact(SEED, "a", labels, 10).labels
    assert draw_exact(SEED, "b", labels, 10).labels != base
    assert draw_exact("00" * 31 + "02", "a", labels, 10).labels != base
    assert draw_exact(SEED.upper(), "a", labels, 10).labels == base
    assert draw_exact(bytes.fromhex(SEED), "a", labels, 10).labels == base


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"seed": "00" * 31}, "bad_seed"),
        ({"seed": "zz" * 32}, "bad_seed"),
        ({"seed": b"\x00" * 31}, "bad_seed"),
        ({"seed": 12}, "bad_seed"),
        ({"scope": ""}, "bad_scope"),
        ({"scope": "a\n"}, "bad_scope"),
        ({"k": -1}, "bad_count"),
        ({"k": 1.0}, "bad_count"),
        ({"k": True}, "bad_count"),
        ({"k": 6}, "k_too_large"),
        ({"alternates": -2}, "bad_count"),
    ],
)
def test_exact_parameter_errors(kwargs: dict[str, object], reason: str) -> None:
    args: dict[str, object] = {
        "seed": SEED,
        "scope": "s",
        "labels": WORKED,
        "k": 1,
        "alternates": 0,
    }
    args.update(kwargs)
    with pytest.raises(ParameterError) as info:
        draw_exact(**args)  # type: ignore[arg-type]
    assert info.value.reason == reason


def test_bad_seed_is_reported_before_bad_labels() -> None:
    with pytest.raises(ParameterError):
        draw_exact("nope", "s", ["a", "a"], 1)


def test_population_errors_reach_every_mode() -> None:
    for call in (
        lambda labels: draw_exact(SEED, "s", labels, 0),
        lambda labels: draw_rate(SEED, "s", labels, "1/2"),
        lambda labels: shuffle(SEED, "s", labels),
    ):
        with pytest.raises(EmptyPopulationError):
            call([])
        with pytest.raises(LabelError):
            call(["ok", "not ok "])


def test_stratified_draw_uses_each_scope() -> None:
    risk = [f"risk-{i}" for i in range(20)]
    base = [f"base-{i}" for i in range(100)]
    result = draw_stratified(
        SEED,
        [
            Stratum(scope="MAINT/risk", labels=risk, rate="30%"),
            Stratum(scope="MAINT/base", labels=base, k=15, alternates=3),
        ],
    )
    assert result["MAINT/risk"] == draw_rate(SEED, "MAINT/risk", risk, "3/10")
    assert result["MAINT/base"] == draw_exact(SEED, "MAINT/base", base, 15, alternates=3)
    assert set(result.by_scope) == {"MAINT/risk", "MAINT/base"}
    assert result.labels == result.draws[0].labels + result.draws[1].labels
    with pytest.raises(KeyError):
        result["nope"]


@pytest.mark.parametrize(
    ("strata", "message"),
    [
        ([], "at least one"),
        ([Stratum(scope="a", labels=["x"], k=1), Stratum(scope="a", labels=["y"], k=1)], "twice"),
        ([Stratum(scope="a", labels=["x"], k=1), Stratum(scope="b", labels=["x"], k=0)], "both"),
        ([Stratum(scope="a", labels=["x"])], "either k or rate"),
        ([Stratum(scope="a", labels=["x"], k=1, rate="1")], "either k or rate"),
        ([Stratum(scope="a", labels=[], k=0)], "stratum 'a'"),
        ([Stratum(scope="a", labels=["x", "x"], k=0)], "stratum 'a'"),
        ([Stratum(scope="a", labels=["x"], k=2)], "more than"),
    ],
)
def test_stratified_errors(strata: list[Stratum], message: str) -> None:
    with pytest.raises(InputError, match=message):
        draw_stratified(SEED, strata)
