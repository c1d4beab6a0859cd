"""``fairdraw store`` and ``fairdraw log``, run as real processes on a real SQLite file."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw.signing import OfficeKey
from fairdraw_cli import EXAMPLE, PASSPHRASE, run


@pytest.mark.slow
def test_store_export_verify_import(tmp_path: Path) -> None:
    env = {"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE, "FAIRDRAW_DB": str(tmp_path / "office.db")}
    shutil.copy(EXAMPLE / "objects.txt", tmp_path)
    assert run("key", "generate", "k.key", cwd=tmp_path, env=env).returncode == 0
    stored = run(
        "store",
        "population",
        "objects.txt",
        "--name",
        "MAINT",
        "--actor",
        "张三",
        "--key",
        "k.key",
        cwd=tmp_path,
        env=env,
    )
    assert stored.returncode == 0, stored.stderr
    assert "33e7b05b" in stored.stdout
    again = run(
        "store",
        "population",
        "objects.txt",
        "--name",
        "MAINT",
        "--actor",
        "张三",
        "--key",
        "k.key",
        cwd=tmp_path,
        env=env,
    )
    assert again.returncode == 0
    live = run("log", "verify", "--public-key", "k.key.pub", "--json", cwd=tmp_path, env=env)
    assert live.returncode == 0 and json.loads(live.stdout)["entries"] == 1
    exported = run("log", "export", "--out", "log.jsonl", cwd=tmp_path, env=env)
    assert exported.returncode == 0, exported.stderr
    assert (
        run(
            "log", "verify", "log.jsonl", "--public-key", "k.key.pub", cwd=tmp_path, env=env
        ).returncode
        == 0
    )
    imported = run("log", "import", "log.jsonl", "--db", "copy.db", cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    assert (
        run(
            "log", "verify", "--db", "copy.db", "--public-key", "k.key.pub", cwd=tmp_path, env=env
        ).returncode
        == 0
    )
    lines = (tmp_path / "log.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[1])
    entry["entry"]["actor"] = "李四"
    (tmp_path / "bad.jsonl").write_text(
        "\n".join([lines[0], json.dumps(entry)]) + "\n", encoding="utf-8"
    )
    bad = run("log", "verify", "bad.jsonl", cwd=tmp_path, env=env)
    assert bad.returncode == 4 and "entry 1" in bad.stderr


def vector_record_and_key(folder: Path) -> None:
    """Write the ceremony vector's record and its office key (encrypted) into ``folder``."""
    data = json.loads(
        (Path(__file__).parents[1] / "vectors" / "ceremony-v1.json").read_text("utf-8")
    )
    (folder / "record.json").write_text(json.dumps(data["record"]), encoding="utf-8")
    private = bytes.fromhex(data["inputs"]["office_private_key"])
    OfficeKey(Ed25519PrivateKey.from_private_bytes(private)).save(
        folder / "office.key", PASSPHRASE.encode()
    )


def store_record(
    folder: Path, actor: str, db: str, lang: str = "en"
) -> subprocess.CompletedProcess[str]:
    """`fairdraw store record record.json` as ``actor`` into ``db``."""
    args = ("store", "record", "record.json", "--actor", actor, "--key", "office.key")
    env = {"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE}
    return run("--lang", lang, *args, "--db", db, cwd=folder, env=env)


def test_finalising_twice_exits_6_and_tampered_database_exits_4(tmp_path: Path) -> None:
    vector_record_and_key(tmp_path)
    db = str(tmp_path / "office.db")
    first = store_record(tmp_path, "张三", db)
    assert first.returncode == 0, first.stderr
    second = store_record(tmp_path, "李四", db, lang="zh")
    assert second.returncode == 6 and "已定稿" in second.stderr
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("UPDATE audit_log SET actor = '王五' WHERE seq = 1")
    connection.close()
    tampered = run("log", "verify", "--db", db, "--public-key", "office.key.pub", cwd=tmp_path)
    assert tampered.returncode == 4 and "edited" in tampered.stderr


def test_log_verify_names_an_edited_record_row(tmp_path: Path) -> None:
    """The chain intact, but the stored record edited past the triggers: exit 4, row named."""
    vector_record_and_key(tmp_path)
    db = str(tmp_path / "office.db")
    assert store_record(tmp_path, "张三", db).returncode == 0
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("DROP TRIGGER records_no_update")
    connection.execute("UPDATE records SET status = 'aborted'")
    connection.close()
    checked = run("log", "verify", "--db", db, "--public-key", "office.key.pub", cwd=tmp_path)
    assert checked.returncode == 4, checked.stderr
    assert "records row" in checked.stderr and "status" in checked.stderr


def test_cli_on_postgres(tmp_path: Path, pg_url: str) -> None:
    """`--db postgresql://…` points every storage command at PostgreSQL."""
    vector_record_and_key(tmp_path)
    stored = store_record(tmp_path, "张三", pg_url)
    assert stored.returncode == 0, stored.stderr
    assert store_record(tmp_path, "李四", pg_url).returncode == 6
    verified = run(
        "log", "verify", "--db", pg_url, "--public-key", "office.key.pub", "--json", cwd=tmp_path
    )
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["entries"] == 1


def test_approve_from_the_command_line(tmp_path: Path) -> None:
    vector_record_and_key(tmp_path)
    db = str(tmp_path / "office.db")
    assert store_record(tmp_path, "张三", db).returncode == 0
    env = {"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE}
    args = ("store", "approve", "vector-2023-09", "--approver", "王主任", "--role", "主管领导")
    result = run(
        *args,
        "--note",
        "同意",
        "--actor",
        "张三",
        "--key",
        "office.key",
        "--db",
        db,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "approved" in result.stdout
    unknown = run(
        "store",
        "approve",
        "nope",
        "--approver",
        "a",
        "--role",
        "b",
        "--actor",
        "c",
        "--key",
        "office.key",
        "--db",
        db,
        cwd=tmp_path,
        env=env,
    )
    assert unknown.returncode == 6 and "not finalised" in unknown.stderr


def test_log_checkpoint_a_shortened_log_and_a_reused_draw_id(tmp_path: Path) -> None:
    """`fairdraw log checkpoint`, then the log cut short past the triggers: `log verify
    --checkpoint` fails naming the deleted entries; the draw stored again exits 9."""
    vector_record_and_key(tmp_path)
    db = str(tmp_path / "office.db")
    assert store_record(tmp_path, "张三", db).returncode == 0
    env = {"FAIRDRAW_KEY_PASSPHRASE": PASSPHRASE}
    sign = ("log", "checkpoint", "--key", "office.key", "--out", "cp.json", "--db", db)
    signed = run("--lang", "en", *sign, cwd=tmp_path, env=env)
    assert signed.returncode == 0, signed.stderr
    assert "Log checkpoint written to cp.json: 1 entries" in signed.stderr
    assert "Beijing time" in signed.stderr
    checkpoint = json.loads((tmp_path / "cp.json").read_text(encoding="utf-8"))
    assert checkpoint["format"] == "fairdraw/log-checkpoint/v1" and checkpoint["size"] == 1
    verify = ("log", "verify", "--db", db, "--public-key", "office.key.pub")
    checked = run("--lang", "zh", *verify, "--checkpoint", "cp.json", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "审计日志完整" in checked.stdout and "包含检查点 cp.json：" in checked.stdout
    assert "（北京时间），共 1 条" in checked.stdout
    exported = run("log", "export", "--db", db, "--out", "log.jsonl", cwd=tmp_path)
    assert exported.returncode == 0
    connection = sqlite3.connect(db, isolation_level=None)
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        connection.execute(f"DROP TRIGGER {name}")
    for table in ("draws", "records", "audit_log"):
        connection.execute(f"DELETE FROM {table}")  # noqa: S608 (a fixed name)
    connection.close()
    assert run(*verify, cwd=tmp_path).returncode == 0  # without the checkpoint: looks whole
    shortened = run("--lang", "en", *verify, "--checkpoint", "cp.json", cwd=tmp_path)
    assert shortened.returncode == 4
    assert "The audit log is INVALID" in shortened.stderr
    assert "the log has 0 entries, the checkpoint of" in shortened.stderr
    assert "says 1: entries were deleted" in shortened.stderr
    export = ("log", "verify", "log.jsonl", "--checkpoint", "cp.json")
    assert run(*export, cwd=tmp_path).returncode == 0  # the export made before still extends it
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("DELETE FROM office_keys")
    connection.close()
    imported = run("log", "import", "log.jsonl", "--db", db, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr  # the entries back, without their rows
    again = store_record(tmp_path, "李四", db, lang="zh")
    assert again.returncode == 9, again.stderr
    assert "该抽取编号已经用过" in again.stderr and "审计日志第 1 条" in again.stderr
