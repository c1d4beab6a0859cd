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
from rfb_policy.cli.app import lang_of, open_office, say
from rfb_policy.publish.log_checkpoint import CHECKPOINT_NAME

__all__ = ["check_log"]


@click.command("check-log")
@click.option(
    "--checkpoint",
    "checkpoint_paths",
    multiple=True,
    metavar="FILE",
    help="公示中的日志检查点（可重复；默认 publication/*/log-checkpoint.json）/ a published "
    "log checkpoint (repeatable; default: every publication's)",
)
@click.option("--public-key", "public_key_path", default=None, metavar="FILE")
@click.option("--db", default=None, metavar="PATH|URL")
@click.pass_context
def check_log(
    ctx: click.Context,
    checkpoint_paths: tuple[str, ...],
    public_key_path: str | None,
    db: str | None,
) -> None:
    """核验本办审计日志：链、每行数据、抽取编号，以及已公示的检查点。Check the office's audit log:
    its chain, every stored row, the draw ids, and every published checkpoint.

    Exit 0: intact; 4: an entry or row was changed or deleted, a draw id reused, or the log is
    shorter than a published checkpoint or forks from it.
    """
    lang = lang_of(ctx)
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
            click.echo(say(lang, "审计日志未通过核验：", "The audit log is INVALID:"), err=True)
            click.echo(f"  {err}", err=True)
            sys.exit(ExitCode.VERIFICATION_FAILED)
    click.echo(
        say(
            lang,
            f"审计日志完整：共 {count} 条，每行数据与日志一致，"
            f"与 {len(paths)} 个已公示的检查点一致",
            f"Audit log intact: {count} entries, every stored row as logged, extending "
            f"{len(paths)} published checkpoint(s)",
        )
    )
    for path in paths:
        click.echo(f"  {path}")
    if public_key is None:
        click.echo(
            say(
                lang,
                "提醒：没有机关公钥文件，签名未核验（--public-key）",
                "Note: no office public key file: the signatures were not checked (--public-key)",
            )
        )
