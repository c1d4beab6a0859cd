"""The ``fairdraw`` command, run as a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import fairdraw
from fairdraw_cli import run

SCHEMA = json.loads(
    (Path(fairdraw.__file__).parent / "schemas" / "draw-result.v1.schema.json").read_text("utf-8")
)

SEED = "00" * 31 + "01"
WORKED = "alpha\nbravo\ncharlie\ndelta\necho\n"


@pytest.fixture
def worked(tmp_path: Path) -> Path:
    path = tmp_path / "worked.txt"
    path.write_text(WORKED, encoding="utf-8")
    return path


def test_console_script_is_installed() -> None:
    script = shutil.which(
        "fairdraw", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    )
    assert script is not None
    result = subprocess.run([script, "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert fairdraw.__version__ in result.stdout


def test_sample_json_is_the_spec_worked_example(worked: Path) -> None:
    result = run(
        "sample",
        "--seed",
        SEED,
        "--scope",
        "demo",
        "--k",
        "2",
        "--alternates",
        "2",
        "--labels",
        str(worked),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    assert data["media_type"] == "application/vnd.fairdraw.draw-result.v1+json"
    assert [p["label"] for p in data["selected"]] == ["alpha", "bravo"]
    assert [p["label"] for p in data["alternates"]] == ["echo", "delta"]
    assert data["selected"][0] == {
        "label": "alpha",
        "rank": 1,
        "score": "59609cc1f016568b62b6069806f184959c86790ab8ab01f7d5fad864eec5aa64",
    }
    assert (
        data["population_digest"]
        == "4a6ba664594fe5df738511d7ad33bb11c242860289fc88bc6b827a51f0573abb"
    )
    assert data["parameters"] == {"k": 2, "alternates": 2}
    jsonschema.validate(data, SCHEMA)


def test_sample_from_stdin_and_rate_mode() -> None:
    result = run(
        "sample",
        "--seed",
        SEED,
        "--scope",
        "demo",
        "--rate",
        "40%",
        "--labels",
        "-",
        "--json",
        stdin=WORKED,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [p["label"] for p in data["selected"]] == ["alpha", "bravo"]
    assert data["parameters"] == {"rate": "2/5"}
    jsonschema.validate(data, SCHEMA)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sample_human_output(worked: Path, lang: str) -> None:
    result = run(
        "sample", "--seed", SEED, "--scope", "demo", "--k", "2", "--labels", str(worked), lang=lang
    )
    assert result.returncode == 0, result.stderr
    assert "alpha" in result.stdout and "59609cc1f016568b" in result.stdout
    assert ("入选" in result.stdout) == (lang == "zh")


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--seed", "00", "--scope", "demo", "--k", "1"], 3, "seed"),
        (["--seed", SEED, "--scope", "demo ", "--k", "1"], 3, "scope"),
        (["--seed", SEED, "--scope", "demo", "--k", "9"], 3, "more than"),
        (["--seed", SEED, "--scope", "demo", "--k", "-1"], 3, "0 or more"),
        (["--seed", SEED, "--scope", "demo", "--rate", "2"], 3, "outside"),
        (["--seed", SEED, "--scope", "demo", "--rate", "abc"], 3, "not understood"),
        (["--seed", SEED, "--scope", "demo"], 2, "--k or --rate"),
        (["--seed", SEED, "--scope", "demo", "--k", "1", "--rate", "1"], 2, "--k or --rate"),
        (
            ["--seed", SEED, "--scope", "demo", "--rate", "1", "--alternates", "1"],
            2,
            "--alternates",
        ),
        (["--seed", SEED, "--scope", "demo", "--k", "x"], 2, "not a valid integer"),
    ],
)
def test_sample_errors(worked: Path, args: list[str], code: int, needle: str) -> None:
    result = run("sample", *args, "--labels", str(worked))
    assert result.returncode == code, result.stderr
    assert needle in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("content", "line", "zh"),
    [
        (b"a\nb \n", 2, "首尾有空白字符"),
        (b"a\n\nb\n", 2, "空行"),
        (b"a\nb\na\n", 3, "重复"),
        (b"a\n\xff\n", 2, "UTF-8"),
    ],
)
def test_bad_label_file_names_the_line(tmp_path: Path, content: bytes, line: int, zh: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run(
        "sample", "--seed", SEED, "--scope", "s", "--k", "1", "--labels", str(path), lang="zh"
    )
    assert result.returncode == 3
    assert f"第 {line} 行" in result.stderr and zh in result.stderr
    assert f"{path}，第 {line} 行：" in result.stderr  # the library's message, in Chinese too
    assert "line" not in result.stderr


def test_missing_label_file(tmp_path: Path) -> None:
    result = run("digest", "--labels", str(tmp_path / "nope.txt"))
    assert result.returncode == 3
    assert "cannot read" in result.stderr


def test_canonicalize_flag(tmp_path: Path) -> None:
    path = tmp_path / "messy.txt"
    path.write_bytes(b" alpha\nbravo \r\ncharlie\ndelta\necho\n")
    assert run("digest", "--labels", str(path)).returncode == 3
    result = run("digest", "--labels", str(path), "--canonicalize", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["population_digest"].startswith("4a6ba664")


def test_digest(worked: Path) -> None:
    result = run("digest", "--labels", str(worked), "--json")
    assert json.loads(result.stdout) == {
        "spec": "fairdraw/draw/v1",
        "population_digest": "4a6ba664594fe5df738511d7ad33bb11c242860289fc88bc6b827a51f0573abb",
        "population_size": 5,
        "salt": "",
    }
    salted = run("digest", "--labels", str(worked), "--salt", "5a" * 32, "--json")
    expected = fairdraw.population_digest(WORKED.split(), salt="5a" * 32).hex()
    assert json.loads(salted.stdout)["population_digest"] == expected
    assert run("digest", "--labels", str(worked), "--salt", "5a").returncode == 3
    assert "4a6ba664" in run("digest", "--labels", str(worked)).stdout


def test_demo_prints_a_command_that_verifies_it() -> None:
    result = run("demo", "--seed", SEED)
    assert result.returncode == 0, result.stderr
    command = result.stdout.strip().splitlines()[-1].split()
    assert command[:2] == ["fairdraw", "sample"]
    again = run(*command[1:], "--json")
    assert again.returncode == 0, again.stderr
    demo = json.loads(run("demo", "--seed", SEED, "--json").stdout)
    assert json.loads(again.stdout) == demo
    assert len(demo["selected"]) == 9 and len(demo["alternates"]) == 3
    jsonschema.validate(demo, SCHEMA)


def test_schema_rejects_a_malformed_result() -> None:
    bad = json.loads(run("demo", "--seed", SEED, "--json").stdout)
    bad["selected"][0]["score"] = bad["selected"][0]["score"].upper()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)


def test_demo_random_seed_differs() -> None:
    first = json.loads(run("demo", "--json").stdout)["seed"]
    second = json.loads(run("demo", "--json").stdout)["seed"]
    assert first != second


def test_lang_option_overrides_environment(worked: Path) -> None:
    result = run("--lang", "zh", "digest", "--labels", str(worked), lang="en")
    assert "名单摘要" in result.stdout
