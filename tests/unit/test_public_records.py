"""The check "public records": a public record's numbers, typed in by the office after the draw,
checked against the numbers the verifier looked up from its publisher (ceremony spec v2,
section 8; v1, section 5).

The records are real (``tests/support/lottery.py``): v2 with a witness and 福彩3D, v1 with
福彩3D (and 双色球) on a later day, and an aborted v1 ceremony. Nothing is mocked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fairdraw import (
    PUBLIC_RECORDS,
    STEERING,
    InputError,
    Report,
    VerificationError,
    event_hash,
    open_store,
    parse_public_record,
    public_record_key,
    speaking,
    verification_report,
    verify_record,
)
from fairdraw.ceremony.events import GENESIS, sign_event, sign_record
from fairdraw.ceremony.report import OUTCOME
from lottery import KEYS, NUMBERS, OFFICE_KEY, POPULATIONS, PUBLISHER, v1_record, v2_record

VECTORS = Path(__file__).parents[1] / "vectors"


def report_of(record: dict[str, Any], given: dict[str, Any] | None = None) -> Report:
    """Verified with everything else a verifier can have: the population and the office key."""
    return verification_report(
        record, populations=POPULATIONS, public_key=OFFICE_KEY.public, public_records=given
    )


def check(report: Report) -> Any:
    found = [c for c in report.checks if c.name == PUBLIC_RECORDS]
    assert len(found) == 1, report.to_dict()
    return found[0]


# -- the numbers a verifier gives ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "7.8.11.18.28.40./12./",  # the RFC 3797 key string, as it is
        "7.8.11.18.28.40./12.",
        "7.8.11.18.28.40/12",
        "7,8,11,18,28,40/12",
        "28 7 11 40 8 18 / 12",  # the publisher's order, as the office types it
        " 07, 08, 11, 18, 28, 40 / 12 ",  # as lottery sites print them
    ],
)
def test_the_numbers_are_read_in_every_documented_form(text: str) -> None:
    assert public_record_key(parse_public_record(text)) == KEYS["ssq"]


@pytest.mark.parametrize(
    "text",
    ["", "/", "1./ /", "1..2", "1,,2", "1;2", "-1", "1.5e3", "١٢", "+4", "1_0", "1./2./3//", "a"],
)
def test_other_text_is_refused_with_the_grammar(text: str) -> None:
    with pytest.raises(InputError, match="draws separated by '/'") as refused:
        parse_public_record(text)
    assert repr(text) in str(refused.value)


# -- v2: passed, failed, not checked -------------------------------------------------------------


def test_not_given_is_not_checked_and_says_what_to_compare() -> None:
    report = report_of(v2_record())
    names = [c.name for c in report.checks]
    assert names.index(PUBLIC_RECORDS) == names.index("public randomness") + 1
    assert names.index(STEERING) == names.index(PUBLIC_RECORDS) + 1
    found = check(report)
    assert found.status == "not checked"
    assert [c.name for c in report.unchecked] == [PUBLIC_RECORDS] and not report.failed
    assert report.verdict == "incomplete" and not report.passed
    for words in (
        "'fc3d'",
        "福彩3D 第2026124期 开奖号码",
        f"published by {PUBLISHER}",
        "drawn at 2026-05-12T13:15:00Z (2026-05-12 21:15:00 Beijing time)",
        "the office typed in 3 1 4",
        "1.3.4./",
        "--public-record fc3d=NUMBERS",
    ):
        assert words in found.detail, found.detail
    with pytest.raises(VerificationError, match="public records: not checked"):
        verify_record(record=v2_record(), populations=POPULATIONS, public_key=OFFICE_KEY.public)


@pytest.mark.parametrize("given", ["1.3.4./", "3,1,4", "4 3 1", [[3, 1, 4]], ((4, 1, 3),)])
def test_the_same_numbers_pass_and_so_does_the_record(given: Any) -> None:
    report = report_of(v2_record(), {"fc3d": given})
    assert check(report).status == "passed"
    assert check(report).detail == "'fc3d': the recorded numbers 1.3.4./ match the numbers you gave"
    assert report.verdict == "passed" and report.passed
    given_too = {"fc3d": given}
    verified = verify_record(
        v2_record(), populations=POPULATIONS, public_key=OFFICE_KEY.public, public_records=given_too
    )
    assert verified.passed


@pytest.mark.parametrize(("given", "key"), [("3,1,5", "1.3.5./"), ("3,1,4/9", "1.3.4./9./")])
def test_other_numbers_fail_naming_both(given: str, key: str) -> None:
    report = report_of(v2_record(), {"fc3d": given})
    found = check(report)
    assert found.status == "failed" and report.verdict == "failed"
    assert [c.name for c in report.failures] == [PUBLIC_RECORDS]
    assert "the record holds 1.3.4./" in found.detail and key in found.detail
    with pytest.raises(VerificationError, match="public records: failed"):
        verify_record(
            v2_record(), populations=POPULATIONS, public_key=OFFICE_KEY.public,
            public_records={"fc3d": given},
        )  # fmt: skip


def test_an_office_that_typed_other_numbers_is_caught_only_by_the_publishers() -> None:
    typed = v2_record(typed={"fc3d": [[9, 9, 9]]})
    silent = report_of(typed)
    assert check(silent).status == "not checked" and "9 9 9" in check(silent).detail
    assert all(c.status == "passed" for c in silent.checks if c.name != PUBLIC_RECORDS)
    assert report_of(typed, {"fc3d": "3 1 4"}).verdict == "failed"


# -- ids and values that are not the record's -----------------------------------------------------


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({"fc3x": "1.3.4./"}, r"'fc3x': not a public-record source of draw 'lottery-2026-05' \(its "
         r"public-record sources: 'fc3d'\)"),
        ({"office-secret": "1"}, "'office-secret': not a public-record source"),
        ({"fc3d": "1.3.x./"}, "draws separated by"),
        ({"fc3d": []}, "non-empty lists of whole numbers"),
        ({"fc3d": [[]]}, "non-empty lists of whole numbers"),
        ({"fc3d": [[-1]]}, "non-empty lists of whole numbers"),
        ({"fc3d": [[True]]}, "non-empty lists of whole numbers"),
        ({"fc3d": [["1"]]}, "non-empty lists of whole numbers"),
        ({"fc3d": 134}, "non-empty lists of whole numbers"),
    ],
)  # fmt: skip
def test_a_source_or_numbers_not_of_the_record_are_an_input_error(
    given: dict[str, Any], words: str
) -> None:
    with pytest.raises(InputError, match=words):
        report_of(v2_record(), given)
    with pytest.raises(InputError, match=words):
        verify_record(v2_record(), public_records=given)


def test_a_record_without_public_records_has_none_to_give() -> None:
    record = json.loads((VECTORS / "ceremony-v1.json").read_text(encoding="utf-8"))["record"]
    with pytest.raises(InputError, match=r"its public-record sources: none"):
        verification_report(record, public_records={"fc3d": "1.3.4./"})


# -- records without public records keep their checks and verdicts ----------------------------------


def test_records_without_public_records_get_no_such_check() -> None:
    cases = json.loads((VECTORS / "ceremony-v2.json").read_text(encoding="utf-8"))["cases"]
    v1 = json.loads((VECTORS / "ceremony-v1.json").read_text(encoding="utf-8"))
    records = [c["record"] for c in cases] + [v1["record"]]
    assert len(records) > 10
    for record in records:
        plain = verification_report(record)
        assert PUBLIC_RECORDS not in [c.name for c in plain.checks]
        assert verification_report(record, public_records={}) == plain


# -- v1 records, aborted records, several public records -------------------------------------------


def test_a_v1_record_names_its_day_and_no_publisher() -> None:
    found = check(report_of(v1_record()))
    assert found.status == "not checked"
    assert (
        "'fc3d' (福彩3D 第2026124期 开奖号码, published on 2026-05-13; the record names no "
        "publisher)" in found.detail
    )
    given = report_of(v1_record(), {"fc3d": "1.3.4./"})
    assert check(given).status == "passed"
    assert [c.name for c in given.unchecked] == [STEERING]  # a v1 ceremony has no witness
    assert check(report_of(v1_record(), {"fc3d": "1.3.5./"})).status == "failed"


def test_an_aborted_record_has_nothing_to_compare_and_stays_a_sound_aborted_record() -> None:
    report = report_of(v1_record(aborted=True))
    assert check(report).status == "passed"
    assert "no numbers are recorded" in check(report).detail
    assert report.aborted and report.failures_of_an_aborted_record == ()
    with_numbers = report_of(v1_record(aborted=True), {"fc3d": "1.3.4./"})
    assert check(with_numbers) == check(report)


def test_an_aborted_record_is_known_as_one_in_either_language() -> None:
    """The abort is told by the check's flag, not its wording: a Chinese run translates it."""
    english = report_of(v1_record(aborted=True))
    with speaking("zh"):
        chinese = report_of(v1_record(aborted=True))
    outcome = [c for c in chinese.checks if c.name == OUTCOME]
    assert outcome and outcome[0].detail.startswith("仪式已中止：") and outcome[0].aborted
    assert chinese.aborted and chinese.failures_of_an_aborted_record == ()
    assert [c.to_dict()["name"] for c in chinese.checks] == [c.name for c in english.checks]
    assert next(c for c in english.checks if c.name == OUTCOME).detail.startswith(
        "the ceremony was aborted: "
    )


def test_several_public_records_each_compared() -> None:
    record = v1_record(("fc3d", "ssq"))
    found = check(report_of(record))
    assert found.status == "not checked"
    assert "--public-record fc3d=NUMBERS" in found.detail
    assert "--public-record ssq=NUMBERS" in found.detail
    assert "28 7 11 40 8 18 / 12" in found.detail and KEYS["ssq"] in found.detail
    half = check(report_of(record, {"ssq": NUMBERS["ssq"]}))
    assert half.status == "not checked" and "'ssq': the recorded numbers" in half.detail
    assert "--public-record fc3d=NUMBERS" in half.detail
    assert "--public-record ssq" not in half.detail
    both = check(report_of(record, {"ssq": KEYS["ssq"], "fc3d": "4,1,3"}))
    assert both.status == "passed"
    wrong = check(report_of(record, {"ssq": "7.8.11.18.28.40./13./"}))
    assert wrong.status == "failed" and "--public-record fc3d=NUMBERS" in wrong.detail


def test_a_recorded_value_that_cannot_be_read_fails() -> None:
    record = v2_record()
    events = [dict(e["event"]) for e in record["events"]]
    index = next(i for i, e in enumerate(events) if e["body"].get("source") == "fc3d")
    events[index]["body"] = {**events[index]["body"], "value": {"numbers": "3 1 4"}}
    signed: list[dict[str, Any]] = []
    for event in events:  # signed again, as the office can
        event["previous"] = event_hash(signed[-1]) if signed else GENESIS
        signed.append(sign_event(OFFICE_KEY, event))
    changed = sign_record(OFFICE_KEY, record["draw_id"], signed)
    found = check(report_of(changed, {"fc3d": "1.3.4./"}))
    assert found.status == "failed" and "cannot be read" in found.detail


# -- the office keeps finalising its records ----------------------------------------------------


def test_the_office_finalises_records_whose_public_records_nobody_compared(tmp_path: Path) -> None:
    with open_store(tmp_path / "office.db") as store:
        drawn = store.finalise(v2_record(), actor="clerk", key=OFFICE_KEY)
        aborted = store.finalise(v1_record(aborted=True), actor="clerk", key=OFFICE_KEY)
    assert drawn.payload["status"] == "drawn" and aborted.payload["status"] == "aborted"
