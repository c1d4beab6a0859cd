"""Who could have chosen a draw's outcome: the record turned into the model of ceremony spec v2,
section 7, and the result in plain words.

:func:`steering_of` reads a record's announcement and events (v1 or v2) and applies the rule of
:mod:`fairdraw.ceremony.steering` twice: *as recorded* (trusting the office's clock for the order
of its events against the beacons) and *as attested* (only witnesses vouch for that order). A v1
record gets the same analysis: its participants hold no keys, so the office controls every value
it typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import attrs

from fairdraw.ceremony.events import CEREMONY_SPEC, event_hash
from fairdraw.ceremony.rules import (
    DUE_MEMBER,
    OFFICE,
    announced_keys,
    check_statement_signature,
    check_witness,
    controllers_of,
    due_of,
    source_class,
)
from fairdraw.ceremony.steering import NEG_INF, Knower, Model, Steering, Value, analyse
from fairdraw.ceremony.timestamps import tsa_attesters
from fairdraw.errors import FairdrawError
from fairdraw.i18n import _, speaking
from fairdraw.times import BEIJING, format_time, parse_time

__all__ = [
    "SteeringReport",
    "beijing_time",
    "outcome_known_before_abort",
    "party_names",
    "planned_alone",
    "record_steering",
    "steering_of",
]

Status = Literal["passed", "failed", "not checked"]
_LATER = (datetime.max.replace(tzinfo=UTC), 2, 0)
"""The moment of a step a record does not have (yet)."""
_OUTSIDE_NAMES = {
    "drand": ("drand 网络", "the drand network"),
    "nist": ("美国国家标准与技术研究院（NIST）随机信标", "the NIST Randomness Beacon"),
}


@attrs.frozen(kw_only=True)
class SteeringReport:
    """The analysis of one record, in the words a report shows.

    Attributes:
        status: ``failed`` when one party alone could have chosen the outcome as recorded;
            ``not checked`` when only the office's clock shows that the announcement came before
            a beacon (the office alone could have announced after it); else ``passed``.
        coalitions: the smallest groups who together could have chosen the outcome (as
            attested, or as recorded when the check failed), each a tuple of party ids.
        recorded: the same, as recorded (trusting the office's clock).
        abort_after_seeing: parties who could have stopped the ceremony after seeing the outcome.
        names: each party's name, ``(Chinese, English)``.
        witnesses: the witnesses who attest the announcement before every beacon, then the
            time-stamping authorities who do (``tsa:<authority>``).
        announcement: the announcement's hash, to compare with the one published beforehand.
        first_beacon: the id and due time of the first beacon, if any.
        single_party_reason: the office's reason for a ceremony one party could steer (v2).
        superseded: the draw id this one replaces, if any (an earlier attempt was aborted).
    """

    status: Status
    coalitions: tuple[tuple[str, ...], ...]
    recorded: tuple[tuple[str, ...], ...]
    abort_after_seeing: tuple[str, ...]
    names: Mapping[str, tuple[str, str]]
    witnesses: tuple[str, ...]
    announcement: str
    first_beacon: tuple[str, str] | None
    single_party_reason: str | None
    superseded: str | None

    @property
    def alone(self) -> tuple[str, ...]:
        """Parties who alone could have chosen the outcome (as the status reads it)."""
        return tuple(c[0] for c in self.coalitions if len(c) == 1)

    def name(self, party: str, lang: str = "zh") -> str:
        """A party's name in ``zh`` or ``en``."""
        zh, en = self.names.get(party, (party, party))
        return zh if lang == "zh" else en

    def sentence(self, lang: str = "zh") -> str:
        """The outcome in one or two plain sentences, in Chinese (``zh``) or English, from the
        catalogue."""
        with speaking("zh" if lang == "zh" else "en"):
            return self._sentence(lang)

    def _sentence(self, lang: str) -> str:
        sep, either = _(", "), _("; or ")

        def group(members: Sequence[str]) -> str:
            return sep.join(self.name(p, lang) for p in members)

        if self.status == "failed":
            who = sep.join(self.name(p, lang) for p in self.alone)
            text = _("The arithmetic is correct, but {who} alone could have chosen the result.")
            text = text.format(who=who)
            if self.single_party_reason:
                text = _("{text} The office's reason: {reason}").format(
                    text=text, reason=self.single_party_reason
                )
            return text
        if self.status == "not checked":
            beacon, due = self.first_beacon or ("?", "?")
            return _(
                "If the announcement was made before the outside value {beacon} (a beacon or a "
                "lottery draw, due {due}), choosing this draw's outcome needed these to collude: "
                "{recorded}. But only the office's own clock shows that, and no witness signed "
                "it: had it announced after that value, the office alone could have chosen the "
                "result. Compare the announcement hash {announcement} with the one the office "
                "published before {due}."
            ).format(
                beacon=beacon,
                due=beijing_time(due, lang == "zh"),
                recorded=either.join(group(c) for c in self.recorded),
                announcement=self.announcement,
            )
        groups = either.join(group(c) for c in self.coalitions)
        text = _("To choose this draw's outcome, these would have had to collude: {groups}.")
        text = text.format(groups=groups)
        if self.abort_after_seeing:
            text = _(
                "{text} {who} could have stopped the ceremony after seeing the outcome; an abort "
                "is recorded, and a new draw must name it."
            ).format(text=text, who=group(self.abort_after_seeing))
        return text

    def to_dict(self) -> dict[str, Any]:
        """The JSON form in ``fairdraw verify --json``."""
        return {
            "status": self.status,
            "coalitions": [list(c) for c in self.coalitions],
            "as_recorded": [list(c) for c in self.recorded],
            "alone": list(self.alone),
            "abort_after_seeing": list(self.abort_after_seeing),
            "parties": {p: {"zh": zh, "en": en} for p, (zh, en) in self.names.items()},
            "witnesses": list(self.witnesses),
            "announcement": self.announcement,
            "single_party_reason": self.single_party_reason,
            "supersedes": self.superseded,
            "zh": self.sentence("zh"),
            "en": self.sentence("en"),
        }


def beijing_time(when: str, zh: bool) -> str:
    """An RFC 3339 time as people read it: Beijing time."""
    try:
        moment = parse_time(when).astimezone(BEIJING)
    except FairdrawError:
        return when
    return (
        f"北京时间 {moment:%Y-%m-%d %H:%M:%S}" if zh else f"{moment:%Y-%m-%d %H:%M:%S} Beijing time"
    )


def party_names(
    body: Mapping[str, Any], events: Sequence[Mapping[str, Any]] = ()
) -> dict[str, tuple[str, str]]:
    """Every party of an announcement with its name, ``(Chinese, English)``, in display order:
    the office, the participants, the outside sources' operators, then the time-stamping
    authorities of ``events`` that attest the announcement (``tsa:<authority>``)."""
    names = {OFFICE: (str(body.get("office", OFFICE)), str(body.get("office", OFFICE)))}
    for entry in body.get("participants", []):
        if entry["id"] == OFFICE:
            continue
        label = entry.get("name") or entry.get("role") or entry["id"]
        where = entry.get("organisation")
        names[entry["id"]] = (
            f"{label}（{where}）" if where else str(label),
            f"{label} ({where})" if where else str(label),
        )
    for spec in body.get("sources", []):
        for party in controllers_of(spec, set()):
            if party not in names:
                names[party] = _OUTSIDE_NAMES.get(party, (party, party))
    if events:
        for party, authority in tsa_attesters(body, events).items():
            names.setdefault(party, (authority, authority))
    return names


def _moment(signed: Mapping[str, Any]) -> tuple[Any, ...]:
    event = signed["event"]
    return (parse_time(event["time"]), 1, int(event["sequence"]))


def _model(
    body: Mapping[str, Any],
    events: Sequence[Mapping[str, Any]],
    rerun: frozenset[str] | None,
    *,
    v2: bool,
) -> Model:
    """The model of a record; ``rerun``: the group that could have announced after the beacons
    (None: as recorded, nobody). In v1 nobody held their own key."""
    keyed = set(announced_keys(body["participants"])) if v2 else set()
    names = party_names(body, events)
    first = events[0]
    by_source: dict[str, dict[str, tuple[Any, ...]]] = {}
    last_part: dict[str, tuple[Any, ...]] = {OFFICE: _LATER}
    for signed in events[1:]:
        event = signed["event"]
        content = event["body"]
        if "source" in content:
            by_source.setdefault(content["source"], {})[event["kind"]] = _moment(signed)
        who = content.get("participant")
        if isinstance(who, str):
            last_part[who] = max(last_part.get(who, NEG_INF), _moment(signed))
        if event["kind"] in {"draw", "abort"}:
            last_part[OFFICE] = _moment(signed)
    values = [
        Value(
            id="announcement",
            controllers=frozenset({OFFICE}),
            fixed=_moment(first),
            knowers=(Knower(frozenset(), _moment(first)),),
        )
    ]
    for spec in body["sources"]:
        controllers = frozenset(controllers_of(spec, keyed))
        steps = by_source.get(spec["id"], {})
        kind = source_class(spec)
        if kind == "beacon":
            when = due_of(spec)
            assert when is not None  # noqa: S101 (a beacon has a due time)
            due = (when, 0, 0)
            for party in controllers:
                last_part[party] = due
            knowers = [Knower(frozenset(), due)]
            if rerun is not None:
                knowers.append(Knower(rerun, NEG_INF))
            fixed = NEG_INF if spec["type"] == "drand" else due
            values.append(Value(spec["id"], controllers, fixed, tuple(knowers)))
            continue
        if kind == "secret":
            fixed, learned = steps.get("commit", _LATER), steps.get("reveal", _LATER)
        else:
            fixed = learned = steps.get("randomness", _LATER)
        for party in controllers - {OFFICE}:
            last_part.setdefault(party, fixed)
        values.append(
            Value(spec["id"], controllers, fixed, (Knower(frozenset({OFFICE}), learned),))
        )
    return Model(parties=tuple(names), values=tuple(values), last_part=last_part)


def _attesters(body: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The witnesses whose signed time is before every beacon's due time (spec v2, section 5),
    then the time-stamping authorities whose time is (section 5.1), as ``tsa:<authority>``."""
    dues = [d for d in (due_of(s) for s in body["sources"]) if d is not None]
    announced = parse_time(events[0]["event"]["time"])
    keys = announced_keys(body["participants"])
    draw_id = str(events[0]["event"]["draw_id"])
    found = []
    for signed in events:
        event = signed["event"]
        if event["kind"] != "witness":
            continue
        content = event["body"]
        try:  # only a witness whose own signature holds attests anything
            check_statement_signature("witness", draw_id, content, keys)
            check_witness(content, events[:1], parse_time(event["time"]))
        except FairdrawError:
            continue
        seen = parse_time(content["time"])
        if announced <= seen and all(seen < due for due in dues):
            found.append(str(content["participant"]))
    found.extend(tsa_attesters(body, events))
    return tuple(dict.fromkeys(found))


def _groups(result: Steering, order: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    rank = {p: i for i, p in enumerate(order)}
    return tuple(tuple(sorted(c, key=rank.__getitem__)) for c in result.coalitions)


def steering_of(body: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> SteeringReport:
    """Who could have chosen the outcome of a record's ceremony (spec v2, section 7).

    Args:
        body: the announcement's body.
        events: every signed event, the announcement first (their signatures, links and order
            are checked elsewhere).
    """
    names = party_names(body, events)
    witnesses = _attesters(body, events)
    beacons = sorted((d, s["id"]) for s in body["sources"] if (d := due_of(s)) is not None)
    v2 = events[0]["event"].get("spec") == CEREMONY_SPEC
    recorded = analyse(_model(body, events, None, v2=v2))
    attested = analyse(_model(body, events, frozenset({OFFICE, *witnesses}), v2=v2))
    as_recorded = _groups(recorded, tuple(names))
    status: Status = "passed"
    shown = _groups(attested, tuple(names))
    if recorded.alone:
        status, shown = "failed", as_recorded
    elif attested.alone:
        status = "not checked"
    supersedes = body.get("supersedes")
    return SteeringReport(
        status=status,
        coalitions=shown,
        recorded=as_recorded,
        abort_after_seeing=tuple(attested.abort_after_seeing),
        names=names,
        witnesses=witnesses,
        announcement=event_hash(events[0]),
        first_beacon=(beacons[0][1], format_time(beacons[0][0])) if beacons else None,
        single_party_reason=body.get("single_party_reason"),
        superseded=supersedes.get("draw_id") if isinstance(supersedes, dict) else None,
    )


def record_steering(record: Mapping[str, Any]) -> SteeringReport:
    """Who could have chosen the outcome of a draw record (its signatures and order are checked
    by :func:`fairdraw.verification_report`, whose report carries the same analysis).

    Raises:
        KeyError, TypeError, ValueError: the record's events cannot be read.
    """
    events = record["events"]
    return steering_of(events[0]["event"]["body"], events)


def planned_alone(body: Mapping[str, Any]) -> list[str]:
    """The parties who alone could choose the outcome of an announced v2 ceremony run in the
    order of spec v2, section 4 (as recorded: trusting the office's clock)."""
    t0 = datetime(2000, 1, 1, tzinfo=UTC)
    events: list[dict[str, Any]] = [_planned(0, "announce", {}, t0)]
    order = (
        [("commit", s) for s in body["sources"] if source_class(s) == "secret"]
        + [("randomness", s) for s in body["sources"] if source_class(s) == "entered"]
        + [("reveal", s) for s in body["sources"] if source_class(s) == "secret"]
    )
    for index, (kind, spec) in enumerate(order, start=1):
        events.append(_planned(index, kind, {"source": spec["id"]}, t0))
    planned = {**body, "sources": [_far(s) for s in body["sources"]]}
    result = analyse(_model(planned, events, None, v2=True))
    return list(result.alone)


def _planned(sequence: int, kind: str, body: dict[str, Any], t0: datetime) -> dict[str, Any]:
    return {"event": {"kind": kind, "sequence": sequence, "time": format_time(t0), "body": body}}


def _far(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A beacon entry due after every planned step (its order is the rule's, not the clock's)."""
    if source_class(spec) != "beacon":
        return dict(spec)
    far = format_time(datetime(9000, 1, 1, tzinfo=UTC) + timedelta(seconds=1))
    if spec["type"] == "public-record" and "time" not in spec:
        return {**spec, "date": "9000-01-01"}
    return {**spec, DUE_MEMBER[spec["type"]]: far}


def outcome_known_before_abort(record: Mapping[str, Any]) -> bool | None:
    """Whether an aborted ceremony was stopped once every value was known to the office: each
    recorded, or a beacon or public record due at or before the abort (published by then,
    though not recorded). Its outcome could then have been computed, and the abort may have
    been chosen after seeing it. None if the record was not aborted or cannot be read."""
    try:
        events = record["events"]
        body = events[0]["event"]["body"]
        kinds = [e["event"]["kind"] for e in events]
        if "abort" not in kinds:
            return None
        at = kinds.index("abort")
        aborted = parse_time(events[at]["event"]["time"])
        recorded = {
            e["event"]["body"]["source"]
            for e in events[:at]
            if e["event"]["kind"] in {"reveal", "randomness"}
        }

        def known(spec: Mapping[str, Any]) -> bool:
            due = spec.get(DUE_MEMBER.get(spec["type"], ""))
            return spec["id"] in recorded or (isinstance(due, str) and parse_time(due) <= aborted)

        return all(known(s) for s in body["sources"])
    except (KeyError, TypeError, IndexError, ValueError, FairdrawError):
        return None
