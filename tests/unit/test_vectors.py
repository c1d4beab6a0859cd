"""The committed vectors: current, reproduced by fairdraw, and by the spec-only reference."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import fairdraw
import spec_reference as ref
from fairdraw import InputError, Stratum
from vectors.generate import error_call

GENERATOR = Path(__file__).parents[1] / "vectors" / "generate.py"


def test_vector_file_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_vector_coverage(draw_vectors: dict[str, Any]) -> None:
    cases = draw_vectors["cases"]
    assert draw_vectors["format"] == "fairdraw-draw-vectors/1"
    assert len(cases) >= 30
    kinds = {case["kind"] for case in cases}
    assert kinds == {"exact", "rate", "shuffle", "stratified", "digest", "error"}
    assert len({case["name"] for case in cases}) == len(cases)
    assert any(len(case.get("labels", [])) == 10_000 for case in cases)


def _picks(picks: fairdraw.PickList) -> list[dict[str, Any]]:
    return [pick.to_dict() for pick in picks]


def fairdraw_result(case: dict[str, Any]) -> dict[str, Any]:
    """What fairdraw computes for a vector case, in the vector's `expected` shape."""
    kind = case["kind"]
    if kind == "exact":
        draw = fairdraw.draw_exact(
            case["seed"], case["scope"], case["labels"], case["k"], alternates=case["alternates"]
        )
    elif kind == "rate":
        draw = fairdraw.draw_rate(case["seed"], case["scope"], case["labels"], case["rate"])
        assert draw.rate == case["rate_canonical"]
    elif kind == "shuffle":
        result = fairdraw.shuffle(case["seed"], case["scope"], case["labels"])
        return {
            "subseed": result.subseed,
            "order": _picks(result.order),
            "population_digest": fairdraw.population_digest(case["labels"]).hex(),
        }
    elif kind == "stratified":
        strata = fairdraw.draw_stratified(case["seed"], [Stratum(**s) for s in case["strata"]])
        return {
            "strata": [
                {
                    "scope": d.scope,
                    "subseed": d.subseed,
                    "selected": _picks(d.selected),
                    "alternates": _picks(d.alternates),
                    "population_digest": fairdraw.population_digest(s["labels"]).hex(),
                }
                for d, s in zip(strata.draws, case["strata"], strict=True)
            ]
        }
    elif kind == "digest":
        return {
            "population_digest": fairdraw.population_digest(case["labels"], salt=case["salt"]).hex()
        }
    else:
        raise AssertionError(kind)
    return {
        "subseed": draw.subseed,
        "selected": _picks(draw.selected),
        "alternates": _picks(draw.alternates),
        "population_digest": fairdraw.population_digest(case["labels"]).hex(),
    }


def reference_result(case: dict[str, Any]) -> dict[str, Any]:
    """What the spec-only reference computes for a vector case."""
    kind = case["kind"]
    if kind == "exact":
        out = ref.draw_exact(
            case["seed"], case["scope"], case["labels"], case["k"], case["alternates"]
        )
    elif kind == "rate":
        out = ref.draw_rate(case["seed"], case["scope"], case["labels"], case["rate"])
    elif kind == "shuffle":
        order = ref.shuffle(case["seed"], case["scope"], case["labels"])
        return {"order": order, "population_digest": ref.population_digest(case["labels"]).hex()}
    elif kind == "stratified":
        results = ref.draw_stratified(case["seed"], case["strata"])
        return {
            "strata": [
                {
                    **r,
                    "scope": s["scope"],
                    "population_digest": ref.population_digest(s["labels"]).hex(),
                }
                for r, s in zip(results, case["strata"], strict=True)
            ]
        }
    elif kind == "digest":
        return {
            "population_digest": ref.population_digest(
                case["labels"], bytes.fromhex(case["salt"])
            ).hex()
        }
    else:
        raise AssertionError(kind)
    return {**out, "population_digest": ref.population_digest(case["labels"]).hex()}


def _case_ids() -> list[str]:
    text = GENERATOR.with_name("draw-v1.json").read_text(encoding="utf-8")
    return [case["name"] for case in json.loads(text)["cases"]]


@pytest.fixture(params=_case_ids())
def case(request: pytest.FixtureRequest, draw_vectors: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in draw_vectors["cases"] if c["name"] == request.param)
    return found


def test_fairdraw_reproduces_vector(case: dict[str, Any]) -> None:
    if case["kind"] == "error":
        with pytest.raises(InputError) as info:
            error_call(case["call"], case)()
        assert info.value.reason == case["expected"]["error"]
        return
    assert fairdraw_result(case) == case["expected"]


def test_reference_reproduces_vector(case: dict[str, Any]) -> None:
    if case["kind"] == "error":
        with pytest.raises(ref.SpecError) as info:
            _reference_error_call(case)()
        assert info.value.reason == case["expected"]["error"]
        return
    expected = case["expected"]
    if case["kind"] == "shuffle":
        expected = {
            "order": [pick["label"] for pick in expected["order"]],
            "population_digest": expected["population_digest"],
        }
    assert reference_result(case) == expected


def _reference_error_call(case: dict[str, Any]) -> Callable[[], object]:
    def digest() -> object:
        try:
            salt = bytes.fromhex(case.get("salt", ""))
        except ValueError as err:
            raise ref.SpecError("bad_salt") from err
        return ref.population_digest(case["labels"], salt)

    return {
        "exact": lambda: ref.draw_exact(
            case["seed"], case["scope"], case["labels"], case["k"], case.get("alternates", 0)
        ),
        "rate": lambda: ref.draw_rate(case["seed"], case["scope"], case["labels"], case["rate"]),
        "digest": digest,
        "stratified": lambda: ref.draw_stratified(case["seed"], case["strata"]),
    }[case["call"]]
