"""Processes released at one moment, with a handshake instead of a sleep.

Each racer runs ``PREAMBLE`` first: once it has imported everything it prints ``ready`` and
waits for a line on its standard input; :func:`race` waits until every racer is ready, then
releases them all at once and collects what each printed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

PREAMBLE = "import sys\nprint('ready', flush=True)\nsys.stdin.readline()\n"
"""Put this after a racer's imports: the handshake."""

RFB = "import sys\nfrom rfb_policy.cli.main import main\n" + PREAMBLE + "main()\n"
"""A racer that runs the ``rfb`` command with its arguments."""

RFB_NOW = "from rfb_policy.cli.main import main\nmain()\n"
"""The ``rfb`` command with its arguments, without the handshake."""


@attrs.frozen
class Finished:
    """What a racer did: its exit status and what it printed after the handshake."""

    returncode: int
    stdout: str
    stderr: str


def race(
    code: str,
    arguments: Sequence[Sequence[str]],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Sequence[Path] | Path | None = None,
    timeout: float = 120,
) -> list[Finished]:
    """Start ``python -c code ARGS`` once per argument list, release them together when all are
    ready, and return how each finished (in the order given)."""
    folders = list(cwd) if isinstance(cwd, Sequence) else [cwd] * len(arguments)
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=None if env is None else dict(env),
            cwd=folder,
        )
        for args, folder in zip(arguments, folders, strict=True)
    ]
    for racer in racers:
        assert racer.stdout is not None
        line = racer.stdout.readline()
        if line.strip() != "ready":
            for other in racers:
                other.kill()
            raise AssertionError(f"a racer did not start: {line!r} {racer.communicate()[1]}")
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write("go\n")
        racer.stdin.flush()
    finished = []
    for racer in racers:
        out, err = racer.communicate(timeout=timeout)
        finished.append(Finished(racer.returncode, out, err))
    return finished
