"""The month's lock: one ``rfb draw`` (or availability confirmation) of a month at a time.

The lock is a file held (``flock``) for the whole ceremony, beside the SQLite database
(``office.db.lock-YYYY-MM``), so that every office folder using that file shares it. A second
``rfb draw`` of the month, or a confirmation of its availability, is refused at once, naming who
holds it; and a ceremony left unfinished while the lock is free was left by a process that
died. On a PostgreSQL database other machines may be drawing, which a file lock cannot see:
the lock then sits in the office folder (``draws/.lock-YYYY-MM``) and covers that folder only,
and the announced reveal deadline decides whether an unfinished ceremony may still be running.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from fairdraw import PolicyError
from rfb_policy.i18n import _
from rfb_policy.month import Month

__all__ = ["month_lock"]


@contextlib.contextmanager
def month_lock(folder: Path, database: str, month: Month, *, holder: str) -> Iterator[bool]:
    """Hold the month's lock for ``holder`` (who draws); yield whether it covers every process
    that can reach the store (a SQLite ``database``, on an operating system with ``flock``).

    Args:
        folder: the office folder (where the lock of a PostgreSQL office is).
        database: the office's database: a SQLite path or a ``postgresql://`` URL.

    Raises:
        PolicyError: another process holds it (someone is drawing the month).
    """
    try:
        import fcntl  # noqa: PLC0415 (POSIX only)
    except ImportError:  # pragma: no cover - Windows: the reveal deadline decides
        yield False
        return
    shared = "://" in database
    if shared:
        path = folder / "draws" / f".lock-{month}"
    else:
        path = Path(database).with_name(f"{Path(database).name}.lock-{month}")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            raise PolicyError(
                _(
                    "{month}: another officer is drawing this month ({holder}); wait for it to "
                    "finish"
                ).format(month=month, holder=holder)
            ) from None
        handle.truncate(0)
        handle.write(f"{holder}, pid {os.getpid()}")
        handle.flush()
        yield not shared
    finally:
        handle.close()


def _holder(handle: IO[str]) -> str:
    """Who holds the lock, as its holder wrote it (given a moment to write it)."""
    for _attempt in range(20):
        handle.seek(0)
        if written := handle.read().strip():
            return written
        time.sleep(0.025)
    return "?"
