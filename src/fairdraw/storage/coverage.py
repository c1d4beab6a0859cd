"""Every entry that writes a row still has it (audit log spec, sec. 7): nothing deleted escapes.

:mod:`fairdraw.storage.integrity` checks that every row matches the entry that logged it; this
module checks the other direction: each snapshot, ceremony event, record, scope, approval and
document the log says was written is still in its table, and each key that signed an entry is
still known. A database loaded from an export (``fairdraw log import``) holds the imported
entries without their rows; the table ``log_imports`` says up to which entry, and then no row of
those entries may be there either.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from typing import Any

from fairdraw.errors import VerificationError
from fairdraw.storage.log import LogEntry

__all__ = ["ROW_TABLES", "check_coverage", "imported_prefix", "tables_of"]

Rows = Callable[[str], list[dict[str, Any]]]

ROW_TABLES: dict[str, tuple[str, ...]] = {
    "population.snapshot": ("populations",),
    "draw.finalised": ("records",),
    "approval": ("approvals",),
    "document": ("documents",),
    "inspection.result": ("results", "documents"),
}
"""The tables an entry of each kind writes its row to (``ceremony.*``: ``ceremony_events``)."""

_LOGGED_TABLES = ("populations", "ceremony_events", "records", "approvals", "results", "documents")


def tables_of(kind: str) -> tuple[str, ...]:
    """The tables an entry of ``kind`` wrote a row to (none for a tool's own kinds)."""
    return ("ceremony_events",) if kind.startswith("ceremony.") else ROW_TABLES.get(kind, ())


def imported_prefix(entries: Sequence[LogEntry], rows: Rows) -> int:
    """How many entries were loaded from an export without their rows (0 if none).

    Raises:
        VerificationError: the ``log_imports`` table does not match the log.
    """
    marks = rows("log_imports")
    if not marks:
        return 0
    if len(marks) > 1:
        raise VerificationError(
            f"log_imports holds {len(marks)} rows: a database is loaded from an export once, "
            f"when it is empty; rows were added to it by hand"
        )
    size, head = int(marks[0]["up_to_seq"]), str(marks[0]["head"])
    where = f"log_imports row {size}"
    if not 0 < size <= len(entries) or not hmac.compare_digest(
        entries[size - 1].hash.encode(), head.encode()
    ):
        raise VerificationError(f"{where}: it does not name an entry of this log and its hash")
    return size


def check_coverage(entries: Sequence[LogEntry], rows: Rows) -> None:
    """Check that every entry's rows, every finalised scope and every signing key are stored.

    Raises:
        VerificationError: the first entry whose row is missing, named with its table.
    """
    imported = imported_prefix(entries, rows)
    claimed = {table: {int(row["log_seq"]) for row in rows(table)} for table in _LOGGED_TABLES}
    for table, seqs in claimed.items():
        early = min(seqs, default=imported + 1)
        if early <= imported:
            raise VerificationError(
                f"{table} row of audit log entry {early}: the database was loaded from an export "
                f"up to entry {imported}, with none of their rows (log_imports), yet holds this "
                f"one"
            )
    scopes = {(str(row["draw_id"]), str(row["scope"])) for row in rows("draws")}
    keys = {str(row["key_id"]) for row in rows("office_keys")}
    for entry in entries:
        if entry.key_id not in keys:
            raise _deleted(
                entry, f"the key {entry.key_id[:16]}… that signed it is not in office_keys"
            )
        if entry.seq <= imported:
            continue
        for table in tables_of(entry.kind):
            if entry.seq not in claimed[table]:
                raise _deleted(entry, f"its row is not in table {table}")
        if entry.kind == "draw.finalised" and entry.payload.get("status") == "drawn":
            for item in entry.payload.get("scopes") or ():
                scope = str(item.get("scope")) if isinstance(item, dict) else str(item)
                if (str(entry.payload.get("draw_id")), scope) not in scopes:
                    raise _deleted(entry, f"table draws has no row for its scope {scope!r}")


def _deleted(entry: LogEntry, what: str) -> VerificationError:
    payload = entry.payload
    about = next(
        (
            f" of {name} {payload[key]!r}"
            for key, name in (("draw_id", "draw"), ("name", "snapshot"), ("subject", "subject"))
            if payload.get(key)
        ),
        "",
    )
    return VerificationError(
        f"audit log entry {entry.seq} ({entry.kind}{about}, {entry.time}): {what}; it was "
        f"deleted after it was written (restore it from a backup)"
    )
