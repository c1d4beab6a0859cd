"""``fairdraw ceremony status``, and the lines every ceremony step ends with: where the ceremony
stands and what it waits for, in the catalogue's words (:mod:`fairdraw.cli.i18n`).

What is awaited follows the order of ceremony spec v2, section 4: every commitment; then the
entered values (dice), before the first reveal; then the reveals; then the beacons. A
participant who holds their own key is awaited for their signed statement, which the office
records with ``fairdraw ceremony accept``; any other step is the office's own command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from fairdraw.ceremony import Ceremony
from fairdraw.ceremony.rules import OFFICE, source_class
from fairdraw.cli.app import current_lang, report_errors
from fairdraw.cli.i18n import Lang, text
from fairdraw.cli.pending import RECORD_STEP, read_pending
from fairdraw.i18n import N_, shown_time

__all__ = ["awaited_lines", "echo_done", "echo_status", "status"]

_PARTICIPANT_COMMAND = {"commit": "commit", "reveal": "reveal", "randomness": "dice"}
_OFFICE_COMMAND = {"commit": "commit", "reveal": "reveal", "randomness": "value"}


def echo_done(step: str) -> None:
    """Say that a re-run step was recorded already."""
    click.echo(text("ceremony.already", current_lang(), step=step))


def echo_status(current: Ceremony) -> None:
    """The state, the deadlines and what the ceremony waits for."""
    lang = current_lang()
    state = current.state
    meaning = f"ceremony.state.{state}" + (
        ".v1" if state == "collecting" and current.version == 1 else ""
    )
    click.echo(
        text(
            "ceremony.status",
            lang,
            draw_id=current.draw_id,
            state=state,
            meaning=text(meaning, lang),
        )
    )
    deadlines = current.announcement["deadlines"]
    click.echo(
        text(
            "ceremony.deadlines",
            lang,
            commit=shown_time(deadlines["commit"]),
            reveal=shown_time(deadlines["reveal"]),
        )
    )
    for line in awaited_lines(current, lang):
        click.echo(line)


def _due(spec: dict[str, Any]) -> str:
    when = spec.get("round_time") or spec.get("pulse_time") or spec.get("time")
    return shown_time(str(when)) if when else str(spec.get("date", ""))


def _steps(current: Ceremony) -> list[tuple[dict[str, Any], str]]:
    """The (source, act) pairs the ceremony's state waits for, in announced order."""
    sources = current.announcement["sources"]
    locals_ = [s for s in sources if s["type"] == "local"]
    missing = set(current.missing_values())
    state = current.state
    if state == "committing":
        return [(s, "commit") for s in locals_ if current.body_of("commit", s["id"]) is None]
    if state == "entering":
        return [
            (s, "randomness")
            for s in sources
            if s["id"] in missing and source_class(s) == "entered"
        ]
    if state == "revealing":
        return [(s, "reveal") for s in locals_ if current.body_of("reveal", s["id"]) is None]
    if state == "collecting":
        return [(s, "randomness") for s in sources if s["id"] in missing]
    return []


def awaited_lines(current: Ceremony, lang: Lang) -> list[str]:
    """One line for each statement, step or beacon the ceremony waits for, then the optional
    witnesses and the next step."""
    lines = []
    for spec, act in _steps(current):
        participant = spec.get("participant")
        act_name = text(f"ceremony.act.{act}", lang)
        if source_class(spec) == "beacon":
            lines.append(
                text(
                    "ceremony.await.beacon",
                    lang,
                    type=spec["type"],
                    source=spec["id"],
                    due=_due(spec),
                )
            )
        elif isinstance(participant, str) and current.holds_key(participant):
            lines.append(
                text(
                    "ceremony.await.statement",
                    lang,
                    participant=participant,
                    act=act_name,
                    source=spec["id"],
                    command=_PARTICIPANT_COMMAND[act],
                )
            )
        else:
            lines.append(
                text(
                    "ceremony.await.step",
                    lang,
                    participant=participant,
                    act=act_name,
                    source=spec["id"],
                    command=_OFFICE_COMMAND[act],
                )
            )
    lines.extend(_witness_lines(current, lang))
    if current.state == "collecting" and not current.missing_values():
        lines.append(text("ceremony.next", lang, command="seed"))
    elif current.state == "seeded":
        lines.append(text("ceremony.next", lang, command="draw"))
    return lines


def _witness_lines(current: Ceremony, lang: Lang) -> list[str]:
    """Who may still witness the announcement: before the first reveal, any participant with
    their own key but the office (ceremony spec v2, section 5)."""
    if current.version != 2 or current.state not in {"committing", "entering", "revealing"}:
        return []
    if current.body_of("reveal") is not None:
        return []
    witnessed = {
        e["event"]["body"]["participant"] for e in current.events if e["event"]["kind"] == "witness"
    }
    could = [
        p["id"]
        for p in current.announcement["participants"]
        if p["id"] != OFFICE and current.holds_key(p["id"]) and p["id"] not in witnessed
    ]
    if not could:
        return []
    return [text("ceremony.await.witness", lang, participants=", ".join(could))]


@click.command(
    "status",
    help=N_(
        "Show where a ceremony stands and what it waits for.\n\n"
        "It also says what an interrupted step left undone: a record file not written, a "
        "secret made but not committed, a damaged event file."
    ),
)
@click.argument("directory", metavar="DIR")
@report_errors
def status(directory: str) -> None:
    """``fairdraw ceremony status``."""
    current = Ceremony.load(directory, allow_damaged_tail=True)
    echo_status(current)
    lang = current_lang()
    for path in current.damaged_files:
        click.echo(text("ceremony.damaged", lang, path=path))
    for step, note in read_pending(directory).items():
        if step == RECORD_STEP and current.state in {"drawn", "aborted"}:
            if note.get("out") and not Path(note["out"]).exists():
                command = "draw" if current.state == "drawn" else "abort"
                click.echo(text("ceremony.record_missing", lang, path=note["out"], command=command))
        elif step.startswith("commit "):
            source_id = step.partition(" ")[2]
            kept = note.get("secret_file")
            if kept and current.body_of("commit", source_id) is None and Path(kept).exists():
                click.echo(text("ceremony.secret_pending", lang, source=source_id, path=kept))
