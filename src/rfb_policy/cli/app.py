"""The ``rfb`` command group and what every command shares.

Every command ends the same way: success (0), a usage error (2), or the documented status of
the error that stopped it (:func:`fairdraw.exit_code`: 3 bad input, 4 verification failed,
5 source unavailable, 6 storage, 7 policy, 9 a draw id used before), with a message in the
chosen language and never a traceback; an unexpected error is an internal error (1) with a
short message asking for a report (``RFB_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from fairdraw import (
    DrawIdUsedError,
    ExitCode,
    FairdrawError,
    OfficeKey,
    exit_code,
    help_in_language,
    lang_in_arguments,
    load_office_key,
    open_store,
    os_reason,
    reset_language,
    speaking,
    use_language,
)
from rfb_policy.errors import ConfigError
from rfb_policy.files.directories import DirectoryImportError
from rfb_policy.i18n import N_, _
from rfb_policy.model.performer import Performer
from rfb_policy.rules.calendar import OfficialCalendar
from rfb_policy.workflow.clock import Clock
from rfb_policy.workflow.config import OfficeConfig, find_config
from rfb_policy.workflow.export import DrawFiles
from rfb_policy.workflow.office import Office
from rfb_policy.workflow.values import Progress

__all__ = [
    "cli",
    "echo_draw_files",
    "fail",
    "lang_of",
    "office_config",
    "office_key",
    "open_office",
    "performer_of",
    "progress",
    "require_config",
    "settings",
]


def lang_of(ctx: click.Context) -> str:
    """The run's language (``zh`` or ``en``)."""
    return str(ctx.find_root().obj["lang"])


def fail(ctx: click.Context, err: FairdrawError) -> NoReturn:
    """Print ``err`` in the run's language and exit with its documented status."""
    if isinstance(err, DirectoryImportError):
        where = err.path
        if err.sheet is not None:
            where = _("{path} (sheet “{sheet}”)").format(path=err.path, sheet=err.sheet)
        click.echo(
            _("Error: {file} has {count} problem(s); nothing was imported:").format(
                file=where, count=len(err.problems)
            ),
            err=True,
        )
        for problem in err.problems:
            click.echo("  " + problem.shown(), err=True)
    elif isinstance(err, DrawIdUsedError):
        click.echo(
            _(
                "Error: this draw id was used before: the audit log records it (even if the "
                "database's data was deleted). A draw id is never drawn again; run rfb check-log "
                "to see what in the database no longer matches the audit log."
            ),
            err=True,
        )
    else:
        click.echo(_("Error: {error}").format(error=err), err=True)
    sys.exit(exit_code(err))


class _OfficeGroup(click.Group):
    """A group whose commands end in the documented exit statuses, never in a traceback, and
    whose help speaks the run's language (Chinese unless ``--lang en``)."""

    def main(self, args: Sequence[str] | None = None, *more: Any, **options: Any) -> Any:
        words = list(sys.argv[1:] if args is None else args)
        with speaking(lang_in_arguments(words, "zh")), help_in_language(self, _):
            return super().main(words, *more, **options)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except (KeyboardInterrupt, click.Abort):  # Ctrl-C, or the input closed at a prompt
            click.echo(
                _(
                    "Interrupted (Ctrl-C, or the input closed): every step already done is kept, "
                    "and the step under way wrote nothing; run the command again to go on (for a "
                    "draw half done, rfb draw says how to resume or abort it)."
                ),
                err=True,
            )
            sys.exit(ExitCode.INTERRUPTED)
        except FairdrawError as err:
            fail(ctx, err)
        except OSError as err:
            reason = os_reason(err)  # the system's words are English: the common ones, not
            click.echo(
                _("Error: a file cannot be read or written: {path}: {reason}").format(
                    path=err.filename or "-", reason=reason
                ),
                err=True,
            )
            sys.exit(ExitCode.BAD_INPUT)
        except Exception as err:  # a bug: say so plainly, and how to report it
            if os.environ.get("RFB_DEBUG"):
                traceback.print_exc()
            click.echo(
                _(
                    "Internal error (a bug: please report it): {error}; set RFB_DEBUG=1 for the "
                    "details"
                ).format(error=f"{type(err).__name__}: {err}"),
                err=True,
            )
            sys.exit(ExitCode.INTERNAL)


@click.group(
    cls=_OfficeGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "The Xicheng District civil air defense office's “double random, one public” workflow."
        "\n\n\b\nEach month:\n"
        "  rfb init → rfb import objects|inspectors FILE → rfb month YYYY-MM\n"
        "  → rfb confirm-availability YYYY-MM --section SECTION → rfb draw YYYY-MM\n"
        "  → rfb approve → rfb result → rfb publish YYYY-MM"
    ),
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    help=N_("the language of messages: zh (the default) or en"),
)
@click.option(
    "--config",
    "config_path",
    default=None,
    metavar="FILE",
    help=N_("the office's configuration (default: $RFB_CONFIG, else ./rfb.toml)"),
)
@click.pass_context
def cli(ctx: click.Context, lang: str, config_path: str | None) -> None:
    ctx.obj = {"lang": lang, "config": find_config(config_path), "explicit": bool(config_path)}
    token = use_language("zh" if lang == "zh" else "en")  # fairdraw's messages and rfb's
    ctx.call_on_close(lambda: reset_language(token))


def office_config(ctx: click.Context) -> OfficeConfig | None:
    """The office's configuration, or None when there is none and none was named.

    Raises:
        ConfigError: a named file is missing, or the file is malformed.
    """
    obj = ctx.find_root().obj
    path: Path = obj["config"]
    if not path.exists() and not obj["explicit"]:
        return None
    return OfficeConfig.load(path)


def require_config(ctx: click.Context) -> OfficeConfig:
    """The office's configuration.

    Raises:
        ConfigError: there is none (the message says to run ``rfb init``), or it is malformed.
    """
    return OfficeConfig.load(ctx.find_root().obj["config"])


def office_key(config: OfficeConfig, key_path: str | None = None) -> OfficeKey:
    """The office key (``--key``, else the configuration's), its passphrase from
    ``$FAIRDRAW_KEY_PASSPHRASE`` or asked."""
    return load_office_key(key_path or config.key)


def progress(ctx: click.Context) -> Progress:
    """Show the officer each step (a message already in the run's language), on standard
    error."""

    def show(message: str) -> None:
        click.echo(message, err=True)

    return show


def settings(ctx: click.Context, *, needs_folder: bool = False) -> OfficeConfig:
    """The office's configuration; outside an office folder (no ``rfb.toml``, none named) and
    unless ``needs_folder``, the settings ``rfb init`` writes.

    Raises:
        ConfigError: a configuration is needed and there is none, or it is malformed.
    """
    config = require_config(ctx) if needs_folder else office_config(ctx)
    return config or OfficeConfig.defaults(Path.cwd())


def open_office(
    ctx: click.Context,
    config: OfficeConfig | None = None,
    *,
    db: str | None = None,
    key_path: str | None = None,
    signs: bool = False,
    needs_store: bool = True,
    needs_folder: bool = False,
    calendar_dirs: tuple[str, ...] = (),
    clock: Clock | None = None,
) -> Office:
    """The office of ``config`` (else the run's :func:`settings`), ``--db`` and ``--key``
    overriding it, with its key when the step ``signs``.

    Outside an office folder (refused when the step ``needs_folder``) the database is ``--db``
    or ``$FAIRDRAW_DB``, and a signing step needs ``--key``; a step that does not
    ``needs_store`` opens no database there.

    Raises:
        ConfigError: a malformed configuration, no key, or a configured SQLite file that does
            not exist.
    """
    config = config or settings(ctx, needs_folder=needs_folder)
    in_folder = config.path.exists()
    if signs and key_path is None and not in_folder:
        raise ConfigError(
            _("no office key: pass --key, or run the command in an office folder made by rfb init")
        )
    store = None
    if db is not None:
        store = open_store(db)
    elif in_folder:
        store = config.open_store()
    elif needs_store:
        store = open_store(os.environ.get("FAIRDRAW_DB"))
    try:
        key = office_key(config, key_path) if signs else None
        calendar = OfficialCalendar.load(*calendar_dirs, *config.calendar_dirs)
    except BaseException:
        if store is not None:
            store.close()
        raise
    return Office(store, config, key=key, calendar=calendar, clock=clock, say=progress(ctx))


def echo_draw_files(files: DrawFiles) -> None:
    """Say where a draw's record and its internal check material are."""
    click.echo(_("Record: {path}").format(path=files.record))
    click.echo(
        _("Internal check material (confidential lists, never published): {path}").format(
            path=files.internal
        )
    )


def performer_of(leader: str, stand_in: str | None, authorisation: str | None) -> Performer:
    """Who performs or confirms the draw (``--leader``, ``--stand-in``, ``--authorisation``).

    Raises:
        click.UsageError: a stand-in without the reference of a written authorisation.
    """
    if stand_in and not authorisation:
        raise click.UsageError(
            _("a stand-in needs --authorisation (the written authorisation's reference)")
        )
    return Performer.of(leader, stand_in, authorisation)
