"""Exact sampling rates: ``"15%"``, ``"0.15"`` and ``"3/20"`` all mean the rational 3/20.

Spec v1 never uses binary floating point: a float such as 0.15 is really
0.1499999999999999944488848768742172978818416595458984375, and two languages may print or parse it
differently. Rates are therefore exact rationals, written in records as ``"a/b"`` in lowest
terms.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

from fairdraw.errors import ParameterError
from fairdraw.i18n import _
from fairdraw.labels import STRIPPABLE

__all__ = ["format_rate", "parse_rate"]

MAX_RATE_CHARS = 64
"""The longest rate text accepted, after normalisation (spec v1, section 9)."""

_RATE_RE = re.compile(
    r"(?P<num>[0-9]+)/(?P<den>[0-9]+)"
    r"|(?P<dec>[0-9]+(?:\.[0-9]+)?)(?P<pct>%)?"
)


def parse_rate(rate: str | Fraction | Decimal | int) -> Fraction:
    """Parse a sampling rate into an exact fraction between 0 and 1 inclusive.

    Strings may be a decimal (``"0.15"``), a percentage (``"15%"``, ``"12.5%"``) or a fraction
    (``"3/20"``); full-width digits and signs typed with a Chinese input method (``"１５％"``) are
    accepted. Floats are refused: they cannot say 0.15 exactly.

    Raises:
        ParameterError: the rate is unparsable, a float, or outside [0, 1].
    """
    if isinstance(rate, bool | float):
        raise ParameterError(
            _(
                "rate {rate!r} is a {type}; give it as a string such as '15%', '0.15' "
                "or '3/20' so that it is exact"
            ).format(rate=rate, type=type(rate).__name__),
            parameter="rate",
        )
    if isinstance(rate, Fraction | int):
        value = Fraction(rate)
    elif isinstance(rate, Decimal):
        if not rate.is_finite():
            raise ParameterError(
                _("rate {rate} is not a finite number").format(rate=rate), parameter="rate"
            )
        value = Fraction(rate)
    elif isinstance(rate, str):
        value = _parse_rate_text(rate)
    else:
        raise ParameterError(
            _("rate must be a string, Fraction, Decimal or int, not {type}").format(
                type=type(rate).__name__
            ),
            parameter="rate",
        )
    if not 0 <= value <= 1:
        raise ParameterError(
            _(
                "rate {rate!s} is {value}, outside [0, 1]: a rate is a share of "
                "the population, between 0% and 100%"
            ).format(rate=rate, value=format_rate(value)),
            parameter="rate",
            reason="rate_out_of_range",
        )
    return value


def _parse_rate_text(text: str) -> Fraction:
    normal = unicodedata.normalize("NFKC", text).strip(STRIPPABLE)
    match = _RATE_RE.fullmatch(normal) if len(normal) <= MAX_RATE_CHARS else None
    if match is None:
        raise ParameterError(
            _(
                "rate {text!r:.40} is not understood; write it as a percentage "
                "('15%'), a decimal ('0.15') or a fraction ('3/20')"
            ).format(text=text),
            parameter="rate",
        )
    if match["num"] is not None:
        den = int(match["den"])
        if den == 0:
            raise ParameterError(
                _("rate {text!r} divides by zero").format(text=text), parameter="rate"
            )
        return Fraction(int(match["num"]), den)
    value = Fraction(Decimal(match["dec"]))
    return value / 100 if match["pct"] else value


def format_rate(rate: Fraction) -> str:
    """Write a rate the way records do: ``"a/b"`` in lowest terms (``"3/20"``, ``"0/1"``)."""
    return f"{rate.numerator}/{rate.denominator}"
