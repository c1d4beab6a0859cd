"""Shared test settings.

Hypothesis runs derandomized: every run of the suite draws the same examples, so a statistical
bound or a property either always holds or always fails; nothing flakes.
"""

from __future__ import annotations

import glob
import itertools
import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
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


# -- a throwaway PostgreSQL cluster -----------------------------------------------------------

REQUIRE_POSTGRES = os.environ.get("FAIRDRAW_REQUIRE_POSTGRES") == "1"


def _postgres_bin() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _unavailable(why: str) -> None:
    message = f"PostgreSQL tests: {why}"
    if REQUIRE_POSTGRES:
        pytest.fail(message + " (FAIRDRAW_REQUIRE_POSTGRES=1 makes this a failure)")
    pytest.skip(message + "; install Debian's postgresql package to run them")


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user there."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Start a PostgreSQL cluster on 127.0.0.1 for the session; yield its base URL."""
    bindir = _postgres_bin()
    if bindir is None:
        _unavailable("the server binaries (initdb, pg_ctl) are not installed")
    try:
        import psycopg  # noqa: F401, PLC0415
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[postgres]')")
    assert bindir is not None
    folder = Path(tempfile.mkdtemp(prefix="fairdraw-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, log = folder / "data", folder / "server.log"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--locale=C", "--no-sync"]),
        check=True, capture_output=True,
    )  # fmt: skip
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} -c fsync=off"
    )
    subprocess.run(
        _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]),
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


_DATABASES = itertools.count()


@pytest.fixture
def pg_url(postgres_server: str) -> str:
    """A fresh, empty database on the session's cluster."""
    import psycopg  # noqa: PLC0415

    name = f"fairdraw_test_{os.getpid()}_{next(_DATABASES)}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return f"{postgres_server}/{name}"
