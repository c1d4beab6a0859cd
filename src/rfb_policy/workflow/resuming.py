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

    def lines(self, month: str) -> tuple[str, str]:
        """What the officer is told, in Chinese and in English."""
        when = beijing(self.source.due)
        return (
            f"仪式 {self.draw_id} 已完成承诺、掷骰和揭示，现等待开奖："
            f"{self.source.get('description')}（{when}）。开奖号码公布后，运行 "
            f"rfb draw {month} --resume 录入号码并完成抽取",
            f"The ceremony {self.draw_id} has its commitments, dice and reveals; it waits for "
            f"the lottery draw due {when}. Once its numbers are published, run "
            f"`rfb draw {month} --resume` to type them in and finish the draw",
        )


def lottery_of(entry: SourceEntry) -> LotteryGame:
    """The game of an announced lottery source (by its number of draws and bits).

    Raises:
        PolicyError: the source is not a lottery draw rfb announces.
    """
    for game in GAMES.values():
        if (game.draws, game.bits) == (entry.get("draws"), entry.get("bits")):
            return game
    raise PolicyError(
        f"来源 {entry.id} 不是本系统公告的彩票开奖 / source {entry.id} is no lottery draw rfb "
        f"announces"
    )


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
            f"{ceremony.draw_id}：公告尚未登记为已写出待公布，不能取得信标或开奖号码 / the "
            f"announcement is not logged as written for publication: no beacon or lottery value "
            f"may come before that"
        )
    for entry in awaiting:
        if entry.type == "drand":
            add_beacon(
                steps, entry, client, say, relays, beacon_by_hand, always_by_hand=always_by_hand
            )
        elif entry.type == "public-record":
            _add_lottery(steps, entry, numbers)
        else:
            raise PolicyError(f"source {entry.id} ({entry.type}) is not one rfb announces")
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
                f"未录入开奖号码，仪式 {steps.ceremony.draw_id} 仍在等待，可再次 --resume / the "
                f"numbers were not typed in; the ceremony still waits: run --resume again"
            ) from err
        try:
            groups = game.parse(typed)
        except PolicyError as err:
            problem = err
            continue
        break
    value = {"numbers": groups}
    steps.run(lambda: steps.ceremony.add_value(entry.id, value, at=steps.clock.now()))
