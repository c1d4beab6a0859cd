"""The participants' part of a record's verification: their commitments and reveals in order and
in time (ceremony spec v1 and v2), and the statements they signed with their own keys (v2).

Split from :mod:`fairdraw.ceremony.verify`, which runs these as two of its checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fairdraw.ceremony.events import hex_bytes
from fairdraw.ceremony.rules import (
    announced_keys,
    check_statement_signature,
    check_witness,
    closing_of,
)
from fairdraw.ceremony.sources import check_reveal, source_type
from fairdraw.errors import VerificationError
from fairdraw.i18n import _
from fairdraw.times import parse_time

__all__ = ["commit_reveal_check", "statements_check"]


def commit_reveal_check(
    draw_id: str, body: Mapping[str, Any], events: Sequence[Mapping[str, Any]], *, v2: bool
) -> str:
    local = {s["id"]: s for s in body["sources"] if not source_type(s).takes_value}
    commits: dict[str, bytes] = {}
    revealed: set[str] = set()
    commit_deadline = parse_time(body["deadlines"]["commit"])
    reveal_deadline = parse_time(body["deadlines"]["reveal"])
    for signed in events[1:]:
        event = signed["event"]
        kind, content = event["kind"], event["body"]
        if kind == "commit":
            source = local.get(content["source"])
            if source is None or content["participant"] != source["participant"]:
                raise VerificationError(
                    _("a commitment for {source!r} is not announced").format(
                        source=content["source"]
                    )
                )
            if revealed or content["source"] in commits:
                raise VerificationError(
                    _("the commitment of {source!r} is out of order").format(
                        source=content["source"]
                    )
                )
            if parse_time(event["time"]) > commit_deadline:
                raise VerificationError(
                    _("{source!r} committed after the deadline").format(source=content["source"])
                )
            commits[content["source"]] = hex_bytes(content["commitment"], "commitment")
        elif kind == "reveal":
            source = local.get(content["source"])
            if source is None or set(commits) != set(local) or content["source"] in revealed:
                raise VerificationError(
                    _("the reveal of {source!r} is out of order").format(source=content["source"])
                )
            if content["participant"] != source["participant"]:
                raise VerificationError(
                    _(
                        "the reveal of {source!r} names {participant!r}, not the announced "
                        "participant {announced!r}"
                    ).format(
                        source=content["source"],
                        participant=content["participant"],
                        announced=source["participant"],
                    )
                )
            if parse_time(event["time"]) > reveal_deadline:
                raise VerificationError(
                    _("{source!r} revealed after the deadline").format(source=content["source"])
                )
            check_reveal(
                draw_id,
                source["participant"],
                hex_bytes(content["secret"], "secret"),
                commits[content["source"]],
            )
            revealed.add(content["source"])
        elif kind in {"randomness", "seed", "draw"} and revealed != set(local) and not v2:
            raise VerificationError(
                _("a {kind} event came before every secret was revealed").format(kind=kind)
            )
    if not local:
        return _("no local secrets were announced")
    missing = set(local) - revealed
    if missing:
        absent = ", ".join(sorted(missing))
        return _("{revealed} of {count} secrets revealed; missing: {missing}").format(
            revealed=len(revealed), count=len(local), missing=absent
        )
    return _("{count} secret(s) committed before any reveal, each matching its commitment").format(
        count=len(local)
    )


def statements_check(
    draw_id: str, body: Mapping[str, Any], events: Sequence[Mapping[str, Any]]
) -> str:
    """Every commit, witness, reveal and value body: its members, and the signature of a
    participant with a key (ceremony spec v2, sections 3 and 5)."""
    keys = announced_keys(body["participants"])
    closing = closing_of(events)
    signed_by = set()
    for signed in events[1:]:
        event = signed["event"]
        kind, content = event["kind"], event["body"]
        if kind not in {"commit", "witness", "reveal", "randomness"}:
            continue
        try:
            check_statement_signature(kind, draw_id, content, keys)
        except VerificationError as err:
            raise VerificationError(
                _("event {sequence} ({kind}): {error}").format(
                    sequence=event["sequence"], kind=kind, error=err
                )
            ) from err
        if kind == "randomness":
            source = next(s for s in body["sources"] if s["id"] == content["source"])
            roller = source.get("participant") if source.get("participant") in keys else None
            if content["participant"] != roller:  # a keyed roller's dice are theirs alone
                must = (
                    _("the value of {source!r} must be signed by {roller!r}, not {participant!r}")
                    if roller
                    else _(
                        "the value of {source!r} must be entered by the office, not {participant!r}"
                    )
                )
                raise VerificationError(
                    must.format(
                        source=content["source"], roller=roller, participant=content["participant"]
                    )
                )
        if kind == "reveal" and content["closing"] != closing:
            raise VerificationError(
                _(
                    "the reveal of {source!r} names another state than the one before the first "
                    "reveal"
                ).format(source=content["source"])
            )
        if kind == "witness":
            check_witness(content, [events[0]], parse_time(event["time"]))
        if content["signature"] is not None:
            signed_by.add(content["participant"])
    witnesses = sum(1 for e in events if e["event"]["kind"] == "witness")
    return _("{signed} participant(s) signed their own statements; {witnesses} witness(es)").format(
        signed=len(signed_by), witnesses=witnesses
    )
