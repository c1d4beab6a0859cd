"""A ceremony's events and what they say so far: its version, its state, what is missing
(ceremony specs v1 and v2). :class:`~fairdraw.ceremony.Ceremony` adds the steps."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from fairdraw.ceremony.events import (
    CEREMONY_SPEC_V1,
    EVENT_MEDIA_TYPES,
    GENESIS,
    event_hash,
    sign_event,
)
from fairdraw.ceremony.rules import announced_keys, source_class
from fairdraw.ceremony.sources import source_type
from fairdraw.errors import CeremonyError
from fairdraw.i18n import _
from fairdraw.signing import OfficeKey
from fairdraw.times import format_time, now, parse_time

__all__ = ["CeremonyState"]


class CeremonyState:
    """The signed events of a ceremony so far, and the office key that signs more."""

    def __init__(self, events: Sequence[Mapping[str, Any]], key: OfficeKey | None) -> None:
        self._events = [dict(e) for e in events]
        self._key = key
        self._damaged: tuple[Path, ...] = ()

    # -- state ------------------------------------------------------------------------------

    @property
    def events(self) -> list[dict[str, Any]]:
        """The signed events so far (copies)."""
        return json.loads(json.dumps(self._events))  # type: ignore[no-any-return]

    @property
    def announcement(self) -> dict[str, Any]:
        """The body of the announcement."""
        body: dict[str, Any] = self._events[0]["event"]["body"]
        return body

    @property
    def draw_id(self) -> str:
        """The ceremony's id."""
        value: str = self._events[0]["event"]["draw_id"]
        return value

    def _bodies(self, kind: str) -> list[dict[str, Any]]:
        return [e["event"]["body"] for e in self._events if e["event"]["kind"] == kind]

    @property
    def version(self) -> int:
        """The ceremony spec version the ceremony follows: 1 or 2."""
        return 1 if self._events[0]["event"]["spec"] == CEREMONY_SPEC_V1 else 2

    @property
    def state(self) -> str:
        """``committing``, ``entering`` (v2: entered values such as dice), ``revealing``,
        ``collecting`` (beacons; in v1 every public value), ``seeded``, ``drawn`` or
        ``aborted``."""
        kinds = [e["event"]["kind"] for e in self._events]
        if "abort" in kinds:
            return "aborted"
        if "draw" in kinds:
            return "drawn"
        if "seed" in kinds:
            return "seeded"
        if self._missing("commit"):
            return "committing"
        if self.version == 2 and self._missing_of("entered"):
            return "entering"
        return "collecting" if not self._missing("reveal") else "revealing"

    def _local_sources(self) -> list[dict[str, Any]]:
        return [s for s in self.announcement["sources"] if not source_type(s).takes_value]

    def _missing(self, kind: str) -> list[str]:
        done = {b["source"] for b in self._bodies(kind)}
        return [s["id"] for s in self._local_sources() if s["id"] not in done]

    def _missing_of(self, kind: str) -> list[str]:
        return [i for i in self.missing_values() if source_class(self._source(i)) == kind]

    def missing_values(self) -> list[str]:
        """Ids of the public sources (dice, beacons, records) without a value yet."""
        done = {b["source"] for b in self._bodies("randomness")}
        return [
            s["id"]
            for s in self.announcement["sources"]
            if source_type(s).takes_value and s["id"] not in done
        ]

    def body_of(self, kind: str, source_id: str | None = None) -> dict[str, Any] | None:
        """The body of the recorded ``kind`` event (of ``source_id``, for a source's step), or None.

        A re-run of a step asks this to tell a step already done from one still to do.
        """
        for body in self._bodies(kind):
            if source_id is None or body.get("source") == source_id:
                return dict(body)
        return None

    def participant_of(self, source_id: str) -> str:
        """The participant who holds the secret of the ``local`` source ``source_id``.

        Raises:
            CeremonyError: no such source, or it is not a local secret.
        """
        participant: str = self._local(source_id)["participant"]
        return participant

    def holds_key(self, participant: str) -> bool:
        """Whether the participant signs their own statements (v2): the office cannot act for
        them, and takes their signed statements instead (:meth:`accept`)."""
        return self.version == 2 and participant in announced_keys(
            self.announcement["participants"]
        )

    def _source(self, source_id: str) -> dict[str, Any]:
        for spec in self.announcement["sources"]:
            if spec["id"] == source_id:
                return dict(spec)
        raise CeremonyError(
            _("source {source_id!r} is not in the announcement").format(source_id=source_id)
        )

    # -- internals --------------------------------------------------------------------------

    def _local(self, source_id: str) -> dict[str, Any]:
        spec = self._source(source_id)
        if source_type(spec).takes_value:
            raise CeremonyError(
                _("source {source_id!r} is {type}: it takes a value").format(
                    source_id=source_id, type=spec["type"]
                )
            )
        return spec

    def _signer(self) -> OfficeKey:
        if self._key is None:
            raise CeremonyError(_("the office key is needed to sign"))
        return self._key

    def _step_time(self, at: datetime | None) -> datetime:
        when = at or now()
        if self._events and when < parse_time(self._events[-1]["event"]["time"]):
            raise CeremonyError(_("an event cannot be earlier than the one before it"))
        return when

    def _refuse_keyed(self, participant: str, what: str) -> None:
        if self.holds_key(participant):
            raise CeremonyError(
                _(
                    "{participant!r} holds their own key: their {what} is their signed "
                    "statement (fairdraw participant …), which the office records with "
                    "accept()"
                ).format(participant=participant, what=what)
            )

    def _signed(self, body: dict[str, Any], signature: str | None) -> dict[str, Any]:
        """A v2 body carries the participant's signature, or null (a v1 body has none)."""
        return {**body, "signature": signature} if self.version == 2 else body

    def _append(
        self,
        kind: str,
        body: Mapping[str, Any],
        when: datetime,
        *,
        draw_id: str | None = None,
        spec: str | None = None,
    ) -> None:
        previous = event_hash(self._events[-1]) if self._events else GENESIS
        version = spec or self._events[0]["event"]["spec"]
        event = {
            "media_type": EVENT_MEDIA_TYPES[version],
            "spec": version,
            "draw_id": draw_id or self.draw_id,
            "sequence": len(self._events),
            "kind": kind,
            "time": format_time(when),
            "previous": previous,
            "body": dict(body),
        }
        self._events.append(sign_event(self._signer(), event))
