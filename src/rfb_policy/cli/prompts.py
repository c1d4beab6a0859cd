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

from fairdraw import FairdrawError, SourceEntry, read_statement
from rfb_policy.cli.app import say
from rfb_policy.rules.lottery import LotteryGame
from rfb_policy.workflow.witnesses import WitnessRequest

__all__ = ["BeaconPrompt", "WitnessPrompt"]

_HEX = re.compile(r"[0-9a-fA-F]+")
_WHAT = {
    "witness": ("公告见证签名", "signature of the announcement"),
    "commit": ("秘密承诺", "commitment to their secret"),
    "reveal": ("秘密揭示", "reveal of their secret"),
}


def _ask(lang: str, zh: str, en: str) -> str:
    try:
        return str(click.prompt(say(lang, zh, en), err=True)).strip()
    except click.Abort as err:  # Ctrl-C or the end of input at the prompt
        raise EOFError("the prompt was closed") from err


def _text_or_file(typed: str) -> tuple[str, str]:
    """The text typed, or the file it names; and where it came from."""
    path = Path(typed).expanduser()
    if len(typed) < 4096 and path.is_file():
        return path.read_text(encoding="utf-8"), str(path)
    return typed, "pasted text"


class WitnessPrompt:
    """Asks at the terminal for a witness's signed statement (a :class:`WitnessDesk`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, request: WitnessRequest) -> Mapping[str, Any]:
        """Say what the witness runs on their device, then read back what they hand over."""
        lang, witness = self.lang, request.witness
        zh, en = _WHAT[request.act]
        given = str(request.file) if request.file else "FILE"
        out = f"{request.act}-{witness.id}.json"
        words = ["fairdraw", "participant", request.act, given, "--as", witness.id]
        if request.act == "commit":
            words += ["--source", witness.source_id]
        if request.act == "reveal":
            words += ["--secret-file", f"secret-{request.draw_id}-{witness.source_id}.json"]
        words += ["--key", f"{witness.id}.key", "--out", out]
        click.echo(
            say(
                lang,
                f"见证人 {witness.name}：请在您自己的设备上，用您的密钥对{zh}签名：",
                f"Witness {witness.name}: on your own device, sign the {en} with your key:",
            ),
            err=True,
        )
        click.echo(f"  {shlex.join(words)}", err=True)
        while True:
            typed = _ask(
                lang,
                f"请输入见证人交回的文件（{out}）路径，或粘贴其内容",
                f"The path of the file the witness hands over ({out}), or its text pasted",
            )
            text, where = _text_or_file(typed)
            try:
                return read_statement(text, where)
            except (FairdrawError, OSError, UnicodeDecodeError) as err:
                click.echo(say(lang, f"无法读取：{err}", f"Cannot read it: {err}"), err=True)


class BeaconPrompt:
    """Asks at the terminal for the announced drand round, typed in (a ``BeaconByHand``)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, entry: SourceEntry, problem: Exception | None) -> Mapping[str, Any]:
        """The round as typed: its signature (hex), its JSON, or a file holding its JSON."""
        lang = self.lang
        if problem is not None:
            click.echo(
                say(
                    lang, f"信标无法获取或核验：{problem}", f"The beacon is not at hand: {problem}"
                ),
                err=True,
            )
        url = f"https://api.drand.sh/{entry.get('chain_hash')}/public/{entry.round}"
        click.echo(
            say(
                lang,
                f"请在能上网的手机或电脑上打开 {url}，抄录 drand {entry.chain} "
                f"第 {entry.round} 轮的 signature（本机用固定的公钥离线核验，抄错会被发现）",
                f"On a phone or computer with internet, open {url} and copy the signature of "
                f"drand {entry.chain} round {entry.round} (it is verified here, offline, against "
                f"the chain's pinned key: a mistyped one is refused)",
            ),
            err=True,
        )
        typed = _ask(
            lang,
            "粘贴签名（十六进制），或该轮 JSON 及其文件路径",
            "Paste the signature (hex), or the round's JSON, or the path of a file holding it",
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

    def __init__(self, lang: str, given: str | None = None) -> None:
        self.lang = lang
        self._given = given

    def __call__(self, entry: SourceEntry, game: LotteryGame, problem: Exception | None) -> str:
        """The numbers as typed."""
        lang = self.lang
        if problem is not None:
            click.echo(say(lang, f"请重新输入：{problem}", f"Again: {problem}"), err=True)
        elif self._given is not None:
            given, self._given = self._given, None
            return given
        click.echo(
            say(
                lang,
                f"请录入{entry.get('description')}，以中国福彩网（www.cwl.gov.cn）公布为准；"
                f"任何人都可核对，录错会在核验时被发现",
                f"Type in the numbers of {entry.get('description')} as the publisher "
                f"(www.cwl.gov.cn) published them; anyone can compare them",
            ),
            err=True,
        )
        return _ask(
            lang,
            f"开奖号码（例：{game.example}）",
            f"The numbers (for example {game.example})",
        )
