"""The language of a run's messages: gettext catalogues, one language at a time.

Messages are written in English in the code and marked for translation with a catalogue's
gettext function (``_ = catalogue(DOMAIN, LOCALEDIR)``; ``_("the seed should be {seed}")``).
Each other language is a gettext catalogue beside the code, ``LOCALEDIR/zh_CN/LC_MESSAGES/
DOMAIN.po`` (the text a translator edits) and its compiled ``.mo`` (what runs), both made by
``scripts/catalogues.py`` with Babel, which also fails the tests when a marked message has no
translation or the two files disagree.

A run chooses its language once (:func:`use_language`; the command lines do it from ``--lang``);
a program that chooses none gets English, so library messages stay English unless asked.
JSON output is never translated: its keys, codes and check names are the same in every run.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Literal

import click

__all__ = [
    "BEIJING",
    "LOCALES",
    "N_",
    "Lang",
    "catalogue",
    "help_in_language",
    "in_language",
    "lang_in_arguments",
    "language",
    "reset_language",
    "shown_time",
    "speaking",
    "use_language",
    "use_language_in_click",
]

Lang = Literal["zh", "en"]
"""A run's language: Chinese (the default of the office's ``rfb``) or English."""

BEIJING = timezone(timedelta(hours=8))
"""Beijing time (UTC+8, no daylight saving): the office's clock, and how times are shown to
people; records keep UTC (``fairdraw.times`` exports it too; it is here because a time's
messages come from this module's catalogue)."""

LOCALES: dict[Lang, str] = {"zh": "zh_CN", "en": "en"}
"""The gettext locale of each language (English is the messages' own: no catalogue)."""

LOCALEDIR = Path(__file__).parent / "locale"
"""fairdraw's own catalogues (domain ``fairdraw``)."""

_language: contextvars.ContextVar[Lang] = contextvars.ContextVar("fairdraw_lang", default="en")


def use_language(lang: Lang) -> contextvars.Token[Lang]:
    """Speak ``lang`` from now on in this context; returns the token that undoes it
    (``fairdraw.i18n.reset_language(token)``)."""
    if lang not in LOCALES:
        raise ValueError(f"{lang!r} is not a language of fairdraw's messages: zh or en")
    return _language.set(lang)


def reset_language(token: contextvars.Token[Lang]) -> None:
    """Go back to the language before :func:`use_language` returned ``token``."""
    _language.reset(token)


@contextlib.contextmanager
def speaking(lang: Lang) -> Iterator[None]:
    """Speak ``lang`` inside the ``with`` block (JSON output: ``speaking("en")``)."""
    token = use_language(lang)
    try:
        yield
    finally:
        reset_language(token)


def language() -> Lang:
    """The language of this run's messages (English unless :func:`use_language` chose)."""
    return _language.get()


@functools.cache
def _translations(domain: str, localedir: Path, lang: Lang) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    # A missing catalogue is a packaging fault: say so rather than speak English silently.
    return gettext.translation(domain, localedir, languages=[LOCALES[lang]])


def catalogue(domain: str, localedir: Path) -> Callable[[str], str]:
    """The gettext function of ``domain``: it translates a message into the run's language.

    Args:
        domain: the catalogue's name (``fairdraw``, ``rfb``): the ``.mo`` file's stem.
        localedir: the folder that holds ``zh_CN/LC_MESSAGES/DOMAIN.mo``.
    """

    def translate(message: str) -> str:
        return _translations(domain, localedir, _language.get()).gettext(message)

    return translate


def in_language(domain: str, localedir: Path, lang: Lang, message: str) -> str:
    """``message`` in ``lang``, whatever the run's language (for a text shown in both)."""
    return _translations(domain, localedir, lang).gettext(message)


def use_language_in_click(lang: Lang) -> None:
    """Make click's own messages (usage errors, ``Usage:``, prompts' confirmations) speak
    ``lang`` for the rest of this process: a command line's entry point calls it once.

    click marks its messages for gettext in the default domain and looks up the language in
    the environment, so this binds that domain to fairdraw's translation of them
    (``locale/zh_CN/LC_MESSAGES/click.po``) and sets ``LANGUAGE``, which child processes
    inherit too. A library never calls it: it changes the process.
    """
    gettext.bindtextdomain("click", str(LOCALEDIR))
    gettext.textdomain("click")
    os.environ["LANGUAGE"] = LOCALES[lang]


def lang_in_arguments(arguments: list[str], default: Lang) -> Lang:
    """The language ``--lang zh|en`` (or ``--lang=…``) names in a command's ``arguments``, before
    click has parsed them (``default`` when none does)."""
    for i, word in enumerate(arguments):
        value = word[len("--lang=") :] if word.startswith("--lang=") else None
        if word == "--lang" and i + 1 < len(arguments):
            value = arguments[i + 1]
        if value in ("zh", "en"):
            return "zh" if value == "zh" else "en"
    return default


def shown_time(when: str | datetime) -> str:
    """A time as people read it, in Beijing time and the run's language:
    ``2026-02-03 09:30:03（北京时间）`` or ``2026-02-03 09:30:03 (Beijing time)`` (records keep
    RFC 3339 UTC; only what is shown changes)."""
    try:
        moment = (
            datetime.fromisoformat(when.replace("Z", "+00:00")) if isinstance(when, str) else when
        )
    except ValueError:  # not a time: shown as it is (a check names what is wrong with it)
        return str(when)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _("{time} (Beijing time)").format(time=f"{moment.astimezone(BEIJING):%Y-%m-%d %H:%M:%S}")


@contextlib.contextmanager
def help_in_language(command: click.Command, translate: Callable[[str], str]) -> Iterator[None]:
    """Show the help of ``command``, its subcommands and their options in the run's language
    while the block runs: each text is passed through ``translate`` (a catalogue's gettext
    function) and put back as it was afterwards.

    click keeps help texts as plain strings fixed when the commands are made, before ``--lang``
    is read, so a command line writes them in English marked ``help=N_("...")`` and its entry
    point runs inside this block (``with speaking(lang), help_in_language(cli, _): ...``).
    """
    saved: list[tuple[object, str, object]] = []

    def translated(thing: object, attribute: str) -> None:
        text = getattr(thing, attribute, None)
        if isinstance(text, str) and text:
            saved.append((thing, attribute, text))
            setattr(thing, attribute, translate(text))

    def visit(cmd: click.Command, seen: set[int]) -> None:
        if id(cmd) in seen:
            return
        seen.add(id(cmd))
        saved.append((cmd, "context_class", cmd.context_class))
        cmd.context_class = _WideContext
        for attribute in ("help", "short_help", "epilog"):
            translated(cmd, attribute)
        if not cmd.short_help and cmd.help and "。" in cmd.help:
            # click shortens a help text at a space, and a Chinese sentence has none: the list
            # of commands would show "..."; its first sentence is the short help.
            saved.append((cmd, "short_help", cmd.short_help))
            cmd.short_help = cmd.help.split("\n\n")[0].split("。")[0] + "。"
        for param in cmd.params:
            translated(param, "help")
        if isinstance(cmd, click.Group):
            for sub in cmd.commands.values():
                visit(sub, seen)

    visit(command, set())
    try:
        yield
    finally:
        for thing, attribute, text in reversed(saved):
            setattr(thing, attribute, text)


_PAD = "\x00"


def _widen(text: str) -> str:
    """``text`` with a placeholder after each wide character (Chinese: two columns on a
    terminal), so that click's wrapping, which counts characters, counts columns."""
    return "".join(
        f"{c}{_PAD}" if unicodedata.east_asian_width(c) in ("W", "F") else c for c in text
    )


class _WideFormatter(click.HelpFormatter):
    """click's help formatter, wrapping Chinese at the terminal's width: click counts one
    column a character, and a Chinese help text came out twice as wide as the terminal."""

    def _narrow(self, start: int) -> None:
        self.buffer[start:] = [part.replace(_PAD, "") for part in self.buffer[start:]]

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        start = len(self.buffer)
        super().write_usage(prog, args, None if prefix is None else _widen(prefix))
        self._narrow(start)

    def write_text(self, text: str) -> None:
        start = len(self.buffer)
        super().write_text(_widen(text))
        self._narrow(start)

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        start = len(self.buffer)
        super().write_dl([(a, _widen(b)) for a, b in rows], col_max, col_spacing)
        self._narrow(start)


class _WideContext(click.Context):
    formatter_class = _WideFormatter


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark, translate later"
    """Mark ``message`` for the catalogue without translating it now (a table of messages)."""
    return message


_ = catalogue("fairdraw", LOCALEDIR)
"""fairdraw's gettext function."""
