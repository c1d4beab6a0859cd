"""The receipts of a draw's confidential lists (``draws/DRAW_ID/internal/receipts/``): one
signed ``fairdraw/member-receipt/v1`` file per object of each confidential scope, for the
office to hand to that business (with its 检查通知书, or on request).

A receipt shows its business, and nobody else, that it was in the list committed before the
seed existed, and lets it check with ``fairdraw check-member`` why it was or was not drawn.
It reveals neither the other objects nor their number, but it names its business: give each
one its own file only. Files are named for the clerk who looks them up::

    receipts/2026-05_MAINT_base/91110102MA01ABCD1X_某某大厦.json
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from fairdraw import OfficeKey, Population, issue_receipts, write_json
from rfb_policy.ceremony.record import MonthRecord

__all__ = ["RECEIPTS_FOLDER", "receipt_path", "write_receipts"]

RECEIPTS_FOLDER = "receipts"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def receipt_path(scope: str, object_id: str, name: str = "") -> str:
    """A receipt's path in the receipts folder: ``SCOPE_with_underscores/ID_NAME.json``."""
    stem = _UNSAFE.sub("_", f"{object_id}_{name}" if name else object_id).strip(" .")
    return f"{scope.replace('/', '_')}/{stem[:120]}.json"


def write_receipts(
    internal: Path,
    record: MonthRecord,
    populations: Mapping[str, Population],
    key: OfficeKey,
    names: Mapping[str, str],
) -> list[Path]:
    """Write the receipt of every object of each confidential scope the record announces with
    a membership tree; return the files written (none for a record without trees).

    A scope with keyed scores gets its result too: each receipt then carries the ``cutoff``
    picks its business needs to check its outcome (membership spec v1, section 9)."""
    announcement = record.record.events[0]
    written = []
    for entry in record.record.announcement.scopes:
        population = populations.get(entry.scope)
        if entry.membership_size is None or population is None:
            continue
        context = {
            label: {
                "month": str(record.month),
                **({"name": names[label]} if label in names else {}),
            }
            for label in population
        }
        receipts = issue_receipts(
            population,
            draw_id=record.draw_id,
            scope=entry.scope,
            size=entry.membership_size,
            announcement=announcement.raw,
            key=key,
            context=context,
            result=record.record.result(entry.scope),
        )
        for label, receipt in receipts.items():
            path = (
                internal / RECEIPTS_FOLDER / receipt_path(entry.scope, label, names.get(label, ""))
            )
            write_json(path, receipt.to_json())
            written.append(path)
    return written
