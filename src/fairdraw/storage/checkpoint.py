"""Signed checkpoints of the audit log: its size and head hash, as CT and Sigsum publish tree heads.

An office publishes a checkpoint with each publication. A later log that is shorter than a
published checkpoint, or whose entry at the checkpoint's size has another hash (a fork: the log
was rewritten from some point on, even with the office key), then fails ``log verify
--checkpoint``. See ``docs/spec/audit-log-v1.md``, section 10.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import attrs

from fairdraw.canonical import canonical_json
from fairdraw.ceremony.analysis import beijing_time
from fairdraw.errors import InputError, VerificationError
from fairdraw.files import write_atomic
from fairdraw.i18n import _, language, shown_time
from fairdraw.signing import OfficeKey, PublicKey
from fairdraw.storage.draw_ids import check_draw_ids
from fairdraw.storage.log import GENESIS, LogEntry, verify_entries
from fairdraw.times import format_time, now, parse_time

__all__ = [
    "CHECKPOINT_FORMAT",
    "CHECKPOINT_TAG",
    "Checkpoint",
    "check_checkpoint",
    "log_checkpoint",
    "sign_checkpoint",
    "verify_log",
]

CHECKPOINT_FORMAT = "fairdraw/log-checkpoint/v1"
CHECKPOINT_TAG = "log-checkpoint"
"""The signature's purpose tag: the office signs ``"fairdraw/v1/log-checkpoint" 0x00 ‖ JCS``."""

_HEX64 = frozenset("0123456789abcdef")


class _Log(Protocol):
    """What a checkpoint is taken of: a :class:`fairdraw.storage.Store`."""

    def entries(self) -> list[LogEntry]: ...


def _hex(value: object, length: int, what: str) -> str:
    if not (isinstance(value, str) and len(value) == length and set(value) <= _HEX64):
        raise InputError(
            _("a log checkpoint's {what} is {length} lower-case hex digits").format(
                what=what, length=length
            )
        )
    return value


@attrs.frozen
class Checkpoint:
    """A signed statement of the audit log's size and head hash at a time.

    Attributes:
        size: the number of entries (0 for an empty log).
        head: the hash of entry ``size`` (64 zeros for an empty log).
        time: when it was taken (RFC 3339, UTC).
        key_id: the signing office key's id.
        signature: the Ed25519 signature (hex) over the body with the tag ``log-checkpoint``.
    """

    size: int
    head: str
    time: str
    key_id: str
    signature: str

    def body(self) -> dict[str, Any]:
        """The signed object: ``{format, size, head, time, key_id}``."""
        return {
            "format": CHECKPOINT_FORMAT,
            "size": self.size,
            "head": self.head,
            "time": self.time,
            "key_id": self.key_id,
        }

    def to_json(self) -> dict[str, Any]:
        """The file form: the body and its ``signature``."""
        return {**self.body(), "signature": self.signature}

    def to_bytes(self) -> bytes:
        """The file's bytes: the canonical JSON of :meth:`to_json` and a newline."""
        return canonical_json(self.to_json()) + b"\n"

    @classmethod
    def from_json(cls, data: object, where: str | None = None) -> Checkpoint:
        """Read the file form (the signature is not checked: :meth:`verify`).

        Raises:
            InputError: not a checkpoint of this format; says which member.
        """
        where = _("log checkpoint") if where is None else where
        if not isinstance(data, Mapping):
            raise InputError(_("{where}: a log checkpoint is a JSON object").format(where=where))
        if data.get("format") != CHECKPOINT_FORMAT:
            raise InputError(
                _("{where}: not a {format} checkpoint (member 'format')").format(
                    where=where, format=CHECKPOINT_FORMAT
                )
            )
        unknown = set(data) - {"format", "size", "head", "time", "key_id", "signature"}
        if unknown:
            raise InputError(
                _("{where}: unknown members {unknown}").format(where=where, unknown=sorted(unknown))
            )
        size = data.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise InputError(_("{where}: member 'size' is a whole number ≥ 0").format(where=where))
        try:
            time = format_time(parse_time(data.get("time"), _("the checkpoint's time")))
            return cls(
                size=size,
                head=_hex(data.get("head"), 64, "head"),
                time=time,
                key_id=_hex(data.get("key_id"), 64, "key_id"),
                signature=_hex(data.get("signature"), 128, "signature"),
            )
        except InputError as err:
            raise InputError(_("{where}: {err}").format(where=where, err=err)) from err

    @classmethod
    def read(cls, path: str | Path) -> Checkpoint:
        """Read a checkpoint file.

        Raises:
            InputError: the file is unreadable, not JSON or not a checkpoint.
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise InputError(
                _("{path}: cannot read the log checkpoint: {err}").format(path=path, err=err)
            ) from err
        return cls.from_json(data, str(path))

    def verify(self, public_key: PublicKey) -> None:
        """Check the signature against the office key.

        Raises:
            VerificationError: another key, or the signature does not verify.
        """
        when = beijing_time(self.time, zh=language() == "zh")
        if self.key_id != public_key.key_id:
            raise VerificationError(
                _(
                    "the log checkpoint of {when} is signed by key {key_id}…, not by the "
                    "office key {key_id2}…"
                ).format(when=when, key_id=self.key_id[:16], key_id2=public_key.key_id[:16])
            )
        try:
            public_key.verify(CHECKPOINT_TAG, self.body(), bytes.fromhex(self.signature))
        except VerificationError as err:
            raise VerificationError(
                _("the log checkpoint of {when} (size {size}): {err}").format(
                    when=when, size=self.size, err=err
                )
            ) from err

    def write(self, path: str | Path) -> Path:
        """Write the checkpoint atomically; an existing file must already hold these bytes.

        Raises:
            InputError: the file exists and holds something else (it is never overwritten).
        """
        target, data = Path(path), self.to_bytes()
        if target.exists():
            if target.read_bytes() == data:
                return target
            raise InputError(
                _("{target} exists and holds another file: it is never overwritten").format(
                    target=target
                )
            )
        return write_atomic(target, data)


def sign_checkpoint(key: OfficeKey, size: int, head: str, when: datetime) -> Checkpoint:
    """Sign a checkpoint of ``size`` entries whose last has the hash ``head``."""
    unsigned = Checkpoint(
        size=size, head=head, time=format_time(when), key_id=key.key_id, signature="00" * 64
    )
    return attrs.evolve(unsigned, signature=key.sign(CHECKPOINT_TAG, unsigned.body()).hex())


def log_checkpoint(store: _Log, key: OfficeKey, *, at: datetime | None = None) -> Checkpoint:
    """A checkpoint of the store's audit log as it is now, signed by the office key.

    Raises:
        StorageError: the database failed.
        VerificationError: the log is signed by another key than ``key``.
    """
    entries = store.entries()
    if entries and entries[-1].key_id != key.key_id:
        raise VerificationError(
            _(
                "the audit log's newest entry is signed by another key: a checkpoint is "
                "signed by the key that keeps the log"
            )
        )
    head = entries[-1].hash if entries else GENESIS
    return sign_checkpoint(key, len(entries), head, at or now())


def check_checkpoint(entries: Sequence[LogEntry], checkpoint: Checkpoint) -> None:
    """Check that a (verified) log extends a checkpoint: at least ``size`` entries, and entry
    ``size`` has the hash ``head``.

    Raises:
        VerificationError: the log is shorter (entries were deleted), or forks from it.
    """
    when = beijing_time(checkpoint.time, zh=language() == "zh")
    if len(entries) < checkpoint.size:
        raise VerificationError(
            _(
                "the log has {count} entries, the checkpoint of {when} says {size}: "
                "entries were deleted"
            ).format(count=len(entries), when=when, size=checkpoint.size)
        )
    head = entries[checkpoint.size - 1].hash if checkpoint.size else GENESIS
    if not hmac.compare_digest(head.encode(), checkpoint.head.encode()):
        raise VerificationError(
            _(
                "the log forks from the checkpoint of {when} at entry {size}: its hash "
                "is {head}, the checkpoint says {head2} (the log was rewritten up to "
                "there)"
            ).format(when=when, size=checkpoint.size, head=head, head2=checkpoint.head)
        )


def verify_log(
    entries: Sequence[LogEntry],
    public_key: PublicKey | None,
    checkpoints: Sequence[Checkpoint] = (),
    *,
    checkpoint_key: Callable[[Checkpoint], PublicKey] | None = None,
) -> int:
    """Check a log without its database (an export) or before its rows: the chain, that it
    extends every checkpoint, and that no draw id is reused; return its length.

    Args:
        entries: the entries in ``seq`` order.
        public_key: the office key; without it, signatures are not checked.
        checkpoints: published checkpoints the log must extend.
        checkpoint_key: the key to check a checkpoint with when ``public_key`` is None (a
            database: the key it remembers for the checkpoint's key id).

    Raises:
        VerificationError: the first problem found, named.
    """
    count = verify_entries(entries, public_key)
    for checkpoint in checkpoints:
        if public_key is not None:
            checkpoint.verify(public_key)
        elif checkpoint_key is not None:
            checkpoint.verify(checkpoint_key(checkpoint))
        else:
            raise VerificationError(
                _("the log checkpoint of {time} needs the office key to be checked").format(
                    time=shown_time(checkpoint.time)
                )
            )
        check_checkpoint(entries, checkpoint)
    check_draw_ids(entries)
    return count
