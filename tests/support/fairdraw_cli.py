"""The ``fairdraw`` command as a real process, and the README ceremony's example files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "examples" / "ceremony"
PASSPHRASE = "correct horse battery"


def run(
    *args: str,
    stdin: str | None = None,
    lang: str = "en",
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m fairdraw ARGS`` as its own process and capture what it prints."""
    environment = {**os.environ, "FAIRDRAW_LANG": lang, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "fairdraw", *args],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=60,
        check=False,
    )
