"""The month's publication (rule R17), assembled from the store: the disclosure and its files,
the citizen's browser check, and the auditor's copy of that check.

* ``publication/YYYY-MM/``: the page, CSV, XLSX, the record, ``assignment.json``, the credit
  export, the signed results (``results.json``), the aborted attempts the draw replaces,
  ``public-lists.json``, the office's signed checkpoint of its audit log
  (``log-checkpoint.json``) and ``verify.html`` with the record, the office's key, the public lists,
  the assignment, the signed results and the replaced attempts embedded
  (:func:`rfb_policy.publish.page.office_page`).
* ``draws/DRAW_ID/internal/verify.html``: the same check with every list embedded, the
  confidential ones with their salt, for the office and its auditors (who may have no Python):
  it checks every scope completely, and ``receipts/``: each confidential list's object's signed
  membership receipt (:mod:`rfb_policy.files.receipts`). Like the rest of ``internal/``, it
  is never published; it
  is written only beside a draw's internal lists (an office folder's, never the current folder
  of an ``rfb publish --db`` run elsewhere).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fairdraw import Checkpoint, OfficeKey, Population, log_checkpoint, write_atomic
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.files.internal import LISTS_NAME
from rfb_policy.files.receipts import RECEIPTS_FOLDER, write_receipts
from rfb_policy.i18n import _
from rfb_policy.model.results import InspectionResult
from rfb_policy.publish.assignment import assignment_json
from rfb_policy.publish.disclosure import public_rows, write_publication
from rfb_policy.publish.manifest import MANIFEST_NAME, UNLISTED
from rfb_policy.publish.page import office_page
from rfb_policy.publish.results import results_json
from rfb_policy.rules.items import Catalogue
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.export import draw_folder, public_lists, write_recusals
from rfb_policy.workflow.records import OfficeRecords
from rfb_policy.workflow.values import Progress

__all__ = ["AUDIT_PAGE", "publish_month"]

AUDIT_PAGE = "verify.html"
"""The auditor's browser check, in a draw's ``internal/`` folder."""


def publish_month(
    records: OfficeRecords,
    config: OfficeConfig,
    catalogue: Catalogue,
    record: MonthRecord,
    folder: Path,
    *,
    key: OfficeKey,
    published: datetime,
    say: Progress,
) -> list[Path]:
    """Write the month's publication into ``folder``, its manifest signed with ``key`` at
    ``published``; return its files. The auditor's page is written too (not returned: it is
    not for publication), and ``say`` tells where."""
    inspectors = records.inspectors_of(record)
    assignment = record.assignment(inspectors)
    names = {o.id: o.name for o in records.objects()}
    officers = {i.certificate: i.name for i in inspectors}
    history = records.result_history(record.draw_id)
    results = {i: InspectionResult.from_json(d[-1].body) for i, d in history.items()}
    rows = public_rows(record.drawn, names, results, catalogue, assignment, officers)
    every = [d for documents in history.values() for d in documents]
    signed = iter(records.published(every))  # (the log read once, for every result)
    published_results = {i: [next(signed) for _ in d] for i, d in history.items()}
    results_file = results_json(record, rows, published_results, key.public)
    found = config.public_key.exists()  # (not outside an office folder)
    key_text = config.public_key.read_text(encoding="utf-8") if found else None
    lists = public_lists(records, record)
    assignment_file = assignment_json(record.draw_id, record.month, assignment)
    earlier = records.superseded(record)
    approvals = [d for d in records.decisions(record.draw_id) if d.decision == "approved"]
    checkpoint = _checkpoint(records, key, published)

    def page(
        given: Mapping[str, Population], extra: Mapping[str, Any], *, auditor: bool = False
    ) -> str:
        return office_page(
            record,
            public_key=key_text,
            lists=given,
            assignment=assignment_file,
            superseded=earlier,
            key_notice=config.key_notice,
            auditor=auditor,
            extra=extra,
        )

    written = write_publication(
        folder,
        rows,
        record,
        assignment_file,
        earlier,
        verifier=lambda manifest: page(
            lists,
            {
                "manifest": manifest,
                "results": results_file,
                "log_checkpoint": checkpoint.to_json(),
            },
        ),
        public_lists=lists,
        key=key,
        published=published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        results=results_file,
        office=config.details,
        catalogue=catalogue,
        approval=approvals[-1] if approvals else None,
        log_checkpoint=checkpoint,
    )
    internal = draw_folder(config.path.parent, record.draw_id) / "internal"
    if (internal / LISTS_NAME).is_file():
        recusals = write_recusals(records, record, internal, assignment)  # (made above)
        lists_all = {r.scope: records.snapshot(r.population_digest) for r in record.record.results}
        # the auditors' copy carries the publication's files as written, checked against the
        # manifest it carries too
        carried = {
            path.relative_to(folder).as_posix(): base64.b64encode(path.read_bytes()).decode()
            for path in written
            if path.name not in UNLISTED
        }
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        extra = {
            "manifest": manifest,
            "files": carried,
            "recusals": recusals["moves"],
            "results": results_file,
            "log_checkpoint": checkpoint.to_json(),
        }
        audit = write_atomic(internal / AUDIT_PAGE, page(lists_all, extra, auditor=True))
        say(
            _(
                "The auditors' browser check (with the confidential lists and salts; never "
                "publish it): {path}"
            ).format(path=audit)
        )
        receipts = write_receipts(internal, record, lists_all, key, names)
        if receipts:
            folder_of = internal / RECEIPTS_FOLDER
            say(
                _(
                    "{count} membership receipts of the confidential lists' objects (give each "
                    "business its own only; never publish them): {path}"
                ).format(count=len(receipts), path=folder_of)
            )
    return written


def _checkpoint(records: OfficeRecords, key: OfficeKey, published: datetime) -> Checkpoint:
    """The office's signed checkpoint of its audit log, for ``log-checkpoint.json``: taken
    once the log and every row beside it verify (a checkpoint never vouches for a broken
    log), at the manifest's time.

    Raises:
        VerificationError: the store's log or a row does not check out (nothing is published).
    """
    records.store.verify_chain(key.public)
    return log_checkpoint(records.store, key, at=published)
