"""A running ceremony's public values: the leader's dice, then the announced beacon.

Each event is stored as it happens (:class:`CeremonySteps`); a value that cannot be had, or
that comes too late, aborts the ceremony and finalises it as aborted, never leaving it open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import attrs

from fairdraw import (
    Ceremony,
    DrandChain,
    DrandClient,
    OfficeKey,
    PolicyError,
    SourceEntry,
    SourceUnavailableError,
    VerificationError,
)
from rfb_policy.ceremony.announce import DICE_ROLLS
from rfb_policy.workflow.clock import BEIJING, Clock
from rfb_policy.workflow.records import OfficeRecords

__all__ = ["BEACON_SOURCE", "CeremonySteps", "Progress", "collect_values", "quiet"]

BEACON_SOURCE = "drand-beacon"

Progress = Callable[[str, str], None]
"""A callback that shows the officer a step, in Chinese and in English."""


def quiet(_zh: str, _en: str) -> None:
    """Progress that shows nothing."""


@attrs.frozen
class CeremonySteps:
    """Storing a running ceremony's events as they happen, and aborting it."""

    ceremony: Ceremony
    records: OfficeRecords
    key: OfficeKey
    actor: str
    clock: Clock

    def keep(self) -> None:
        """Store the newest event."""
        self.records.store.record_event(self.ceremony.events[-1], actor=self.actor, key=self.key)

    def give_up(self, reason: str) -> None:
        """Abort the ceremony and finalise it as aborted."""
        self.ceremony.abort(reason, at=self.clock.now())
        self.keep()
        self.records.store.finalise(self.ceremony.record(), actor=self.actor, key=self.key)


def collect_values(
    steps: CeremonySteps,
    dice: Callable[[int], Sequence[int]],
    beacon_entry: SourceEntry | None,
    client: DrandClient | None,
    say: Progress,
    relays: Sequence[str] = (),
) -> None:
    """The leader's dice, then the beacon; abort the ceremony if they fail.

    Raises:
        PolicyError: the dice came after the beacon round was due (they could have been
            chosen knowing it).
        SourceUnavailableError: the beacon could not be fetched.
    """
    ceremony = steps.ceremony
    try:
        rolls = list(dice(DICE_ROLLS))
    except BaseException as err:  # Ctrl-C, end of input, a closed prompt: abort, never linger
        steps.give_up(f"the leader's dice were not entered ({type(err).__name__})")
        if isinstance(err, Exception) and not _is_interruption(err):
            raise  # a bug in the caller's prompt: not the officer's doing
        raise PolicyError(
            f"掷骰结果未录入，抽取 {ceremony.draw_id} 已中止并记录；重新抽取请加 "
            f"--redraw-reason 理由 / the leader's dice were not entered: the ceremony "
            f"{ceremony.draw_id} was aborted and logged; to draw again, give --redraw-reason"
        ) from err
    ceremony.add_value("leader-dice", {"rolls": rolls}, at=steps.clock.now())
    steps.keep()
    if beacon_entry is None:
        return
    due = str(beacon_entry.round_time)
    if steps.clock.now() >= datetime.fromisoformat(due):
        steps.give_up("the dice came after the beacon round was due")
        raise PolicyError(
            f"掷骰结果在信标轮次（{due}）产生之后才录入，本次抽取已中止 / the dice came after "
            f"the beacon round was due, when they could have been chosen knowing it; the "
            f"ceremony was aborted. Enter the dice sooner, or raise [beacon] delay_minutes"
        )
    try:
        _add_beacon(steps, beacon_entry, client, say, relays)
    except SourceUnavailableError as err:
        steps.give_up(f"the beacon could not be fetched: {err}")
        raise SourceUnavailableError(
            f"{err}; the ceremony {ceremony.draw_id} was aborted and logged; run `rfb draw` "
            f"again (with --redraw-reason) for a new ceremony"
        ) from err
    steps.keep()


def _add_beacon(
    steps: CeremonySteps,
    entry: SourceEntry,
    client: DrandClient | None,
    say: Progress,
    relays: Sequence[str],
    attempts: int = 10,
) -> None:
    """Wait for the announced round, then fetch, verify and add it (``attempts`` tries).

    Raises:
        SourceUnavailableError: no relay gave a beacon that verifies.
    """
    chain = DrandChain.named(str(entry.chain))
    number = int(entry.round or 0)
    client = client or DrandClient(chain=chain, relays=relays)
    due = chain.time_of_round(number)
    beijing = due.astimezone(BEIJING)
    say(
        f"等待信标（北京时间 {beijing:%H:%M:%S}）…",
        f"Waiting for the beacon (due {beijing:%H:%M:%S} Beijing time)…",
    )
    steps.clock.wait_until(due)
    for attempt in range(1, attempts + 1):
        try:
            beacon = client.beacon(number)
            break
        except (SourceUnavailableError, VerificationError) as err:
            if attempt == attempts:
                raise SourceUnavailableError(
                    f"drand round {number} could not be fetched and verified: {err}"
                ) from err
            steps.clock.pause(3)
    steps.ceremony.add_value(BEACON_SOURCE, beacon.to_json(), at=steps.clock.now())


def _is_interruption(error: BaseException) -> bool:
    """Whether the officer stopped the prompt (Ctrl-C, or the end of its input)."""
    return isinstance(error, KeyboardInterrupt | EOFError)
