"""The announcement of a new ceremony: its checks and its body (ceremony specs v1 and v2,
section 2.1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fairdraw.ceremony.events import CEREMONY_SPEC, CEREMONY_SPEC_V1
from fairdraw.ceremony.members import check_announcement_members
from fairdraw.ceremony.rules import (
    announced_keys,
    check_participants,
    controllers_of,
)
from fairdraw.ceremony.scopes import ScopePlan
from fairdraw.ceremony.sources import check_entropy, check_source
from fairdraw.errors import CeremonyError, InputError, VerificationError
from fairdraw.i18n import _
from fairdraw.labels import check_label
from fairdraw.times import format_time

__all__ = ["announcement_body"]


def announcement_body(
    office_key: Mapping[str, str],
    *,
    draw_id: str,
    office: str,
    scopes: Sequence[ScopePlan],
    participants: Sequence[Mapping[str, Any]],
    sources: Sequence[Mapping[str, Any]],
    deadlines: tuple[datetime, datetime],
    policy: Mapping[str, str] | None,
    supersedes: Mapping[str, str] | None,
    when: datetime,
    single_party_reason: str | None,
    version: int,
) -> tuple[str, dict[str, Any]]:
    """Check an announcement and return its spec and body.

    Raises:
        CeremonyError: a scope, participant, source or deadline breaks the rules, the sources
            carry too little entropy, or (v2) one party alone could steer the draw and no
            reason is given.
    """
    commit_deadline, reveal_deadline = deadlines
    try:
        check_label(draw_id)
    except InputError as err:
        raise CeremonyError(_("the draw id must be a label: {err}").format(err=err)) from err
    scope_entries = _scope_entries(scopes, draw_id)
    names = [entry["scope"] for entry in scope_entries]
    if not names or len(set(names)) != len(names):
        raise CeremonyError(_("announce at least one scope, each with its own name"))
    ids = [p.get("id", "") for p in participants]
    for pid in ids:
        check_label(pid)
    if len(set(ids)) != len(ids):
        raise CeremonyError(_("participant ids must be unique"))
    source_ids = [s.get("id") for s in sources]
    if not sources or len(set(source_ids)) != len(source_ids):
        raise CeremonyError(_("announce at least one source, each with its own id"))
    if version not in (1, 2):
        raise CeremonyError(
            _("ceremony version {version}: only 1 and 2 exist").format(version=version)
        )
    entries = [dict(p) for p in participants]
    source_entries: list[dict[str, Any]] = [dict(s) for s in sources]
    if version == 2:
        entries = [{"key": None, **p} for p in entries]
        check_participants(entries)
        keyed = set(announced_keys(entries))
        for spec in source_entries:
            spec["controllers"] = controllers_of(spec, keyed)
    for spec in source_entries:
        check_source(spec, set(ids), when)
    check_entropy(source_entries)
    if not when < commit_deadline <= reveal_deadline:
        raise CeremonyError(_("deadlines must follow the announcement: commit, then reveal"))
    if supersedes is not None and not {"draw_id", "reason", "approver"} <= set(supersedes):
        raise CeremonyError(_("supersedes needs the old draw_id, a reason and an approver"))
    body = {
        "office": office,
        "office_key": dict(office_key),
        "policy": dict(policy) if policy else None,
        "scopes": scope_entries,
        "participants": entries,
        "sources": source_entries,
        "deadlines": {
            "commit": format_time(commit_deadline),
            "reveal": format_time(reveal_deadline),
        },
        "on_missing_reveal": "abort",
        "supersedes": dict(supersedes) if supersedes else None,
    }

    if version == 1:
        return CEREMONY_SPEC_V1, body
    return CEREMONY_SPEC, _v2_body(body, single_party_reason)


def _scope_entries(scopes: Sequence[ScopePlan], draw_id: str) -> list[dict[str, Any]]:
    """Each scope's announcement entry, with its membership tree's root if it has one."""
    entries = []
    for plan in scopes:
        entry = plan.to_json()
        membership = plan.membership(draw_id)
        if membership is not None:
            entry["membership"] = membership
        entries.append(entry)
    return entries


def _v2_body(body: dict[str, Any], reason: str | None) -> dict[str, Any]:
    """The v2 body with its ``single_party_reason``, checked as verification checks it: what
    verification would refuse (an unknown member of a source, say) is never announced.

    Raises:
        CeremonyError: a member is unknown or missing, or the reason is wrongly given or missing.
    """
    try:
        check_announcement_members({**body, "single_party_reason": None})
    except VerificationError as err:
        raise CeremonyError(str(err)) from err
    body["single_party_reason"] = _single_party(body, reason)
    return body


def _single_party(body: Mapping[str, Any], reason: str | None) -> str | None:
    """The office's reason for a ceremony one party alone could steer, required then.

    Raises:
        CeremonyError: one party alone could steer and no reason is given, or a reason is given
            for a ceremony nobody alone can steer.
    """
    from fairdraw.ceremony.analysis import planned_alone  # noqa: PLC0415 (analysis imports us)

    alone = planned_alone(body)
    if reason is not None and not reason.strip():
        reason = None
    if alone and reason is None:
        raise CeremonyError(
            _(
                "{names} could choose this draw's outcome alone: add an outside source "
                "(a drand or NIST beacon, a public lottery draw) or a participant with "
                "their own key and secret, or give single_party_reason"
            ).format(names=_(" or ").join(alone))
        )
    if not alone and reason is not None:
        raise CeremonyError(
            _(
                "single_party_reason is for a ceremony one party alone could steer; this one "
                "cannot be"
            )
        )
    return reason
