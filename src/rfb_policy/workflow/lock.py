"""The month's lock: one ``rfb draw`` of a month at a time on this machine.

``draws/.lock-YYYY-MM`` in the office folder is held (``flock``) for the whole ceremony. A
second ``rfb draw`` of the month is refused at once, naming the process that holds it; and a
ceremony left unfinished while the lock is free was left by a process that died. On a shared
PostgreSQL database other machines may be drawing, which a file lock cannot see: there the
announced reveal deadline decides.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from fairdraw import PolicyError
from rfb_policy.month import Month

__all__ = ["month_lock"]


@contextlib.contextmanager
def month_lock(folder: Path, month: Month, *, shared: bool, holder: str) -> Iterator[bool]:
    """Hold the month's lock in the office ``folder`` for ``holder`` (who draws); yield whether
    it covers every process that can reach the store (not ``shared``, on an operating system
    with ``flock``).

    Raises:
        PolicyError: another process on this machine holds it (someone is drawing).
    """
    try:
        import fcntl  # noqa: PLC0415 (POSIX only)
    except ImportError:  # pragma: no cover - Windows: the reveal deadline decides
        yield False
        return
    path = folder / "draws" / f".lock-{month}"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            raise PolicyError(
                f"{month}：另一位工作人员正在本机进行本月抽取（{holder}）/ another officer is "
                f"drawing this month on this machine ({holder}); wait for it to finish"
            ) from None
        handle.truncate(0)
        handle.write(f"{holder}, pid {os.getpid()}")
        handle.flush()
        yield not shared
    finally:
        handle.close()


def _holder(handle: IO[str]) -> str:
    """Who holds the lock, as its holder wrote it (given a moment to write it)."""
    for _ in range(20):
        handle.seek(0)
        if written := handle.read().strip():
            return written
        time.sleep(0.025)
    return "?"
