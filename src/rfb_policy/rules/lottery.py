"""A public lottery draw as the ceremony's outside source, for an office that cannot reach a
beacon: 福彩3D (drawn every day) or 双色球 (every Tuesday, Thursday and Sunday), both published by
the China Welfare Lottery Issuance and Administration Center at the announced time.

The announcement fixes which draw counts before any secret is revealed, and the draw is due after
every reveal (ceremony spec v2, section 4), so nobody who knows the other inputs can still choose
it; the office types the numbers in once they are published, and anyone compares them with the
publisher's (``fairdraw verify --public-record``). The numbers enter the seed in RFC 3797's form:
福彩3D as three one-number lists (its digits keep their order), 双色球 as the sorted red balls and
the blue ball.

The lottery pauses over the Spring Festival: an office whose announced draw is not held aborts
the ceremony (``rfb draw --abort-unfinished``), which is safe, since nothing is known of the
outcome before the draw.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

import attrs

from fairdraw import PolicyError
from rfb_policy.i18n import _
from rfb_policy.workflow.clock import BEIJING

__all__ = ["GAMES", "LOTTERY_SOURCE", "PUBLISHER", "LotteryGame", "lottery_game"]

LOTTERY_SOURCE = "lottery"
"""The ceremony source id of the announced lottery draw."""
PUBLISHER = "中国福利彩票发行管理中心"


@attrs.frozen
class LotteryGame:
    """One lottery game: when it is drawn, and what a draw's numbers look like.

    Attributes:
        code: the setting's name (``fc3d``, ``ssq``).
        name: its Chinese name.
        weekdays: the days it is drawn (Monday = 0).
        bits: a whole number of bits the draw's outcomes at least give (2^bits ≤ outcomes).
        example: how its numbers are typed.
    """

    code: str
    name: str
    weekdays: frozenset[int]
    bits: int
    example: str

    @property
    def draws(self) -> int:
        """How many lists of numbers a draw gives: 福彩3D's three digits, each its own (so that
        their order counts); 双色球's red balls and its blue ball."""
        return 3 if self.code == "fc3d" else 2

    def next_draw(self, after: datetime, at: time) -> datetime:
        """The first draw at ``at`` (Beijing time) strictly after ``after``."""
        local = after.astimezone(BEIJING)
        day = local.date()
        while True:
            moment = datetime.combine(day, at, tzinfo=BEIJING)
            if day.weekday() in self.weekdays and moment > local:
                return moment
            day += timedelta(days=1)

    def source_entry(self, when: datetime) -> dict[str, Any]:
        """The announcement's ``public-record`` source for the draw at ``when``."""
        return {
            "id": LOTTERY_SOURCE,
            "type": "public-record",
            "description": (
                f"中国福利彩票{self.name} {when.astimezone(BEIJING):%Y-%m-%d %H:%M}（北京时间）"
                f"开奖号码 / China Welfare Lottery {self.code} draw numbers"
            ),
            "publisher": PUBLISHER,
            "time": f"{when.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
            "draws": self.draws,
            "bits": self.bits,
        }

    def parse(self, text: str) -> list[list[int]]:
        """The numbers as typed (``3 7 1`` for 福彩3D; ``03 07 12 19 25 31 + 09`` for 双色球),
        as the value's lists.

        Raises:
            PolicyError: they are not a draw of this game (the message says what is wrong).
        """
        if self.code == "fc3d":
            digits = re.sub(r"[\s,，、]", "", text)
            if not re.fullmatch(r"[0-9]{3}", digits):
                raise self._bad(text, _("three digits 0–9, in draw order"))
            return [[int(d)] for d in digits]
        parts = re.split(r"[+|＋]", text)
        if len(parts) != 2:
            raise self._bad(text, _("put + between the red and blue balls"))
        red, blue = (re.findall(r"\d+", part) for part in parts)
        reds, blues = sorted(int(n) for n in red), [int(n) for n in blue]
        if len(reds) != 6 or len(set(reds)) != 6 or not all(1 <= n <= 33 for n in reds):
            raise self._bad(text, _("six different red balls 1–33"))
        if len(blues) != 1 or not 1 <= blues[0] <= 16:
            raise self._bad(text, _("one blue ball 1–16"))
        return [reds, blues]

    def _bad(self, text: str, problem: str) -> PolicyError:
        return PolicyError(
            _("{typed} is not a draw of {game}: {problem} (for example {example})").format(
                typed=repr(text.strip()), game=self.name, problem=problem, example=self.example
            )
        )


GAMES: Mapping[str, LotteryGame] = {
    "fc3d": LotteryGame("fc3d", "福彩3D", frozenset(range(7)), 9, "3 7 1"),
    "ssq": LotteryGame("ssq", "双色球", frozenset({1, 3, 6}), 24, "03 07 12 19 25 31 + 09"),
}
"""福彩3D: three digits, 1,000 outcomes (9 bits); 双色球: 6 of 33 red and 1 of 16 blue balls,
17,721,088 outcomes (24 bits)."""


def lottery_game(code: str) -> LotteryGame:
    """The game of a ``[lottery] game`` setting.

    Raises:
        PolicyError: no such game.
    """
    try:
        return GAMES[code]
    except KeyError:
        raise PolicyError(
            _("unknown lottery game {code}; use fc3d (福彩3D) or ssq (双色球)").format(
                code=repr(code)
            )
        ) from None
