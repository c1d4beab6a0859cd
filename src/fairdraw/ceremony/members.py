"""The members a v2 announcement must carry, exactly (ceremony spec v2, section 2): no member
unknown or missing in the announcement, its scopes and its sources, and every source's
controllers named by the rule of :func:`fairdraw.ceremony.rules.controllers_of`.

Both the announcing of a ceremony and the verification of a record apply them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fairdraw.ceremony.rules import announced_keys, check_participants, controllers_of
from fairdraw.errors import CeremonyError, VerificationError
from fairdraw.i18n import _
from fairdraw.membership.keyed import check_scores_entry
from fairdraw.membership.tree import check_membership_entry

__all__ = ["check_announcement_members"]

_ANNOUNCE_MEMBERS = {
    "office",
    "office_key",
    "policy",
    "scopes",
    "participants",
    "sources",
    "deadlines",
    "on_missing_reveal",
    "supersedes",
    "single_party_reason",
}
_SOURCE_MEMBERS = {
    "local": {"participant"},
    "dice": {"participant", "count", "sides"},
    "drand": {"chain", "chain_hash", "round", "round_time"},
    "nist": {"chain_index", "pulse_index", "pulse_time"},
    "public-record": {"description", "publisher", "time", "draws", "bits"},
}
_SCOPE_MEMBERS = {"scope", "population_digest", "population_size", "confidential", "mode"}
_MODE_MEMBERS = {"exact": {"k", "alternates"}, "rate": {"rate"}}


def _exact(what: str, members: set[str], allowed: set[str]) -> None:
    if members != allowed:
        extra, missing = sorted(members - allowed), sorted(allowed - members)
        problems = [_("unknown members {names}").format(names=", ".join(extra)) if extra else ""]
        problems.append(_("no {names}").format(names=", ".join(missing)) if missing else "")
        raise VerificationError(
            _("{what}: {problems}").format(
                what=what, problems=_("; ").join(p for p in problems if p)
            )
        )


def check_announcement_members(body: Mapping[str, Any]) -> None:
    """Check that a v2 announcement carries exactly the members the spec lists, that every
    source names its controllers by the rule, and that a reason is given only as a string.

    Raises:
        VerificationError: a member is unknown or missing, or a source's controllers are not
            the rule's.
    """
    _exact(_("the announcement"), set(body), _ANNOUNCE_MEMBERS)
    reason = body["single_party_reason"]
    if reason is not None and (not isinstance(reason, str) or not reason.strip()):
        raise VerificationError(_("single_party_reason must be null or a non-empty string"))
    policy = body["policy"]
    if policy is not None and not all(isinstance(v, str) for v in dict(policy).values()):
        raise VerificationError(_("the policy's members must be strings"))
    try:
        check_participants(body["participants"])
        keyed = set(announced_keys(body["participants"]))
    except CeremonyError as err:
        raise VerificationError(str(err)) from err
    for scope in body["scopes"]:
        mode = scope.get("mode")
        optional = {"membership", "scores"} & set(scope)  # (membership spec v1, sections 5, 9)
        _exact(
            _("scope {scope!r}").format(scope=scope.get("scope")),
            set(scope),
            _SCOPE_MEMBERS | _MODE_MEMBERS.get(mode, set()) | optional,
        )
        check_membership_entry(scope)
        check_scores_entry(scope)
    for spec in body["sources"]:
        kind = str(spec.get("type"))
        allowed = {"id", "type", "controllers"} | _SOURCE_MEMBERS.get(kind, set())
        _exact(_("source {id!r}").format(id=spec.get("id")), set(spec), allowed)
        expected = controllers_of(spec, keyed)
        if spec["controllers"] != expected:
            raise VerificationError(
                _(
                    "source {id!r} names controllers {controllers}; by the rule (ceremony "
                    "spec v2, section 2.1) they are {expected}"
                ).format(id=spec["id"], controllers=spec["controllers"], expected=expected)
            )
