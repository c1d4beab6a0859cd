"""The audit log's entries and their chain check (audit log spec v1), independent of any database.

The same check runs on a live database and on a JSON Lines export, so anyone can verify an
exported log without fairdraw's database, years later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import attrs

from fairdraw.canonical import canonical_json
from fairdraw.errors import InputError, VerificationError
from fairdraw.i18n import _
from fairdraw.signing import OfficeKey, PublicKey
from fairdraw.times import format_time

__all__ = [
    "EXPORT_MEDIA_TYPE",
    "GENESIS",
    "LogEntry",
    "check_entry",
    "make_entry",
    "read_export",
    "verify_entries",
    "write_export",
]

EXPORT_MEDIA_TYPE = "application/vnd.fairdraw.audit-log.v1+jsonl"
GENESIS = "0" * 64
LOG_TAG = b"fairdraw/v1/log\x00"


@attrs.frozen
class LogEntry:
    """One signed entry of the audit log.

    Attributes:
        seq: its place, from 1.
        previous: the previous entry's hash (64 zeros for the first).
        time: when it was written (RFC 3339, UTC).
        actor: who wrote it.
        kind: what happened (``population.snapshot``, ``draw.finalised`` …).
        payload: the details.
        hash: ``H("fairdraw/v1/log" 0x00 ‖ JCS(entry))`` in hex.
        key_id: the signing key's id.
        signature: the office's Ed25519 signature (hex).
    """

    seq: int
    previous: str
    time: str
    actor: str
    kind: str
    payload: Mapping[str, Any] = attrs.field(eq=False)
    hash: str
    key_id: str
    signature: str

    def entry(self) -> dict[str, Any]:
        """The signed object: seq, previous, time, actor, kind, payload."""
        return {
            "seq": self.seq,
            "previous": self.previous,
            "time": self.time,
            "actor": self.actor,
            "kind": self.kind,
            "payload": dict(self.payload),
        }

    def to_json(self) -> dict[str, Any]:
        """The export form: ``{"entry", "hash", "key_id", "signature"}``."""
        return {
            "entry": self.entry(),
            "hash": self.hash,
            "key_id": self.key_id,
            "signature": self.signature,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LogEntry:
        """Read the export form.

        Raises:
            InputError: a member is missing or has the wrong type.
        """
        try:
            entry = data["entry"]
            return cls(
                seq=int(entry["seq"]),
                previous=str(entry["previous"]),
                time=str(entry["time"]),
                actor=str(entry["actor"]),
                kind=str(entry["kind"]),
                payload=dict(entry["payload"]),
                hash=str(data["hash"]),
                key_id=str(data["key_id"]),
                signature=str(data["signature"]),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(_("not an audit log entry: {err}").format(err=err)) from err


def entry_hash(entry: Mapping[str, Any]) -> str:
    """The hash of an entry object."""
    return hashlib.sha256(LOG_TAG + canonical_json(entry)).hexdigest()


def make_entry(
    key: OfficeKey,
    *,
    seq: int,
    previous: str,
    when: datetime,
    actor: str,
    kind: str,
    payload: Mapping[str, Any],
) -> LogEntry:
    """Build and sign the next entry."""
    if not actor.strip():
        raise InputError(_("every audit log entry names its actor"))
    entry = {
        "seq": seq,
        "previous": previous,
        "time": format_time(when),
        "actor": actor,
        "kind": kind,
        "payload": dict(payload),
    }
    return LogEntry(
        seq=seq,
        previous=previous,
        time=entry["time"],  # type: ignore[arg-type]
        actor=actor,
        kind=kind,
        payload=dict(payload),
        hash=entry_hash(entry),
        key_id=key.key_id,
        signature=key.sign("log", entry).hex(),
    )


def verify_entries(entries: Iterable[LogEntry], public_key: PublicKey | None = None) -> int:
    """Check a chain of entries; return how many there are.

    Args:
        entries: the entries in the order stored (by ``seq``).
        public_key: the office key; without it, hashes and links are checked but not signatures.

    Raises:
        VerificationError: the first entry where the chain breaks, and how.
    """
    previous, count = GENESIS, 0
    for position, item in enumerate(entries, start=1):
        where = _("audit log entry {seq} (position {position})").format(
            seq=item.seq, position=position
        )
        if item.seq != position:
            raise VerificationError(
                _(
                    "{where}: expected entry {position} here; an entry was deleted, inserted "
                    "or moved before this point"
                ).format(where=where, position=position)
            )
        if item.previous != previous:
            raise VerificationError(
                _("{where}: it does not link to entry {value}; the log was changed there").format(
                    where=where, value=position - 1
                )
            )
        if entry_hash(item.entry()) != item.hash:
            raise VerificationError(
                _("{where}: its content was edited after it was written").format(where=where)
            )
        if public_key is not None:
            _check_signature(item, public_key, where)
        previous, count = item.hash, position
    return count


def check_entry(item: LogEntry, public_key: PublicKey) -> None:
    """Check one entry on its own, as a publication carries it: its hash recomputed from its
    content, and its signature by ``public_key`` (its place in the chain is not checked here:
    that needs the whole log, :func:`verify_entries`).

    Raises:
        VerificationError: the hash or the signature does not match, or another key signed it.
    """
    where = _("audit log entry {seq}").format(seq=item.seq)
    if entry_hash(item.entry()) != item.hash:
        raise VerificationError(
            _("{where}: its content is not the one its hash was taken over").format(where=where)
        )
    _check_signature(item, public_key, where)


def _check_signature(item: LogEntry, public_key: PublicKey, where: str) -> None:
    if item.key_id != public_key.key_id:
        raise VerificationError(_("{where}: signed by another key").format(where=where))
    try:
        public_key.verify("log", item.entry(), bytes.fromhex(item.signature))
    except ValueError as err:
        raise VerificationError(_("{where}: the signature is not hex").format(where=where)) from err


def write_export(stream: TextIO, office: PublicKey, entries: Iterable[LogEntry]) -> int:
    """Write the JSON Lines export; return the number of entries."""
    stream.write(json.dumps({"media_type": EXPORT_MEDIA_TYPE, "office_key": office.to_json()}))
    stream.write("\n")
    count = 0
    for item in entries:
        stream.write(json.dumps(item.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def read_export(path: str | Path) -> tuple[PublicKey, Iterator[LogEntry]]:
    """Read an export: the office key its header names, and its entries.

    Raises:
        InputError: the file is unreadable or not an audit log export.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InputError(
            _("{path}: cannot read the log export: {err}").format(path=path, err=err)
        ) from err
    try:
        header = json.loads(lines[0]) if lines else {}
    except ValueError as err:
        raise InputError(_("{path}, line 1: not JSON").format(path=path)) from err
    if not isinstance(header, dict) or header.get("media_type") != EXPORT_MEDIA_TYPE:
        raise InputError(_("{path}: not a fairdraw audit log export (line 1)").format(path=path))
    office = PublicKey.from_hex(str(header.get("office_key", {}).get("public_key", "")))

    def entries() -> Iterator[LogEntry]:
        for number, line in enumerate(lines[1:], start=2):
            try:
                yield LogEntry.from_json(json.loads(line))
            except (ValueError, InputError) as err:
                raise InputError(
                    _("{path}, line {number}: {err}").format(path=path, number=number, err=err)
                ) from err

    return office, entries()
