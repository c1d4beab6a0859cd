"""Shared test settings.

Hypothesis runs derandomized: every run of the suite draws the same examples, so a statistical
bound or a property either always holds or always fails; nothing flakes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "fairdraw",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile("fairdraw")

VECTORS_DIR = Path(__file__).parent / "vectors"


@pytest.fixture(scope="session")
def draw_vectors() -> dict[str, Any]:
    """The committed draw spec v1 vectors."""
    data: dict[str, Any] = json.loads((VECTORS_DIR / "draw-v1.json").read_text(encoding="utf-8"))
    return data
