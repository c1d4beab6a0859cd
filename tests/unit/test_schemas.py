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
