"""`rfb demo` shows the full ceremony: a witness with their own key and secret, the leader's
dice, and a recorded drand quicknet beacon (round 657413) typed in on a clock replayed for it.
The record says it is a demonstration, and that marker never makes a failing record pass; a
rehearsal (a replayed clock without it) keeps failing `rfb verify`."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from fairdraw import DrandBeacon, DrandChain, OfficeKey, PolicyError, SourceEntry
from rfb_policy.files.directories import read_inspectors, read_objects
from rfb_policy.files.internal import read_internal
from rfb_policy.model.performer import Performer
from rfb_policy.month import Month
from rfb_policy.publish.verify import is_demonstration, publication_report
from rfb_policy.workflow.clock import Clock
from rfb_policy.workflow.demo import (
    DemoReport,
    demo_clock,
    recorded_beacon,
    recorded_by_hand,
    run_demo,
)
from rfb_policy.workflow.office import Office
from witnessed import new_office, witness_device

ROUND = 657413
EXAMPLE = Path(__file__).parents[2] / "examples"
DRAW = "xicheng-demo-2026-01"
CODE = "from rfb_policy.cli.main import main; main()"


def rfb(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CODE, *args],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    """One demo, made once for the module (tests that change it copy its folder)."""
    folder = tmp_path_factory.mktemp("demo") / "demo"
    return run_demo(Month(2026, 1), folder, dice=lambda n: [(5 * i) % 6 + 1 for i in range(n)])


def record_of(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (folder / "publication" / "record.json").read_text(encoding="utf-8")
    )
    return data


def verify(folder: Path, *extra: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    key = str(folder / "office.key.pub")
    return rfb("--lang", lang, "verify", str(folder / "publication"), "--public-key", key, *extra)


def internal(folder: Path) -> str:
    return str(folder / "draws" / DRAW / "internal")


def test_the_demo_records_the_full_ceremony_with_the_recorded_beacon(demo: DemoReport) -> None:
    record = record_of(demo.folder)
    events = [e["event"] for e in record["events"]]
    assert [e["kind"] for e in events] == [
        "announce", "witness", "commit", "commit", "randomness", "reveal", "reveal",
        "randomness", "seed", "draw",
    ]  # fmt: skip
    announcement = events[0]["body"]
    drand = next(s for s in announcement["sources"] if s["type"] == "drand")
    assert (drand["chain"], drand["round"]) == ("quicknet", ROUND)
    assert drand["round_time"] == "2023-09-15T11:00:03Z"
    beacon = next(e["body"] for e in events if e["body"].get("source") == "drand-beacon")
    assert beacon["value"]["round"] == ROUND
    assert beacon["value"]["signature"] == recorded_beacon()["signature"]
    witnessed = next(e for e in events if e["kind"] == "witness")
    assert witnessed["time"] < drand["round_time"]  # the witness saw it before the round
    # the clock replayed to 20 minutes (and a drand period) before the round, running on
    announced = datetime.fromisoformat(events[0]["time"])
    due = datetime.fromisoformat(drand["round_time"])
    assert timedelta(minutes=20) < due - announced <= timedelta(minutes=20, seconds=3)
    policy = announcement["policy"]
    assert policy["demo"] == "true" and "rehearsal" not in policy
    assert all(isinstance(value, str) for value in policy.values())


def test_the_demo_passes_the_complete_rfb_verify_and_says_it_is_a_demo(demo: DemoReport) -> None:
    checked = verify(demo.folder, "--internal", internal(demo.folder), "--json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    report = json.loads(checked.stdout)
    assert report["verdict"] == "passed"
    assert all(c["status"] == "passed" for c in report["checks"])
    checks = {c["name"]: c["detail"] for c in report["checks"]}
    assert "drand 'drand-beacon'" in checks["public randomness"]
    demo_check = checks["demo"]
    assert "第 657413 轮" not in demo_check  # JSON is English; the Chinese run says it in Chinese
    assert "20 minutes before the recorded drand quicknet round 657413" in demo_check
    assert "fictitious data" in demo_check and "not real" in demo_check
    steering = report["steering"]
    assert steering["status"] == "passed" and steering["alone"] == []
    # as attested, the office and the witness (whose signature alone shows the announcement
    # came before the round); as recorded, the drand network too
    assert steering["coalitions"] == [["office", "witness-1"]]
    assert steering["as_recorded"] == [["office", "witness-1", "drand"]]
    assert steering["parties"]["drand"]["zh"] == "drand 网络"
    said = verify(demo.folder, "--internal", internal(demo.folder))
    assert said.stdout.strip().endswith("演示记录（虚构数据，时间为回放）：全部核验通过")
    english = verify(demo.folder, "--internal", internal(demo.folder), lang="en")
    assert "A demonstration (fictitious data, replayed clock): All passed" in english.stdout
    public = verify(demo.folder)  # a citizen: the confidential lists are not public
    assert public.returncode == 8, public.stdout + public.stderr
    # the six confidential lists' recomputation, and a 回避 move's reason when the witness's
    # random secret gave the draw one (the reasons are internal)
    assignment = json.loads((demo.folder / "publication" / "assignment.json").read_text("utf-8"))
    unchecked = 6 + bool(assignment["moves"])
    assert (
        f"演示记录（虚构数据，时间为回放）：未发现问题，但有 {unchecked} 项无法核验"
        in public.stdout
    )


def test_the_demo_says_what_it_did_and_how_to_check_it(demo: DemoReport) -> None:
    zh = demo.lines("zh")
    text = "\n".join(zh)
    assert "drand quicknet 第 657413 轮（北京时间 2023-09-15 19:00:03 产生）" in text
    assert "仪式时钟回放至该轮之前 20 分钟" in text and "记录中的时间并非真实时间" in text
    assert f"完整核验（含内部名单）：{demo.checks_passed} 项全部通过" in text
    assert demo.checks_passed == len(
        publication_report(
            demo.folder / "publication",
            public_key=OfficeKey.load(
                demo.folder / "office.key",
                (demo.folder / "office.key.passphrase").read_text().strip().encode(),
            ).public,
            populations=read_internal(internal(demo.folder)).populations,
        ).checks
    )
    assert "须以下各方共谋：西城区人民防空办公室（演示）、李某（演示）（区司法局）。" in text
    assert (
        "须以下各方共谋：西城区人民防空办公室（演示）、李某（演示）（区司法局）、drand 网络" in text
    )
    english = "\n".join(demo.lines("en"))
    assert "drand quicknet round 657413 (due 2023-09-15 19:00:03 Beijing time)" in english
    assert "replayed to 20 minutes before that round" in english and "the drand network" in english
    commands = [line.strip() for line in zh if line.startswith(("  rfb ", "  sh "))]
    public, complete, script = commands
    assert shlex.split(complete) == [*shlex.split(public), "--internal", internal(demo.folder)]
    assert shlex.split(public)[:2] == ["rfb", "verify"]
    assert shlex.split(script) == ["sh", str(Path(internal(demo.folder)) / "verify.sh")]
    full = Path(shlex.split(script)[1]).read_text(encoding="utf-8").strip()
    assert full.startswith("fairdraw verify ")
    salts = {p.salt.hex() for p in read_internal(internal(demo.folder)).populations.values()}
    for lang in ("zh", "en"):  # the demo never prints a salt (the script holds them)
        printed = "\n".join(demo.lines(lang))
        assert not any(salt and salt in printed for salt in salts), lang
    assert "verify.html" in text and str(demo.audit_page) in text
    ran = rfb(*shlex.split(complete)[1:])  # the office's command, as printed
    assert ran.returncode == 0 and "全部核验通过" in ran.stdout, ran.stdout + ran.stderr
    assert rfb(*shlex.split(public)[1:]).returncode == 8
    full_check = subprocess.run(
        [sys.executable, "-m", "fairdraw", *shlex.split(full)[1:]],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )  # fmt: skip
    assert full_check.returncode == 0, full_check.stdout + full_check.stderr


def test_the_publication_page_says_it_is_a_demo(demo: DemoReport) -> None:
    page = (demo.folder / "publication" / "index.html").read_text(encoding="utf-8")
    assert "<title>（演示）2026-01" in page and "<h1>（演示）" in page
    assert "drand quicknet 第 657413 轮信标之前 20 分钟，记录中的时间并非真实时间" in page
    assert "本页不是真实的抽查公示" in page


def test_a_tampered_demo_record_still_fails(demo: DemoReport, tmp_path: Path) -> None:
    """The demo marker is a check of its own: it passes nothing that fails."""
    folder = Path(shutil.copytree(demo.folder, tmp_path / "demo"))
    record = record_of(folder)
    draw = record["events"][-1]["event"]["body"]["results"][0]["selected"][0]
    draw["label"] = "91110102MA9999999X"  # another object, as if drawn
    (folder / "publication" / "record.json").write_text(json.dumps(record), encoding="utf-8")
    caught = verify(folder, "--internal", internal(folder))
    assert caught.returncode == 4, caught.stdout + caught.stderr
    assert "✓ 演示：" in caught.stdout and "✗ " in caught.stdout
    assert caught.stdout.strip().endswith("演示记录（虚构数据，时间为回放）：核验未通过")


def test_the_recorded_beacon_is_typed_in_only_for_its_round() -> None:
    """The demo's clock announces round 657413 if the ceremony starts within a drand period of
    it being made; a ceremony that announced another round is refused loudly, not drawn with
    a beacon the demo does not have."""
    chain = DrandChain.named("quicknet")
    clock = demo_clock(ROUND, 20)
    assert clock.replayed and clock.policy_marker == {"demo": "true"}
    assert chain.first_round_after(clock.now() + timedelta(minutes=20)) == ROUND
    clock.pause(3)  # a ceremony starting a period later would announce the next round
    assert chain.first_round_after(clock.now() + timedelta(minutes=20)) == ROUND + 1
    beacon = recorded_beacon()
    assert beacon == json.loads(
        (EXAMPLE / "ceremony" / "drand-quicknet-657413.json").read_text(encoding="utf-8")
    )
    type_in = recorded_by_hand(beacon)
    typed = type_in(SourceEntry.from_json(chain.source_entry("drand-beacon", ROUND)), None)
    assert typed == {"round": ROUND, "signature": beacon["signature"]}
    assert chain.verify(DrandBeacon.from_json(typed)).hex() == beacon["randomness"]
    later = SourceEntry.from_json(chain.source_entry("drand-beacon", ROUND + 1))
    with pytest.raises(PolicyError, match="round 657414, not the recorded round 657413"):
        type_in(later, None)
    with pytest.raises(PolicyError, match="does not verify"):  # never asked again and again
        type_in(SourceEntry.from_json(chain.source_entry("drand-beacon", ROUND)), ValueError())


def test_the_recorded_beacon_is_shipped_in_the_package() -> None:
    """Installed without the repository, the demo reads the beacon from the package data:
    the wheel copies it next to the example directories."""
    import tomllib  # noqa: PLC0415

    pyproject = tomllib.loads((EXAMPLE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    copied = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert copied["examples/ceremony/drand-quicknet-657413.json"] == (
        "rfb_policy/data/example/drand-quicknet-657413.json"
    )


def rehearsed_office(folder: Path) -> tuple[Path, OfficeKey]:
    """An office folder whose month 2026-02 was drawn on a rehearsal's replayed clock (as
    `rfb draw --at`), confirmed and published."""
    config = new_office(folder, office="测试人防办", prefix="t", passphrase=b"passphrase")
    key = OfficeKey.load(config.key, b"passphrase")
    month = Month(2026, 2)
    objects = read_objects(EXAMPLE / "xicheng" / "objects.csv")
    inspectors = read_inspectors(EXAMPLE / "xicheng" / "inspectors.csv")
    rehearsal = Clock(datetime.fromisoformat("2026-02-03T09:00:00+08:00"))
    with Office.open(config, key=key, clock=rehearsal) as office:
        office.import_directories(objects, inspectors, actor="张三")
        for status in office.sections(month):
            if not status.exempt:
                office.confirm_availability(month, status.section, confirmer="科长", actor="张三")
        office.draw(
            month, performer=Performer("王主任"), dice=lambda n: [2] * n, actor="张三",
            witness_desk=witness_device(),
        )  # fmt: skip
        office.approve(month, performer=Performer("王主任"), actor="张三")
        office.publish(month, folder / "publication")
    return folder, key


def test_a_rehearsal_still_fails_and_a_demo_marker_cannot_save_it(tmp_path: Path) -> None:
    folder, key = rehearsed_office(tmp_path / "office")
    lists = read_internal(folder / "draws" / "t-2026-02" / "internal").populations
    report = publication_report(folder / "publication", public_key=key.public, populations=lists)
    assert report.verdict == "failed" and not is_demonstration(report)
    assert [c.name for c in report.failures] == ["rehearsal"]  # nothing else is wrong
    policy = record_of(folder)["events"][0]["event"]["body"]["policy"]
    assert policy["rehearsal"] == "true" and "demo" not in policy
    record = record_of(folder)  # the office's own marker changed after signing: caught
    marked = record["events"][0]["event"]["body"]["policy"]
    marked["demo"] = marked.pop("rehearsal")
    (folder / "publication" / "record.json").write_text(json.dumps(record), encoding="utf-8")
    forged = publication_report(folder / "publication", public_key=key.public, populations=lists)
    assert is_demonstration(forged) and forged.verdict == "failed"
    assert "event signatures and hash chain" in {c.name for c in forged.failures}
    checked = verify(folder, "--internal", str(folder / "draws" / "t-2026-02" / "internal"))
    assert checked.returncode == 4, checked.stdout + checked.stderr
    assert checked.stdout.strip().endswith("演示记录（虚构数据，时间为回放）：核验未通过")
