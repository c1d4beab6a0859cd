"""The published assignment (``assignment.json``): the groups, their objects, every 回避 move.

Who recused himself, and why, stays internal: a move names the object and the two groups.
"""

from __future__ import annotations

from typing import Any

from rfb_policy.month import Month
from rfb_policy.rules.groups import Assignment

__all__ = ["ASSIGNMENT_FORMAT", "assignment_json"]

ASSIGNMENT_FORMAT = "rfb-assignment/1"


def assignment_json(draw_id: str, month: Month | str, assignment: Assignment) -> dict[str, Any]:
    """The ``assignment.json`` of a month's draw."""
    return {
        "format": ASSIGNMENT_FORMAT,
        "month": str(month),
        "draw_id": draw_id,
        "groups": [
            {"number": g.number, "members": list(g.members), "objects": list(ids)}
            for g, ids in zip(assignment.groups, assignment.objects, strict=True)
        ],
        "moves": [
            {"object_id": m.object_id, "from_group": m.from_group, "to_group": m.to_group}
            for m in assignment.substitutions
        ],
    }
