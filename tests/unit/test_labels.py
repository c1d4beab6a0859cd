"""Label rules (spec v1, section 3), canonical_label, and the two-tier population check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairdraw import (
    DuplicateLabelError,
    EmptyPopulationError,
    LabelError,
    canonical_label,
    population_digest,
)
from fairdraw.labels import WHITE_SPACE, _looks_valid, check_label, validate_population
from strategies import _is_valid_label, labels, populations, raw_text


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("", "empty"),
        ("x" * 1025, "too_long"),
        ("中" * 342, "too_long"),  # 1026 bytes
        ("a\tb", "control"),
        ("a\nb", "control"),
        ("a\x00", "control"),
        ("a\x7f", "control"),
        ("a\u0085", "control"),
        ("a\u009f", "control"),
        (" a", "whitespace"),
        ("a ", "whitespace"),
        ("\u3000a", "whitespace"),
        ("a\u00a0", "whitespace"),
        ("a\u2029", "whitespace"),
        ("e\u0301", "not_nfc"),
        ("\u212b", "not_nfc"),
        ("\uf900", "not_nfc"),
        ("\ud800", "encoding"),
        (42, "type"),
    ],
)
def test_check_label_rejects_with_reason(label: object, reason: str) -> None:
    with pytest.raises(LabelError) as info:
        check_label(label, 7)
    assert info.value.reason == reason
    assert info.value.position == 7
    assert "label 7" in str(info.value)


@pytest.mark.parametrize(
    "label",
    [
        "a",
        "x" * 1024,
        "中" * 341 + "x",
        "\u00e9",
        "q\u0307",
        "a b",
        "x\u200b",
        "\U0001f469\u200d\U0001f4bb",
    ],
)
def test_check_label_accepts(label: str) -> None:
    assert check_label(label) == label.encode("utf-8")


def test_white_space_set_matches_unicode_white_space_minus_cc() -> None:
    # PropList.txt White_Space, written out independently of labels.py.
    white_space = [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B)]
    white_space += [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
    non_control = {chr(c) for c in white_space if not (c < 0x20 or 0x7F <= c <= 0x9F)}
    assert non_control == WHITE_SPACE


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  北京 西城 \t", "北京 西城"),
        ("e\u0301", "\u00e9"),
        ("\ufeff91110102MA01ABCD2X\r\n", "91110102MA01ABCD2X"),
        ("\u3000人防\u3000", "人防"),
        ("\u212b", "\u00c5"),
    ],
)
def test_canonical_label_normalises(raw: str, expected: str) -> None:
    assert canonical_label(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "a\x00b", "x" * 1025])
def test_canonical_label_refuses_what_it_cannot_fix(raw: str) -> None:
    with pytest.raises(LabelError):
        canonical_label(raw)


@given(raw_text)
def test_canonical_label_is_idempotent_or_raises(raw: str) -> None:
    try:
        once = canonical_label(raw)
    except LabelError:
        return
    assert canonical_label(once) == once
    assert check_label(once)


@pytest.mark.slow
@settings(max_examples=2000)
@given(st.lists(raw_text, min_size=1, max_size=6))
def test_fast_tier_agrees_with_label_by_label_rules(population: list[str]) -> None:
    """The joined-text fast check accepts exactly the populations the per-label rules accept."""
    per_label = all(_is_valid_label(label) for label in population) and len(set(population)) == len(
        population
    )
    assert _looks_valid(population) == per_label
    if per_label:
        assert validate_population(population) == population
    else:
        with pytest.raises(LabelError):
            validate_population(population)


@given(populations, st.data())
def test_first_offender_is_reported(population: list[str], data: st.DataObject) -> None:
    bad = data.draw(st.sampled_from(["", " x", "a\tb", "e\u0301", "x" * 1025]))
    where = data.draw(st.integers(0, len(population)))
    broken = [*population[:where], bad, *population[where:]]
    with pytest.raises(LabelError) as info:
        validate_population(broken)
    assert info.value.position == where + 1


def test_duplicate_names_both_positions() -> None:
    with pytest.raises(DuplicateLabelError) as info:
        validate_population(["a", "b", "c", "b"])
    assert (info.value.position, info.value.first_position) == (4, 2)
    assert "label 4" in str(info.value) and "label 2" in str(info.value)


@pytest.mark.parametrize("order", [["\u00e9", "e\u0301"], ["e\u0301", "\u00e9"]])
def test_duplicate_after_nfc_is_reported_as_duplicate(order: list[str]) -> None:
    with pytest.raises(DuplicateLabelError) as info:
        validate_population(["x", *order])
    assert "NFC" in str(info.value)


def test_empty_population() -> None:
    with pytest.raises(EmptyPopulationError):
        validate_population([])
    with pytest.raises(EmptyPopulationError):
        population_digest(iter([]))


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="duplicates"):
        validate_population(["a", "a"])


@given(labels)
def test_valid_labels_pass(label: str) -> None:
    assert check_label(label) == label.encode()
