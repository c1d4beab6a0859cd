"""An inspection's result (行政检查单), as a group reports it and the office publishes it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from rfb_policy.errors import ResultError

__all__ = ["RESULT_CATEGORIES", "RESULT_KIND", "InspectionResult"]

RESULT_KIND = "inspection.result"
"""The store's document kind of a result (``subject``: the object's id)."""

RESULT_CATEGORIES = (
    "未发现问题",
    "发现问题已责令改正",
    "发现问题待后续处理",
    "不配合检查",
    "无法联系",
    "未发现涉及本次抽查的情形",
)
"""The closed list of result categories (domain notes, section 3.1)."""


def _day(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as err:
        raise ResultError(f"{value!r} is not a date (YYYY-MM-DD)") from err


@attrs.frozen(kw_only=True)
class InspectionResult:
    """One object's result.

    Attributes:
        category: one of :data:`RESULT_CATEGORIES`.
        submitted_on: when the group reported it; ``due`` the month's deadline (rule R15), and
            ``late`` whether it came after.
    """

    category: str = attrs.field()
    findings: str = ""
    penalty_decision: str = ""
    penalty_amount: str = ""
    inspected_on: date | None = attrs.field(default=None, converter=_day)
    submitted_on: date | None = attrs.field(default=None, converter=_day)
    due: date | None = attrs.field(default=None, converter=_day)

    @category.validator
    def _known(self, _attribute: object, value: str) -> None:
        if value not in RESULT_CATEGORIES:
            raise ResultError(
                f"检查结果 {value!r} 不在规定类别中 / {value!r} is not a result category: "
                f"{'、'.join(RESULT_CATEGORIES)}"
            )

    @property
    def late(self) -> bool:
        """Whether it was submitted after the month's deadline."""
        return bool(self.submitted_on and self.due and self.submitted_on > self.due)

    def to_json(self) -> dict[str, Any]:
        """The stored document's body."""
        return {
            "category": self.category,
            "findings": self.findings,
            "penalty_decision": self.penalty_decision,
            "penalty_amount": self.penalty_amount,
            "inspected_on": self.inspected_on.isoformat() if self.inspected_on else "",
            "submitted_on": self.submitted_on.isoformat() if self.submitted_on else "",
            "due": self.due.isoformat() if self.due else "",
            "late": self.late,
        }

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> InspectionResult:
        """Read a stored body (older ones may lack the dates)."""
        return cls(
            category=str(body.get("category", "")),
            findings=str(body.get("findings", "")),
            penalty_decision=str(body.get("penalty_decision", "")),
            penalty_amount=str(body.get("penalty_amount", "")),
            inspected_on=body.get("inspected_on"),
            submitted_on=body.get("submitted_on"),
            due=body.get("due"),
        )
