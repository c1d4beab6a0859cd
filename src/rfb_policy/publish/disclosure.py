"""The monthly public disclosure (行政执法公示) and the credit-system export (rules R17–R19).

For each inspected object: its id, its name, the items inspected, the result, what was found
and how it was handled, and any penalty. The page (:mod:`rfb_policy.publish.index_page`) says
which draw chose the objects and how anyone can check it. Addresses are withheld, and the
totals of MAINT, USE and COMM (数量涉密) never appear: no population size, no ratio applied to
a total, only the objects that were inspected.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from fairdraw import (
    Approval,
    Checkpoint,
    DrawRecord,
    OfficeKey,
    Population,
    json_bytes,
    write_atomic,
)
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.model.directory import is_valid_uscc
from rfb_policy.model.results import InspectionResult
from rfb_policy.publish.index_page import OfficeDetails, render_index
from rfb_policy.publish.log_checkpoint import CHECKPOINT_NAME
from rfb_policy.publish.manifest import MANIFEST_NAME, manifest_json
from rfb_policy.publish.page import PUBLIC_LISTS_NAME, public_lists_json
from rfb_policy.rules.groups import Assignment
from rfb_policy.rules.items import Catalogue

__all__ = [
    "COLUMNS",
    "CREDIT_FORMAT",
    "PENDING",
    "RESULTS_NAME",
    "PublicRow",
    "credit_json",
    "public_rows",
    "write_publication",
]

COLUMNS = (
    ("id", "统一社会信用代码/编号"),
    ("name", "名称"),
    ("items", "抽查事项"),
    ("category", "检查结果"),
    ("findings", "检查情况"),
    ("handling", "处理情况"),
    ("penalty_decision", "处罚决定书文号"),
    ("penalty_amount", "罚款金额（元）"),
    ("inspected_on", "检查日期"),
    ("submission", "报送情况"),
    ("group", "检查组"),
    ("officers", "执法人员"),
)
"""The published columns, in order: the row's field and its header."""

CREDIT_FORMAT = "rfb-credit/2"
RESULTS_NAME = "results.json"
"""The signed results every row comes from (:mod:`rfb_policy.publish.results`)."""

PENDING = "待报送"
"""The result shown for a drawn object whose result has not come in."""


@attrs.frozen
class PublicRow:
    """One published line: an inspected object and what was found (:data:`COLUMNS`)."""

    id: str
    name: str
    items: str
    category: str
    penalty_decision: str
    penalty_amount: str
    inspected_on: str
    group: str = ""
    officers: str = ""
    findings: str = ""
    handling: str = ""
    submission: str = ""

    def cells(self) -> list[str]:
        """The row's cells, in the order of :data:`COLUMNS`."""
        return [getattr(self, key) for key, _ in COLUMNS]


def public_rows(
    drawn: Mapping[str, Sequence[str]],
    names: Mapping[str, str],
    results: Mapping[str, InspectionResult],
    catalogue: Catalogue,
    assignment: Assignment | None = None,
    officers: Mapping[str, str] | None = None,
) -> list[PublicRow]:
    """The month's rows: every drawn object, with its latest result (or 待报送 if none yet).

    Args:
        drawn: the drawn objects per item and stratum (``MAINT/base`` → ids).
        names: each object's name (a result that recorded the name shows that one).
        results: each object's latest result.
        catalogue: the item catalogue (item names).
        assignment: which group inspects which object; its members are published by name and
            certificate number (执法人员身份公开).
        officers: certificate number → name.
    """
    officers = officers or {}

    def group_of(object_id: str) -> dict[str, str]:
        if assignment is None:
            return {}
        number = assignment.group_of(object_id)
        members = assignment.groups[number - 1].members
        named = "、".join(f"{officers.get(m, '')}（{m}）" for m in members)
        return {"group": f"第{number}组", "officers": named}

    items_of: dict[str, list[str]] = {}
    for scope, ids in drawn.items():
        for object_id in ids:
            items_of.setdefault(object_id, []).append(catalogue[scope.split("/")[0]].name)
    rows = []
    for object_id, item_names in items_of.items():
        result = results.get(object_id)
        shown = (
            result.public_fields()
            if result
            else {"category": PENDING, "penalty_decision": "", "penalty_amount": ""}
        )
        rows.append(
            PublicRow(
                **{
                    "inspected_on": "",
                    "name": names.get(object_id, ""),
                    **shown,
                    **group_of(object_id),
                    "id": object_id,
                    "items": "；".join(dict.fromkeys(item_names)),
                }
            )
        )
    return rows


def _csv(rows: Sequence[PublicRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for _, title in COLUMNS])
    for row in rows:
        writer.writerow(row.cells())
    return buffer.getvalue()


def _xlsx(rows: Sequence[PublicRow]) -> bytes:
    import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "公示"
    sheet.append([title for _, title in COLUMNS])
    amount = [key for key, _ in COLUMNS].index("penalty_amount")
    for row in rows:
        cells: list[str | int] = list(row.cells())
        if row.penalty_amount.isdigit():  # a number cell: Excel sums it
            cells[amount] = int(row.penalty_amount)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def credit_json(month: str, rows: Sequence[PublicRow]) -> dict[str, Any]:
    """The credit-system export (rule R19, ``rfb-credit/2``): the rows of objects keyed by a
    统一社会信用代码, the fine in whole yuan (an integer, or null)."""
    return {
        "format": CREDIT_FORMAT,
        "month": month,
        "entries": [
            {
                "unified_social_credit_code": r.id,
                "name": r.name,
                "result": r.category,
                "findings": r.findings,
                "handling": r.handling,
                "penalty_decision": r.penalty_decision,
                "penalty_amount": int(r.penalty_amount)
                if r.penalty_amount.isdigit()
                else (r.penalty_amount or None),
                "inspected_on": r.inspected_on,
            }
            for r in rows
            if is_valid_uscc(r.id)
        ],
    }


def write_publication(
    folder: Path,
    rows: Sequence[PublicRow],
    record: MonthRecord,
    assignment: Mapping[str, Any] | None = None,
    superseded: Sequence[DrawRecord] = (),
    verifier: Callable[[Mapping[str, Any] | None], str] | None = None,
    public_lists: Mapping[str, Population] | None = None,
    key: OfficeKey | None = None,
    published: str = "",
    results: Mapping[str, Any] | None = None,
    office: OfficeDetails | None = None,
    catalogue: Catalogue | None = None,
    approval: Approval | None = None,
    log_checkpoint: Checkpoint | None = None,
) -> list[Path]:
    """Write the page, CSV, XLSX, the record, the credit export and, if given, the assignment
    (:func:`rfb_policy.publish.assignment.assignment_json`), the aborted attempts the record
    replaces (``superseded/DRAW_ID.json``: nothing redrawn out of sight) and the browser check
    ``verify.html`` (``verifier`` makes its text, given the manifest it is to carry:
    :func:`rfb_policy.publish.page.office_page`) and the public
    lists it recomputes (``public-lists.json``), the signed results the rows come from
    (``results.json``, :func:`rfb_policy.publish.results.results_json`); with the office
    ``key``, the signed manifest of them all (``manifest.json``,
    :mod:`rfb_policy.publish.manifest`), written last, at ``published``, listing the office's
    signed ``log_checkpoint`` when given
    (``log-checkpoint.json``, :mod:`rfb_policy.publish.log_checkpoint`); return the files
    written. The page names the ``office`` (its name, contact and complaint channel; by default
    the announced name), each item's 检查方式 and 执法依据 from ``catalogue`` (the bundled one by
    default) and the leader's ``approval``, and links every other file.

    Each file is written whole or not at all (:func:`fairdraw.write_atomic`), and the record's
    SHA-256 on the page is taken over the very bytes of ``record.json`` (``\n`` line ends on
    every operating system).
    """
    month = str(record.month)
    record_bytes = json_bytes(record.record.to_json())
    record_sha = hashlib.sha256(record_bytes).hexdigest()
    credit = credit_json(month, rows)
    files: dict[str, bytes] = {
        "record.json": record_bytes,
        "results.csv": _csv(rows).encode("utf-8"),
        "results.xlsx": _xlsx(rows),
        "credit.json": json_bytes(credit),
    }
    if results is not None:
        files[RESULTS_NAME] = json_bytes(results)
    if assignment is not None:
        files["assignment.json"] = json_bytes(assignment)
    for earlier in superseded:
        files[f"superseded/{earlier.draw_id}.json"] = json_bytes(earlier.to_json())
    if public_lists is not None:
        files[PUBLIC_LISTS_NAME] = json_bytes(public_lists_json(record.draw_id, public_lists))
    if log_checkpoint is not None:
        files[CHECKPOINT_NAME] = log_checkpoint.to_bytes()
    later = [*(["verify.html"] if verifier else []), *([MANIFEST_NAME] if key else [])]
    page = render_index(
        record,
        rows,
        record_sha=record_sha,
        files=[*files, *later],
        office=office or OfficeDetails(),
        catalogue=catalogue or Catalogue.bundled(),
        approval=approval,
        published=published,
    )
    files["index.html"] = page.encode("utf-8")
    manifest = None
    if key is not None:
        manifest = manifest_json(
            files, draw_id=record.draw_id, month=month, key=key, published=published
        )
    if verifier is not None:
        files["verify.html"] = verifier(manifest).encode("utf-8")
    if manifest is not None:  # last: a manifest always lists files that are there whole
        files[MANIFEST_NAME] = json_bytes(manifest)
    return [write_atomic(folder / name, data) for name, data in files.items()]
