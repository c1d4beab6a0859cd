"""A draw id is used once, even after its rows were deleted by hand (audit log spec, sec. 8).

The tables can be emptied by someone who drops the triggers; the signed log cannot be shortened
without breaking the chain or a published checkpoint. So the store asks the log, not the tables,
whether a draw id was used, and ``log verify`` refuses a log in which one draw id names two
ceremonies or two finalisations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from fairdraw.errors import StorageError, VerificationError
from fairdraw.i18n import _, shown_time
from fairdraw.storage.log import LogEntry

__all__ = [
    "FINALISED",
    "OWNED_KINDS",
    "DrawIdUsedError",
    "check_draw_ids",
    "check_new_event",
    "check_new_record",
    "is_owned_kind",
    "names_draw",
]

FINALISED = "draw.finalised"
CEREMONY = "ceremony."
OWNED_KINDS = frozenset(
    {"population.snapshot", FINALISED, "approval", "document", "inspection.result"}
)
"""Entry kinds fairdraw writes itself (with ``ceremony.*`` and ``log.*``): never through
:meth:`Store.append`, so that no caller can log a fake event, record or approval."""


class DrawIdUsedError(StorageError):
    """The audit log shows this draw id in use before: a new ceremony takes a new id."""

    code: ClassVar[str] = "storage.draw_id_used"


def is_owned_kind(kind: str) -> bool:
    """True for the entry kinds only fairdraw's own methods may write."""
    return kind in OWNED_KINDS or kind.startswith((CEREMONY, "log."))


def names_draw(entry: LogEntry, draw_id: str) -> bool:
    """True if ``entry`` is a ceremony event or a finalisation of ``draw_id``."""
    return (entry.kind == FINALISED or entry.kind.startswith(CEREMONY)) and entry.payload.get(
        "draw_id"
    ) == draw_id


def _used(draw_id: str, entry: LogEntry, why: str) -> DrawIdUsedError:
    return DrawIdUsedError(
        _(
            "draw id {draw_id!r} was used before: audit log entry {seq} ({kind}, "
            "{time}) {why}; a draw id is used once, so a new ceremony takes a new id "
            "(a redraw names the old one in 'supersedes')"
        ).format(
            draw_id=draw_id, seq=entry.seq, kind=entry.kind, time=shown_time(entry.time), why=why
        )
    )


def check_new_event(
    draw_id: str, sequence: int, logged: Sequence[LogEntry], stored_events: int, *, stored: bool
) -> None:
    """Refuse a ceremony event the log shows a use of its draw id for that the rows do not.

    Args:
        draw_id: the event's draw id.
        sequence: the event's sequence.
        logged: the log's entries naming the draw id (:func:`names_draw`).
        stored_events: how many events of the draw the table holds.
        stored: whether the records table holds the draw (then the event is refused as
            before: its ceremony is over, which the caller's checks say).

    Raises:
        DrawIdUsedError: the log finalised the draw though its record row is gone, or holds
            events the table lost.
    """
    for entry in logged:
        if entry.kind == FINALISED and not stored:
            raise _used(draw_id, entry, _("finalised it, though its records row is gone"))
    ceremony = [e for e in logged if e.kind.startswith(CEREMONY)]
    if len(ceremony) > stored_events:
        clash = next((e for e in ceremony if e.payload.get("sequence") == sequence), ceremony[-1])
        raise _used(
            draw_id,
            clash,
            _("recorded event {sequence} of its ceremony, whose row is gone").format(
                sequence=clash.payload.get("sequence")
            ),
        )


def check_new_record(
    draw_id: str, logged: Sequence[LogEntry], event_hashes: Sequence[str], *, stored: bool
) -> None:
    """Refuse a record whose draw id the log shows finalised, or used by another ceremony.

    Args:
        draw_id: the record's draw id.
        logged: the log's entries naming the draw id.
        event_hashes: the record's event hashes, by sequence.
        stored: whether the records table holds the draw (then a second finalisation is
            :class:`AlreadyFinalisedError`, raised by the caller).

    Raises:
        DrawIdUsedError: the log finalised the id though its row is gone, or logged events of
            the id that are not the record's.
    """
    for entry in logged:
        if entry.kind == FINALISED:
            if stored:
                return
            raise _used(draw_id, entry, _("finalised it, though its records row is gone"))
    for entry in logged:
        sequence, logged_hash = entry.payload.get("sequence"), entry.payload.get("event_hash")
        if not (
            isinstance(sequence, int)
            and 0 <= sequence < len(event_hashes)
            and event_hashes[sequence] == logged_hash
        ):
            raise _used(
                draw_id,
                entry,
                _("recorded event {sequence} of another ceremony").format(sequence=sequence),
            )


def check_draw_ids(entries: Iterable[LogEntry]) -> None:
    """Check that no draw id names two ceremonies or two finalisations in a (verified) log.

    Raises:
        VerificationError: the second entry that reuses a draw id, and the first.
    """
    finalised: dict[Any, LogEntry] = {}
    events: dict[tuple[Any, Any], LogEntry] = {}
    for entry in entries:
        draw_id = entry.payload.get("draw_id")
        if entry.kind == FINALISED:
            _clash(
                finalised, draw_id, entry, _("finalise draw {draw_id!r}").format(draw_id=draw_id)
            )
            finalised[draw_id] = entry
        elif entry.kind.startswith(CEREMONY):
            if draw_id in finalised:
                first = finalised[draw_id]
                raise VerificationError(
                    _(
                        "audit log entry {seq} records a {kind} event of draw {draw_id!r}, which "
                        "entry {seq2} finalised: the draw id was reused for another ceremony"
                    ).format(seq=entry.seq, kind=entry.kind, draw_id=draw_id, seq2=first.seq)
                )
            key = (draw_id, entry.payload.get("sequence"))
            _clash(
                events,
                key,
                entry,
                _("record event {sequence} of draw {draw_id!r}").format(
                    sequence=key[1], draw_id=draw_id
                ),
            )
            events[key] = entry


def _clash(seen: Mapping[Any, LogEntry], key: Any, entry: LogEntry, what: str) -> None:
    first = seen.get(key)
    if first is None:
        return
    raise VerificationError(
        _(
            "audit log entries {seq} and {seq2} both {what} "
            "({kind}, {time}; {kind2}, {time2}): the draw id was reused, which a "
            "redraw never does (it takes a new id naming the old one in 'supersedes')"
        ).format(
            seq=first.seq,
            seq2=entry.seq,
            what=what,
            kind=first.kind,
            time=shown_time(first.time),
            kind2=entry.kind,
            time2=shown_time(entry.time),
        )
    )
