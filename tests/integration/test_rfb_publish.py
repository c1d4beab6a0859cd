"""rfb_policy: the monthly disclosure, and the confidential totals that must never be in it."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterable
from fractions import Fraction
from math import ceil
from pathlib import Path

import openpyxl

from rfb_policy.files.directories import read_objects
from rfb_policy.month import Month
from rfb_policy.rules.plan import RiskRule
from rfb_policy.workflow.demo import run_demo

EXAMPLE = Path(__file__).parents[2] / "examples" / "xicheng"


def confidential_totals() -> set[int]:
    """Every count that would reveal a confidential total: populations, strata, targets."""
    objects = [o for o in read_objects(EXAMPLE / "objects.csv") if not o.open_case]
    totals = set()
    for item in ("MAINT", "USE", "COMM"):
        members = [o for o in objects if item in o.items]
        risky = [o for o in members if RiskRule().is_risky(o)]
        base = len(members) - len(risky)
        totals |= {len(members), len(risky), base}
        totals |= {ceil(Fraction(3, 20) * len(members)), ceil(Fraction(3, 20) * base)}
        totals |= {ceil(Fraction(3, 10) * len(risky))}
    return {t for t in totals if t > 9}  # one-digit counts are indistinguishable from ranks


def public_text(folder: Path) -> str:
    parts = [
        (folder / name).read_text(encoding="utf-8")
        for name in ("index.html", "results.csv", "credit.json")
    ]
    # results.json: its rows and the signed bodies (an entry's sequence number counts log
    # entries of every kind, not objects, so it is no total and is not scanned)
    signed = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    parts += [
        json.dumps([r["row"], [s["body"] for s in r["signed"]]], ensure_ascii=False)
        for r in signed["rows"]
    ]
    book = openpyxl.load_workbook(folder / "results.xlsx", read_only=True)
    parts += [
        " ".join(str(c) for c in row if c is not None)
        for row in book.active.iter_rows(values_only=True)
    ]
    return "\n".join(parts)


def numbers(text: str, published: Iterable[str] = ()) -> set[int]:
    """Whole numbers standing alone (dates, hex digests, ids and the published objects' own ids
    and names removed first: a number inside an object's name is not a count)."""
    for words in sorted(published, key=len, reverse=True):
        text = text.replace(words, " ")
    text = re.sub(r"\d{4}-\d{2}(-\d{2})?", " ", text)
    text = re.sub(r"\b\d{1,2}:\d{2}(:\d{2})?\b", " ", text)  # times of day (02:35) are no counts
    return {int(t) for t in re.split(r"[^0-9A-Za-z]+", text) if t.isdigit()}


def test_demo_publishes_a_page_without_confidential_totals(tmp_path: Path) -> None:
    report = run_demo(
        Month(2026, 11), tmp_path / "demo", dice=lambda n: [(7 * i) % 6 + 1 for i in range(n)]
    )
    folder = tmp_path / "demo" / "publication"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "双随机、一公开" in page and "fairdraw verify record.json" in page
    rows = list(csv.DictReader((folder / "results.csv").open(encoding="utf-8")))
    drawn = {o for ids in report.result.drawn.values() for o in ids}
    assert {r["统一社会信用代码/编号"] for r in rows} == drawn
    assert any(r["罚款金额（元）"] == "2000" for r in rows)
    totals = confidential_totals()
    assert totals, "the example data must have confidential totals to look for"
    published = [value for row in rows for value in (row["统一社会信用代码/编号"], row["名称"])]
    leaked = numbers(public_text(folder), published) & totals
    assert not leaked, f"confidential totals in the public exports: {leaked}"
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    for scope in record["events"][0]["event"]["body"]["scopes"]:
        if scope["scope"].split("/")[1] in {"MAINT", "USE", "COMM"}:
            assert scope["population_size"] is None
    credit = json.loads((folder / "credit.json").read_text(encoding="utf-8"))
    assert {e["unified_social_credit_code"] for e in credit["entries"]} <= drawn


def test_the_scan_would_catch_a_leak(tmp_path: Path) -> None:
    """The check above can fail: a page that states a total is caught."""
    totals = confidential_totals()
    leaky = f"维护管理检查对象共 {max(totals)} 处"
    assert numbers(leaky) & totals
    assert numbers(f"示例单位{max(totals)}（虚构）", ["示例单位"]) & totals


def test_the_pages_record_hash_is_over_the_bytes_published(tmp_path: Path) -> None:
    """Regression: the page's SHA-256 of record.json was taken over text that Windows writes
    with CRLF line ends; now it is over the very bytes of the file, written with ``\\n``."""
    run_demo(Month(2026, 2), tmp_path / "demo", dice=lambda n: [(3 * i) % 6 + 1 for i in range(n)])
    folder = tmp_path / "demo" / "publication"
    data = (folder / "record.json").read_bytes()
    assert b"\r" not in data and data.endswith(b"}\n")
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in page
    for name in ("assignment.json", "credit.json"):
        assert b"\r" not in (folder / name).read_bytes()
