"""One language a run (issue 12, item 6): real ``fairdraw`` commands, in Chinese and in
English, print no line that mixes the two (:func:`languages.mixed_lines`).

The README walkthrough runs once per language; then a good and a tampered record are verified,
and typical mistakes are made (a bad label file, an unknown scope, a wrong key, a wrong
passphrase). Data (the example's names and objects) may be Chinese in an English run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from fairdraw_cli import EXAMPLE, EXAMPLE_FILES, PASSPHRASE, WALKTHROUGH, run
from languages import mixed_lines

SEED = "00" * 32
Walk = tuple[str, Path, list[tuple[tuple[str, ...], subprocess.CompletedProcess[str]]]]
DATA = (
    "示例：西城区人防办（虚构）",
    "李四（虚构）",
    "示例：西城区公证处",
)  # the example's names, Chinese in any run
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
