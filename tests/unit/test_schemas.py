"""The JSON Schemas shipped in fairdraw/schemas accept what fairdraw writes and catch breakage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

import fairdraw

SCHEMAS = Path(fairdraw.__file__).parent / "schemas"
VECTOR: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "ceremony-v1.json").read_text(encoding="utf-8")
)


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return data


def record_validator() -> jsonschema.Draft202012Validator:
    registry: Registry[Any] = Registry().with_resources(
        (f"https://fairdraw.invalid/schemas/{name}", Resource.from_contents(load(name)))
        for name in ("ceremony-event.v1.schema.json", "draw-record.v1.schema.json")
    )
    return jsonschema.Draft202012Validator(load("draw-record.v1.schema.json"), registry=registry)


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.glob("*.json")))
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(load(name))


def test_vector_record_matches_the_schemas() -> None:
    record_validator().validate(VECTOR["record"])
    event_schema = jsonschema.Draft202012Validator(load("ceremony-event.v1.schema.json"))
    for signed in VECTOR["record"]["events"]:
        event_schema.validate(signed)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("media_type",), "application/json"),
        (("signature",), "abc"),
        (("events", 0, "event", "kind"), "lottery"),
        (("events", 0, "event", "time"), "2023-09-15 09:00"),
        (("events", 1, "event", "body", "commitment"), "xyz"),
        (("events", 6, "event", "body", "results", 0, "selected", 0, "rank"), 0),
        (("events", 0, "event", "body", "on_missing_reveal"), "redraw"),
    ],
)
def test_schema_rejects_broken_records(path: tuple[Any, ...], value: Any) -> None:
    record = json.loads(json.dumps(VECTOR["record"]))
    target: Any = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        record_validator().validate(record)


def test_a_v2_record_matches_the_v2_schemas(tmp_path: Path) -> None:
    """rfb demo's record (ceremony v2: a witness, signed statements) matches the v2 schemas; a
    v2 record with a statement body missing its signature member does not."""
    from rfb_policy.month import Month  # noqa: PLC0415
    from rfb_policy.workflow.demo import run_demo  # noqa: PLC0415 (only this test needs it)

    report = run_demo(Month(2026, 1), tmp_path / "demo")
    record = json.loads(
        (report.folder / "draws" / "xicheng-demo-2026-01" / "record.json").read_text("utf-8")
    )
    names = ("ceremony-event.v2.schema.json", "draw-record.v2.schema.json")
    registry: Registry[Any] = Registry().with_resources(
        (f"https://fairdraw.invalid/schemas/{name}", Resource.from_contents(load(name)))
        for name in names
    )
    validator = jsonschema.Draft202012Validator(load(names[1]), registry=registry)
    validator.validate(record)
    assert any(e["event"]["kind"] == "witness" for e in record["events"])
    commit = next(e for e in record["events"] if e["event"]["kind"] == "commit")
    del commit["event"]["body"]["signature"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(record)
    with pytest.raises(jsonschema.ValidationError):
        record_validator().validate(record)  # not a v1 record
