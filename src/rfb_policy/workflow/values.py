"""A running ceremony's outside parts: the witnesses' statements, the leader's dice and the
announced beacon.

Each event is stored as it happens (:class:`CeremonySteps`); a value that cannot be had, or
that comes too late, aborts the ceremony and finalises it as aborted, never leaving it open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import attrs

from fairdraw import (
    Ceremony,
    CeremonyError,
    DrandChain,
    DrandClient,
    FairdrawError,
    InputError,
    OfficeKey,
    PolicyError,
    SignedEvent,
    SourceEntry,
    SourceUnavailableError,
    VerificationError,
    shown_time,
)
from rfb_policy.ceremony.announce import DICE_ROLLS
from rfb_policy.i18n import N_, _
from rfb_policy.model.witness import Witness
from rfb_policy.workflow.clock import Clock
from rfb_policy.workflow.records import OfficeRecords
from rfb_policy.workflow.witnesses import WitnessDesk, WitnessRequest

__all__ = [
    "BEACON_SOURCE",
    "BeaconByHand",
    "CeremonySteps",
    "Progress",
    "add_beacon",
    "ask_witnesses",
    "enter_dice",
    "quiet",
]

BEACON_SOURCE = "drand-beacon"

Progress = Callable[[str], None]
"""A callback that shows the officer a step (the message is in the run's language)."""
BeaconByHand = Callable[[SourceEntry, Exception | None], Mapping[str, Any]]
"""Asks the officer to type in the announced round (``{"round", "signature"}``, and on the
default chain ``previous_signature``), told why if it could not be fetched (or what was wrong
with the last one typed); raises EOFError if they give up."""
_NOT_GIVEN = {
    "witness": N_(
        "the witness {name} gave no valid signature of the announcement: {error}; the ceremony "
        "{draw_id} was aborted and logged; to draw again, give --redraw-reason"
    ),
    "commit": N_(
        "the witness {name} gave no valid commitment: {error}; the ceremony {draw_id} was "
        "aborted and logged; to draw again, give --redraw-reason"
    ),
    "reveal": N_(
        "the witness {name} gave no valid reveal: {error}; the ceremony {draw_id} was aborted "
        "and logged; to draw again, give --redraw-reason"
    ),
}


def quiet(_message: str) -> None:
    """Progress that shows nothing."""


@attrs.frozen
class CeremonySteps:
    """Storing a running ceremony's events as they happen, and aborting it."""

    ceremony: Ceremony
    records: OfficeRecords
    key: OfficeKey
    actor: str
    clock: Clock

    @property
    def announcement_hash(self) -> str:
        """The hash of the ceremony's signed announcement."""
        return SignedEvent.from_json(self.ceremony.events[0]).hash

    def keep(self) -> None:
        """Store the newest event."""
        self.records.store.record_event(self.ceremony.events[-1], actor=self.actor, key=self.key)

    def run(self, step: Callable[[], object]) -> None:
        """Do a step and store its event; a step the ceremony refuses (a late reveal, a beacon
        due too early) aborts the ceremony instead.

        Raises:
            PolicyError: the step was refused; the ceremony was aborted and logged.
        """
        try:
            step()
        except CeremonyError as err:
            self.give_up(f"a step was refused: {err}")
            raise PolicyError(
                _(
                    "a step was refused ({error}); the ceremony {draw_id} was aborted and logged; "
                    "to draw again, give --redraw-reason"
                ).format(error=err, draw_id=self.ceremony.draw_id)
            ) from err
        self.keep()

    def give_up(self, reason: str) -> None:
        """Abort the ceremony and finalise it as aborted."""
        self.ceremony.abort(reason, at=self.clock.now())
        self.keep()
        self.records.store.finalise(self.ceremony.record(), actor=self.actor, key=self.key)


def enter_dice(steps: CeremonySteps, dice: Callable[[int], Sequence[int]]) -> None:
    """The leader's dice, entered after every commitment and before any reveal; abort the
    ceremony if they are not given.

    Raises:
        PolicyError: the dice were not entered.
        CeremonyError: the dice are not valid rolls.
    """
    ceremony = steps.ceremony
    try:
        rolls = list(dice(DICE_ROLLS))
    except BaseException as err:  # Ctrl-C, end of input, a closed prompt: abort, never linger
        steps.give_up(f"the leader's dice were not entered ({type(err).__name__})")
        if isinstance(err, Exception) and not _is_interruption(err):
            raise  # a bug in the caller's prompt: not the officer's doing
        raise PolicyError(
            _(
                "the leader's dice were not entered: the ceremony {draw_id} was aborted and "
                "logged; to draw again, give --redraw-reason"
            ).format(draw_id=ceremony.draw_id)
        ) from err
    steps.run(lambda: ceremony.add_value("leader-dice", {"rolls": rolls}, at=steps.clock.now()))


def ask_witnesses(
    steps: CeremonySteps,
    desk: WitnessDesk | None,
    witnesses: Sequence[Witness],
    stage: Literal["before", "after"],
) -> None:
    """Ask every witness for their statements of ``stage`` and record them; abort the ceremony
    if one is not given or does not check out.

    Raises:
        PolicyError: a witness's statement was not given, or was refused (the ceremony was
            aborted and logged).
    """
    ceremony = steps.ceremony
    for witness in witnesses:
        for act in witness.acts(stage):
            request = WitnessRequest(
                witness=witness, act=act, draw_id=ceremony.draw_id, events=ceremony.events
            )
            try:
                if desk is None:
                    raise EOFError("no way to reach the witnesses")
                statement = desk(request)

                def record(given: Mapping[str, Any] = statement) -> str:
                    return ceremony.accept(given, at=steps.clock.now())

                steps.run(record)
            except PolicyError:
                raise
            except (FairdrawError, EOFError, KeyboardInterrupt) as err:
                if ceremony.state != "aborted":
                    steps.give_up(f"witness {witness.id} gave no valid {act} ({err})")
                raise PolicyError(
                    _(_NOT_GIVEN[act]).format(
                        name=witness.name, error=err, draw_id=ceremony.draw_id
                    )
                ) from err


def add_beacon(
    steps: CeremonySteps,
    entry: SourceEntry,
    client: DrandClient | None,
    say: Progress,
    relays: Sequence[str],
    by_hand: BeaconByHand | None,
    *,
    always_by_hand: bool = False,
) -> None:
    """Wait for the announced round, then fetch it (or take it typed in), verify and add it;
    abort the ceremony if it cannot be had.

    Raises:
        SourceUnavailableError: the beacon could not be fetched, nor typed in.
    """
    ceremony = steps.ceremony
    try:
        _add_beacon(steps, entry, client, say, relays, by_hand, always_by_hand)
    except SourceUnavailableError as err:
        steps.give_up(f"the beacon could not be fetched: {err}")
        raise SourceUnavailableError(
            _(
                "{error}; the ceremony {draw_id} was aborted and logged; run rfb draw again "
                "(with --redraw-reason) for a new ceremony"
            ).format(error=err, draw_id=ceremony.draw_id)
        ) from err
    steps.keep()


def _add_beacon(
    steps: CeremonySteps,
    entry: SourceEntry,
    client: DrandClient | None,
    say: Progress,
    relays: Sequence[str],
    by_hand: BeaconByHand | None,
    always_by_hand: bool,
    attempts: int = 10,
) -> None:
    """Wait for the announced round, then fetch it (``attempts`` tries) or take it typed in.

    Raises:
        SourceUnavailableError: no relay gave a beacon that verifies, and none was typed in.
    """
    chain = DrandChain.named(str(entry.chain))
    number = int(entry.round or 0)
    due = chain.time_of_round(number)
    say(_("Waiting for the beacon (due {time})…").format(time=shown_time(due)))
    steps.clock.wait_until(due)
    problem: Exception | None = None
    if by_hand is not None:  # offline, the officer is asked soon rather than kept waiting
        attempts = min(attempts, 2)
    if not always_by_hand:
        client = client or DrandClient(chain=chain, relays=relays)
        for attempt in range(1, attempts + 1):
            try:
                beacon = client.beacon(number).to_json()
                steps.ceremony.add_value(BEACON_SOURCE, beacon, at=steps.clock.now())
                return
            except (SourceUnavailableError, VerificationError) as err:
                problem = err
                if attempt < attempts:
                    steps.clock.pause(3)
    while by_hand is not None:
        try:
            typed = by_hand(entry, problem)
        except (EOFError, KeyboardInterrupt) as err:
            raise SourceUnavailableError(
                _("drand round {round} was not typed in").format(round=number)
            ) from err
        try:
            steps.ceremony.add_value(BEACON_SOURCE, typed, at=steps.clock.now())
            return
        except (InputError, VerificationError) as err:  # a mistyped one: asked again
            problem = err
    raise SourceUnavailableError(
        _("drand round {round} could not be fetched and verified: {problem}").format(
            round=number, problem=problem
        )
    )


def _is_interruption(error: BaseException) -> bool:
    """Whether the officer stopped the prompt (Ctrl-C, or the end of its input)."""
    return isinstance(error, KeyboardInterrupt | EOFError)
