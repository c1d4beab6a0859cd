"""`rfb draw` as real processes: officers racing to draw one month, and draws killed mid-flight.

Nothing here is mocked: each officer is a real `rfb` process on a real SQLite file or a real
PostgreSQL server, released at one moment by a handshake (tests/support/racers.py), or killed with
SIGKILL at a seeded pseudo-random moment.
"""

from __future__ import annotations

import json
import os
import random
import shlex
import shutil
import signal
import time
from datetime import datetime
from pathlib import Path

import pytest

from fairdraw import OfficeKey, PolicyError, Population, open_store, speaking, verify_record
from racers import RFB, race
from rfb_policy.files.directories import read_inspectors, read_objects
from rfb_policy.model.performer import Performer
from rfb_policy.month import Month
from rfb_policy.workflow.clock import Clock
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.folder import init_office
from rfb_policy.workflow.office import Office
from witnessed import office_alone, witness_device, witnessed

EXAMPLE = Path(__file__).parents[2] / "examples" / "xicheng"
OBJECTS = read_objects(EXAMPLE / "objects.csv")
INSPECTORS = read_inspectors(EXAMPLE / "inspectors.csv", object_ids=[o.id for o in OBJECTS])
PASSPHRASE = "西城人防 崩溃测试"
ENV = {**os.environ, "FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE}
ROLLS = [n % 6 + 1 for n in range(50)]
DICE = "".join(map(str, ROLLS))


def make_office(
    folder: Path, months: list[Month], database: str | None = None, *, witness: bool = False
) -> OfficeConfig:
    """An office folder with the example directories and every section's confirmation; with
    a witness (who signs in this process), or else run by the office alone (a stated reason)."""
    init_office(folder, office="测试", prefix="t", passphrase=PASSPHRASE.encode())
    if witness:
        config = witnessed(folder)
    else:
        config = office_alone(folder, "a test of crashes and races, not of who could steer")
    if database is not None:
        open_store(database).close()  # a shared database, made once
        text = config.path.read_text(encoding="utf-8")
        config.path.write_text(text.replace('"office.db"', f'"{database}"'), encoding="utf-8")
        config = OfficeConfig.load(config.path)
    key = OfficeKey.load(config.key, PASSPHRASE.encode())
    with Office.open(config, key=key) as office:
        office.import_directories(OBJECTS, INSPECTORS, actor="test")
        for month in months:
            for status in office.sections(month):
                if not status.exempt:
                    office.confirm_availability(
                        month, status.section, confirmer="科长", actor="test"
                    )
    return config


def draw_arguments(month: Month, officer: str, *extra: str) -> list[str]:
    return [
        "draw", str(month), "--leader", "王主任", "--dice", DICE, "--actor", officer,
        "--at", f"{month}-03T09:00:00+08:00", *extra,
    ]  # fmt: skip


def attempts(config: OfficeConfig, month: Month) -> list[tuple[str, str]]:
    with Office.open(config) as office:
        return [(a.draw_id, a.status) for a in office.records.month_attempts(month)]


@pytest.mark.slow
@pytest.mark.parametrize("setting", ["one folder", "sqlite, a folder each", "postgres"])
def test_eight_officers_race_to_draw_one_month(
    tmp_path: Path, setting: str, request: pytest.FixtureRequest
) -> None:
    """Exactly one of 8 officers released at once draws the month; every other is told that
    another officer is drawing or has drawn it, and who, with exit 7 (regression: 27 of 70
    losers were told `event N (announce): sequence 0 out of place` with exit 4).

    In one folder the month's lock decides; with a folder each (other machines), the shared
    database does."""
    month = Month(2026, 3)
    if setting == "one folder":
        folders = [tmp_path / "office"] * 8
        config = make_office(folders[0], [month])
    else:
        database = (
            str(tmp_path / "shared.db")
            if setting.startswith("sqlite")
            else request.getfixturevalue("pg_url")
        )
        config = make_office(tmp_path / "office", [month], database)
        folders = [tmp_path / f"officer-{n}" for n in range(8)]
        for folder in folders:
            shutil.copytree(tmp_path / "office", folder, ignore=shutil.ignore_patterns("*.db*"))
    finished = race(
        RFB, [draw_arguments(month, f"officer-{n}") for n in range(8)], env=ENV, cwd=folders
    )
    winners = [f for f in finished if f.returncode == 0]
    losers = [f for f in finished if f.returncode != 0]
    assert len(winners) == 1, [f.stderr for f in finished]
    for loser in losers:
        assert loser.returncode == 7, loser.stderr
        said = loser.stderr
        assert "out of place" not in said and "位置有误" not in said  # either language
        assert "Traceback" not in said
        assert any(
            clue in said
            for clue in ("另一位工作人员正在进行本月抽取", "已于", "正在进行或已中断", "已完成抽取")
        ), said
        assert "officer-" in said or "已完成抽取" in said  # who, unless it is over already
    assert attempts(config, month) == [("t-2026-03", "drawn")]


KILLS = 36
"""SIGKILLs of `rfb draw`, at seeded pseudo-random moments of its run."""


def rehearsal(month: Month) -> Clock:
    """The clock of a rehearsal at 09:00 Beijing time on the month's third."""
    return Clock(datetime.fromisoformat(f"{month}-03T09:00:00+08:00"))


def draw_in(config: OfficeConfig, key: OfficeKey, month: Month, actor: str, **options: str) -> str:
    """What the next `rfb draw` of the month does (the command's own steps, in this process):
    the draw id it drew, or why it refused (in the office's language, Chinese, as rfb speaks)."""
    with speaking("zh"), Office.open(config, key=key, clock=rehearsal(month)) as office:
        try:
            drawn, _ = office.draw(
                month,
                performer=Performer("王主任"),
                dice=lambda _: ROLLS,
                actor=actor,
                witness_desk=witness_device() if config.witnesses else None,
                **options,
            )
        except PolicyError as err:
            return str(err)
    return drawn.draw_id


def forked_draw(config: OfficeConfig, key: OfficeKey, month: Month) -> tuple[int, int]:
    """A real process drawing the month, forked from this one (no start-up to wait for): its
    pid, and the read end of a pipe it writes one byte to when it is about to start."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: draw, and never return into the test
        status = 0
        try:
            os.close(read)
            os.write(write, b"g")
            draw_in(config, key, month, "killed")
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def describe(config: OfficeConfig, month: Month) -> str:
    """What a killed draw left: nothing, a ceremony stopped after some event, or a finalised
    draw with or without its files."""
    with Office.open(config) as office:
        unfinished = office.records.unfinished(month)
        if unfinished:
            return f"ceremony stopped after {unfinished[0].last.kind}"
        done = office.records.month_attempts(month)
        if not done:
            return "nothing stored"
        files = config.path.parent / "draws" / done[-1].draw_id / "internal" / "verify.sh"
        return f"{done[-1].status}, files {'written' if files.exists() else 'not written'}"


def full_check(folder: Path, draw_id: str, key: OfficeKey) -> None:
    """The draw's files pass the full check of `internal/verify.sh` (every list, every salt)."""
    words = shlex.split((folder / "draws" / draw_id / "internal" / "verify.sh").read_text())
    record = json.loads(Path(words[2]).read_text(encoding="utf-8"))
    options: dict[str, dict[str, str]] = {"--population": {}, "--salt": {}}
    for option, value in zip(words[5::2], words[6::2], strict=True):
        scope, given = value.split("=", 1)
        options[option][scope] = given
    populations = {}
    for scope, path in options["--population"].items():
        labels = Path(path).read_text(encoding="utf-8").splitlines()
        salt = options["--salt"].get(scope)
        populations[scope] = Population.of(labels, salt=bytes.fromhex(salt) if salt else None)
    verify_record(record, populations=populations, public_key=key.public)  # raises otherwise


@pytest.mark.slow
def test_a_draw_killed_at_any_moment_is_completed_or_aborted_by_the_next(
    tmp_path: Path,
) -> None:
    """Kill a draw with SIGKILL 36 times (3 offices, 12 months each), at moments from
    random.Random(2026) spread over its whole run (the randomness picks only when to kill).
    Each time, the next `rfb draw` of the month, by itself, finishes what the dead one left
    (finalises a complete draw, writes lost files, aborts an unfinished ceremony) and draws:
    the month ends with exactly one draw, its files written, and its full check passes."""
    months = [Month(2026, n) for n in range(1, 13)]
    offices = [make_office(tmp_path / f"office-{n}", months, witness=True) for n in range(3)]
    keys = [OfficeKey.load(c.key, PASSPHRASE.encode()) for c in offices]
    probe = make_office(tmp_path / "probe", months[:1], witness=True)
    began = time.monotonic()
    assert draw_in(probe, OfficeKey.load(probe.key, PASSPHRASE.encode()), months[0], "probe")
    span = time.monotonic() - began  # how long a draw takes here
    timer = random.Random(2026)  # noqa: S311 (test timing, not a draw)
    left: dict[str, int] = {}
    for config, office_key in zip(offices, keys, strict=True):
        for month in months:
            pid, started = forked_draw(config, office_key, month)
            os.read(started, 1)
            os.close(started)
            time.sleep(timer.uniform(0.0, span))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            seen = describe(config, month)
            left[seen] = left.get(seen, 0) + 1
            said = draw_in(config, office_key, month, "next", redraw_reason="进程被终止后重新抽取")
            if not said.startswith("t-"):  # refused: the killed run had finished its draw
                assert "已完成抽取" in said, said
            final = attempts(config, month)
            drawn = [d for d, status in final if status == "drawn"]
            assert len(drawn) == 1, final
            assert all(status == "aborted" for _, status in final[:-1]), final
    assert sum(left.values()) == KILLS
    # The kills landed at several moments of a draw, some of them in the middle of a ceremony
    # (seen here: nothing stored; stopped after each of the seven kinds of event; finalised
    # with and without its files).
    assert len(left) >= 3 and any(s.startswith("ceremony stopped") for s in left), left
    for config, office_key in zip(offices, keys, strict=True):
        with Office.open(config) as office:
            assert office.store.verify_chain(office_key.public) == len(office.store.entries())
            for month in months:
                full_check(config.path.parent, office.records.drawn_draw_id(month), office_key)
    print(f"what the {KILLS} kills left: {left}")
