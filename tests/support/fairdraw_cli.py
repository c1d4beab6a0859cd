"""The ``fairdraw`` command as a real process, and the README ceremony's example files.

:data:`WALKTHROUGH` is the README's "A whole ceremony", command by command (a test checks that
the README shows exactly these), so the tests that run it run what the README documents.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import fairdraw

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "ceremony"
PASSPHRASE = "correct horse battery"
EXAMPLE_FILES = ("plan.json", "objects.txt", "comm-objects.txt", "drand-quicknet-657413.json")

# The child runs in a temporary folder: name the imported fairdraw's folder absolutely, so it
# runs this checkout's code (a worktree's, say) even when PYTHONPATH is relative or unset.
SRC = str(Path(fairdraw.__file__).resolve().parents[1])
PYTHONPATH = os.pathsep.join([SRC, *filter(None, [os.environ.get("PYTHONPATH")])])

ROLLS = "3 6 1 4 2 5 5 1 6 2 4 3 3 6 1 2 5 4 6 1 2 3 4 5 6 6 5 4 3 2 1 1 2 3 4 5 6 2 4 6 1 3 5 2 2 4 4 6 6 1"
OFFICE_KEY = ("--key", "office.key")
WITNESS_KEY = ("--key", "witness.key")
POPULATIONS = ("--population", "objects.txt", "--population", "comm-objects.txt")
ANNOUNCEMENT = "cer/events/000-announce.json"

KEYS: tuple[tuple[str, ...], ...] = (
    ("key", "generate", "office.key"),
    ("participant", "key", "--out", "witness.key", "--id", "witness", "--role", "witness"),
)
"""The walkthrough's first commands: the office's key, and the witness's."""

CEREMONY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("announce", ("ceremony", "announce", "cer", "--plan", "plan.json", *OFFICE_KEY,
                  "--at", "2023-09-15T09:00:00Z")),
    ("witness", ("participant", "witness", ANNOUNCEMENT, "--as", "witness", *WITNESS_KEY,
                 "--out", "witness.json", "--at", "2023-09-15T09:01:00Z")),
    ("accept witness", ("ceremony", "accept", "cer", "witness.json", *OFFICE_KEY,
                        "--at", "2023-09-15T09:02:00Z")),
    ("commit", ("ceremony", "commit", "cer", "--source", "office-secret",
                "--secret-out", "office.secret", *OFFICE_KEY, "--at", "2023-09-15T09:05:00Z")),
    ("witness commit", ("participant", "commit", ANNOUNCEMENT, "--as", "witness",
                        "--source", "witness-secret", *WITNESS_KEY,
                        "--secret-file", "witness.secret", "--out", "witness-commit.json")),
    ("accept commit", ("ceremony", "accept", "cer", "witness-commit.json", *OFFICE_KEY,
                       "--at", "2023-09-15T09:06:00Z")),
    ("dice", ("ceremony", "value", "cer", "--source", "leader-dice", *OFFICE_KEY,
              "--at", "2023-09-15T09:40:00Z", "--rolls", ROLLS)),
    ("reveal", ("ceremony", "reveal", "cer", "--source", "office-secret",
                "--secret-file", "office.secret", *OFFICE_KEY, "--at", "2023-09-15T09:45:00Z")),
    ("witness reveal", ("participant", "reveal", "cer", "--secret-file", "witness.secret",
                        *WITNESS_KEY, "--out", "witness-reveal.json")),
    ("accept reveal", ("ceremony", "accept", "cer", "witness-reveal.json", *OFFICE_KEY,
                       "--at", "2023-09-15T09:50:00Z")),
    ("drand", ("ceremony", "value", "cer", "--source", "drand",
               "--drand-beacon", "drand-quicknet-657413.json", *OFFICE_KEY,
               "--at", "2023-09-15T11:00:10Z")),
    ("seed", ("ceremony", "seed", "cer", *OFFICE_KEY, "--at", "2023-09-15T11:00:20Z")),
    ("draw", ("ceremony", "draw", "cer", *POPULATIONS, "--out", "record.json", *OFFICE_KEY,
              "--at", "2023-09-15T11:00:30Z")),
)  # fmt: skip
"""The ceremony's steps, named: the office's (``ceremony …``) and the witness's
(``participant …``), in the order of ceremony spec v2."""

VERIFY = ("verify", "record.json", *POPULATIONS, "--public-key", "office.key.pub")

WALKTHROUGH: tuple[tuple[str, ...], ...] = (*KEYS, *(args for _, args in CEREMONY), VERIFY)
"""Every ``fairdraw`` command of the README's walkthrough, in order."""


def readme_walkthrough() -> list[tuple[str, ...]]:
    """The ``fairdraw`` commands of the README's "A whole ceremony" block, as argument lists
    (without ``fairdraw``; ``cd`` and ``export`` left out)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## A whole ceremony") :]
    block = section[section.index("```sh\n") + len("```sh\n") :]
    block = block[: block.index("```")].replace("\\\n", " ")
    commands = []
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "fairdraw":
            commands.append(tuple(words[1:]))
    return commands


def run(
    *args: str,
    stdin: str | None = None,
    lang: str = "en",
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m fairdraw ARGS`` as its own process and capture what it prints."""
    environment = {**os.environ, "FAIRDRAW_LANG": lang, "PYTHONPATH": PYTHONPATH, **(env or {})}
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
