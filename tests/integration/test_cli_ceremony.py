"""The README's ceremony walkthrough, run as real processes on local files.

announce → commit → reveal → dice → recorded drand beacon → seed → draw → verify, then the
ways a record or a step can go wrong, each with its exit status.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fairdraw_cli import EXAMPLE, PASSPHRASE, run

ROLLS = "3 6 1 4 2 5 5 1 6 2 4 3 3 6 1 2 5 4 6 1 2 3 4 5 6 6 5 4 3 2 1 1 2 3 4 5 6 2 4 6 1 3 5 2 2 4 4 6 6 1"


def fairdraw(cwd: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return run(*args, cwd=cwd, lang=lang, env={"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE})


def ok(cwd: Path, *args: str) -> str:
    result = fairdraw(cwd, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README walkthrough: returns the folder holding record.json."""
    work = tmp_path_factory.mktemp("ceremony")
    for name in ("plan.json", "objects.txt", "comm-objects.txt", "drand-quicknet-657413.json"):
        shutil.copy(EXAMPLE / name, work / name)
    key = ("--key", "office.key")
    ok(work, "key", "generate", "office.key")
    ok(
        work,
        "ceremony",
        "announce",
        "cer",
        "--plan",
        "plan.json",
        *key,
        "--at",
        "2023-09-15T09:00:00Z",
    )
    ok(
        work,
        "ceremony",
        "commit",
        "cer",
        "--source",
        "office-secret",
        "--secret-out",
        "office.secret",
        *key,
        "--at",
        "2023-09-15T09:05:00Z",
    )
    ok(
        work,
        "ceremony",
        "reveal",
        "cer",
        "--source",
        "office-secret",
        "--secret-file",
        "office.secret",
        *key,
        "--at",
        "2023-09-15T09:40:00Z",
    )
    ok(
        work,
        "ceremony",
        "value",
        "cer",
        "--source",
        "leader-dice",
        "--rolls",
        ROLLS,
        *key,
        "--at",
        "2023-09-15T10:00:00Z",
    )
    ok(
        work,
        "ceremony",
        "value",
        "cer",
        "--source",
        "drand",
        "--drand-beacon",
        "drand-quicknet-657413.json",
        *key,
        "--at",
        "2023-09-15T11:00:10Z",
    )
    ok(work, "ceremony", "seed", "cer", *key, "--at", "2023-09-15T11:00:20Z")
    out = ok(
        work,
        "ceremony",
        "draw",
        "cer",
        "--population",
        "objects.txt",
        "--population",
        "comm-objects.txt",
        "--out",
        "record.json",
        *key,
        "--at",
        "2023-09-15T11:00:30Z",
    )
    assert "2023-09/MAINT" in out and "XC-RF-" in out
    return work


def record_of(work: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((work / "record.json").read_text(encoding="utf-8"))
    return data


def test_secret_and_key_files_are_private(walkthrough: Path) -> None:
    assert (walkthrough / "office.secret").stat().st_mode & 0o077 == 0
    assert (walkthrough / "office.key").stat().st_mode & 0o077 == 0
    assert b"ENCRYPTED" in (walkthrough / "office.key").read_bytes()


def test_full_verification_passes(walkthrough: Path) -> None:
    result = fairdraw(
        walkthrough, "verify", "record.json",
        "--population", "objects.txt", "--population", "2023-09/COMM=comm-objects.txt",
        "--public-key", "office.key.pub", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "passed" and "valid" not in report
    assert {c["status"] for c in report["checks"]} == {"passed"}
    assert len(report["checks"]) == 12


def test_verification_without_files_says_what_it_could_not_check(walkthrough: Path) -> None:
    result = fairdraw(walkthrough, "verify", "record.json", lang="zh")
    assert result.returncode == 8  # incomplete: nothing failed, some checks not made
    assert "未核验" in result.stdout and "--population" in result.stdout
    assert "--public-key" in result.stdout
    assert (
        "核验不完整" in result.stdout.splitlines()[-1] and "通过，此记录可信" not in result.stdout
    )


def test_verification_with_the_key_but_one_population_missing_is_incomplete(
    walkthrough: Path,
) -> None:
    args = ("verify", "record.json", "--population", "objects.txt")
    result = fairdraw(walkthrough, *args, "--public-key", "office.key.pub")
    assert result.returncode == 8, result.stdout + result.stderr
    last = result.stdout.splitlines()[-1]
    assert last.startswith("Result: INCOMPLETE") and "1 check(s)" in last
    assert "PASSED" not in result.stdout
    report = json.loads(
        fairdraw(walkthrough, *args, "--public-key", "office.key.pub", "--json").stdout
    )
    assert report["verdict"] == "incomplete"
    assert [c["name"] for c in report["checks"] if c["status"] == "not checked"] == [
        "scope 2023-09/COMM: complete recomputation"
    ]


def test_full_verification_says_passed_on_its_last_line(walkthrough: Path) -> None:
    result = fairdraw(
        walkthrough, "verify", "record.json", *("--population", "objects.txt"),
        *("--population", "comm-objects.txt", "--public-key", "office.key.pub"),
    )  # fmt: skip
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1].startswith("Result: PASSED")


def test_status_reads_without_a_key(walkthrough: Path) -> None:
    assert "drawn" in ok(walkthrough, "ceremony", "status", "cer")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("events", 0, "event", "body", "scopes", 0, "k"), 8),
        (("events", 2, "event", "body", "secret"), "00" * 32),
        (("events", 3, "event", "body", "value", "rolls", 0), 4),
        (("events", 6, "event", "body", "results", 0, "selected", 0, "label"), "XC-RF-9999"),
        (("signature",), "00" * 64),
    ],
)
def test_tampered_record_exits_4_and_names_the_failure(
    walkthrough: Path, tmp_path: Path, path: tuple[Any, ...], value: Any
) -> None:
    record = record_of(walkthrough)
    target: Any = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    (tmp_path / "bad.json").write_text(json.dumps(record), encoding="utf-8")
    result = fairdraw(tmp_path, "verify", "bad.json", "--json")
    assert result.returncode == 4
    failed = [c for c in json.loads(result.stdout)["checks"] if c["status"] == "failed"]
    assert failed and all(c["detail"] for c in failed)


def test_wrong_public_key_fails(walkthrough: Path, tmp_path: Path) -> None:
    ok(tmp_path, "key", "generate", "other.key")
    result = fairdraw(
        walkthrough, "verify", "record.json", "--public-key", str(tmp_path / "other.key.pub")
    )
    assert result.returncode == 4
    assert "not by the office's key" in result.stdout


def test_wrong_passphrase_and_steps_out_of_order(walkthrough: Path, tmp_path: Path) -> None:
    for name in ("plan.json", "objects.txt", "comm-objects.txt"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    shutil.copy(walkthrough / "office.key", tmp_path / "office.key")
    env_pass = tmp_path / "wrong.txt"
    env_pass.write_text("not the passphrase\n")
    wrong = fairdraw(
        tmp_path,
        "ceremony",
        "announce",
        "c",
        "--plan",
        "plan.json",
        "--key",
        "office.key",
        "--passphrase-file",
        str(env_pass),
    )
    assert wrong.returncode == 3 and "passphrase" in wrong.stderr
    ok(
        tmp_path,
        "ceremony",
        "announce",
        "c",
        "--plan",
        "plan.json",
        "--key",
        "office.key",
        "--at",
        "2023-09-15T09:00:00Z",
    )
    early = fairdraw(
        tmp_path, "ceremony", "seed", "c", "--key", "office.key", "--at", "2023-09-15T09:01:00Z"
    )
    assert early.returncode == 3 and "seed" in early.stderr
    again = fairdraw(
        tmp_path, "ceremony", "announce", "c", "--plan", "plan.json", "--key", "office.key"
    )
    assert again.returncode == 0 and "recorded already" in again.stdout  # the same plan
    other = fairdraw(
        tmp_path, "ceremony", "announce", "c", "--plan", "plan.json", "--key", "office.key",
        "--at", "2023-09-15T09:02:00Z",
    )  # fmt: skip
    assert other.returncode == 3 and "already holds a ceremony" in other.stderr


def test_announcing_a_past_beacon_round_is_refused(tmp_path: Path) -> None:
    for name in ("plan.json", "objects.txt", "comm-objects.txt"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    ok(tmp_path, "key", "generate", "k.key")
    late = fairdraw(
        tmp_path,
        "ceremony",
        "announce",
        "c",
        "--plan",
        "plan.json",
        "--key",
        "k.key",
        "--at",
        "2023-09-15T12:00:00Z",
    )
    assert late.returncode == 3
    assert "not after the announcement" in late.stderr


def test_abort_when_the_secret_is_not_revealed(walkthrough: Path, tmp_path: Path) -> None:
    for name in ("plan.json", "objects.txt", "comm-objects.txt"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    shutil.copy(walkthrough / "office.key", tmp_path / "office.key")
    key = ("--key", "office.key")
    ok(
        tmp_path,
        "ceremony",
        "announce",
        "c",
        "--plan",
        "plan.json",
        *key,
        "--at",
        "2023-09-15T09:00:00Z",
    )
    ok(
        tmp_path,
        "ceremony",
        "commit",
        "c",
        "--source",
        "office-secret",
        "--secret-out",
        "s",
        *key,
        "--at",
        "2023-09-15T09:05:00Z",
    )
    late = fairdraw(
        tmp_path,
        "ceremony",
        "reveal",
        "c",
        "--source",
        "office-secret",
        "--secret-file",
        "s",
        *key,
        "--at",
        "2023-09-15T12:00:00Z",
    )
    assert late.returncode == 3 and "deadline" in late.stderr
    ok(
        tmp_path,
        "ceremony",
        "abort",
        "c",
        "--reason",
        "the office secret was not revealed in time",
        "--out",
        "aborted.json",
        *key,
        "--at",
        "2023-09-15T12:00:00Z",
    )
    result = fairdraw(tmp_path, "verify", "aborted.json")
    assert result.returncode == 4
    assert "aborted" in result.stdout and "FAILED" in result.stdout.splitlines()[-1]
