"""An inspection's result (行政检查单), as a group reports it and the office publishes it.

The categories are the closed list of the national platforms' spot-check results (国家企业信用
信息公示系统 抽查检查结果; ``docs/result-categories.md`` gives the source), each marked with
whether it reports a problem found: only those may carry a penalty. Categories of earlier
versions (:data:`LEGACY_CATEGORIES`) stay readable in stored results, and are refused in new
ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from rfb_policy.errors import ResultError
from rfb_policy.model.result_checks import parse_amount, refuse

__all__ = [
    "CATEGORY_ALIASES",
    "FOLLOW_UP",
    "LEGACY_CATEGORIES",
    "PROBLEM_CATEGORIES",
    "RESULT_CATEGORIES",
    "RESULT_KIND",
    "InspectionResult",
    "entry_category",
]

RESULT_KIND = "inspection.result"
"""The store's document kind of a result (``subject``: the object's id)."""

RESULT_CATEGORIES = (
    "未发现问题",
    "未发现开展本次抽查涉及的经营活动",
    "发现问题已责令改正",
    "发现问题待后续处理",
    "未按规定公示应当公示的信息",
    "公示信息隐瞒真实情况弄虚作假",
    "通过登记的住所（经营场所）无法联系",
    "不配合检查情节严重",
)
"""The closed list of result categories, as the national platforms name them."""

PROBLEM_CATEGORIES = frozenset(
    {
        "发现问题已责令改正",
        "发现问题待后续处理",
        "未按规定公示应当公示的信息",
        "公示信息隐瞒真实情况弄虚作假",
        "不配合检查情节严重",
    }
)
"""The categories that report a problem found: the only ones a penalty may come with."""

FOLLOW_UP = "发现问题待后续处理"
"""The category whose follow-up must be written down (处理情况; rule R16)."""

LEGACY_CATEGORIES = ("不配合检查", "无法联系", "未发现涉及本次抽查的情形")
"""Categories of earlier versions: read in stored results, never entered anew."""

CATEGORY_ALIASES: Mapping[str, str] = {
    "无法联系": "通过登记的住所（经营场所）无法联系",
    "未发现开展本次抽查涉及的经营活动情形": "未发现开展本次抽查涉及的经营活动",
    "公示信息隐瞒真实情况、弄虚作假": "公示信息隐瞒真实情况弄虚作假",
    "通过登记的住所(经营场所)无法联系": "通过登记的住所（经营场所）无法联系",
}
"""What a clerk may type for a category, and the category it is."""


def entry_category(value: str) -> str:
    """The category a new result is entered with: one of :data:`RESULT_CATEGORIES`, or an
    alias of one (``无法联系``).

    Raises:
        ResultError: anything else, an earlier version's category included.
    """
    text = value.strip()
    found = CATEGORY_ALIASES.get(text, text)
    if found in RESULT_CATEGORIES:
        return found
    choices = "、".join(RESULT_CATEGORIES)
    problem = "category.legacy" if text in LEGACY_CATEGORIES else "category.unknown"
    raise refuse("category", problem, value=value, choices=choices)


def _day(value: object, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(value)):
            raise ValueError(value)
        return date.fromisoformat(str(value))
    except ValueError as err:
        raise refuse(field, "date.bad", value=value) from err


def _inspected(value: object) -> date | None:
    return _day(value, "inspected_on")


def _submitted(value: object) -> date | None:
    return _day(value, "submitted_on")


def _amount(value: object) -> int | str | None:
    """A fine in whole yuan; text that is no amount is kept as it is, for
    :meth:`InspectionResult.check_entry` to refuse (and as an earlier version stored it)."""
    if isinstance(value, str):
        try:
            return parse_amount(value)
        except ResultError:
            return value
    return parse_amount(value)


@attrs.frozen(kw_only=True)
class InspectionResult:
    """One object's result.

    Attributes:
        category: one of :data:`RESULT_CATEGORIES` (or, in a stored result of an earlier
            version, :data:`LEGACY_CATEGORIES`).
        findings: what the inspection found (检查情况、发现的问题).
        handling: what was done about it (处理情况: 责令改正 by a date, a case filed …).
        penalty_decision: the penalty decision's number (处罚决定书文号).
        penalty_amount: the fine in whole yuan (text only in results of earlier versions).
        inspected_on: the inspection's day; ``submitted_on`` when the group reported it;
            ``due`` the month's deadline (rule R15), and ``late`` whether it came after.
        object_name: the object's name in the directory its draw was made from, recorded with
            the result, so that its signed entry vouches for the published name.
    """

    category: str = attrs.field()
    findings: str = ""
    handling: str = ""
    penalty_decision: str = ""
    penalty_amount: int | str | None = attrs.field(default=None, converter=_amount)
    inspected_on: date | None = attrs.field(default=None, converter=_inspected)
    submitted_on: date | None = attrs.field(default=None, converter=_submitted)
    due: date | None = attrs.field(default=None, converter=_submitted)
    object_name: str = ""

    @category.validator
    def _known(self, _attribute: object, value: str) -> None:
        if value not in RESULT_CATEGORIES and value not in LEGACY_CATEGORIES:
            entry_category(value)  # raises, naming the categories

    @property
    def late(self) -> bool:
        """Whether it was submitted after the month's deadline."""
        return bool(self.submitted_on and self.due and self.submitted_on > self.due)

    @property
    def penalised(self) -> bool:
        """Whether it carries a penalty (a decision number or a fine)."""
        return bool(self.penalty_decision.strip()) or self.penalty_amount is not None

    def check_entry(self) -> InspectionResult:
        """This result as a new entry: its category from the current list (an alias read as
        its category), a penalty only with a problem found, a fine only with its decision's
        number, and the follow-up of :data:`FOLLOW_UP` written down.

        Raises:
            ResultError: the field at fault named.
        """
        entered = attrs.evolve(self, category=entry_category(self.category))
        if isinstance(entered.penalty_amount, str):
            parse_amount(entered.penalty_amount)  # raises: this text is no amount
        if entered.penalised and entered.category not in PROBLEM_CATEGORIES:
            field = "penalty_amount" if entered.penalty_amount is not None else "penalty_decision"
            choices = "、".join(c for c in RESULT_CATEGORIES if c in PROBLEM_CATEGORIES)
            raise refuse(field, "penalty.without_problem", category=entered.category,
                         choices=choices)  # fmt: skip
        if entered.penalty_amount is not None and not entered.penalty_decision.strip():
            raise refuse("penalty_amount", "penalty.no_decision")
        if entered.category == FOLLOW_UP and not entered.handling.strip():
            raise refuse("handling", "handling.missing", category=entered.category)
        return entered

    def public_fields(self) -> dict[str, str]:
        """What a publication shows of it, as text: the columns of its row that its signed entry
        vouches for (``rfb-published-results/1``; ``name`` only when it was recorded).

        ``penalty_amount`` is the whole yuan in digits (an earlier version's text as stored),
        ``submission`` is 逾期报送 after the deadline, 按期报送 before, empty when unknown.
        """
        amount = self.penalty_amount
        fields = {
            "category": self.category,
            "findings": self.findings,
            "handling": self.handling,
            "penalty_decision": self.penalty_decision,
            "penalty_amount": "" if amount is None else str(amount),
            "inspected_on": self.inspected_on.isoformat() if self.inspected_on else "",
            "submission": ("逾期报送" if self.late else "按期报送") if self.submitted_on else "",
        }
        if self.object_name:
            fields["name"] = self.object_name
        return fields

    def to_json(self) -> dict[str, Any]:
        """The stored document's body (``penalty_amount``: an integer, or null)."""
        return {
            "category": self.category,
            "findings": self.findings,
            "handling": self.handling,
            "penalty_decision": self.penalty_decision,
            "penalty_amount": self.penalty_amount,
            "inspected_on": self.inspected_on.isoformat() if self.inspected_on else "",
            "submitted_on": self.submitted_on.isoformat() if self.submitted_on else "",
            "due": self.due.isoformat() if self.due else "",
            "late": self.late,
            "object_name": self.object_name,
        }

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> InspectionResult:
        """Read a stored body (older ones may lack the dates, the name and the follow-up, and
        hold the fine as text)."""
        amount = body.get("penalty_amount")
        return cls(
            category=str(body.get("category", "")),
            findings=str(body.get("findings", "")),
            handling=str(body.get("handling", "")),
            penalty_decision=str(body.get("penalty_decision", "")),
            penalty_amount=amount if isinstance(amount, int) else str(amount or ""),
            inspected_on=body.get("inspected_on"),
            submitted_on=body.get("submitted_on"),
            due=body.get("due"),
            object_name=str(body.get("object_name", "")),
        )
