"""Checking a published month as any citizen can, from the public files alone.

``fairdraw`` checks the record itself: signatures, the seed, every drawn object of every public
list. This module adds what the office's rules built on it:

* the officers' scope is checked completely (the record ranks every officer, so it publishes
  the whole list);
* a rehearsal (a ceremony on a replayed clock) is never taken for a draw; a demonstration
  (``rfb demo``: fictitious data, its clock replayed to before a recorded beacon round) is
  said to be one, in a check of its own, and passes or fails on every other check as a draw;
* the office's checkpoint of its audit log (``log-checkpoint.json``) is signed by the record's
  key and covers the draw (:mod:`rfb_policy.publish.log_checkpoint`);
* every aborted attempt the record replaces is published beside it, signed by the same key,
  and aborted; the chain of replaced attempts is walked once, and a loop in it fails;
* the groups are the officers' published ranking filled by the announced rules;
* every drawn object is assigned once, and no other object;
* each object went to the group its turn in the ``YYYY-MM/assignment`` deal gives it, or a 回避
  move says where it went instead (who recused himself, and why, stays internal: the check
  cannot see the conflicts, only that every departure from the deal is declared; so a month
  with a move has the check ``assignment.moves`` "not checked", and its verdict is then
  ``incomplete``: the office could have invented the conflict to move an object).

:func:`verify_publication` is the call for programs: it raises unless every check passed.
:func:`publication_report` returns every check for people, and never raises on a bad file. A
citizen cannot check the confidential lists (their members are not published): those checks
are "not checked", and the report's verdict is then ``incomplete``, never ``passed``. The office,
or an auditor holding its lists (``draws/DRAW_ID/internal/``, read with
:func:`rfb_policy.files.internal.read_internal`), passes them as ``populations``: every scope is
then recomputed completely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fairdraw import (
    Check,
    DrawRecord,
    FairdrawError,
    Population,
    PublicKey,
    Report,
    language,
    outcome_known_before_abort,
    read_json,
    verification_report,
)
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.i18n import _
from rfb_policy.publish.assignment import ASSIGNMENT_FORMAT
from rfb_policy.publish.log_checkpoint import check_log_checkpoint
from rfb_policy.publish.manifest import check_manifest
from rfb_policy.publish.page import PUBLIC_LISTS_NAME, read_public_lists
from rfb_policy.publish.results import check_results

__all__ = [
    "DEMO_CHECK",
    "check_assignment",
    "is_demonstration",
    "publication_report",
    "verify_publication",
]

DEMO_CHECK = "demo"
"""The name of the check that says a record is a demonstration (``rfb demo``)."""


def publication_report(
    folder: str | Path,
    *,
    public_key: PublicKey | None = None,
    populations: Mapping[str, Population] | None = None,
    public_records: Mapping[str, Sequence[Sequence[int]] | str] | None = None,
    recusals: Sequence[Mapping[str, Any]] | None = None,
) -> Report:
    """Every check of the publication in ``folder`` (``record.json``, ``assignment.json``,
    ``superseded/``, ``public-lists.json``, and every file against the signed
    ``manifest.json``), passed, failed or not checked, with what was found.

    Without ``public_key`` the signatures are checked against the key the record names, which
    proves nothing about who signed it: the key check is then "not checked". ``populations``
    are the office's own lists by scope (a confidential one with its salt): each scope given
    is recomputed completely; without them, the public ones are, from the folder's
    ``public-lists.json`` (and the officers' scope always: the record ranks every officer, so it
    publishes their whole list). ``public_records``: a lottery draw's
    numbers by source id as its publisher published them, which the verifier looked up (without
    them the recorded numbers are "not checked"). ``recusals``: the office's internal record of
    each 回避 move and the officers who recused (``recusals.json`` in ``internal/``), which
    turns the check ``assignment.moves`` from "not checked" into a real one.

    Raises:
        InputError: a ``public_records`` id is no public record of the draw.
    """
    here = Path(folder)
    try:
        raw = read_json(here / "record.json", _("draw record"))
        record = MonthRecord.from_json(raw)
    except FairdrawError as err:
        return Report("", (Check("files", "failed", _("record.json: {error}").format(error=err)),))
    lists: dict[str, Population | Sequence[str]] = {
        r.scope: list(r.labels) for r in record.record.results if r.ranks_everyone
    }
    problems = []
    try:
        lists.update(read_public_lists(here, record.draw_id))
    except FairdrawError as err:
        problems.append(Check(PUBLIC_LISTS_NAME, "failed", str(err)))
    lists.update(populations or {})
    report = verification_report(
        raw, public_key=public_key, populations=lists, public_records=public_records
    )
    checks = [*report.checks, *problems]
    checks += check_manifest(
        here, draw_id=record.draw_id, month=str(record.month), key_id=record.record.key_id
    )
    checks.append(check_log_checkpoint(here, record.record))
    if record.rehearsal:
        checks.append(
            Check("rehearsal", "failed", _("a rehearsal with a replayed clock, not a draw"))
        )
    if record.demo:  # said plainly; it passes nothing that fails, and fails nothing that passes
        checks.append(
            Check(DEMO_CHECK, "passed", record.demo_note("zh" if language() == "zh" else "en"))
        )
    checks += _superseded_checks(here, record)
    published = None
    if report.failed or problems:
        checks.append(Check("assignment", "not checked", _("the record itself does not verify")))
    elif (here / "assignment.json").exists():
        try:
            published = read_json(here / "assignment.json", _("published assignment"))
        except FairdrawError as err:
            checks.append(Check("assignment", "failed", str(err)))
        else:
            checks += check_assignment(record, published, recusals)
    else:
        checks.append(Check("assignment", "not checked", _("no assignment.json in this folder")))
    checks += check_results(here, record, published if isinstance(published, Mapping) else None)
    return Report(record.draw_id, tuple(checks), report.steering)


def verify_publication(
    folder: str | Path,
    *,
    public_key: PublicKey,
    populations: Mapping[str, Population] | None = None,
    recusals: Sequence[Mapping[str, Any]] | None = None,
) -> Report:
    """Check the publication in ``folder`` (with the office's ``populations`` and
    ``recusals``, as :func:`publication_report`); return the report when every check passed.

    Raises:
        VerificationError: a check failed or could not be made (the message lists them).
    """
    report = publication_report(
        folder, public_key=public_key, populations=populations, recusals=recusals
    )
    return report.require_passed(_("the publication in {folder}").format(folder=folder))


def is_demonstration(report: Report) -> bool:
    """Whether a publication's report is of a demonstration (``rfb demo``), not of a draw."""
    return any(c.name == DEMO_CHECK for c in report.checks)


def _superseded_checks(folder: Path, record: MonthRecord) -> list[Check]:
    """Each aborted attempt the record replaces must be published, signed by the same key, and
    aborted; the chain is walked once, and a loop fails."""
    checks = []
    seen = {record.draw_id}
    current = record.record
    while (supersedes := current.announcement.supersedes) is not None:
        earlier = supersedes.draw_id
        if earlier in seen:
            checks.append(
                Check(
                    "supersedes",
                    "failed",
                    _("the chain of replaced draws loops at {draw_id}").format(draw_id=earlier),
                )
            )
            break
        seen.add(earlier)
        path = folder / "superseded" / f"{earlier}.json"
        if not path.exists():
            checks.append(
                Check(
                    "supersedes",
                    "failed",
                    _("replaces {draw_id}, not published here").format(draw_id=earlier),
                )
            )
            break
        try:
            current = DrawRecord.from_json(read_json(path, _("replaced draw record")))
        except FairdrawError as err:
            checks.append(
                Check(
                    "supersedes",
                    "failed",
                    _("replaces {draw_id}: {error}").format(draw_id=earlier, error=err),
                )
            )
            break
        report = verification_report(current.to_json(), public_key=None)
        fine = (
            report.aborted
            and not report.failures_of_an_aborted_record
            and current.status == "aborted"
            and current.key_id == record.record.key_id
            and current.draw_id == earlier
        )
        detail = _("replaces {draw_id}, published and aborted ({reason})").format(
            draw_id=earlier, reason=current.abort_reason or ""
        )
        if outcome_known_before_abort(current.to_json()):
            detail += _(
                "; aborted once every value was known (recorded, or a beacon or lottery draw "
                "due by then): its outcome could have been seen"
            )
        checks.append(Check("supersedes", "passed" if fine else "failed", detail))
    attempts = len(seen)
    checks.append(
        Check(
            "attempts",
            "passed",
            _("{count} attempt(s) this month, every one published: {draw_ids}").format(
                count=attempts, draw_ids=", ".join(sorted(seen))
            ),
        )
    )
    return checks


def check_assignment(
    record: MonthRecord, published: Any, recusals: Sequence[Mapping[str, Any]] | None = None
) -> list[Check]:
    """Check a published ``assignment.json`` against the month's record.

    A malformed file fails the check (it never raises).
    """
    try:
        return _check(record, published, recusals)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
        return [
            Check(
                "assignment.format",
                "failed",
                _("malformed: {error}").format(error=f"{type(err).__name__}: {err}"),
            )
        ]


def _outcome(name: str, passed: bool, detail: str) -> Check:
    return Check(f"assignment.{name}", "passed" if passed else "failed", detail)


def _check(
    record: MonthRecord, published: Any, recusals: Sequence[Mapping[str, Any]] | None
) -> list[Check]:
    if not isinstance(published, Mapping) or published.get("format") != ASSIGNMENT_FORMAT:
        return [
            _outcome("format", False, _("not an {format} file").format(format=ASSIGNMENT_FORMAT))
        ]
    if published.get("draw_id") != record.draw_id:
        return [_outcome("draw_id", False, _("the assignment names another draw"))]
    if published.get("month") != str(record.month):
        return [_outcome("month", False, _("the assignment names another month"))]
    try:
        groups = record.groups
        objects = record.objects
        order = record.deal_order()
    except FairdrawError as err:
        return [_outcome("record", False, str(err))]
    shown = [(g.get("number"), tuple(g.get("members", ()))) for g in published.get("groups", [])]
    expected = [(g.number, g.members) for g in groups]
    checks = [
        _outcome(
            "groups",
            shown == expected,
            _("{count} group(s) of the published ranking under the announced rules").format(
                count=len(groups)
            )
            if shown == expected
            else _("published {shown}, the record gives {expected}").format(
                shown=shown, expected=expected
            ),
        )
    ]
    where: dict[str, int] = {}
    repeated = []
    for group in published.get("groups", []):
        for object_id in group.get("objects", []):
            if object_id in where:
                repeated.append(object_id)
            where[object_id] = int(group.get("number", 0))
    missing = sorted(set(objects) - set(where))
    strangers = sorted(set(where) - set(objects))
    fine = not (missing or strangers or repeated)
    checks.append(
        _outcome(
            "objects",
            fine,
            _("each of the {count} drawn objects assigned once").format(count=len(objects))
            if fine
            else _("missing {missing}, not drawn {strangers}, twice {repeated}").format(
                missing=missing[:3], strangers=strangers[:3], repeated=repeated[:3]
            ),
        )
    )
    moves = {
        m.get("object_id"): (m.get("from_group"), m.get("to_group"))
        for m in published.get("moves", [])
    }
    wrong = []
    for turn, object_id in enumerate(order):
        dealt = turn % len(groups) + 1
        went = where.get(object_id)
        declared = moves.get(object_id)
        if (went == dealt and declared is not None) or (
            went != dealt and declared != (dealt, went)
        ):
            wrong.append(object_id)
    checks.append(
        _outcome(
            "deal",
            not wrong,
            _("every object in its dealt group, {count} recusal move(s) declared").format(
                count=len(moves)
            )
            if not wrong
            else _("objects away from their dealt group without a declared move: {objects}").format(
                objects=wrong[:3]
            ),
        )
    )
    if recusals is not None:  # the office's own record of who recused: every move is one
        checks.append(_moves_check(moves, recusals, {g.number: g.members for g in groups}))
    elif moves:  # who recused, and why, is internal: the public sees only that a move is declared
        checks.append(
            Check(
                "assignment.moves",
                "not checked",
                _(
                    "{count} recusal move(s) declared: who recused himself, and why, stays "
                    "internal, so a real conflict of interest cannot be told from an invented one "
                    "here; the office's internal recusals.json names them (rfb verify --internal)"
                ).format(count=len(moves)),
            )
        )
    else:
        checks.append(
            _outcome("moves", True, _("no recusal move: every object went where it was dealt"))
        )
    return checks


def _moves_check(
    moves: Mapping[Any, tuple[Any, Any]],
    recusals: Sequence[Mapping[str, Any]],
    members: Mapping[int, tuple[str, ...]],
) -> Check:
    """Every declared 回避 move is one the office recorded, with officers of the group the deal
    gave the object to; and every recorded one is declared."""
    recorded = {}
    for entry in recusals:
        officers = tuple(entry.get("officers") or ())
        source = entry.get("from_group")
        group = members.get(source, ()) if isinstance(source, int) else ()
        if not officers or not set(officers) <= set(group):
            return _outcome(
                "moves",
                False,
                _("the recusal of {object_id} names no officer of group {group}").format(
                    object_id=entry.get("object_id"), group=source
                ),
            )
        recorded[entry.get("object_id")] = (source, entry.get("to_group"))
    if recorded != dict(moves):
        return _outcome(
            "moves", False, _("the declared recusal moves are not the ones the office recorded")
        )
    return _outcome(
        "moves",
        True,
        _(
            "{count} recusal move(s), each recorded with the officers of the dealt group who "
            "recused themselves (the office's internal records)"
        ).format(count=len(moves)),
    )
