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
from datetime import UTC, date, datetime, timedelta, timezone
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
from rfb_policy.config import CONFIG_NAME, CONFIG_TEMPLATE, PREFIX, OfficeConfig
from rfb_policy.directories import (
    InspectionObject,
    Inspector,
    inspectors_population,
    objects_population,
)
from rfb_policy.items import Catalogue
from rfb_policy.monthly import (
    DICE_ROLLS,
    GroupRules,
    MonthOutcome,
    announce_month,
    announced,
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
    "finalised_by_month",
    "import_directories",
    "init_office",
    "inspected_before",
    "latest_snapshot",
    "month_attempts",
    "publication",
    "record_inspectors",
    "record_month",
    "stored_inspectors",
    "stored_objects",
    "superseded_records",
    "write_verification",
]

AVAILABILITY_KIND = "rfb.availability"
BEIJING = timezone(timedelta(hours=8))
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
    if len(passphrase) < 8:
        raise PolicyError("密钥口令至少 8 个字节 / the key passphrase needs at least 8 bytes")
    if not PREFIX.fullmatch(prefix):
        raise PolicyError(
            f"抽取编号前缀只能含字母、数字和 - / the prefix {prefix!r}: use A-Z, 0-9, -"
        )
    try:
        (folder / "calendar").mkdir(parents=True, exist_ok=True)
        OfficeKey.generate().save(folder / "office.key", passphrase)
        (folder / "calendar" / "README.txt").write_text(CALENDAR_NOTE, encoding="utf-8")
        config_path.write_text(
            CONFIG_TEMPLATE.format(
                office=json.dumps(office, ensure_ascii=False), prefix=json.dumps(prefix)
            ),
            encoding="utf-8",
        )
    except OSError as err:
        raise PolicyError(f"{folder}: 无法创建 / cannot create the office here: {err}") from err
    config = OfficeConfig.load(config_path)
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


def superseded_records(store: Store, record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The aborted attempts a record replaces, newest first (its ``supersedes`` chain)."""
    chain = []
    current = record
    while (supersedes := announced(current).get("supersedes")) is not None:
        current = store.record(str(supersedes["draw_id"]))
        chain.append(current)
    return chain


def publication(
    store: Store, draw_id: str, catalogue: Catalogue
) -> tuple[list[PublicRow], dict[str, Any]]:
    """The month's public rows (drawn objects, names, groups, latest results; rule R17) and its
    published assignment (:func:`rfb_policy.publish.assignment_json`).

    Raises:
        PolicyError: the leader has not confirmed the draw, or the latest decision rejects it
            (R7: the leader in charge confirms the result before it is published).
    """
    decisions = store.approvals(draw_id)
    if not decisions or decisions[-1]["decision"] != "approved":
        state = "尚未确认" if not decisions else "已被否决"
        raise PolicyError(
            f"{draw_id}：主管领导{state}，不能公示（rfb approve）/ the leader has "
            f"{'not confirmed' if not decisions else 'rejected'} this draw; it is not published"
        )
    record = store.record(draw_id)
    month = record_month(record)
    _, drawn, _ = drawn_objects(record, month)
    names = {o.id: o.name for o in stored_objects(store)}
    inspectors = record_inspectors(store, record)
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
    for scope in announced(record).get("scopes", []):
        head = str(scope["scope"]).split("/")[0]
        if _MONTH.fullmatch(head):
            return head
    raise PolicyError("this record is not a monthly draw of rfb (no YYYY-MM/ scope)")


# -- directories -------------------------------------------------------------------------------


def import_directories(
    store: Store,
    objects: Sequence[InspectionObject],
    inspectors: Sequence[Inspector],
    *,
    actor: str,
    key: OfficeKey,
) -> None:
    """Snapshot both directories, as ``rfb import objects`` and ``rfb import inspectors`` do."""
    for name, (population, attributes) in (
        ("objects", objects_population(objects)),
        ("inspectors", inspectors_population(inspectors)),
    ):
        store.save_population(population, name=name, actor=actor, key=key, attributes=attributes)


def latest_snapshot(store: Store, name: str) -> str:
    """The digest of the latest ``objects`` or ``inspectors`` snapshot.

    Raises:
        PolicyError: none was imported.
    """
    found = [
        e.payload["population_digest"]
        for e in store.entries()
        if e.kind == "population.snapshot" and e.payload.get("name") == name
    ]
    if not found:
        what = "检查对象" if name == "objects" else "执法人员"
        raise PolicyError(
            f"数据库中还没有{what}名录，请先运行 rfb import {name} / the database has no {name} "
            f"directory yet; import it first"
        )
    return str(found[-1])


def stored_objects(store: Store, digest: str | None = None) -> list[InspectionObject]:
    """The objects directory: the snapshot ``digest``, else the latest one.

    Raises:
        PolicyError: none was imported.
    """
    attributes = store.population_attributes(digest or latest_snapshot(store, "objects"))
    return [InspectionObject.from_attributes(i, a) for i, a in sorted(attributes.items())]


def stored_inspectors(store: Store, digest: str | None = None) -> list[Inspector]:
    """The inspectors directory: the snapshot ``digest``, else the latest one.

    Raises:
        PolicyError: none was imported.
    """
    attributes = store.population_attributes(digest or latest_snapshot(store, "inspectors"))
    return [Inspector.from_attributes(c, a) for c, a in sorted(attributes.items())]


def record_inspectors(store: Store, record: Mapping[str, Any]) -> list[Inspector]:
    """The inspectors directory the record announced (older records: the latest one)."""
    policy = announced(record).get("policy") or {}
    return stored_inspectors(store, policy.get("inspectors_snapshot"))


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
    started = [draw_id for draw_id, _ in month_attempts(store, month)]
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


def finalised_by_month(store: Store) -> dict[str, list[tuple[str, str]]]:
    """Every finalised draw, by the month it draws for, in order: (draw id, status).

    A draw belongs to the month its scopes name (``YYYY-MM/…``), whatever its draw id: a changed
    draw-id prefix cannot hide an earlier draw of the month.
    """
    found: dict[str, list[tuple[str, str]]] = {}
    for entry in store.entries():
        if entry.kind != "draw.finalised":
            continue
        draw_id = str(entry.payload["draw_id"])
        scopes = entry.payload.get("scopes")
        if scopes:
            of_month = str(scopes[0]["scope"]).split("/")[0]
        else:  # an aborted draw: its announcement names the scopes
            try:
                of_month = record_month(store.record(draw_id))
            except PolicyError:
                continue
        found.setdefault(of_month, []).append((draw_id, str(entry.payload["status"])))
    return found


def month_attempts(store: Store, month: str) -> list[tuple[str, str]]:
    """The finalised draws of ``month`` in order: (draw id, ``drawn`` or ``aborted``)."""
    return finalised_by_month(store).get(month, [])


def drawn_by_month(store: Store, year: int) -> dict[int, dict[str, set[str]]]:
    """Month → item code → the objects its finalised draw chose, for the months drawn so far."""
    found: dict[int, dict[str, set[str]]] = {}
    finalised = finalised_by_month(store)
    for number in range(1, 13):
        label = f"{year:04d}-{number:02d}"
        for draw_id, status in finalised.get(label, []):
            if status != "drawn":
                continue
            _, drawn, _ = drawn_objects(store.record(draw_id), label)
            items = found.setdefault(number, {})
            for scope, ids in drawn.items():
                items.setdefault(scope.split("/")[0], set()).update(ids)
    return found


def inspected_before(store: Store, year: int, month: int) -> dict[str, set[str]]:
    """Item code → objects drawn for it in the year's months before ``month`` (rule R14)."""
    inspected: dict[str, set[str]] = {}
    for number, items in drawn_by_month(store, year).items():
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

    @property
    def replayed(self) -> bool:
        """Whether the time is replayed (a rehearsal), not the real time."""
        return self._start is not None

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
    warnings: tuple[str, ...]


def _group_rules(
    config: OfficeConfig, eligible: Sequence[Inspector], objects: int, month: str
) -> GroupRules:
    possible = len(eligible) // config.group_size
    if config.require_a_post:
        possible = min(possible, sum(1 for i in eligible if i.post == "A"))
    if possible < 1:
        raise PolicyError(
            f"{month}：可参加且执法证有效的人员 {len(eligible)} 人，不足以组成一个 "
            f"{config.group_size} 人的检查组（或没有A岗人员）/ {len(eligible)} officer(s) "
            f"available and certified cannot form one group of {config.group_size} (with an A岗 "
            f"officer if required); confirm more officers or postpone the draw"
        )
    return GroupRules(
        groups=max(1, min(config.groups, possible, objects)),
        group_size=config.group_size,
        require_a_post=config.require_a_post,
        a_posts=[i.certificate for i in eligible if i.post == "A"] if config.require_a_post else [],
    )


def _unfinished(store: Store, month: str) -> list[str]:
    """Ceremonies of ``month`` whose events are stored but whose record is not finalised."""
    entries = store.entries()
    finalised = {e.payload["draw_id"] for e in entries if e.kind == "draw.finalised"}
    found = []
    for entry in entries:
        draw_id = str(entry.payload.get("draw_id"))
        if entry.kind != "ceremony.announce" or draw_id in finalised:
            continue
        scopes = store.ceremony_events(draw_id)[0]["event"]["body"]["scopes"]
        if str(scopes[0]["scope"]).split("/")[0] == month:
            found.append(str(draw_id))
    return found


def _close_unfinished(
    store: Store,
    key: OfficeKey,
    month: str,
    *,
    actor: str,
    clock: Clock,
    say: Progress,
    abort_reason: str | None,
) -> None:
    """Finish what an interrupted ceremony of the month left behind, or refuse while one may
    still be running.

    A ceremony whose draw event is stored is finalised as drawn. One that stopped earlier is
    aborted, with ``abort_reason``, or by the announced rule once its reveal deadline has passed;
    before that, another officer may still be running it, and nothing is touched.

    Raises:
        PolicyError: a ceremony of the month may still be running.
    """
    for draw_id in _unfinished(store, month):
        events = store.ceremony_events(draw_id)
        ceremony = Ceremony(events, key)
        kind = events[-1]["event"]["kind"]
        if kind not in {"abort", "draw"}:
            deadline = datetime.fromisoformat(ceremony.announcement["deadlines"]["reveal"])
            if abort_reason is None and clock.now() <= deadline:
                raise PolicyError(
                    f"{month}：抽取 {draw_id} 正在进行或已中断（最后一步：{kind}）。如确已中断，"
                    f"请在 {deadline} 之后重试，或用 --abort-unfinished 说明原因 / the ceremony "
                    f"{draw_id} may still be running; if it was interrupted, wait until its "
                    f"reveal deadline or give --abort-unfinished REASON"
                )
            reason = abort_reason or "interrupted: nothing happened by the reveal deadline"
            last = datetime.fromisoformat(events[-1]["event"]["time"])
            ceremony.abort(f"仪式中断 / {reason}", at=max(clock.now(), last))
            store.record_event(ceremony.events[-1], actor=actor, key=key)
        store.finalise(ceremony.record(), actor=actor, key=key)
        if kind == "draw":
            say(
                f"抽取 {draw_id} 已完成但未归档，现已归档",
                f"The draw {draw_id} was complete but not finalised; it is finalised now",
            )
        else:
            say(f"已中止未完成的抽取 {draw_id}（已记录）", f"Aborted the unfinished {draw_id}")


def _next_attempt(
    store: Store,
    config: OfficeConfig,
    month: str,
    approver: str,
    redraw_reason: str | None,
) -> tuple[str, dict[str, str] | None]:
    """The next draw id of the month, and what it supersedes (after an abort).

    Raises:
        PolicyError: the month was drawn already, or an earlier attempt was aborted and no
            reason for drawing again is given.
    """
    attempts = month_attempts(store, month)
    drawn = [d for d, status in attempts if status == "drawn"]
    if drawn:
        raise PolicyError(
            f"{month} 已完成抽取（{drawn[0]}），不得重新抽取 / was drawn already; a draw is "
            f"never redrawn. Replacing it needs a new decision: a ceremony that names it in "
            f"'supersedes' (see `fairdraw ceremony`)"
        )
    base = config.draw_id(month)
    if not attempts:
        return base, None
    last = attempts[-1][0]
    aborted = str(store.record(last)["events"][-1]["event"]["body"].get("reason", ""))
    if not redraw_reason or not redraw_reason.strip():
        raise PolicyError(
            f"{month}：上次抽取 {last} 已中止（{aborted}）；重新抽取须用 --redraw-reason "
            f"说明理由 / the last attempt was aborted; drawing again needs --redraw-reason"
        )
    return f"{base}-{len(attempts) + 1}", {
        "draw_id": last,
        "reason": redraw_reason,
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
    warnings: list[str]
    snapshots: dict[str, str]


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
    redraw_reason: str | None,
    abort_unfinished: str | None,
) -> _Prepared:
    """Check the month can be drawn, plan it and freeze its lists (rules R3, R5, R8, R10–R14)."""
    year, number = parse_month(month)
    day = draw_day(year, number, calendar, rule=config.draw_day_rule)
    warnings: list[str] = []
    today = clock.now().astimezone(BEIJING).date()
    if today != day:
        warnings.append(f"{month}: the draw day is {day}, the ceremony is on {today}")
        say(f"提醒：本月抽取日为 {day}，今天是 {today}", warnings[-1])
    snapshots = {
        "objects_snapshot": latest_snapshot(store, "objects"),
        "inspectors_snapshot": latest_snapshot(store, "inspectors"),
    }
    objects = stored_objects(store, snapshots["objects_snapshot"])
    inspectors = stored_inspectors(store, snapshots["inspectors_snapshot"])
    taking_part = available_officers(availability(store, config, month, inspectors), month)
    _close_unfinished(
        store, key, month, actor=actor, clock=clock, say=say, abort_reason=abort_unfinished
    )
    draw_id, supersedes = _next_attempt(store, config, month, leader["name"], redraw_reason)
    plan = month_plan(
        year,
        number,
        objects,
        catalogue,
        inspected_before(store, year, number),
        settings=config.plan,
    )
    if plan.over_capacity:
        warnings.append(f"{month}: the quotas exceed the groups' capacity by {plan.over_capacity}")
        say(f"提醒：本月任务超出各组能力 {plan.over_capacity} 个", warnings[-1])
    scopes = month_scopes(  # the confidential lists' salt travels with their populations
        month,
        plan,
        catalogue,
        inspectors,
        available=taking_part,
        draw_day=day,
        salt=secrets.token_bytes(32),
    )
    officers = set(scopes[-1].population)
    eligible = [i for i in inspectors if i.certificate in officers]
    rules = _group_rules(config, eligible, plan.total, month)
    for scope in scopes:  # R3: every list is frozen before the seed exists
        store.save_population(scope.population, name=scope.scope, actor=actor, key=key)
    return _Prepared(draw_id, supersedes, day, plan, scopes, rules, inspectors, warnings, snapshots)


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
    redraw_reason: str | None = None,
    abort_unfinished: str | None = None,
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
        redraw_reason: why the month is drawn again after an aborted attempt (required then;
            announced in ``supersedes``).
        abort_unfinished: why an unfinished ceremony of the month is aborted before its reveal
            deadline (otherwise it may still be running, and the draw is refused).

    Raises:
        PolicyError: the month was drawn already, a section has not confirmed, there is nothing
            to draw, or there are too few officers.
        CeremonyError: the dice are not valid rolls.
        SourceUnavailableError: the beacon could not be fetched (the ceremony is aborted and
            finalised as such; the next ``draw_month`` supersedes it).
    """
    clock = clock or Clock()
    say = say or (lambda _zh, _en: None)
    if not leader.get("name", "").strip():
        raise PolicyError("请填写主管领导姓名 / name the leader who performs the draw (R7)")
    ready = _prepare(
        store,
        config,
        key,
        month,
        catalogue,
        calendar,
        leader,
        actor,
        clock,
        say,
        redraw_reason,
        abort_unfinished,
    )
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
        policy_extra={
            **ready.snapshots,
            **({"rehearsal": "true"} if clock.replayed else {}),
        },
    )

    def keep() -> None:
        store.record_event(ceremony.events[-1], actor=actor, key=key)

    def give_up(reason: str) -> None:
        ceremony.abort(reason, at=clock.now())
        keep()
        store.finalise(ceremony.record(), actor=actor, key=key)

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
    _collect(ceremony, dice, beacon_entry, client, clock, say, keep, give_up)
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
        tuple(ready.warnings),
    )


def _collect(
    ceremony: Ceremony,
    dice: Callable[[int], Sequence[int]],
    beacon_entry: Mapping[str, Any] | None,
    client: DrandClient | None,
    clock: Clock,
    say: Progress,
    keep: Callable[[], None],
    give_up: Callable[[str], None],
) -> None:
    """The public values: the leader's dice, then the beacon; abort the ceremony if they fail.

    Raises:
        PolicyError: the dice came after the beacon round was due (they could have been chosen
            knowing it).
        SourceUnavailableError: the beacon could not be fetched.
    """
    try:
        rolls = list(dice(DICE_ROLLS))
    except BaseException as err:  # Ctrl-C, end of input, a closed prompt: abort, never linger
        give_up(f"the leader's dice were not entered ({type(err).__name__})")
        raise
    ceremony.add_value("leader-dice", {"rolls": rolls}, at=clock.now())
    keep()
    if beacon_entry is None:
        return
    due = beacon_entry["round_time"]
    if clock.now() >= datetime.fromisoformat(due):
        give_up("the dice came after the beacon round was due")
        raise PolicyError(
            f"掷骰结果在信标轮次（{due}）产生之后才录入，本次抽取已中止 / the dice came after the "
            f"beacon round was due, when they could have been chosen knowing it; the ceremony "
            f"was aborted. Enter the dice sooner, or raise [beacon] delay_minutes"
        )
    try:
        _add_beacon(ceremony, beacon_entry, client, clock, say)
    except SourceUnavailableError as err:
        give_up(f"the beacon could not be fetched: {err}")
        raise SourceUnavailableError(
            f"{err}; the ceremony {ceremony.draw_id} was aborted and logged; run `rfb draw` "
            f"again (with --redraw-reason) for a new ceremony"
        ) from err
    keep()


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
