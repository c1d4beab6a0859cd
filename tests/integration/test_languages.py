"""One language a run (issue 12, item 6): real ``fairdraw`` commands, in Chinese and in
English, print no line that mixes the two (:func:`languages.mixed_lines`).

The README walkthrough runs once per language; then a good and a tampered record are verified,
and typical mistakes are made (a bad label file, an unknown scope, a wrong key, a wrong
passphrase). Then each other command (beacon, ceremony, participant, store, log, timestamp,
verify) runs once as it should and once with a typical mistake, and must speak the run's
language: no mixed line, and real Chinese (not only the data) in a Chinese run. Data (the
example's names and objects) may be Chinese in an English run.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from fairdraw_cli import EXAMPLE, EXAMPLE_FILES, PASSPHRASE, WALKTHROUGH, run
from languages import CJK, mixed_lines
from tsa_server import OPENSSL, Tsa, make_tsa, tsa_server

SEED = "00" * 32
Walk = tuple[str, Path, list[tuple[tuple[str, ...], subprocess.CompletedProcess[str]]]]
DATA = (
    "示例：西城区人防办（虚构）",
    "李四（虚构）",
    "示例：西城区公证处",
    "张三",
    "王五",
    "主管领导",
)  # the example's names (and the store's actor, approver and role), Chinese in any run
LABELS = tuple(
    line
    for name in ("objects.txt", "comm-objects.txt")
    for line in (EXAMPLE / name).read_text(encoding="utf-8").splitlines()
)  # the example's objects: a draw lists them, in Chinese, in either language


def _fairdraw(
    cwd: Path, *args: str, lang: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run(
        "--lang", lang, *args, cwd=cwd, lang=lang, stdin=stdin,
        env={"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE},
    )  # fmt: skip


def _mixed(result: subprocess.CompletedProcess[str], lang: str) -> list[str]:
    return mixed_lines(result.stdout + result.stderr, lang, (*DATA, *LABELS))


@pytest.fixture(scope="module", params=["zh", "en"])
def walkthrough(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Walk:
    """The README walkthrough in one language: its folder and each command's output."""
    lang = request.param
    work = tmp_path_factory.mktemp(f"walk-{lang}")
    for name in EXAMPLE_FILES:
        shutil.copy(EXAMPLE / name, work / name)
    outputs = []
    for args in WALKTHROUGH:
        result = _fairdraw(work, *args, lang=lang)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        outputs.append((args, result))
    return lang, work, outputs


def test_the_walkthrough_speaks_one_language(walkthrough: Walk) -> None:
    lang, _, outputs = walkthrough
    found = [
        f"fairdraw {' '.join(args)}: {line}" for args, r in outputs for line in _mixed(r, lang)
    ]
    assert found == [], "\n".join(found)


def test_key_generation_speaks_one_language(walkthrough: Walk) -> None:
    lang, _, outputs = walkthrough
    for args, result in outputs[:2]:  # fairdraw key generate, fairdraw participant key
        if args[0] == "key":
            assert _mixed(result, lang) == []
            assert ("密钥编号：" if lang == "zh" else "  key id: ") in result.stdout


def test_verifying_a_good_record_speaks_one_language(walkthrough: Walk) -> None:
    lang, _, outputs = walkthrough
    verified = outputs[-1][1]
    assert _mixed(verified, lang) == []
    assert verified.stdout.splitlines()[-1].startswith(
        "结论：" if lang == "zh" else "Result: PASSED"
    )


def test_verifying_a_tampered_record_speaks_one_language(walkthrough: Walk, tmp_path: Path) -> None:
    lang, work, _ = walkthrough
    record = json.loads((work / "record.json").read_text(encoding="utf-8"))
    record["events"][-1]["event"]["time"] = "2023-09-15T11:00:31Z"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(record), encoding="utf-8")
    result = _fairdraw(
        work, "verify", str(tampered), "--population", "objects.txt",
        "--population", "comm-objects.txt", "--public-key", "office.key.pub", lang=lang,
    )  # fmt: skip
    assert result.returncode == 4, result.stdout + result.stderr
    assert _mixed(result, lang) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("content", "code"),
    [(b"a\nb \n", 3), (b"a\n\nb\n", 3), (b"a\nb\na\n", 3), (b"a\n\xff\n", 3), (b"", 3)],
)
def test_a_bad_label_file_is_told_in_one_language(
    tmp_path: Path, content: bytes, code: int, lang: str
) -> None:
    (tmp_path / "bad.txt").write_bytes(content)
    result = _fairdraw(
        tmp_path, "sample", "--seed", SEED, "--scope", "s", "--k", "1", "--labels", "bad.txt",
        lang=lang,
    )  # fmt: skip
    assert result.returncode == code, result.stderr
    assert result.stderr.strip()
    assert _mixed(result, lang) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "args",
    [
        ("sample", "--seed", SEED, "--scope", "s", "--rate", "abc", "--labels", "ok.txt"),
        ("sample", "--seed", SEED, "--scope", "s", "--k", "5", "--labels", "ok.txt"),
        ("sample", "--seed", SEED, "--scope", "s", "--k", "1", "--labels", "missing.txt"),
        ("key", "show", "missing.key.pub"),
    ],
)
def test_typical_mistakes_are_told_in_one_language(
    tmp_path: Path, args: tuple[str, ...], lang: str
) -> None:
    (tmp_path / "ok.txt").write_text("a\nb\n", encoding="utf-8")
    result = _fairdraw(tmp_path, *args, lang=lang)
    assert result.returncode == 3, result.stdout + result.stderr
    assert _mixed(result, lang) == []


def test_an_unknown_scope_and_a_wrong_key_are_told_in_one_language(walkthrough: Walk) -> None:
    lang, work, _ = walkthrough
    other = _fairdraw(work, "key", "generate", "other.key", lang=lang)
    assert other.returncode == 0, other.stderr
    wrong_key = _fairdraw(
        work, "verify", "record.json", "--population", "objects.txt",
        "--population", "comm-objects.txt", "--public-key", "other.key.pub", lang=lang,
    )  # fmt: skip
    assert wrong_key.returncode == 4
    assert _mixed(wrong_key, lang) == []
    (work / "other.txt").write_text("x\ny\n", encoding="utf-8")
    unknown = _fairdraw(work, "verify", "record.json", "--population", "other.txt", lang=lang)
    assert unknown.returncode == 3, unknown.stdout + unknown.stderr
    assert _mixed(unknown, lang) == []
    wrong_passphrase = run(
        "--lang", lang, "ceremony", "announce", "cer2", "--plan", "plan.json",
        "--key", "office.key", cwd=work, lang=lang,
        env={"FAIRDRAW_KEY_PASSPHRASE": "not the passphrase"},
    )  # fmt: skip
    assert wrong_passphrase.returncode == 3, wrong_passphrase.stderr
    assert ("密钥口令错误" if lang == "zh" else "wrong passphrase") in wrong_passphrase.stderr
    assert _mixed(wrong_passphrase, lang) == []


# -- every other command, as it should be run and with a typical mistake --------------------


def _told(result: subprocess.CompletedProcess[str], lang: str, code: int) -> str:
    """What the command printed, checked: the exit status, no mixed line, and the run's
    language itself (Chinese words besides the data in a Chinese run, English words in an
    English one): a command that printed nothing, or only data, does not pass."""
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert _mixed(result, lang) == [], "\n".join(_mixed(result, lang))
    bare = output
    for value in sorted((*DATA, *LABELS), key=len, reverse=True):
        bare = bare.replace(value, " ")
    if lang == "zh":
        assert CJK.search(bare), output
    else:
        assert re.search(r"\b[A-Za-z][a-z]{2,}\b", bare), output
    return output


def _in(walk: Walk, *args: str) -> subprocess.CompletedProcess[str]:
    lang, work, _ = walk
    return _fairdraw(work, *args, lang=lang)


def test_beacon_verify_speaks_one_language(walkthrough: Walk) -> None:
    lang, work, _ = walkthrough
    beacon = json.loads((work / "drand-quicknet-657413.json").read_text(encoding="utf-8"))
    valid = _in(
        walkthrough, "beacon", "verify", "drand", "--chain", "quicknet",
        "--round", str(beacon["round"]), "--signature", beacon["signature"],
    )  # fmt: skip
    said = _told(valid, lang, 0)
    assert ("有效：" if lang == "zh" else "Valid: drand quicknet round 657413") in said
    assert ("（北京时间）" if lang == "zh" else " (Beijing time)") in said
    missing = _in(walkthrough, "beacon", "verify", "nist", "no-pulse.json", "--certificate", "x")
    said = _told(missing, lang, 3)
    assert ("文件不存在" if lang == "zh" else "the file does not exist") in said


@pytest.mark.parametrize(
    ("args", "code", "zh", "en"),
    [
        (("ceremony", "status", "cer"), 0, "已抽取", "the draw is made"),
        (("ceremony", "announce", "cer", "--plan", "plan.json", "--key", "office.key",
          "--at", "2023-09-15T09:00:00Z"), 0, "无需重复", "nothing to repeat"),
        (("ceremony", "announce", "cer-bad", "--plan", "bad-plan.json", "--key", "office.key"),
         3, "未知成员 'colour'", "unknown member(s) 'colour'"),
        (("ceremony", "commit", "cer", "--source", "office-secret", "--secret-out", "plan.json",
          "--key", "office.key"), 3, "不是秘密文件", "not a secret file"),
        (("ceremony", "value", "cer", "--source", "leader-dice", "--rolls", "3 x",
          "--key", "office.key"), 3, "应为以空格分隔的整数", "takes whole numbers"),
        (("ceremony", "value", "cer", "--source", "leader-dice", "--key", "office.key"),
         2, "只给出一个", "give exactly one of"),
        (("ceremony", "draw", "cer", "--population", "objects.txt",
          "--population", "comm-objects.txt", "--out", "plan.json", "--key", "office.key"),
         3, "记录文件绝不覆盖", "a record is never overwritten"),
        (("ceremony", "accept", "cer", "no-statement.json", "--key", "office.key"),
         3, "无法读取声明", "cannot read the statement"),
        (("ceremony", "timestamp", "cer", "--tsa-url", "http://127.0.0.1:9",
          "--tsa-cert", "no-tsa.pem", "--key", "office.key"), 3, "证书", "TSA certificate"),
    ],
)  # fmt: skip
def test_ceremony_commands_speak_one_language(
    walkthrough: Walk, args: tuple[str, ...], code: int, zh: str, en: str
) -> None:
    lang, work, _ = walkthrough
    plan = json.loads((work / "plan.json").read_text(encoding="utf-8"))
    (work / "bad-plan.json").write_text(json.dumps({**plan, "colour": "red"}), encoding="utf-8")
    said = _told(_in(walkthrough, *args), lang, code)
    assert (zh if lang == "zh" else en) in said


@pytest.mark.parametrize(
    ("args", "code", "zh", "en"),
    [
        (("participant", "witness", "cer", "--as", "witness", "--key", "witness.key",
          "--out", "witness-again.json", "--at", "2023-09-15T09:01:00Z"),
         0, "已签署见证", "Signed your witness"),
        (("participant", "dice", "cer", "--as", "witness", "--source", "leader-dice",
          "--rolls", "3 x", "--key", "witness.key", "--out", "dice.json"),
         3, "应为整数", "takes whole numbers"),
        (("participant", "reveal", "plan.json", "--secret-file", "witness.secret",
          "--key", "witness.key", "--out", "reveal-again.json"),
         3, "也不是仪式文件夹", "nor a ceremony folder"),
        (("participant", "witness", "cer", "--as", "witness", "--key", "witness.key",
          "--out", "plan.json"), 3, "请另选 --out", "choose another --out"),
    ],
)  # fmt: skip
def test_participant_commands_speak_one_language(
    walkthrough: Walk, args: tuple[str, ...], code: int, zh: str, en: str
) -> None:
    said = _told(_in(walkthrough, *args), walkthrough[0], code)
    assert (zh if walkthrough[0] == "zh" else en) in said


def test_store_and_log_commands_speak_one_language(walkthrough: Walk, tmp_path: Path) -> None:
    lang = walkthrough[0]
    db = ("--db", str(tmp_path / "office.db"))
    key = ("--actor", "张三", "--key", "office.key", *db)
    done = [
        ("store", "record", "record.json", *key),
        ("store", "population", "objects.txt", "--name", "2023-09/MAINT", *key),
        ("store", "approve", "example-2023-09", "--approver", "王五", "--role", "主管领导", *key),
        ("log", "export", *db, "--out", str(tmp_path / "log.jsonl")),
        ("log", "verify", *db, "--public-key", "office.key.pub"),
        ("log", "checkpoint", "--key", "office.key", *db, "--out", str(tmp_path / "cp.json")),
        ("log", "verify", str(tmp_path / "log.jsonl"), "--checkpoint", str(tmp_path / "cp.json")),
    ]
    said = [_told(_in(walkthrough, *args), lang, 0) for args in done]
    assert ("已定稿 example-2023-09" if lang == "zh" else "finalised example-2023-09") in said[0]
    assert ("审计日志完整" if lang == "zh" else "Audit log intact") in said[4]
    assert ("（北京时间）" if lang == "zh" else "(Beijing time)") in said[5]
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    mistakes = [
        (("store", "record", str(tmp_path / "list.json"), *key), 3, "应为一个 JSON 对象"),
        (("log", "export", *db, "--out", str(tmp_path / "log.jsonl")), 3, "导出文件绝不覆盖"),
        (("log", "export", "--db", str(tmp_path / "empty.db")), 3, "审计日志为空"),
        (("log", "verify", str(tmp_path / "log.jsonl"), "--public-key", "witness.key.pub"),
         4, "与 --public-key 不同"),
    ]  # fmt: skip
    for args, code, chinese in mistakes:
        told = _told(_in(walkthrough, *args), lang, code)
        assert chinese in told if lang == "zh" else CJK.search(told) is None


@pytest.mark.parametrize(
    ("args", "code", "zh", "en"),
    [
        (("verify", "record.json", "--population", "objects.txt"), 8, "结论：", "INCOMPLETE"),
        (("verify", "record.json", "--public-record", "lottery"), 3, "ID=号码", "ID=NUMBERS"),
        (("verify", "record.json", "--tsa-cert", "no-tsa.pem"), 3, "文件不存在",
         "the file does not exist"),
        (("verify", "list.json"), 3, "抽取记录应为一个 JSON 对象", "a draw record is a JSON object"),
        (("verifier", "--record", "list.json", "--out", "page"), 3, "抽取记录应为一个 JSON 对象",
         "a draw record is a JSON object"),
    ],
)  # fmt: skip
def test_verify_mistakes_speak_one_language(
    walkthrough: Walk, args: tuple[str, ...], code: int, zh: str, en: str
) -> None:
    (walkthrough[1] / "list.json").write_text("[1, 2]", encoding="utf-8")
    said = _told(_in(walkthrough, *args), walkthrough[0], code)
    assert (zh if walkthrough[0] == "zh" else en) in said


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tsa]:
    if OPENSSL is None:
        pytest.skip("openssl is needed to run a real TSA")
    with tsa_server(make_tsa(tmp_path_factory.mktemp("tsa"))) as running:
        yield running


def test_a_timestamp_is_told_in_one_language(walkthrough: Walk, tsa: Tsa) -> None:
    lang, work, _ = walkthrough
    plan = json.loads((work / "plan.json").read_text(encoding="utf-8"))
    plan["draw_id"] = f"timestamp-{lang}"
    plan["sources"][-1] = {"id": "drand", "type": "drand", "chain": "quicknet", "round": "next"}
    (work / "plan-now.json").write_text(json.dumps(plan), encoding="utf-8")
    (work / "tsa.pem").write_bytes(tsa.chain_pem)
    announced = _in(walkthrough, "ceremony", "announce", "cer-now", "--plan", "plan-now.json",
                    "--key", "office.key")  # fmt: skip
    _told(announced, lang, 0)
    stamped = _in(walkthrough, "ceremony", "timestamp", "cer-now", "--tsa-url", tsa.url,
                  "--tsa-cert", "tsa.pem", "--key", "office.key")  # fmt: skip
    said = _told(stamped, lang, 0)
    assert ("已由 127.0.0.1 加盖时间戳" if lang == "zh" else "Timestamped by 127.0.0.1") in said


def test_json_reasons_are_english_in_any_run(walkthrough: Walk, tmp_path: Path) -> None:
    lang, work, _ = walkthrough
    beacon = json.loads((work / "drand-quicknet-657413.json").read_text(encoding="utf-8"))
    bad = _in(
        walkthrough, "beacon", "verify", "drand", "--chain", "quicknet", "--round",
        str(beacon["round"]), "--signature", beacon["signature"][::-1], "--json",
    )  # fmt: skip
    assert bad.returncode == 4, bad.stderr
    report = json.loads(bad.stdout)
    assert report["valid"] is False and report["reason"] and not CJK.search(report["reason"])
    db = ("--db", str(tmp_path / "office.db"))
    stored = _in(walkthrough, "store", "record", "record.json", "--actor", "张三",
                 "--key", "office.key", *db)  # fmt: skip
    assert stored.returncode == 0, stored.stderr
    wrong = _in(walkthrough, "log", "verify", *db, "--public-key", "witness.key.pub", "--json")
    assert wrong.returncode == 4, wrong.stderr
    reason = json.loads(wrong.stdout)["reason"]
    assert reason and not CJK.search(reason)
    assert ("审计日志未通过核验" if lang == "zh" else "The audit log is INVALID") in wrong.stderr
    assert mixed_lines(wrong.stderr, lang, DATA) == []  # stdout is the JSON, in English
