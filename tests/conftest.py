"""Shared test settings.

Hypothesis runs derandomized: every run of the suite draws the same examples, so a statistical
bound or a property either always holds or always fails; nothing flakes.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from fairdraw.storage import Store, open_store
from pg_cluster import postgres_bin, throwaway_cluster

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


# -- a throwaway PostgreSQL cluster -----------------------------------------------------------

REQUIRE_POSTGRES = os.environ.get("FAIRDRAW_REQUIRE_POSTGRES") == "1"


def _unavailable(why: str) -> None:
    message = f"PostgreSQL tests: {why}"
    if REQUIRE_POSTGRES:
        pytest.fail(message + " (FAIRDRAW_REQUIRE_POSTGRES=1 makes this a failure)")
    pytest.skip(message + "; install Debian's postgresql package to run them")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Start a PostgreSQL cluster on 127.0.0.1 for the session; yield its base URL."""
    if postgres_bin() is None:
        _unavailable("the server binaries (initdb, pg_ctl) are not installed")
    try:
        import psycopg  # noqa: F401, PLC0415
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[postgres]')")
    with throwaway_cluster() as url:
        yield url


_DATABASES = itertools.count()


@pytest.fixture
def pg_url(postgres_server: str) -> str:
    """A fresh, empty database on the session's cluster."""
    import psycopg  # noqa: PLC0415

    name = f"fairdraw_test_{os.getpid()}_{next(_DATABASES)}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return f"{postgres_server}/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The behaviour suite runs against both adapters: they must behave the same."""
    location = (
        str(tmp_path / "any.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    )
    with open_store(location) as opened:
        yield opened
