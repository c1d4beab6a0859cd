"""A month's attempts: the next draw id, storing its announcement, and what an interrupted
ceremony left behind (finished, aborted, left waiting for its lottery draw, or refused while it
may still run)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fairdraw import (
    AlreadyFinalisedError,
    Ceremony,
    CeremonyLog,
    OfficeKey,
    PolicyError,
    VerificationError,
)
from rfb_policy.i18n import _
from rfb_policy.month import Month
from rfb_policy.workflow.clock import BEIJING, Clock, beijing
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.records import OfficeRecords
from rfb_policy.workflow.values import Progress

__all__ = ["close_unfinished", "next_attempt", "store_announcement", "waits_for_lottery"]


def waits_for_lottery(log: CeremonyLog) -> bool:
    """Whether an open ceremony has every value but its announced lottery draw (it paused)."""
    awaiting = log.awaiting
    return (
        log.status == "open" and bool(awaiting) and all(s.type == "public-record" for s in awaiting)
    )


def _waiting(month: Month, log: CeremonyLog) -> str:
    return _(
        "{month}: the ceremony {draw_id} waits for its lottery draw (due {time}): finish it with "
        "rfb draw {month} --resume once the numbers are published, or abort it with "
        "--abort-unfinished REASON (if the lottery does not draw that day)"
    ).format(month=month, draw_id=log.draw_id, time=beijing(log.awaiting[0].due))


def _after_due(log: CeremonyLog, clock: Clock) -> str:
    """What an abort's reason adds when the lottery it waited for was due already: its numbers
    (so the outcome) could be known. Stored in the record: in one form, whatever the run's
    language."""
    due = log.awaiting[0].due
    if due is not None and clock.now() >= due:
        when = f"{due.astimezone(BEIJING):%Y-%m-%d %H:%M:%S}（北京时间）"
        return f"（开奖时间 {when} 已过 / after the lottery draw was due）"
    return ""


def close_unfinished(
    records: OfficeRecords,
    key: OfficeKey,
    clock: Clock,
    say: Progress,
    local_lock: bool,
    month: Month,
    *,
    actor: str,
    abort_reason: str | None,
) -> list[str]:
    """Finish what an interrupted ceremony of the month left behind, or refuse while one
    may still be running.

    A ceremony whose draw event is stored is finalised as drawn. One that waits for its
    lottery draw is left alone unless ``abort_reason`` is given. One that stopped earlier
    is aborted: with ``abort_reason``; by the announced rule once its reveal deadline has
    passed; or at once when the caller holds the month's lock for every process that can
    reach the store (its process died). Otherwise another officer may still be running it,
    and nothing is touched.

    Returns:
        The draw ids finalised as drawn.

    Raises:
        PolicyError: a ceremony of the month may still be running, or waits for its lottery.
    """
    completed = []
    for log in records.unfinished(month):
        ceremony = Ceremony([e.raw for e in log.events], key)
        kind = log.last.kind
        if kind not in {"abort", "draw"}:
            deadline = datetime.fromisoformat(log.announcement.reveal_deadline)
            reason = abort_reason
            if waits_for_lottery(log):
                if reason is None:
                    raise PolicyError(_waiting(month, log))
                reason += _after_due(log, clock)
            if reason is None and clock.now() > deadline:
                reason = "interrupted: nothing happened by the reveal deadline"
            if reason is None and local_lock:
                reason = "interrupted: the process running it stopped"
            if reason is None:
                raise PolicyError(_still_running(month, log, records, deadline))
            last = datetime.fromisoformat(log.last.time)
            ceremony.abort(f"仪式中断 / {reason}", at=max(clock.now(), last))
            records.store.record_event(ceremony.events[-1], actor=actor, key=key)
        try:
            records.store.finalise(ceremony.record(), actor=actor, key=key)
        except AlreadyFinalisedError:  # its own, live process finalised it just now
            continue  # (another officer's draw: the month is drawn, and says by whom)
        if kind == "draw":
            completed.append(log.draw_id)
            say(
                _("The draw {draw_id} was complete but not finalised; it is finalised now").format(
                    draw_id=log.draw_id
                )
            )
        else:
            say(_("Aborted the unfinished {draw_id} (logged)").format(draw_id=log.draw_id))
    return completed


def next_attempt(
    records: OfficeRecords,
    config: OfficeConfig,
    month: Month,
    approver: str,
    redraw_reason: str | None,
) -> tuple[str, dict[str, str] | None]:
    """The next draw id of the month, and what it supersedes (after an abort).

    Raises:
        PolicyError: the month was drawn already, or an earlier attempt was aborted and no
            reason for drawing again is given.
    """
    attempts = records.month_attempts(month)
    drawn = [a.draw_id for a in attempts if a.drawn]
    if drawn:
        raise PolicyError(
            _(
                "{month} was drawn already ({draw_id}); a draw is never redrawn. Replacing it "
                "needs a new decision: a ceremony that names it in 'supersedes' (see fairdraw "
                "ceremony)"
            ).format(month=month, draw_id=drawn[0])
        )
    base = config.draw_id(month)
    if not attempts:
        return base, None
    last = attempts[-1].draw_id
    aborted = records.record(last).record.abort_reason or ""
    if not redraw_reason or not redraw_reason.strip():
        raise PolicyError(
            _(
                "{month}: the last attempt {draw_id} was aborted (as recorded: {reason}); "
                "drawing again needs --redraw-reason"
            ).format(month=month, draw_id=last, reason=aborted)
        )
    return f"{base}-{len(attempts) + 1}", {
        "draw_id": last,
        "reason": redraw_reason,
        "approver": approver,
    }


def store_announcement(
    records: OfficeRecords, key: OfficeKey, ceremony: Ceremony, actor: str
) -> None:
    """Store the announcement; if another officer announced the same draw first, say who.

    Raises:
        PolicyError: another officer is drawing, or has drawn, this month.
    """
    draw_id = ceremony.draw_id
    try:
        records.store.record_event(ceremony.events[-1], actor=actor, key=key)
    except VerificationError:
        started = records.started_by(draw_id)
        if started is None:
            raise
        who, when = started
        raise PolicyError(
            _(
                "{draw_id}: another officer, {who}, started this month's draw at {time}; "
                "nothing was drawn here. See rfb month for where it stands"
            ).format(draw_id=draw_id, who=who, time=beijing(when))
        ) from None


def _still_running(month: Month, log: CeremonyLog, records: OfficeRecords, deadline: Any) -> str:
    started = records.started_by(log.draw_id)
    who = "?"
    if started:
        who = _("{who}, {time}").format(who=started[0], time=beijing(started[1]))
    return _(
        "{month}: the ceremony {draw_id} (started by {who}; its last step: {step}) may still be "
        "running; if it was interrupted, try again after {deadline} or give --abort-unfinished "
        "REASON"
    ).format(
        month=month, draw_id=log.draw_id, who=who, step=log.last.kind, deadline=beijing(deadline)
    )
