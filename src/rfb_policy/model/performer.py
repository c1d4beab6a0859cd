"""Who performs the month's draw and confirms its result (rule R7): the leader in charge, or a
stand-in with a written authorisation."""

from __future__ import annotations

import attrs

from fairdraw import PolicyError
from rfb_policy.i18n import _

__all__ = ["Performer"]


@attrs.frozen
class Performer:
    """Who performs the draw (rule R7): the leader in charge, or a stand-in with a written
    authorisation.

    Raises:
        PolicyError: no name, or a stand-in without an authorisation.
    """

    name: str
    stand_in_for: str | None = None
    authorisation: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.name.strip():
            raise PolicyError(_("name the leader who performs the draw (R7)"))
        if self.stand_in_for is not None and not (self.authorisation or "").strip():
            raise PolicyError(
                _("a stand-in needs the reference of a written authorisation (--authorisation)")
            )

    @classmethod
    def of(cls, leader: str, stand_in: str | None, authorisation: str | None) -> Performer:
        """The leader, or ``stand_in`` acting for the leader."""
        if stand_in:
            return cls(stand_in, leader, authorisation)
        return cls(leader)

    def to_participant(self) -> dict[str, str]:
        """The members the leader's participant entry is announced with."""
        if self.stand_in_for is None:
            return {"name": self.name}
        return {
            "name": self.name,
            "stand_in_for": self.stand_in_for,
            "authorisation": str(self.authorisation),
        }

    @property
    def role(self) -> str:
        """The role logged with the leader's decision."""
        if self.stand_in_for is None:
            return "主管领导"
        return f"代主管领导（{self.stand_in_for}）确认，授权：{self.authorisation}"
