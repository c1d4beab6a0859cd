"""The time a ceremony's events carry: now, or a replayed start for rehearsals, tests and the
demonstration (``rfb demo``)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from fairdraw import BEIJING, shown_time

__all__ = ["BEIJING", "Clock", "beijing"]


def beijing(when: str | datetime | None) -> str:
    """A time as the office reads it, in the run's language: ``2026-02-03 09:30:03（北京时间）``
    (``… (Beijing time)`` in English)."""
    if when is None:
        return "?"
    return shown_time(when)


class Clock:
    """The time the ceremony's events carry: now, or a replayed start that runs on from there.

    Replaying (``start`` given) is for rehearsals and tests: waiting for a beacon round then
    moves the replayed time forward instead of sleeping. ``demo``: the replayed clock of a
    demonstration on fictitious data (``rfb demo``), which the record says it is, rather than
    a rehearsal of the office's own month.

    Raises:
        ValueError: ``demo`` without a replayed ``start``.
    """

    def __init__(self, start: datetime | None = None, *, demo: bool = False) -> None:
        if demo and start is None:
            raise ValueError("a demonstration's clock is replayed: give its start")
        self._start = start
        self.demo = demo
        self._began = time.monotonic()
        self._skipped = timedelta(0)

    def now(self) -> datetime:
        """The current (or replayed) time, to the second."""
        if self._start is None:
            return datetime.now(UTC).replace(microsecond=0)
        elapsed = timedelta(seconds=int(time.monotonic() - self._began))
        return self._start + elapsed + self._skipped

    @property
    def replayed(self) -> bool:
        """Whether the time is replayed (a rehearsal or a demonstration), not the real time."""
        return self._start is not None

    @property
    def policy_marker(self) -> dict[str, str]:
        """What the announced policy says of this clock: ``demo`` for a demonstration's,
        ``rehearsal`` for another replayed one, nothing for the real time."""
        if self.demo:
            return {"demo": "true"}
        return {"rehearsal": "true"} if self.replayed else {}

    def pause(self, seconds: float) -> None:
        """Let ``seconds`` pass (at once when replaying)."""
        self.wait_until(self.now() + timedelta(seconds=seconds))

    def wait_until(self, when: datetime) -> None:
        """Return once ``now()`` is at or after ``when``."""
        while (gap := (when - self.now()).total_seconds()) > 0:
            if self._start is not None:
                self._skipped += timedelta(seconds=gap)
            else:
                time.sleep(min(gap, 5.0))
