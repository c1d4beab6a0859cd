"""The check of a record's public records against the numbers their publishers published
(ceremony spec v1, section 5; v2, section 8).

The office types a public record's numbers (a lottery draw, say) into the record after they
are drawn. The record shows their form and that they came after their due time, never that they
are the numbers the publisher drew: only the publisher's own publication shows that. So the
verifier looks them up and gives them (:func:`parse_public_record` reads them as typed); without
them the check "public records" is not made, and the verification is not passed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from fairdraw.ceremony.analysis import beijing_time
from fairdraw.ceremony.report import PUBLIC_RECORDS, Check, Status
from fairdraw.ceremony.sources import public_record_key, value_bytes
from fairdraw.errors import FairdrawError, InputError
from fairdraw.i18n import N_, _, language

__all__ = [
    "PublicRecordNumbers",
    "given_public_records",
    "parse_public_record",
    "public_records_check",
]

PublicRecordNumbers = str | Sequence[Sequence[int]]
"""A public record's numbers as a verifier gives them: the text :func:`parse_public_record`
reads (the RFC 3797 key ``7.8.11./15.21./``, or ``7,8,11/15,21``), or the lists of numbers."""

_GRAMMAR = N_(
    "draws separated by '/', each of whole numbers separated by '.', ',' or spaces "
    "(the RFC 3797 key 7.8.11./15.21./, or 7,8,11/15,21)"
)
_NUMBER = re.compile(r"[0-9]+")
_SEPARATOR = re.compile(r"\s*[.,]\s*|\s+")


def parse_public_record(text: str) -> list[list[int]]:
    """A public record's numbers from text: draws separated by ``/``, each draw's numbers (ASCII
    digits, leading zeros allowed) separated by ``.``, ``,`` or white space; a ``.`` may follow
    a draw's last number and a ``/`` the last draw, so the RFC 3797 key string is read as it is
    (``7.8.11./15.21./``), and so are ``7,8,11/15,21`` and ``07 08 11 / 15 21``.

    Raises:
        InputError: the text is not of that form.
    """
    groups = []
    for part in text.strip().removesuffix("/").split("/"):
        numbers = part.strip().removesuffix(".").rstrip()
        tokens = _SEPARATOR.split(numbers) if numbers else []
        if not tokens or not all(_NUMBER.fullmatch(t) for t in tokens):
            raise InputError(
                _("a public record's numbers are {grammar}, not {text!r}").format(
                    grammar=_(_GRAMMAR), text=text
                )
            )
        groups.append([int(t) for t in tokens])
    return groups


def given_public_records(
    record: Mapping[str, Any], public_records: Mapping[str, PublicRecordNumbers] | None
) -> dict[str, str]:
    """The numbers a verifier gives, by source id, each as its RFC 3797 key string.

    Raises:
        InputError: numbers are not of the form :func:`parse_public_record` reads (nor lists of
            whole numbers), or an id is not of a public-record source of the record (when its
            announcement can be read: a record that cannot be read fails its verification).
    """
    given = {}
    for source, numbers in (public_records or {}).items():
        groups = parse_public_record(numbers) if isinstance(numbers, str) else numbers
        if not _is_groups(groups):
            raise InputError(
                _(
                    "public record {source!r}: give its numbers as text or as non-empty "
                    "lists of whole numbers, not {numbers!r}"
                ).format(source=source, numbers=numbers)
            )
        given[str(source)] = public_record_key(groups)
    known = _public_record_ids(record)
    unknown = sorted(set(given) - known) if known is not None else []
    if unknown:
        listed = ", ".join(repr(s) for s in sorted(known or ())) or _("none")
        raise InputError(
            _(
                "{names}: not a public-record source of draw {draw_id!r} (its "
                "public-record sources: {listed})"
            ).format(
                names=", ".join(repr(s) for s in unknown),
                draw_id=record.get("draw_id"),
                listed=listed,
            )
        )
    return given


def _is_groups(groups: object) -> bool:
    return (
        isinstance(groups, Sequence)
        and not isinstance(groups, str)
        and len(groups) > 0
        and all(isinstance(g, Sequence) and not isinstance(g, str) and g for g in groups)
        and all(type(n) is int and n >= 0 for g in groups for n in g)
    )


def _public_record_ids(record: Mapping[str, Any]) -> set[str] | None:
    """The ids of the record's public-record sources; None if its announcement is unreadable."""
    try:
        sources = record["events"][0]["event"]["body"]["sources"]
        return {str(s["id"]) for s in sources if s.get("type") == "public-record"}
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def public_records_check(
    sources: Sequence[Mapping[str, Any]],
    values: Sequence[Mapping[str, Any]],
    given: Mapping[str, str],
) -> Check | None:
    """The check "public records": each recorded public record against the numbers the
    verifier gave (``given``, RFC 3797 key strings by source id); None for a record without
    public-record sources.

    Passed when every recorded public record is the numbers given; failed when one differs (or
    its value cannot be read); not checked when one was not given.
    """
    specs = [s for s in sources if s.get("type") == "public-record"]
    if not specs:
        return None
    statuses: list[Status] = []
    parts = []
    for spec in specs:
        bodies = [v["body"] for v in values if v["body"]["source"] == spec["id"]]
        one, part = _compared(spec, bodies, given.get(spec["id"]))
        statuses.append(one)
        parts.append(part)
    status: Status = "passed"
    if "failed" in statuses:
        status = "failed"
    elif "not checked" in statuses:
        status = "not checked"
    return Check(PUBLIC_RECORDS, status, _("; ").join(parts))


def _compared(
    spec: Mapping[str, Any], bodies: Sequence[Mapping[str, Any]], given: str | None
) -> tuple[Status, str]:
    """One public record's status and words: its recorded value against ``given``."""
    source = spec["id"]
    if not bodies:
        return "passed", _(
            "{source!r}: no numbers are recorded, so there is nothing to compare"
        ).format(source=source)
    if len(bodies) > 1:
        return "failed", _("{source!r}: {count} values are recorded").format(
            source=source, count=len(bodies)
        )
    try:
        recorded = value_bytes(spec, bodies[0]["value"]).decode()
        typed = " / ".join(" ".join(str(n) for n in g) for g in bodies[0]["value"]["numbers"])
    except (FairdrawError, KeyError, TypeError, ValueError, AttributeError) as err:
        return "failed", _("{source!r}: its recorded value cannot be read: {err}").format(
            source=source, err=err
        )
    if given is None:
        return "not checked", _(
            "compare {described} with what its publisher published: the office typed in "
            "{typed} (in the seed: {recorded}, each draw's numbers sorted). Only the "
            "publisher's publication shows that these are the numbers drawn; until you compare "
            "them, the office could have typed numbers of its choosing. Give them to check: "
            "--public-record {source}=NUMBERS"
        ).format(described=_described(spec), typed=typed, recorded=recorded, source=source)
    if given != recorded:
        return "failed", _(
            "{source!r}: the record holds {recorded} (the office typed in {typed}), not the "
            "numbers you gave, {given}"
        ).format(source=source, recorded=recorded, typed=typed, given=given)
    return "passed", _(
        "{source!r}: the recorded numbers {recorded} match the numbers you gave"
    ).format(source=source, recorded=recorded)


def _described(spec: Mapping[str, Any]) -> str:
    """A public record as a citizen looks it up: what it is, who publishes it, and when."""
    if "publisher" in spec:
        return _(
            "{id!r} ({description}, published by {publisher}, drawn at {time} ({beijing}))"
        ).format(
            id=spec["id"],
            description=spec["description"],
            publisher=spec["publisher"],
            time=spec["time"],
            beijing=beijing_time(str(spec["time"]), zh=language() == "zh"),
        )
    return _("{id!r} ({description}, published on {date}; the record names no publisher)").format(
        id=spec["id"], description=spec["description"], date=spec["date"]
    )
