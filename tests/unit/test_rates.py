"""Exact rates (spec v1, section 9)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from fairdraw import ParameterError, format_rate, parse_rate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15%", Fraction(3, 20)),
        ("0.15", Fraction(3, 20)),
        ("3/20", Fraction(3, 20)),
        ("6/40", Fraction(3, 20)),
        ("\uff11\uff15\uff05", Fraction(3, 20)),  # full-width, from a Chinese IME
        (" 15% ", Fraction(3, 20)),
        ("12.5%", Fraction(1, 8)),
        ("0", Fraction(0)),
        ("1", Fraction(1)),
        ("100%", Fraction(1)),
        ("1/3", Fraction(1, 3)),
        ("0.000001", Fraction(1, 1_000_000)),
    ],
)
def test_parse_rate_forms(text: str, expected: Fraction) -> None:
    assert parse_rate(text) == expected


def test_parse_rate_exact_types() -> None:
    assert parse_rate(Fraction(1, 7)) == Fraction(1, 7)
    assert parse_rate(Decimal("0.15")) == Fraction(3, 20)
    assert parse_rate(1) == 1


@pytest.mark.parametrize(
    ("rate", "reason"),
    [
        ("150%", "rate_out_of_range"),
        ("1.01", "rate_out_of_range"),
        ("21/20", "rate_out_of_range"),
        ("-0.1", "bad_rate"),
        ("1e-1", "bad_rate"),
        ("", "bad_rate"),
        ("15 %", "bad_rate"),
        (".5", "bad_rate"),
        ("1/0", "bad_rate"),
        ("fifteen", "bad_rate"),
        (0.15, "bad_rate"),
        (True, "bad_rate"),
        (Decimal("NaN"), "bad_rate"),
        (None, "bad_rate"),
    ],
)
def test_parse_rate_rejects(rate: object, reason: str) -> None:
    with pytest.raises(ParameterError) as info:
        parse_rate(rate)  # type: ignore[arg-type]
    assert info.value.reason == reason
    assert info.value.parameter == "rate"


def test_float_error_explains_why() -> None:
    with pytest.raises(ValueError, match="exact"):
        parse_rate(0.15)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rate", "text"), [(Fraction(3, 20), "3/20"), (Fraction(0), "0/1"), (Fraction(1), "1/1")]
)
def test_format_rate(rate: Fraction, text: str) -> None:
    assert format_rate(rate) == text
