"""The checks a result passes at entry (行政检查单): the fine as whole yuan, the category and the
penalty consistent, and the dates consistent with the draw, the deadline and the day.

Every refusal is a :class:`rfb_policy.errors.ResultError` naming the form's field, worded once
in each language in :data:`RESULT_MESSAGES` (the pattern of
:mod:`rfb_policy.files.messages`): a code, and ``(中文, English)`` with named fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from rfb_policy.errors import ResultError

__all__ = ["FIELDS", "MAX_AMOUNT", "RESULT_MESSAGES", "check_dates", "parse_amount", "refuse"]

MAX_AMOUNT = 2**53 - 1
"""The largest amount a verifier in any language reads exactly from JSON (a JavaScript number
is exact up to 2^53 − 1)."""

FIELDS: Mapping[str, tuple[str, str]] = {
    "category": ("检查结果（--category）", "result category (--category)"),
    "findings": ("检查情况（--findings）", "findings (--findings)"),
    "handling": ("处理情况（--handling）", "action taken (--handling)"),
    "penalty_decision": (
        "处罚决定书文号（--penalty-decision）",
        "penalty decision (--penalty-decision)",
    ),
    "penalty_amount": ("罚款金额（--penalty-amount）", "fine (--penalty-amount)"),
    "inspected_on": ("检查日期（--inspected-on）", "inspection date (--inspected-on)"),
    "submitted_on": ("报送日期（--submitted-on）", "submission date (--submitted-on)"),
}
"""Each field of the form as its messages name it: (中文, English)."""

RESULT_MESSAGES: Mapping[str, tuple[str, str]] = {
    "amount.text": (
        "“{value}”不是金额：请用阿拉伯数字填写整数元，如 5000、5,000 或 5000元",
        "'{value}' is not an amount: write whole yuan in digits, such as 5000, 5,000 or 5000元",
    ),
    "amount.decimal": (
        "“{value}”不是整数元：罚款金额以元为单位，不含角、分",
        "'{value}' is not a whole number of yuan: a fine is in whole yuan, without jiao or fen",
    ),
    "amount.negative": (
        "“{value}”是负数：罚款金额不能小于 0",
        "'{value}' is negative: a fine cannot be less than 0",
    ),
    "amount.zero": (
        "金额为 0：没有罚款请不填此项",
        "it is 0: leave it out when there is no fine",
    ),
    "amount.large": (
        "“{value}”超过可记录的最大金额 {max}",
        "'{value}' is more than the largest amount recorded, {max}",
    ),
    "category.unknown": (
        "“{value}”不在规定的检查结果类别中，可填：{choices}",
        "'{value}' is not a result category; write one of: {choices}",
    ),
    "category.legacy": (
        "“{value}”是旧版的检查结果类别，只用于读取以前的记录；新报送的结果请填：{choices}",
        "'{value}' is a category of earlier versions, read in old records only; a new result "
        "is one of: {choices}",
    ),
    "penalty.without_problem": (
        "检查结果“{category}”表示未发现违法问题，不能同时有处罚：请删去处罚，或选择发现问题的类别"
        "（{choices}）",
        "the category '{category}' says no violation was found, so there can be no penalty: "
        "remove it, or choose a category of a problem found ({choices})",
    ),
    "penalty.no_decision": (
        "罚款须依据行政处罚决定书：请同时填写处罚决定书文号（--penalty-decision）",
        "a fine is imposed by a penalty decision: give its number too (--penalty-decision)",
    ),
    "handling.missing": (
        "检查结果“{category}”须写明后续如何处理（处理情况）",
        "the category '{category}' needs the follow-up written down (--handling)",
    ),
    "date.bad": (
        "“{value}”不是日期：请写作 2026-12-08",
        "'{value}' is not a date: write it as 2026-12-08",
    ),
    "date.before_draw": (
        "{value} 早于本月抽取日 {drawn}：检查对象在抽取之后才确定，检查不可能在此之前",
        "{value} is before the month's draw on {drawn}: the objects are known only once drawn, "
        "so no inspection of them can come before it",
    ),
    "date.after_submission": (
        "检查日期 {value} 晚于报送日期 {submitted}：结果不能在检查之前报送",
        "the inspection date {value} is after the submission date {submitted}: a result "
        "cannot be submitted before the inspection",
    ),
    "date.future": (
        "{value} 晚于今天（{today}，北京时间）",
        "{value} is after today ({today}, Beijing time)",
    ),
}
"""Every message of the result form: code → (中文, English), with ``str.format`` fields."""

_WIDE = str.maketrans("０１２３４５６７８９，．－＋", "0123456789,.-+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_NUMBER = re.compile(r"([+-]?)([0-9][0-9,]*)(?:\.([0-9]+))?")


def refuse(field: str, problem: str, **values: object) -> ResultError:
    """The error of ``field`` for ``problem``, worded in both languages."""
    zh, en = RESULT_MESSAGES[problem]
    where_zh, where_en = FIELDS.get(field, (field, field))
    return ResultError(
        f"{where_zh}：{zh.format(**values)}",
        f"{where_en}: {en.format(**values)}",
        field=field,
        problem=problem,
    )


def parse_amount(value: object, *, field: str = "penalty_amount") -> int | None:
    """A fine as whole yuan: ``5000``, ``5,000``, ``5,000元``, ``￥5000``, ``5000.00`` and the
    same in full-width digits are 5000; empty is no fine.

    Raises:
        ResultError: decimals (``5000.5``), words (``五千``), a negative or zero amount, or one
            past :data:`MAX_AMOUNT`; the message names ``field``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise refuse(field, "amount.text", value=value)
    text = str(value).translate(_WIDE).strip().replace(" ", "")
    text = text.removeprefix("¥").removeprefix("￥").removesuffix("元整").removesuffix("元")
    match = _NUMBER.fullmatch(text)
    if match is None or not _GROUPED.fullmatch(match.group(2)):
        raise refuse(field, "amount.text", value=value)
    sign, digits, cents = match.groups()
    if cents is not None and cents.strip("0"):
        raise refuse(field, "amount.decimal", value=value)
    amount = int(digits.replace(",", ""))
    if sign == "-" and amount:
        raise refuse(field, "amount.negative", value=value)
    if amount == 0:
        raise refuse(field, "amount.zero", value=value)
    if amount > MAX_AMOUNT:
        raise refuse(field, "amount.large", value=value, max=MAX_AMOUNT)
    return amount


def check_dates(
    *,
    inspected_on: date | None,
    submitted_on: date | None,
    drawn_on: date,
    today: date | None,
) -> None:
    """Refuse dates no real inspection has: before the draw (``drawn_on``, the day its objects
    became known), an inspection after its own submission, or a date after ``today`` (None: not
    compared, on a replayed clock).

    Raises:
        ResultError: the first impossible date, its field named.
    """
    for field, day in (("inspected_on", inspected_on), ("submitted_on", submitted_on)):
        if day is None:
            continue
        if day < drawn_on:
            raise refuse(field, "date.before_draw", value=day, drawn=drawn_on)
        if today is not None and day > today:
            raise refuse(field, "date.future", value=day, today=today)
    if inspected_on and submitted_on and inspected_on > submitted_on:
        raise refuse("inspected_on", "date.after_submission", value=inspected_on,
                     submitted=submitted_on)  # fmt: skip
