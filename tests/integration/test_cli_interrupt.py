"""Ctrl-C at a prompt, as real processes: both commands end in exit 130 (``ExitCode.INTERRUPTED``)
with one line in the run's language, and write nothing (README, exit statuses)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fairdraw import ExitCode
from fairdraw_cli import PYTHONPATH

FAIRDRAW = ("-m", "fairdraw")
RFB = ("-c", "from rfb_policy.cli.main import main; main()")

CASES = [
    pytest.param(FAIRDRAW, ("--lang", "zh", "key", "generate", "office.key"), "已中断", id="fairdraw-zh"),
    pytest.param(FAIRDRAW, ("--lang", "en", "key", "generate", "office.key"), "Interrupted", id="fairdraw-en"),
    pytest.param(RFB, ("init", "office"), "已中断", id="rfb-zh"),
    pytest.param(RFB, ("--lang", "en", "init", "office"), "Interrupted", id="rfb-en"),
]  # fmt: skip


def _start(program: tuple[str, ...], args: tuple[str, ...], cwd: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "FAIRDRAW_KEY_PASSPHRASE"}
    return subprocess.Popen(
        [sys.executable, *program, *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": PYTHONPATH},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # no terminal: the passphrase prompt reads standard input
    )


def _wait_for_prompt(process: subprocess.Popen[bytes]) -> bytes:
    """What the process wrote to stderr up to its passphrase prompt."""
    assert process.stderr is not None
    seen = b""
    deadline = time.monotonic() + 30
    while b"passphrase" not in seen and "口令".encode() not in seen:  # en, zh
        left = deadline - time.monotonic()
        assert left > 0, f"no passphrase prompt: {seen!r}"
        ready, _, _ = select.select([process.stderr], [], [], left)
        if ready:
            chunk = os.read(process.stderr.fileno(), 4096)
            assert chunk, f"stderr closed before the prompt: {seen!r}"
            seen += chunk
    return seen


def _lines(stderr: bytes) -> list[str]:
    return [line for line in stderr.decode("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(("program", "args", "word"), CASES)
def test_ctrl_c_at_the_prompt(
    program: tuple[str, ...], args: tuple[str, ...], word: str, tmp_path: Path
) -> None:
    process = _start(program, args, tmp_path)
    before = _wait_for_prompt(process)
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=30)
    assert process.returncode == ExitCode.INTERRUPTED == 130
    last = _lines(before + rest)[-1]
    assert last.startswith(word), last
    assert "Aborted" not in last and "Traceback" not in (before + rest).decode()
    assert list(tmp_path.iterdir()) == []  # nothing half-written


@pytest.mark.parametrize(("program", "args", "word"), CASES)
def test_input_closed_at_the_prompt(
    program: tuple[str, ...], args: tuple[str, ...], word: str, tmp_path: Path
) -> None:
    process = _start(program, args, tmp_path)
    _, stderr = process.communicate(b"", timeout=30)
    assert process.returncode == ExitCode.INTERRUPTED
    assert _lines(stderr)[-1].startswith(word)
    assert list(tmp_path.iterdir()) == []
