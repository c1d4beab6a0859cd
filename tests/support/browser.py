"""A real, headless Chromium for the page tests: Debian's ``chromium``, a fresh profile each run,
no network of its own (background networking, component updates and sync off).

The tests are skipped, saying why, when Chromium is not installed; ``FAIRDRAW_REQUIRE_CHROMIUM=1``
(set by ``.ci/run``) turns that skip into a failure, as for PostgreSQL.
"""

from __future__ import annotations

import html.parser
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium() -> str:
    """The Chromium binary; skips the test (fails it under FAIRDRAW_REQUIRE_CHROMIUM=1) if none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        why = "Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("FAIRDRAW_REQUIRE_CHROMIUM") == "1":
            pytest.fail(why + "; FAIRDRAW_REQUIRE_CHROMIUM=1 requires it")
        pytest.skip(why)
    return found


def _run(url: str, *extra: str, width: int, height: int, budget_ms: int) -> str:
    with tempfile.TemporaryDirectory(prefix="fairdraw-chromium-") as profile:
        done = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
             f"--virtual-time-budget={budget_ms}", *extra, url],
            capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(url: str, *, width: int = 1280, height: int = 900, budget_ms: int = 20000) -> str:
    """The page's DOM once its scripts have run (``budget_ms`` of virtual time)."""
    return _run(url, "--dump-dom", width=width, height=height, budget_ms=budget_ms)


def screenshot(
    url: str, out: Path, *, width: int, height: int = 1600, budget_ms: int = 20000
) -> Path:
    """A PNG of the page at ``width`` pixels."""
    _run(url, f"--screenshot={out}", width=width, height=height, budget_ms=budget_ms)
    assert out.exists() and out.stat().st_size > 0
    return out


_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Find(html.parser.HTMLParser):
    """The attributes and text of the element with one id."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id = element_id
        self.attrs: dict[str, str | None] | None = None
        self.text: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if self._depth:
            self._depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.attrs, self._depth = dict(attrs), 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.text.append(data)


def element(dom: str, element_id: str) -> tuple[dict[str, str | None], str]:
    """The attributes and text of ``#element_id`` in a dumped DOM."""
    finder = _Find(element_id)
    finder.feed(dom)
    assert finder.attrs is not None, f"no #{element_id} in the page"
    return finder.attrs, "".join(finder.text).strip()
