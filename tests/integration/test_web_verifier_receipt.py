"""The browser verifier checks a business's membership receipt (membership spec v1, section 7)
as `fairdraw check-member` does: on the office's published page of a real `rfb demo`, a drawn
and a not-drawn business each drop their receipt and see why; a tampered receipt fails."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import chromium, screenshot, verdict
from fairdraw import MemberReceipt, PublicKey, check_member
from rfb_policy.files.receipts import RECEIPTS_FOLDER
from rfb_policy.month import Month
from rfb_policy.workflow.demo import DemoReport, run_demo

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
