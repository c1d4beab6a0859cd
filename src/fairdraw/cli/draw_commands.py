"""``fairdraw sample``, ``fairdraw digest`` and ``fairdraw demo``."""

from __future__ import annotations

import secrets
import shlex
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

import click

from fairdraw.cli.app import current_lang, print_json, report_errors
from fairdraw.cli.i18n import Lang, field, text
from fairdraw.console import print_table, table
from fairdraw.i18n import N_, _
from fairdraw.labelfile import read_population
from fairdraw.picks import Pick, PickList
from fairdraw.primitives import derive_subseed
from fairdraw.rates import parse_rate
from fairdraw.sampling import Draw, draw_exact, draw_rate

EXAMPLE_LIST = "example-objects.txt"


def echo_picks(title: str, picks: Sequence[Mapping[str, object]] | PickList, lang: Lang) -> None:
    """Print picks as a table (rank, the score's first 16 hex digits when known, label)."""
    click.echo()
    if not picks:
        click.echo(title)
        click.echo(f"  {text('draw.none', lang)}")
        return
    rows = [
        (pick.rank, pick.score, pick.label)
        if isinstance(pick, Pick)
        else (pick["rank"], pick.get("score"), pick["label"])
        for pick in picks
    ]
    with_score = all(row[1] is not None for row in rows)
    columns = [text("draw.rank", lang)]
    if with_score:
        columns.append(text("draw.score", lang))
    made = table(*columns, text("draw.label", lang), right=(0,), title=title)
    for rank, score, label in rows:
        cells = [str(rank), *([str(score)[:16]] if with_score else []), str(label)]
        made.add_row(*cells)
    print_table(made)


def echo_draw(draw: Draw, digest: bytes, lang: Lang) -> None:
    """Print a draw for people: its inputs, then the selected and alternates in rank order."""
    click.echo(text("draw.title", lang, spec=draw.spec))
    if draw.mode == "exact":
        mode = text("draw.mode.exact", lang, k=draw.k, alternates=draw.alternates_requested)
    else:
        mode = text("draw.mode.rate", lang, rate=draw.rate)
    click.echo(f"  {field('draw.scope', draw.scope, lang)}")
    click.echo(f"  {mode}")
    click.echo(f"  {field('draw.population', draw.population_size, lang)}")
    click.echo(f"  {field('draw.digest', digest.hex(), lang)}")
    click.echo(f"  {field('draw.seed', draw.seed, lang)}")
    click.echo(f"  {field('draw.subseed', draw.subseed, lang)}")
    echo_picks(text("draw.selected", lang, count=len(draw.selected)), draw.selected, lang)
    if draw.mode == "exact":
        alternates_title = text("draw.alternates", lang, count=len(draw.alternates))
        echo_picks(alternates_title, draw.alternates, lang)


def draw_json(draw: Draw, digest: bytes) -> dict[str, object]:
    """The documented JSON object of ``fairdraw sample --json`` (spec v1, section 12)."""
    data = draw.to_dict()
    data["population_digest"] = digest.hex()
    return data


@click.command(
    help=N_(
        "Draw from a label file, or recompute a published draw.\n\n"
        "Give either --k (with optional --alternates) or --rate."
    )
)
@click.option(
    "--seed", required=True, metavar="HEX64", help=N_("The ceremony seed: 64 hex digits.")
)
@click.option("--scope", required=True, help=N_("The scope name of this draw, e.g. 2026-05/MAINT."))
@click.option("--k", "k", type=int, default=None, help=N_("Exact mode: how many labels to select."))
@click.option(
    "--alternates",
    type=int,
    default=None,
    help=N_("Exact mode: how many ranked alternates to list."),
)
@click.option("--rate", default=None, help=N_("Rate mode: '15%', '0.15' or '3/20'."))
@click.option(
    "--labels",
    "labels_path",
    required=True,
    metavar="FILE",
    help=N_("The population: UTF-8, one label per line; - reads standard input."),
)
@click.option(
    "--canonicalize",
    is_flag=True,
    help=N_("Normalise each line to NFC and strip white space instead of rejecting it."),
)
@click.option(
    "--json", "as_json", is_flag=True, help=N_("Print one JSON object (spec v1, section 12).")
)
@report_errors
def sample(
    seed: str,
    scope: str,
    k: int | None,
    alternates: int | None,
    rate: str | None,
    labels_path: str,
    canonicalize: bool,
    as_json: bool,
) -> None:
    """``fairdraw sample``: a draw for people or as JSON."""
    if (k is None) == (rate is None):
        raise click.UsageError(_("give either --k or --rate (exactly one)"))
    if rate is not None and alternates is not None:
        raise click.UsageError(_("--alternates goes with --k, not with --rate"))
    # Check the cheap parameters before reading a possibly large file.
    derive_subseed(seed, scope)
    if rate is not None:
        parse_rate(rate)
    population = read_population(labels_path, canonicalize=canonicalize)
    if rate is not None:
        draw = draw_rate(seed, scope, population, rate)
    else:
        draw = draw_exact(seed, scope, population, k or 0, alternates=alternates or 0)
    if as_json:
        print_json(draw_json(draw, population.digest))
    else:
        echo_draw(draw, population.digest, current_lang())


@click.command(help=N_("Print the population digest of a label file."))
@click.option(
    "--labels",
    "labels_path",
    required=True,
    metavar="FILE",
    help=N_("The label file; - reads standard input."),
)
@click.option(
    "--salt", default="", metavar="HEX", help=N_("32-byte salt of a confidential list, in hex.")
)
@click.option("--canonicalize", is_flag=True, help=N_("Normalise each line before hashing."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON object."))
@report_errors
def digest(labels_path: str, salt: str, canonicalize: bool, as_json: bool) -> None:
    """``fairdraw digest``."""
    population = read_population(labels_path, canonicalize=canonicalize, salt=salt)
    if as_json:
        print_json(
            {
                "spec": "fairdraw/draw/v1",
                "population_digest": population.digest_hex,
                "population_size": len(population),
                "salt": population.salt.hex(),
            }
        )
        return
    lang = current_lang()
    click.echo(f"{field('digest.title', population.digest_hex, lang)}")
    click.echo(f"  {field('digest.count', len(population), lang)}")
    salt_text = population.salt.hex() or text("digest.public", lang)
    click.echo(f"  {field('digest.salt', salt_text, lang)}")


@click.command(help=N_("Draw from the bundled example list and show how to verify it."))
@click.option(
    "--seed", default=None, metavar="HEX64", help=N_("Use this seed instead of a random one.")
)
@click.option(
    "--json", "as_json", is_flag=True, help=N_("Print one JSON object, as sample --json.")
)
@report_errors
def demo(seed: str | None, as_json: bool) -> None:
    """``fairdraw demo``."""
    lang = current_lang()
    with resources.as_file(resources.files("fairdraw.data") / EXAMPLE_LIST) as path:
        population = read_population(path)
        example_path = Path(path)
        seed_hex = seed if seed is not None else secrets.token_bytes(32).hex()
        k = -(-len(population) * 15 // 100)  # 15%, rounded up, as the office's plan counts
        alternates = 3
        draw = draw_exact(seed_hex, "demo", population, k, alternates=alternates)
        if as_json:
            print_json(draw_json(draw, population.digest))
            return
        count = len(population)
        click.echo(text("demo.intro", lang, count=count, k=k, alternates=alternates))
        if seed is None:
            click.echo(text("demo.seed_random", lang))
        click.echo()
        echo_draw(draw, population.digest, lang)
        command = [
            "fairdraw",
            "sample",
            "--seed",
            draw.seed,
            "--scope",
            draw.scope,
            "--k",
            str(k),
            "--alternates",
            str(alternates),
            "--labels",
            str(example_path),
        ]
        click.echo(f"\n{text('demo.verify', lang)}")
        click.echo(f"  {shlex.join(command)}")


COMMANDS: tuple[click.Command, ...] = (
    sample,
    digest,
    demo,
)
"""The commands this module adds to ``fairdraw``."""
