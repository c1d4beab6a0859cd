"""A public lottery draw as the outside source: announced, waited for, typed in with --resume.

An office on an intranet without a beacon names a 福彩3D (or 双色球) draw in the announcement;
the ceremony pauses after the reveals, and is finished once the numbers are published. Each
run is a real process over a real SQLite office folder, on a replayed clock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest

from fairdraw import (
    Ceremony,
    OfficeKey,
    PolicyError,
    event_hash,
    open_store,
    outcome_known_before_abort,
)
from rfb_policy.errors import ConfigError
from rfb_policy.rules.lottery import GAMES, lottery_game
from rfb_policy.workflow.clock import BEIJING, Clock
from rfb_policy.workflow.config import CONFIG_NAME, OfficeConfig
from rfb_policy.workflow.records import OfficeRecords
from rfb_policy.workflow.resuming import add_outside_values
from rfb_policy.workflow.values import CeremonySteps, quiet

EXAMPLE = Path(__file__).parents[2] / "examples" / "xicheng"
ENV = {"FAIRDRAW_KEY_PASSPHRASE": "correct horse battery", "RFB_LANG": "zh"}
FC3D, SSQ = GAMES["fc3d"], GAMES["ssq"]


def rfb(folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from rfb_policy.cli.main import main; main()", *args],
        capture_output=True, text=True, encoding="utf-8", env={**os.environ, **ENV},
        cwd=folder, input=stdin, timeout=60, check=False,
    )  # fmt: skip


def lottery_office(folder: Path, game: str = "fc3d") -> None:
    """`rfb init`, no beacon, the lottery ``game``; the example directories; every section
    confirmed for 2026-02."""
    assert rfb(folder, "init").returncode == 0
    config = folder / CONFIG_NAME
    text = config.read_text(encoding="utf-8").replace('chain = "quicknet"', 'chain = ""')
    config.write_text(text.replace('game = ""', f'game = "{game}"'), encoding="utf-8")
    for kind in ("objects", "inspectors"):
        done = rfb(folder, "import", kind, str(EXAMPLE / f"{kind}.csv"), "--actor", "张三")
        assert done.returncode == 0, done.stderr
    for section in ("工程管理科", "执法宣传科", "通信警报科"):
        done = rfb(folder, "confirm-availability", "2026-02", "--section", section,
                   "--confirmer", "科长")  # fmt: skip
        assert done.returncode == 0, done.stderr


def events_of(folder: Path, draw_id: str) -> list[str]:
    with open_store(folder / "office.db") as store:
        log = store.ceremony(draw_id)
        assert log is not None
        return [e.kind for e in log.events]


# -- the games --------------------------------------------------------------------------------


def test_3d_numbers_keep_their_order_and_ssq_sorts_the_red_balls() -> None:
    assert FC3D.parse("3 7 1") == FC3D.parse("371") == [[3], [7], [1]]
    assert FC3D.parse("0,0,9") == [[0], [0], [9]]
    assert SSQ.parse("31 07 12 03 25 19 + 09") == [[3, 7, 12, 19, 25, 31], [9]]
    assert SSQ.parse("3 7 12 19 25 31 | 16") == [[3, 7, 12, 19, 25, 31], [16]]


@pytest.mark.parametrize(
    ("game", "typed", "says"),
    [
        ("fc3d", "3 7", "three digits"),
        ("fc3d", "3 7 1 2", "three digits"),
        ("fc3d", "3 7 x", "three digits"),
        ("ssq", "03 07 12 19 25 31 09", "put +"),
        ("ssq", "03 07 12 19 25 + 09", "six different red balls"),
        ("ssq", "03 03 12 19 25 31 + 09", "six different red balls"),
        ("ssq", "03 07 12 19 25 34 + 09", "six different red balls"),
        ("ssq", "03 07 12 19 25 31 + 17", "one blue ball"),
        ("ssq", "03 07 12 19 25 31 + 09 10", "one blue ball"),
    ],
)
def test_numbers_that_are_not_a_draw_are_refused_saying_why(
    game: str, typed: str, says: str
) -> None:
    with pytest.raises(PolicyError, match=says):
        lottery_game(game).parse(typed)


def test_the_next_draw_is_strictly_after_and_on_a_drawing_day() -> None:
    at = time(21, 15)

    def local(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=BEIJING)

    tuesday_morning = local("2026-02-03T09:30")  # a Tuesday
    assert FC3D.next_draw(tuesday_morning, at) == local("2026-02-03T21:15")
    assert SSQ.next_draw(tuesday_morning, at) == local("2026-02-03T21:15")
    assert FC3D.next_draw(local("2026-02-03T21:15"), at) == local("2026-02-04T21:15")
    assert SSQ.next_draw(local("2026-02-03T21:15"), at) == local("2026-02-05T21:15")  # Thursday
    assert SSQ.next_draw(local("2026-02-06T08:00"), at) == local("2026-02-08T21:15")  # Sunday
    assert SSQ.next_draw(local("2026-02-08T22:00"), at) == local("2026-02-10T21:15")
    with pytest.raises(PolicyError, match="unknown lottery game"):
        lottery_game("dlt")


def test_the_lottery_setting_is_checked_and_counts_as_an_outside_source(tmp_path: Path) -> None:
    defaults = OfficeConfig.defaults(tmp_path)
    assert defaults.lottery is None and defaults.lottery_time == time(21, 15)
    assert rfb(tmp_path, "init").returncode == 0
    config = tmp_path / CONFIG_NAME
    written = config.read_text(encoding="utf-8").replace('chain = "quicknet"', 'chain = ""')
    config.write_text(written, encoding="utf-8")
    with pytest.raises(ConfigError, match="single_party_reason"):
        OfficeConfig.load(config)  # no beacon, no lottery, no witness, no reason
    config.write_text(written.replace('game = ""', 'game = "ssq"'), encoding="utf-8")
    assert OfficeConfig.load(config).lottery == SSQ
    config.write_text(written.replace('game = ""', 'game = "dlt"'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[lottery\] game is 'dlt'"):
        OfficeConfig.load(config)
    bad_time = written.replace('game = ""', 'game = "fc3d"').replace('"21:15"', '"nine"')
    config.write_text(bad_time, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[lottery\] draw_time is 'nine'"):
        OfficeConfig.load(config)
    before = "\n".join(line for line in written.splitlines() if "draw_time" not in line)
    config.write_text(before.replace('game = ""', 'game = "fc3d"'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[lottery\] draw_time"):
        OfficeConfig.load(config)  # a table given must be whole


# -- a month drawn with a lottery -------------------------------------------------------------


def test_the_ceremony_pauses_for_the_lottery_and_resume_finishes_it(tmp_path: Path) -> None:
    lottery_office(tmp_path)
    draw_id = "xicheng-rfb-2026-02"
    started = rfb(tmp_path, "draw", "2026-02", "--leader", "王主任", "--dice", "3" * 50,
                  "--at", "2026-02-03T09:30:00+08:00")  # fmt: skip
    assert started.returncode == 0, started.stderr
    assert "等待开奖" in started.stdout and "--resume" in started.stdout
    assert "2026-02-03 21:15:00（北京时间）" in started.stdout
    assert events_of(tmp_path, draw_id) == ["announce", "commit", "randomness", "reveal"]
    folder = tmp_path / "draws" / draw_id
    announced = json.loads((folder / "announcement.json").read_text(encoding="utf-8"))
    sources = {s["id"]: s for s in announced["event"]["body"]["sources"]}
    assert sources["lottery"]["publisher"] == "中国福利彩票发行管理中心"
    assert sources["lottery"]["time"] == "2026-02-03T13:15:00Z"  # 21:15 Beijing time
    assert not (folder / "record.json").exists()
    # the publication step was logged before any value nobody present controls
    with open_store(tmp_path / "office.db") as store:
        published = store.documents("rfb.announcement-published", subject=draw_id)
        assert [d.body["announcement"] for d in published] == [event_hash(announced)]
        order = [
            e.kind
            for e in store.entries()
            if draw_id in (e.payload.get("draw_id"), e.payload.get("subject"))
        ]
        assert order.index("document") < order.index("ceremony.commit")  # before any secret
        assert published[0].body["files"] == [str(folder / "announcement.json")]

    # a plain `rfb draw` leaves the waiting ceremony alone, and says what to do
    again = rfb(tmp_path, "draw", "2026-02", "--leader", "王主任", "--dice", "3" * 50)
    assert again.returncode != 0 and "正在等待开奖" in again.stderr
    assert events_of(tmp_path, draw_id) == ["announce", "commit", "randomness", "reveal"]

    # before the draw: refused, nothing stored
    early = rfb(tmp_path, "draw", "2026-02", "--resume", "--numbers", "371",
                "--at", "2026-02-03T21:00:00+08:00")  # fmt: skip
    assert early.returncode == 7 and "尚未开奖" in early.stderr  # a policy refusal
    assert events_of(tmp_path, draw_id) == ["announce", "commit", "randomness", "reveal"]

    # after it: a mistyped line is asked again; the numbers as published finish the draw
    done = rfb(tmp_path, "draw", "2026-02", "--resume", "--numbers", "3 7",
               "--at", "2026-02-03T21:40:00+08:00", stdin="3 7 1\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "请重新输入" in done.stderr and "三个" not in done.stderr
    assert "抽取完成" in done.stdout
    assert events_of(tmp_path, draw_id)[4:] == ["randomness", "seed", "draw"]
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    value = next(
        e["event"]["body"]["value"]
        for e in record["events"]
        if e["event"]["body"].get("source") == "lottery"
    )
    assert value == {"numbers": [[3], [7], [1]]}
    checked = subprocess.run(
        [sys.executable, "-m", "fairdraw", "verify", str(folder / "record.json"), "--json",
         "--public-key", str(tmp_path / "office.key.pub")],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )  # fmt: skip
    report = json.loads(checked.stdout)
    failed = [c for c in report["checks"] if c["status"] == "failed"]
    assert not failed, failed
    steering = report["steering"]
    assert ["office"] not in steering["as_recorded"]  # nobody alone, as recorded
    assert any("中国福利彩票发行管理中心" in group for group in steering["as_recorded"])

    # the month published, and checked with the numbers a citizen looked up (a rehearsal on a
    # replayed clock: that check fails, and only that one)
    assert (
        rfb(tmp_path, "approve", "2026-02", "--leader", "王主任", "--actor", "张三").returncode == 0
    )
    assert rfb(tmp_path, "publish", "2026-02").returncode == 0
    words = ["verify", "publication/2026-02", "--public-key", "office.key.pub", "--json",
             "--internal", f"draws/{draw_id}/internal"]  # fmt: skip

    def statuses(*more: str) -> dict[str, str]:
        checked = rfb(tmp_path, *words, *more)
        assert checked.returncode == 4, checked.stderr
        found = {c["name"]: c["status"] for c in json.loads(checked.stdout)["checks"]}
        assert [n for n, status in found.items() if status == "failed"] in (
            ["rehearsal"],
            ["public records", "rehearsal"],
        )
        return found

    assert statuses()["public records"] == "not checked"
    assert statuses("--public-record", "lottery=3/7/1")["public records"] == "passed"
    assert statuses("--public-record", "lottery=3/7/2")["public records"] == "failed"
    unknown = rfb(tmp_path, *words, "--public-record", "drand=1/2/3")
    assert unknown.returncode == 3 and "drand" in unknown.stderr
    assert rfb(tmp_path, *words, "--public-record", "3/7/1").returncode == 2  # no ID=

    # resuming once more: nothing waits
    twice = rfb(tmp_path, "draw", "2026-02", "--resume", "--numbers", "371")
    assert twice.returncode != 0 and "没有等待" in twice.stderr


def paused_then_aborted(folder: Path, game: str, reason: str, at: str) -> dict[str, Any]:
    """A month paused for its lottery draw, then aborted with ``reason`` at ``at``: its record."""
    lottery_office(folder, game)
    started = rfb(folder, "draw", "2026-02", "--leader", "王主任", "--dice", "3" * 50,
                  "--at", "2026-02-03T09:30:00+08:00")  # fmt: skip
    assert started.returncode == 0, started.stderr
    aborted = rfb(folder, "draw", "2026-02", "--leader", "王主任", "--dice", "3" * 50,
                  "--abort-unfinished", reason, "--at", at)  # fmt: skip
    assert aborted.returncode != 0 and "--redraw-reason" in aborted.stderr  # a new attempt
    with open_store(folder / "office.db") as store:
        record = store.record("xicheng-rfb-2026-02")
    assert record is not None
    assert record["events"][-1]["event"]["kind"] == "abort"
    return record


def test_a_waiting_ceremony_aborted_after_the_draw_says_so(tmp_path: Path) -> None:
    """The lottery was not held (or the office gives up): --abort-unfinished aborts it; after
    the draw was due, the reason says its numbers could be known."""
    record = paused_then_aborted(tmp_path, "ssq", "当期休市", "2026-02-04T09:30:00+08:00")
    reason = record["events"][-1]["event"]["body"]["reason"]
    assert "当期休市" in reason and "开奖时间" in reason
    assert outcome_known_before_abort(record) is True  # the numbers were public by then


def test_a_waiting_ceremony_aborted_before_the_draw_was_due_hid_nothing(tmp_path: Path) -> None:
    record = paused_then_aborted(tmp_path, "fc3d", "停电", "2026-02-03T12:00:00+08:00")
    assert record["events"][-1]["event"]["body"]["reason"] == "仪式中断 / 停电"
    assert outcome_known_before_abort(record) is False


def test_no_outside_value_comes_before_the_announcement_is_logged_as_published(
    tmp_path: Path,
) -> None:
    """The publication step is the gate: with no (or another) announcement logged as written
    for publication, the lottery's numbers are refused and nothing is stored."""
    lottery_office(tmp_path)
    started = rfb(tmp_path, "draw", "2026-02", "--leader", "王主任", "--dice", "3" * 50,
                  "--at", "2026-02-03T09:30:00+08:00")  # fmt: skip
    assert started.returncode == 0, started.stderr
    key = OfficeKey.load(tmp_path / "office.key", ENV["FAIRDRAW_KEY_PASSPHRASE"].encode())
    with open_store(tmp_path / "office.db") as store:
        log = store.ceremony("xicheng-rfb-2026-02")
        assert log is not None
        steps = CeremonySteps(
            Ceremony([e.raw for e in log.events], key),
            OfficeRecords(store),
            key,
            "张三",
            Clock(datetime(2026, 2, 3, 14, 0, tzinfo=UTC)),
        )
        assert OfficeRecords(store).published_announcement(log.draw_id) == log.events[0].hash
        for published in (None, "0" * 64):
            with pytest.raises(PolicyError, match="not logged as written for publication"):
                add_outside_values(
                    steps, log.awaiting, published=published, client=None, say=quiet,
                    relays=(), beacon_by_hand=None, always_by_hand=False,
                    numbers=lambda *_: "3 7 1", populations={},
                )  # fmt: skip
        after = store.ceremony(log.draw_id)
        assert after is not None and len(after.events) == len(log.events)


def test_a_beacon_and_a_lottery_draw_in_one_ceremony(tmp_path: Path) -> None:
    """Both outside sources: the drand round (typed in) is added at once, the ceremony then
    waits for the evening's 福彩3D draw; the record with two beacon-class values verifies."""
    lottery_office(tmp_path)
    config = tmp_path / CONFIG_NAME
    text = config.read_text(encoding="utf-8").replace('chain = ""', 'chain = "quicknet"')
    config.write_text(text.replace("by_hand = false", "by_hand = true"), encoding="utf-8")
    beacon = json.loads(
        (
            Path(__file__).parents[2] / "examples" / "ceremony" / "drand-quicknet-657413.json"
        ).read_text(encoding="utf-8")
    )
    started = rfb(tmp_path, "draw", "2026-02", "--leader", "王主任", "--dice", "3" * 50,
                  "--at", "2023-09-15T10:40:02Z", stdin=beacon["signature"] + "\n")  # fmt: skip
    assert started.returncode == 0, started.stderr
    assert "等待开奖" in started.stdout
    draw_id = "xicheng-rfb-2026-02"
    assert events_of(tmp_path, draw_id)[-1] == "randomness"  # the beacon, before the pause
    done = rfb(tmp_path, "draw", "2026-02", "--resume", "--numbers", "0 5 9",
               "--at", "2023-09-15T13:30:00Z")  # fmt: skip
    assert done.returncode == 0, done.stderr
    record = tmp_path / "draws" / draw_id / "record.json"
    checked = subprocess.run(
        [sys.executable, "-m", "fairdraw", "verify", str(record), "--json",
         "--public-key", str(tmp_path / "office.key.pub"), "--public-record", "lottery=0/5/9"],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )  # fmt: skip
    report = json.loads(checked.stdout)
    failed = [c for c in report["checks"] if c["status"] == "failed"]
    assert not failed, failed
    assert {c["name"]: c["status"] for c in report["checks"]}["public records"] == "passed"
