"""What ``rfb draw`` asks at the ceremony: each witness's signed file, and a beacon typed in.

A witness works on their own device with ``fairdraw participant …``; the prompt says what to run
there and reads back the file they hand over (its path, or its text pasted: JSON or base64). A
beacon is typed in when the office has no internet: the round's signature, read on a phone or
another computer, pasted as hex, or a file holding the round's JSON.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from fairdraw import FairdrawError, SourceEntry, read_statement, shown_time
from rfb_policy.i18n import N_, _
from rfb_policy.rules.lottery import LotteryGame
from rfb_policy.workflow.witnesses import WitnessRequest

__all__ = ["BeaconPrompt", "WitnessPrompt"]

_HEX = re.compile(r"[0-9a-fA-F]+")
_WHAT = {
    "witness": N_(
        "Witness {name}: on your own device, sign the announcement as its witness, with your key:"
    ),
    "commit": N_(
        "Witness {name}: on your own device, sign the commitment to your secret with your key:"
    ),
    "reveal": N_(
        "Witness {name}: on your own device, sign the reveal of your secret with your key:"
    ),
}


def _ask(question: str) -> str:
    try:
        return str(click.prompt(question, err=True)).strip()
    except click.Abort as err:  # Ctrl-C or the end of input at the prompt
        raise EOFError("the prompt was closed") from err


def _text_or_file(typed: str) -> tuple[str, str]:
    """The text typed, or the file it names; and where it came from."""
    path = Path(typed).expanduser()
    if len(typed) < 4096 and path.is_file():
        return path.read_text(encoding="utf-8"), str(path)
    return typed, _("pasted text")


class WitnessPrompt:
    """Asks at the terminal for a witness's signed statement (a :class:`WitnessDesk`)."""

    def __call__(self, request: WitnessRequest) -> Mapping[str, Any]:
        """Say what the witness runs on their device, then read back what they hand over."""
        witness = request.witness
        given = str(request.file) if request.file else "FILE"
        out = f"{request.act}-{witness.id}.json"
        words = ["fairdraw", "participant", request.act, given, "--as", witness.id]
        if request.act == "commit":
            words += ["--source", witness.source_id]
        if request.act == "reveal":
            words += ["--secret-file", f"secret-{request.draw_id}-{witness.source_id}.json"]
        words += ["--key", f"{witness.id}.key", "--out", out]
        click.echo(_(_WHAT[request.act]).format(name=witness.name), err=True)
        click.echo(f"  {shlex.join(words)}", err=True)
        while True:
            typed = _ask(
                _(
                    "The path of the file the witness hands over ({file}), or its text pasted"
                ).format(file=out)
            )
            text, where = _text_or_file(typed)
            try:
                return read_statement(text, where)
            except (FairdrawError, OSError, UnicodeDecodeError) as err:
                click.echo(_("Cannot read it: {error}").format(error=err), err=True)


class BeaconPrompt:
    """Asks at the terminal for the announced drand round, typed in (a ``BeaconByHand``)."""

    def __call__(self, entry: SourceEntry, problem: Exception | None) -> Mapping[str, Any]:
        """The round as typed: its signature (hex), its JSON, or a file holding its JSON."""
        if problem is not None:
            click.echo(
                _("The beacon cannot be fetched or verified: {problem}").format(problem=problem),
                err=True,
            )
        url = f"https://api.drand.sh/{entry.get('chain_hash')}/public/{entry.round}"
        click.echo(
            _(
                "On a phone or computer with internet, open {url} and copy the signature of "
                "drand {chain} round {round} (it is verified here, offline, against the chain's "
                "pinned key: a mistyped one is refused)"
            ).format(url=url, chain=entry.chain, round=entry.round),
            err=True,
        )
        typed = _ask(
            _("Paste the signature (hex), or the round's JSON, or the path of a file holding it")
        )
        text, _where = _text_or_file(typed)
        cleaned = re.sub(r"\s", "", text)
        if _HEX.fullmatch(cleaned):
            return {"round": entry.round, "signature": cleaned.lower()}
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, dict):
            return {"round": entry.round, "signature": cleaned}  # refused by the check, asked again
        return {k: value[k] for k in ("round", "signature", "previous_signature") if k in value}


class LotteryPrompt:
    """Asks at the terminal for the announced lottery draw's numbers (a ``LotteryNumbers``);
    ``given``: the numbers from ``--numbers``, taken once (asked again if they are wrong)."""

    def __init__(self, given: str | None = None) -> None:
        self._given = given

    def __call__(self, entry: SourceEntry, game: LotteryGame, problem: Exception | None) -> str:
        """The numbers as typed."""
        if problem is not None:
            click.echo(_("Again: {problem}").format(problem=problem), err=True)
        elif self._given is not None:
            given, self._given = self._given, None
            return given
        click.echo(
            _(
                "Type in the numbers of the China Welfare Lottery's {game} draw of {time}, as its "
                "publisher (www.cwl.gov.cn) published them; anyone can compare them, and a "
                "mistyped one is found at the check"
            ).format(game=game.name, time=shown_time(str(entry.get("time")))),
            err=True,
        )
        return _ask(_("The numbers (for example {example})").format(example=game.example))
