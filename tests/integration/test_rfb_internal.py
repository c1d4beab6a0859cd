"""`rfb verify DIR --internal FOLDER`: the office's complete check of a publication, with its
own lists read through ``draws/DRAW_ID/internal/lists.json``; and every way the folder can be
wrong, refused with the file named (exit 3) rather than taken for a check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fairdraw import Population
from rfb_policy.errors import InternalListsError
from rfb_policy.files.internal import read_internal, write_internal
from rfb_policy.month import Month
from rfb_policy.workflow.demo import run_demo

DRAW = "xicheng-demo-2026-01"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo office folder, made once for the module (tests that change it copy it)."""
    folder = tmp_path_factory.mktemp("internal") / "demo"
    run_demo(Month(2026, 1), folder, dice=lambda n: [(5 * i) % 6 + 1 for i in range(n)])
    return folder


def copy_of(demo: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo, tmp_path / "demo"))


def verify(folder: Path, *extra: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from rfb_policy.cli.main import main; main()", "--lang", lang,
         "verify", str(folder / "publication"), "--public-key", str(folder / "office.key.pub"),
         *extra],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )  # fmt: skip


def internal(folder: Path) -> Path:
    return folder / "draws" / DRAW / "internal"


def test_the_internal_lists_make_every_check_a_real_one(demo: Path) -> None:
    public = verify(demo, "--json")
    assert public.returncode == 8, public.stdout + public.stderr
    unchecked = {c["name"] for c in json.loads(public.stdout)["checks"] if c["status"] != "passed"}
    assert len(unchecked) == 6  # the confidential lists, which are not published
    assert all("QUAL" not in name for name in unchecked)  # public-lists.json has QUAL's
    complete = verify(demo, "--internal", str(internal(demo)), "--json")
    assert complete.returncode == 0, complete.stdout + complete.stderr
    report = json.loads(complete.stdout)
    assert report["verdict"] == "passed"
    statuses = {c["name"]: (c["status"], c["detail"]) for c in report["checks"]}
    for name in unchecked:  # the very checks a citizen cannot make, now made from the lists
        status, detail = statuses[name]
        assert status == "passed" and "recomputed from" in detail, (name, detail)
    said = verify(demo, "--internal", str(internal(demo)))
    assert said.returncode == 0 and "全部核验通过" in said.stdout and "无法核验" not in said.stdout


def test_a_changed_confidential_list_fails_the_complete_check(demo: Path, tmp_path: Path) -> None:
    """The lists are checked, not trusted: an object slipped into a confidential list is
    caught by the recomputation (exit 4), though the manifest itself is in order."""
    folder = copy_of(demo, tmp_path)
    lists = internal(folder) / "2026-01_MAINT_base.txt"
    lists.write_text(lists.read_text(encoding="utf-8") + "91110102MA9999999X\n", encoding="utf-8")
    caught = verify(folder, "--internal", str(internal(folder)), "--json")
    assert caught.returncode == 4, caught.stdout + caught.stderr
    failed = [c["name"] for c in json.loads(caught.stdout)["checks"] if c["status"] == "failed"]
    assert failed == ["scope 2026-01/MAINT/base: complete recomputation"]


def manifest_of(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((internal(folder) / "lists.json").read_text("utf-8"))
    return data


def write_manifest(folder: Path, data: object) -> None:
    (internal(folder) / "lists.json").write_text(json.dumps(data), encoding="utf-8")


def without_manifest(folder: Path) -> Path:
    (internal(folder) / "lists.json").unlink()
    return internal(folder) / "lists.json"


def not_json(folder: Path) -> Path:
    (internal(folder) / "lists.json").write_text("{not json", encoding="utf-8")
    return internal(folder) / "lists.json"


def another_format(folder: Path) -> Path:
    write_manifest(folder, {**manifest_of(folder), "format": "rfb-credit/1"})
    return internal(folder) / "lists.json"


def another_draw(folder: Path) -> Path:
    write_manifest(folder, {**manifest_of(folder), "draw_id": "xicheng-demo-2026-02"})
    return internal(folder) / "lists.json"


def a_list_missing(folder: Path) -> Path:
    (internal(folder) / "2026-01_USE_risk.txt").unlink()
    return internal(folder) / "2026-01_USE_risk.txt"


def a_file_outside(folder: Path) -> Path:
    data = manifest_of(folder)
    data["lists"]["2026-01/QUAL"]["file"] = "../record.json"
    write_manifest(folder, data)
    return internal(folder) / "lists.json"


def a_bad_salt(folder: Path) -> Path:
    data = manifest_of(folder)
    data["lists"]["2026-01/USE/base"]["salt"] = "00ff"
    write_manifest(folder, data)
    return internal(folder) / "lists.json"


def an_empty_list(folder: Path) -> Path:
    (internal(folder) / "2026-01_QUAL.txt").write_text("", encoding="utf-8")
    return internal(folder) / "2026-01_QUAL.txt"


@pytest.mark.parametrize(
    ("breakage", "words"),
    [
        (without_manifest, ("找不到内部名单清单", "no manifest")),
        (not_json, ("lists.json", "lists.json")),
        (another_format, ("格式有误", "rfb-internal-lists/1")),
        (another_draw, ("属于抽取 xicheng-demo-2026-02", "not xicheng-demo-2026-01")),
        (a_list_missing, ("名单文件不存在", "is missing")),
        (a_file_outside, ("格式有误", "a file name in this folder")),
        (a_bad_salt, ("格式有误", "32 bytes in hex")),
        (an_empty_list, ("名单无法读取", "cannot be read")),
    ],
)
def test_a_wrong_internal_folder_is_refused_naming_the_file(
    demo: Path, tmp_path: Path, breakage: Callable[[Path], Path], words: tuple[str, str]
) -> None:
    folder = copy_of(demo, tmp_path)
    named = breakage(folder)
    for lang, word in zip(("zh", "en"), words, strict=True):
        refused = verify(folder, "--internal", str(internal(folder)), lang=lang)
        assert refused.returncode == 3, refused.stdout + refused.stderr
        assert str(named) in refused.stderr and word in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr and not refused.stdout
    with pytest.raises(InternalListsError) as raised:
        read_internal(internal(folder)).require_draw(DRAW)
    assert raised.value.path == named


def test_the_manifest_reads_back_what_was_written(tmp_path: Path) -> None:
    salt = bytes(range(32))
    populations = {
        "2026-03/MAINT/base": Population.of(["B-2", "B-1"], salt=salt),
        "2026-03/inspectors": Population.of(["京执110102001", "京执110102002"]),
    }
    paths = write_internal(tmp_path, "t-2026-03", populations)
    assert paths["2026-03/MAINT/base"] == tmp_path / "2026-03_MAINT_base.txt"
    read = read_internal(tmp_path)
    assert read.draw_id == "t-2026-03" and read.manifest == tmp_path / "lists.json"
    assert dict(read.populations) == populations
    assert read.populations["2026-03/MAINT/base"].salt == salt
    written = json.loads((tmp_path / "lists.json").read_text("utf-8"))
    assert written["lists"]["2026-03/inspectors"] == {
        "file": "2026-03_inspectors.txt",
        "salt": None,
    }
    assert written["lists"]["2026-03/MAINT/base"]["salt"] == salt.hex()


def test_rfb_export_writes_the_manifest_again(demo: Path, tmp_path: Path) -> None:
    folder = copy_of(demo, tmp_path)
    manifest = internal(folder) / "lists.json"
    before = manifest.read_bytes()
    manifest.unlink()
    exported = subprocess.run(
        [sys.executable, "-c", "from rfb_policy.cli.main import main; main()",
         "--config", str(folder / "rfb.toml"), "export", "2026-01"],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert manifest.read_bytes() == before
    assert verify(folder, "--internal", str(internal(folder))).returncode == 0
