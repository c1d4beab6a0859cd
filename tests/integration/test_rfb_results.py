"""Results checked at entry and published with the signed entries they came from (issue 12,
items 4 and 1): the form's rules, the dates, ``rfb result`` as a real process, and ``rfb
verify`` catching a published row that is not its signed result."""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fairdraw import OfficeKey, json_bytes, open_store, speaking
from rfb_policy.errors import ResultError
from rfb_policy.model.result_checks import check_dates, parse_amount
from rfb_policy.model.results import (
    LEGACY_CATEGORIES,
    PROBLEM_CATEGORIES,
    RESULT_CATEGORIES,
    InspectionResult,
)
from rfb_policy.month import Month
from rfb_policy.publish.disclosure import PublicRow, credit_json
from rfb_policy.publish.disclosure import _csv as csv_text
from rfb_policy.publish.disclosure import _xlsx as xlsx_bytes
from rfb_policy.publish.manifest import MANIFEST_NAME, manifest_json
from rfb_policy.publish.verify import publication_report
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.demo import run_demo
from rfb_policy.workflow.office import Office

# -- the fine ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [
        ("5000", 5000),
        ("5,000", 5000),
        ("5,000元", 5000),
        ("5000元整", 5000),
        ("5000.00", 5000),
        ("￥5000", 5000),
        ("５０００", 5000),
        ("５，０００元", 5000),
        (" 20 000 ", 20000),
        ("1,234,567", 1234567),
        (5000, 5000),
        ("", None),
    ],
)
def test_a_fine_is_whole_yuan(typed: Any, yuan: int | None) -> None:
    assert parse_amount(typed) == yuan


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("5000.5", "amount.decimal"),
        ("5000.05", "amount.decimal"),
        ("五千", "amount.text"),
        ("5千元", "amount.text"),
        ("-5000", "amount.negative"),
        ("0", "amount.zero"),
        ("5,00", "amount.text"),
        ("50,00,0", "amount.text"),
        ("٥٠٠٠", "amount.text"),  # Arabic-Indic digits: no office writes them
        ("①", "amount.text"),
        (str(2**53), "amount.large"),
        (True, "amount.text"),
    ],
)
def test_a_fine_that_is_no_whole_yuan_is_refused_naming_the_field(typed: Any, problem: str) -> None:
    """The message is in the run's language alone, naming the field."""
    with speaking("zh"), pytest.raises(ResultError) as in_chinese:
        parse_amount(typed)
    with speaking("en"), pytest.raises(ResultError) as in_english:
        parse_amount(typed)
    zh, en = str(in_chinese.value), str(in_english.value)
    assert (in_chinese.value.field, in_chinese.value.problem) == ("penalty_amount", problem)
    assert (in_english.value.field, in_english.value.problem) == ("penalty_amount", problem)
    assert zh.startswith("罚款金额（--penalty-amount）：") and "fine" not in zh
    assert en.startswith("fine (--penalty-amount): ") and "罚款金额" not in en


def test_an_entered_fine_is_stored_as_an_integer() -> None:
    entered = InspectionResult(
        category="发现问题已责令改正",
        penalty_decision="西人防罚〔2026〕1号",
        penalty_amount="5,000元",
    ).check_entry()
    assert entered.penalty_amount == 5000 and entered.to_json()["penalty_amount"] == 5000
    assert entered.public_fields()["penalty_amount"] == "5000"
    with pytest.raises(ResultError, match=r"5000\.5"):
        InspectionResult(category="发现问题已责令改正", penalty_amount="5000.5").check_entry()
    with pytest.raises(ResultError) as caught:  # a fine is imposed by a decision
        InspectionResult(category="发现问题已责令改正", penalty_amount="5000").check_entry()
    assert (caught.value.field, caught.value.problem) == ("penalty_amount", "penalty.no_decision")


# -- the category and the penalty -------------------------------------------------------------


@pytest.mark.parametrize("category", sorted(set(RESULT_CATEGORIES) - PROBLEM_CATEGORIES))
@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"penalty_amount": "200"}, "penalty_amount"),
        ({"penalty_decision": "西人防罚1号"}, "penalty_decision"),
    ],
)
def test_no_penalty_without_a_problem_found(
    category: str, given: dict[str, str], field: str
) -> None:
    with pytest.raises(ResultError) as caught:
        InspectionResult(category=category, **given).check_entry()  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.problem) == (field, "penalty.without_problem")


@pytest.mark.parametrize("category", sorted(PROBLEM_CATEGORIES - {"发现问题待后续处理"}))
def test_a_penalty_with_a_problem_found(category: str) -> None:
    entered = InspectionResult(
        category=category, penalty_decision="西人防罚〔2026〕1号", penalty_amount="20000"
    ).check_entry()
    assert entered.penalised and entered.penalty_amount == 20000


def test_a_follow_up_is_written_down() -> None:
    with pytest.raises(ResultError) as caught:
        InspectionResult(category="发现问题待后续处理").check_entry()
    assert caught.value.field == "handling"
    entered = InspectionResult(category="发现问题待后续处理", handling="已立案调查").check_entry()
    assert entered.public_fields()["handling"] == "已立案调查"


def test_categories_of_earlier_versions_are_read_but_not_entered() -> None:
    for category in LEGACY_CATEGORIES:
        stored = InspectionResult.from_json({"category": category, "penalty_amount": "5,000元"})
        assert stored.public_fields()["category"] == category
        with pytest.raises(ResultError) as caught:
            stored.check_entry()
        assert caught.value.problem in {"category.legacy", "penalty.without_problem"}
    assert InspectionResult(category="无法联系").check_entry().category == (
        "通过登记的住所（经营场所）无法联系"
    )  # what a clerk types, read as the platform's category
    with speaking("zh"), pytest.raises(ResultError) as caught:
        InspectionResult(category="差不多")
    assert caught.value.problem == "category.unknown" and "未发现问题" in str(caught.value)
    assert str(caught.value).startswith("检查结果（--category）：“差不多”不在规定的检查结果类别中")
    old = InspectionResult.from_json({"category": "不配合检查", "penalty_amount": "五千"})
    assert old.public_fields()["penalty_amount"] == "五千"  # an earlier version's text, as stored


# -- the dates --------------------------------------------------------------------------------

DRAWN = date(2026, 12, 1)
TODAY = date(2026, 12, 20)


@pytest.mark.parametrize(
    ("inspected", "submitted", "field", "problem"),
    [
        (date(2026, 11, 30), None, "inspected_on", "date.before_draw"),
        (None, date(2026, 11, 30), "submitted_on", "date.before_draw"),
        (date(2026, 12, 10), date(2026, 12, 9), "inspected_on", "date.after_submission"),
        (date(2026, 12, 21), date(2026, 12, 21), "inspected_on", "date.future"),
        (date(2026, 12, 10), date(2026, 12, 21), "submitted_on", "date.future"),
    ],
)
def test_impossible_dates_are_refused(
    inspected: date | None, submitted: date | None, field: str, problem: str
) -> None:
    with pytest.raises(ResultError) as caught:
        check_dates(inspected_on=inspected, submitted_on=submitted, drawn_on=DRAWN, today=TODAY)
    assert (caught.value.field, caught.value.problem) == (field, problem)


def test_possible_dates_pass_and_a_late_one_is_flagged() -> None:
    check_dates(inspected_on=DRAWN, submitted_on=TODAY, drawn_on=DRAWN, today=TODAY)
    check_dates(inspected_on=date(2027, 1, 5), submitted_on=None, drawn_on=DRAWN, today=None)
    late = InspectionResult(
        category="未发现问题", submitted_on=date(2026, 12, 26), due=date(2026, 12, 25)
    )
    assert late.late and late.public_fields()["submission"] == "逾期报送"
    with pytest.raises(ResultError) as caught:
        InspectionResult(category="未发现问题", inspected_on="2026/12/1")
    assert caught.value.field == "inspected_on"


# -- rfb result, as a real process ------------------------------------------------------------


def rfb(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "from rfb_policy.cli.main import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True, text=True, encoding="utf-8", env={**os.environ, **env},
        timeout=60, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo office (January 2026, drawn on a replayed clock), its results entered."""
    folder = tmp_path_factory.mktemp("results") / "demo"
    run_demo(Month(2026, 1), folder, dice=lambda n: [(5 * i) % 6 + 1 for i in range(n)])
    return folder


def office_of(folder: Path) -> Office:
    config = OfficeConfig.load(folder / "rfb.toml")
    passphrase = (folder / "office.key.passphrase").read_text(encoding="utf-8").strip()
    return Office.open(config, key=OfficeKey.load(config.key, passphrase.encode()))


def test_the_testers_findings_through_rfb_result(demo: Path, tmp_path: Path) -> None:
    """`--penalty-amount "5,000元"` is stored and published as 5000; a fine on 未发现问题, an
    inspection after its own submission, before the draw or in the future are refused, naming
    the field, in one language; a late one is kept and flagged; findings and 处理情况 published."""
    passphrase = (demo / "office.key.passphrase").read_text(encoding="utf-8").strip()
    env = {"FAIRDRAW_KEY_PASSPHRASE": passphrase}
    record = json.loads((demo / "publication" / "record.json").read_text(encoding="utf-8"))
    draw_id = record["draw_id"]
    picked = [r["id"] for r in json.loads(
        (demo / "publication" / "results.json").read_text(encoding="utf-8"))["rows"]
        for r in [r["row"]]]  # fmt: skip
    common = (
        "--actor",
        "第1组",
        "--key",
        str(demo / "office.key"),
        "--db",
        str(demo / "office.db"),
    )
    fined = rfb(
        "result", draw_id, picked[1], "--category", "发现问题已责令改正",
        "--findings", "防护密闭门未维护", "--handling", "责令限期改正",
        "--penalty-decision", "西人防罚〔2026〕9号", "--penalty-amount", "5,000元",
        "--inspected-on", "2026-01-20", "--submitted-on", "2026-01-27", *common, env=env,
    )  # fmt: skip
    assert fined.returncode == 0, fined.stderr
    assert "逾期" in fined.stdout  # due 2026-01-23: kept, flagged
    refused = {
        "a fine without a problem": (
            ("--category", "未发现问题", "--penalty-amount", "200"), "罚款金额（--penalty-amount）"),
        "after its submission": (
            ("--category", "未发现问题", "--inspected-on", "2026-01-20",
             "--submitted-on", "2026-01-19"), "检查日期（--inspected-on）"),
        "before the draw": (
            ("--category", "未发现问题", "--inspected-on", "2023-09-01"), "早于本月抽取日"),
        "in the future": (
            ("--category", "未发现问题", "--inspected-on", "2999-01-01"), "晚于今天"),
        "decimals": (
            ("--category", "发现问题已责令改正", "--penalty-decision", "西人防罚9号",
             "--penalty-amount", "5000.5"), "不含角、分"),
        "an earlier category": (("--category", "不配合检查"), "旧版的检查结果类别"),
    }  # fmt: skip
    for why, (options, words) in refused.items():
        result = rfb("result", draw_id, picked[2], *options, *common, env=env)
        assert result.returncode == 3, (why, result.stderr)
        assert words in result.stderr and " / " not in result.stderr, why  # Chinese only
        assert "Traceback" not in result.stderr
    english = rfb("--lang", "en", "result", draw_id, picked[2], "--category", "未发现问题",
                  "--penalty-amount", "200", *common, env=env)  # fmt: skip
    assert english.returncode == 3
    assert "fine (--penalty-amount)" in english.stderr and "罚款" not in english.stderr
    with open_store(str(demo / "office.db")) as store:
        body = store.documents("inspection.result", subject=picked[1])[-1].body
    assert body["penalty_amount"] == 5000 and body["late"] is True
    assert body["object_name"]  # the directory's name, vouched for by the signed entry

    out = tmp_path / "published"
    key = ("--key", str(demo / "office.key"), "--db", str(demo / "office.db"))
    published = rfb("publish", draw_id, "--out", str(out), *key, env=env)
    assert published.returncode == 0, published.stderr
    rows = {
        r["统一社会信用代码/编号"]: r
        for r in csv.DictReader((out / "results.csv").open(encoding="utf-8"))
    }
    row = rows[picked[1]]
    assert (row["罚款金额（元）"], row["检查情况"], row["处理情况"], row["报送情况"]) == (
        "5000",
        "防护密闭门未维护",
        "责令限期改正",
        "逾期报送",
    )
    checked = rfb("verify", str(out), "--public-key", str(demo / "office.key.pub"), env=env)
    assert "✓ 检查结果：签名记录：" in checked.stdout and "✓ 检查结果：公示文件：" in checked.stdout
    assert re.search(r"[1-9][0-9]* 个检查对象有更正", checked.stdout)  # the demo's, ours


# -- rfb verify: each published row is the row its signed result makes --------------------------


def resign(folder: Path, key: OfficeKey) -> None:
    """Sign the folder's manifest again over its files as they are (a dishonest office)."""
    old = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    files = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in {MANIFEST_NAME, "verify.html"}
    }
    manifest = manifest_json(files, draw_id=old["draw_id"], month=old["month"], key=key,
                             published=old["published"])  # fmt: skip
    (folder / MANIFEST_NAME).write_bytes(json_bytes(manifest))


def rewrite(folder: Path, value: Any) -> None:
    """results.json as given, and the CSV, XLSX and credit export made again from its rows."""
    shown = [PublicRow(**r["row"]) for r in value["rows"]]
    (folder / "results.json").write_bytes(json_bytes(value))
    (folder / "results.csv").write_bytes(csv_text(shown).encode("utf-8"))
    (folder / "results.xlsx").write_bytes(xlsx_bytes(shown))
    (folder / "credit.json").write_bytes(json_bytes(credit_json(value["month"], shown)))


def statuses(folder: Path, key: OfficeKey) -> dict[str, tuple[str, str]]:
    report = publication_report(folder, public_key=key.public)
    return {
        c.name: (c.status, c.detail)
        for c in report.checks
        if c.name.startswith(("results", "manifest"))
    }


def test_a_published_row_that_is_not_its_signed_result_fails(demo: Path, tmp_path: Path) -> None:
    with office_of(demo) as office:
        key = office.key
        folder = tmp_path / "pub"
        office.publish(Month(2026, 1), folder)
    fine = statuses(folder, key)
    assert {n: s for n, (s, _) in fine.items()} == dict.fromkeys(
        ["manifest", "manifest.files", "results.entries", "results.files"], "passed"
    )
    original = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    fined = next(r for r in original["rows"] if r["row"]["penalty_amount"])
    object_id, amount = fined["row"]["id"], fined["row"]["penalty_amount"]

    changed = copy.deepcopy(original)
    next(r for r in changed["rows"] if r["row"]["id"] == object_id)["row"]["penalty_amount"] = "200"
    rewrite(folder, changed)
    resign(folder, key)
    found = statuses(folder, key)
    assert found["manifest.files"][0] == "passed"  # the manifest signed over the edited files
    assert found["results.entries"][0] == "failed"
    assert (
        f"{object_id}, 罚款金额（元）: '200', the signed result says '{amount}'"
        in (found["results.entries"][1])
    )

    # Only the CSV edited: the file is named, with the object and the column.
    rewrite(folder, original)
    text = (folder / "results.csv").read_text(encoding="utf-8")
    (folder / "results.csv").write_text(text.replace(f",{amount},", ",200,", 1), encoding="utf-8")
    resign(folder, key)
    found = statuses(folder, key)
    assert found["results.entries"][0] == "passed" and found["results.files"][0] == "failed"
    assert f"results.csv, {object_id}, 罚款金额（元）: '200'" in found["results.files"][1]

    # A row dropped from every file: the drawn object is named.
    rewrite(
        folder, {**original, "rows": [r for r in original["rows"] if r["row"]["id"] != object_id]}
    )
    resign(folder, key)
    assert f"{object_id}: drawn, but no row" in statuses(folder, key)["results.entries"][1]


def test_a_result_of_an_earlier_version_publishes_and_verifies(demo: Path, tmp_path: Path) -> None:
    """A body stored before this version (a category since renamed, the fine as text, no name)
    is published as it is read, and its row checks out against its entry."""
    with office_of(demo) as office:
        draw_id = office.draw_id(Month(2026, 1))
        object_id = office.records.record(draw_id).objects[-1]
        office.store.add_document(
            "inspection.result", object_id,
            {"category": "不配合检查", "findings": "", "penalty_decision": "西人防罚〔2025〕1号",
             "penalty_amount": "5,000元", "inspected_on": "2026-01-14", "late": False},
            actor="第2组", key=office.key, draw_id=draw_id,
        )  # fmt: skip
        folder = tmp_path / "pub"
        office.publish(Month(2026, 1), folder)
        key = office.key
    rows = {
        r["统一社会信用代码/编号"]: r
        for r in csv.DictReader((folder / "results.csv").open(encoding="utf-8"))
    }
    assert (rows[object_id]["检查结果"], rows[object_id]["罚款金额（元）"]) == (
        "不配合检查",
        "5000",
    )
    found = statuses(folder, key)
    assert found["results.entries"][0] == "passed", found
    assert found["results.files"][0] == "passed", found
