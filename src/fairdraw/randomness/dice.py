"""``dice``: physical dice rolled at the ceremony by the leader or witnesses, typed in.

The record keeps every roll in order; the seed takes them as ``UTF-8`` of the rolls joined with
``,``. ``count`` rolls of a ``sides``-sided die announce ``sides^count`` outcomes (50 rolls of a
six-sided die: about 129 bits).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fairdraw.errors import CeremonyError
from fairdraw.i18n import _
from fairdraw.randomness.base import EntropySource

__all__ = ["DiceSource"]


class DiceSource(EntropySource):
    """Dice rolls entered by hand."""

    type = "dice"

    def _check(self, spec: Mapping[str, Any], participants: set[str], announced: datetime) -> None:
        self.require_participant(spec, participants)
        self.require_int(spec, "count", 1)
        self.require_int(spec, "sides", 2, 100)

    def _outcomes(self, spec: Mapping[str, Any]) -> int:
        outcomes: int = spec["sides"] ** spec["count"]
        return outcomes

    def _value_bytes(self, spec: Mapping[str, Any], value: Mapping[str, Any]) -> bytes:
        rolls = value.get("rolls")
        if not isinstance(rolls, list) or len(rolls) != spec["count"]:
            raise CeremonyError(
                _("source {id!r}: exactly {count} rolls are needed").format(
                    id=spec["id"], count=spec["count"]
                )
            )
        for index, roll in enumerate(rolls, start=1):
            if (
                isinstance(roll, bool)
                or not isinstance(roll, int)
                or not 1 <= roll <= spec["sides"]
            ):
                raise CeremonyError(
                    _("source {id!r}: roll {index} is {roll!r}, not 1 to {sides}").format(
                        id=spec["id"], index=index, roll=roll, sides=spec["sides"]
                    )
                )
        return ",".join(map(str, rolls)).encode()
