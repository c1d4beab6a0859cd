"""One language a run (issue 12, item 6), for fairdraw's library messages: typical errors of the
record, beacon, participant, storage, audit log and time modules, reached through the real
``fairdraw`` command line or through the library inside ``speaking(lang)``, are told in the
run's language alone (:func:`languages.mixed_lines`), and a Chinese run really says them in
Chinese (a test that passes because nothing was printed would be a defect).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fairdraw import FairdrawError
from fairdraw.i18n import speaking
from fairdraw.participant.statement import read_statement
from fairdraw.passphrase import load_office_key
from fairdraw.record.draw import DrawRecord
from fairdraw.storage import open_store
from fairdraw.storage.checkpoint import Checkpoint
from fairdraw.times import parse_time
from fairdraw_cli import PASSPHRASE, run
from languages import CJK, mixed_lines
from storage_helpers import KEY, make_record

LANGS = ("zh", "en")


def _told(result: subprocess.CompletedProcess[str], lang: str, code: int, zh: str, en: str) -> None:
    """``result`` exited with ``code`` and told ``zh`` or ``en`` (as the run speaks), in one
    language only."""
    assert result.returncode == code, result.stdout + result.stderr
    _one_language(result.stdout + result.stderr, lang, zh, en)


def _one_language(said: str, lang: str, zh: str, en: str) -> None:
    """``said`` holds ``zh`` or ``en`` (as the run speaks), no line mixes the two languages,
    and only the Chinese run has Chinese in it."""
    assert (zh if lang == "zh" else en) in said, said
    assert mixed_lines(said, lang) == [], said
    assert bool(CJK.search(said)) == (lang == "zh"), said


@pytest.mark.parametrize("lang", LANGS)
def test_a_drand_beacon_with_a_bad_signature_is_told_in_one_language(lang: str) -> None:
    result = run(
        "--lang", lang, "beacon", "verify", "drand", "--chain", "quicknet", "--round", "5",
        "--signature", "ab" * 48, lang=lang,
    )  # fmt: skip
    _told(
        result, lang, 4, "drand quicknet 第 5 轮：签名不是有效的曲线点",
        "drand quicknet round 5: the signature is not a valid curve point",
    )  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("pulse", "zh", "en"),
    [
        ({"pulse": {"pulseIndex": 1}}, "NIST 脉冲缺少字段", "a NIST pulse lacks the field"),
        ({"pulse": []}, "NIST 脉冲必须是 JSON 对象", "a NIST pulse must be a JSON object"),
    ],
)
def test_a_malformed_nist_pulse_is_told_in_one_language(
    tmp_path: Path, lang: str, pulse: object, zh: str, en: str
) -> None:
    (tmp_path / "pulse.json").write_text(json.dumps(pulse), encoding="utf-8")
    (tmp_path / "nist.pem").write_text("not a certificate\n", encoding="utf-8")
    result = run(
        "--lang", lang, "beacon", "verify", "nist", "pulse.json", "--certificate", "nist.pem",
        cwd=tmp_path, lang=lang,
    )  # fmt: skip
    _told(result, lang, 3, zh, en)


@pytest.mark.parametrize("lang", LANGS)
def test_a_folder_without_a_ceremony_is_told_in_one_language(tmp_path: Path, lang: str) -> None:
    (tmp_path / "empty").mkdir()
    result = run("--lang", lang, "ceremony", "status", "empty", cwd=tmp_path, lang=lang)
    _told(result, lang, 3, "empty：这里没有仪式", "empty: no ceremony here")


@pytest.mark.parametrize("lang", LANGS)
def test_a_broken_log_export_and_checkpoint_are_told_in_one_language(
    tmp_path: Path, lang: str
) -> None:
    (tmp_path / "log.jsonl").write_text("not json\n", encoding="utf-8")
    export = run("--lang", lang, "log", "verify", "log.jsonl", cwd=tmp_path, lang=lang)
    _told(export, lang, 3, "log.jsonl 第 1 行：不是 JSON", "log.jsonl, line 1: not JSON")
    (tmp_path / "cp.json").write_text('{"format": "x"}', encoding="utf-8")
    checkpoint = run(
        "--lang", lang, "log", "verify", "--checkpoint", "cp.json", "log.jsonl",
        cwd=tmp_path, lang=lang,
    )  # fmt: skip
    _told(
        checkpoint, lang, 3, "cp.json：不是 fairdraw/log-checkpoint/v1 检查点",
        "cp.json: not a fairdraw/log-checkpoint/v1 checkpoint",
    )  # fmt: skip


def _raised(action: Callable[[], object], lang: str) -> str:
    """The message of the fairdraw error ``action`` raises in a run that speaks ``lang``."""
    with speaking(lang), pytest.raises(FairdrawError) as caught:  # type: ignore[arg-type]
        action()
    return str(caught.value)


@pytest.mark.parametrize("lang", LANGS)
def test_a_malformed_record_is_told_in_one_language(tmp_path: Path, lang: str) -> None:
    record = make_record("lang-1")
    del record["key_id"]
    message = _raised(lambda: DrawRecord.from_json(record), lang)
    _one_language(message, lang, "record：没有成员 'key_id'", "record: no member 'key_id'")
    record = make_record("lang-1")
    del record["events"][1]["event"]["sequence"]
    (tmp_path / "record.json").write_text(json.dumps(record), encoding="utf-8")
    verified = run("--lang", lang, "verify", "record.json", cwd=tmp_path, lang=lang)
    _told(
        verified, lang, 4, "第 1 个事件（randomness）：序号 None 的位置有误",
        "event 1 (randomness): sequence None out of place",
    )  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("", "内容为空", "empty; paste the statement's JSON"),
        ("abc", "十六进制文本的位数是奇数", "the hex text has an odd number of digits"),
        ('{"media_type": "x"}', "这不是参与方声明", "not a participant statement"),
    ],
)
def test_a_malformed_participant_statement_is_told_in_one_language(
    lang: str, text: str, zh: str, en: str
) -> None:
    message = _raised(lambda: read_statement(text, "statement.txt"), lang)
    _one_language(message, lang, zh, en)


@pytest.mark.parametrize("lang", LANGS)
def test_a_store_error_is_told_in_one_language(tmp_path: Path, lang: str) -> None:
    with open_store(tmp_path / "fairdraw.db") as store:
        missing = _raised(lambda: store.record("nowhere"), lang)
        _one_language(missing, lang, "没有抽取 'nowhere' 的记录", "no record for draw 'nowhere'")
        store.finalise(make_record("lang-2"), actor="张三", key=KEY)
        again = _raised(lambda: store.finalise(make_record("lang-2"), actor="张三", key=KEY), lang)
        _one_language(again, lang, "抽取 'lang-2'", "draw 'lang-2'")


@pytest.mark.parametrize("lang", LANGS)
def test_a_bad_checkpoint_and_a_bad_time_are_told_in_one_language(lang: str) -> None:
    checkpoint = _raised(lambda: Checkpoint.from_json([]), lang)
    _one_language(
        checkpoint, lang, "审计日志检查点：审计日志检查点必须是 JSON 对象",
        "log checkpoint: a log checkpoint is a JSON object",
    )  # fmt: skip
    for value, zh, en in [
        (
            "yesterday",
            "时间须形如 2026-05-12T09:00:00Z",
            "time must look like 2026-05-12T09:00:00Z",
        ),
        ("2026-02-30T09:00:00Z", "不是真实存在的时间", "is not a real time"),
    ]:
        told = _raised(lambda value=value: parse_time(value), lang)  # type: ignore[misc]
        _one_language(told, lang, zh, en)


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_passphrase_is_told_in_one_language(tmp_path: Path, lang: str) -> None:
    made = run(
        "key", "generate", "office.key", cwd=tmp_path, env={"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE}
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    (tmp_path / "wrong.txt").write_text("not the passphrase\n", encoding="utf-8")
    message = _raised(
        lambda: load_office_key(tmp_path / "office.key", tmp_path / "wrong.txt"), lang
    )
    _one_language(message, lang, "密钥口令错误", "wrong passphrase")
