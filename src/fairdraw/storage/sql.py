"""The SQL both adapters share: the same tables, the same statements, ``?`` placeholders.

The SQL stays within what SQLite and PostgreSQL (and PostgreSQL-compatible servers) both accept;
an adapter supplies the connection, the write lock, the schema script and its error types.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from fairdraw.population import Population
from fairdraw.signing import PublicKey
from fairdraw.storage.base import Store
from fairdraw.storage.coverage import tables_of
from fairdraw.storage.log import GENESIS, LogEntry

__all__ = ["APPEND_ONLY_TABLES", "DOCUMENTS", "LOG_IMPORTS", "TABLES", "SQLStore"]

APPEND_ONLY_TABLES = (
    "office_keys",
    "audit_log",
    "populations",
    "ceremony_events",
    "records",
    "draws",
    "approvals",
    "results",
)
"""The tables of schema v1; every one refuses UPDATE and DELETE. ``results`` (schema v1's
inspection results) is read by nothing since v2, which copies its rows into ``documents``."""

TABLES = """
CREATE TABLE office_keys (
    key_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL UNIQUE
);
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    previous TEXT NOT NULL,
    time TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    key_id TEXT NOT NULL REFERENCES office_keys (key_id),
    signature TEXT NOT NULL
);
CREATE TABLE populations (
    digest TEXT PRIMARY KEY,
    salt TEXT NOT NULL,
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    labels TEXT NOT NULL,
    attributes TEXT NOT NULL,
    log_seq BIGINT NOT NULL REFERENCES audit_log (seq)
);
CREATE TABLE ceremony_events (
    draw_id TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    kind TEXT NOT NULL,
    event TEXT NOT NULL,
    event_hash TEXT NOT NULL UNIQUE,
    log_seq BIGINT NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (draw_id, sequence)
);
CREATE TABLE records (
    draw_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('drawn', 'aborted')),
    record TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    supersedes TEXT REFERENCES records (draw_id),
    log_seq BIGINT NOT NULL REFERENCES audit_log (seq)
);
CREATE TABLE draws (
    draw_id TEXT NOT NULL REFERENCES records (draw_id),
    scope TEXT NOT NULL,
    population_digest TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (draw_id, scope)
);
CREATE TABLE results (
    log_seq BIGINT PRIMARY KEY REFERENCES audit_log (seq),
    draw_id TEXT NOT NULL REFERENCES records (draw_id),
    object_id TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE TABLE approvals (
    log_seq BIGINT PRIMARY KEY REFERENCES audit_log (seq),
    draw_id TEXT NOT NULL REFERENCES records (draw_id),
    approver TEXT NOT NULL,
    role TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    note TEXT NOT NULL
);
"""
"""Schema version 1, common to both adapters (their triggers differ)."""

DOCUMENTS = """
CREATE TABLE documents (
    log_seq BIGINT PRIMARY KEY REFERENCES audit_log (seq),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    draw_id TEXT REFERENCES records (draw_id),
    body TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    hash_format TEXT NOT NULL CHECK (hash_format IN ('jcs-sha256', 'legacy-json-sorted'))
);
CREATE INDEX documents_by_kind ON documents (kind, subject);
"""
"""Schema version 2: a tool's own documents (append-only too; the adapters add the triggers).
After the script, :meth:`SQLStore._after_migration` copies the v1 ``results`` into it."""

LOG_IMPORTS = """
CREATE TABLE log_imports (
    up_to_seq BIGINT PRIMARY KEY REFERENCES audit_log (seq),
    head TEXT NOT NULL
);
"""
"""Schema version 3: the one row saying that entries 1 … ``up_to_seq`` were loaded from an
export without their rows (append-only too). After the script,
:meth:`SQLStore._after_migration` marks a database an earlier version imported."""

_CHECKED_TABLES = frozenset({*APPEND_ONLY_TABLES, "documents", "log_imports"})
_ROW_TABLES = ("populations", "ceremony_events", "records", "approvals", "results", "documents")


class SQLStore(Store):
    """A store over a SQL connection; adapters implement :meth:`_execute` and :meth:`_query`."""

    @abstractmethod
    def _execute(self, statement: str, parameters: Sequence[Any] = ()) -> None:
        """Run one statement with ``?`` placeholders."""

    @abstractmethod
    def _query(self, statement: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a query with ``?`` placeholders; rows as dicts."""

    def _last_entry(self) -> tuple[int, str]:
        rows = self._query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        return (rows[0]["seq"], rows[0]["hash"]) if rows else (0, GENESIS)

    def _insert_entry(self, entry: LogEntry) -> None:
        self._execute(
            "INSERT INTO audit_log (seq, previous, time, actor, kind, payload, hash, key_id, "
            "signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                entry.seq,
                entry.previous,
                entry.time,
                entry.actor,
                entry.kind,
                json.dumps(entry.payload, ensure_ascii=False, sort_keys=True),
                entry.hash,
                entry.key_id,
                entry.signature,
            ],
        )

    def _insert_import(self, up_to_seq: int, head: str) -> None:
        self._execute("INSERT INTO log_imports (up_to_seq, head) VALUES (?, ?)", [up_to_seq, head])

    def _entries_naming(self, draw_id: str) -> list[LogEntry]:
        # a quick filter on the payload's text, then the exact test on the parsed payload
        # (log verify's draw id check reads every entry, whatever the text looks like)
        needle = json.dumps(draw_id, ensure_ascii=False)
        for special in ("\\", "%", "_"):
            needle = needle.replace(special, "\\" + special)
        found = self._query(
            "SELECT * FROM audit_log WHERE (kind = 'draw.finalised' OR kind LIKE ?) "
            "AND payload LIKE ? ESCAPE '\\' ORDER BY seq",
            ["ceremony.%", f"%{needle}%"],
        )
        return [e for e in map(_entry, found) if e.payload.get("draw_id") == draw_id]

    def _insert_key(self, public: PublicKey) -> None:
        self._execute(
            "INSERT INTO office_keys (key_id, public_key) VALUES (?, ?) "
            "ON CONFLICT (key_id) DO NOTHING",
            [public.key_id, public.raw.hex()],
        )

    def _get_key(self, key_id: str) -> PublicKey | None:
        rows = self._query("SELECT public_key FROM office_keys WHERE key_id = ?", [key_id])
        return PublicKey.from_hex(rows[0]["public_key"]) if rows else None

    def _entries(self) -> Iterator[LogEntry]:
        for row in self._query("SELECT * FROM audit_log ORDER BY seq"):
            yield _entry(row)

    def _insert_population(
        self, population: Population, name: str, attributes: Mapping[str, Any], seq: int
    ) -> None:
        self._execute(
            "INSERT INTO populations (digest, salt, name, size, labels, attributes, log_seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                population.digest_hex,
                population.salt.hex(),
                name,
                len(population),
                json.dumps(list(population), ensure_ascii=False),
                json.dumps(attributes, ensure_ascii=False, sort_keys=True),
                seq,
            ],
        )

    def _population_attributes(self, digest: str) -> dict[str, Any]:
        rows = self._query("SELECT attributes FROM populations WHERE digest = ?", [digest])
        return dict(json.loads(rows[0]["attributes"])) if rows else {}

    def _insert_event(self, signed: Mapping[str, Any], event_hash: str, seq: int) -> None:
        event = signed["event"]
        self._execute(
            "INSERT INTO ceremony_events (draw_id, sequence, kind, event, event_hash, log_seq) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                event["draw_id"],
                event["sequence"],
                event["kind"],
                json.dumps(signed, ensure_ascii=False, sort_keys=True),
                event_hash,
                seq,
            ],
        )

    def _events_of(self, draw_id: str) -> list[dict[str, Any]]:
        rows = self._query(
            "SELECT event FROM ceremony_events WHERE draw_id = ? ORDER BY sequence", [draw_id]
        )
        return [json.loads(row["event"]) for row in rows]

    def _insert_approval(
        self, seq: int, draw_id: str, approver: str, role: str, decision: str, note: str
    ) -> None:
        self._execute(
            "INSERT INTO approvals (log_seq, draw_id, approver, role, decision, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [seq, draw_id, approver, role, decision, note],
        )

    def _approvals_of(self, draw_id: str) -> list[dict[str, Any]]:
        return self._query(
            "SELECT p.log_seq, p.approver, p.role, p.decision, p.note, a.time, a.actor "
            "FROM approvals p JOIN audit_log a ON a.seq = p.log_seq WHERE p.draw_id = ? "
            "ORDER BY p.log_seq",
            [draw_id],
        )

    def _insert_document(
        self, seq: int, kind: str, subject: str, draw_id: str | None, body: str, body_hash: str
    ) -> None:
        self._execute(
            "INSERT INTO documents (log_seq, kind, subject, draw_id, body, body_hash, "
            "hash_format) VALUES (?, ?, ?, ?, ?, ?, 'jcs-sha256')",
            [seq, kind, subject, draw_id, body, body_hash],
        )

    def _documents_of(
        self, kind: str, subject: str | None, draw_id: str | None
    ) -> list[dict[str, Any]]:
        where, parameters = "d.kind = ?", [kind]
        if subject is not None:
            where, parameters = where + " AND d.subject = ?", [*parameters, subject]
        if draw_id is not None:
            where, parameters = where + " AND d.draw_id = ?", [*parameters, draw_id]
        return self._query(
            # Only fixed conditions are pasted in; the values go as ? parameters.
            "SELECT d.log_seq, d.kind, d.subject, d.draw_id, d.body, d.body_hash, d.hash_format, "  # noqa: S608
            "a.time, a.actor FROM documents d JOIN audit_log a ON a.seq = d.log_seq "
            f"WHERE {where} ORDER BY d.log_seq",
            parameters,
        )

    def _snapshot_rows(self, name: str | None) -> list[dict[str, Any]]:
        where = "" if name is None else "WHERE p.name = ? "
        return self._query(
            "SELECT p.name, p.digest, p.size, p.salt, p.log_seq, a.time FROM populations p "  # noqa: S608
            f"JOIN audit_log a ON a.seq = p.log_seq {where}ORDER BY p.log_seq",
            [] if name is None else [name],
        )

    def _record_rows(self) -> list[dict[str, Any]]:
        return self._query(
            "SELECT r.draw_id, r.status, r.supersedes, r.record, r.log_seq, a.time FROM records r "
            "JOIN audit_log a ON a.seq = r.log_seq ORDER BY r.log_seq"
        )

    def _unfinished_draw_ids(self) -> list[str]:
        rows = self._query(
            "SELECT draw_id, MIN(log_seq) AS first_seq FROM ceremony_events "
            "WHERE draw_id NOT IN (SELECT draw_id FROM records) GROUP BY draw_id "
            "ORDER BY first_seq"
        )
        return [row["draw_id"] for row in rows]

    def _rows(self, table: str) -> list[dict[str, Any]]:
        if table not in _CHECKED_TABLES:
            raise ValueError(f"not a fairdraw table: {table!r}")
        return self._query(f"SELECT * FROM {table}")  # noqa: S608 (a name from the list above)

    def _after_migration(self, version: int) -> None:
        """Schema v2: copy each v1 inspection result into ``documents``, keeping its log entry
        and marking its logged hash as the legacy one (``legacy-json-sorted``). Schema v3: a
        database whose first entries have none of their rows was loaded from an export by an
        earlier version; mark that prefix in ``log_imports``."""
        if version == 3:
            self._mark_old_import()
        if version != 2:
            return
        logged = self._query(
            "SELECT r.log_seq, r.draw_id, r.object_id, r.result, a.payload FROM results r "
            "JOIN audit_log a ON a.seq = r.log_seq ORDER BY r.log_seq"
        )
        for row in logged:
            self._execute(
                "INSERT INTO documents (log_seq, kind, subject, draw_id, body, body_hash, "
                "hash_format) VALUES (?, 'inspection.result', ?, ?, ?, ?, 'legacy-json-sorted')",
                [
                    row["log_seq"],
                    row["object_id"],
                    row["draw_id"],
                    row["result"],
                    str(json.loads(row["payload"])["result_hash"]),
                ],
            )

    def _mark_old_import(self) -> None:
        first_rows = [
            self._query(f"SELECT MIN(log_seq) AS s FROM {table}")[0]["s"]  # noqa: S608 (fixed)
            for table in _ROW_TABLES
        ]
        first = min((int(s) for s in first_rows if s is not None), default=None)
        bound = "" if first is None else f"WHERE seq < {int(first)} "
        prefix = self._query(f"SELECT seq, kind, hash FROM audit_log {bound}ORDER BY seq")  # noqa: S608
        if any(tables_of(row["kind"]) for row in prefix):
            self._insert_import(prefix[-1]["seq"], prefix[-1]["hash"])

    def _get_population(self, digest: str) -> Population | None:
        rows = self._query("SELECT salt, labels FROM populations WHERE digest = ?", [digest])
        if not rows:
            return None
        return Population.of(json.loads(rows[0]["labels"]), salt=rows[0]["salt"])

    def _insert_record(
        self,
        draw_id: str,
        status: str,
        record: str,
        record_hash: str,
        supersedes: str | None,
        seq: int,
    ) -> None:
        self._execute(
            "INSERT INTO records (draw_id, status, record, record_hash, supersedes, log_seq) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [draw_id, status, record, record_hash, supersedes, seq],
        )

    def _insert_draw(self, draw_id: str, scope: str, digest: str, result: str) -> None:
        self._execute(
            "INSERT INTO draws (draw_id, scope, population_digest, result) VALUES (?, ?, ?, ?)",
            [draw_id, scope, digest, result],
        )

    def _get_record(self, draw_id: str) -> tuple[str, dict[str, Any]] | None:
        rows = self._query("SELECT status, record FROM records WHERE draw_id = ?", [draw_id])
        return (rows[0]["status"], json.loads(rows[0]["record"])) if rows else None


def _entry(row: Mapping[str, Any]) -> LogEntry:
    return LogEntry(
        seq=row["seq"],
        previous=row["previous"],
        time=row["time"],
        actor=row["actor"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        hash=row["hash"],
        key_id=row["key_id"],
        signature=row["signature"],
    )
