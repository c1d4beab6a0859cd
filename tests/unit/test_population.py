"""Populations: checked once, committed by their digest."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairdraw import (
    LabelError,
    ParameterError,
    Population,
    Stratum,
    draw_exact,
    draw_rate,
    draw_stratified,
    population_digest,
    shuffle,
)
from fairdraw.labelfile import read_population

SEED = "00" * 31 + "01"
WORKED = ["alpha", "bravo", "charlie", "delta", "echo"]


def test_population_carries_the_spec_digest() -> None:
    population = Population.of(WORKED)
    assert (
        population.digest_hex == "4a6ba664594fe5df738511d7ad33bb11c242860289fc88bc6b827a51f0573abb"
    )
    assert population_digest(population) == population.digest
    assert list(population) == WORKED and len(population) == 5 and population[1] == "bravo"
    assert "echo" in population and "golf" not in population
    assert "4a6ba664594fe5df" in repr(population)


def test_equality_is_by_digest_and_salt() -> None:
    assert Population.of(WORKED) == Population.of(reversed(WORKED))
    assert hash(Population.of(WORKED)) == hash(Population.of(reversed(WORKED)))
    salted = Population.of(WORKED, salt="5a" * 32)
    assert salted != Population.of(WORKED)
    assert salted.digest == population_digest(WORKED, salt=bytes.fromhex("5a" * 32))
    assert population_digest(salted, salt="") == population_digest(WORKED)
    assert Population.of(salted, salt="5a" * 32) is salted


def test_population_is_checked_when_made() -> None:
    with pytest.raises(LabelError):
        Population.of(["a", "a "])
    with pytest.raises(ParameterError):
        Population.of(WORKED, salt="00")


def test_draws_from_a_population_equal_draws_from_its_list() -> None:
    population = Population.of(WORKED)
    assert draw_exact(SEED, "demo", population, 2, alternates=2) == draw_exact(
        SEED, "demo", WORKED, 2, alternates=2
    )
    assert draw_rate(SEED, "demo", population, "40%") == draw_rate(SEED, "demo", WORKED, "40%")
    assert shuffle(SEED, "demo", population) == shuffle(SEED, "demo", WORKED)
    strata = draw_stratified(SEED, [Stratum(scope="demo", labels=population, k=2)])
    assert strata["demo"] == draw_exact(SEED, "demo", WORKED, 2)


def test_read_population(tmp_path: Path) -> None:
    path = tmp_path / "l.txt"
    path.write_text("alpha\nbravo\ncharlie\ndelta\necho\n", encoding="utf-8")
    assert read_population(path) == Population.of(WORKED)
    assert read_population(path, salt="5a" * 32) == Population.of(WORKED, salt="5a" * 32)
