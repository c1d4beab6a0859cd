"""The ``rfb`` command as a real process: Chinese by default, English with --lang en."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fairdraw import OfficeKey, event_hash, open_store
from witnessed import WitnessAtHand, witnessed


def rfb(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    code = "from rfb_policy.cli.main import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        cwd=cwd,
        input=stdin,
        timeout=60,
        check=False,
    )


def assert_verify_command_passes(stdout: str) -> None:
    """Run the ``fairdraw verify`` command on the last line (or in the ``sh`` script it names):
    every check passes."""
    command = stdout.strip().splitlines()[-1].split()
    if command[0] == "sh":  # the internal verify.sh (it holds the salts: never printed)
        command = Path(command[1]).read_text(encoding="utf-8").split()
    assert command[:2] == ["fairdraw", "verify"]
    verified = subprocess.run(
        [sys.executable, "-m", "fairdraw", *command[1:], "--json"],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert all(c["status"] == "passed" for c in json.loads(verified.stdout)["checks"])


def test_month_in_chinese_and_english() -> None:
    zh = rfb("month", "2026-10")
    assert zh.returncode == 0, zh.stderr
    assert "抽取日：2026-10-13" in zh.stdout and "顺延" in zh.stdout and "2026-10-23" in zh.stdout
    en = rfb("--lang", "en", "month", "2026-05", "--json")
    assert json.loads(en.stdout) == {
        "month": "2026-05",
        "draw_day": "2026-05-12",
        "moved": True,
        "results_due": "2026-05-25",
        "working_days_left": 9,
        "tight": False,
    }


def test_month_without_official_calendar_is_refused() -> None:
    result = rfb("month", "2027-03")
    assert result.returncode == 7
    assert "没有 2027 年的官方放假安排" in result.stderr


@pytest.mark.parametrize("bad", ["2026-13", "2026/05", "May"])
def test_month_format(bad: str) -> None:
    assert rfb("month", bad).returncode == 2


def test_items() -> None:
    result = rfb("items")
    assert result.returncode == 0
    assert "西城区人防通信警报检查" in result.stdout and "动态原因" in result.stdout
    data = json.loads(rfb("items", "--json").stdout)
    assert [i["code"] for i in data["items"] if i["random"]] == ["QUAL", "MAINT", "USE", "COMM"]
    assert {i["ratio"] for i in data["items"] if i["random"]} == {"100%", "15%"}


def test_import_directories_into_the_store(tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "examples" / "xicheng"
    key = OfficeKey.generate()
    key.save(tmp_path / "office.key", b"correct horse battery")
    db = str(tmp_path / "office.db")
    env = {"FAIRDRAW_KEY_PASSPHRASE": "correct horse battery"}
    common = ("--db", db, "--key", str(tmp_path / "office.key"), "--actor", "张三")
    objects = rfb("import", "objects", str(example / "objects.csv"), *common, env=env)
    assert objects.returncode == 0, objects.stderr
    assert "已导入 300 条检查对象" in objects.stdout
    inspectors = rfb(
        "import",
        "inspectors",
        str(example / "inspectors.csv"),
        "--objects",
        str(example / "objects.csv"),
        *common,
        env=env,
    )
    assert inspectors.returncode == 0, inspectors.stderr
    with open_store(db) as store:
        kinds = [e.payload["name"] for e in store.entries()]
        assert kinds == ["objects", "inspectors"]
        digest = store.entries()[0].payload["population_digest"]
        assert len(store.population(digest)) == 300
        assert store.population_attributes(digest)["XC-RF-2026-001"]["under_construction"] is True
    bad = tmp_path / "bad.csv"
    header = (example / "objects.csv").read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(
        f"{header}\nP-1,项目编号,甲,FIRE,,,,,,,\nP-2,项目编号,,USE,,,,,,,\n", encoding="utf-8"
    )
    refused = rfb("import", "objects", str(bad), *common, env=env)
    assert refused.returncode == 3
    assert "第 2 行，适用事项 列" in refused.stderr and "第 3 行，名称 列" in refused.stderr
    assert "未导入任何数据" in refused.stderr


def test_plan_prints_internal_quotas_and_capacity() -> None:
    example = Path(__file__).parents[2] / "examples" / "xicheng" / "objects.csv"
    result = rfb("plan", "2026", "--objects", str(example), "--objects-per-group", "3")
    assert result.returncode == 0, result.stderr
    assert "内部资料" in result.stdout and "2026-10-13" in result.stdout
    assert "超出各组能力 1 个" in result.stdout  # January: 10 objects, 3 groups × 3
    refused = rfb("plan", "2027", "--objects", str(example))
    assert refused.returncode == 7


def test_plan_in_quota_mode_hidden_says_why_january_draws_none(tmp_path: Path) -> None:
    """Mode hidden (rfb.toml ``[quotas] mode``): the plan's January draws no MAINT, USE or COMM
    object, and the plan says why, and that later months are projected with the largest pad."""
    example = Path(__file__).parents[2] / "examples" / "xicheng" / "objects.csv"
    env = {"FAIRDRAW_KEY_PASSPHRASE": "西城人防 2026"}
    assert rfb("init", env=env, cwd=tmp_path).returncode == 0
    config = tmp_path / "rfb.toml"
    text = config.read_text(encoding="utf-8")
    assert 'mode = "exact"' in text
    config.write_text(text.replace('mode = "exact"', 'mode = "hidden"', 1), encoding="utf-8")
    result = rfb("plan", "2026", "--objects", str(example), env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    january = next(line.split() for line in result.stdout.splitlines() if "2026-01-" in line)
    assert january[3:6] == ["0", "0", "0"], january  # MAINT, USE, COMM
    assert "在当年首月不抽取" in result.stdout and "按最大追加数预估" in result.stdout
    exact = rfb("plan", "2026", "--objects", str(example))
    assert "首月不抽取" not in exact.stdout


def test_demo_runs_a_month_and_its_verify_command_passes(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = rfb("demo", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "项全部通过" in result.stdout and "第1组" in result.stdout
    assert_verify_command_passes(result.stdout)
    with open_store(str(out / "office.db")) as store:
        kinds = [
            e.payload["kind"] if e.kind == "document" else e.kind for e in store.entries()
        ]  # a document entry names the office's own kind of document
    announced = kinds.index("ceremony.announce")
    assert kinds[:2] == ["population.snapshot"] * 2  # the directories
    assert set(kinds[2:announced]) == {"rfb.availability", "population.snapshot"}
    assert kinds[announced:].index("draw.finalised") < kinds.index("approval")
    assert set(kinds[kinds.index("approval") + 1 :]) == {"inspection.result"}
    assert (out / "publication" / "index.html").exists()
    again = rfb("demo", "--out", str(out))
    assert again.returncode == 7 and "已有一个演示" in again.stderr


@pytest.mark.slow
def test_result_and_publish_over_the_store(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert rfb("demo", "--out", str(out)).returncode == 0
    env = {"FAIRDRAW_KEY_PASSPHRASE": (out / "office.key.passphrase").read_text().strip()}
    db = str(out / "office.db")
    record = json.loads((out / "publication" / "record.json").read_text(encoding="utf-8"))
    draw_id = record["draw_id"]
    picked = record["events"][-1]["event"]["body"]["results"][0]["selected"][0]["label"]
    common = ("--actor", "第1组", "--key", str(out / "office.key"), "--db", db)
    late = rfb(
        "result", draw_id, picked, "--category", "发现问题待后续处理", "--handling", "已立案调查",
        "--submitted-on", "2026-01-26", *common, env=env,
    )  # fmt: skip
    assert late.returncode == 0, late.stderr
    assert "逾期" in late.stdout  # due 2026-01-23 (the 25th is a Sunday)
    on_time = rfb(
        "result",
        draw_id,
        picked,
        "--category",
        "未发现问题",
        "--submitted-on",
        "2026-01-23",
        *common,
        env=env,
    )
    assert on_time.returncode == 0 and "逾期" not in on_time.stdout
    assert (
        rfb("result", draw_id, "nobody", "--category", "未发现问题", *common, env=env).returncode
        == 7
    )
    assert rfb("result", draw_id, picked, "--category", "差不多", *common, env=env).returncode == 3
    with open_store(db) as store:
        history = [d.body for d in store.documents("inspection.result", subject=picked)]
    assert [h["late"] for h in history[-2:]] == [True, False]
    key = str(out / "office.key")  # the manifest is signed
    published = rfb(
        "publish", draw_id, "--out", str(tmp_path / "pub"), "--db", db, "--key", key, env=env
    )
    assert published.returncode == 0, published.stderr
    rows = list(csv.DictReader((tmp_path / "pub" / "results.csv").open(encoding="utf-8")))
    row = next(r for r in rows if r["统一社会信用代码/编号"] == picked)
    assert row["检查结果"] == "未发现问题" and row["名称"].endswith("（虚构）")


def test_leader_approval_and_a_stand_in_needs_an_authorisation(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert rfb("demo", "--out", str(out)).returncode == 0
    env = {"FAIRDRAW_KEY_PASSPHRASE": (out / "office.key.passphrase").read_text().strip()}
    draw_id = json.loads((out / "publication" / "record.json").read_text(encoding="utf-8"))[
        "draw_id"
    ]
    common = (
        "--actor",
        "执法宣传科",
        "--key",
        str(out / "office.key"),
        "--db",
        str(out / "office.db"),
    )
    missing = rfb(
        "approve", draw_id, "--leader", "王主任", "--stand-in", "李副主任", *common, env=env
    )
    assert missing.returncode == 2 and "--authorisation" in missing.stderr
    stand_in = rfb(
        "approve", draw_id, "--leader", "王主任", "--stand-in", "李副主任",
        "--authorisation", "西人防授〔2026〕3号", *common, env=env,
    )  # fmt: skip
    assert stand_in.returncode == 0, stand_in.stderr
    assert rfb("approve", "no-such-draw", "--leader", "王主任", *common, env=env).returncode == 6
    with open_store(str(out / "office.db")) as store:
        last = store.approvals(draw_id)[-1]
    assert last.approver == "李副主任" and "西人防授〔2026〕3号" in last.role


@pytest.mark.slow
def test_an_office_month_from_init_to_publication(tmp_path: Path) -> None:
    """The monthly workflow as the office runs it, in a folder made by ``rfb init``."""
    env = {"FAIRDRAW_KEY_PASSPHRASE": "西城人防 2026"}
    example = Path(__file__).parents[2] / "examples" / "xicheng"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return rfb(*args, env=env, cwd=tmp_path)

    made = run("init")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "rfb.toml").exists() and (tmp_path / "office.key.pub").exists()
    assert run("init").returncode == 7  # never overwrites an office
    witnessed(tmp_path)  # a witness with their own key and secret; no beacon (offline)
    handed = ("--witness-dir", str(tmp_path / "handed"))
    witness = WitnessAtHand(tmp_path, tmp_path / "handed").__enter__()
    stranger = tmp_path / "stranger.csv"  # a 回避 entry naming an object not in the directory
    lines = (example / "inspectors.csv").read_text(encoding="utf-8").splitlines()
    stranger.write_text("\n".join([lines[0], lines[1] + "91110102MA9999999X"]), encoding="utf-8")
    for kind in ("objects", "inspectors"):
        imported = run("import", kind, str(example / f"{kind}.csv"), "--actor", "张三")
        assert imported.returncode == 0, imported.stderr
    refused = run("import", "inspectors", str(stranger), "--actor", "张三")
    assert refused.returncode == 3 and "第 2 行，回避对象 列" in refused.stderr
    status = run("month", "2026-02")
    assert status.returncode == 0, status.stderr
    rows = {
        line.split()[0]: line.split()[1:] for line in status.stdout.splitlines() if "科" in line
    }
    assert rows["工程管理科"] == ["0/4", "未确认"] and rows["综合科"] == ["3/3", "免确认"]
    assert "内部资料" in status.stdout
    refused = run("draw", "2026-02", "--leader", "王主任", "--dice", "1" * 50, *handed)
    assert refused.returncode == 7 and "工程管理科" in refused.stderr
    for section in ("工程管理科", "执法宣传科", "通信警报科"):
        confirmed = run(
            "confirm-availability", "2026-02", "--section", section, "--confirmer", "科长"
        )
        assert confirmed.returncode == 0, confirmed.stderr
    assert run("draw", "2026-02", "--leader", "王主任", "--dice", "7" * 50, *handed).returncode == 2
    assert run("draw", "2026-02", "--leader", "王主任", "--dice", "1" * 49, *handed).returncode == 2
    dice = "3 5 1 6 2 4 " * 8 + "1 2"
    drawn = run(
        "draw",
        "2026-02",
        "--leader",
        "王主任",
        "--dice",
        dice,
        "--at",
        "2026-02-03T09:00:00+08:00",
        *handed,
    )
    assert drawn.returncode == 0, drawn.stderr
    assert "第1组" in drawn.stdout and "xicheng-rfb-2026-02" in drawn.stdout
    assert "--salt" not in drawn.stdout  # the confidential lists' salt stays in internal/
    internal = tmp_path / "draws" / "xicheng-rfb-2026-02" / "internal" / "verify.sh"
    assert_verify_command_passes(internal.read_text(encoding="utf-8"))
    record = json.loads((tmp_path / "draws" / "xicheng-rfb-2026-02" / "record.json").read_text())
    assert record["events"][0]["event"]["body"]["participants"][1]["name"] == "王主任"
    announcement = tmp_path / "draws" / "xicheng-rfb-2026-02" / "announcement.json"
    assert json.loads(announcement.read_text(encoding="utf-8")) == record["events"][0]
    assert f"公告摘要 {event_hash(record['events'][0])}" in drawn.stderr
    dice_event = next(e for e in record["events"] if e["event"]["kind"] == "randomness")
    rolls = dice_event["event"]["body"]["value"]["rolls"]
    assert "".join(map(str, rolls)) == dice.replace(" ", "")
    confirm = ("--confirmer", "科长")
    for section in ("工程管理科", "执法宣传科", "通信警报科"):
        assert (
            run("confirm-availability", "2026-03", "--section", section, *confirm).returncode == 0
        )
    typed = rfb(  # the leader types the rolls at the prompt; a wrong line is asked again
        "draw", "2026-03", "--leader", "王主任", "--at", "2026-03-03T09:00:00+08:00", *handed,
        env=env, cwd=tmp_path, stdin="1 2 3\n" + "6" * 50 + "\n",
    )  # fmt: skip
    assert typed.returncode == 0, typed.stderr
    assert "请重新输入：输入了 3 个点数，需要 50 个" in typed.stderr  # in Chinese throughout
    for section in ("工程管理科", "执法宣传科", "通信警报科"):
        assert (
            run("confirm-availability", "2026-04", "--section", section, *confirm).returncode == 0
        )
    walked_out = rfb(  # the prompt is closed before the leader types the rolls
        "draw", "2026-04", "--leader", "王主任", "--at", "2026-04-07T09:00:00+08:00", *handed,
        env=env, cwd=tmp_path, stdin="",
    )  # fmt: skip
    assert walked_out.returncode == 7, walked_out.stderr
    assert "掷骰结果未录入" in walked_out.stderr and "已中止并记录" in walked_out.stderr
    assert "Traceback" not in walked_out.stderr and "Aborted!" not in walked_out.stderr
    planned = run("plan", "2026")
    assert planned.returncode == 0, planned.stderr
    february = next(line for line in planned.stdout.splitlines() if "2026-02-03" in line)
    march = next(line for line in planned.stdout.splitlines() if "2026-03-03" in line)
    assert "已抽取" in february and "已抽取" in march
    assert planned.stdout.count("已抽取") == 2
    again = run("draw", "2026-02", "--leader", "王主任", "--dice", dice, *handed)
    assert (
        again.returncode == 7
        and "已完成抽取" in again.stderr
        and "drawn already" not in again.stderr
    )
    late = run("confirm-availability", "2026-02", "--section", "工程管理科", "--confirmer", "科长")
    assert late.returncode == 7
    approved = run("approve", "2026-02", "--leader", "王主任", "--actor", "张三")
    assert approved.returncode == 0, approved.stderr
    picked = record["events"][-1]["event"]["body"]["results"][0]["selected"][0]["label"]
    result = run("result", "2026-02", picked, "--category", "未发现问题", "--actor", "第1组")
    assert result.returncode == 0, result.stderr
    published = run("publish", "2026-02")
    assert published.returncode == 0, published.stderr
    page = tmp_path / "publication" / "2026-02" / "index.html"
    assert page.exists() and picked in page.read_text(encoding="utf-8")
    checked = run("verify", str(tmp_path / "publication" / "2026-02"))
    assert checked.returncode == 4 and "✗ 演练：" in checked.stdout  # made with --at
    assert "须以下各方共谋：北京市西城区人民防空办公室、李某（演示）（区司法局）" in checked.stdout
    witness.__exit__()
    assert "✓ 分配：轮发：" in checked.stdout


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "2026-1", "2026/01"])
def test_a_bad_month_is_refused_before_anything_is_made(tmp_path: Path, bad: str) -> None:
    """Regression: `rfb demo --month 2026-13` printed a traceback, exited 1 and left a half-made
    office folder with the key's passphrase in it. Every command reads a month one way."""
    out = tmp_path / "demo"
    refused = rfb("demo", "--month", bad, "--out", str(out))
    assert refused.returncode == 2, refused.stderr
    assert "YYYY-MM" in refused.stderr and "Traceback" not in refused.stderr
    assert not out.exists()
    for command in (("month", bad), ("draw", bad, "--leader", "王主任"), ("publish", bad)):
        result = rfb(*command, cwd=tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_demo_that_fails_leaves_no_office_behind(tmp_path: Path) -> None:
    """Regression (review): a demo refused after `rfb init` (here: no official calendar for
    2030) left an office folder with the key's passphrase in it."""
    out = tmp_path / "d2030"
    refused = rfb("demo", "--month", "2030-01", "--out", str(out))
    assert refused.returncode == 7, refused.stderr
    assert "Traceback" not in refused.stderr
    assert not out.exists()


@pytest.mark.slow
def test_errors_end_in_their_exit_status_never_in_a_traceback(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert rfb("demo", "--out", str(out)).returncode == 0
    env = {"FAIRDRAW_KEY_PASSPHRASE": (out / "office.key.passphrase").read_text().strip()}
    config = ("--config", str(out / "rfb.toml"))
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder goes", encoding="utf-8")
    for args, status in (
        (("publish", "2026-01", "--out", str(blocked / "x")), 3),  # cannot write there
        (("publish", "2026-02"), 7),  # not drawn
        (("export", "2026-02"), 7),
        (("approve", "no-such-draw", "--leader", "王主任", "--actor", "x"), 6),
        (("verify", str(tmp_path / "nothing-here")), 4),
    ):
        result = rfb(*config, *args, env=env, cwd=tmp_path)
        assert result.returncode == status, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, args
    english = rfb("--lang", "en", *config, "publish", "2026-02", env=env)
    assert english.stderr.startswith("Error: ")


def test_export_writes_a_lost_draw_folder_again(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert rfb("demo", "--out", str(out)).returncode == 0
    folder = out / "draws" / "xicheng-demo-2026-01"
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    # (the membership receipts are `rfb publish`'s, signed with the office key: not exported)
    drawn = [p for p in folder.rglob("*.json") if "receipts" not in p.relative_to(folder).parts]
    lost = [*drawn, folder / "internal" / "verify.sh"]
    assert folder / "internal" / "lists.json" in lost  # the manifest `rfb verify --internal` reads
    for path in lost:
        path.unlink()
    exported = rfb("--config", str(out / "rfb.toml"), "export", "2026-01")
    assert exported.returncode == 0, exported.stderr
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before


def test_the_written_defaults_offline_with_the_beacon_typed_in(tmp_path: Path) -> None:
    """`rfb init`'s defaults on an office without internet: the drand round's signature is typed
    in (read on a phone) and verified offline. Nobody alone could have chosen the result as
    recorded: the office would have needed the drand network. Without a witness, only the
    office's clock shows it announced before the round, so the check says what to compare
    (not checked, exit 8) rather than passed."""
    example = Path(__file__).parents[2] / "examples" / "xicheng"
    beacon = json.loads(
        (
            Path(__file__).parents[2] / "examples" / "ceremony" / "drand-quicknet-657413.json"
        ).read_text(encoding="utf-8")
    )
    env = {"FAIRDRAW_KEY_PASSPHRASE": "correct horse battery", "RFB_LANG": "zh"}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return rfb(*args, env=env, cwd=tmp_path, stdin=stdin)

    assert run("init").returncode == 0
    for kind in ("objects", "inspectors"):
        assert run("import", kind, str(example / f"{kind}.csv"), "--actor", "张三").returncode == 0
    for section in ("工程管理科", "执法宣传科", "通信警报科"):
        made = run("confirm-availability", "2026-02", "--section", section, "--confirmer", "科长")
        assert made.returncode == 0, made.stderr
    # 20 minutes and a second before round 657413 (2023-09-15T11:00:03Z): the round announced
    drawn = run(
        "draw", "2026-02", "--leader", "王主任", "--dice", "3" * 50,
        "--at", "2023-09-15T10:40:02Z", stdin="not a signature\n" + beacon["signature"] + "\n",
    )  # fmt: skip
    assert drawn.returncode == 0, drawn.stderr
    assert "抄录 drand quicknet 第 657413 轮" in drawn.stderr and "没有见证人" in drawn.stderr
    record_path = tmp_path / "draws" / "xicheng-rfb-2026-02" / "record.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    kinds = [e["event"]["kind"] for e in record["events"]]
    assert kinds == ["announce", "commit", "randomness", "reveal", "randomness", "seed", "draw"]
    checked = subprocess.run(
        [sys.executable, "-m", "fairdraw", "verify", str(record_path), "--json",
         "--public-key", str(tmp_path / "office.key.pub")],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )  # fmt: skip
    assert checked.returncode == 8, checked.stdout + checked.stderr
    steering = json.loads(checked.stdout)["steering"]
    assert steering["status"] == "not checked"
    assert steering["as_recorded"] == [["office", "drand"]]  # nobody alone, as recorded
    assert steering["alone"] == ["office"]  # had it announced after the round
    assert steering["announcement"] in drawn.stderr  # the hash it was told to publish
