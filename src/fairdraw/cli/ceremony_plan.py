"""The plan file of ``fairdraw ceremony announce``: what it may hold, read into the arguments
of :meth:`fairdraw.ceremony.Ceremony.announce`.

A plan is a JSON object with the members of :data:`PLAN_MEMBERS`. It differs from the
announcement it becomes where a person writing it needs help: a scope names its label file
(``labels``, relative to the plan) instead of a digest; a participant's ``key`` may be the path
of their public-key file (``witness.key.pub``, relative to the plan) as well as the key object
``{"algorithm", "public_key", "key_id"}``; a drand source may say ``"round": "next"`` (with
``after_minutes``, default 10) and leave its time and chain hash to fairdraw; deadlines are
minutes after the announcement. A member the plan does not know is refused, never ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fairdraw.ceremony import ScopePlan
from fairdraw.errors import InputError
from fairdraw.i18n import _
from fairdraw.labelfile import read_population
from fairdraw.randomness.drand import DrandChain
from fairdraw.signing import PublicKey

__all__ = ["DEADLINE_MEMBERS", "PLAN_MEMBERS", "SCOPE_MEMBERS", "announce_arguments"]

PLAN_MEMBERS = frozenset(
    {
        "draw_id",
        "office",
        "policy",
        "scopes",
        "participants",
        "sources",
        "deadlines",
        "supersedes",
        "single_party_reason",
        "version",
    }
)
"""The members a plan may have; ``draw_id``, ``office``, ``scopes``, ``participants``,
``sources`` and ``deadlines`` are required."""
_REQUIRED = ("draw_id", "office", "scopes", "participants", "sources", "deadlines")
SCOPE_MEMBERS = frozenset(
    {
        "scope",
        "labels",
        "salt",
        "k",
        "alternates",
        "rate",
        "confidential",
        "membership_size",
        "keyed_scores",
    }
)
"""The members of a plan's scope entry (``scope`` and ``labels`` required)."""
DEADLINE_MEMBERS = frozenset({"commit_minutes", "reveal_minutes"})
"""The members of a plan's ``deadlines`` (both required)."""


def _members(where: str, data: object, allowed: frozenset[str], required: tuple[str, ...]) -> None:
    """Refuse anything but an object with ``required`` and no member outside ``allowed``.

    Raises:
        InputError: naming ``where`` and every unknown or missing member.
    """
    if not isinstance(data, Mapping):
        raise InputError(
            _("{where} must be a JSON object, not {type}").format(
                where=where, type=type(data).__name__
            )
        )
    unknown = sorted(set(data) - allowed, key=str)
    if unknown:
        raise InputError(
            _("{where}: unknown member(s) {unknown}; a plan may give {allowed}").format(
                where=where,
                unknown=", ".join(map(repr, unknown)),
                allowed=", ".join(map(repr, sorted(allowed))),
            )
        )
    missing = [m for m in required if m not in data]
    if missing:
        raise InputError(
            _("{where}: member(s) {missing} missing").format(
                where=where, missing=", ".join(map(repr, missing))
            )
        )


def _list(where: str, value: object) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(
            _("{where} must be a JSON list, not {type}").format(
                where=where, type=type(value).__name__
            )
        )
    return value


def _participant(where: str, entry: object, base: Path) -> dict[str, Any]:
    """A participant entry with its ``key`` as the announcement carries it.

    Raises:
        InputError: the entry is not an object, or its key file cannot be read or is not an
            Ed25519 public key.
    """
    if not isinstance(entry, Mapping):
        raise InputError(
            _("{where} must be a JSON object, not {type}").format(
                where=where, type=type(entry).__name__
            )
        )
    result = dict(entry)
    key = result.get("key")
    if isinstance(key, str):
        path = base / key
        try:
            result["key"] = PublicKey.load(path).to_json()
        except InputError as err:
            raise InputError(
                _("{where} ({id!r}): key file {key!r}: {reason}").format(
                    where=where, id=result.get("id"), key=key, reason=err
                )
            ) from err
    elif key is not None and not isinstance(key, Mapping):
        raise InputError(
            _(
                "{where} ({id!r}): key must be a public-key file's path, the key object "
                '{{"algorithm", "public_key", "key_id"}}, or null'
            ).format(where=where, id=result.get("id"))
        )
    return result


def _source(spec: Mapping[str, Any], announced: datetime) -> dict[str, Any]:
    """Fill in what a plan may leave to fairdraw: a drand round and its time, the chain hash."""
    source = dict(spec)
    if source.get("type") == "drand":
        chain = DrandChain.named(str(source.get("chain", "default")))
        delay = source.pop("after_minutes", 10)
        number = source.get("round")
        if number in {None, "next"}:
            number = chain.first_round_after(announced + timedelta(minutes=delay))
        entry = chain.source_entry(str(source.get("id")), number)
        source.update({k: v for k, v in entry.items() if k != "id"})
    return source


def _scope(where: str, entry: object, base: Path) -> ScopePlan:
    _members(where, entry, SCOPE_MEMBERS, ("scope", "labels"))
    assert isinstance(entry, Mapping)  # noqa: S101 (checked just above)
    keyed = entry.get("keyed_scores", False)
    if not isinstance(keyed, bool):
        raise InputError(
            _("{where}.keyed_scores must be true or false, not {value!r:.40}").format(
                where=where, value=keyed
            )
        )
    return ScopePlan(
        scope=entry["scope"],
        population=read_population(base / entry["labels"], salt=entry.get("salt")),
        k=entry.get("k"),
        alternates=entry.get("alternates", 0),
        rate=entry.get("rate"),
        confidential=entry.get("confidential", False),
        membership_size=entry.get("membership_size"),
        keyed_scores=keyed,
    )


def _minutes(where: str, value: object) -> timedelta:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(
            _("{where} must be a number of minutes, not {value!r}").format(where=where, value=value)
        )
    return timedelta(minutes=value)


def announce_arguments(plan: object, plan_path: str, when: datetime) -> dict[str, Any]:
    """The keyword arguments of :meth:`Ceremony.announce` (all but the key) a plan gives.

    Args:
        plan: the plan file's JSON.
        plan_path: its path: label and key files are relative to its folder; messages name it.
        when: the time of the announcement (deadlines and ``"round": "next"`` count from it).

    Raises:
        InputError: a member is unknown, missing or of the wrong type, or a label or key file
            cannot be read; the message names the plan and the member.
    """
    _members(plan_path, plan, PLAN_MEMBERS, _REQUIRED)
    assert isinstance(plan, Mapping)  # noqa: S101 (checked just above)
    base = Path(plan_path).parent
    deadlines = plan["deadlines"]
    _members(f"{plan_path}: deadlines", deadlines, DEADLINE_MEMBERS, tuple(DEADLINE_MEMBERS))
    version = plan.get("version", 2)
    if version not in (1, 2) or isinstance(version, bool):
        raise InputError(
            _("{path}: version is {version!r}; a ceremony is version 2 (or 1)").format(
                path=plan_path, version=version
            )
        )
    if version == 1 and plan.get("single_party_reason") is not None:
        raise InputError(
            _("{path}: single_party_reason is a member of version 2 ceremonies").format(
                path=plan_path
            )
        )
    sources = _list(f"{plan_path}: sources", plan["sources"])
    for index, spec in enumerate(sources, start=1):
        if not isinstance(spec, Mapping):
            raise InputError(
                _("{path}: source {index} must be a JSON object").format(
                    path=plan_path, index=index
                )
            )
    return {
        "draw_id": plan["draw_id"],
        "office": plan["office"],
        "scopes": [
            _scope(_("{path}: scope {index}").format(path=plan_path, index=index), entry, base)
            for index, entry in enumerate(_list(f"{plan_path}: scopes", plan["scopes"]), start=1)
        ],
        "participants": [
            _participant(
                _("{path}: participant {index}").format(path=plan_path, index=index), entry, base
            )
            for index, entry in enumerate(
                _list(f"{plan_path}: participants", plan["participants"]), start=1
            )
        ],
        "sources": [_source(spec, when) for spec in sources],
        "commit_deadline": when
        + _minutes(f"{plan_path}: deadlines.commit_minutes", deadlines["commit_minutes"]),
        "reveal_deadline": when
        + _minutes(f"{plan_path}: deadlines.reveal_minutes", deadlines["reveal_minutes"]),
        "policy": plan.get("policy"),
        "supersedes": plan.get("supersedes"),
        "single_party_reason": plan.get("single_party_reason"),
        "version": version,
    }
