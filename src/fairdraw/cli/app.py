"""What every ``fairdraw`` command shares: the top-level group, error reporting, JSON output.

Command modules import this module and export their commands; :mod:`fairdraw.cli.main` adds
them to :data:`cli`. Exit statuses are :class:`fairdraw.exits.ExitCode` (the one table, also in
README.md).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import click

from fairdraw import __version__
from fairdraw.cli.i18n import Lang, detect_lang, text
from fairdraw.errors import FairdrawError, LabelFileError, ParameterError
from fairdraw.exits import ExitCode, exit_code
from fairdraw.i18n import (
    N_,
    _,
    help_in_language,
    lang_in_arguments,
    reset_language,
    speaking,
    use_language,
)

__all__ = ["cli", "current_lang", "print_json", "report_errors"]

P = ParamSpec("P")
R = TypeVar("R")


def current_lang() -> Lang:
    """The language chosen for this invocation (``--lang``, else the environment)."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and "lang" in ctx.obj:
            lang: Lang = ctx.obj["lang"]
            return lang
        ctx = ctx.parent
    return detect_lang()


def _headline(err: FairdrawError, lang: Lang) -> str:
    if isinstance(err, LabelFileError) and err.line is not None:
        return text(
            "error.label_file.line",
            lang,
            path=err.path,
            line=err.line,
            reason=text(f"reason.{err.reason}", lang),
        )
    if isinstance(err, ParameterError):
        return text("error.parameter", lang, parameter=err.parameter)
    key = f"error.{err.code}"
    for candidate in (key, f"error.{err.code.split('.')[0]}"):
        try:
            return text(candidate, lang)
        except KeyError:
            continue
    return text("error.input", lang)


def report_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn fairdraw errors into a message on stderr and the documented exit status."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except FairdrawError as err:
            lang = current_lang()
            click.echo(f"{text('error', lang)}{_headline(err, lang)}", err=True)
            click.echo(f"  {err}", err=True)
            sys.exit(exit_code(err))

    return wrapper


def print_json(data: Any) -> None:
    """Write one JSON object to stdout: UTF-8, keys in a stable order, one trailing newline."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class _Group(click.Group):
    """The top-level group: Ctrl-C (or input closed at a prompt) ends in exit 130 with a line in
    the run's language, not click's "Aborted!" and exit 1; help texts in the run's language."""

    def main(self, args: Sequence[str] | None = None, *more: Any, **options: Any) -> Any:
        words = list(sys.argv[1:] if args is None else args)
        with speaking(lang_in_arguments(words, detect_lang())), help_in_language(self, _):
            return super().main(words, *more, **options)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, click.Abort):
            click.echo(text("interrupted", current_lang()), err=True)
            sys.exit(ExitCode.INTERRUPTED)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "fairdraw: verifiable random draws.\n\n"
        "Every draw follows the byte-exact specification fairdraw/draw/v1, so anyone can "
        "recompute it from the published seed, scope, parameters and population."
    ),
)
@click.version_option(__version__, prog_name="fairdraw")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help=N_("Language of messages: zh or en (default: FAIRDRAW_LANG, then the locale)."),
)
@click.pass_context
def cli(ctx: click.Context, lang: str | None) -> None:
    """The ``fairdraw`` group: chooses the run's language (the library's messages too)."""
    ctx.obj = {"lang": lang or detect_lang()}
    token = use_language(ctx.obj["lang"])  # the library's messages too, for this run
    ctx.call_on_close(lambda: reset_language(token))
