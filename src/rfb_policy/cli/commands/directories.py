"""``rfb import``: the two directories, as immutable snapshots in the store, and the workbook
templates a clerk fills in for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from rfb_policy.cli.app import open_office
from rfb_policy.cli.params import DB_OPTION, OFFICE_KEY_OPTION
from rfb_policy.files.tables import Source
from rfb_policy.files.template import write_template
from rfb_policy.i18n import N_, _
from rfb_policy.workflow.records import Imported

__all__ = ["import_"]

_TEMPLATE_NAME = {"objects": "检查对象名录模板.xlsx", "inspectors": "执法人员名录模板.xlsx"}
"""The template's default file name (the office's, in Chinese in every language)."""


@click.group(
    "import",
    invoke_without_command=True,
    help=N_(
        "Import a directory (CSV or XLSX) as a snapshot nothing can change, or write the "
        "workbook template to fill in.\n\n\b\n"
        "rfb import objects FILE.xlsx --actor NAME\n"
        "rfb import inspectors FILE.xlsx --actor NAME [--objects FILE.xlsx]\n"
        "rfb import template objects|inspectors [--out FILE.xlsx]\n"
        "(also written rfb import --template objects|inspectors)"
    ),
)
@click.option(
    "--template",
    "template_kind",
    type=click.Choice(["objects", "inspectors"]),
    default=None,
    help=N_("write the template, as rfb import template KIND does"),
)
@click.option("--out", "template_out", default=None, metavar="FILE", help=N_("the template's file"))
@click.pass_context
def import_(ctx: click.Context, template_kind: str | None, template_out: str | None) -> None:
    """The directories imported (``rfb import``)."""
    if template_kind is not None:
        if ctx.invoked_subcommand is not None:
            raise click.UsageError(_("--template goes without a subcommand"))
        ctx.invoke(template, kind=template_kind, out=template_out)
        ctx.exit(0)
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help(), err=True)
        ctx.exit(2)


def _store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        (
            click.argument("path", metavar="FILE"),
            DB_OPTION,
            OFFICE_KEY_OPTION,
            click.option("--actor", required=True, help=N_("who imports")),
        )
    ):
        command = option(command)
    return command


@import_.command("objects", help=N_("Import the objects directory."))
@_store_options
@click.pass_context
def objects(
    ctx: click.Context, path: str, db: str | None, key_path: str | None, actor: str
) -> None:
    """The objects directory imported."""
    with open_office(ctx, db=db, key_path=key_path, signs=True) as office:
        imported = office.import_objects(path, actor=actor)
    _report(_("Imported {count} objects; snapshot digest {digest}"), path, imported)


@import_.command("inspectors", help=N_("Import the inspectors directory."))
@_store_options
@click.option(
    "--objects",
    "objects_path",
    default=None,
    metavar="FILE",
    help=N_("the objects directory the recusals are checked against"),
)
@click.pass_context
def inspectors(
    ctx: click.Context,
    path: str,
    db: str | None,
    key_path: str | None,
    actor: str,
    objects_path: str | None,
) -> None:
    """The inspectors directory imported."""
    with open_office(ctx, db=db, key_path=key_path, signs=True) as office:
        imported = office.import_inspectors(path, actor=actor, objects_path=objects_path)
    _report(_("Imported {count} inspectors; snapshot digest {digest}"), path, imported)


@import_.command(
    "template",
    help=N_(
        "Write the workbook template (XLSX) of a directory.\n\n"
        "The first sheet has the exact headers, a note on each, and drop-down lists; the second "
        "sheet explains every column. Filled in, it imports with rfb import KIND FILE."
    ),
)
@click.argument("kind", type=click.Choice(["objects", "inspectors"]))
@click.option(
    "--out",
    "out",
    default=None,
    metavar="FILE",
    help=N_("the file written (default: the directory's template name, in Chinese)"),
)
def template(kind: str, out: str | None) -> None:
    """A directory's workbook template written (``rfb import template``)."""
    written = write_template(kind, out or _TEMPLATE_NAME[kind])
    if kind == "objects":
        shown = _(
            "Wrote the objects template: {file} (fill in the first sheet; the second sheet "
            "explains each column), then run rfb import {kind} {file} --actor NAME"
        )
    else:
        shown = _(
            "Wrote the inspectors template: {file} (fill in the first sheet; the second sheet "
            "explains each column), then run rfb import {kind} {file} --actor NAME"
        )
    click.echo(shown.format(file=written, kind=kind))


def _report(done: str, path: str, imported: Imported) -> None:
    click.echo(done.format(count=imported.count, digest=imported.digest))
    click.echo(_how(path, imported.source))


def _how(path: str, source: Source) -> str:
    """How the file was read, in the run's language."""
    if source.format == "csv":
        parts = [_("Read {path} as CSV in {encoding}").format(path=path, encoding=source.encoding)]
    else:
        parts = [_("Read the sheet “{sheet}” of {path}").format(sheet=source.sheet, path=path)]
    if source.header_row > 1:
        parts.append(_("its header in row {row} (titles above it)").format(row=source.header_row))
    comma = _(", ")
    if source.empty_sheets:
        parts.append(
            _("the empty sheets {sheets} were passed over").format(
                sheets=comma.join(source.empty_sheets)
            )
        )
    if source.other_sheets:
        parts.append(
            _("note: the sheets {sheets} have content too, not read").format(
                sheets=comma.join(source.other_sheets)
            )
        )
    return _("; ").join(parts)
