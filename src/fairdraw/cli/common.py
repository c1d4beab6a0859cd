"""What several ``fairdraw`` commands share: ``--passphrase-file``, ``--key``, ``--at``, population
files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from fairdraw.errors import InputError
from fairdraw.files import read_json
from fairdraw.i18n import N_, _
from fairdraw.labelfile import read_population
from fairdraw.passphrase import PASSPHRASE_ENV
from fairdraw.population import Population
from fairdraw.times import parse_time

__all__ = [
    "PASSPHRASE_ENV",
    "at_option",
    "at_time",
    "office_key_option",
    "passphrase_option",
    "population_option",
    "populations_by_scope",
    "public_key_option",
    "read_json",
    "read_record",
    "salt_option",
]

passphrase_option = click.option(
    "--passphrase-file",
    default=None,
    metavar="FILE",
    help=N_("Read the key passphrase from FILE (else $FAIRDRAW_KEY_PASSPHRASE, else a prompt)."),
)

at_option = click.option(
    "--at",
    "at_text",
    default=None,
    metavar="TIME",
    help=N_(
        "Record this time (2026-05-12T09:00:00Z) instead of now: for replays and examples only."
    ),
)
population_option = click.option(
    "--population",
    "population_values",
    multiple=True,
    metavar="[SCOPE=]FILE",
    help=N_(
        "A scope's label file (repeatable): SCOPE=FILE, or FILE alone when its digest is announced."
    ),
)
salt_option = click.option(
    "--salt",
    "salts",
    multiple=True,
    metavar="SCOPE=HEX",
    help=N_("The salt of a confidential list, by scope (repeatable)."),
)
public_key_option = click.option(
    "--public-key",
    "public_key_path",
    default=None,
    metavar="FILE",
    help=N_("The office's public key (KEYFILE.pub), to check its signatures."),
)
office_key_option = click.option(
    "--key", "key_path", required=True, metavar="KEYFILE", help=N_("The office's encrypted key.")
)


def read_record(path: str) -> dict[str, Any]:
    """The draw record in the file ``path``: a JSON object.

    Raises:
        InputError: the file cannot be read, is not JSON, or holds no object.
    """
    record = read_json(path, _("draw record"))
    if not isinstance(record, dict):
        raise InputError(_("{path}: a draw record is a JSON object").format(path=path))
    return record


def at_time(at_text: str | None) -> datetime | None:
    """The time ``--at`` gives, or None (now)."""
    return None if at_text is None else parse_time(at_text, "--at")


def _pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise InputError(
                _("{option} takes SCOPE=VALUE, not {value!r}").format(option=what, value=value)
            )
        pairs[name] = rest
    return pairs


def populations_by_scope(
    values: tuple[str, ...], salts: tuple[str, ...], announced: list[dict[str, Any]] | None = None
) -> dict[str, Population]:
    """Population files by scope: ``SCOPE=FILE``, or a bare FILE matched by its digest."""
    salt_by_scope = _pairs(salts, "--salt")
    result: dict[str, Population] = {}
    for value_text in values:
        name, sep, path = value_text.partition("=")
        if sep and name and (announced is None or any(s["scope"] == name for s in announced)):
            result[name] = read_population(path, salt=salt_by_scope.get(name))
            continue
        population = read_population(value_text)
        match = [
            s["scope"] for s in announced or [] if s["population_digest"] == population.digest_hex
        ]
        if not match:
            raise InputError(
                _(
                    "{file}: its digest {digest}… is not announced; name the scope "
                    "(SCOPE=FILE), and give --salt SCOPE=HEX for a confidential list"
                ).format(file=value_text, digest=population.digest_hex[:16])
            )
        result[match[0]] = population
    return result
