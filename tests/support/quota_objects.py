"""Directory objects for the quota tests and vectors (rfb's plan only reads an object's items,
its risk flags and whether it has an open case): numbered, fictitious, no case."""

from __future__ import annotations

from collections.abc import Sequence

from rfb_policy.model.directory import InspectionObject


def plain_object(number: int, items: Sequence[str], risky: bool) -> InspectionObject:
    """Object ``XC-NNNNN`` with ``items``; ``risky``: one reported problem (the risk rule's
    default threshold), else no flag."""
    return InspectionObject(
        id=f"XC-{number:05d}",
        id_type="uscc",
        name=f"示例单位{number}",
        items=tuple(sorted(set(items))),
        under_construction=False,
        complaints=0,
        reported_problems=int(risky),
        bad_records=0,
        serious_violation=False,
        case_number=None,
        evidence_ref=None,
    )
