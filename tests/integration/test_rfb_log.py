"""``rfb check-log`` on the demo's office folder: its log extends the checkpoint it published;
the month deleted by hand cannot be drawn again (exit 9); cut short past the triggers, the log
fails naming the deleted entries; a changed checkpoint fails ``rfb verify`` (real SQLite file,
real subprocesses)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from fairdraw import PASSPHRASE_ENV
from rfb_policy.month import Month
from rfb_policy.workflow.demo import run_demo


def rfb(
    folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from rfb_policy.cli.main import main; main()", *args],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=120, cwd=folder,
        env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_check_log_against_the_published_checkpoint(tmp_path: Path) -> None:
    run_demo(Month(2026, 1), tmp_path / "demo", dice=lambda n: [(5 * i) % 6 + 1 for i in range(n)])
    office = tmp_path / "demo"
    published = office / "publication" / "log-checkpoint.json"
    checkpoint = json.loads(published.read_text(encoding="utf-8"))
    intact = rfb(office, "check-log")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "审计日志完整" in intact.stdout and "1 个已公示的检查点一致" in intact.stdout
    english = rfb(office, "--lang", "en", "check-log")
    assert "Audit log intact" in english.stdout and "extending 1 published" in english.stdout

    connection = sqlite3.connect(office / "office.db", isolation_level=None)
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        connection.execute(f"DROP TRIGGER {name}")
    # the month deleted by hand, as if never drawn: drawing it again is refused by the log
    connection.execute("DELETE FROM documents WHERE draw_id IS NOT NULL")
    for table in ("approvals", "draws", "records", "ceremony_events"):
        connection.execute(f"DELETE FROM {table}")  # noqa: S608 (a fixed name)
    shutil.rmtree(office / "draws")
    passphrase = (office / "office.key.passphrase").read_text(encoding="utf-8").strip()
    again = rfb(office, "draw", "2026-01", "--leader", "王主任", env={PASSPHRASE_ENV: passphrase})
    assert again.returncode == 9, again.stdout + again.stderr
    assert "错误：该抽取编号已经用过：审计日志中有它的记录" in again.stderr
    assert "rfb check-log" in again.stderr
    size = checkpoint["size"]
    for table in ("documents", "approvals"):  # the rows of the newest entries, with them
        connection.execute(f"DELETE FROM {table} WHERE log_seq >= ?", [size - 1])  # noqa: S608
    connection.execute("DELETE FROM audit_log WHERE seq >= ?", [size - 1])
    connection.close()
    cut = rfb(office, "--lang", "en", "check-log")
    assert cut.returncode == 4, cut.stdout + cut.stderr
    assert "The audit log is INVALID" in cut.stderr
    assert f"the log has {size - 2} entries, the checkpoint of" in cut.stderr
    assert f"says {size}: entries were deleted" in cut.stderr

    edited = {**checkpoint, "size": size - 2}
    published.write_text(json.dumps(edited), encoding="utf-8")
    report = rfb(office, "verify", "publication", "--public-key", "office.key.pub", "--json")
    assert report.returncode == 4
    checks = {c["name"]: c for c in json.loads(report.stdout)["checks"]}
    assert checks["log.checkpoint"]["status"] == "failed"
    assert "signature does not verify" in checks["log.checkpoint"]["detail"]
    assert "log-checkpoint.json" in checks["manifest.files"]["detail"]
