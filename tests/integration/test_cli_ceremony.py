"""The README's ceremony walkthrough, run as real processes on local files.

announce → witness → commitments → dice → reveals → recorded drand beacon → seed → draw →
verify (ceremony spec v2), the witness signing their own statements and the office recording
them; then the ways a record or a step can go wrong, each with its exit status.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fairdraw_cli import (
    EXAMPLE,
    EXAMPLE_FILES,
    KEYS,
    PASSPHRASE,
    WALKTHROUGH,
    readme_walkthrough,
    run,
)

OFFICE = "示例：西城区人防办（虚构）"
WITNESS = "李四（虚构）"


def fairdraw(
    cwd: Path, *args: str, lang: str = "en", stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run(*args, cwd=cwd, lang=lang, stdin=stdin, env={"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE})


def ok(cwd: Path, *args: str, stdin: str | None = None) -> str:
    result = fairdraw(cwd, *args, stdin=stdin)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def example(folder: Path, keys_from: Path) -> Path:
    """``folder`` with the example's files and the walkthrough's keys (the office's, the
    witness's)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_FILES:
        shutil.copy(EXAMPLE / name, folder / name)
    for name in ("office.key", "office.key.pub", "witness.key", "witness.key.pub"):
        shutil.copy(keys_from / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README walkthrough, command by command: returns the folder holding record.json."""
    work = tmp_path_factory.mktemp("ceremony")
    for name in EXAMPLE_FILES:
        shutil.copy(EXAMPLE / name, work / name)
    outputs = [ok(work, *args) for args in WALKTHROUGH]
    draw, verified = outputs[-2], outputs[-1]
    assert "2023-09/MAINT" in draw and "XC-RF-" in draw
    assert verified.splitlines()[-1].startswith("Result: PASSED")
    (work / "verify.out").write_text(verified, encoding="utf-8")
    return work


def test_the_readme_shows_the_walkthrough_the_tests_run() -> None:
    assert readme_walkthrough() == list(WALKTHROUGH)
    assert WALKTHROUGH[: len(KEYS)] == KEYS


def record_of(work: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((work / "record.json").read_text(encoding="utf-8"))
    return data


def test_secret_and_key_files_are_private(walkthrough: Path) -> None:
    for name in ("office.secret", "office.key", "witness.secret", "witness.key"):
        assert (walkthrough / name).stat().st_mode & 0o077 == 0, name
    for name in ("office.key", "witness.key"):
        assert b"ENCRYPTED" in (walkthrough / name).read_bytes()


def test_full_verification_passes_and_names_who_would_have_had_to_collude(
    walkthrough: Path,
) -> None:
    printed = (walkthrough / "verify.out").read_text(encoding="utf-8")
    assert f"these would have had to collude: {OFFICE}, {WITNESS} (示例：西城区公证处)." in printed
    result = fairdraw(
        walkthrough, "verify", "record.json",
        "--population", "objects.txt", "--population", "2023-09/COMM=comm-objects.txt",
        "--public-key", "office.key.pub", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "passed" and "valid" not in report
    assert {c["status"] for c in report["checks"]} == {"passed"}
    assert len(report["checks"]) == 15
    steering = report["steering"]
    assert steering["status"] == "passed" and steering["witnesses"] == ["witness"]
    assert steering["coalitions"] == [["office", "witness"]] and steering["alone"] == []
    assert f"{OFFICE}、{WITNESS}（示例：西城区公证处）" in steering["zh"]


def test_the_record_holds_the_v2_order_and_the_witness_signature(walkthrough: Path) -> None:
    record = record_of(walkthrough)
    kinds = [e["event"]["kind"] for e in record["events"]]
    assert kinds == [
        "announce", "witness", "commit", "commit", "randomness", "reveal", "reveal",
        "randomness", "seed", "draw",
    ]  # fmt: skip
    signed = [e["event"]["body"].get("signature") for e in record["events"]]
    assert [i for i, sig in enumerate(signed) if sig is not None] == [1, 3, 6]  # the witness's


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


def test_status_reads_without_a_key(walkthrough: Path) -> None:
    assert "drawn" in ok(walkthrough, "ceremony", "status", "cer")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("events", 0, "event", "body", "scopes", 0, "k"), 8),
        (("events", 5, "event", "body", "secret"), "00" * 32),
        (("events", 6, "event", "body", "secret"), "00" * 32),
        (("events", 4, "event", "body", "value", "rolls", 0), 4),
        (("events", 1, "event", "body", "time"), "2023-09-15T09:01:01Z"),
        (("events", 9, "event", "body", "results", 0, "selected", 0, "label"), "XC-RF-9999"),
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
    example(tmp_path, walkthrough)
    env_pass = tmp_path / "wrong.txt"
    env_pass.write_text("not the passphrase\n")
    announce = ("ceremony", "announce", "c", "--plan", "plan.json", "--key", "office.key")
    wrong = fairdraw(tmp_path, *announce, "--passphrase-file", str(env_pass))
    assert wrong.returncode == 3 and "passphrase" in wrong.stderr
    ok(tmp_path, *announce, "--at", "2023-09-15T09:00:00Z")
    early = fairdraw(
        tmp_path, "ceremony", "seed", "c", "--key", "office.key", "--at", "2023-09-15T09:01:00Z"
    )
    assert early.returncode == 3 and "seed" in early.stderr
    dice = fairdraw(
        tmp_path, "ceremony", "value", "c", "--source", "leader-dice", "--rolls", "1 " * 50,
        "--key", "office.key", "--at", "2023-09-15T09:01:00Z",
    )  # fmt: skip
    assert dice.returncode == 3 and "after every commitment" in dice.stderr
    again = fairdraw(tmp_path, *announce)
    assert again.returncode == 0 and "recorded already" in again.stdout  # the same plan
    other = fairdraw(tmp_path, *announce, "--at", "2023-09-15T09:02:00Z")
    assert other.returncode == 3 and "already holds a ceremony" in other.stderr


def test_announcing_a_past_beacon_round_is_refused(walkthrough: Path, tmp_path: Path) -> None:
    example(tmp_path, walkthrough)
    late = fairdraw(
        tmp_path, "ceremony", "announce", "c", "--plan", "plan.json", "--key", "office.key",
        "--at", "2023-09-15T12:00:00Z",
    )  # fmt: skip
    assert late.returncode == 3
    assert "not after the announcement" in late.stderr


def test_abort_when_the_secret_is_not_revealed(walkthrough: Path, tmp_path: Path) -> None:
    example(tmp_path, walkthrough)
    # The witness's commitment names the draw id, not the announcement: it fits this one too.
    shutil.copy(walkthrough / "witness-commit.json", tmp_path / "witness-commit.json")
    key = ("--key", "office.key")
    steps = [
        ("announce", "c", "--plan", "plan.json", *key, "--at", "2023-09-15T09:00:00Z"),
        ("commit", "c", "--source", "office-secret", "--secret-out", "s", *key,
         "--at", "2023-09-15T09:05:00Z"),
        ("accept", "c", "witness-commit.json", *key, "--at", "2023-09-15T09:06:00Z"),
        ("value", "c", "--source", "leader-dice", "--rolls", "1 " * 50, *key,
         "--at", "2023-09-15T09:40:00Z"),
    ]  # fmt: skip
    for step in steps:
        ok(tmp_path, "ceremony", *step)
    status = ok(tmp_path, "ceremony", "status", "c")
    assert "revealing" in status and "witness's signed reveal" in status
    late = fairdraw(
        tmp_path, "ceremony", "reveal", "c", "--source", "office-secret", "--secret-file", "s",
        *key, "--at", "2023-09-15T12:00:00Z",
    )  # fmt: skip
    assert late.returncode == 3 and "deadline" in late.stderr
    ok(
        tmp_path, "ceremony", "abort", "c", "--reason", "the office secret was not revealed in time",
        "--out", "aborted.json", *key, "--at", "2023-09-15T12:00:00Z",
    )  # fmt: skip
    assert "aborted" in ok(tmp_path, "ceremony", "status", "c")
    result = fairdraw(tmp_path, "verify", "aborted.json")
    assert result.returncode == 4
    assert "aborted" in result.stdout and "FAILED" in result.stdout.splitlines()[-1]
