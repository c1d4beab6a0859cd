"""The two directories' entries (名录库): inspection objects and certified inspectors.

An object is named by its 统一社会信用代码 (checked, including its check character, GB 32100-2015)
or by a project code. Its label in a draw is that id, so the population committed to in a
ceremony is the list of ids; names and risk flags travel as attributes of the directory's
snapshot (:func:`objects_population`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from fairdraw import Population, json_digest

__all__ = [
    "RANDOM_ITEMS",
    "USCC_CHARS",
    "InspectionObject",
    "Inspector",
    "inspectors_population",
    "is_valid_uscc",
    "objects_population",
]

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC = re.compile(f"[{USCC_CHARS}]{{18}}")
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_VALUES = {c: i for i, c in enumerate(USCC_CHARS)}
RANDOM_ITEMS = ("QUAL", "MAINT", "USE", "COMM")


def is_valid_uscc(code: str) -> bool:
    """Whether ``code`` is a well-formed 统一社会信用代码, its check character included."""
    if not _USCC.fullmatch(code):
        return False
    total = sum(map(int.__mul__, map(_VALUES.__getitem__, code[:17]), _WEIGHTS))
    return code[17] == USCC_CHARS[(31 - total % 31) % 31]


@attrs.frozen(kw_only=True)
class InspectionObject:
    """One object of the 检查对象名录库."""

    id: str
    id_type: str
    name: str
    items: tuple[str, ...]
    under_construction: bool
    complaints: int
    reported_problems: int
    bad_records: int
    serious_violation: bool
    case_number: str | None
    evidence_ref: str | None

    @property
    def open_case(self) -> bool:
        """Inspected directly (立案查处), outside the draw."""
        return self.case_number is not None

    def attributes(self) -> dict[str, Any]:
        """What is stored with the population snapshot beside the id."""
        found = {name: getattr(self, name) for name in _OBJECT_ATTRIBUTES}
        found["items"] = list(self.items)
        return found

    @classmethod
    def from_attributes(cls, object_id: str, stored: Mapping[str, Any]) -> InspectionObject:
        """Rebuild an object from its snapshot attributes (:meth:`attributes`)."""
        return cls(id=object_id, **{**stored, "items": tuple(stored["items"])})


_OBJECT_ATTRIBUTES = tuple(a.name for a in attrs.fields(InspectionObject) if a.name != "id")


@attrs.frozen(kw_only=True)
class Inspector:
    """One certified officer of the 执法检查人员名录库."""

    name: str
    post: str
    certificate: str
    valid_from: date
    valid_until: date
    section: str
    conflicts: tuple[str, ...]

    def certified_on(self, day: date) -> bool:
        """Whether the certificate is valid on ``day``."""
        return self.valid_from <= day <= self.valid_until

    def attributes(self) -> dict[str, Any]:
        """What is stored with the population snapshot beside the certificate number."""
        return {
            "name": self.name,
            "post": self.post,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "section": self.section,
            "conflicts": list(self.conflicts),
        }

    @classmethod
    def from_attributes(cls, certificate: str, stored: Mapping[str, Any]) -> Inspector:
        """Rebuild an officer from the snapshot attributes (:meth:`attributes`)."""
        return cls(
            name=stored["name"],
            post=stored["post"],
            certificate=certificate,
            valid_from=date.fromisoformat(stored["valid_from"]),
            valid_until=date.fromisoformat(stored["valid_until"]),
            section=stored["section"],
            conflicts=tuple(stored["conflicts"]),
        )


def _snapshot(attributes: dict[str, Any]) -> tuple[Population, dict[str, Any]]:
    """A directory snapshot whose digest commits to every attribute, not only to the ids.

    The population is salted with the SHA-256 of the attributes' canonical JSON (RFC 8785), so
    that a changed flag, date or 回避 entry makes a new snapshot instead of being taken for the old
    one.
    """
    salt = json_digest(attributes)
    return Population.of(attributes, salt=salt), attributes


def objects_population(objects: Sequence[InspectionObject]) -> tuple[Population, dict[str, Any]]:
    """The snapshot of the objects directory: its ids, and the attributes kept with them."""
    return _snapshot({o.id: o.attributes() for o in objects})


def inspectors_population(inspectors: Sequence[Inspector]) -> tuple[Population, dict[str, Any]]:
    """The snapshot of the inspectors directory: certificate numbers and their attributes."""
    return _snapshot({i.certificate: i.attributes() for i in inspectors})
