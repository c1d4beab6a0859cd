"""A ceremony survives a crash at any moment: every step can be completed or aborted after a kill.

The deterministic tests build each state a kill can leave (files present or absent) and run the
next ``fairdraw`` command as a real process. The slow test runs whole ceremonies as real
processes and SIGKILLs steps at seeded pseudo-random moments.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fairdraw import Ceremony, DrawRecord, event_hash
from fairdraw.ceremony import commitment, new_secret
from fairdraw.cli.pending import RECORD_STEP, note_pending, read_pending
from fairdraw_cli import (
    CEREMONY,
    EXAMPLE,
    EXAMPLE_FILES,
    KEYS,
    OFFICE_KEY,
    PASSPHRASE,
    PYTHONPATH,
    ROLLS,
    run,
)

# The README's ceremony, step by step: (name, arguments), the witness's steps among them.
STEPS: list[tuple[str, tuple[str, ...]]] = list(CEREMONY)
OFFICE_STEPS = [name for name, args in STEPS if args[0] == "ceremony"]
"""The office's steps (``fairdraw ceremony …``), which the kills aim at."""
ABORT = ("ceremony", "abort", "cer", "--reason", "a step was interrupted", "--out",
         "aborted.json", *OFFICE_KEY, "--at", "2023-09-15T11:10:00Z")  # fmt: skip
VERIFY = (
    "verify", "record.json", "--population", "objects.txt", "--population", "comm-objects.txt",
    "--public-key", "office.key.pub", "--json",
)  # fmt: skip
KEY_FILES = ("office.key", "office.key.pub", "witness.key", "witness.key.pub")


def step(name: str) -> tuple[str, ...]:
    """The arguments of the walkthrough's step ``name``."""
    return dict(STEPS)[name]


def replaced(args: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    """``args`` with the argument ``old`` replaced by ``new``."""
    assert old in args
    return tuple(new if a == old else a for a in args)


def fairdraw(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(*args, cwd=cwd, env={"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE})


def ok(cwd: Path, *args: str) -> str:
    result = fairdraw(cwd, *args)
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout


def fresh(folder: Path, key_from: Path) -> Path:
    """A folder with the example's files and the office's and the witness's keys."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_FILES:
        shutil.copy(EXAMPLE / name, folder / name)
    for name in KEY_FILES:
        if key_from != folder:
            shutil.copy(key_from / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example ceremony as real processes, a copy of its folder after each step."""
    root = tmp_path_factory.mktemp("snapshots")
    work = root / "work"
    work.mkdir()
    for args in KEYS:
        ok(work, *args)
    fresh(work, work)
    taken = {"start": root / "start"}
    shutil.copytree(work, taken["start"])
    for name, args in STEPS:
        ok(work, *args)
        taken[name] = root / name
        shutil.copytree(work, taken[name])
    return taken


def state_after(snapshots: dict[str, Path], step: str, tmp_path: Path) -> Path:
    """A copy of the example folder as it is after ``step``."""
    target = tmp_path / "c"
    shutil.copytree(snapshots[step], target)
    return target


def event_names(work: Path) -> list[str]:
    return sorted(p.name for p in (work / "cer" / "events").iterdir())


# -- states a kill leaves, built directly -----------------------------------------------------


def test_announce_after_a_kill_before_its_event(snapshots: dict[str, Path], tmp_path: Path) -> None:
    work = state_after(snapshots, "start", tmp_path)
    events = work / "cer" / "events"
    events.mkdir(parents=True)  # the folder was made, the event never written
    (events / ".000-announce.json.k3j9.tmp").write_text('{"event": {"seq', encoding="utf-8")
    ok(work, *step("announce"))
    assert event_names(work) == [".000-announce.json.k3j9.tmp", "000-announce.json"]
    assert (events / "000-announce.json").read_bytes() == (
        snapshots["announce"] / "cer" / "events" / "000-announce.json"
    ).read_bytes()
    assert "committing" in ok(work, "ceremony", "status", "cer")


@pytest.mark.slow
def test_every_step_rerun_after_its_event_says_it_is_done(
    snapshots: dict[str, Path], tmp_path: Path
) -> None:
    """A kill after a step's files were written but before it exited: the re-run changes nothing.

    (The witness's statements are their own files: re-made, they are the same bytes.)
    """
    work = state_after(snapshots, "draw", tmp_path)
    before = {p.name: p.read_bytes() for p in (work / "cer" / "events").iterdir()}
    secret, record = (work / "office.secret").read_bytes(), (work / "record.json").read_bytes()
    for name in OFFICE_STEPS:
        assert "recorded already" in ok(work, *step(name)), name
    for name in ("witness", "witness commit"):
        assert "left as it was" in ok(work, *step(name)), name
    assert {p.name: p.read_bytes() for p in (work / "cer" / "events").iterdir()} == before
    assert (work / "office.secret").read_bytes() == secret
    assert (work / "record.json").read_bytes() == record


def test_rerun_with_other_inputs_than_recorded_is_refused(
    snapshots: dict[str, Path], tmp_path: Path
) -> None:
    work = state_after(snapshots, "drand", tmp_path)
    (work / "other.secret").write_text(new_secret().hex() + "\n", encoding="ascii")
    commit = fairdraw(work, *replaced(step("commit"), "office.secret", "other.secret"))
    assert commit.returncode == 3 and "committed already" in commit.stderr
    reveal = fairdraw(work, *replaced(step("reveal"), "office.secret", "other.secret"))
    assert reveal.returncode == 3 and "another secret" in reveal.stderr
    other = fairdraw(work, *replaced(step("dice"), ROLLS, "1 " + ROLLS[2:]))
    assert other.returncode == 3 and "another value" in other.stderr
    witnessed = fairdraw(
        work, *replaced(step("accept commit"), "witness-commit.json", "witness.json")
    )
    assert witnessed.returncode == 0 and "recorded already, as event 1" in witnessed.stdout


def test_commit_reuses_the_secret_of_an_interrupted_commit(
    snapshots: dict[str, Path], tmp_path: Path
) -> None:
    """Killed after the secret file, before the commit event: the re-run commits to that secret."""
    work = state_after(snapshots, "announce", tmp_path)
    secret = new_secret()
    ceremony = Ceremony.load(work / "cer")
    note = {
        "announcement": event_hash(ceremony.events[0]),
        "secret_file": str((work / "office.secret").resolve()),
        "commitment": commitment(ceremony.draw_id, "office", secret).hex(),
    }
    note_pending(work / "cer", "commit office-secret", note)
    (work / "office.secret").write_text(secret.hex() + "\n", encoding="ascii")
    (work / "office.secret").chmod(0o600)
    status = ok(work, "ceremony", "status", "cer")
    assert "office.secret" in status and "commitment was not recorded" in status
    ok(work, *step("commit"))
    committed = Ceremony.load(work / "cer").body_of("commit", "office-secret")
    assert committed is not None and committed["commitment"] == note["commitment"]
    assert (work / "office.secret").read_text(encoding="ascii").strip() == secret.hex()
    assert read_pending(work / "cer") == {}


def test_commit_after_its_note_but_before_the_secret_makes_one_secret(
    snapshots: dict[str, Path], tmp_path: Path
) -> None:
    work = state_after(snapshots, "announce", tmp_path)
    note_pending(work / "cer", "commit office-secret", {"commitment": "00" * 32})
    ok(work, *step("commit"))
    secret = bytes.fromhex((work / "office.secret").read_text(encoding="ascii"))
    committed = Ceremony.load(work / "cer").body_of("commit", "office-secret")
    assert committed is not None
    assert committed["commitment"] == commitment("example-2023-09", "office", secret).hex()
    assert (work / "office.secret").stat().st_mode & 0o077 == 0


def test_commit_never_takes_a_secret_file_it_did_not_make(
    snapshots: dict[str, Path], tmp_path: Path
) -> None:
    work = state_after(snapshots, "announce", tmp_path)
    stray = new_secret().hex() + "\n"  # e.g. the secret of an earlier ceremony, maybe public
    (work / "office.secret").write_text(stray, encoding="ascii")
    result = fairdraw(work, *step("commit"))
    assert result.returncode == 3
    assert "never overwritten or reused" in result.stderr and "Traceback" not in result.stderr
    assert (work / "office.secret").read_text(encoding="ascii") == stray
    assert event_names(work) == ["000-announce.json"]


@pytest.mark.parametrize("noted", [True, False])
def test_draw_writes_a_missing_record_from_the_stored_events(
    snapshots: dict[str, Path], tmp_path: Path, noted: bool
) -> None:
    """Killed between the draw event and record.json: the re-run writes the same bytes."""
    work = state_after(snapshots, "draw", tmp_path)
    (work / "record.json").unlink()
    if noted:
        note_pending(work / "cer", RECORD_STEP, {"out": str((work / "record.json").resolve())})
        status = ok(work, "ceremony", "status", "cer")
        assert "drawn" in status and "record.json was not written" in status
    out = ok(work, *step("draw"))
    assert "written from the stored events" in out and "XC-RF-" in out
    expected = (snapshots["draw"] / "record.json").read_bytes()
    assert (work / "record.json").read_bytes() == expected
    assert read_pending(work / "cer") == {}
    assert "was not written" not in ok(work, "ceremony", "status", "cer")
    assert json.loads(ok(work, *VERIFY))["verdict"] == "passed"


def test_draw_never_overwrites_another_file_with_its_record(
    snapshots: dict[str, Path], tmp_path: Path
) -> None:
    work = state_after(snapshots, "draw", tmp_path)
    (work / "record.json").write_text("{}\n", encoding="utf-8")
    result = fairdraw(work, *step("draw"))
    assert result.returncode == 3 and "not this ceremony's record" in result.stderr
    assert (work / "record.json").read_text(encoding="utf-8") == "{}\n"


def test_abort_writes_a_missing_record_of_a_recorded_abort(
    snapshots: dict[str, Path], tmp_path: Path
) -> None:
    work = state_after(snapshots, "commit", tmp_path)
    ok(work, *ABORT)
    first = (work / "aborted.json").read_bytes()
    (work / "aborted.json").unlink()
    note_pending(work / "cer", RECORD_STEP, {"out": str((work / "aborted.json").resolve())})
    assert "ceremony abort" in ok(work, "ceremony", "status", "cer")
    ok(work, *ABORT)
    assert (work / "aborted.json").read_bytes() == first
    assert "recorded already" in ok(work, *ABORT)


@pytest.mark.parametrize("content", ["", '{"event": {"media_type": "appl'])
def test_a_damaged_last_event_file_of_an_older_version(
    snapshots: dict[str, Path], tmp_path: Path, content: str
) -> None:
    """An empty or cut-short last event (older versions wrote in place): a clear error; abort works."""
    work = state_after(snapshots, "dice", tmp_path)
    damaged = work / "cer" / "events" / "004-randomness.json"
    damaged.write_text(content, encoding="utf-8")
    refused = fairdraw(work, *step("reveal"))
    assert refused.returncode == 3 and "Traceback" not in refused.stderr
    assert "004-randomness.json is empty or cut short" in refused.stderr
    assert "fairdraw ceremony abort" in refused.stderr
    status = ok(work, "ceremony", "status", "cer")
    assert "entering" in status and "004-randomness.json" in status
    ok(work, *ABORT)
    assert damaged.with_name("004-randomness.json.damaged").read_text(encoding="utf-8") == content
    record = DrawRecord.from_json(json.loads((work / "aborted.json").read_text("utf-8")))
    assert [e.kind for e in record.log.events][-2:] == ["commit", "abort"]
    assert "aborted" in ok(work, "ceremony", "status", "cer")


def test_a_damaged_event_in_the_middle_is_refused_even_by_abort(
    snapshots: dict[str, Path], tmp_path: Path
) -> None:
    work = state_after(snapshots, "dice", tmp_path)
    (work / "cer" / "events" / "002-commit.json").write_text("", encoding="utf-8")
    result = fairdraw(work, *ABORT)
    assert result.returncode == 3 and "002-commit.json: not a readable event" in result.stderr


# -- kills at seeded pseudo-random moments -----------------------------------------------------

SEED = 20230915
COMPLETED, ABORTED = 2, 2
RUNS = COMPLETED * len(OFFICE_STEPS) + ABORTED * 2  # 2 x 10 kills + 2 x 2 kills = 24 runs


def kill_at(cwd: Path, args: tuple[str, ...], delay: float) -> bool:
    """Start ``fairdraw ARGS``, SIGKILL it after ``delay`` seconds; True if it was killed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fairdraw", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE, "PYTHONPATH": PYTHONPATH},
    )
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.kill()  # SIGKILL, to this process only
        process.wait()
        return True
    return False


def left_behind(work: Path, before: set[str]) -> str:
    """What a killed step left: ``nothing``, or the files it had written."""
    now = {
        str(p.relative_to(work)) for p in work.rglob("*") if p.is_file() and ".tmp" not in p.name
    }
    new = sorted(now - before)
    return "nothing" if not new else "+".join(Path(n).name for n in new)


def files_of(work: Path) -> set[str]:
    return {str(p.relative_to(work)) for p in work.rglob("*") if p.is_file()}


def crash_and_recover(
    work: Path, step: str, args: tuple[str, ...], fraction: float, timing: dict[str, float]
) -> tuple[bool, str]:
    """Kill one step ``fraction`` of the way through its expected run, then re-run it.

    The expected run is the last measured run of the same step (``timing``): a step writes its
    files in its last milliseconds, so fractions near 1 aim at them.
    """
    before = files_of(work)
    killed = kill_at(work, args, fraction * timing.get(step, timing["probe"]))
    left = left_behind(work, before)
    if any((work / "cer" / "events").glob("0*.json")):
        Ceremony.load(work / "cer")  # never a damaged file: every write is atomic
    started = time.monotonic()
    ok(work, *args)
    timing[step] = time.monotonic() - started
    return killed, left


def one_ceremony(
    index: int, key_folder: Path, root: Path, timing: dict[str, float]
) -> list[tuple[str, bool, str]]:
    """Ceremony ``index``: complete it with a kill at every office step, or abort it after a
    kill at one of its first office steps (the witness's steps run uninterrupted)."""
    rng = random.Random(SEED + index)  # noqa: S311 (kill moments, not secrets)
    work = fresh(root / f"c{index}", key_folder)
    runs = []
    aborting = index >= COMPLETED
    last = OFFICE_STEPS[index - COMPLETED] if aborting else None
    for name, args in STEPS:
        if name in OFFICE_STEPS and (last is None or name == last):
            runs.append((name, *crash_and_recover(work, name, args, rng.uniform(0.8, 1.1), timing)))
        else:
            ok(work, *args)
        if name == last:
            break
    if aborting:
        runs.append(
            ("abort", *crash_and_recover(work, "abort", ABORT, rng.uniform(0.8, 1.1), timing))
        )
        result = fairdraw(
            work, "verify", "aborted.json", "--public-key", "office.key.pub", "--json"
        )
        assert result.returncode == 4, result.stdout + result.stderr
        failed = [c["name"] for c in json.loads(result.stdout)["checks"] if c["status"] != "passed"]
        assert failed == ["outcome"], result.stdout
    else:
        report = json.loads(ok(work, *VERIFY))
        assert report["verdict"] == "passed", report
    return runs


@pytest.mark.slow
def test_ceremonies_killed_at_random_moments_complete_or_abort(tmp_path: Path) -> None:
    key_folder = tmp_path / "key"
    key_folder.mkdir()
    for args in KEYS:
        ok(key_folder, *args)
    probe = fresh(tmp_path / "probe", key_folder)
    started = time.monotonic()
    ok(probe, *step("announce"))
    timing = {"probe": time.monotonic() - started}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(one_ceremony, index, key_folder, tmp_path, timing)
            for index in range(COMPLETED + ABORTED)
        ]
        runs = [run for future in futures for run in future.result()]
    assert len(runs) == RUNS
    outcomes = Counter(
        ("killed" if killed else "finished") + (f", left {left}" if killed else "")
        for _, killed, left in runs
    )
    print(f"\n{len(runs)} runs:", dict(outcomes))
    assert any(killed for _, killed, _ in runs)
