"""Verification of a draw record: every check, in plain words (ceremony spec v1, section 4).

:func:`verify_record` is the call for programs: it raises :class:`VerificationError` unless
**every** check passed (one that failed, and one that could not be made, both raise).
:func:`verification_report` returns the :class:`Report` for people: each check passed, failed,
or could not be made, and why; it never raises for a failed check.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fairdraw.ceremony.analysis import SteeringReport, steering_of
from fairdraw.ceremony.events import (
    CEREMONY_SPEC,
    RECORD_MEDIA_TYPES,
    event_hash,
    hex_bytes,
    record_payload,
    verify_events,
)
from fairdraw.ceremony.members import check_announcement_members
from fairdraw.ceremony.participation import commit_reveal_check, statements_check
from fairdraw.ceremony.public_records import (
    PublicRecordNumbers,
    given_public_records,
    public_records_check,
)
from fairdraw.ceremony.report import (
    OUTCOME,
    PUBLIC_RECORDS,
    STEERING,
    Check,
    Report,
    Verdict,
)
from fairdraw.ceremony.rules import (
    check_order,
    check_order_v1,
)
from fairdraw.ceremony.scopes import scope_result, seed_from
from fairdraw.ceremony.sources import (
    check_entropy,
    check_source,
    seed_inputs,
    source_type,
    value_bytes,
)
from fairdraw.ceremony.timestamps import timestamps_check
from fairdraw.errors import FairdrawError, VerificationError
from fairdraw.i18n import _, language, shown_time
from fairdraw.membership.keyed import check_keyed_picks, check_scores_entry, has_keyed_scores
from fairdraw.membership.tree import check_membership_entry, check_membership_root
from fairdraw.population import Population
from fairdraw.primitives import derive_subseed, score_bytes
from fairdraw.rates import parse_rate
from fairdraw.signing import PublicKey
from fairdraw.times import parse_time

__all__ = [
    "PUBLIC_RECORDS",
    "STEERING",
    "Check",
    "Report",
    "Verdict",
    "verification_report",
    "verify_events",
    "verify_record",
]


class _Checker:
    def __init__(self) -> None:
        self.checks: list[Check] = []

    def run(self, name: str, check: Callable[[], str]) -> bool:
        """Add the check ``name``: passed with the detail ``check`` returns, failed if it raises."""
        self.add(name, lambda: Check(name, "passed", check()))
        return self.checks[-1].status == "passed"

    def skip(self, name: str, why: str) -> None:
        self.checks.append(Check(name, "not checked", why))

    def add(self, name: str, check: Callable[[], Check | None]) -> None:
        """Add the check ``check`` makes (none if it returns None); failed if it raises."""
        try:
            made = check()
        except (FairdrawError, KeyError, TypeError, ValueError, AttributeError) as err:
            made = Check(name, "failed", str(err) or type(err).__name__)
        if made is not None:
            self.checks.append(made)


def verify_record(
    record: Mapping[str, Any],
    *,
    populations: Mapping[str, Population | Sequence[str]] | None = None,
    salts: Mapping[str, bytes | str] | None = None,
    public_key: PublicKey | None = None,
    tsa_certificates: bytes | None = None,
    public_records: Mapping[str, PublicRecordNumbers] | None = None,
) -> Report:
    """Check everything a draw record claims, and raise unless every check passed.

    This is the call for programs: a check that could not be made (no ``public_key``, a
    population not given, a public record's numbers not given) raises just as a failed one does.

    Args:
        record: the record, as parsed JSON.
        populations: every scope's population (a :class:`Population` or its labels) by name.
        salts: the 32-byte salt (bytes or hex) of each confidential scope given as labels.
        public_key: the office key, from a source the verifier trusts (its website, a notice).
        tsa_certificates: the PEM certificates of the time-stamping authorities the verifier
            trusts, from their own publication (a record's timestamps are checked against them).
        public_records: by source id, each public record's numbers as the verifier looked them
            up from its publisher: text (``7.8.11./15.21./``, ``7,8,11/15,21``) or lists.

    Returns:
        The report, every check of which passed.

    Raises:
        VerificationError: a check failed or could not be made; the message lists them.
        InputError: ``public_records`` is not of public records of the record.
    """
    report = verification_report(
        record,
        populations=populations,
        salts=salts,
        public_key=public_key,
        tsa_certificates=tsa_certificates,
        public_records=public_records,
    )
    return report.require_passed(_("draw record {draw_id!r}").format(draw_id=report.draw_id))


def verification_report(  # noqa: PLR0912, PLR0915 (the checks, in order, read best in one place)
    record: Mapping[str, Any],
    *,
    populations: Mapping[str, Population | Sequence[str]] | None = None,
    salts: Mapping[str, bytes | str] | None = None,
    public_key: PublicKey | None = None,
    tsa_certificates: bytes | None = None,
    public_records: Mapping[str, PublicRecordNumbers] | None = None,
) -> Report:
    """Recompute and check everything a draw record claims; report each check, for people.

    It never raises for a failed check: read :attr:`Report.verdict` (or :attr:`Report.passed`,
    :attr:`Report.failed`, :attr:`Report.unchecked`). A program deciding whether to trust a
    record calls :func:`verify_record` instead.

    Args:
        record: the record, as parsed JSON.
        populations: population files by scope name, for the checks that need them.
        salts: the 32-byte salt (bytes or hex) of each confidential scope given as labels.
        public_key: the office key, from a source the verifier trusts (its website, a notice).
        tsa_certificates: the PEM certificates of the TSAs the verifier trusts (``--tsa-cert``).
        public_records: by source id, each public record's numbers as the verifier looked them
            up from its publisher (``--public-record``): text or lists of whole numbers. The
            check "public records" compares them with the record's; without them it is not made.

    Returns:
        A report of every check.

    Raises:
        InputError: ``public_records`` names a source that is not a public record of the
            record, or numbers of another form (a failed check never raises).
    """
    given = given_public_records(record, public_records)
    checker = _Checker()
    draw_id = str(record.get("draw_id", "?"))
    events: list[dict[str, Any]] = list(record.get("events") or [])

    def record_format() -> str:
        spec = record.get("spec")
        if spec not in RECORD_MEDIA_TYPES or record.get("media_type") != RECORD_MEDIA_TYPES[spec]:
            raise VerificationError(_("this is not a fairdraw draw record, version 1 or 2"))
        first = events[0].get("event", {}) if events and isinstance(events[0], dict) else {}
        if first.get("draw_id") != draw_id:
            raise VerificationError(
                _("the record says draw {record!r}, its events draw {events!r}").format(
                    record=draw_id, events=first.get("draw_id")
                )
            )
        if first.get("spec") != spec:
            raise VerificationError(
                _("the record is {record}, its events {events}").format(
                    record=spec, events=first.get("spec")
                )
            )
        return _("{media_type}, {count} events").format(
            media_type=record["media_type"], count=len(events)
        )

    checker.run("record format", record_format)
    office_holder: list[PublicKey] = []

    def chain() -> str:
        office_holder.append(verify_events(events))
        return _("every event is signed by the office and linked to the one before it")

    if not checker.run("event signatures and hash chain", chain):
        return Report(draw_id, tuple(checker.checks))
    office = office_holder[0]

    def record_signature() -> str:
        if record.get("key_id") != office.key_id:
            raise VerificationError(
                _("the record is signed by another key than the announcement's")
            )
        payload = record_payload(draw_id, events)
        office.verify("record", payload, hex_bytes(record.get("signature"), "signature"))
        return _("signed by key {key}…").format(key=office.key_id[:16])

    checker.run("record signature", record_signature)
    if public_key is None:
        checker.skip(
            "office key",
            _(
                "the record names key {key}; pass the office's public key (--public-key) to "
                "check that it is really the office's"
            ).format(key=office.key_id),
        )
    else:
        checker.run("office key", lambda: _same_key(office, public_key))

    announce = events[0]["event"]
    body = announce["body"]
    announced_at = parse_time(announce["time"])
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for signed in events:
        by_kind.setdefault(signed["event"]["kind"], []).append(signed["event"])

    v2 = announce["spec"] == CEREMONY_SPEC

    def announcement() -> str:
        if v2:
            check_announcement_members(body)
        for scope in body["scopes"]:  # (v1 too: membership spec v1, sections 5 and 9)
            check_membership_entry(scope)
            check_scores_entry(scope)
        participants = {p["id"] for p in body["participants"]}
        for spec in body["sources"]:
            check_source(spec, participants, announced_at)
        check_entropy(body["sources"])
        return _(
            "{scopes} scope(s), {sources} source(s); every beacon is due after the announcement "
            "({time})"
        ).format(
            scopes=len(body["scopes"]),
            sources=len(body["sources"]),
            time=shown_time(announce["time"]),
        )

    checker.run("announcement and entropy rule", announcement)
    checker.run(
        "commitments and reveals", lambda: commit_reveal_check(draw_id, body, events, v2=v2)
    )
    if v2:
        checker.run("order of the events", lambda: check_order(body, events))
    else:
        checker.run("order of the events", lambda: check_order_v1(events))
    if v2:
        checker.run(
            "participants' signed statements", lambda: statements_check(draw_id, body, events)
        )
        if "timestamp" in by_kind:
            checker.add("timestamps", lambda: _timestamps(events, tsa_certificates))
    values = by_kind.get("randomness", [])
    checker.run("public randomness", lambda: _public_values(body, values))
    checker.add(PUBLIC_RECORDS, lambda: public_records_check(body["sources"], values, given))
    steering = _steering(checker, body, events)

    def done() -> Report:
        return Report(draw_id, tuple(checker.checks), steering)

    if "abort" in by_kind:
        reason = by_kind["abort"][0]["body"]["reason"]
        detail = _("the ceremony was aborted: {reason}; there is no draw").format(reason=reason)
        checker.checks.append(Check(OUTCOME, "failed", detail, aborted=True))
        return done()

    seeds = by_kind.get("seed", [])
    seed_holder: list[bytes] = []

    def seed() -> str:
        if len(seeds) != 1:
            raise VerificationError(_("the record has no seed"))
        values = seed_inputs(
            body["sources"],
            {e["body"]["source"]: e["body"] for e in by_kind.get("reveal", [])},
            {e["body"]["source"]: e["body"] for e in by_kind.get("randomness", [])},
        )
        expected = seed_from(events[0], values)
        if not hmac.compare_digest(expected.hex(), seeds[0]["body"]["seed"]):
            raise VerificationError(_("the seed should be {seed}").format(seed=expected.hex()))
        if seeds[0]["body"]["announcement"] != event_hash(events[0]):
            raise VerificationError(_("the seed event names another announcement"))
        seed_holder.append(expected)
        return _("{seed} recomputed from the announcement and {count} source(s)").format(
            seed=expected.hex(), count=len(values)
        )

    if not checker.run("seed", seed):
        return done()
    draws = by_kind.get("draw", [])
    if len(draws) != 1:
        checker.checks.append(Check(OUTCOME, "failed", _("the record has no draw yet")))
        return done()
    results = draws[0]["body"]["results"]
    if [r.get("scope") for r in results] != [s["scope"] for s in body["scopes"]]:
        checker.checks.append(
            Check("draw", "failed", _("results do not match the announced scopes"))
        )
        return done()
    for entry, result in zip(body["scopes"], results, strict=True):
        _check_scope(
            checker,
            entry,
            result,
            seed_holder[0],
            (populations or {}).get(entry["scope"]),
            (salts or {}).get(entry["scope"]),
            draw_id=draw_id,
        )
    return done()


def _same_key(office: PublicKey, trusted: PublicKey) -> str:
    if not hmac.compare_digest(office.raw, trusted.raw):
        raise VerificationError(
            _("the record is signed by key {key}…, not by the office's key {office}…").format(
                key=office.key_id[:16], office=trusted.key_id[:16]
            )
        )
    return _("the record is signed by the office's key {key}…").format(key=trusted.key_id[:16])


def _timestamps(events: Sequence[Mapping[str, Any]], pinned: bytes | None) -> Check:
    """The timestamps check: not made (its detail the fingerprints) without pinned TSAs."""
    trusted, detail = timestamps_check(events, pinned)
    return Check("timestamps", "passed" if trusted else "not checked", detail)


def _steering(
    checker: _Checker, body: Mapping[str, Any], events: Sequence[Mapping[str, Any]]
) -> SteeringReport | None:
    """Add the check of who could have chosen the outcome; return its analysis."""
    try:
        result = steering_of(body, events)
    except (FairdrawError, KeyError, TypeError, ValueError, AttributeError) as err:
        checker.checks.append(
            Check(STEERING, "failed", _("the events cannot be analysed: {error}").format(error=err))
        )
        return None
    checker.checks.append(Check(STEERING, result.status, result.sentence(language())))
    return result


def _public_values(body: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> str:
    specs = {s["id"]: s for s in body["sources"] if source_type(s).takes_value}
    seen = []
    for event in events:
        source = event["body"]["source"]
        if source not in specs or source in seen:
            raise VerificationError(
                _("a value for source {source!r} is not expected").format(source=source)
            )
        spec = specs[source]
        value_bytes(spec, event["body"]["value"])
        due = spec.get("round_time") or spec.get("pulse_time") or spec.get("time")
        if due and parse_time(event["time"]) < parse_time(due):
            raise VerificationError(
                _("the value of {source!r} was entered before it was due").format(source=source)
            )
        seen.append(source)
    kinds = ", ".join(f"{specs[s]['type']} {s!r}" for s in seen) or _("none")
    return _("verified: {sources}").format(sources=kinds)


def _check_scope(
    checker: _Checker,
    entry: Mapping[str, Any],
    result: Mapping[str, Any],
    seed: bytes,
    labels: Population | Sequence[str] | None,
    salt: bytes | str | None,
    *,
    draw_id: str,
) -> None:
    name = f"scope {entry['scope']}"
    subseed = derive_subseed(seed, entry["scope"])

    def scores() -> str:
        if result["subseed"] != subseed.hex():
            raise VerificationError(
                _("the subseed should be {subseed}").format(subseed=subseed.hex())
            )
        if has_keyed_scores(entry):
            return _(
                "{count} published label(s), ranks and count check out; keyed scores: no score "
                "is published, and whether they are the lowest is for the complete recomputation"
            ).format(count=check_keyed_picks(entry, result))
        picks = [*result["selected"], *result["alternates"]]
        keys = []
        for pick in picks:
            digest = score_bytes(subseed, pick["label"])
            if digest.hex() != pick["score"]:
                raise VerificationError(
                    _("label {label!r} has a wrong score").format(label=pick["label"])
                )
            keys.append(digest + pick["label"].encode())
        if keys != sorted(keys) or [p["rank"] for p in picks] != list(range(1, len(picks) + 1)):
            raise VerificationError(_("the published picks are not in rank order"))
        if entry["mode"] == "rate":
            rate = parse_rate(entry["rate"])
            for pick in result["selected"]:
                if int(pick["score"], 16) * rate.denominator >= rate.numerator << 256:
                    raise VerificationError(
                        _("label {label!r} is above the rate's cut-off").format(label=pick["label"])
                    )
        elif len(result["selected"]) != entry["k"]:
            raise VerificationError(
                _("{selected} selected, not k = {k}").format(
                    selected=len(result["selected"]), k=entry["k"]
                )
            )
        return _("{count} published label(s): scores, ranks and cut-off check out").format(
            count=len(picks)
        )

    checker.run(f"{name}: published scores", scores)
    if labels is None:
        checker.skip(
            f"{name}: complete recomputation",
            (
                _(
                    "without the population file, it cannot be checked that nobody was left out "
                    "or slipped in; pass --population {scope}=FILE (a confidential list: the "
                    "office holds it)"
                )
                if entry["confidential"]
                else _(
                    "without the population file, it cannot be checked that nobody was left out "
                    "or slipped in; pass --population {scope}=FILE"
                )
            ).format(scope=entry["scope"]),
        )
        return

    def recompute() -> str:
        population = (
            labels
            if isinstance(labels, Population) and salt is None
            else Population.of(labels, salt=salt)
        )
        if entry["confidential"] and not population.salt:
            raise VerificationError(
                _("a confidential scope is checked with its salted population (give its salt)")
            )
        if population.digest_hex != entry["population_digest"]:
            raise VerificationError(
                _("this population's digest is {digest}, not the announced {announced}").format(
                    digest=population.digest_hex, announced=entry["population_digest"]
                )
            )
        check_membership_root(entry, population, draw_id)
        expected = scope_result(entry, seed, population, draw_id=draw_id)
        if expected != dict(result):
            raise VerificationError(_("the published result differs from the recomputed draw"))
        return _("recomputed from {count} labels: identical").format(count=len(population))

    checker.run(f"{name}: complete recomputation", recompute)
