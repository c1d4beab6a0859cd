"""The browser verifier (``verify.html``) in a real, headless Chromium, opened from ``file://`` and
from an HTTP server on 127.0.0.1: its verdict on every ceremony vector agrees with the Python
verifier's, check by check; a month ``rfb publish`` wrote checks out in the page, and tampering
with its record shows a failure; screenshots at 1280 and 390 pixels show the verdict first.
"""

from __future__ import annotations

import copy
import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from PIL import Image

from browser import chromium, screenshot, verdict
from fairdraw import Population, PublicKey, verification_report
from fairdraw.verifier_page import write_verifier_page

VECTORS = Path(__file__).parents[1] / "vectors"
V2 = json.loads((VECTORS / "ceremony-v2.json").read_text(encoding="utf-8"))
V1 = json.loads((VECTORS / "ceremony-v1.json").read_text(encoding="utf-8"))
STATUS = {"passed": "pass", "failed": "fail", "incomplete": "incomplete"}
BACKGROUND = {
    "pass": (0xE9, 0xF7, 0xEE),
    "fail": (0xFD, 0xEC, 0xEC),
    "incomplete": (0xFF, 0xF6, 0xE0),
}


def office_key(private_hex: str) -> PublicKey:
    public = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex)).public_key()
    return PublicKey(public.public_bytes(Encoding.Raw, PublicFormat.Raw))


def populations_of(given: dict[str, Any]) -> dict[str, Population]:
    return {
        scope: Population.of(p["labels"], salt=p.get("salt") or None) for scope, p in given.items()
    }


def cases() -> list[tuple[str, dict[str, Any], dict[str, Population], PublicKey]]:
    """Every vector record, with the office key and lists a verifier would give."""
    office = office_key(V2["keys"]["office"])
    found = [
        (c["name"], c["record"], populations_of(c["populations"]), office) for c in V2["cases"]
    ]
    inputs = V1["inputs"]
    lists = {
        scope: Population.of(labels, salt=inputs["salts"].get(scope))
        for scope, labels in inputs["populations"].items()
    }
    found.append(("v1", V1["record"], lists, office_key(inputs["office_private_key"])))
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as session:
        yield session


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Any]]:
    """Each vector's page, and the Python report on the same record, key and lists."""
    root = tmp_path_factory.mktemp("pages")
    made = {}
    for name, record, lists, key in cases():
        pem = key.to_pem().decode("ascii")
        page = write_verifier_page(root / name, record, public_key=pem, populations=lists)
        report = verification_report(record, populations=lists, public_key=key)
        made[name] = (page, report)
    return made


@pytest.fixture(scope="module")
def server(pages: dict[str, tuple[Path, Any]]) -> Iterator[str]:
    root = next(iter(pages.values()))[0].parents[1]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_the_page_agrees_with_python_on_every_vector(
    browser: Any, pages: dict[str, tuple[Path, Any]]
) -> None:
    assert len(pages) == len(V2["cases"]) + 1
    seen = set()
    for name, (page, python) in pages.items():
        status, sentence, report = verdict(browser, page.as_uri(), confirm_key=True)
        assert status == STATUS[python.verdict], (name, sentence)
        theirs = {c["name"]: c["status"] for c in report["checks"]}
        assert theirs == {c.name: c.status for c in python.checks}, name
        assert sentence, name
        seen.add(status)
    assert seen == {"pass", "fail", "incomplete"}  # the vectors show every verdict


def test_served_over_http_the_same(
    browser: Any, pages: dict[str, tuple[Path, Any]], server: str
) -> None:
    for name in ("witnessed-beacon", "single-party", "unwitnessed-beacon"):
        _page, python = pages[name]
        status, _sentence, _report = verdict(
            browser, f"{server}/{name}/verify.html", confirm_key=True
        )
        assert status == STATUS[python.verdict], name


def test_a_tampered_record_fails_in_the_page(browser: Any, tmp_path: Path) -> None:
    name, record, lists, key = cases()[0]
    assert name == "witnessed-beacon"
    changed = copy.deepcopy(record)
    changed["events"][-1]["event"]["body"]["results"][0]["selected"][0]["score"] = "0" * 64
    pem = key.to_pem().decode("ascii")
    page = write_verifier_page(tmp_path, changed, public_key=pem, populations=lists)
    status, sentence, report = verdict(browser, page.as_uri(), confirm_key=True)
    assert status == "fail"
    assert any(c["status"] == "failed" for c in report["checks"])
    assert "未通过" in sentence  # said in Chinese by default


def _share(image: Image.Image, colour: tuple[int, int, int], top: int) -> float:
    """The share of the top ``top`` rows' pixels that are ``colour``."""
    band = image.convert("RGB").crop((0, 0, image.width, min(top, image.height)))
    counts = {c: n for n, c in band.getcolors(maxcolors=band.width * band.height) or []}
    return counts.get(colour, 0) / (band.width * band.height)


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_show_the_verdict_first(
    browser: Any, pages: dict[str, tuple[Path, Any]], tmp_path: Path, width: int
) -> None:
    for name, expected in (("witnessed-beacon", "pass"), ("single-party", "fail")):
        verdict(browser, pages[name][0].as_uri(), confirm_key=True)
        browser.set_window_size(width, 1400)
        shot = screenshot(browser, tmp_path / f"{name}-{width}.png", width)
        image = Image.open(shot)
        assert _share(image, BACKGROUND[expected], 400) > 0.05, (name, width)
        others = [c for s, c in BACKGROUND.items() if s != expected]
        assert all(_share(image, c, 1400) < 0.001 for c in others), (name, width)
        wide = browser.execute_script("return document.documentElement.scrollWidth")
        assert wide <= width, f"{name}: {wide} px wide in a {width} px window"


def test_the_key_the_page_carries_is_trusted_only_once_compared(
    browser: Any, pages: dict[str, tuple[Path, Any]]
) -> None:
    """A key embedded beside the record comes from the same place as the record: the page shows
    its fingerprint, asks the citizen to compare it with the office's notice, and the record is
    not confirmed until they say it matches (or load the office's key file themselves)."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    page, _python = pages["witnessed-beacon"]
    status, sentence, report = verdict(browser, page.as_uri())
    assert status == "incomplete", sentence
    checks = {c["name"]: c["status"] for c in report["checks"]}
    assert checks["office key"] == "not checked"
    assert [n for n, s in checks.items() if s != "passed"] == ["office key"]
    note = browser.find_element(By.ID, "keyNote").text
    assert "逐组核对" in note and "不能单独证明" in note
    fingerprint = browser.find_element(By.ID, "fingerprint").text.split()
    assert all(len(group) == 4 for group in fingerprint[:-1])
    assert "".join(fingerprint) == report["office_key_id"]
    status, _sentence, report = verdict(browser, None, confirm_key=True)
    assert status == "pass"
    assert "您已核对指纹" in browser.find_element(By.ID, "keyNote").text
    browser.find_element(By.ID, "lang").click()  # English: the same report, in other words
    status, sentence, again = verdict(browser, None)
    assert status == "pass" and sentence.startswith("Every check")
    assert again == report


# Recorded from before the page's own script runs (DevTools injects it, whatever the page's CSP
# says): every state of the verdict element, with whether the key's button shows.
WATCH_VERDICT = """
window.fairdrawSeen = [];
new MutationObserver(() => {
  const verdict = document.getElementById('verdict');
  const key = document.getElementById('key');
  const button = document.getElementById('confirmKey');
  if (!verdict || !key || !button) return;
  const state = [verdict.dataset.status || '', verdict.textContent, verdict.getAttribute('aria-busy'),
    !key.hidden && !button.hidden];
  const last = window.fairdrawSeen[window.fairdrawSeen.length - 1];
  if (!last || last.join('|') !== state.join('|')) window.fairdrawSeen.push(state);
}).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_while_it_recomputes_the_page_says_how_far_and_no_verdict(
    browser: Any, pages: dict[str, tuple[Path, Any]], lang: str
) -> None:
    """The checks run in steps: until the verdict is known, the verdict element is "running"
    (busy, for screen readers), says what the page is doing and how far it is, in the page's
    language; the office key's fingerprint and its button show as soon as the signatures are
    checked, before the long recomputations."""
    page, _python = pages["witnessed-beacon"]
    script = browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_VERDICT}
    )
    try:
        url = page.as_uri() + ("?lang=en" if lang == "en" else "")
        status, _sentence, report = verdict(browser, url)
        seen = browser.execute_script("return window.fairdrawSeen")
    finally:
        browser.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
        )
    assert status == "incomplete" and report is not None  # the key's fingerprint not compared
    *running, final = seen
    assert final[0] == "incomplete" and final[2] is None
    assert running and all(s[0] == "running" and s[2] == "true" for s in running), seen
    words = {
        "zh": ("正在核验", "正在重算范围 {}：0 / {}"),
        "en": ("Checking", "Recomputing scope {}: 0 / {}"),
    }
    checking, recomputing = words[lang]
    shown = [s[1] for s in running]
    # (before the script runs, the page's HTML says 正在核验 whatever the language)
    assert any(text.startswith(checking) for text in shown), shown
    for scope, n in (("2023-09/MAINT", 30), ("2023-09/USE", 12)):
        assert recomputing.format(scope, n) in shown, shown
    recomputations = [s for s in running if s[1].startswith(recomputing.split("{")[0])]
    assert recomputations and all(s[3] for s in recomputations)  # the key's button shows


def test_a_page_carrying_another_key_says_so(browser: Any, tmp_path: Path) -> None:
    _name, record, lists, _key = cases()[0]
    stranger = office_key(V2["keys"]["stranger"]).to_pem().decode("ascii")
    page = write_verifier_page(tmp_path, record, public_key=stranger, populations=lists)
    status, _sentence, _report = verdict(browser, page.as_uri())
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    assert status == "incomplete"
    assert not browser.find_element(By.ID, "confirmKey").is_displayed()
    assert "不是记录签名所用的公钥" in browser.find_element(By.ID, "keyNote").text


def test_the_demo_publication_checks_out_in_the_page(browser: Any, tmp_path: Path) -> None:
    """After `rfb demo`: publication/verify.html carries the record, the office key and the
    public lists. Once the key is compared, nothing fails; what it cannot check is exactly the
    confidential lists' complete recomputation (they are not published). A tampered copy fails.
    """
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    from rfb_policy.month import Month  # noqa: PLC0415
    from rfb_policy.workflow.demo import run_demo  # noqa: PLC0415

    run_demo(Month(2026, 1), tmp_path / "rfb-demo")
    page = tmp_path / "rfb-demo" / "publication" / "verify.html"
    index = (page.parent / "index.html").read_text(encoding="utf-8")
    assert 'href="verify.html"' in index
    status, sentence, report = verdict(browser, page.as_uri(), confirm_key=True)
    unchecked = sorted(c["name"] for c in report["checks"] if c["status"] == "not checked")
    failed = [c["name"] for c in report["checks"] if c["status"] == "failed"]
    assert not failed, failed
    assert status == "incomplete", sentence
    assert unchecked == sorted(
        f"scope 2026-01/{item}/{stratum}: complete recomputation"
        for item in ("MAINT", "USE", "COMM")
        for stratum in ("base", "risk")
    )
    passed = {c["name"] for c in report["checks"] if c["status"] == "passed"}
    assert "scope 2026-01/QUAL: complete recomputation" in passed  # a public list, embedded
    assert "西城区人民防空办公室（演示）" in browser.find_element(By.ID, "checks").text

    text = page.read_text(encoding="utf-8")
    seed = json.loads((page.parent / "record.json").read_text(encoding="utf-8"))["events"][-1]
    score = seed["event"]["body"]["results"][0]["selected"][0]["score"]
    tampered = tmp_path / "tampered"
    tampered.mkdir()
    (tampered / "verify.html").write_text(text.replace(score, "f" * 64, 1), encoding="utf-8")
    status, _sentence, report = verdict(
        browser, (tampered / "verify.html").as_uri(), confirm_key=True
    )
    assert status == "fail"
