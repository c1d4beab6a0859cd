"""``fairdraw store …`` and ``fairdraw log …``: keeping records and checking the audit log."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import click

from fairdraw.cli.app import print_json, report_errors
from fairdraw.cli.common import passphrase_option, read_json
from fairdraw.errors import InputError, VerificationError
from fairdraw.files import write_atomic
from fairdraw.labelfile import read_population
from fairdraw.passphrase import load_office_key
from fairdraw.signing import PublicKey
from fairdraw.storage import Store, open_store, read_export, verify_entries, write_export
from fairdraw.storage.sqlite import default_path

DB_ENV = "FAIRDRAW_DB"

_db_option = click.option(
    "--db",
    "db_path",
    default=None,
    metavar="PATH",
    help=f"A SQLite file or a postgresql:// URL (default: ${DB_ENV}, else fairdraw.db in the "
    "user data folder).",
)


def _open(db_path: str | None) -> Store:
    return open_store(db_path or os.environ.get(DB_ENV) or default_path())


@click.group()
def store() -> None:
    """Keep population snapshots and draw records in the database. 存档。"""


@store.command("record")
@click.argument("record_path", metavar="RECORD.json")
@click.option("--actor", required=True, help="Who stores it (recorded in the audit log).")
@click.option("--key", "key_path", required=True, metavar="KEYFILE")
@passphrase_option
@_db_option
@report_errors
def store_record(
    record_path: str, actor: str, key_path: str, passphrase_file: str | None, db_path: str | None
) -> None:
    """Finalise a signed draw record: once per draw id, logged. 定稿抽取记录。"""
    record = read_json(record_path, "draw record")
    if not isinstance(record, dict):
        raise InputError(f"{record_path}: a draw record is a JSON object")
    key = load_office_key(key_path, passphrase_file)
    with _open(db_path) as database:
        entry = database.finalise(record, actor=actor, key=key)
    click.echo(f"finalised {record.get('draw_id')} (audit log entry {entry.seq})")


@store.command("population")
@click.argument("labels_path", metavar="FILE")
@click.option("--name", required=True, help="A name for the snapshot, e.g. 2026-05/MAINT.")
@click.option("--salt", default=None, metavar="HEX", help="A confidential list's 32-byte salt.")
@click.option("--actor", required=True)
@click.option("--key", "key_path", required=True, metavar="KEYFILE")
@passphrase_option
@_db_option
@report_errors
def store_population(
    labels_path: str,
    name: str,
    salt: str | None,
    actor: str,
    key_path: str,
    passphrase_file: str | None,
    db_path: str | None,
) -> None:
    """Keep an immutable snapshot of a label file. 保存名单快照。"""
    population = read_population(labels_path, salt=salt)
    key = load_office_key(key_path, passphrase_file)
    with _open(db_path) as database:
        digest = database.save_population(population, name=name, actor=actor, key=key)
    click.echo(f"population {name}: {digest}")


@store.command("approve")
@click.argument("draw_id")
@click.option("--approver", required=True, help="Who confirms, e.g. the leader in charge.")
@click.option("--role", required=True, help="Their role, e.g. 主管领导.")
@click.option("--reject", is_flag=True, help="Record a rejection instead of an approval.")
@click.option("--note", default="", help="What they said.")
@click.option("--actor", required=True, help="Who records it.")
@click.option("--key", "key_path", required=True, metavar="KEYFILE")
@passphrase_option
@_db_option
@report_errors
def store_approve(
    draw_id: str,
    approver: str,
    role: str,
    reject: bool,
    note: str,
    actor: str,
    key_path: str,
    passphrase_file: str | None,
    db_path: str | None,
) -> None:
    """Record the leader's confirmation of a finalised draw. 记录领导确认。"""
    key = load_office_key(key_path, passphrase_file)
    decision = "rejected" if reject else "approved"
    with _open(db_path) as database:
        entry = database.approve(
            draw_id,
            approver=approver,
            role=role,
            decision=decision,
            note=note,
            actor=actor,
            key=key,
        )
    click.echo(f"{decision}: {draw_id} by {approver} (audit log entry {entry.seq})")


@click.group()
def log() -> None:
    """The append-only, hash-chained audit log. 审计日志。"""


@log.command("export")
@click.option("--out", "out_path", default="-", metavar="FILE", help="Default: standard output.")
@_db_option
@report_errors
def log_export(out_path: str, db_path: str | None) -> None:
    """Write the audit log as JSON Lines, checkable without the database. 导出审计日志。"""
    with _open(db_path) as database:
        entries = database.entries()
        if not entries:
            raise InputError("the audit log is empty: nothing to export")
        office = database.office_key(entries[0].key_id)
    if out_path == "-":
        write_export(sys.stdout, office, entries)
        return
    if Path(out_path).exists():
        raise InputError(f"{out_path} exists; an export is never overwritten")
    stream = io.StringIO(newline="")
    count = write_export(stream, office, entries)
    write_atomic(out_path, stream.getvalue())
    click.echo(f"exported {count} entries to {out_path}", err=True)


@log.command("verify")
@click.argument("export_path", required=False, metavar="[EXPORT.jsonl]")
@click.option("--public-key", "public_key_path", default=None, metavar="FILE")
@click.option("--json", "as_json", is_flag=True)
@_db_option
@report_errors
def log_verify(
    export_path: str | None, public_key_path: str | None, as_json: bool, db_path: str | None
) -> None:
    """Check an audit log: an export file, or the live database. 核验审计日志。

    On the live database, every stored record, ceremony event, snapshot, approval and document
    is also checked against the entry that logged it. Exit 0 if all is intact, 4 with the first
    broken entry or edited row otherwise.
    """
    trusted = None if public_key_path is None else PublicKey.load(public_key_path)
    try:
        if export_path is not None:
            office, entries = read_export(export_path)
            if trusted is not None and trusted != office:
                raise VerificationError("the export names another office key than --public-key")
            count = verify_entries(entries, trusted or office)
            source = export_path
        else:
            with _open(db_path) as database:
                count = database.verify_chain(trusted)
                source = database.path
    except VerificationError as err:
        if as_json:
            print_json({"valid": False, "reason": str(err)})
        click.echo(f"audit log INVALID / 审计日志被篡改: {err}", err=True)
        sys.exit(4)
    if as_json:
        print_json({"valid": True, "entries": count, "source": source})
    else:
        signatures = "" if trusted or export_path else " (signatures not checked: --public-key)"
        click.echo(f"audit log intact / 审计日志完整: {count} entries in {source}{signatures}")


@log.command("import")
@click.argument("export_path", metavar="EXPORT.jsonl")
@_db_option
@report_errors
def log_import(export_path: str, db_path: str | None) -> None:
    """Load an export into an empty database, checking every entry. 导入审计日志。"""
    office, entries = read_export(export_path)
    with _open(db_path) as database:
        count = database.import_entries(entries, office)
    click.echo(f"imported {count} entries")


COMMANDS: tuple[click.Command, ...] = (
    store,
    log,
)
"""The commands this module adds to ``fairdraw``."""
