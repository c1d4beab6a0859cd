"""The ceremony: announce → commit → enter → reveal → beacons → seed → draw (ceremony spec v2;
v1 ceremonies, whose entered values came after the reveals, can still be run and resumed).

:class:`Ceremony` walks the steps in order, refuses any step out of order or past its deadline,
signs and hash-links every event, and can be saved to a directory of JSON files and resumed
between steps. The office's key signs; a participant with their own key signs their own
statements (:meth:`Ceremony.accept`), so the office never holds their secret before the reveal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from fairdraw.ceremony.announcing import announcement_body
from fairdraw.ceremony.events import (
    event_hash,
    hex_bytes,
    sign_record,
    verify_events,
)
from fairdraw.ceremony.folder import read_event_files, save_events
from fairdraw.ceremony.rules import (
    check_due_after_values,
    check_witness,
    closing_of,
    due_of,
    parse_statement,
    source_class,
)
from fairdraw.ceremony.scopes import ScopePlan, scope_result, seed_from
from fairdraw.ceremony.sources import (
    check_reveal,
    commitment,
    new_secret,
    seed_inputs,
    value_bytes,
)
from fairdraw.ceremony.state import CeremonyState
from fairdraw.ceremony.timestamps import check_timestamp, timestamp_body
from fairdraw.errors import CeremonyError
from fairdraw.i18n import _
from fairdraw.population import Population
from fairdraw.signing import OfficeKey
from fairdraw.times import format_time, now, parse_time

__all__ = ["Ceremony", "ScopePlan", "new_secret", "seed_from"]


class Ceremony(CeremonyState):
    """A ceremony in progress: its signed events so far, and the office key that signs more."""

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
        single_party_reason: str | None = None,
        version: int = 2,
    ) -> Ceremony:
        """Check and sign the announcement: the first event of a new ceremony.

        Args:
            participants: ``{"id", "role"}`` entries; in v2 also ``key`` (a participant's own
                public key, ``PublicKey.to_json()``, or None), and further string members.
            sources: the source entries; v2 adds each one's ``controllers`` itself.
            single_party_reason: (v2) why the office runs a ceremony one party alone could
                steer; such a ceremony is refused without one.
            version: 2 (the default) or 1, for replaying and testing v1 ceremonies.

        Raises:
            CeremonyError: a scope, participant, source or deadline breaks the rules, the
                sources carry too little entropy, or one party alone could steer the draw and
                no reason is given.
        """
        when = at or now()
        spec_name, body = announcement_body(
            key.public.to_json(),
            draw_id=draw_id,
            office=office,
            scopes=scopes,
            participants=participants,
            sources=sources,
            deadlines=(commit_deadline, reveal_deadline),
            policy=policy,
            supersedes=supersedes,
            when=when,
            single_party_reason=single_party_reason,
            version=version,
        )
        ceremony = cls([], key)
        ceremony._append("announce", body, when, draw_id=draw_id, spec=spec_name)
        return ceremony

    # -- steps ------------------------------------------------------------------------------

    def commit(self, source_id: str, value: bytes, *, at: datetime | None = None) -> None:
        """Record a participant's commitment for a ``local`` source (one without a key)."""
        self._refuse_keyed(self._local(source_id)["participant"], _("commitment"))
        self._commit(source_id, value, None, at)

    def _commit(
        self, source_id: str, value: bytes, signature: str | None, at: datetime | None
    ) -> None:
        when = self._step_time(at)
        spec = self._local(source_id)
        if self.state != "committing" or source_id not in self._missing("commit"):
            raise CeremonyError(
                _("source {source_id!r} cannot commit now (state {state})").format(
                    source_id=source_id, state=self.state
                )
            )
        if when > parse_time(self.announcement["deadlines"]["commit"]):
            raise CeremonyError(_("the commit deadline has passed"))
        if len(value) != 32:
            raise CeremonyError(_("a commitment is 32 bytes"))
        body: dict[str, Any] = {
            "participant": spec["participant"],
            "source": source_id,
            "commitment": value.hex(),
        }
        self._append("commit", self._signed(body, signature), when)

    def commit_secret(self, source_id: str, secret: bytes, *, at: datetime | None = None) -> None:
        """Commit to ``secret`` on behalf of the source's participant."""
        participant = self.participant_of(source_id)
        self.commit(source_id, commitment(self.draw_id, participant, secret), at=at)

    def reveal(self, source_id: str, secret: bytes, *, at: datetime | None = None) -> None:
        """Record a revealed secret (of a participant without a key); it must match the
        commitment."""
        self._refuse_keyed(self._local(source_id)["participant"], _("reveal"))
        self._reveal(source_id, secret, None, None, at)

    def _reveal(
        self,
        source_id: str,
        secret: bytes,
        closing: str | None,
        signature: str | None,
        at: datetime | None,
    ) -> None:
        when = self._step_time(at)
        spec = self._local(source_id)
        if self.state != "revealing" or source_id not in self._missing("reveal"):
            raise CeremonyError(
                _("source {source_id!r} cannot reveal now (state {state})").format(
                    source_id=source_id, state=self.state
                )
            )
        if when > parse_time(self.announcement["deadlines"]["reveal"]):
            raise CeremonyError(_("the reveal deadline has passed; the ceremony must be aborted"))
        committed = next(b for b in self._bodies("commit") if b["source"] == source_id)
        check_reveal(
            self.draw_id, spec["participant"], secret, hex_bytes(committed["commitment"], "c")
        )
        body: dict[str, Any] = {
            "participant": spec["participant"],
            "source": source_id,
            "secret": secret.hex(),
        }
        if self.version == 2:
            expected = closing_of(self._events)
            if closing is not None and closing != expected:
                raise CeremonyError(
                    _(
                        "the reveal of {source_id!r} was made after event {closing}…, not after "
                        "this ceremony's last commitment and entered value ({expected}…)"
                    ).format(source_id=source_id, closing=closing[:16], expected=expected[:16])
                )
            body = self._signed({**body, "closing": expected}, signature)
        self._append("reveal", body, when)

    def add_value(
        self, source_id: str, value: Mapping[str, Any], *, at: datetime | None = None
    ) -> bytes:
        """Record a public source's value (dice rolls, a beacon, a public record), verified.

        In v2 dice come after every commitment and before the first reveal; a beacon after
        every reveal, once it is due.
        """
        spec = self._source(source_id)
        if source_class(spec) == "entered":
            self._refuse_keyed(str(spec.get("participant")), _("value"))
        return self._add_value(source_id, value, None, at)

    def _add_value(
        self,
        source_id: str,
        value: Mapping[str, Any],
        signature: str | None,
        at: datetime | None,
    ) -> bytes:
        when = self._step_time(at)
        spec = self._source(source_id)
        if source_id not in self.missing_values():
            raise CeremonyError(
                _("source {source_id!r} has no value to add").format(source_id=source_id)
            )
        phase = "collecting"
        if self.version == 2 and source_class(spec) == "entered":
            phase = "entering"
        if self.state != phase:
            raise CeremonyError(self._out_of_phase(source_id, phase))
        if phase == "entering" and when > parse_time(self.announcement["deadlines"]["reveal"]):
            raise CeremonyError(
                _(
                    "the value of {source_id!r} comes after the reveal deadline ({reveal}); "
                    "the ceremony must be aborted"
                ).format(source_id=source_id, reveal=self.announcement["deadlines"]["reveal"])
            )
        due = due_of(spec) if self.version == 2 else None
        if self.version == 1:
            text = spec.get("round_time") or spec.get("pulse_time")
            due = None if text is None else parse_time(text)
        if due is not None and when < due:
            raise CeremonyError(
                _("the value of {source_id!r} is not due until {due}").format(
                    source_id=source_id, due=format_time(due)
                )
            )
        if self.version == 2 and due is not None:
            check_due_after_values(spec, self.announcement, self._events)
        result = value_bytes(spec, value)
        body: dict[str, Any] = {"source": source_id, "value": dict(value)}
        if self.version == 2:
            roller = spec.get("participant") if signature is not None else None
            body = self._signed({**body, "participant": roller}, signature)
        self._append("randomness", body, when)
        return result

    def _out_of_phase(self, source_id: str, phase: str) -> str:
        if phase == "entering":
            return _(
                "the value of {source!r} is entered after every commitment and before the "
                "first reveal (state {state})"
            ).format(source=source_id, state=self.state)
        missing = self._missing("reveal") or self._missing("commit") or self._missing_of("entered")
        return _(
            "public values come after every reveal (state {state}); missing: {missing}"
        ).format(state=self.state, missing=_(", ").join(missing))

    def accept(self, signed: Mapping[str, Any], *, at: datetime | None = None) -> str:
        """Record a participant's signed statement (ceremony spec v2, section 3): a commitment,
        a witness of the announcement, their dice, or their reveal.

        Returns:
            The statement's act (``commit``, ``witness``, ``randomness`` or ``reveal``).

        Raises:
            CeremonyError: the statement is not for this ceremony or this step.
            VerificationError: its signature is not the participant's.
        """
        if self.version != 2:
            raise CeremonyError(_("participants' statements are a ceremony v2 step"))
        act, body = parse_statement(signed, self.draw_id, self.announcement["participants"])
        self._act(act, body, at)
        return str(act)

    def _act(self, act: str, body: Mapping[str, Any], at: datetime | None) -> None:
        source = body.get("source")
        if act != "witness" and self._source(str(source)).get("participant") != body["participant"]:
            raise CeremonyError(
                _("source {source!r} is not {participant!r}'s").format(
                    source=source, participant=body["participant"]
                )
            )
        if act == "commit":
            self._commit(
                str(source), hex_bytes(body["commitment"], "commitment"), body["signature"], at
            )
        elif act == "reveal":
            secret = hex_bytes(body["secret"], "secret")
            self._reveal(str(source), secret, body["closing"], body["signature"], at)
        elif act == "randomness":
            if source_class(self._source(str(source))) != "entered":
                raise CeremonyError(
                    _("source {source!r} takes no participant's value").format(source=source)
                )
            self._add_value(str(source), body["value"], body["signature"], at)
        else:
            self._witness(body, at)

    def _witness(self, body: Mapping[str, Any], at: datetime | None) -> None:
        when = self._step_time(at)
        if self.state in {"drawn", "aborted", "seeded"} or self._bodies("reveal"):
            raise CeremonyError(_("a witness signs the announcement before the first reveal"))
        check_witness(body, self._events, when)
        self._append("witness", dict(body), when)

    def add_timestamp(
        self,
        token: bytes,
        certificate_pem: bytes,
        authority: str,
        *,
        at: datetime | None = None,
    ) -> datetime:
        """Record an RFC 3161 timestamp over the announcement (ceremony spec v2, section 5.1).

        Args:
            token: the TSA's DER reply (:func:`fairdraw.timestamp.request_timestamp`).
            certificate_pem: the TSA certificate, then its chain up to a root (PEM).
            authority: the TSA's label, as its party id ``tsa:<authority>`` shows it.

        Returns:
            The TSA's time (whole seconds).

        Raises:
            CeremonyError: not a v2 ceremony, or a reveal was recorded already.
            VerificationError: the token does not verify against the certificate and the
                announcement, or its time is not between the announcement and ``at``.
        """
        when = self._step_time(at)
        if self.version != 2:
            raise CeremonyError(_("timestamps are a ceremony v2 step"))
        if self.state in {"drawn", "aborted", "seeded"} or self._bodies("reveal"):
            raise CeremonyError(_("a timestamp of the announcement comes before the first reveal"))
        body = timestamp_body(token, certificate_pem, authority)
        seen = check_timestamp(body, self._events, when)
        self._append("timestamp", body, when)
        return seen

    def seed(self, *, at: datetime | None = None) -> bytes:
        """Compute and record the seed from the announcement and every source's value."""
        when = self._step_time(at)
        if self.state != "collecting" or self.missing_values():
            raise CeremonyError(
                _("the seed needs every source first (state {state})").format(state=self.state)
            )
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
            raise CeremonyError(_("draw after the seed (state {state})").format(state=self.state))
        seed = hex_bytes(self._bodies("seed")[0]["seed"], "seed")
        results = []
        for entry in self.announcement["scopes"]:
            population = populations.get(entry["scope"])
            if population is None:
                raise CeremonyError(
                    _("the population of scope {scope!r} is needed").format(scope=entry["scope"])
                )
            if population.digest_hex != entry["population_digest"]:
                raise CeremonyError(
                    _(
                        "scope {scope!r}: this population's digest is {digest_hex}, not the "
                        "announced {population_digest}"
                    ).format(
                        scope=entry["scope"],
                        digest_hex=population.digest_hex,
                        population_digest=entry["population_digest"],
                    )
                )
            results.append(scope_result(entry, seed, population, draw_id=self.draw_id))
        self._append("draw", {"results": results}, when)
        return self.record()

    def abort(self, reason: str, *, at: datetime | None = None) -> dict[str, Any]:
        """End the ceremony without a draw; returns the signed record of what happened."""
        when = self._step_time(at)
        if self.state in {"drawn", "aborted"}:
            raise CeremonyError(_("a {state} ceremony cannot be aborted").format(state=self.state))
        if not reason.strip():
            raise CeremonyError(_("say why the ceremony is aborted"))
        self._append("abort", {"reason": reason}, when)
        return self.record()

    def enforce_deadlines(self, *, at: datetime | None = None) -> bool:
        """Apply the announced rule: abort if a secret is unrevealed after the reveal deadline.

        Returns:
            True if the ceremony was aborted now.
        """
        when = at or now()
        if self.state in {"committing", "entering", "revealing"}:
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
            raise CeremonyError(_("this key is not the one the announcement names"))
        return ceremony
