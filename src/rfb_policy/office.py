"""The office's monthly workflow over its store: directories, availability, and the draw itself.

Everything here reads and writes through :class:`fairdraw.Store`, so every step is a signed,
hash-chained audit log entry:

* the directories are the latest ``objects`` and ``inspectors`` snapshots (``rfb import``);
* each section confirms who is available for the month (rule R5) before the ceremony is
  announced: an ``rfb.availability`` entry per confirmation, the latest one per section counting;
  the exempt sections (综合科 by default) need none;
* :func:`draw_month` runs the month's ceremony (rules R3, R5, R7–R14): it plans the quotas from
  the year's earlier draws, snapshots every scope's population, announces, collects the office's
  committed secret, the leader's dice and the announced beacon, draws, stores each event as it
  happens and finalises the record. A ceremony that cannot finish is aborted and finalised as
  such; the next attempt is a new draw id that names it in ``supersedes``. Nothing is redrawn
  silently.
"""

from __future__ import annotations

import json
import re
import secrets
import shlex
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs

from fairdraw import (
    Ceremony,
    DrandChain,
    DrandClient,
    OfficeKey,
    PolicyError,
    ScopePlan,
    SourceUnavailableError,
    Store,
    VerificationError,
    event_hash,
    new_secret,
    open_store,
)
from rfb_policy.calendar import OfficialCalendar
from rfb_policy.config import CONFIG_NAME, CONFIG_TEMPLATE, OfficeConfig
from rfb_policy.directories import InspectionObject, Inspector
from rfb_policy.items import Catalogue
from rfb_policy.monthly import (
    DICE_ROLLS,
    GroupRules,
    MonthOutcome,
    announce_month,
    drawn_objects,
    month_scopes,
    outcome,
    record_assignment,
)
from rfb_policy.plan import MonthPlan, month_plan
from rfb_policy.publish import PublicRow, assignment_json, public_rows
from rfb_policy.schedule import draw_day

__all__ = [
    "AVAILABILITY_KIND",
    "Clock",
    "MonthDraw",
    "SectionStatus",
    "availability",
    "available_officers",
    "confirm_availability",
    "draw_month",
    "drawn_by_month",
    "init_office",
    "inspected_before",
    "month_attempts",
    "publication",
    "record_month",
    "stored_inspectors",
    "stored_objects",
    "write_verification",
]

AVAILABILITY_KIND = "rfb.availability"
BEACON_SOURCE = "drand-beacon"
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")

Progress = Callable[[str, str], None]
"""A callback that shows the officer a step, in Chinese and in English."""


def parse_month(month: str) -> tuple[int, int]:
    """``YYYY-MM`` as (year, month).

    Raises:
        PolicyError: not a month.
    """
    match = _MONTH.fullmatch(month)
    if match is None:
        raise PolicyError(f"月份格式为 YYYY-MM / {month!r} is not a month; write it as YYYY-MM")
    return int(match[1]), int(match[2])


# -- the office's folder ------------------------------------------------------------------------


def init_office(folder: Path, *, office: str, prefix: str, passphrase: bytes) -> OfficeConfig:
    """Create an office folder: ``rfb.toml``, the office key, an empty database, ``calendar/``.

    Raises:
        PolicyError: the folder holds an office already (nothing is overwritten).
    """
    config_path = folder / CONFIG_NAME
    for existing in (config_path, folder / "office.key", folder / "office.db"):
        if existing.exists():
            raise PolicyError(
                f"{existing} 已存在，不会覆盖 / exists already; rfb init never overwrites an office"
            )
    if not passphrase:
        raise PolicyError("签名密钥需要口令 / the office key needs a passphrase")
    (folder / "calendar").mkdir(parents=True, exist_ok=True)
    (folder / "calendar" / "README.txt").write_text(CALENDAR_NOTE, encoding="utf-8")
    config_path.write_text(
        CONFIG_TEMPLATE.format(
            office=json.dumps(office, ensure_ascii=False), prefix=json.dumps(prefix)
        ),
        encoding="utf-8",
    )
    config = OfficeConfig.load(config_path)
    OfficeKey.generate().save(config.key, passphrase)
    open_store(config.database).close()
    return config


CALENDAR_NOTE = """\
国务院办公厅发布新一年的放假安排通知后，在本文件夹中新建 YEAR.json（例如 2027.json）：
When the State Council publishes a new year's holiday notice, add YEAR.json here, e.g. 2027.json:

{
  "format": "rfb-calendar/1",
  "year": 2027,
  "notice": "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）",
  "holidays": ["2027-01-01", "..."],
  "workdays": ["2027-02-07", "..."]
}

holidays：放假的日期；workdays：调休上班的周末日期。没有该年度数据时，rfb 拒绝安排抽取日，从不猜测。
holidays are the days off, workdays the weekend days worked instead. Without a year's data rfb
refuses to schedule a draw; it never guesses.
"""


def write_verification(folder: Path, draw: MonthDraw, public_key: Path) -> list[str]:
    """Write the record and the lists a full check needs; return the ``fairdraw verify`` words.

    ``folder/record.json`` is public. ``folder/internal/`` holds every scope's list and the
    salts of the confidential ones: internal material for auditors, never for publication.
    """
    lists = folder / "internal"
    lists.mkdir(parents=True, exist_ok=True)
    record_path = folder / "record.json"
    record_path.write_text(
        json.dumps(draw.record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    words = ["fairdraw", "verify", str(record_path), "--public-key", str(public_key)]
    for scope, population in draw.populations.items():
        path = lists / (scope.replace("/", "_") + ".txt")
        path.write_text("\n".join(population) + "\n", encoding="utf-8")
        words += ["--population", f"{scope}={path}"]
        if population.salt:
            words += ["--salt", f"{scope}={population.salt.hex()}"]
    (lists / "verify.sh").write_text(shlex.join(words) + "\n", encoding="utf-8")
    return words


def publication(
    store: Store, draw_id: str, catalogue: Catalogue
) -> tuple[list[PublicRow], dict[str, Any]]:
    """The month's public rows (drawn objects, names, groups, latest results; rule R17) and its
    published assignment (:func:`rfb_policy.publish.assignment_json`)."""
    record = store.record(draw_id)
    month = record_month(record)
    _, drawn, _ = drawn_objects(record, month)
    names = {o.id: o.name for o in stored_objects(store)}
    inspectors = stored_inspectors(store)
    assignment = record_assignment(record, month, inspectors)
    latest = {r["object_id"]: r["result"] for r in store.results(draw_id)}
    officers = {i.certificate: i.name for i in inspectors}
    rows = public_rows(drawn, names, latest, catalogue, assignment, officers)
    return rows, assignment_json(record, month, assignment)


def record_month(record: Mapping[str, Any]) -> str:
    """The ``YYYY-MM`` a month's record draws for (from its scope names).

    Raises:
        PolicyError: the record is not a monthly draw of rfb.
    """
    for scope in record["events"][0]["event"]["body"]["scopes"]:
        head = str(scope["scope"]).split("/")[0]
        if _MONTH.fullmatch(head):
            return head
    raise PolicyError("this record is not a monthly draw of rfb (no YYYY-MM/ scope)")


# -- directories -------------------------------------------------------------------------------


def _latest_snapshot(store: Store, name: str) -> dict[str, Any]:
    found = [
        e.payload
        for e in store.entries()
        if e.kind == "population.snapshot" and e.payload.get("name") == name
    ]
    if not found:
        raise PolicyError(
            f"数据库中还没有{'检查对象' if name == 'objects' else '执法人员'}名录，请先运行 "
            f"rfb import {name} / the database has no {name} directory yet; import it first"
        )
    return store.population_attributes(found[-1]["population_digest"])


def stored_objects(store: Store) -> list[InspectionObject]:
    """The latest imported objects directory.

    Raises:
        PolicyError: none was imported.
    """
    attributes = _latest_snapshot(store, "objects")
    return [InspectionObject.from_attributes(i, a) for i, a in sorted(attributes.items())]


def stored_inspectors(store: Store) -> list[Inspector]:
    """The latest imported inspectors directory.

    Raises:
        PolicyError: none was imported.
    """
    attributes = _latest_snapshot(store, "inspectors")
    return [Inspector.from_attributes(c, a) for c, a in sorted(attributes.items())]


# -- availability (R5) -------------------------------------------------------------------------


@attrs.frozen
class SectionStatus:
    """Whether a section has confirmed who of its officers can take part in the month's draw.

    Attributes:
        section: the section's name.
        members: its officers' certificate numbers.
        exempt: no confirmation is needed (综合科 by default).
        confirmed: a confirmation is on record, or the section is exempt.
        available: the officers who take part (empty until confirmed).
        confirmer: who confirmed, and ``time`` when (the latest confirmation counts).
    """

    section: str
    members: tuple[str, ...]
    exempt: bool
    confirmed: bool
    available: tuple[str, ...]
    confirmer: str | None = None
    time: str | None = None


def availability(
    store: Store, config: OfficeConfig, month: str, inspectors: Sequence[Inspector]
) -> list[SectionStatus]:
    """Every section's confirmation status for ``month``, in section order."""
    confirmations = {
        e.payload["section"]: e
        for e in store.entries()
        if e.kind == AVAILABILITY_KIND and e.payload.get("month") == month
    }
    sections: dict[str, list[str]] = {}
    for officer in inspectors:
        sections.setdefault(officer.section, []).append(officer.certificate)
    statuses = []
    for section, members in sorted(sections.items()):
        exempt = section in config.exempt_sections
        entry = confirmations.get(section)
        if exempt:
            taking_part = members if config.exempt_mode == "presumed-available" else []
            statuses.append(SectionStatus(section, tuple(members), True, True, tuple(taking_part)))
        elif entry is None:
            statuses.append(SectionStatus(section, tuple(members), False, False, ()))
        else:
            confirmed = [c for c in entry.payload["available"] if c in members]
            statuses.append(
                SectionStatus(
                    section,
                    tuple(members),
                    False,
                    True,
                    tuple(confirmed),
                    entry.payload["confirmer"],
                    entry.time,
                )
            )
    return statuses


def available_officers(statuses: Sequence[SectionStatus], month: str) -> list[str]:
    """The certificate numbers of everyone taking part.

    Raises:
        PolicyError: a section has not confirmed yet (the message names them).
    """
    missing = [s.section for s in statuses if not s.confirmed]
    if missing:
        raise PolicyError(
            f"{month}：以下科室尚未确认人员可用情况：{'、'.join(missing)}；请先运行 "
            f"rfb confirm-availability {month} --section 科室 / these sections have not "
            f"confirmed who is available; confirm each before the draw"
        )
    return sorted(c for s in statuses for c in s.available)


def confirm_availability(
    store: Store,
    config: OfficeConfig,
    month: str,
    section: str,
    *,
    confirmer: str,
    unavailable: Iterable[str],
    inspectors: Sequence[Inspector],
    actor: str,
    key: OfficeKey,
) -> Any:
    """Record a section's confirmation for ``month``: everyone is available but ``unavailable``.

    Confirming again before the draw replaces the earlier confirmation (both stay in the log).

    Raises:
        PolicyError: unknown or exempt section, officers outside the section, or the month's
            ceremony has started already.
    """
    parse_month(month)
    if not confirmer.strip():
        raise PolicyError("请填写确认人 / say who confirms (the section's head)")
    members = sorted(i.certificate for i in inspectors if i.section == section)
    if not members:
        known = "、".join(sorted({i.section for i in inspectors}))
        raise PolicyError(
            f"名录中没有“{section}”的人员（现有科室：{known}）/ no officer of the directory is "
            f"in section {section!r}"
        )
    if section in config.exempt_sections:
        raise PolicyError(
            f"“{section}”无需确认 / section {section!r} is exempt from confirmation "
            f"([availability] exempt_sections)"
        )
    away = sorted(set(unavailable))
    strangers = [c for c in away if c not in members]
    if strangers:
        raise PolicyError(
            f"不是{section}的人员 / not officers of {section}: {', '.join(strangers)}"
        )
    started = [draw_id for draw_id, _ in month_attempts(store, config, month)]
    if store.ceremony_events(config.draw_id(month)) or started:
        raise PolicyError(
            f"{month}：抽取已经开始，人员确认须在公告之前 / the draw has started; availability "
            f"is confirmed before the announcement"
        )
    payload = {
        "month": month,
        "section": section,
        "confirmer": confirmer,
        "available": [c for c in members if c not in away],
        "unavailable": away,
    }
    return store.append(AVAILABILITY_KIND, payload, actor=actor, key=key)


# -- the year so far ----------------------------------------------------------------------------


def month_attempts(store: Store, config: OfficeConfig, month: str) -> list[tuple[str, str]]:
    """The finalised draws of ``month`` in order: (draw id, ``drawn`` or ``aborted``)."""
    base = config.draw_id(month)
    pattern = re.compile(re.escape(base) + r"(-\d+)?")
    return [
        (e.payload["draw_id"], e.payload["status"])
        for e in store.entries()
        if e.kind == "draw.finalised" and pattern.fullmatch(e.payload["draw_id"])
    ]


def drawn_by_month(store: Store, config: OfficeConfig, year: int) -> dict[int, dict[str, set[str]]]:
    """Month → item code → the objects its finalised draw chose, for the months drawn so far."""
    found: dict[int, dict[str, set[str]]] = {}
    for number in range(1, 13):
        label = f"{year:04d}-{number:02d}"
        for draw_id, status in month_attempts(store, config, label):
            if status != "drawn":
                continue
            _, drawn, _ = drawn_objects(store.record(draw_id), label)
            items = found.setdefault(number, {})
            for scope, ids in drawn.items():
                items.setdefault(scope.split("/")[0], set()).update(ids)
    return found


def inspected_before(
    store: Store, config: OfficeConfig, year: int, month: int
) -> dict[str, set[str]]:
    """Item code → objects drawn for it in the year's months before ``month`` (rule R14)."""
    inspected: dict[str, set[str]] = {}
    for number, items in drawn_by_month(store, config, year).items():
        if number < month:
            for item, ids in items.items():
                inspected.setdefault(item, set()).update(ids)
    return inspected


# -- the ceremony -------------------------------------------------------------------------------


class Clock:
    """The time the ceremony's events carry: now, or a replayed start that runs on from there.

    Replaying (``start`` given) is for rehearsals and tests: waiting for a beacon round then
    moves the replayed time forward instead of sleeping.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._start = start
        self._began = time.monotonic()
        self._skipped = timedelta(0)

    def now(self) -> datetime:
        """The current (or replayed) time, to the second."""
        if self._start is None:
            return datetime.now(UTC).replace(microsecond=0)
        elapsed = timedelta(seconds=int(time.monotonic() - self._began))
        return self._start + elapsed + self._skipped

    def pause(self, seconds: float) -> None:
        """Let ``seconds`` pass (at once when replaying)."""
        self.wait_until(self.now() + timedelta(seconds=seconds))

    def wait_until(self, when: datetime) -> None:
        """Return once ``now()`` is at or after ``when``."""
        while (gap := (when - self.now()).total_seconds()) > 0:
            if self._start is not None:
                self._skipped += timedelta(seconds=gap)
            else:
                time.sleep(min(gap, 5.0))


@attrs.frozen
class MonthDraw:
    """A finished month draw: the record and what it decided."""

    draw_id: str
    month: str
    draw_day: date
    plan: MonthPlan
    record: dict[str, Any]
    outcome: MonthOutcome
    populations: Mapping[str, Any]
    salt: bytes
    warnings: tuple[str, ...]


def _group_rules(
    config: OfficeConfig, eligible: Sequence[Inspector], objects: int, month: str
) -> GroupRules:
    possible = len(eligible) // config.group_size
    if possible < 1:
        raise PolicyError(
            f"{month}：可参加且执法证有效的人员 {len(eligible)} 人，不足一组 {config.group_size} "
            f"人 / {len(eligible)} officer(s) available and certified cannot form a group of "
            f"{config.group_size}; confirm more officers or postpone the draw"
        )
    return GroupRules(
        groups=max(1, min(config.groups, possible, objects)),
        group_size=config.group_size,
        require_a_post=config.require_a_post,
        a_posts=[i.certificate for i in eligible if i.post == "A"] if config.require_a_post else [],
    )


def _close_interrupted(
    store: Store, key: OfficeKey, draw_id: str, actor: str, clock: Clock, say: Progress
) -> bool:
    """Abort and finalise a ceremony whose events are stored but never finished."""
    events = store.ceremony_events(draw_id)
    if not events:
        return False
    ceremony = Ceremony(events, key)
    if events[-1]["event"]["kind"] not in {"abort", "draw"}:
        reason = "the ceremony was interrupted before the draw (仪式中断，未完成抽取)"
        last = datetime.fromisoformat(events[-1]["event"]["time"])
        ceremony.abort(reason, at=max(clock.now(), last))
        store.record_event(ceremony.events[-1], actor=actor, key=key)
    store.finalise(ceremony.record(), actor=actor, key=key)
    say(
        f"已中止未完成的抽取 {draw_id}（已记录）", f"Aborted the unfinished draw {draw_id} (logged)"
    )
    return True


def _next_attempt(
    store: Store,
    config: OfficeConfig,
    month: str,
    key: OfficeKey,
    actor: str,
    approver: str,
    clock: Clock,
    say: Progress,
) -> tuple[str, dict[str, str] | None]:
    """The next draw id of the month, and what it supersedes (after an abort)."""
    base = config.draw_id(month)
    while True:
        attempts = month_attempts(store, config, month)
        drawn = [d for d, status in attempts if status == "drawn"]
        if drawn:
            raise PolicyError(
                f"{month} 已完成抽取（{drawn[0]}），不得重新抽取 / was drawn already; a draw is "
                f"never redrawn. Replacing it needs a new decision: a ceremony that names it in "
                f"'supersedes' (see `fairdraw ceremony`)"
            )
        draw_id = base if not attempts else f"{base}-{len(attempts) + 1}"
        if not _close_interrupted(store, key, draw_id, actor, clock, say):
            break
    if not attempts:
        return draw_id, None
    last = attempts[-1][0]
    events = store.record(last)["events"]
    reason = str(events[-1]["event"]["body"].get("reason", "aborted"))
    return draw_id, {
        "draw_id": last,
        "reason": f"上次抽取已中止 / aborted: {reason}",
        "approver": approver,
    }


@attrs.frozen
class _Prepared:
    draw_id: str
    supersedes: dict[str, str] | None
    day: date
    plan: MonthPlan
    scopes: list[ScopePlan]
    rules: GroupRules
    inspectors: list[Inspector]
    salt: bytes
    warnings: list[str]


def _prepare(
    store: Store,
    config: OfficeConfig,
    key: OfficeKey,
    month: str,
    catalogue: Catalogue,
    calendar: OfficialCalendar,
    leader: Mapping[str, str],
    actor: str,
    clock: Clock,
    say: Progress,
) -> _Prepared:
    """Check the month can be drawn, plan it and freeze its lists (rules R3, R5, R8, R10–R14)."""
    year, number = parse_month(month)
    day = draw_day(year, number, calendar, rule=config.draw_day_rule)
    warnings: list[str] = []
    if clock.now().date() != day:
        warnings.append(f"{month}: the draw day is {day}, the ceremony is on {clock.now().date()}")
        say(f"提醒：本月抽取日为 {day}，今天是 {clock.now().date()}", warnings[-1])
    objects = stored_objects(store)
    inspectors = stored_inspectors(store)
    taking_part = available_officers(availability(store, config, month, inspectors), month)
    approver = leader.get("name", "主管领导")
    draw_id, supersedes = _next_attempt(store, config, month, key, actor, approver, clock, say)
    plan = month_plan(
        year,
        number,
        objects,
        catalogue,
        inspected_before(store, config, year, number),
        settings=config.plan,
    )
    if plan.over_capacity:
        warnings.append(f"{month}: the quotas exceed the groups' capacity by {plan.over_capacity}")
        say(f"提醒：本月任务超出各组能力 {plan.over_capacity} 个", warnings[-1])
    salt = secrets.token_bytes(32)
    scopes = month_scopes(
        month, plan, catalogue, inspectors, available=taking_part, draw_day=day, salt=salt
    )
    officers = set(scopes[-1].population)
    eligible = [i for i in inspectors if i.certificate in officers]
    rules = _group_rules(config, eligible, plan.total, month)
    for scope in scopes:  # R3: every list is frozen before the seed exists
        store.save_population(scope.population, name=scope.scope, actor=actor, key=key)
    return _Prepared(draw_id, supersedes, day, plan, scopes, rules, inspectors, salt, warnings)


def draw_month(
    store: Store,
    config: OfficeConfig,
    key: OfficeKey,
    month: str,
    *,
    catalogue: Catalogue,
    calendar: OfficialCalendar,
    leader: Mapping[str, str],
    dice: Callable[[int], Sequence[int]],
    actor: str,
    clock: Clock | None = None,
    client: DrandClient | None = None,
    say: Progress | None = None,
    announced: Callable[[str, dict[str, Any]], None] | None = None,
) -> MonthDraw:
    """Run ``month``'s ceremony end to end and finalise its record in ``store``.

    Args:
        store: the office's store, holding the directories and availability confirmations.
        config: the office's settings.
        key: the office key that signs every event and log entry.
        month: ``YYYY-MM``.
        catalogue: the item catalogue.
        calendar: the official calendar.
        leader: who performs the draw: ``name``, and for a stand-in ``stand_in_for`` and
            ``authorisation`` (rule R7).
        dice: called with the number of rolls once the office's secret is committed; returns
            the leader's rolls (1–6), as rolled.
        actor: who operates the software (logged).
        clock: the ceremony's time (now by default).
        client: fetches the beacon when the configuration names a drand chain.
        say: shows progress to the officer.
        announced: called with the draw id and the signed announcement as soon as it exists,
            to publish it (before the beacon round is due: ceremony spec, section 5).

    Raises:
        PolicyError: the month was drawn already, a section has not confirmed, there is nothing
            to draw, or there are too few officers.
        CeremonyError: the dice are not valid rolls.
        SourceUnavailableError: the beacon could not be fetched (the ceremony is aborted and
            finalised as such; the next ``draw_month`` supersedes it).
    """
    clock = clock or Clock()
    say = say or (lambda _zh, _en: None)
    ready = _prepare(store, config, key, month, catalogue, calendar, leader, actor, clock, say)
    draw_id, scopes = ready.draw_id, ready.scopes
    start = clock.now()
    beacon_entry = None
    if config.beacon_chain:
        chain = DrandChain.named(config.beacon_chain)
        due = start + timedelta(minutes=config.beacon_delay_minutes)
        beacon_entry = chain.source_entry(BEACON_SOURCE, chain.first_round_after(due))
    ceremony = announce_month(
        key,
        draw_id=draw_id,
        office=config.office,
        scopes=scopes,
        catalogue=catalogue,
        start=start,
        beacon=beacon_entry,
        leader=leader,
        rules=ready.rules,
        supersedes=ready.supersedes,
    )

    def keep() -> None:
        store.record_event(ceremony.events[-1], actor=actor, key=key)

    keep()
    announcement = ceremony.events[0]
    say(
        f"已公告抽取 {draw_id}，公告摘要 {event_hash(announcement)}",
        f"Announced {draw_id}; announcement hash {event_hash(announcement)}",
    )
    if announced is not None:
        announced(draw_id, announcement)
    if beacon_entry is not None:
        say(
            f"公共随机信标：drand {beacon_entry['chain']} 第 {beacon_entry['round']} 轮，"
            f"{beacon_entry['round_time']} 产生",
            f"Beacon: drand {beacon_entry['chain']} round {beacon_entry['round']}, "
            f"due {beacon_entry['round_time']}",
        )
    secret = new_secret()
    ceremony.commit_secret("office-secret", secret, at=clock.now())
    keep()
    ceremony.reveal("office-secret", secret, at=clock.now())
    keep()
    rolls = list(dice(DICE_ROLLS))
    ceremony.add_value("leader-dice", {"rolls": rolls}, at=clock.now())
    keep()
    if beacon_entry is not None:
        try:
            _add_beacon(ceremony, beacon_entry, client, clock, say)
        except SourceUnavailableError as err:
            ceremony.abort(f"the beacon could not be fetched: {err}", at=clock.now())
            keep()
            store.finalise(ceremony.record(), actor=actor, key=key)
            raise SourceUnavailableError(
                f"{err}; the ceremony {draw_id} was aborted and logged; run `rfb draw {month}` "
                f"again for a new ceremony"
            ) from err
        keep()
    ceremony.seed(at=clock.now())
    keep()
    populations = {s.scope: s.population for s in scopes}
    record = ceremony.draw(populations, at=clock.now())
    keep()
    store.finalise(record, actor=actor, key=key)
    result = outcome(record, month, ready.inspectors, draw_day=ready.day)
    return MonthDraw(
        draw_id,
        month,
        ready.day,
        ready.plan,
        record,
        result,
        populations,
        ready.salt,
        tuple(ready.warnings),
    )


def _add_beacon(
    ceremony: Ceremony,
    entry: Mapping[str, Any],
    client: DrandClient | None,
    clock: Clock,
    say: Progress,
    attempts: int = 10,
) -> None:
    """Wait for the announced round, then fetch, verify and add it (trying ``attempts`` times).

    Raises:
        SourceUnavailableError: no relay gave a beacon that verifies.
    """
    chain = DrandChain.named(str(entry["chain"]))
    client = client or DrandClient(chain=chain)
    due = chain.time_of_round(int(entry["round"]))
    say(f"等待信标（{due:%H:%M:%S} UTC）…", f"Waiting for the beacon (due {due:%H:%M:%S} UTC)…")
    clock.wait_until(due)
    for attempt in range(1, attempts + 1):
        try:
            beacon = client.beacon(int(entry["round"]))
            break
        except (SourceUnavailableError, VerificationError) as err:
            if attempt == attempts:
                raise SourceUnavailableError(
                    f"drand round {entry['round']} could not be fetched and verified: {err}"
                ) from err
            clock.pause(3)
    ceremony.add_value(BEACON_SOURCE, beacon.to_json(), at=clock.now())
