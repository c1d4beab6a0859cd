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
from fairdraw.i18n import N_, _, shown_time
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
            _(
                "log_imports holds {count} rows: a database is loaded from an export "
                "once, when it is empty; rows were added to it by hand"
            ).format(count=len(marks))
        )
    size, head = int(marks[0]["up_to_seq"]), str(marks[0]["head"])
    where = _("log_imports row {size}").format(size=size)
    if not 0 < size <= len(entries) or not hmac.compare_digest(
        entries[size - 1].hash.encode(), head.encode()
    ):
        raise VerificationError(
            _("{where}: it does not name an entry of this log and its hash").format(where=where)
        )
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
                _(
                    "{table} row of audit log entry {early}: the database was loaded from an "
                    "export up to entry {imported}, with none of their rows (log_imports), "
                    "yet holds this one"
                ).format(table=table, early=early, imported=imported)
            )
    scopes = {(str(row["draw_id"]), str(row["scope"])) for row in rows("draws")}
    keys = {str(row["key_id"]) for row in rows("office_keys")}
    for entry in entries:
        if entry.key_id not in keys:
            raise _deleted(
                entry,
                _("the key {key_id}… that signed it is not in office_keys").format(
                    key_id=entry.key_id[:16]
                ),
            )
        if entry.seq <= imported:
            continue
        for table in tables_of(entry.kind):
            if entry.seq not in claimed[table]:
                raise _deleted(entry, _("its row is not in table {table}").format(table=table))
        if entry.kind == "draw.finalised" and entry.payload.get("status") == "drawn":
            for item in entry.payload.get("scopes") or ():
                scope = str(item.get("scope")) if isinstance(item, dict) else str(item)
                if (str(entry.payload.get("draw_id")), scope) not in scopes:
                    raise _deleted(
                        entry,
                        _("table draws has no row for its scope {scope!r}").format(scope=scope),
                    )


def _deleted(entry: LogEntry, what: str) -> VerificationError:
    payload = entry.payload
    about = next(
        (
            _(phrase).format(value=payload[key])
            for key, phrase in (
                ("draw_id", N_(" of draw {value!r}")),
                ("name", N_(" of snapshot {value!r}")),
                ("subject", N_(" of subject {value!r}")),
            )
            if payload.get(key)
        ),
        "",
    )
    return VerificationError(
        _(
            "audit log entry {seq} ({kind}{about}, {time}): {what}; it was deleted "
            "after it was written (restore it from a backup)"
        ).format(
            seq=entry.seq, kind=entry.kind, about=about, time=shown_time(entry.time), what=what
        )
    )
