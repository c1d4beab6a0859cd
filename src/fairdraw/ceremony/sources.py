"""The registry of entropy source types a ceremony accepts (ceremony spec v1, section 3).

Each type lives in its own module of :mod:`fairdraw.randomness` behind the
:class:`~fairdraw.randomness.base.EntropySource` interface; this module looks them up by name and
applies the rules that concern all of them together (the entropy rule).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fairdraw.errors import CeremonyError, InputError
from fairdraw.i18n import _
from fairdraw.labels import check_label
from fairdraw.randomness.base import EntropySource
from fairdraw.randomness.dice import DiceSource
from fairdraw.randomness.drand import DrandSource
from fairdraw.randomness.local import (
    MIN_SECRET_BYTES,
    LocalSource,
    check_reveal,
    commitment,
    new_secret,
)
from fairdraw.randomness.nist import NistSource
from fairdraw.randomness.public_record import PublicRecordSource, public_record_key

__all__ = [
    "MIN_ENTROPY_BITS",
    "MIN_SECRET_BYTES",
    "SOURCES",
    "check_entropy",
    "check_reveal",
    "check_source",
    "commitment",
    "new_secret",
    "public_record_key",
    "seed_inputs",
    "source_type",
    "value_bytes",
]

MIN_ENTROPY_BITS = 128

SOURCES: dict[str, EntropySource] = {
    source.type: source
    for source in (LocalSource(), DiceSource(), DrandSource(), NistSource(), PublicRecordSource())
}
"""Every source type, by the name an announcement uses."""


def source_type(spec: Mapping[str, Any]) -> EntropySource:
    """The source type an announced entry names.

    Raises:
        CeremonyError: the type is unknown.
    """
    source = SOURCES.get(str(spec.get("type")))
    if source is None:
        raise CeremonyError(
            _("source {id!r}: unknown type {type!r}; known: {names}").format(
                id=spec.get("id"), type=spec.get("type"), names=", ".join(SOURCES)
            )
        )
    return source


def check_source(spec: Mapping[str, Any], participants: set[str], announced: datetime) -> None:
    """Check one source entry of an announcement (its id, then its type's own rules).

    Raises:
        CeremonyError: the entry breaks a rule.
    """
    try:
        check_label(spec.get("id"))
    except InputError as err:
        raise CeremonyError(_("a source id must be a label: {err}").format(err=err)) from err
    source_type(spec).check(spec, participants, announced)


def check_entropy(sources: Sequence[Mapping[str, Any]]) -> None:
    """Refuse sources that total under 128 bits unless a beacon is among them.

    The total is compared exactly: the product of each source's number of equally likely
    outcomes against 2^128.

    Raises:
        CeremonyError: too little entropy and no beacon.
    """
    types = [source_type(spec) for spec in sources]
    if any(t.is_beacon for t in types):
        return
    outcomes = 1
    for spec, kind in zip(sources, types, strict=True):
        outcomes *= kind.outcomes(spec)
    if outcomes < 1 << MIN_ENTROPY_BITS:
        raise CeremonyError(
            _(
                "the announced sources total {bits} bits of entropy; at least "
                "{needed} are needed unless a drand or NIST beacon is a "
                "source (for example 50 rolls of a six-sided die give 129 bits)"
            ).format(bits=outcomes.bit_length() - 1, needed=MIN_ENTROPY_BITS)
        )


def seed_inputs(
    sources: Sequence[Mapping[str, Any]],
    reveals: Mapping[str, Mapping[str, Any]],
    values: Mapping[str, Mapping[str, Any]],
) -> list[tuple[str, bytes]]:
    """(source id, bytes) for the seed, in announced order, from reveal and value event bodies.

    Raises:
        CeremonyError: a source has no reveal or value, or a value does not fit.
        VerificationError: a beacon value does not verify.
    """
    inputs = []
    for spec in sources:
        if spec["id"] not in (values if source_type(spec).takes_value else reveals):
            raise CeremonyError(
                _("source {id!r} has no value or reveal in the record").format(id=spec["id"])
            )
        if source_type(spec).takes_value:
            inputs.append((spec["id"], value_bytes(spec, values[spec["id"]]["value"])))
        else:
            secret = reveals[spec["id"]]["secret"]
            try:
                inputs.append((spec["id"], bytes.fromhex(secret)))
            except (TypeError, ValueError) as err:
                raise CeremonyError(
                    _("the secret of {id!r} is not hex").format(id=spec["id"])
                ) from err
    return inputs


def value_bytes(spec: Mapping[str, Any], value: Mapping[str, Any]) -> bytes:
    """Check a contributed value against its announced source and return the seed bytes."""
    return source_type(spec).value_bytes(spec, value)
