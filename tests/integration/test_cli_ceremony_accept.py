"""``fairdraw ceremony accept``, the plan's members, and who could have chosen the outcome, as
real processes: a participant's statement from a file or pasted, refused when it is another
draw's or badly signed; a plan's key file or key object; a ceremony one party could steer."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fairdraw.signing import PublicKey
from fairdraw_cli import ANNOUNCEMENT, EXAMPLE, EXAMPLE_FILES, KEYS, PASSPHRASE, ROLLS, run

OFFICE = "示例：西城区人防办（虚构）"
KEY = ("--key", "office.key")


def fairdraw(
    cwd: Path, *args: str, lang: str = "en", stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run(*args, cwd=cwd, lang=lang, stdin=stdin, env={"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE})


def ok(cwd: Path, *args: str, lang: str = "en", stdin: str | None = None) -> str:
    result = fairdraw(cwd, *args, lang=lang, stdin=stdin)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The office's and the witness's keys, made as the README makes them."""
    folder = tmp_path_factory.mktemp("keys")
    for args in KEYS:
        ok(folder, *args)
    return folder


def example(folder: Path, keys: Path, **changes: Any) -> Path:
    """``folder`` with the example's files, the keys, and plan.json with ``changes``
    (a member set to None is dropped)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_FILES:
        shutil.copy(EXAMPLE / name, folder / name)
    for name in ("office.key", "office.key.pub", "witness.key", "witness.key.pub"):
        shutil.copy(keys / name, folder / name)
    plan = json.loads((EXAMPLE / "plan.json").read_text(encoding="utf-8"))
    plan.update(changes)
    plan = {k: v for k, v in plan.items() if v is not None}
    (folder / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return folder


def announce(folder: Path, directory: str = "cer") -> subprocess.CompletedProcess[str]:
    return fairdraw(
        folder, "ceremony", "announce", directory, "--plan", "plan.json", *KEY,
        "--at", "2023-09-15T09:00:00Z",
    )  # fmt: skip


def witness(folder: Path, announcement: str, out: str) -> str:
    """The witness's statement, made by the command; returns the line of base64 it prints."""
    printed = ok(
        folder, "participant", "witness", announcement, "--as", "witness", "--key", "witness.key",
        "--out", out, "--at", "2023-09-15T09:01:00Z",
    )  # fmt: skip
    return printed.splitlines()[-1]


def event_count(folder: Path, directory: str = "cer") -> int:
    return len(list((folder / directory / "events").glob("0*.json")))


WITHOUT_WITNESS = {
    "participants": [{"id": "office", "role": "office"}, {"id": "leader", "role": "leader"}],
    "sources": [
        {"id": "office-secret", "type": "local", "participant": "office"},
        {"id": "leader-dice", "type": "dice", "participant": "leader", "count": 50, "sides": 6},
        {"id": "drand", "type": "drand", "chain": "quicknet", "round": 657413},
    ],
}


SOURCES = json.loads((EXAMPLE / "plan.json").read_text(encoding="utf-8"))["sources"]


# -- accept -----------------------------------------------------------------------------------


def test_accept_pasted_base64_then_the_file_again(keys: Path, tmp_path: Path) -> None:
    work = example(tmp_path, keys)
    assert announce(work).returncode == 0
    pasted = witness(work, ANNOUNCEMENT, "witness.json")
    out = ok(work, "ceremony", "accept", "cer", "-", *KEY, "--at", "2023-09-15T09:02:00Z",
             stdin=pasted[:40] + "\n" + pasted[40:] + "\n")  # fmt: skip
    seen = "2023-09-15 17:01:00 (Beijing time)"  # 09:01Z, shown in Beijing time
    assert f"Recorded witness's witness: they saw the announcement at {seen}" in out
    assert "(event 1)" in out and "committing" in out
    assert "may witness" not in out  # the witness has witnessed
    assert event_count(work) == 2
    again = ok(work, "ceremony", "accept", "cer", "witness.json", *KEY,
               "--at", "2023-09-15T09:03:00Z")  # fmt: skip
    assert "was recorded already, as event 1" in again
    assert event_count(work) == 2
    zh = ok(work, "ceremony", "accept", "cer", "witness.json", *KEY, lang="zh")
    assert "已记录为第 1 号事件" in zh


def test_accept_a_commit_then_status_shows_what_is_awaited(keys: Path, tmp_path: Path) -> None:
    work = example(tmp_path, keys)
    assert announce(work).returncode == 0
    status = ok(work, "ceremony", "status", "cer")
    assert (
        "committing" in status and "witness's signed commitment (source witness-secret)" in status
    )
    assert "may witness the announcement" in status
    ok(work, "participant", "commit", ANNOUNCEMENT, "--as", "witness", "--source",
       "witness-secret", "--key", "witness.key", "--out", "commit.json")  # fmt: skip
    out = ok(work, "ceremony", "accept", "cer", "commit.json", *KEY,
             "--at", "2023-09-15T09:06:00Z")  # fmt: skip
    assert "Recorded witness's signed commitment (source witness-secret) as event 1." in out
    ok(work, "ceremony", "commit", "cer", "--source", "office-secret", "--secret-out", "s", *KEY,
       "--at", "2023-09-15T09:07:00Z")  # fmt: skip
    entering = ok(work, "ceremony", "status", "cer")
    assert "Ceremony example-2023-09: entering (" in entering
    assert "the entered value (dice) of source leader-dice (leader)" in entering
    zh = ok(work, "ceremony", "status", "cer", lang="zh")
    assert "entering（录入阶段" in zh and "来源 leader-dice（leader）的录入值" in zh
    early = fairdraw(work, "ceremony", "reveal", "cer", "--source", "office-secret",
                     "--secret-file", "s", *KEY, "--at", "2023-09-15T09:08:00Z")  # fmt: skip
    assert early.returncode == 3 and "cannot reveal now (state entering)" in early.stderr
    twice = fairdraw(work, "ceremony", "accept", "cer", "commit.json", *KEY)
    assert twice.returncode == 0 and "recorded already" in twice.stdout


def test_accept_refuses_a_statement_of_another_draw(keys: Path, tmp_path: Path) -> None:
    other = example(tmp_path / "other", keys, draw_id="example-2023-10")
    assert announce(other).returncode == 0
    witness(other, ANNOUNCEMENT, "witness.json")
    work = example(tmp_path / "work", keys)
    assert announce(work).returncode == 0
    shutil.copy(other / "witness.json", work / "witness.json")
    result = fairdraw(work, "ceremony", "accept", "cer", "witness.json", *KEY)
    assert result.returncode == 3, result.stderr
    assert "another draw, not 'example-2023-09'" in result.stderr
    assert event_count(work) == 1


def test_accept_refuses_a_bad_signature_with_exit_4(keys: Path, tmp_path: Path) -> None:
    work = example(tmp_path, keys)
    assert announce(work).returncode == 0
    witness(work, ANNOUNCEMENT, "witness.json")
    signed = json.loads((work / "witness.json").read_text(encoding="utf-8"))
    flipped = "1" if signed["signature"][0] == "0" else "0"
    signed["signature"] = flipped + signed["signature"][1:]
    (work / "forged.json").write_text(json.dumps(signed), encoding="utf-8")
    result = fairdraw(work, "ceremony", "accept", "cer", "forged.json", *KEY)
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr and "Verification failed" in result.stderr
    assert event_count(work) == 1
    garbled = fairdraw(work, "ceremony", "accept", "cer", "-", *KEY, stdin="eyJub3Q")
    assert garbled.returncode == 3 and "pasted text" in garbled.stderr


# -- the plan ---------------------------------------------------------------------------------


def test_the_plan_takes_a_key_file_or_the_key_object(keys: Path, tmp_path: Path) -> None:
    printed = ok(tmp_path, "participant", "key", "--out", "w.key", "--id", "witness",
                 "--role", "witness")  # fmt: skip
    lines = printed.splitlines()
    entry = json.loads("\n".join(lines[lines.index("{") : lines.index("}") + 1]))
    plan = json.loads((EXAMPLE / "plan.json").read_text(encoding="utf-8"))
    people = [p for p in plan["participants"] if p["id"] != "witness"]
    work = example(tmp_path / "object", keys, participants=[*people, entry])
    assert announce(work).returncode == 0
    body = json.loads((work / ANNOUNCEMENT).read_text(encoding="utf-8"))["event"]["body"]
    assert body["participants"][-1]["key"] == entry["key"]
    by_path = example(tmp_path / "path", keys)
    assert announce(by_path).returncode == 0
    body = json.loads((by_path / ANNOUNCEMENT).read_text(encoding="utf-8"))["event"]["body"]
    assert body["participants"][-1]["key"] == PublicKey.load(by_path / "witness.key.pub").to_json()
    (by_path / "witness.key.pub").unlink()
    missing = announce(by_path, "again")
    assert missing.returncode == 3 and "key file 'witness.key.pub'" in missing.stderr


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"deadline": 30}, "unknown member(s) 'deadline'"),
        ({"deadlines": {"commit_minutes": 30, "reveal_minute": 90}}, "'reveal_minute'"),
        (
            {"sources": [{**WITHOUT_WITNESS["sources"][0], "note": "x"}, *SOURCES[1:]]},
            "source 'office-secret': unknown members note",
        ),
        ({"version": 3}, "version is 3"),
    ],
)
def test_the_plan_refuses_members_it_does_not_know(
    keys: Path, tmp_path: Path, changes: dict[str, Any], named: str
) -> None:
    result = announce(example(tmp_path, keys, **changes))
    assert result.returncode == 3 and named in result.stderr, result.stderr
    assert not (tmp_path / "cer").exists()


# -- who could have chosen the outcome --------------------------------------------------------

ONLY_THE_OFFICE = {
    "participants": [{"id": "office", "role": "office"}],
    "sources": [{"id": "office-secret", "type": "local", "participant": "office"}],
}


def test_a_ceremony_one_party_could_steer_needs_a_reason_and_fails_verification(
    keys: Path, tmp_path: Path
) -> None:
    refused = announce(example(tmp_path / "refused", keys, **ONLY_THE_OFFICE))
    assert refused.returncode == 3
    assert "office could choose this draw's outcome alone" in refused.stderr
    assert "single_party_reason" in refused.stderr
    reason = "演练：仅用于培训"
    work = example(tmp_path / "run", keys, **ONLY_THE_OFFICE, single_party_reason=reason)
    assert announce(work).returncode == 0
    steps = [
        ("commit", "cer", "--source", "office-secret", "--secret-out", "s", *KEY,
         "--at", "2023-09-15T09:05:00Z"),
        ("reveal", "cer", "--source", "office-secret", "--secret-file", "s", *KEY,
         "--at", "2023-09-15T09:10:00Z"),
        ("seed", "cer", *KEY, "--at", "2023-09-15T09:11:00Z"),
        ("draw", "cer", "--population", "objects.txt", "--population", "comm-objects.txt",
         "--out", "record.json", *KEY, "--at", "2023-09-15T09:12:00Z"),
    ]  # fmt: skip
    for step in steps:
        ok(work, "ceremony", *step)
    verify = ("verify", "record.json", "--population", "objects.txt", "--population",
              "comm-objects.txt", "--public-key", "office.key.pub")  # fmt: skip
    result = fairdraw(work, *verify)
    assert result.returncode == 4, result.stdout
    assert f"The arithmetic is correct, but {OFFICE} alone could have chosen the result" in (
        result.stdout
    )
    assert reason in result.stdout and "FAILED" in result.stdout.splitlines()[-1]
    report = json.loads(fairdraw(work, *verify, "--json").stdout)
    assert [c["name"] for c in report["checks"] if c["status"] != "passed"] == [
        "who could have chosen the outcome"
    ]
    assert report["steering"]["alone"] == ["office"]
    zh = fairdraw(work, *verify, lang="zh")
    assert f"{OFFICE}一方即可决定本次抽取的结果" in zh.stdout


def test_a_ceremony_without_a_witness_is_not_checked(keys: Path, tmp_path: Path) -> None:
    work = example(tmp_path, keys, **WITHOUT_WITNESS)
    assert announce(work).returncode == 0
    steps = [
        ("commit", "cer", "--source", "office-secret", "--secret-out", "s", *KEY,
         "--at", "2023-09-15T09:05:00Z"),
        ("value", "cer", "--source", "leader-dice", "--rolls", ROLLS, *KEY,
         "--at", "2023-09-15T09:40:00Z"),
        ("reveal", "cer", "--source", "office-secret", "--secret-file", "s", *KEY,
         "--at", "2023-09-15T09:45:00Z"),
        ("value", "cer", "--source", "drand", "--drand-beacon", "drand-quicknet-657413.json",
         *KEY, "--at", "2023-09-15T11:00:10Z"),
        ("seed", "cer", *KEY, "--at", "2023-09-15T11:00:20Z"),
        ("draw", "cer", "--population", "objects.txt", "--population", "comm-objects.txt",
         "--out", "record.json", *KEY, "--at", "2023-09-15T11:00:30Z"),
    ]  # fmt: skip
    for step in steps:
        ok(work, "ceremony", *step)
    result = fairdraw(
        work, "verify", "record.json", "--population", "objects.txt", "--population",
        "comm-objects.txt", "--public-key", "office.key.pub", "--json",
    )  # fmt: skip
    assert result.returncode == 8, result.stdout
    report = json.loads(result.stdout)
    assert [c["name"] for c in report["checks"] if c["status"] != "passed"] == [
        "who could have chosen the outcome"
    ]
    assert report["steering"]["status"] == "not checked"
    assert "no witness signed it" in report["steering"]["en"]
