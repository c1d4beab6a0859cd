"""The ceremony: announce → commit → reveal → randomness → seed → draw (ceremony spec v1).

:class:`Ceremony` walks the steps in order, refuses any step out of order or past its deadline,
signs and hash-links every event, and can be saved to a directory of JSON files and resumed
between steps. The office's key signs; participants keep their own secrets.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from fairdraw.canonical import canonical_json
from fairdraw.ceremony.events import (
    CEREMONY_SPEC,
    EVENT_MEDIA_TYPE,
    GENESIS,
    event_hash,
    hex_bytes,
    sign_event,
    sign_record,
    verify_events,
)
from fairdraw.ceremony.folder import read_event_files, save_events
from fairdraw.ceremony.sources import (
    check_entropy,
    check_reveal,
    check_source,
    commitment,
    new_secret,
    seed_inputs,
    source_type,
    value_bytes,
)
from fairdraw.errors import CeremonyError, InputError
from fairdraw.labels import check_label
from fairdraw.population import Population
from fairdraw.primitives import lp
from fairdraw.rates import format_rate, parse_rate
from fairdraw.sampling import Draw, draw_exact, draw_rate
from fairdraw.signing import OfficeKey
from fairdraw.times import format_time, now, parse_time

__all__ = ["Ceremony", "ScopePlan", "new_secret", "seed_from"]

SEED_TAG = b"fairdraw/v1/seed\x00"


@attrs.frozen(kw_only=True)
class ScopePlan:
    """One scope to announce: its population and its parameters (give ``k`` or ``rate``).

    A confidential scope's population must carry a 32-byte salt (``Population.of(…, salt=…)``);
    its size is then left out of the announcement.
    """

    scope: str
    population: Population
    k: int | None = None
    alternates: int = 0
    rate: str | Fraction | None = None
    confidential: bool = False

    def to_json(self) -> dict[str, Any]:
        """The announcement entry of this scope."""
        check_label(self.scope)
        if (self.k is None) == (self.rate is None):
            raise CeremonyError(f"scope {self.scope!r}: give either k or rate")
        if self.confidential and not self.population.salt:
            raise CeremonyError(f"scope {self.scope!r}: a confidential list needs a salt")
        entry: dict[str, Any] = {
            "scope": self.scope,
            "population_digest": self.population.digest_hex,
            "population_size": None if self.confidential else len(self.population),
            "confidential": self.confidential,
        }
        if self.k is not None:
            if self.k > len(self.population) or self.k < 0 or self.alternates < 0:
                raise CeremonyError(f"scope {self.scope!r}: k must be 0 to the population size")
            entry.update(mode="exact", k=self.k, alternates=self.alternates)
        else:
            entry.update(mode="rate", rate=format_rate(parse_rate(self.rate or "0")))
        return entry


def seed_from(announcement: Mapping[str, Any], values: Sequence[tuple[str, bytes]]) -> bytes:
    """``H("fairdraw/v1/seed" 0x00 ‖ H(JCS(announcement)) ‖ lp(id_i) ‖ lp(value_i) …)``."""
    data = SEED_TAG + hashlib.sha256(canonical_json(announcement)).digest()
    for source_id, value in values:
        data += lp(source_id.encode()) + lp(value)
    return hashlib.sha256(data).digest()


def draw_scope(entry: Mapping[str, Any], seed: bytes, labels: Population) -> Draw:
    """Draw one announced scope from its population."""
    if entry["mode"] == "exact":
        return draw_exact(seed, entry["scope"], labels, entry["k"], alternates=entry["alternates"])
    return draw_rate(seed, entry["scope"], labels, entry["rate"])


def result_json(entry: Mapping[str, Any], draw: Draw) -> dict[str, Any]:
    """The published result of one scope (ceremony spec v1, section 2.5)."""
    return {
        "scope": draw.scope,
        "subseed": draw.subseed,
        "population_digest": entry["population_digest"],
        "population_size": entry["population_size"],
        "selected": [pick.to_dict() for pick in draw.selected],
        "alternates": [pick.to_dict() for pick in draw.alternates],
    }


class Ceremony:
    """A ceremony in progress: its signed events so far, and the office key that signs more."""

    def __init__(self, events: Sequence[Mapping[str, Any]], key: OfficeKey | None) -> None:
        self._events = [dict(e) for e in events]
        self._key = key
        self._damaged: tuple[Path, ...] = ()

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def announce(
        cls,
        key: OfficeKey,
        *,
        draw_id: str,
        office: str,
        scopes: Sequence[ScopePlan],
        participants: Sequence[Mapping[str, str]],
        sources: Sequence[Mapping[str, Any]],
        commit_deadline: datetime,
        reveal_deadline: datetime,
        policy: Mapping[str, str] | None = None,
        supersedes: Mapping[str, str] | None = None,
        at: datetime | None = None,
    ) -> Ceremony:
        """Check and sign the announcement: the first event of a new ceremony.

        Raises:
            CeremonyError: a scope, participant, source or deadline breaks the rules, or the
                sources carry too little entropy.
        """
        when = at or now()
        try:
            check_label(draw_id)
        except InputError as err:
            raise CeremonyError(f"the draw id must be a label: {err}") from err
        scope_entries = [plan.to_json() for plan in scopes]
        names = [entry["scope"] for entry in scope_entries]
        if not names or len(set(names)) != len(names):
            raise CeremonyError("announce at least one scope, each with its own name")
        ids = [p.get("id", "") for p in participants]
        for pid in ids:
            check_label(pid)
        if len(set(ids)) != len(ids):
            raise CeremonyError("participant ids must be unique")
        source_ids = [s.get("id") for s in sources]
        if not sources or len(set(source_ids)) != len(source_ids):
            raise CeremonyError("announce at least one source, each with its own id")
        for spec in sources:
            check_source(spec, set(ids), when)
        check_entropy(sources)
        if not when < commit_deadline <= reveal_deadline:
            raise CeremonyError("deadlines must follow the announcement: commit, then reveal")
        if supersedes is not None and not {"draw_id", "reason", "approver"} <= set(supersedes):
            raise CeremonyError("supersedes needs the old draw_id, a reason and an approver")
        body = {
            "office": office,
            "office_key": key.public.to_json(),
            "policy": dict(policy) if policy else None,
            "scopes": scope_entries,
            "participants": [dict(p) for p in participants],
            "sources": [dict(s) for s in sources],
            "deadlines": {
                "commit": format_time(commit_deadline),
                "reveal": format_time(reveal_deadline),
            },
            "on_missing_reveal": "abort",
            "supersedes": dict(supersedes) if supersedes else None,
        }
        ceremony = cls([], key)
        ceremony._append("announce", body, when, draw_id=draw_id)
        return ceremony

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
    def state(self) -> str:
        """``committing``, ``revealing``, ``collecting`` (public values), ``seeded``, ``drawn``
        or ``aborted``."""
        kinds = [e["event"]["kind"] for e in self._events]
        if "abort" in kinds:
            return "aborted"
        if "draw" in kinds:
            return "drawn"
        if "seed" in kinds:
            return "seeded"
        if not self._missing("commit"):
            return "collecting" if not self._missing("reveal") else "revealing"
        return "committing"

    def _local_sources(self) -> list[dict[str, Any]]:
        return [s for s in self.announcement["sources"] if not source_type(s).takes_value]

    def _missing(self, kind: str) -> list[str]:
        done = {b["source"] for b in self._bodies(kind)}
        return [s["id"] for s in self._local_sources() if s["id"] not in done]

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

    def _source(self, source_id: str) -> dict[str, Any]:
        for spec in self.announcement["sources"]:
            if spec["id"] == source_id:
                return dict(spec)
        raise CeremonyError(f"source {source_id!r} is not in the announcement")

    # -- steps ------------------------------------------------------------------------------

    def commit(self, source_id: str, value: bytes, *, at: datetime | None = None) -> None:
        """Record a participant's commitment for a ``local`` source."""
        when = self._step_time(at)
        spec = self._local(source_id)
        if self.state != "committing" or source_id not in self._missing("commit"):
            raise CeremonyError(f"source {source_id!r} cannot commit now (state {self.state})")
        if when > parse_time(self.announcement["deadlines"]["commit"]):
            raise CeremonyError("the commit deadline has passed")
        if len(value) != 32:
            raise CeremonyError("a commitment is 32 bytes")
        body = {"participant": spec["participant"], "source": source_id, "commitment": value.hex()}
        self._append("commit", body, when)

    def commit_secret(self, source_id: str, secret: bytes, *, at: datetime | None = None) -> None:
        """Commit to ``secret`` on behalf of the source's participant."""
        participant = self.participant_of(source_id)
        self.commit(source_id, commitment(self.draw_id, participant, secret), at=at)

    def reveal(self, source_id: str, secret: bytes, *, at: datetime | None = None) -> None:
        """Record a revealed secret; it must match the commitment."""
        when = self._step_time(at)
        spec = self._local(source_id)
        if self.state != "revealing" or source_id not in self._missing("reveal"):
            raise CeremonyError(f"source {source_id!r} cannot reveal now (state {self.state})")
        if when > parse_time(self.announcement["deadlines"]["reveal"]):
            raise CeremonyError("the reveal deadline has passed; the ceremony must be aborted")
        committed = next(b for b in self._bodies("commit") if b["source"] == source_id)
        check_reveal(
            self.draw_id, spec["participant"], secret, hex_bytes(committed["commitment"], "c")
        )
        self._append(
            "reveal",
            {"participant": spec["participant"], "source": source_id, "secret": secret.hex()},
            when,
        )

    def add_value(
        self, source_id: str, value: Mapping[str, Any], *, at: datetime | None = None
    ) -> bytes:
        """Record a public source's value (dice rolls, a beacon, a public record), verified."""
        when = self._step_time(at)
        if self.state != "collecting":
            raise CeremonyError(
                f"public values come after every reveal (state {self.state}); "
                f"missing: {', '.join(self._missing('reveal') or self._missing('commit'))}"
            )
        if source_id not in self.missing_values():
            raise CeremonyError(f"source {source_id!r} has no value to add")
        spec = self._source(source_id)
        due = spec.get("round_time") or spec.get("pulse_time")
        if due is not None and when < parse_time(due):
            raise CeremonyError(f"the value of {source_id!r} is not due until {due}")
        result = value_bytes(spec, value)
        self._append("randomness", {"source": source_id, "value": dict(value)}, when)
        return result

    def seed(self, *, at: datetime | None = None) -> bytes:
        """Compute and record the seed from the announcement and every source's value."""
        when = self._step_time(at)
        if self.state != "collecting" or self.missing_values():
            raise CeremonyError(f"the seed needs every source first (state {self.state})")
        value = seed_from(self._events[0], self.source_values())
        self._append(
            "seed", {"announcement": event_hash(self._events[0]), "seed": value.hex()}, when
        )
        return value

    def source_values(self) -> list[tuple[str, bytes]]:
        """(source id, value bytes) in announced order, from the recorded events."""
        return seed_inputs(
            self.announcement["sources"],
            {b["source"]: b for b in self._bodies("reveal")},
            {b["source"]: b for b in self._bodies("randomness")},
        )

    def draw(
        self, populations: Mapping[str, Population], *, at: datetime | None = None
    ) -> dict[str, Any]:
        """Draw every scope and return the signed draw record.

        Raises:
            CeremonyError: not seeded yet, or a population is missing or is not the one announced.
        """
        when = self._step_time(at)
        if self.state != "seeded":
            raise CeremonyError(f"draw after the seed (state {self.state})")
        seed = hex_bytes(self._bodies("seed")[0]["seed"], "seed")
        results = []
        for entry in self.announcement["scopes"]:
            population = populations.get(entry["scope"])
            if population is None:
                raise CeremonyError(f"the population of scope {entry['scope']!r} is needed")
            if population.digest_hex != entry["population_digest"]:
                raise CeremonyError(
                    f"scope {entry['scope']!r}: this population's digest is "
                    f"{population.digest_hex}, not the announced {entry['population_digest']}"
                )
            results.append(result_json(entry, draw_scope(entry, seed, population)))
        self._append("draw", {"results": results}, when)
        return self.record()

    def abort(self, reason: str, *, at: datetime | None = None) -> dict[str, Any]:
        """End the ceremony without a draw; returns the signed record of what happened."""
        when = self._step_time(at)
        if self.state in {"drawn", "aborted"}:
            raise CeremonyError(f"a {self.state} ceremony cannot be aborted")
        if not reason.strip():
            raise CeremonyError("say why the ceremony is aborted")
        self._append("abort", {"reason": reason}, when)
        return self.record()

    def enforce_deadlines(self, *, at: datetime | None = None) -> bool:
        """Apply the announced rule: abort if a secret is unrevealed after the reveal deadline.

        Returns:
            True if the ceremony was aborted now.
        """
        when = at or now()
        if self.state in {"committing", "revealing"}:
            deadline_kind = "commit" if self.state == "committing" else "reveal"
            if when > parse_time(self.announcement["deadlines"][deadline_kind]):
                missing = self._missing(deadline_kind)
                self.abort(
                    f"no {deadline_kind} from source(s) {', '.join(missing)} by the "
                    f"{deadline_kind} deadline; on_missing_reveal = abort",
                    at=when,
                )
                return True
        return False

    def record(self) -> dict[str, Any]:
        """The signed draw record of the events so far."""
        return sign_record(self._signer(), self.draw_id, self._events)

    # -- persistence ------------------------------------------------------------------------

    @property
    def damaged_files(self) -> tuple[Path, ...]:
        """A damaged last event file :meth:`load` left out (``allow_damaged_tail``), if any."""
        return self._damaged

    def save(self, directory: str | Path) -> None:
        """Write every new event to ``directory/events/NNN-kind.json``, each file atomically.

        Events already on disk must match (events never change). A damaged last file that
        :meth:`load` left out is renamed ``NNN-kind.json.damaged`` before the event that takes
        its place is written, so it is kept for inspection but never read again.

        Raises:
            CeremonyError: a file on disk differs from the ceremony's event.
            OSError: an event file cannot be written (the events before it are on disk).
        """
        self._damaged = save_events(Path(directory) / "events", self._events, self._damaged)

    @classmethod
    def load(
        cls,
        directory: str | Path,
        key: OfficeKey | None = None,
        *,
        allow_damaged_tail: bool = False,
    ) -> Ceremony:
        """Resume a saved ceremony; its events are verified first.

        Only files named ``NNN-kind.json`` are events: the temporary files of an interrupted
        atomic write (``.NNN-kind.json.XXXX.tmp``) and set-aside ``*.damaged`` files are not.

        Args:
            directory: the ceremony's directory (events in ``events/``).
            key: the office key, to sign further steps.
            allow_damaged_tail: leave out an empty or cut-short *last* event file (older
                fairdraw versions wrote events in place, and a kill could leave one) instead of
                refusing; it is listed in :attr:`damaged_files`. For ``abort`` and ``status``.

        Raises:
            CeremonyError: no events, a damaged event file, or files out of sequence.
            VerificationError: a signature or link does not check out.
        """
        events, damaged = read_event_files(Path(directory), allow_damaged_tail=allow_damaged_tail)
        verify_events(events)
        ceremony = cls(events, key)
        ceremony._damaged = damaged
        if key is not None and key.key_id != ceremony.announcement["office_key"]["key_id"]:
            raise CeremonyError("this key is not the one the announcement names")
        return ceremony

    # -- internals --------------------------------------------------------------------------

    def _local(self, source_id: str) -> dict[str, Any]:
        spec = self._source(source_id)
        if source_type(spec).takes_value:
            raise CeremonyError(f"source {source_id!r} is {spec['type']}: it takes a value")
        return spec

    def _signer(self) -> OfficeKey:
        if self._key is None:
            raise CeremonyError("the office key is needed to sign")
        return self._key

    def _step_time(self, at: datetime | None) -> datetime:
        when = at or now()
        if self._events and when < parse_time(self._events[-1]["event"]["time"]):
            raise CeremonyError("an event cannot be earlier than the one before it")
        return when

    def _append(
        self, kind: str, body: Mapping[str, Any], when: datetime, *, draw_id: str | None = None
    ) -> None:
        previous = event_hash(self._events[-1]) if self._events else GENESIS
        event = {
            "media_type": EVENT_MEDIA_TYPE,
            "spec": CEREMONY_SPEC,
            "draw_id": draw_id or self.draw_id,
            "sequence": len(self._events),
            "kind": kind,
            "time": format_time(when),
            "previous": previous,
            "body": dict(body),
        }
        self._events.append(sign_event(self._signer(), event))
