"""``fairdraw participant …`` as real processes: keys, statements, the secret file, the reveal.

Participants make their keys with the command; the office (here, the test) announces them with
:meth:`fairdraw.ceremony.Ceremony.announce` and records their statements as office-signed events
(ceremony spec v2 order), and the participant reveals after reading those events back.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fairdraw.ceremony.events import event_hash
from fairdraw.ceremony.folder import save_events
from fairdraw.files import write_json
from fairdraw.participant import (
    body_of,
    load_secret,
    read_statement,
    save_secret,
    verify_statement,
)
from fairdraw.randomness.local import commitment
from fairdraw.signing import PublicKey
from fairdraw_cli import PASSPHRASE, run
from participant_ceremony import DRAW_ID, ROLLS, announce, append, entry

ROLLS_TEXT = ",".join(map(str, ROLLS))
OFFICE_SECRET = bytes(range(200, 232))
SECRET_NAME = f"secret-{DRAW_ID}-notary-secret.json"


def fairdraw(cwd: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    # run() names this checkout's fairdraw on the child's PYTHONPATH.
    return run(*args, cwd=cwd, lang=lang, env={"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE})


def ok(cwd: Path, *args: str, lang: str = "en") -> str:
    result = fairdraw(cwd, *args, lang=lang)
    assert result.returncode == 0, result.stderr
    return result.stdout


def printed_entry(stdout: str) -> dict[str, Any]:
    """The JSON participant entry ``participant key`` prints."""
    lines = stdout.splitlines()
    start = lines.index("{")
    end = lines.index("}", start)
    entry_json: dict[str, Any] = json.loads("\n".join(lines[start : end + 1]))
    return entry_json


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three participants' keys, made by the command, and the office's announcement of them."""
    work = tmp_path_factory.mktemp("participants")
    notary_out = ok(
        work,
        "participant",
        "key",
        "--out",
        "notary.key",
        "--id",
        "notary",
        "--role",
        "notary",
        "--name",
        "张三",
        "--organisation",
        "西城区公证处",
    )
    (work / "notary.out").write_text(notary_out, encoding="utf-8")
    leader_out = ok(work, "participant", "key", "--out", "leader.key")
    (work / "leader.out").write_text(leader_out, encoding="utf-8")
    witness = printed_entry(
        ok(work, "participant", "key", "--out", "witness.key", "--id", "witness", "--role", "w")
    )
    leader = {**printed_entry(leader_out), "id": "leader", "role": "leader"}  # the office fills in
    people = [
        entry("office", "office", None),
        printed_entry(notary_out),
        leader,
        witness,
    ]
    announcement = announce(people)
    write_json(work / "announce.json", announcement)
    save_events(work / "cer" / "events", [announcement], ())
    return work


@pytest.fixture(scope="module")
def statements(desk: Path) -> Path:
    """The notary's commit, the witness's witness and the leader's dice, made by the commands."""
    common = ("--key", "notary.key", "--out", "commit.json")
    ok(desk, "participant", "commit", "cer", "--as", "notary", "--source", "notary-secret", *common)
    ok(
        desk,
        "participant",
        "witness",
        "announce.json",
        "--as",
        "witness",
        "--key",
        "witness.key",
        "--out",
        "witness.json",
        "--at",
        "2026-05-12T09:01:00Z",
    )
    ok(
        desk,
        "participant",
        "dice",
        "announce.json",
        "--as",
        "leader",
        "--source",
        "leader-dice",
        "--rolls",
        ROLLS_TEXT,
        "--key",
        "leader.key",
        "--out",
        "dice.json",
    )
    return desk


def recorded(desk: Path, *, dice: bool = True) -> list[dict[str, Any]]:
    """The office's events: the announcement, the witness, both commitments, the dice."""
    events = [load_json(desk / "announce.json")]
    events = append(events, "witness", body_of(load_json(desk / "witness.json")), 2)
    office_commit = {
        "participant": "office",
        "source": "office-secret",
        "commitment": commitment(DRAW_ID, "office", OFFICE_SECRET).hex(),
        "signature": None,
    }
    events = append(events, "commit", office_commit, 5)
    events = append(events, "commit", body_of(load_json(desk / "commit.json")), 6)
    if dice:
        events = append(events, "randomness", body_of(load_json(desk / "dice.json")), 10)
    return events


# -- key ---------------------------------------------------------------------------------------


def test_key_prints_the_key_id_in_groups_and_the_entry_for_the_announcement(desk: Path) -> None:
    stdout = (desk / "notary.out").read_text(encoding="utf-8")
    public = PublicKey.load(desk / "notary.key.pub")
    groups = [public.key_id[i : i + 4] for i in range(0, 64, 4)]
    assert "  " + " ".join(groups[:8]) in stdout.splitlines()
    assert "  " + " ".join(groups[8:]) in stdout.splitlines()
    assert printed_entry(stdout) == {
        "id": "notary",
        "role": "notary",
        "key": public.to_json(),
        "name": "张三",
        "organisation": "西城区公证处",
    }
    assert "fills them in" not in stdout
    leader = (desk / "leader.out").read_text(encoding="utf-8")
    assert printed_entry(leader)["id"] == printed_entry(leader)["role"] == "?"
    assert "the office fills them in" in leader
    if os.name == "posix":
        assert stat.S_IMODE((desk / "notary.key").stat().st_mode) == 0o600
    assert b"ENCRYPTED" in (desk / "notary.key").read_bytes()
    again = fairdraw(desk, "participant", "key", "--out", "notary.key")
    assert again.returncode == 3
    assert "never overwrites a key" in again.stderr


# -- commit --------------------------------------------------------------------------------------


def test_commit_keeps_the_secret_and_writes_the_signed_commitment(statements: Path) -> None:
    secret_path = statements / SECRET_NAME
    if os.name == "posix":
        assert stat.S_IMODE(secret_path.stat().st_mode) == 0o600
    saved = load_secret(secret_path)
    assert (saved.draw_id, saved.participant, saved.source) == (DRAW_ID, "notary", "notary-secret")
    signed = load_json(statements / "commit.json")
    statement = verify_statement(signed, PublicKey.load(statements / "notary.key.pub"))
    assert statement["commitment"] == saved.commitment


def test_commit_prints_base64_that_reads_back_as_the_file(desk: Path) -> None:
    out = ok(
        desk,
        "participant",
        "commit",
        "cer",
        "--as",
        "notary",
        "--source",
        "notary-secret",
        "--key",
        "notary.key",
        "--out",
        "again/commit.json",
        "--secret-file",
        "again/secret.json",
    )
    pasted = out.strip().splitlines()[-1]
    assert read_statement(pasted, "pasted text") == load_json(desk / "again" / "commit.json")
    assert "Made a new secret for source notary-secret" in out
    assert "Hand again/commit.json to the office" in out


def test_commit_run_again_reuses_its_secret_and_never_makes_a_second(statements: Path) -> None:
    before = (statements / SECRET_NAME).read_bytes(), (statements / "commit.json").read_bytes()
    out = ok(
        statements,
        "participant",
        "commit",
        "cer",
        "--as",
        "notary",
        "--source",
        "notary-secret",
        "--key",
        "notary.key",
        "--out",
        "commit.json",
    )
    assert "Used the secret already in" in out and "already holds this same" in out
    after = (statements / SECRET_NAME).read_bytes(), (statements / "commit.json").read_bytes()
    assert after == before


def test_commit_refuses_a_secret_file_of_another_source_or_another_out(statements: Path) -> None:
    result = fairdraw(
        statements,
        "participant",
        "commit",
        "announce.json",
        "--as",
        "notary",
        "--source",
        "notary-secret",
        "--key",
        "notary.key",
        "--out",
        "other.json",
        "--secret-file",
        "witness.json",
    )
    assert result.returncode == 3
    assert "not a participant's secret file" in result.stderr
    result = fairdraw(
        statements,
        "participant",
        "commit",
        "announce.json",
        "--as",
        "notary",
        "--source",
        "notary-secret",
        "--key",
        "notary.key",
        "--out",
        "dice.json",
        "--secret-file",
        "unused-secret.json",
    )
    assert result.returncode == 3
    assert "dice.json exists and holds something else" in result.stderr
    assert not (statements / "unused-secret.json").exists()
    assert load_json(statements / "dice.json")["statement"]["act"] == "randomness"


def test_commit_with_a_key_the_announcement_does_not_give_is_refused(desk: Path) -> None:
    result = fairdraw(
        desk,
        "participant",
        "commit",
        "announce.json",
        "--as",
        "notary",
        "--source",
        "notary-secret",
        "--key",
        "leader.key",
        "--out",
        "x/commit.json",
    )
    assert result.returncode == 3
    assert "Error: The ceremony step breaks its rules" in result.stderr
    assert (
        "'notary' is announced with key" in result.stderr and "not with this key" in result.stderr
    )
    assert not (desk / "x").exists()  # no secret made, nothing written


def test_a_tampered_announcement_is_refused_with_exit_4(desk: Path) -> None:
    changed = load_json(desk / "announce.json")
    changed["event"]["body"]["office"] = "另一个机关"
    write_json(desk / "tampered.json", changed)
    result = fairdraw(
        desk,
        "participant",
        "witness",
        "tampered.json",
        "--as",
        "witness",
        "--key",
        "witness.key",
        "--out",
        "t/witness.json",
    )
    assert result.returncode == 4
    assert "signature does not verify" in result.stderr
    assert not (desk / "t").exists()


# -- witness, dice ---------------------------------------------------------------------------------


def test_witness_prints_the_announcement_hash_and_signs_it(statements: Path) -> None:
    announcement = load_json(statements / "announce.json")
    signed = load_json(statements / "witness.json")
    statement = verify_statement(signed, PublicKey.load(statements / "witness.key.pub"))
    assert statement["announcement"] == event_hash(announcement)
    assert statement["time"] == "2026-05-12T09:01:00Z"
    out = ok(
        statements,
        "participant",
        "witness",
        "cer",
        "--as",
        "witness",
        "--key",
        "witness.key",
        "--out",
        "witness-zh.json",
        "--at",
        "2026-05-12T09:03:00Z",
        lang="zh",
    )
    assert f"公告哈希：{event_hash(announcement)}" in out
    assert "已签署见证" in out and "Signed" not in out
    early = fairdraw(
        statements,
        "participant",
        "witness",
        "announce.json",
        "--as",
        "witness",
        "--key",
        "witness.key",
        "--out",
        "early.json",
        "--at",
        "2026-05-12T08:59:59Z",
    )
    assert early.returncode == 3
    assert "before the announcement's time" in early.stderr
    assert not (statements / "early.json").exists()


def test_dice_signs_the_rolls_and_refuses_the_wrong_count(statements: Path) -> None:
    signed = load_json(statements / "dice.json")
    statement = verify_statement(signed, PublicKey.load(statements / "leader.key.pub"))
    assert statement["value"] == {"rolls": ROLLS}
    short = fairdraw(
        statements,
        "participant",
        "dice",
        "announce.json",
        "--as",
        "leader",
        "--source",
        "leader-dice",
        "--rolls",
        "1 2 3",
        "--key",
        "leader.key",
        "--out",
        "short.json",
    )
    assert short.returncode == 3
    assert "exactly 50 rolls" in short.stderr
    words = fairdraw(
        statements,
        "participant",
        "dice",
        "announce.json",
        "--as",
        "leader",
        "--source",
        "leader-dice",
        "--rolls",
        "one two",
        "--key",
        "leader.key",
        "--out",
        "short.json",
        lang="zh",
    )
    assert words.returncode == 3
    assert words.stderr.startswith("错误：")


# -- reveal ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["list", "record", "folder"])
def test_reveal_reads_the_events_and_closes_over_the_last(statements: Path, form: str) -> None:
    events = recorded(statements)
    target = statements / f"events-{form}"
    if form == "list":
        write_json(target, events)
    elif form == "record":
        write_json(target, {"draw_id": DRAW_ID, "events": events})
    else:
        save_events(target / "events", events, ())
    out = ok(
        statements,
        "participant",
        "reveal",
        target.name,
        "--secret-file",
        SECRET_NAME,
        "--key",
        "notary.key",
        "--out",
        f"reveal-{form}.json",
    )
    closing = event_hash(events[-1])
    assert f"event 4 (randomness), hash {closing}" in out
    signed = load_json(statements / f"reveal-{form}.json")
    statement = verify_statement(signed, PublicKey.load(statements / "notary.key.pub"))
    assert statement["closing"] == closing
    assert statement["secret"] == load_secret(statements / SECRET_NAME).secret.hex()
    assert read_statement(out.strip().splitlines()[-1], "pasted text") == signed


def test_reveal_is_refused_until_every_entered_value_is_in(statements: Path) -> None:
    write_json(statements / "early-events.json", recorded(statements, dice=False))
    result = fairdraw(
        statements,
        "participant",
        "reveal",
        "early-events.json",
        "--secret-file",
        SECRET_NAME,
        "--key",
        "notary.key",
        "--out",
        "early-reveal.json",
    )
    assert result.returncode == 3
    assert "dice source 'leader-dice' is not recorded yet" in result.stderr
    assert not (statements / "early-reveal.json").exists()


def test_reveal_refuses_the_secret_of_another_commit(statements: Path) -> None:
    write_json(statements / "events.json", recorded(statements))
    save_secret(statements / "other-secret.json", DRAW_ID, "notary", "notary-secret", OFFICE_SECRET)
    result = fairdraw(
        statements,
        "participant",
        "reveal",
        "events.json",
        "--secret-file",
        "other-secret.json",
        "--key",
        "notary.key",
        "--out",
        "wrong.json",
    )
    assert result.returncode == 3
    assert "does not match the commitment of source 'notary-secret'" in result.stderr
    assert not (statements / "wrong.json").exists()


def test_reveal_refuses_what_is_not_events(statements: Path) -> None:
    result = fairdraw(
        statements,
        "participant",
        "reveal",
        SECRET_NAME,
        "--secret-file",
        SECRET_NAME,
        "--key",
        "notary.key",
        "--out",
        "x.json",
    )
    assert result.returncode == 3
    assert "neither a signed event, a list of signed events, a draw record" in result.stderr
