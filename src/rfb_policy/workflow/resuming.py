"""The ceremony's last step, the values nobody present controls: the announced beacon round and
the announced lottery draw, added after every reveal, then the seed and the draw.

A month whose ceremony announces a lottery draw pauses after the reveals (:class:`DrawPaused`):
the draw is held in the evening, and the office finishes the ceremony once its numbers are
published (``rfb draw MONTH --resume``, :meth:`rfb_policy.workflow.office.Office.resume`). Nothing
of the outcome is known before then, and the record shows when each value came in.

Before any of these values is added, the step that wrote the announcement (and its witnesses'
signatures) for publication must be in the office's log: the value cannot come first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from fairdraw import DrandClient, PolicyError, Population, SourceEntry
from rfb_policy.i18n import _
from rfb_policy.rules.lottery import GAMES, LotteryGame
from rfb_policy.workflow.clock import beijing
from rfb_policy.workflow.values import BeaconByHand, CeremonySteps, Progress, add_beacon

__all__ = ["DrawPaused", "LotteryNumbers", "add_outside_values", "lottery_of"]

LotteryNumbers = Callable[[SourceEntry, LotteryGame, Exception | None], str]
"""Asks the officer for the announced lottery draw's numbers as published (told what was wrong
with the last ones typed); raises EOFError if they give up."""


class DrawPaused(Exception):  # noqa: N818 (not an error: the ceremony waits, as announced)
    """The month's ceremony waits for its announced lottery draw; nothing is wrong.

    Attributes:
        draw_id: the waiting ceremony.
        source: the lottery draw it waits for.
    """

    def __init__(self, draw_id: str, source: SourceEntry) -> None:
        self.draw_id = draw_id
        self.source = source
        super().__init__(f"{draw_id} waits for {source.get('description')}")

    def message(self, month: str) -> str:
        """What the officer is told, in the run's language."""
        return _(
            "The ceremony {draw_id} has its commitments, dice and reveals; it waits for the "
            "lottery draw due {time}. Once its numbers are published, run "
            "rfb draw {month} --resume to type them in and finish the draw"
        ).format(draw_id=self.draw_id, time=beijing(self.source.due), month=month)


def lottery_of(entry: SourceEntry) -> LotteryGame:
    """The game of an announced lottery source (by its number of draws and bits).

    Raises:
        PolicyError: the source is not a lottery draw rfb announces.
    """
    for game in GAMES.values():
        if (game.draws, game.bits) == (entry.get("draws"), entry.get("bits")):
            return game
    raise PolicyError(_("source {source} is no lottery draw rfb announces").format(source=entry.id))


def add_outside_values(
    steps: CeremonySteps,
    awaiting: Sequence[SourceEntry],
    *,
    published: str | None,
    client: DrandClient | None,
    say: Progress,
    relays: Sequence[str],
    beacon_by_hand: BeaconByHand | None,
    always_by_hand: bool,
    numbers: LotteryNumbers | None,
    populations: Mapping[str, Population],
) -> None:
    """Add the awaited beacon rounds and lottery draws, then seed and draw (storing each event).

    Args:
        awaiting: the sources still without a value, every one a beacon or a public record.
        published: the announcement hash logged as written for publication (None: never).
        numbers: asks for a due lottery draw's numbers; None pauses before it.

    Raises:
        DrawPaused: a lottery draw is not due yet, or no ``numbers`` is given (nothing stored).
        PolicyError: the announcement was not logged as published; a source is of a kind rfb
            does not add; the officer gave up typing the numbers (nothing stored: resume again).
        SourceUnavailableError: the beacon could not be had (the ceremony is aborted).
    """
    ceremony = steps.ceremony
    if published != steps.announcement_hash:
        raise PolicyError(
            _(
                "{draw_id}: the announcement is not logged as written for publication: no "
                "beacon or lottery value may come before that"
            ).format(draw_id=ceremony.draw_id)
        )
    for entry in awaiting:
        if entry.type == "drand":
            add_beacon(
                steps, entry, client, say, relays, beacon_by_hand, always_by_hand=always_by_hand
            )
        elif entry.type == "public-record":
            _add_lottery(steps, entry, numbers)
        else:
            raise PolicyError(
                _("source {source} ({type}) is not one rfb announces").format(
                    source=entry.id, type=entry.type
                )
            )
    ceremony.seed(at=steps.clock.now())
    steps.keep()
    ceremony.draw(populations, at=steps.clock.now())
    steps.keep()


def _add_lottery(steps: CeremonySteps, entry: SourceEntry, numbers: LotteryNumbers | None) -> None:
    """The lottery draw's numbers, once it is due and they are typed in."""
    if numbers is None or entry.due is None or steps.clock.now() < entry.due:
        raise DrawPaused(steps.ceremony.draw_id, entry)
    game = lottery_of(entry)
    problem: Exception | None = None
    while True:
        try:
            typed = numbers(entry, game, problem)
        except (EOFError, KeyboardInterrupt) as err:
            raise PolicyError(
                _(
                    "the numbers were not typed in; the ceremony {draw_id} still waits: run "
                    "--resume again"
                ).format(draw_id=steps.ceremony.draw_id)
            ) from err
        try:
            groups = game.parse(typed)
        except PolicyError as err:
            problem = err
            continue
        break
    value = {"numbers": groups}
    steps.run(lambda: steps.ceremony.add_value(entry.id, value, at=steps.clock.now()))
