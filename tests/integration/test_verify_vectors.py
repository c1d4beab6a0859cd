"""The Python verifiers on every verification vector (tests/vectors/verify-*.json): each check's
status, in order, and the verdict are the ones the vector states. The browser verifier runs the
same vectors (test_web_verifier_browser.py, and its node tests in web/verifier)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from verify_vectors import PUBLICATIONS, RECORDS, expected, python_report, statuses


def test_the_vectors_cover_every_verdict_and_kind_of_case() -> None:
    for vectors in (RECORDS, PUBLICATIONS):
        assert vectors["format"] == "fairdraw-verify-vectors/1"
        verdicts = {c["expected"]["verdict"] for c in vectors["cases"]}
        assert verdicts == {"passed", "failed", "incomplete"}
        names = [c["name"] for c in vectors["cases"]]
        assert len(names) == len(set(names))
    record_names = {c["name"] for c in RECORDS["cases"]}
    assert {"label-swapped-and-re-signed", "seed-chosen-and-re-signed", "score-changed",
            "malformed-no-events", "another-office-key"} <= record_names  # fmt: skip
    publication_names = {c["name"] for c in PUBLICATIONS["cases"]}
    assert {"object-moved", "redrawn", "redrawn-attempt-withheld", "malformed-record"} <= (
        publication_names
    )


@pytest.mark.parametrize("case", RECORDS["cases"], ids=lambda c: c["name"])
def test_fairdraw_verify_on_every_record_vector(case: dict[str, Any]) -> None:
    report = python_report(case)
    assert statuses(report.checks) == expected(case)
    assert report.verdict == case["expected"]["verdict"]


@pytest.mark.parametrize("case", PUBLICATIONS["cases"], ids=lambda c: c["name"])
def test_rfb_verify_on_every_publication_vector(case: dict[str, Any], tmp_path: Path) -> None:
    report = python_report(case, tmp_path)
    assert statuses(report.checks) == expected(case)
    assert report.verdict == case["expected"]["verdict"]
