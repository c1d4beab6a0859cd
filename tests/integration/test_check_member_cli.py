"""`fairdraw check-member` on a real rfb demonstration: rfb writes each confidential object's
receipt when it publishes; a drawn and a not-drawn business each check their own and see why,
in English and Chinese, as text and JSON; a receipt tampered with, replayed against another
record or malformed is refused with the exit status of the other verify commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from fairdraw import MemberReceipt, MembershipTree, Population
from fairdraw_cli import run
from rfb_policy.files.receipts import RECEIPTS_FOLDER
from rfb_policy.month import Month
from rfb_policy.workflow.demo import DemoReport, run_demo

DRAW = "xicheng-demo-2026-01"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    folder = tmp_path_factory.mktemp("member") / "demo"
    return run_demo(Month(2026, 1), folder, dice=lambda n: [(5 * i) % 6 + 1 for i in range(n)])


def receipts_folder(demo: DemoReport) -> Path:
    return demo.folder / "draws" / DRAW / "internal" / RECEIPTS_FOLDER


def record_path(demo: DemoReport) -> Path:
    return demo.folder / "publication" / "record.json"


def results(demo: DemoReport) -> dict[str, dict[str, Any]]:
    record = json.loads(record_path(demo).read_text(encoding="utf-8"))
    return {r["scope"]: r for r in record["events"][-1]["event"]["body"]["results"]}


def receipt_of(demo: DemoReport, scope: str, drawn: bool) -> Path:
    """The receipt of a drawn (or a not-drawn) object of ``scope``."""
    selected = {p["label"] for p in results(demo)[scope]["selected"]}
    for path in sorted((receipts_folder(demo) / scope.replace("/", "_")).iterdir()):
        label = json.loads(path.read_text(encoding="utf-8"))["label"]
        if (label in selected) == drawn:
            return path
    raise AssertionError(f"no {'drawn' if drawn else 'not-drawn'} object in {scope}")


def check(demo: DemoReport, receipt: Path, *extra: str, lang: str = "en") -> Any:
    key = str(demo.folder / "office.key.pub")
    return run(
        "check-member", str(receipt), "--record", str(record_path(demo)), "--public-key", key,
        *extra, lang=lang,
    )  # fmt: skip


def test_rfb_writes_one_receipt_per_object_of_each_confidential_scope(demo: DemoReport) -> None:
    record = json.loads(record_path(demo).read_text(encoding="utf-8"))
    scopes = record["events"][0]["event"]["body"]["scopes"]
    confidential = [s for s in scopes if s["confidential"]]
    assert confidential and all(s["membership"]["size"] == 1024 for s in confidential)
    assert all("membership" not in s for s in scopes if not s["confidential"])
    lists = json.loads(
        (demo.folder / "draws" / DRAW / "internal" / "lists.json").read_text(encoding="utf-8")
    )["lists"]
    for entry in confidential:
        folder = receipts_folder(demo) / entry["scope"].replace("/", "_")
        names = sorted(p.name for p in folder.iterdir())
        listed = demo.folder / "draws" / DRAW / "internal" / lists[entry["scope"]]["file"]
        labels = listed.read_text(encoding="utf-8").splitlines()
        assert len(names) == len(labels)
        assert all(any(n.startswith(f"{label}_") for n in names) for label in labels)
        receipt = MemberReceipt.from_json(json.loads((folder / names[0]).read_text("utf-8")))
        assert receipt.context["month"] == "2026-01" and receipt.context["name"]
    public = demo.folder / "publication"
    assert not any(RECEIPTS_FOLDER in str(p) for p in public.rglob("*"))


@pytest.mark.parametrize("scope", ["2026-01/MAINT/base", "2026-01/USE/base"])
def test_a_drawn_and_a_not_drawn_business_each_see_why(demo: DemoReport, scope: str) -> None:
    last = results(demo)[scope]["selected"][-1]
    drawn = check(demo, receipt_of(demo, scope, drawn=True))
    assert drawn.returncode == 0, drawn.stdout + drawn.stderr
    assert "Result: PASSED: drawn: its score ranks" in drawn.stdout
    assert f"Cut-off: the last drawn (rank {last['rank']}) scored {last['score']}" in drawn.stdout
    not_drawn = check(demo, receipt_of(demo, scope, drawn=False))
    assert not_drawn.returncode == 0, not_drawn.stdout + not_drawn.stderr
    assert "Result: PASSED: not drawn: its score is above the last drawn's" in not_drawn.stdout
    assert "is in the list committed before the seed existed (leaf " in not_drawn.stdout
    assert "of 1024)" in not_drawn.stdout


def test_the_json_report(demo: DemoReport) -> None:
    scope = "2026-01/MAINT/base"
    done = check(demo, receipt_of(demo, scope, drawn=False), "--json", lang="zh")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    last = results(demo)[scope]["selected"][-1]
    assert report["verdict"] == "passed" and report["outcome"] == "not selected"
    assert report["cutoff"] == {
        "mode": "exact", "k": last["rank"], "rank": last["rank"], "score": last["score"],
    }  # fmt: skip
    assert report["score"] > last["score"]
    assert [c["name"] for c in report["checks"]] == [
        "draw record", "receipt signature", "receipt's draw", "membership", "drawn or not drawn",
    ]  # fmt: skip
    assert all(c["status"] == "passed" for c in report["checks"])
    assert "not drawn: its score" in report["checks"][-1]["detail"]  # JSON is never translated


def test_in_chinese(demo: DemoReport) -> None:
    done = check(demo, receipt_of(demo, "2026-01/MAINT/base", drawn=True), lang="zh")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "结果：通过" in done.stdout
    assert "被抽中" in done.stdout
    assert "Result" not in done.stdout and "drawn" not in done.stdout


def test_without_the_public_key_the_check_is_incomplete(demo: DemoReport) -> None:
    receipt = receipt_of(demo, "2026-01/MAINT/base", drawn=True)
    done = run("check-member", str(receipt), "--record", str(record_path(demo)), "--json")
    assert done.returncode == 8
    assert json.loads(done.stdout)["verdict"] == "incomplete"


def test_a_tampered_receipt_fails(demo: DemoReport, tmp_path: Path) -> None:
    receipt = json.loads(receipt_of(demo, "2026-01/MAINT/base", drawn=False).read_text("utf-8"))
    other = receipt_of(demo, "2026-01/MAINT/base", drawn=True)
    receipt["label"] = json.loads(other.read_text("utf-8"))["label"]  # claim another's place
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(receipt), encoding="utf-8")
    done = check(demo, path)
    assert done.returncode == 4
    assert "Result: FAILED" in done.stdout


def test_a_receipt_against_another_record_fails(demo: DemoReport, tmp_path: Path) -> None:
    receipt = receipt_of(demo, "2026-01/MAINT/base", drawn=False)
    for superseded in sorted((demo.folder / "publication").glob("superseded/*.json")):
        done = run("check-member", str(receipt), "--record", str(superseded), "--json")
        assert done.returncode == 4
        return
    copy = tmp_path / "record.json"
    shutil.copy(record_path(demo), copy)
    record = json.loads(copy.read_text(encoding="utf-8"))
    record["draw_id"] = "xicheng-demo-2026-02"
    copy.write_text(json.dumps(record), encoding="utf-8")
    done = run("check-member", str(receipt), "--record", str(copy), "--json")
    assert done.returncode == 4
    checks = {c["name"]: c["status"] for c in json.loads(done.stdout)["checks"]}
    assert checks["draw record"] == "failed" and checks["receipt's draw"] == "failed"


def test_a_malformed_receipt_is_bad_input(demo: DemoReport, tmp_path: Path) -> None:
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps({"format": "fairdraw/member-receipt/v1"}), encoding="utf-8")
    done = check(demo, path)
    assert done.returncode == 3
    assert "member-receipt/v1" in done.stderr


def test_a_plan_announces_a_confidential_scopes_tree(tmp_path: Path) -> None:
    """`fairdraw ceremony announce --plan`: a confidential scope with `membership_size`."""
    from fairdraw_cli import EXAMPLE, EXAMPLE_FILES, PASSPHRASE  # noqa: PLC0415

    for name in EXAMPLE_FILES:
        shutil.copy(EXAMPLE / name, tmp_path / name)
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    salt = "ab" * 32
    plan["scopes"].append(
        {"scope": "2023-09/USE", "labels": "comm-objects.txt", "k": 2, "confidential": True,
         "salt": salt, "membership_size": 256}
    )  # fmt: skip
    (tmp_path / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    env = {"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE}
    for args in (
        ("key", "generate", "office.key"),
        ("participant", "key", "--out", "witness.key", "--id", "witness", "--role", "witness"),
        ("ceremony", "announce", "cer", "--plan", "plan.json", "--key", "office.key",
         "--at", "2023-09-15T09:00:00Z"),
    ):  # fmt: skip
        done = run(*args, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    event = json.loads((tmp_path / "cer/events/000-announce.json").read_text(encoding="utf-8"))
    scopes = {s["scope"]: s for s in event["event"]["body"]["scopes"]}
    labels = (tmp_path / "comm-objects.txt").read_text(encoding="utf-8").splitlines()
    tree = MembershipTree.build(
        Population.of(labels, salt=salt), draw_id=plan["draw_id"], scope="2023-09/USE", size=256
    )
    assert scopes["2023-09/USE"]["membership"] == tree.to_json()
    assert "membership" not in scopes["2023-09/MAINT"]


def test_a_plan_announces_keyed_scores_and_members_check_them(tmp_path: Path) -> None:
    """`"keyed_scores": true` in a plan: the scope's picks are published without scores, the
    record's public checks pass and its recomputation needs the list; a drawn and a not-drawn
    member each check their receipt (with its cut-off picks); a changed cut-off fails."""
    from fairdraw import DrawRecord, OfficeKey, issue_receipts  # noqa: PLC0415
    from fairdraw.labelfile import read_population  # noqa: PLC0415
    from fairdraw_cli import (  # noqa: PLC0415
        CEREMONY,
        EXAMPLE,
        EXAMPLE_FILES,
        KEYS,
        PASSPHRASE,
        POPULATIONS,
    )

    for name in EXAMPLE_FILES:
        shutil.copy(EXAMPLE / name, tmp_path / name)
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    salt, scope = "cd" * 32, "2023-09/USE"
    entry = {"scope": scope, "labels": "comm-objects.txt", "k": 2, "alternates": 1,
             "confidential": True, "salt": salt, "membership_size": 256}  # fmt: skip
    env = {"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE}
    for args in KEYS:
        assert run(*args, cwd=tmp_path, env=env).returncode == 0
    announce = CEREMONY[0][1]
    for bad in ({"keyed_scores": "yes"}, {"keyed_scores": True, "membership_size": None}):
        plan["scopes"] = [*plan["scopes"][:2], {**entry, **bad}]
        (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        done = run(*announce, cwd=tmp_path, env=env)
        assert done.returncode == 3, done.stdout + done.stderr
        assert "keyed" in done.stderr
        shutil.rmtree(tmp_path / "cer", ignore_errors=True)
    plan["scopes"] = [*plan["scopes"][:2], {**entry, "keyed_scores": True}]
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    given = ("--population", f"{scope}=comm-objects.txt", "--salt", f"{scope}={salt}")
    for step, args in CEREMONY:
        done = run(*args, *(given if step == "draw" else ()), cwd=tmp_path, env=env)
        assert done.returncode == 0, f"{step}: {done.stdout}{done.stderr}"
    record = json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))
    result = next(
        r for r in record["events"][-1]["event"]["body"]["results"] if r["scope"] == scope
    )
    assert "score" not in json.dumps(result)
    assert [p["rank"] for p in (*result["selected"], *result["alternates"])] == [1, 2, 3]
    key_pub = str(tmp_path / "office.key.pub")
    verify = ("verify", "record.json", *POPULATIONS, "--public-key", key_pub)
    assert run(*verify, cwd=tmp_path).returncode == 8  # the keyed scope's list is not given
    assert run(*verify, *given, cwd=tmp_path).returncode == 0

    office = OfficeKey.load(tmp_path / "office.key", passphrase=PASSPHRASE.encode())
    read = DrawRecord.from_json(record)
    population = read_population(tmp_path / "comm-objects.txt", salt=salt)
    labels = list(population)
    drawn = result["selected"][0]["label"]
    listed = {p["label"] for p in (*result["selected"], *result["alternates"])}
    not_drawn = next(label for label in labels if label not in listed)
    receipts = issue_receipts(
        population, draw_id=record["draw_id"], scope=scope, size=256,
        announcement=record["events"][0], key=office, result=read.result(scope),
        labels=[drawn, not_drawn],
    )  # fmt: skip
    for label, outcome in ((drawn, "selected"), (not_drawn, "not selected")):
        path = tmp_path / f"{label}.json"
        path.write_text(json.dumps(receipts[label].to_json()), encoding="utf-8")
        done = run("check-member", str(path), "--record", "record.json", "--public-key",
                   key_pub, "--json", cwd=tmp_path)  # fmt: skip
        report = json.loads(done.stdout)
        assert (done.returncode, report["verdict"], report["outcome"]) == (0, "passed", outcome)
        assert report["cutoff"]["rank"] == 2
        text = run("check-member", str(path), "--record", "record.json", "--public-key",
                   key_pub, cwd=tmp_path)  # fmt: skip
        assert "Cut-off: the last drawn (rank 2) scored" in text.stdout
    changed = receipts[not_drawn].to_json()
    changed["cutoff"][0]["opening"] = receipts[drawn].opening
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    done = run("check-member", str(path), "--record", "record.json", "--public-key", key_pub,
               cwd=tmp_path)  # fmt: skip
    assert done.returncode == 4, done.stdout
