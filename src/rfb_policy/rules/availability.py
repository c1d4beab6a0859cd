"""Who takes part in a month's draw (rule R5): each section confirms its available officers.

Every section but the exempt ones (综合科 by default) confirms, before the ceremony, who of its
officers can take part; the latest confirmation of a section counts. The exempt sections'
members count as available (``presumed-available``) or take no part (``excluded``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Literal, Protocol

import attrs

from fairdraw import PolicyError
from rfb_policy.i18n import _
from rfb_policy.model.directory import Inspector

__all__ = [
    "ExemptMode",
    "SectionStatus",
    "available_officers",
    "check_confirmation",
    "section_statuses",
]

ExemptMode = Literal["presumed-available", "excluded"]


class Confirmed(Protocol):
    """A section's confirmation as the rules need it."""

    @property
    def confirmer(self) -> str: ...
    @property
    def available(self) -> tuple[str, ...]: ...
    @property
    def time(self) -> str: ...


@attrs.frozen
class SectionStatus:
    """Whether a section has confirmed who of its officers can take part in the month's draw.

    Attributes:
        section: the section's name.
        members: its officers' certificate numbers.
        exempt: no confirmation is needed (综合科 by default).
        confirmed: a confirmation is on record, or the section is exempt.
        available: the officers who take part (empty until confirmed).
        confirmer: who confirmed, and ``time`` when (the latest confirmation counts).
    """

    section: str
    members: tuple[str, ...]
    exempt: bool
    confirmed: bool
    available: tuple[str, ...]
    confirmer: str | None = None
    time: str | None = None


def section_statuses(
    inspectors: Sequence[Inspector],
    confirmations: Mapping[str, Confirmed],
    *,
    exempt_sections: Collection[str],
    exempt_mode: ExemptMode,
) -> list[SectionStatus]:
    """Every section's status, in section order, from the latest confirmation of each."""
    sections: dict[str, list[str]] = {}
    for officer in inspectors:
        sections.setdefault(officer.section, []).append(officer.certificate)
    statuses = []
    for section, members in sorted(sections.items()):
        confirmation = confirmations.get(section)
        if section in exempt_sections:
            taking_part = members if exempt_mode == "presumed-available" else []
            statuses.append(SectionStatus(section, tuple(members), True, True, tuple(taking_part)))
        elif confirmation is None:
            statuses.append(SectionStatus(section, tuple(members), False, False, ()))
        else:
            statuses.append(
                SectionStatus(
                    section,
                    tuple(members),
                    False,
                    True,
                    tuple(c for c in confirmation.available if c in members),
                    confirmation.confirmer,
                    confirmation.time,
                )
            )
    return statuses


def available_officers(statuses: Sequence[SectionStatus], month: object) -> list[str]:
    """The certificate numbers of everyone taking part.

    Raises:
        PolicyError: a section has not confirmed yet (the message names them).
    """
    missing = [s.section for s in statuses if not s.confirmed]
    if missing:
        raise PolicyError(
            _(
                "{month}: these sections have not confirmed who is available: {sections}; "
                "confirm each before the draw (rfb confirm-availability {month} --section "
                "SECTION)"
            ).format(month=month, sections=_(", ").join(missing))
        )
    return sorted(c for s in statuses for c in s.available)


def check_confirmation(
    inspectors: Sequence[Inspector],
    section: str,
    *,
    confirmer: str,
    unavailable: Iterable[str],
    exempt_sections: Collection[str],
) -> tuple[list[str], list[str]]:
    """Check a section's confirmation; return (who is available, who is not).

    Raises:
        PolicyError: no confirmer, an unknown or exempt section, or officers outside it.
    """
    if not confirmer.strip():
        raise PolicyError(_("say who confirms (the section's head)"))
    members = sorted(i.certificate for i in inspectors if i.section == section)
    if not members:
        known = _(", ").join(sorted({i.section for i in inspectors}))
        raise PolicyError(
            _(
                "no officer of the directory is in the section “{section}” (its sections: "
                "{sections})"
            ).format(section=section, sections=known)
        )
    if section in exempt_sections:
        raise PolicyError(
            _(
                "the section “{section}” is exempt from confirmation ([availability] "
                "exempt_sections)"
            ).format(section=section)
        )
    away = sorted(set(unavailable))
    strangers = [c for c in away if c not in members]
    if strangers:
        raise PolicyError(
            _("not officers of {section}: {officers}").format(
                section=section, officers=_(", ").join(strangers)
            )
        )
    return [c for c in members if c not in away], away
