"""Checking a published month as a citizen can: the groups and the assignment, from the record.

``fairdraw verify`` checks the record itself: signatures, the seed, every drawn object. This
module checks what the office's rules built on it, from the public files alone:

* the groups are the officers' published ranking filled by the announced rules
  (:func:`rfb_policy.monthly.record_groups`);
* every drawn object is assigned once, and no other object;
* each object went to the group its turn in the ``YYYY-MM/assignment`` shuffle gives it, or a 回避
  move says where it went instead (who recused himself, and why, stays internal: the check
  cannot see the conflicts, only that every departure from the deal is declared).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from fairdraw import FairdrawError
from rfb_policy.groups import deal_order
from rfb_policy.monthly import drawn_objects, record_groups, record_objects
from rfb_policy.publish import ASSIGNMENT_FORMAT

__all__ = ["AssignmentCheck", "check_assignment"]


@attrs.frozen
class AssignmentCheck:
    """One check: its name, whether it passed, and what was found."""

    name: str
    passed: bool
    detail: str


def check_assignment(
    record: Mapping[str, Any], published: Mapping[str, Any]
) -> list[AssignmentCheck]:
    """Check a published ``assignment.json`` against the draw record it names.

    A malformed file fails the check (it never raises).
    """
    try:
        return _check(record, published)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
        return [AssignmentCheck("format", False, f"malformed: {type(err).__name__}: {err}")]


def _check(record: Mapping[str, Any], published: Mapping[str, Any]) -> list[AssignmentCheck]:
    if not isinstance(published, Mapping) or published.get("format") != ASSIGNMENT_FORMAT:
        return [AssignmentCheck("format", False, f"not an {ASSIGNMENT_FORMAT} file")]
    month = str(published.get("month", ""))
    if published.get("draw_id") != record.get("draw_id"):
        return [AssignmentCheck("draw_id", False, "the assignment names another draw")]
    try:
        seed, _, _ = drawn_objects(record, month)
        groups = record_groups(record, month)
        objects = record_objects(record, month)
    except FairdrawError as err:
        return [AssignmentCheck("record", False, str(err))]
    checks = []
    shown = [(g.get("number"), tuple(g.get("members", ()))) for g in published.get("groups", [])]
    expected = [(g.number, g.members) for g in groups]
    checks.append(
        AssignmentCheck(
            "groups",
            shown == expected,
            f"{len(groups)} group(s) of the published ranking under the announced rules"
            if shown == expected
            else f"published {shown}, the record gives {expected}",
        )
    )
    where: dict[str, int] = {}
    repeated = []
    for group in published.get("groups", []):
        for object_id in group.get("objects", []):
            if object_id in where:
                repeated.append(object_id)
            where[object_id] = int(group.get("number", 0))
    missing = sorted(set(objects) - set(where))
    strangers = sorted(set(where) - set(objects))
    fine = not (missing or strangers or repeated)
    checks.append(
        AssignmentCheck(
            "objects",
            fine,
            f"each of the {len(objects)} drawn objects assigned once"
            if fine
            else f"missing {missing[:3]}, not drawn {strangers[:3]}, twice {repeated[:3]}",
        )
    )
    moves = {
        m.get("object_id"): (m.get("from_group"), m.get("to_group"))
        for m in published.get("moves", [])
    }
    wrong = []
    for turn, object_id in enumerate(deal_order(seed, month, objects)):
        dealt = turn % len(groups) + 1
        went = where.get(object_id)
        declared = moves.get(object_id)
        if (went == dealt and declared is not None) or (
            went != dealt and declared != (dealt, went)
        ):
            wrong.append(object_id)
    checks.append(
        AssignmentCheck(
            "deal",
            not wrong,
            f"every object in its dealt group, {len(moves)} 回避 move(s) declared"
            if not wrong
            else f"objects away from their dealt group without a declared move: {wrong[:3]}",
        )
    )
    return checks
