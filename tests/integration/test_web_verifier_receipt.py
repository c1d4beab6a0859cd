"""The browser verifier checks a business's membership receipt (membership spec v1, section 7)
as `fairdraw check-member` does: on the office's published page of a real `rfb demo`, a drawn
and a not-drawn business each drop their receipt and see why; a tampered receipt fails. Every
receipt case of the membership vectors (tests/vectors/membership-v1.json, keyed scores of
section 9 included) gives in the page the checks, verdict, outcome, score and cut-off the vectors
state, and the vectors' record, whose confidential scopes have keyed scores, verifies in the page
with and without its lists."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import chromium, screenshot, verdict
from fairdraw import MemberReceipt, Population, PublicKey, check_member
from fairdraw.verifier_page import write_verifier_page
from rfb_policy.files.receipts import RECEIPTS_FOLDER
from rfb_policy.month import Month
from rfb_policy.workflow.demo import DemoReport, run_demo

VECTORS = json.loads(
    (Path(__file__).parents[1] / "vectors" / "membership-v1.json").read_text(encoding="utf-8")
)
CHECKS = VECTORS["checks"]
CASES = {c["name"]: c for c in CHECKS["cases"]}
OFFICE_KEY = CHECKS["record"]["events"][0]["event"]["body"]["office_key"]["public_key"]
DRAW = "xicheng-demo-2026-01"
SCOPE = "2026-01/MAINT/base"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as session:
        yield session


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    folder = tmp_path_factory.mktemp("receipt-page") / "demo"
    return run_demo(Month(2026, 1), folder, dice=lambda n: [(5 * i) % 6 + 1 for i in range(n)])


def receipts(demo: DemoReport) -> tuple[Path, Path]:
    """A drawn and a not-drawn object's receipts in MAINT/base."""
    record = json.loads((demo.folder / "publication" / "record.json").read_text("utf-8"))
    result = next(
        r for r in record["events"][-1]["event"]["body"]["results"] if r["scope"] == SCOPE
    )
    drawn = {p["label"] for p in result["selected"]}
    folder = demo.folder / "draws" / DRAW / "internal" / RECEIPTS_FOLDER / SCOPE.replace("/", "_")
    files = sorted(folder.iterdir())
    label = lambda p: json.loads(p.read_text("utf-8"))["label"]  # noqa: E731
    return (
        next(p for p in files if label(p) in drawn),
        next(p for p in files if label(p) not in drawn),
    )


def dropped(browser: Any, receipt: Path) -> Any:
    """Load a receipt with the page's picker; the page's check of it."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415
    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    before = browser.execute_script("return window.fairdrawLoads || 0")
    browser.find_element(By.ID, "receiptFile").send_keys(str(receipt))
    WebDriverWait(browser, 60).until(
        lambda d: (
            d.execute_script("return window.fairdrawLoads || 0") > before
            and d.execute_script("return window.fairdrawMember")
        )
    )
    return browser.execute_script("return window.fairdrawMember")


def expected(demo: DemoReport, receipt: Path) -> dict[str, Any]:
    record = json.loads((demo.folder / "publication" / "record.json").read_text("utf-8"))
    key = PublicKey.load(demo.folder / "office.key.pub")
    read = MemberReceipt.from_json(json.loads(receipt.read_text("utf-8")))
    return check_member(read, record, public_key=key).to_dict()


def test_a_drawn_and_a_not_drawn_business_check_their_receipts_in_the_page(
    browser: Any, demo: DemoReport, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    page = demo.folder / "publication" / "verify.html"
    status, sentence, _report = verdict(browser, page.as_uri(), confirm_key=True)
    assert status == "incomplete", sentence  # the confidential lists are not public
    drawn, not_drawn = receipts(demo)
    for receipt, outcome in ((drawn, "selected"), (not_drawn, "not selected")):
        found = dropped(browser, receipt)
        python = expected(demo, receipt)
        assert [(c["name"], c["status"]) for c in found["checks"]] == [
            (c["name"], c["status"]) for c in python["checks"]
        ]
        assert all(c["status"] == "passed" for c in found["checks"]), found["checks"]
        assert found["verdict"] == python["verdict"] == "passed"
        assert (found["outcome"], found["score"], found["cutoff"]) == (
            outcome, python["score"], python["cutoff"],
        )  # fmt: skip
        text = browser.find_element(By.ID, "member").text
        assert "回执核验通过" in text
        assert ("被抽中：分数在被抽中的" if outcome == "selected" else "未被抽中：分数高于") in text
    shot = screenshot(browser, tmp_path / "receipt.png", 1000, 1800)
    keep = os.environ.get("FAIRDRAW_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "receipt-not-drawn.png").write_bytes(shot.read_bytes())

    data = json.loads(not_drawn.read_text("utf-8"))
    data["label"] = json.loads(drawn.read_text("utf-8"))["label"]  # another's place
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data), encoding="utf-8")
    found = dropped(browser, tampered)
    assert found["verdict"] == "failed"
    statuses = {c["name"]: c["status"] for c in found["checks"]}
    assert statuses["receipt signature"] == statuses["membership"] == "failed"
    assert "回执核验未通过" in browser.find_element(By.ID, "member").text


def _scopes(record: dict[str, Any]) -> list[dict[str, Any]]:
    return list(record["events"][0]["event"]["body"]["scopes"])


def _keyed(scope: str) -> bool:
    entry = next(s for s in _scopes(CHECKS["record"]) if s["scope"] == scope)
    return entry.get("scores") == "keyed"


@pytest.fixture(scope="module")
def vector_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fairdraw's page with the vectors' record and the office's key embedded (no list)."""
    folder = tmp_path_factory.mktemp("receipt-vectors")
    return write_verifier_page(folder, CHECKS["record"], public_key=OFFICE_KEY)


def test_the_vectors_have_keyed_scopes_and_receipts() -> None:
    """The vectors this file runs: a record with keyed scopes in both modes, and keyed receipts
    that pass (each with its cut-off picks) and that fail."""
    keyed = [s for s in _scopes(CHECKS["record"]) if s.get("scores") == "keyed"]
    assert {s["mode"] for s in keyed} == {"exact", "rate"}
    receipts = [c for c in CHECKS["cases"] if _keyed(c["receipt"]["scope"])]
    good = [c for c in receipts if c["expected"]["verdict"] != "failed"]
    assert good and all("cutoff" in c["receipt"] for c in good)
    assert {c["expected"]["verdict"] for c in receipts} == {"incomplete", "failed"}
    assert {c["expected"]["outcome"] for c in good} == {"selected", "alternate", "not selected"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_receipt_vector_in_the_page(
    browser: Any, vector_page: Path, tmp_path: Path, name: str
) -> None:
    """Each receipt case dropped on the page (the key's fingerprint compared, as a member does):
    what the page finds is what the vectors say `fairdraw check-member` finds."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    case = CASES[name]
    if browser.current_url != vector_page.as_uri():
        verdict(browser, vector_page.as_uri(), confirm_key=True)
    receipt = tmp_path / f"{name}.json"
    receipt.write_text(json.dumps(case["receipt"], ensure_ascii=False), encoding="utf-8")
    found = dropped(browser, receipt)
    want = case["expected"]
    assert [[c["name"], c["status"]] for c in found["checks"]] == want["checks"], found["checks"]
    assert found["verdict"] == want["verdict"]
    if want["verdict"] != "failed":
        assert (found["outcome"], found["rank"], found["score"], found["cutoff"]) == (
            want["outcome"], want["rank"], want["score"], want["cutoff"],
        )  # fmt: skip
    text = browser.find_element(By.ID, "member").text
    assert ("回执核验未通过" if want["verdict"] == "failed" else "回执没有发现错误") in text
    keyed = _keyed(case["receipt"]["scope"]) and want["verdict"] != "failed"
    assert ("分数以各成员的开启值为键" in text) is keyed


def test_a_keyed_not_drawn_member_sees_its_score_and_the_cutoff(
    browser: Any, vector_page: Path, tmp_path: Path
) -> None:
    """The receipt check of a not-drawn member of a scope with keyed scores, in Chinese: passed,
    why it was not drawn, its score and the cut-off; a screenshot of it
    (FAIRDRAW_SCREENSHOTS=DIR keeps it as receipt-keyed-not-drawn.png)."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    case = next(
        c
        for c in CHECKS["cases"]
        if _keyed(c["receipt"]["scope"])
        and c["expected"]["outcome"] == "not selected"
        and c["expected"]["verdict"] != "failed"
        and c["expected"]["cutoff"]["mode"] == "exact"
    )
    verdict(browser, vector_page.as_uri(), confirm_key=True)
    receipt = tmp_path / "keyed-not-drawn.json"
    receipt.write_text(json.dumps(case["receipt"]), encoding="utf-8")
    found = dropped(browser, receipt)
    assert found["outcome"] == "not selected" and found["verdict"] == "incomplete"
    text = browser.find_element(By.ID, "member").text
    assert "未被抽中：分数高于最后一个被抽中者" in text
    assert case["expected"]["score"] in text and case["expected"]["cutoff"]["score"] in text
    assert "分界：最后一个被抽中者（第 " in text
    shot = screenshot(browser, tmp_path / "receipt-keyed.png", 1000, 2200)
    keep = os.environ.get("FAIRDRAW_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "receipt-keyed-not-drawn.png").write_bytes(shot.read_bytes())


def test_the_keyed_record_verifies_in_the_page(browser: Any, tmp_path: Path) -> None:
    """The vectors' record: without its lists every check the public can make passes, a keyed
    scope's published picks included, and only the lists' complete recomputations (and, nobody
    having witnessed the announcement, the analysis of who could have steered) are not made;
    with the lists and their salts, every scope is drawn again identically, keyed ones over
    their members' openings. A keyed scope's checks are said in the page's words for them."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    record = CHECKS["record"]
    steering = "who could have chosen the outcome"
    lists = {
        scope: Population.of(p["labels"], salt=p["salt"] or None)
        for scope, p in CHECKS["populations"].items()
    }
    for given in ({}, lists):
        page = write_verifier_page(
            tmp_path / ("lists" if given else "public"), record, public_key=OFFICE_KEY,
            populations=given,
        )  # fmt: skip
        status, sentence, report = verdict(browser, page.as_uri(), confirm_key=True)
        assert status == "incomplete", sentence
        for check in report["checks"]:
            if check["name"] == steering:
                want = "not checked"
            elif check["name"].endswith(": complete recomputation"):
                want = "passed" if given else "not checked"
            else:
                want = "passed"
            assert check["status"] == want, check
        names = [c["name"] for c in report["checks"]]
        for entry in _scopes(record):
            for what in ("published scores", "complete recomputation"):
                assert f"scope {entry['scope']}: {what}" in names
        text = browser.find_element(By.ID, "checks").text
        keyed = next(s["scope"] for s in _scopes(record) if s.get("scores") == "keyed")
        assert f"范围 {keyed}：分数以各成员的开启值为键，不予公布" in text
        if given:
            assert f"范围 {keyed}：用完整名单及其盐值算出每个成员的开启值" in text


@pytest.mark.parametrize("name", [c["name"] for c in CHECKS["tampered"]])
def test_every_tampered_keyed_record_in_the_page(browser: Any, tmp_path: Path, name: str) -> None:
    """The vectors' record with its results changed and signed again: the page reports, without
    the lists and with them, the checks and verdicts the vectors state."""
    case = next(c for c in CHECKS["tampered"] if c["name"] == name)
    record = dict(CHECKS["record"])
    record["events"] = [*record["events"][:-1], case["draw_event"]]
    record["signature"] = case["signature"]
    lists = {
        scope: Population.of(p["labels"], salt=p["salt"] or None)
        for scope, p in CHECKS["populations"].items()
    }
    want = case["expected"]
    for given, checks, verdict_ in (
        ({}, want["checks"], want["verdict"]),
        (lists, want["checks_with_lists"], want["verdict_with_lists"]),
    ):
        folder = tmp_path / ("lists" if given else "public")
        page = write_verifier_page(folder, record, public_key=OFFICE_KEY, populations=given)
        status, sentence, report = verdict(browser, page.as_uri(), confirm_key=True)
        assert [[c["name"], c["status"]] for c in report["checks"]] == checks
        assert report["verdict"] == verdict_
        assert status == {"passed": "pass", "failed": "fail", "incomplete": "incomplete"}[verdict_]
        assert sentence
