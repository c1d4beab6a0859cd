"""``fairdraw store …`` and ``fairdraw log …``: keeping records and checking the audit log."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

import click

from fairdraw.cli.app import current_lang, print_json, report_errors
from fairdraw.cli.common import office_key_option, passphrase_option, read_record
from fairdraw.cli.i18n import text
from fairdraw.errors import InputError, VerificationError
from fairdraw.exits import ExitCode
from fairdraw.files import write_atomic
from fairdraw.i18n import N_, _, shown_time, speaking
from fairdraw.labelfile import read_population
from fairdraw.passphrase import load_office_key
from fairdraw.signing import PublicKey
from fairdraw.storage import (
    Checkpoint,
    Store,
    log_checkpoint,
    open_store,
    read_export,
    verify_log,
    write_export,
)
from fairdraw.storage.sqlite import default_path

DB_ENV = "FAIRDRAW_DB"

_db_option = click.option(
    "--db",
    "db_path",
    default=None,
    metavar="PATH",
    help=N_(
        "A SQLite file or a postgresql:// URL (default: $FAIRDRAW_DB, else fairdraw.db in the "
        "user data folder)."
    ),
)


def _open(db_path: str | None) -> Store:
    return open_store(db_path or os.environ.get(DB_ENV) or default_path())


@click.group(help=N_("Keep population snapshots and draw records in the database."))
def store() -> None:
    """``fairdraw store``."""


@store.command("record", help=N_("Finalise a signed draw record: once per draw id, logged."))
@click.argument("record_path", metavar="RECORD.json")
@click.option("--actor", required=True, help=N_("Who stores it (recorded in the audit log)."))
@office_key_option
@passphrase_option
@_db_option
@report_errors
def store_record(
    record_path: str, actor: str, key_path: str, passphrase_file: str | None, db_path: str | None
) -> None:
    """``fairdraw store record``."""
    record = read_record(record_path)
    key = load_office_key(key_path, passphrase_file)
    with _open(db_path) as database:
        entry = database.finalise(record, actor=actor, key=key)
    lang = current_lang()
    click.echo(text("store.finalised", lang, draw_id=record.get("draw_id"), seq=entry.seq))


@store.command("population", help=N_("Keep an immutable snapshot of a label file."))
@click.argument("labels_path", metavar="FILE")
@click.option("--name", required=True, help=N_("A name for the snapshot, e.g. 2026-05/MAINT."))
@click.option("--salt", default=None, metavar="HEX", help=N_("A confidential list's 32-byte salt."))
@click.option("--actor", required=True, help=N_("Who stores it (recorded in the audit log)."))
@office_key_option
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
    """``fairdraw store population``."""
    population = read_population(labels_path, salt=salt)
    key = load_office_key(key_path, passphrase_file)
    with _open(db_path) as database:
        digest = database.save_population(population, name=name, actor=actor, key=key)
    click.echo(text("store.population", current_lang(), name=name, digest=digest))


@store.command("approve", help=N_("Record the leader's confirmation of a finalised draw."))
@click.argument("draw_id")
@click.option("--approver", required=True, help=N_("Who confirms, e.g. the leader in charge."))
@click.option(
    "--role", required=True, help=N_("Their role, e.g. the leader in charge (recorded as given).")
)
@click.option("--reject", is_flag=True, help=N_("Record a rejection instead of an approval."))
@click.option("--note", default="", help=N_("What they said."))
@click.option("--actor", required=True, help=N_("Who records it."))
@office_key_option
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
    """``fairdraw store approve``."""
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
    said = text(
        f"store.{decision}", current_lang(), draw_id=draw_id, approver=approver, seq=entry.seq
    )
    click.echo(said)


@click.group(help=N_("The append-only, hash-chained audit log."))
def log() -> None:
    """``fairdraw log``."""


@log.command(
    "export", help=N_("Write the audit log as JSON Lines, checkable without the database.")
)
@click.option(
    "--out",
    "out_path",
    default="-",
    metavar="FILE",
    help=N_("Where to write it (default: standard output); never overwritten."),
)
@_db_option
@report_errors
def log_export(out_path: str, db_path: str | None) -> None:
    """``fairdraw log export``."""
    with _open(db_path) as database:
        entries = database.entries()
        if not entries:
            raise InputError(_("the audit log is empty: nothing to export"))
        office = database.office_key(entries[0].key_id)
    if out_path == "-":
        write_export(sys.stdout, office, entries)
        return
    if Path(out_path).exists():
        raise InputError(_("{path} exists; an export is never overwritten").format(path=out_path))
    stream = io.StringIO(newline="")
    count = write_export(stream, office, entries)
    write_atomic(out_path, stream.getvalue())
    click.echo(text("log.exported", current_lang(), count=count, path=out_path), err=True)


@log.command(
    "verify",
    help=N_(
        "Check an audit log: an export file, or the live database.\n\n"
        "On the live database, every stored record, ceremony event, snapshot, approval and "
        "document is also checked against the entry that logged it, and every entry that "
        "wrote a row must still have it. With --checkpoint, the log must be at least as long "
        "as each checkpoint and agree with its head. Exit 0 if all is intact, 4 with the "
        "first problem otherwise."
    ),
)
@click.argument("export_path", required=False, metavar="[EXPORT.jsonl]")
@click.option(
    "--public-key",
    "public_key_path",
    default=None,
    metavar="FILE",
    help=N_("The office's public key (KEYFILE.pub): the signatures are checked against it."),
)
@click.option(
    "--checkpoint",
    "checkpoint_paths",
    multiple=True,
    metavar="FILE",
    help=N_("A published log checkpoint the log must extend (repeatable)."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON object."))
@_db_option
@report_errors
def log_verify(
    export_path: str | None,
    public_key_path: str | None,
    checkpoint_paths: tuple[str, ...],
    as_json: bool,
    db_path: str | None,
) -> None:
    """``fairdraw log verify``."""
    lang = current_lang()
    trusted = None if public_key_path is None else PublicKey.load(public_key_path)
    checkpoints = [Checkpoint.read(path) for path in checkpoint_paths]
    try:
        with speaking("en") if as_json else contextlib.nullcontext():  # JSON: never translated
            if export_path is not None:
                office, entries = read_export(export_path)
                if trusted is not None and trusted != office:
                    raise VerificationError(
                        _("the export names another office key than --public-key")
                    )
                count = verify_log(list(entries), trusted or office, checkpoints)
                source = export_path
            else:
                with _open(db_path) as database:
                    count = database.verify_chain(trusted, checkpoints=checkpoints)
                    source = database.path
    except VerificationError as err:
        if as_json:
            print_json({"valid": False, "reason": str(err)})
        click.echo(text("log.invalid", lang), err=True)
        if not as_json:  # the JSON says why, in English
            click.echo(f"  {err}", err=True)
        sys.exit(ExitCode.VERIFICATION_FAILED)
    if as_json:
        print_json(
            {
                "valid": True,
                "entries": count,
                "source": source,
                "checkpoints": [
                    {"size": c.size, "head": c.head, "time": c.time} for c in checkpoints
                ],
            }
        )
        return
    signatures = "" if trusted or export_path else text("log.unsigned", lang)
    click.echo(text("log.intact", lang, count=count, source=source) + signatures)
    for path, checkpoint in zip(checkpoint_paths, checkpoints, strict=True):
        click.echo(
            text(
                "log.extends",
                lang,
                path=path,
                time=shown_time(checkpoint.time),
                size=checkpoint.size,
            )
        )


@log.command(
    "checkpoint",
    help=N_(
        "Sign a checkpoint of the audit log (its size and head hash), to publish.\n\n"
        "The log and its rows are checked first: a checkpoint never vouches for a broken log. "
        "An existing --out file is never overwritten with another checkpoint."
    ),
)
@office_key_option
@click.option(
    "--out",
    "out_path",
    default=None,
    metavar="FILE",
    help=N_("Where to write it (default: standard output)."),
)
@passphrase_option
@_db_option
@report_errors
def log_checkpoint_command(
    key_path: str, out_path: str | None, passphrase_file: str | None, db_path: str | None
) -> None:
    """``fairdraw log checkpoint``."""
    key = load_office_key(key_path, passphrase_file)
    with _open(db_path) as database:
        database.verify_chain(key.public)
        checkpoint = log_checkpoint(database, key)
    if out_path is None:
        sys.stdout.write(checkpoint.to_bytes().decode())
        return
    checkpoint.write(out_path)
    lang = current_lang()
    when = shown_time(checkpoint.time)
    values = {"path": out_path, "size": checkpoint.size, "head": checkpoint.head, "time": when}
    click.echo(text("log.checkpoint", lang, **values), err=True)


@log.command("import", help=N_("Load an export into an empty database, checking every entry."))
@click.argument("export_path", metavar="EXPORT.jsonl")
@_db_option
@report_errors
def log_import(export_path: str, db_path: str | None) -> None:
    """``fairdraw log import``."""
    office, entries = read_export(export_path)
    with _open(db_path) as database:
        count = database.import_entries(entries, office)
    click.echo(text("log.imported", current_lang(), count=count))


COMMANDS: tuple[click.Command, ...] = (
    store,
    log,
)
"""The commands this module adds to ``fairdraw``."""
