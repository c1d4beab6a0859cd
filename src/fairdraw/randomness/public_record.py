"""``public-record``: numbers published by a public lottery or an index on an announced date.

For offices whose network cannot reach a beacon: the numbers (for example a China Welfare
Lottery draw) are typed in by hand and anyone can check them against the public source. They
enter the seed in RFC 3797's canonical form: each list of numbers sorted ascending, each number
in decimal followed by ``.``, each list followed by ``/`` (``7.8.11.18.28.40.48./``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fairdraw.errors import CeremonyError, InputError
from fairdraw.i18n import _
from fairdraw.labels import check_label
from fairdraw.randomness.base import EntropySource
from fairdraw.times import parse_time

__all__ = ["PublicRecordSource", "public_record_key"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def public_record_key(numbers: Sequence[Sequence[int]]) -> str:
    """The RFC 3797 key string: each list sorted, numbers followed by ``.``, lists by ``/``."""
    return "".join("".join(f"{n}." for n in sorted(group)) + "/" for group in numbers)


class PublicRecordSource(EntropySource):
    """Numbers from a public record, published after the announcement's day."""

    type = "public-record"

    def _check(self, spec: Mapping[str, Any], participants: set[str], announced: datetime) -> None:
        source_id = spec["id"]
        if not isinstance(spec.get("description"), str) or not spec["description"].strip():
            raise CeremonyError(
                _("source {source_id!r}: describe the public record").format(source_id=source_id)
            )
        if "time" in spec or "publisher" in spec:  # ceremony v2: who publishes it, and when
            try:
                check_label(spec.get("publisher"))
            except InputError as err:
                raise CeremonyError(
                    _("source {source_id!r}: name the publisher: {err}").format(
                        source_id=source_id, err=err
                    )
                ) from err
            if (
                parse_time(
                    spec.get("time"), _("source {source_id!r} time").format(source_id=source_id)
                )
                <= announced
            ):
                raise CeremonyError(
                    _(
                        "source {source_id!r}: the public record must be drawn after the "
                        "announcement"
                    ).format(source_id=source_id)
                )
        else:
            if not isinstance(spec.get("date"), str) or not _DATE.fullmatch(spec["date"]):
                raise CeremonyError(
                    _("source {source_id!r}: date must be YYYY-MM-DD").format(source_id=source_id)
                )
            if spec["date"] <= announced.strftime("%Y-%m-%d"):
                raise CeremonyError(
                    _(
                        "source {source_id!r}: the public record must be published after the "
                        "announcement's day"
                    ).format(source_id=source_id)
                )
        self.require_int(spec, "draws", 1)
        self.require_int(spec, "bits", 1)

    def _outcomes(self, spec: Mapping[str, Any]) -> int:
        return 1 << int(spec["bits"])

    def _value_bytes(self, spec: Mapping[str, Any], value: Mapping[str, Any]) -> bytes:
        groups = value.get("numbers")
        if (
            not isinstance(groups, list)
            or len(groups) != spec["draws"]
            or not all(isinstance(g, list) and g for g in groups)
            or not all(
                isinstance(n, int) and not isinstance(n, bool) and n >= 0 for g in groups for n in g
            )
        ):
            raise CeremonyError(
                _("source {id!r}: give {draws} non-empty list(s) of whole numbers").format(
                    id=spec["id"], draws=spec["draws"]
                )
            )
        return public_record_key(groups).encode()
