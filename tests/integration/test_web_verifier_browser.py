"""The browser verifier (``verify.html``) in a real, headless Chromium, opened from ``file://`` and
from an HTTP server on 127.0.0.1: its verdict on every ceremony vector agrees with the Python
verifier's, check by check; a month ``rfb publish`` wrote checks out in the page, and tampering
with its record shows a failure; screenshots at 1280 and 390 pixels show the verdict first.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from browser import chromium, screenshot, verdict
from fairdraw import Population, verifier_page
from fairdraw.verifier_page import write_verifier_page
from verify_vectors import (
    PUBLICATIONS,
    RECORDS,
    expected,
    file_json,
    populations,
    statuses,
    write_files,
)

STATUS = {"passed": "pass", "failed": "fail", "incomplete": "incomplete"}
BACKGROUND = {
    "pass": (0xE9, 0xF7, 0xEE),
    "fail": (0xFD, 0xEC, 0xEC),
    "incomplete": (0xFF, 0xF6, 0xE0),
}
OFFICE_TEMPLATE = (
    resources.files("rfb_policy.data").joinpath("verify.html").read_text(encoding="utf-8")
)


def page_of(case: dict[str, Any], folder: Path) -> Path:
    """The page a verifier would open for a vector: fairdraw's with a record, key and lists
    embedded; for a publication, the office's with its record, key and lists embedded, beside
    the publication's files (``files/``), which the test drops on it."""
    key = case["public_key"]
    lists = populations(case)
    folder.mkdir(parents=True, exist_ok=True)
    if "record" in case:
        return write_verifier_page(folder, case["record"], public_key=key, populations=lists)
    write_files(case, folder / "files")
    public = file_json(case, "public-lists.json") or {}
    given = {s: Population.of(v) for s, v in public.get("lists", {}).items()} | lists
    extra: dict[str, Any] = {  # as rfb publish embeds them
        "manifest": file_json(case, "manifest.json"),
        "log_checkpoint": file_json(case, "log-checkpoint.json"),
        "assignment": file_json(case, "assignment.json"),
        "results": file_json(case, "results.json"),
        "superseded": {
            name.removeprefix("superseded/").removesuffix(".json"): file_json(case, name)
            for name in case["files"]
            if name.startswith("superseded/")
        },
    }
    text = verifier_page(
        file_json(case, "record.json"),
        public_key=key,
        populations=given,
        extra=extra,
        template=OFFICE_TEMPLATE,
    )
    (folder / "verify.html").write_text(text, encoding="utf-8")
    return folder / "verify.html"


def checked(browser: Any, case: dict[str, Any], url: str) -> tuple[str, str, Any]:
    """Open a vector's page, compare the key's fingerprint, and (a publication) drop the
    folder's files on it, as a citizen with the downloaded folder does; the verdict then."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415
    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    status, sentence, report = verdict(browser, url, confirm_key=True)
    if "record" in case:
        return status, sentence, report
    folder = Path(url.removeprefix("file://")).parent / "files" if url.startswith("file:") else None
    assert folder is not None, "publications are dropped from file:// pages"
    paths = sorted(str(p) for p in folder.rglob("*") if p.is_file())
    browser.find_element(By.ID, "populationFiles").send_keys("\n".join(paths))

    def loaded(driver: Any) -> Any:
        done = driver.execute_script("return window.fairdrawLoads") == 1
        return done and driver.execute_script("return window.fairdrawReport")

    WebDriverWait(browser, 60).until(loaded)
    return verdict(browser, None)


CASES = {f"records/{c['name']}": c for c in RECORDS["cases"]} | {
    f"publications/{c['name']}": c for c in PUBLICATIONS["cases"]
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as session:
        yield session


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each vector's page."""
    root = tmp_path_factory.mktemp("pages")
    return {name: page_of(case, root / name) for name, case in CASES.items()}


@pytest.fixture(scope="module")
def server(pages: dict[str, Path]) -> Iterator[str]:
    root = next(iter(pages.values())).parents[2]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_page_agrees_with_every_vector(browser: Any, pages: dict[str, Path], name: str) -> None:
    """Every record and publication vector, opened from file:// once the citizen compared the
    embedded key's fingerprint (a publication's folder dropped on it): the checks, in order,
    and the verdict the vector states (which the Python verifiers give too:
    test_verify_vectors.py, which also checks that the vectors show every verdict)."""
    case = CASES[name]
    status, sentence, report = checked(browser, case, pages[name].as_uri())
    assert statuses(report["checks"]) == expected(case)
    assert status == STATUS[case["expected"]["verdict"]], sentence
    assert sentence
    if status == "fail":
        assert "未通过" in sentence  # said in Chinese by default


def test_served_over_http_the_same(browser: Any, pages: dict[str, Path], server: str) -> None:
    for name in ("records/witnessed-beacon", "records/unwitnessed-beacon"):
        status, _sentence, report = verdict(
            browser, f"{server}/{name}/verify.html", confirm_key=True
        )
        assert status == STATUS[CASES[name]["expected"]["verdict"]], name
        assert statuses(report["checks"]) == expected(CASES[name]), name
    # a publication's page as the office's website serves it: the manifest's signature is
    # checked, but without the files dropped on it, it cannot say that they are as signed
    status, _sentence, report = verdict(
        browser, f"{server}/publications/internal/verify.html", confirm_key=True
    )
    checks = dict(statuses(report["checks"]))
    assert checks["manifest"] == "passed" and checks["manifest.files"] == "not checked"
    assert status == "incomplete"
    # the signed results are embedded too: each row is checked, the files beside it are not
    assert checks["results.entries"] == "passed"
    assert [n for n, s in checks.items() if s != "passed"] == ["manifest.files", "results.files"]


def _share(image: Image.Image, colour: tuple[int, int, int], top: int) -> float:
    """The share of the top ``top`` rows' pixels that are ``colour``."""
    band = image.convert("RGB").crop((0, 0, image.width, min(top, image.height)))
    counts = {c: n for n, c in band.getcolors(maxcolors=band.width * band.height) or []}
    return counts.get(colour, 0) / (band.width * band.height)


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_show_the_verdict_first(
    browser: Any, pages: dict[str, Path], tmp_path: Path, width: int
) -> None:
    for name, shown in (("witnessed-beacon", "pass"), ("single-party", "fail")):
        verdict(browser, pages[f"records/{name}"].as_uri(), confirm_key=True)
        browser.set_window_size(width, 1400)
        shot = screenshot(browser, tmp_path / f"{name}-{width}.png", width)
        image = Image.open(shot)
        assert _share(image, BACKGROUND[shown], 400) > 0.05, (name, width)
        others = [c for s, c in BACKGROUND.items() if s != shown]
        assert all(_share(image, c, 1400) < 0.001 for c in others), (name, width)
        wide = browser.execute_script("return document.documentElement.scrollWidth")
        assert wide <= width, f"{name}: {wide} px wide in a {width} px window"


def test_the_key_the_page_carries_is_trusted_only_once_compared(
    browser: Any, pages: dict[str, Path]
) -> None:
    """A key embedded beside the record comes from the same place as the record: the page shows
    its fingerprint, asks the citizen to compare it with the office's notice, and the record is
    not confirmed until they say it matches (or load the office's key file themselves)."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    status, sentence, report = verdict(browser, pages["records/witnessed-beacon"].as_uri())
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
    browser: Any, pages: dict[str, Path], lang: str
) -> None:
    """The checks run in steps: until the verdict is known, the verdict element is "running"
    (busy, for screen readers), says what the page is doing and how far it is, in the page's
    language; the office key's fingerprint and its button show as soon as the signatures are
    checked, before the long recomputations."""
    page = pages["records/witnessed-beacon"]
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


def test_a_page_carrying_another_key_says_so(browser: Any, pages: dict[str, Path]) -> None:
    """The key the page carries is not the record's signer: the page contradicts its own record,
    so the office key check fails at once, and nothing can be confirmed."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    status, _sentence, report = verdict(browser, pages["records/another-office-key"].as_uri())
    assert status == "fail"
    assert [c["name"] for c in report["checks"] if c["status"] == "failed"] == ["office key"]
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
    browser.set_network_conditions(  # the network off, as a citizen's downloaded copy
        offline=True, latency=0, download_throughput=0, upload_throughput=0
    )
    try:
        status, sentence, report = verdict(browser, page.as_uri(), confirm_key=True)
        fetched = browser.execute_script("return performance.getEntriesByType('resource').length")
    finally:
        browser.delete_network_conditions()
    assert fetched == 0  # the page asked for nothing
    confidential = [
        f"scope 2026-01/{item}/{stratum}: complete recomputation"
        for item in ("MAINT", "USE", "COMM")
        for stratum in ("base", "risk")
    ]
    moves = json.loads((page.parent / "assignment.json").read_text(encoding="utf-8"))["moves"]
    recusal = ["assignment.moves"] if moves else []  # (the demo's dice may give a 回避 move)

    def unchecked_of(report: Any) -> list[str]:
        return sorted(c["name"] for c in report["checks"] if c["status"] == "not checked")

    assert not [c["name"] for c in report["checks"] if c["status"] == "failed"]
    assert status == "incomplete", sentence
    # the files beside the page are not in it: their check waits for them
    assert unchecked_of(report) == sorted(
        [*confidential, "manifest.files", "results.files", *recusal]
    )
    passed = {c["name"] for c in report["checks"] if c["status"] == "passed"}
    assert "scope 2026-01/QUAL: complete recomputation" in passed  # a public list, embedded
    assert {"assignment.deal", "attempts", "demo", "manifest", "results.entries"} <= passed
    assert "西城区人民防空办公室（演示）" in browser.find_element(By.ID, "checks").text

    # The citizen drops the downloaded folder on the page: every file is as the office signed
    # it, and only the confidential lists (and a 回避 move's reason) are left.
    files = sorted(str(p) for p in page.parent.rglob("*") if p.is_file())
    browser.find_element(By.ID, "populationFiles").send_keys("\n".join(files))
    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    WebDriverWait(browser, 60).until(
        lambda d: (
            d.execute_script("return window.fairdrawLoads") == 1
            and d.execute_script("return window.fairdrawReport")
        )
    )
    status, sentence, report = verdict(browser, None)
    assert status == "incomplete", sentence
    assert unchecked_of(report) == sorted([*confidential, *recusal])
    assert dict(statuses(report["checks"]))["manifest.files"] == "passed"
    assert sentence.startswith("演示记录")
    if not moves:
        assert "凡是公众能核验的各项都已通过" in sentence
    assert "office.key.pub" in browser.find_element(By.ID, "keyWhere").text  # [office] key_notice
    assert not browser.find_element(By.ID, "audit").is_displayed()

    # The auditors' copy (never published) carries every list: everything checks out.
    audit = tmp_path / "rfb-demo" / "draws" / "xicheng-demo-2026-01" / "internal" / "verify.html"
    status, sentence, report = verdict(browser, audit.as_uri(), confirm_key=True)
    assert status == "pass", sentence
    assert all(c["status"] == "passed" for c in report["checks"])
    assert "不得公开" in browser.find_element(By.ID, "audit").text

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


def _report_of(browser: Any, draw_id: str, timeout: float = 30.0) -> Any:
    """Wait until the page's report is of ``draw_id`` (files load asynchronously)."""
    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    def ready(driver: Any) -> Any:
        report = driver.execute_script("return window.fairdrawReport")
        return report if report and report.get("draw_id") == draw_id else None

    return WebDriverWait(browser, timeout).until(ready)


def test_files_loaded_by_the_picker(browser: Any, tmp_path: Path) -> None:
    """The empty page (as a citizen keeps it) takes a record, its lists and the office's key file
    from the file pickers; the office's page also takes the publication's other files."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    case = next(c for c in RECORDS["cases"] if c["name"] == "witnessed-beacon")
    (tmp_path / "record.json").write_text(json.dumps(case["record"]), encoding="utf-8")
    lists = []
    for scope, given in case["populations"].items():
        path = tmp_path / f"{scope.replace('/', '_')}.txt"
        path.write_text("\n".join(given["labels"]) + "\n", encoding="utf-8")
        lists.append(str(path))
    (tmp_path / "office.key.pub").write_text(case["public_key"] + "\n", encoding="utf-8")
    empty = tmp_path / "empty.html"
    empty.write_text(verifier_page_template(), encoding="utf-8")
    browser.get(empty.as_uri())
    assert "尚未载入" in browser.find_element(By.ID, "verdict").text
    browser.find_element(By.ID, "recordFile").send_keys(str(tmp_path / "record.json"))
    _report_of(browser, case["record"]["draw_id"])
    browser.find_element(By.ID, "populationFiles").send_keys("\n".join(lists))
    browser.find_element(By.ID, "keyFile").send_keys(str(tmp_path / "office.key.pub"))
    # A confidential list cannot be matched by its digest without its salt: the page asks for
    # its scope and salt, as an auditor holding it gives them.
    confidential = next(scope for scope, given in case["populations"].items() if given["salt"])
    from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: PLC0415

    # (the files are read asynchronously: the form shows once they are)
    row = WebDriverWait(browser, 30).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, "#assign .row")
            and d.find_element(By.CSS_SELECTOR, "#assign .row")
        )
    )
    Select(row.find_element(By.TAG_NAME, "select")).select_by_value(confidential)
    row.find_element(By.TAG_NAME, "input").send_keys(case["populations"][confidential]["salt"])
    row.find_element(By.TAG_NAME, "button").click()

    def passed(driver: Any) -> bool:
        return driver.find_element(By.ID, "verdict").get_attribute("data-status") == "pass"

    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    WebDriverWait(browser, 30).until(passed)
    assert statuses(browser.execute_script("return window.fairdrawReport")["checks"]) == (
        expected(case)
    )

    publication = next(c for c in PUBLICATIONS["cases"] if c["name"] == "redrawn")
    folder = write_files(publication, tmp_path / "publication")
    office = tmp_path / "office.html"
    office.write_text(OFFICE_TEMPLATE, encoding="utf-8")
    browser.get(office.as_uri())
    given = [folder / name for name in publication["files"]]
    browser.find_element(By.ID, "populationFiles").send_keys("\n".join(map(str, given)))
    report = _report_of(browser, file_json(publication, "record.json")["draw_id"])
    checks = dict(statuses(report["checks"]))
    assert checks["supersedes"] == "passed" and checks["assignment.deal"] == "passed"
    assert checks["manifest"] == "passed" and checks["manifest.files"] == "passed"
    assert checks["scope 2026-03/QUAL: complete recomputation"] == "passed"
    assert checks["office key"] == "not checked"  # no key given: never passed on the record's


def verifier_page_template() -> str:
    """fairdraw's page with nothing embedded."""
    return resources.files("fairdraw.data").joinpath("verify.html").read_text(encoding="utf-8")
