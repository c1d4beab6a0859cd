"""The checks a result passes at entry (行政检查单): the fine as whole yuan, the category and the
penalty consistent, and the dates consistent with the draw, the deadline and the day.

Every refusal is a :class:`rfb_policy.errors.ResultError` naming the form's field, worded once
once in :data:`RESULT_MESSAGES` (the pattern of :mod:`rfb_policy.files.messages`): a code, and
its English wording with named fields, shown in the run's language (Chinese in rfb's catalogue).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from rfb_policy.errors import ResultError
from rfb_policy.i18n import N_, _

__all__ = ["FIELDS", "MAX_AMOUNT", "RESULT_MESSAGES", "check_dates", "parse_amount", "refuse"]

MAX_AMOUNT = 2**53 - 1
"""The largest amount a verifier in any language reads exactly from JSON (a JavaScript number
is exact up to 2^53 − 1)."""

FIELDS: Mapping[str, str] = {
    "category": N_("result category (--category)"),
    "findings": N_("findings (--findings)"),
    "handling": N_("action taken (--handling)"),
    "penalty_decision": N_("penalty decision (--penalty-decision)"),
    "penalty_amount": N_("fine (--penalty-amount)"),
    "inspected_on": N_("inspection date (--inspected-on)"),
    "submitted_on": N_("submission date (--submitted-on)"),
}
"""Each field of the form as its messages name it (English; Chinese in the catalogue)."""

RESULT_MESSAGES: Mapping[str, str] = {
    "amount.text": N_(
        "'{value}' is not an amount: write whole yuan in digits, such as 5000, 5,000 or 5000元"
    ),
    "amount.decimal": N_(
        "'{value}' is not a whole number of yuan: a fine is in whole yuan, without jiao or fen"
    ),
    "amount.negative": N_("'{value}' is negative: a fine cannot be less than 0"),
    "amount.zero": N_("it is 0: leave it out when there is no fine"),
    "amount.large": N_("'{value}' is more than the largest amount recorded, {max}"),
    "category.unknown": N_("'{value}' is not a result category; write one of: {choices}"),
    "category.legacy": N_(
        "'{value}' is a category of earlier versions, read in old records only; a new "
        "result is one of: {choices}"
    ),
    "penalty.without_problem": N_(
        "the category '{category}' says no violation was found, so there can be no "
        "penalty: remove it, or choose a category of a problem found ({choices})"
    ),
    "penalty.no_decision": N_(
        "a fine is imposed by a penalty decision: give its number too (--penalty-decision)"
    ),
    "handling.missing": N_(
        "the category '{category}' needs the follow-up written down (--handling)"
    ),
    "date.bad": N_("'{value}' is not a date: write it as 2026-12-08"),
    "date.before_draw": N_(
        "{value} is before the month's draw on {drawn}: the objects are known only once "
        "drawn, so no inspection of them can come before it"
    ),
    "date.after_submission": N_(
        "the inspection date {value} is after the submission date {submitted}: a result "
        "cannot be submitted before the inspection"
    ),
    "date.future": N_("{value} is after today ({today}, Beijing time)"),
}
"""Every message of the result form: code → its English wording (Chinese in the catalogue),
with ``str.format`` fields."""

_WIDE = str.maketrans("０１２３４５６７８９，．－＋", "0123456789,.-+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_NUMBER = re.compile(r"([+-]?)([0-9][0-9,]*)(?:\.([0-9]+))?")


def refuse(field: str, problem: str, **values: object) -> ResultError:
    """The error of ``field`` for ``problem``, in the run's language."""
    where = _(FIELDS[field]) if field in FIELDS else field
    reason = _(RESULT_MESSAGES[problem]).format(**values)
    return ResultError(
        _("{where}: {reason}").format(where=where, reason=reason), field=field, problem=problem
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
