"""Every ``--help`` of both command lines speaks one language (issue 12, item 6): each command's
and option's help text is a message of its catalogue, shown in Chinese by default for ``rfb``
and with ``--lang zh`` for ``fairdraw``, wholly English with ``--lang en``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from languages import mixed_lines

ROOT = Path(__file__).parents[2]

# Renders the help of every command of a command line, in one process (a process each would take
# a minute): click's own words are bound to the language the way the console scripts bind them.
_RENDER = """
import sys, click
from fairdraw import use_language_in_click
module, prog, lang = sys.argv[1:4]
use_language_in_click(lang)
cli = __import__(module, fromlist=["cli"]).cli

def paths(command, prefix):
    yield prefix
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from paths(command.commands[name], [*prefix, name])

for path in paths(cli, []):
    print("=== " + " ".join([prog, *path]), flush=True)
    status = cli.main(["--lang", lang, *path, "--help"], prog_name=prog, standalone_mode=False)
    assert status in (0, None), (path, status)
"""

CLIS = {"rfb": "rfb_policy.cli.main", "fairdraw": "fairdraw.cli.main"}
# the office's words and its name (a default shown in the help), in any language
DATA = ("北京市西城区人民防空办公室", "西城区", "人防办", "双随机", "科室", "执法宣传科")


def _helps(prog: str, lang: str) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _RENDER, CLIS[prog], prog, lang],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    sections = done.stdout.split("=== ")[1:]
    return {head: body for head, _, body in (s.partition("\n") for s in sections)}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("prog", sorted(CLIS))
def test_every_help_speaks_one_language(prog: str, lang: str) -> None:
    helps = _helps(prog, lang)
    assert len(helps) > 10  # every command was rendered, not just the group
    mixed = [f"{command}: {line}" for command, text in helps.items()
             for line in mixed_lines(text, lang, DATA)]  # fmt: skip
    assert mixed == [], "\n".join(mixed)
    # Wrapped at the terminal's width in columns: a Chinese character takes two (click counts
    # one a character, which made Chinese help twice as wide as the terminal).
    wide = [f"{command}: {line}" for command, text in helps.items()
            for line in text.splitlines() if cell_len(line) > 80]  # fmt: skip
    assert wide == [], "\n".join(wide)
