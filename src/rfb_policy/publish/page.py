"""The publication's browser check (``verify.html``) and its public lists (``public-lists.json``).

The office's page is fairdraw's page built with the office's rules (``web/verifier/src/
office.js``): it checks a publication as ``rfb verify`` does, the groups, the assignment and its
回避 moves and the replaced attempts included. It is built from source and shipped in this
package (``rfb_policy/data/verify.html``); :func:`office_page` fills its data element with the
month's record, the office's public key, the public lists, the assignment and the replaced
attempts, so that nothing needs fetching.

``public-lists.json`` holds the month's public lists (QUAL, the officers; never a confidential
one) so that ``rfb verify`` on the publication folder recomputes them completely, as the page
does::

    {"format": "rfb-public-lists/1", "draw_id": "xicheng-rfb-2026-02",
     "lists": {"2026-02/QUAL": ["XC-RF-2026-001", …], "2026-02/inspectors": […]}}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from fairdraw import DrawRecord, FairdrawError, InputError, Population, read_json, verifier_page
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.i18n import _

__all__ = [
    "PUBLIC_LISTS_FORMAT",
    "PUBLIC_LISTS_NAME",
    "office_page",
    "public_lists_json",
    "read_public_lists",
]

PUBLIC_LISTS_NAME = "public-lists.json"
PUBLIC_LISTS_FORMAT = "rfb-public-lists/1"


def office_page(
    record: MonthRecord,
    *,
    public_key: str | None,
    lists: Mapping[str, Population],
    assignment: Mapping[str, Any] | None,
    superseded: Sequence[DrawRecord] = (),
    key_notice: str = "",
    auditor: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """The office's ``verify.html`` for a month's publication, everything embedded.

    Args:
        key_notice: where the office publishes its key's fingerprint (``[office] key_notice``),
            which the page tells the citizen to compare with.
        auditor: the auditors' copy (``draws/DRAW_ID/internal/verify.html``), which may carry
            the confidential lists with their salts; never published.
        extra: further members of the embedded object: the signed ``manifest`` the page
            checks, and (the auditors' copy) the publication's ``files`` in base64 by path.

    Raises:
        ValueError: a list given is confidential, and this is no auditors' copy.
    """
    confidential = {s.scope for s in record.record.announcement.scopes if s.confidential}
    if (leaked := sorted(confidential & set(lists))) and not auditor:
        raise ValueError(f"confidential lists are never published: {leaked}")
    template = resources.files("rfb_policy.data").joinpath("verify.html").read_text("utf-8")
    extra = {**(extra or {}), "superseded": {r.draw_id: r.to_json() for r in superseded}}
    if assignment is not None:
        extra["assignment"] = assignment
    if key_notice:
        extra["key_notice"] = key_notice
    if auditor:
        extra["audit"] = True
    return verifier_page(
        record.record.to_json(),
        public_key=public_key,
        populations=lists,
        extra=extra,
        template=template,
    )


def public_lists_json(draw_id: str, lists: Mapping[str, Population]) -> dict[str, Any]:
    """The ``public-lists.json`` of a month's publication."""
    return {
        "format": PUBLIC_LISTS_FORMAT,
        "draw_id": draw_id,
        "lists": {scope: list(population) for scope, population in sorted(lists.items())},
    }


def read_public_lists(folder: Path, draw_id: str) -> dict[str, Population]:
    """The public lists a publication folder holds (none for an older publication).

    Raises:
        FairdrawError: the file is not JSON, not a lists file of this draw, or a list breaks
            the draw rules (the message names the file and the scope).
    """
    path = folder / PUBLIC_LISTS_NAME
    if not path.exists():
        return {}
    data = read_json(path, _("public lists"))
    lists = data.get("lists") if isinstance(data, Mapping) else None
    if not isinstance(data, Mapping) or data.get("format") != PUBLIC_LISTS_FORMAT:
        raise InputError(
            _("{path}: not an {format} file").format(path=path, format=PUBLIC_LISTS_FORMAT)
        )
    if data.get("draw_id") != draw_id or not isinstance(lists, Mapping):
        raise InputError(
            _("{path}: the lists of another draw, or no table of lists").format(path=path)
        )
    found = {}
    for scope, labels in lists.items():
        if not isinstance(labels, list):
            raise InputError(
                _("{path}: the list of {scope} is not a list of labels").format(
                    path=path, scope=scope
                )
            )
        try:
            found[scope] = Population.of(labels)
        except FairdrawError as err:
            raise InputError(
                _("{path}: the list of {scope}: {error}").format(path=path, scope=scope, error=err)
            ) from err
    return found
