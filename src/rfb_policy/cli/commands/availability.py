"""``rfb confirm-availability``: a section confirms who can take part in the month's draw (R5)."""

from __future__ import annotations

import click

from rfb_policy.cli.app import open_office
from rfb_policy.cli.params import MONTH
from rfb_policy.i18n import N_, _
from rfb_policy.month import Month

__all__ = ["confirm"]


@click.command(
    "confirm-availability",
    help=N_(
        "A section confirms, before the draw, which of its officers can take part in the month's "
        "inspections."
    ),
)
@click.argument("month", type=MONTH)
@click.option("--section", required=True, help=N_("the section"))
@click.option("--confirmer", required=True, help=N_("who confirms (the section's head)"))
@click.option(
    "--unavailable",
    multiple=True,
    metavar="CERT",
    help=N_("the certificate number of an officer who cannot take part (repeatable)"),
)
@click.option("--actor", default=None, help=N_("who records it (default: the confirmer)"))
@click.pass_context
def confirm(
    ctx: click.Context,
    month: Month,
    section: str,
    confirmer: str,
    unavailable: tuple[str, ...],
    actor: str | None,
) -> None:
    """A section's confirmation (``rfb confirm-availability``)."""
    with open_office(ctx, signs=True, needs_folder=True) as office:
        confirmation = office.confirm_availability(
            month,
            section,
            confirmer=confirmer,
            unavailable=unavailable,
            actor=actor or confirmer,
        )
    click.echo(
        _(
            "{month} {section}: {available} available, {away} not (confirmed by {confirmer}; "
            "log {seq})"
        ).format(
            month=month,
            section=section,
            available=len(confirmation.available),
            away=len(confirmation.unavailable),
            confirmer=confirmer,
            seq=confirmation.seq,
        )
    )
