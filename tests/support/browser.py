"""A real, headless Chromium for the page tests: Debian's ``chromium`` driven by its
``chromedriver`` (Selenium), one browser for the session, a fresh profile, no network of its own
(background networking, component updates and sync off; Selenium Manager never asked).

The tests are skipped, saying why, when Chromium or its driver is not installed;
``FAIRDRAW_REQUIRE_CHROMIUM=1`` (set by ``.ci/run``) turns that skip into a failure, as for
PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def _binaries() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        why = "Chromium or its driver is not installed (Debian: apt-get install chromium chromium-driver)"
        if os.environ.get("FAIRDRAW_REQUIRE_CHROMIUM") == "1":
            pytest.fail(why + "; FAIRDRAW_REQUIRE_CHROMIUM=1 requires them")
        pytest.skip(why)
    return browser, driver


@contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A headless Chromium (a Selenium WebDriver) with a new profile, closed afterwards."""
    browser, driver = _binaries()
    from selenium import webdriver  # noqa: PLC0415 (only when Chromium is here)
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="fairdraw-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
            options.add_argument(flag)
        session = webdriver.Chrome(options=options, service=Service(executable_path=driver))
        try:
            yield session
        finally:
            session.quit()


def verdict(
    session: Any,
    url: str | None,
    *,
    confirm_key: bool = False,
    timeout: float = 30.0,
    poll: float = 0.5,
) -> tuple[str, str, Any]:
    """Open ``url`` (None: stay on the page) and wait until the page has a verdict: its
    ``data-status``, its sentence and ``window.fairdrawReport``; ``confirm_key``: first press
    "the fingerprints match", as a citizen does once they compared the embedded key's
    fingerprint with the office's notice (the page shows it, and the button, while its long
    checks still run). ``poll``: seconds between two looks at the verdict (a benchmark looks
    often)."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415
    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    if url is not None:
        session.get(url)
    if confirm_key:
        button = session.find_element(By.ID, "confirmKey")
        if button.is_displayed():
            button.click()

    def ready(driver: Any) -> bool:
        status = driver.find_element(By.ID, "verdict").get_attribute("data-status")
        return status in {"pass", "fail", "incomplete"}

    WebDriverWait(session, timeout, poll_frequency=poll).until(ready)
    element = session.find_element(By.ID, "verdict")
    report = session.execute_script("return window.fairdrawReport")
    return str(element.get_attribute("data-status")), str(element.text), report


def screenshot(session: Any, out: Path, width: int, height: int = 1400) -> Path:
    """A PNG of the current page at ``width`` pixels."""
    session.set_window_size(width, height)
    session.save_screenshot(str(out))
    assert out.exists() and out.stat().st_size > 0
    return out
