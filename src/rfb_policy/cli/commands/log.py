"""``rfb check-log``: the office's audit log checked as ``fairdraw log verify`` checks it, against
every checkpoint the office published (``publication/*/log-checkpoint.json``, and
``publication/log-checkpoint.json`` as ``rfb demo`` writes it).

A publication's checkpoint is the office's signed statement of how long its log was and how it
ended when the month was published; a log that is shorter, or that was written again from an
earlier entry (even with the office key), fails here, naming what changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fairdraw import Checkpoint, ExitCode, PublicKey, VerificationError
from rfb_policy.cli.app import open_office
from rfb_policy.cli.params import DB_OPTION
from rfb_policy.i18n import N_, _
from rfb_policy.publish.log_checkpoint import CHECKPOINT_NAME

__all__ = ["check_log"]


@click.command(
    "check-log",
    help=N_(
        "Check the office's audit log: its chain, every stored row, the draw ids, and every "
        "published checkpoint.\n\n"
        "Exit 0: intact; 4: an entry or row was changed or deleted, a draw id reused, or the "
        "log is shorter than a published checkpoint or forks from it."
    ),
)
@click.option(
    "--checkpoint",
    "checkpoint_paths",
    multiple=True,
    metavar="FILE",
    help=N_(
        "a published log checkpoint (repeatable; default: every publication/*/log-checkpoint.json)"
    ),
)
@click.option(
    "--public-key",
    "public_key_path",
    default=None,
    metavar="FILE",
    help=N_("the office's public key (default: the configuration's)"),
)
@DB_OPTION
@click.pass_context
def check_log(
    ctx: click.Context,
    checkpoint_paths: tuple[str, ...],
    public_key_path: str | None,
    db: str | None,
) -> None:
    """The office's audit log checked (``rfb check-log``)."""
    with open_office(ctx, db=db) as office:
        config = office.config
        published = config.path.parent / "publication"
        paths = [Path(p) for p in checkpoint_paths] or sorted(
            [*published.glob(CHECKPOINT_NAME), *published.glob(f"*/{CHECKPOINT_NAME}")]
        )
        key_file = Path(public_key_path) if public_key_path else config.public_key
        public_key = PublicKey.load(key_file) if key_file.exists() else None
        checkpoints = [Checkpoint.read(path) for path in paths]
        try:
            count = office.store.verify_chain(public_key, checkpoints=checkpoints)
        except VerificationError as err:
            click.echo(_("The audit log is INVALID:"), err=True)
            click.echo(f"  {err}", err=True)
            sys.exit(ExitCode.VERIFICATION_FAILED)
    click.echo(
        _(
            "Audit log intact: {count} entries, every stored row as logged, extending "
            "{checkpoints} published checkpoint(s)"
        ).format(count=count, checkpoints=len(paths))
    )
    for path in paths:
        click.echo(f"  {path}")
    if public_key is None:
        click.echo(
            _("Note: no office public key file: the signatures were not checked (--public-key)")
        )
