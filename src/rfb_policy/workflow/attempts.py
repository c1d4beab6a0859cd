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
from rfb_policy.month import Month
from rfb_policy.workflow.clock import Clock, beijing
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
    source = log.awaiting[0]
    when = beijing(source.due)
    return (
        f"{month}：仪式 {log.draw_id} 正在等待开奖（{source.get('description')}，{when}）；"
        f"开奖后用 rfb draw {month} --resume 完成，或用 --abort-unfinished 说明原因中止"
        f"（如当期休市）/ the ceremony {log.draw_id} waits for its lottery draw (due {when}): "
        f"finish it with --resume once the numbers are published, or abort it with "
        f"--abort-unfinished REASON"
    )


def _after_due(log: CeremonyLog, clock: Clock) -> str:
    """What an abort's reason adds when the lottery it waited for was due already: its numbers
    (so the outcome) could be known."""
    due = log.awaiting[0].due
    if due is not None and clock.now() >= due:
        return f"（开奖时间 {beijing(due)} 已过 / after the lottery draw was due）"
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
                f"抽取 {log.draw_id} 已完成但未归档，现已归档",
                f"The draw {log.draw_id} was complete but not finalised; it is finalised now",
            )
        else:
            say(
                f"已中止未完成的抽取 {log.draw_id}（已记录）",
                f"Aborted the unfinished {log.draw_id}",
            )
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
            f"{month} 已完成抽取（{drawn[0]}），不得重新抽取 / was drawn already; a draw is "
            f"never redrawn. Replacing it needs a new decision: a ceremony that names it in "
            f"'supersedes' (see `fairdraw ceremony`)"
        )
    base = config.draw_id(month)
    if not attempts:
        return base, None
    last = attempts[-1].draw_id
    aborted = records.record(last).record.abort_reason or ""
    if not redraw_reason or not redraw_reason.strip():
        raise PolicyError(
            f"{month}：上次抽取 {last} 已中止（{aborted}）；重新抽取须用 --redraw-reason "
            f"说明理由 / the last attempt was aborted; drawing again needs --redraw-reason"
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
            f"{draw_id}：{who} 已于 {when} 开始本月抽取，本次未做任何抽取 / another officer, "
            f"{who}, started this month's draw at {when}; nothing was drawn here. See "
            f"`rfb month` for where it stands"
        ) from None


def _still_running(month: Month, log: CeremonyLog, records: OfficeRecords, deadline: Any) -> str:
    started = records.started_by(log.draw_id)
    who = f"{started[0]}，{started[1]}" if started else "?"
    zh = (
        f"{month}：抽取 {log.draw_id} 正在进行或已中断（由 {who} 开始，最后一步："
        f"{log.last.kind}）。如确已中断，请在 {deadline} 之后重试，或用 --abort-unfinished "
        f"说明原因"
    )
    en = (
        f"the ceremony {log.draw_id} (started by {who}) may still be running; if it was "
        f"interrupted, wait until its reveal deadline or give --abort-unfinished REASON"
    )
    return f"{zh} / {en}"
