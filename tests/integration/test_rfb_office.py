"""The office's workflow over a real SQLite store: availability, the monthly draw, a whole year."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest

from fairdraw import (
    DrandChain,
    DrandClient,
    DrawRecord,
    MemberReceipt,
    OfficeKey,
    PolicyError,
    Population,
    ScopePlan,
    SourceUnavailableError,
    StorageError,
    check_member,
    open_store,
    verify_record,
)
from recorded_server import Answer, recorded_server
from rfb_policy.ceremony.announce import announce_month
from rfb_policy.errors import ConfigError
from rfb_policy.files.directories import read_inspectors, read_objects
from rfb_policy.model.directory import inspectors_population
from rfb_policy.model.performer import Performer
from rfb_policy.model.results import InspectionResult
from rfb_policy.month import Month
from rfb_policy.publish.assignment import assignment_json
from rfb_policy.publish.verify import check_assignment
from rfb_policy.rules.calendar import OfficialCalendar
from rfb_policy.rules.inference import announced_in_records, consistent_sizes
from rfb_policy.rules.items import Catalogue
from rfb_policy.rules.plan import annual_plan, stratum_ratio
from rfb_policy.rules.schedule import draw_day
from rfb_policy.workflow.clock import Clock
from rfb_policy.workflow.config import OfficeConfig
from rfb_policy.workflow.drawing import MonthDraw
from rfb_policy.workflow.folder import init_office
from rfb_policy.workflow.office import Office
from witnessed import new_office, witness_device, witnessed

EXAMPLE = Path(__file__).parents[2] / "examples" / "xicheng"
OBJECTS = read_objects(EXAMPLE / "objects.csv")
INSPECTORS = read_inspectors(EXAMPLE / "inspectors.csv", object_ids=[o.id for o in OBJECTS])
CATALOGUE = Catalogue.bundled()
CALENDAR = OfficialCalendar.load()
BEIJING = timezone(timedelta(hours=8))
PASSPHRASE = b"correct horse battery staple"
VECTORS = Path(__file__).parents[1] / "vectors"
QUICK = next(
    b
    for b in json.loads((VECTORS / "drand" / "beacons.json").read_text())["beacons"]
    if b["chain"] == "quicknet" and b["round"] == 657413
)


def rolls_for(label: str) -> Callable[[int], list[int]]:
    """Fixed dice for a test: derived from the label, so every run is the same."""
    return lambda count: [b % 6 + 1 for b in hashlib.shake_256(label.encode()).digest(count)]


def ceremony_start(month: Month) -> datetime:
    """09:00 Beijing time on the month's draw day, in UTC."""
    day = draw_day(month.year, month.number, CALENDAR)
    return datetime.combine(day, time(9), BEIJING).astimezone(UTC)


def at(office: Office, *, config: OfficeConfig | None = None, clock: Clock | None = None) -> Office:
    """The same office and store, with another configuration or clock."""
    return Office(
        office.store,
        config or office.config,
        key=office.key,
        catalogue=CATALOGUE,
        calendar=CALENDAR,
        clock=clock or office.clock,
    )


@pytest.fixture(params=["sqlite", "postgres"])
def office(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Office]:
    """An office folder with the example directories imported, on either database."""
    init_office(tmp_path, office="西城区人民防空办公室（测试）", prefix="t", passphrase=PASSPHRASE)
    config = witnessed(tmp_path)
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
        text = config.path.read_text(encoding="utf-8")
        config.path.write_text(text.replace('"office.db"', f'"{url}"'), encoding="utf-8")
        config = OfficeConfig.load(config.path)
        assert config.database == url
    key = OfficeKey.load(config.key, PASSPHRASE)
    with Office(
        open_store(config.database), config, key=key, catalogue=CATALOGUE, calendar=CALENDAR
    ) as opened:
        opened.import_directories(OBJECTS, INSPECTORS, actor="test")
        yield opened


def confirm_all(office: Office, month: Month) -> None:
    for status in office.sections(month):
        if not status.exempt:
            office.confirm_availability(month, status.section, confirmer="科长", actor="test")


def draw(office: Office, month: Month, **options: Any) -> MonthDraw:
    """The month's ceremony at 09:00 on its draw day, with the leader's fixed dice."""
    clock = options.pop("clock", None) or Clock(ceremony_start(month))
    arguments: dict[str, Any] = {
        "performer": Performer("王主任"),
        "dice": rolls_for(str(month)),
        "actor": "test",
        "witness_desk": witness_device(),
        **options,
    }
    return at(office, clock=clock).draw(month, **arguments)[0]


def attempts(office: Office, month: Month) -> list[tuple[str, str]]:
    return [(a.draw_id, a.status) for a in office.records.month_attempts(month)]


def test_directories_round_trip_through_the_store(office: Office) -> None:
    assert office.records.objects() == sorted(OBJECTS, key=lambda o: o.id)
    assert office.records.inspectors() == sorted(INSPECTORS, key=lambda i: i.certificate)


def in_quota_mode(office: Office, mode: str) -> Office:
    """The same office with ``[quotas] mode`` set to ``mode`` in its rfb.toml."""
    text = office.config.path.read_text(encoding="utf-8")
    found = re.search(r'^mode = "(exact|hidden)"$', text, flags=re.MULTILINE)
    assert found, "rfb init writes [quotas] mode"
    office.config.path.write_text(
        text[: found.start()] + f'mode = "{mode}"' + text[found.end() :], encoding="utf-8"
    )
    config = OfficeConfig.load(office.config.path)
    assert config.plan.quota_mode == mode
    return at(office, config=config)


@pytest.mark.parametrize("quota_mode", ["exact", "hidden"])
def test_a_whole_year_on_the_example_data(office: Office, quota_mode: str) -> None:
    """Twelve monthly ceremonies: every rule holds and every target is reached by December, in
    either quota mode; no month exceeds what the groups can inspect. In mode hidden every
    confidential scope is announced with keyed scores, its record holds no score, and January
    draws none of it (docs/spec/rfb-quotas-v1.md section 3)."""
    office = in_quota_mode(office, quota_mode)
    open_cases = {o.id for o in OBJECTS if o.open_case}
    conflicts = {i.certificate: set(i.conflicts) for i in INSPECTORS}
    drawn_for: dict[str, list[str]] = {}
    targets: dict[str, int] = {}
    plans = []
    for number in range(1, 13):
        month = Month(2026, number)
        confirm_all(office, month)
        result = draw(office, month)
        plans.append(result.plan)
        assert result.draw_id == f"t-{month}"
        report = verify_record(
            result.record.record.to_json(),
            populations=result.populations,
            public_key=office.key.public,
        )
        assert report.passed, report.to_dict()
        # Every confidential scope announces its membership tree: each of its businesses gets
        # a receipt (docs/spec/membership-v1.md).
        announced = result.record.record.announcement.scopes
        assert all(s.membership_size == 1024 for s in announced if s.confidential)
        _assert_scores(result.record.record.to_json(), keyed=quota_mode == "hidden")
        for quota in result.plan.quotas:
            targets[quota.scope] = quota.target
            picked = result.outcome.drawn.get(quota.scope, ())
            assert set(picked) <= set(quota.eligible)
            assert len(picked) == quota.quota
            if quota.hidden and number == 1:
                assert quota.quota == 0, f"{quota.scope}: drawn before its pad exists"
            drawn_for.setdefault(quota.scope.split("/")[0], []).extend(picked)
        groups = result.outcome.groups
        assert 1 <= len(groups) <= 3 and all(len(g.members) >= 2 for g in groups)
        members = [m for g in groups for m in g.members]
        assert len(members) == len(set(members))
        assignment = result.outcome.assignment
        for group, ids in zip(assignment.groups, assignment.objects, strict=True):
            for object_id in ids:
                assert not any(object_id in conflicts[m] for m in group.members)
        assert not open_cases & {o for ids in result.outcome.drawn.values() for o in ids}
        published = assignment_json(result.draw_id, month, assignment)
        checked = {c.name: c.status for c in check_assignment(result.record, published)}
        moves = "not checked" if assignment.substitutions else "passed"  # reasons are internal
        assert checked.pop("assignment.moves") == moves
        assert set(checked.values()) == {"passed"}, checked
        assert not result.plan.over_capacity
        files = office.folder / "draws" / result.draw_id
        assert (files / "record.json").exists() and (files / "internal" / "verify.sh").exists()
    for item, ids in drawn_for.items():
        assert len(ids) == len(set(ids)), f"{item}: an object was drawn twice in the year"
    for scope, target in targets.items():  # R10, R11: every stratum reaches its target
        done = sum(len(_drawn(office, Month(2026, m), scope)) for m in range(1, 13))
        assert done >= target, scope
    assert all(targets[s] > 0 for s in ("QUAL", "MAINT/base", "USE/base", "COMM/base"))
    under_construction = {o.id for o in OBJECTS if o.under_construction and not o.open_case}
    assert set(drawn_for["QUAL"]) == under_construction
    assert office.store.verify_chain(office.key.public) == len(office.store.entries())
    # The annual plan, replayed from the stored draws, is the plan each month was drawn with.
    replayed = annual_plan(
        2026,
        OBJECTS,
        CATALOGUE,
        settings=office.config.plan,
        drawn=office.records.drawn_by_month(2026),
        shares=office.records.shares_before(Month(2026, 12)),
    )
    assert replayed == plans
    assert list(at(office).plan_year(2026).months) == plans
    _assert_hidden(office, plans[-1].quotas, quota_mode)
    if quota_mode == "hidden":
        _assert_receipts_tell_why(office, Month(2026, 12))


def _assert_receipts_tell_why(office: Office, month: Month) -> None:
    """Mode hidden's December published: ``rfb verify`` finds nothing else failed, the page says the
    confidential scores are not published, and a drawn and a not-drawn business of a keyed
    scope each check their own receipt (the score, the cut-off, why)."""
    office.approve(month, performer=Performer("王主任"), actor="t")
    folder = office.folder / "pub-hidden"
    office.publish(month, folder)
    statuses = verify_statuses(folder)
    failed = [name for name, status in statuses.items() if status == "failed"]
    assert failed == ["rehearsal"]  # (this test's clock is replayed: a rehearsal, not a draw)
    assert "名单回执中的密钥计算，不予公开" in (folder / "index.html").read_text(encoding="utf-8")
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    drawn = set(_drawn(office, month, "MAINT/base"))
    assert drawn
    receipts = (
        office.folder / "draws" / f"t-{month}" / "internal" / "receipts" / f"{month}_MAINT_base"
    )
    seen = set()
    for path in sorted(receipts.iterdir()):
        receipt = MemberReceipt.from_json(json.loads(path.read_text(encoding="utf-8")))
        if (receipt.label in drawn) in seen:
            continue
        report = check_member(receipt, record, public_key=office.key.public)
        assert report.verdict == "passed", report.to_dict()
        assert report.outcome == ("selected" if receipt.label in drawn else "not selected")
        assert report.score and report.cutoff and report.cutoff["score"] and report.reason
        seen.add(receipt.label in drawn)
        if seen == {True, False}:
            break
    assert seen == {True, False}


def _assert_hidden(office: Office, december: Any, quota_mode: str) -> None:
    """What a citizen proves from the year's signed records alone
    (``benchmarks/confidential_inference.py --records``): each confidential total's true size is
    among the sizes the rule allows, which in mode hidden span at least ±25% of it (the stated
    bound); in mode exact they pin it to within ±10%."""
    records = [
        DrawRecord.from_json(json.loads(json.dumps(office.store.record(f"t-{Month(2026, m)}"))))
        for m in range(1, 13)
    ]
    public = announced_in_records(records)
    plan = office.config.plan
    for item in ("MAINT", "USE", "COMM"):
        low = high = truth = 0
        for quota in (q for q in december if q.item == item):
            ratio = stratum_ratio(CATALOGUE, quota.scope, plan)
            sizes = consistent_sizes(
                public.get(quota.scope, ()),
                ratio,
                mode=quota_mode,
                extra_at_most=plan.extra_at_most,
            )
            size = len(quota.eligible) + quota.done
            assert size in sizes, quota.scope
            low, high, truth = low + sizes[0], high + sizes[-1], truth + size
        half = Fraction(high - low, 2 * truth)
        if quota_mode == "hidden":
            assert half >= Fraction(1, 4), f"{item}: ±{float(half):.1%}"
            assert all(m.cut is None for s in public for m in public[s]), "a score was published"
        else:
            assert half <= Fraction(1, 10), f"{item}: ±{float(half):.1%}"


def _assert_scores(record: dict[str, Any], *, keyed: bool) -> None:
    """The record's confidential scopes are announced with keyed scores exactly when ``keyed``,
    and then their picks are ``{label, rank}``: no score in the public record."""
    announce = record["events"][0]["event"]["body"]
    confidential = {s["scope"] for s in announce["scopes"] if s["confidential"]}
    assert confidential
    for scope in announce["scopes"]:
        if scope["scope"] in confidential:
            assert (scope.get("scores") == "keyed") == keyed, scope["scope"]
    results = record["events"][-1]["event"]["body"]["results"]
    for result in results:
        picks = result["selected"] + result["alternates"]
        shapes = {tuple(sorted(p)) for p in picks}
        if keyed and result["scope"] in confidential:
            assert shapes <= {("label", "rank")}, result["scope"]
        else:
            assert shapes <= {("label", "rank", "score")}, result["scope"]


def _drawn(office: Office, month: Month, scope: str) -> list[str]:
    """What the stored record of the month drew for ``scope`` (read back from the store)."""
    record = json.loads(json.dumps(office.store.record(f"t-{month}")))
    results = record["events"][-1]["event"]["body"]["results"]
    found = [r for r in results if r["scope"] == f"{month}/{scope}"]
    return [p["label"] for r in found for p in r["selected"]]


def test_availability_is_required_before_the_draw(office: Office) -> None:
    march = Month(2026, 3)
    with pytest.raises(PolicyError, match="工程管理科"):
        draw(office, march)
    assert attempts(office, march) == []
    with pytest.raises(PolicyError, match="exempt"):
        office.confirm_availability(march, "综合科", confirmer="x", actor="test")
    with pytest.raises(PolicyError, match="no officer"):
        office.confirm_availability(march, "办公室", confirmer="x", actor="test")
    with pytest.raises(PolicyError, match="not officers of"):
        office.confirm_availability(
            march, "工程管理科", confirmer="x", unavailable=["京执110102002"], actor="test"
        )
    confirm_all(office, march)
    away = next(i for i in INSPECTORS if i.section == "工程管理科")
    office.confirm_availability(  # a later confirmation replaces the earlier one
        march, "工程管理科", confirmer="科长", unavailable=[away.certificate], actor="test"
    )
    result = draw(office, march)
    officers = result.record.ranking
    assert away.certificate not in officers and len(officers) == len(INSPECTORS) - 1
    with pytest.raises(PolicyError, match="started"):
        office.confirm_availability(march, "工程管理科", confirmer="x", actor="test")
    with pytest.raises(PolicyError, match="drawn already"):
        draw(office, march)


def test_exempt_members_can_be_excluded_instead(tmp_path: Path) -> None:
    config = new_office(tmp_path, office="测试", prefix="t", passphrase=PASSPHRASE)
    text = config.path.read_text(encoding="utf-8")
    config.path.write_text(text.replace('"presumed-available"', '"excluded"'), encoding="utf-8")
    config = OfficeConfig.load(config.path)
    key = OfficeKey.load(config.key, PASSPHRASE)
    april = Month(2026, 4)
    with Office.open(config, key=key) as office:
        office.import_directories(OBJECTS, INSPECTORS, actor="t")
        confirm_all(office, april)
        result = draw(office, april)
    general = {i.certificate for i in INSPECTORS if i.section == "综合科"}
    assert general and not general & set(result.record.ranking)


def test_an_interrupted_ceremony_is_aborted_and_superseded(office: Office) -> None:
    """Ctrl-C at the dice prompt aborts the ceremony at once, and says so; drawing again needs
    a reason."""
    may = Month(2026, 5)
    confirm_all(office, may)

    def walks_out(_count: int) -> list[int]:
        raise KeyboardInterrupt

    with pytest.raises(PolicyError, match=r"dice were not entered.*aborted and logged"):
        draw(office, may, dice=walks_out)
    kinds = [e["event"]["kind"] for e in office.store.ceremony_events("t-2026-05")]
    assert kinds == ["announce", "witness", "commit", "commit", "abort"]  # no reveal: no dice
    assert attempts(office, may) == [("t-2026-05", "aborted")]
    with pytest.raises(PolicyError, match="redraw-reason"):
        draw(office, may)
    result = draw(office, may, redraw_reason="主管领导临时离场，重新抽取")
    assert result.draw_id == "t-2026-05-2"
    assert attempts(office, may) == [("t-2026-05", "aborted"), ("t-2026-05-2", "drawn")]
    supersedes = result.record.supersedes
    assert supersedes is not None
    assert supersedes.to_json() == {
        "draw_id": "t-2026-05",
        "reason": "主管领导临时离场，重新抽取",
        "approver": "王主任",
    }
    # The aborted attempt is published beside the draw that replaces it, and checked.
    office.approve(may, performer=Performer("王主任"), actor="t")
    folder = office.folder / "pub"
    office.publish(may, folder)
    assert [r.draw_id for r in office.records.superseded(result.record)] == ["t-2026-05"]
    assert "superseded/t-2026-05.json" in (folder / "index.html").read_text(encoding="utf-8")
    statuses = verify_statuses(folder)
    assert statuses["supersedes"] == "passed" and statuses["assignment.deal"] == "passed"
    (folder / "superseded" / "t-2026-05.json").unlink()
    assert verify_statuses(folder)["supersedes"] == "failed"


def verify_statuses(folder: Path) -> dict[str, str]:
    """``rfb verify DIR --json``: each check's status by name."""
    done = subprocess.run(
        [sys.executable, "-c", "from rfb_policy.cli.main import main; main()",
         "verify", str(folder), "--json"],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )  # fmt: skip
    return {c["name"]: c["status"] for c in json.loads(done.stdout)["checks"]}


def crash_a_ceremony(office: Office, month: Month) -> datetime:
    """Store a ceremony's announcement as a process would before dying; return its start."""
    start = ceremony_start(month)
    scopes = [
        ScopePlan(scope=f"{month}/inspectors", population=Population.of(["京执1", "京执2"]), k=2)
    ]
    crashed = announce_month(
        office.key, draw_id=f"t-{month}", office="测试", scopes=scopes, catalogue=CATALOGUE,
        start=start, single_party_reason="a test: only its announcement is ever stored",
    )  # fmt: skip
    office.store.record_event(crashed.events[0], actor="另一位工作人员", key=office.key)
    return start


def test_a_crashed_ceremony_on_a_shared_database_waits_for_its_deadline(
    office: Office,
) -> None:
    """On a shared database another officer, on another machine, may still be running it: only
    after its reveal deadline, or with a stated reason, is it aborted (and the next attempt
    still needs a reason of its own). On the office's own SQLite file the month's lock tells a
    dead process from a live one, and the ceremony is aborted at once."""
    september = Month(2026, 9)
    confirm_all(office, september)
    start = crash_a_ceremony(office, september)
    if "://" in office.config.database:
        with pytest.raises(PolicyError, match="may still be running") as refused:
            draw(office, september, clock=Clock(start + timedelta(minutes=5)))
        assert "另一位工作人员" in str(refused.value)  # who started it
        assert attempts(office, september) == []
        with pytest.raises(PolicyError, match="redraw-reason"):
            draw(office, september, abort_unfinished="电脑死机")
        reason = "电脑死机"
    else:
        with pytest.raises(PolicyError, match="redraw-reason"):
            draw(office, september, clock=Clock(start + timedelta(minutes=5)))
        reason = "the process running it stopped"
    assert attempts(office, september) == [("t-2026-09", "aborted")]
    aborted = office.records.record("t-2026-09").record.abort_reason
    assert aborted is not None and reason in aborted
    result = draw(office, september, redraw_reason="电脑死机后重新抽取")
    assert result.draw_id == "t-2026-09-2"


def test_a_second_draw_of_the_month_on_this_machine_is_refused_at_once(office: Office) -> None:
    """While one officer's `rfb draw` runs, another's is refused before it touches anything."""
    october = Month(2026, 10)
    confirm_all(office, october)
    refused: list[str] = []

    def meanwhile(count: int) -> list[int]:
        with pytest.raises(PolicyError, match="another officer is drawing") as second:
            draw(office, october)
        refused.append(str(second.value))
        return rolls_for("first")(count)

    result = draw(office, october, dice=meanwhile)
    assert refused and result.draw_id == "t-2026-10"
    assert attempts(office, october) == [("t-2026-10", "drawn")]


def test_a_prefix_change_cannot_hide_a_drawn_month(office: Office) -> None:
    october = Month(2026, 10)
    confirm_all(office, october)
    draw(office, october)
    text = office.config.path.read_text(encoding="utf-8").replace('prefix = "t"', 'prefix = "x"')
    office.config.path.write_text(text, encoding="utf-8")
    renamed = OfficeConfig.load(office.config.path)
    assert renamed.draw_id_prefix == "x"
    with pytest.raises(PolicyError, match="drawn already"):
        draw(at(office, config=renamed), october)


def test_a_changed_directory_is_a_new_snapshot_and_the_record_names_its_own(
    office: Office,
) -> None:
    """Changing a flag or a 回避 entry makes a new snapshot; a drawn month keeps the directory
    its record announced, so re-importing cannot rewrite its groups or assignment."""
    november = Month(2026, 11)
    confirm_all(office, november)
    result = draw(office, november)
    with pytest.raises(PolicyError, match="not confirmed"):
        office.publish(november)
    leader = Performer("王主任")
    office.approve(november, performer=leader, reject=True, actor="t")
    with pytest.raises(PolicyError, match="rejected"):
        office.publish(november)
    office.approve(november, performer=leader, actor="t")
    folder = office.folder / "publication" / "2026-11"
    assert folder / "assignment.json" in office.publish(november)
    before = (folder / "assignment.json").read_bytes()
    first = result.outcome.assignment.objects[0][0]
    member = result.outcome.groups[0].members[0]
    changed = [
        attrs.evolve(i, conflicts=(*i.conflicts, first)) if i.certificate == member else i
        for i in INSPECTORS
    ]
    population, _ = inspectors_population(changed)
    assert population.digest_hex != result.record.inspectors_snapshot
    office.import_directories(OBJECTS, changed, actor="t")
    assert any(first in i.conflicts for i in office.records.inspectors())  # the new snapshot
    office.publish(november)
    assert (folder / "assignment.json").read_bytes() == before


def test_results_are_checked_flagged_late_and_published(office: Office) -> None:
    """A result names an object of the draw; one after the deadline is flagged; the newest
    counts on the page."""
    june = Month(2026, 6)
    confirm_all(office, june)
    result = draw(office, june)
    picked = result.record.objects[0]
    with pytest.raises(PolicyError, match="is not an object the draw"):
        office.record_result(june, "nobody", InspectionResult(category="未发现问题"), actor="g")
    late, _ = office.record_result(
        june, picked, InspectionResult(category="未发现问题"), actor="g",
        submitted_on=date(2026, 6, 26),
    )  # fmt: skip
    assert late.late and late.due == date(2026, 6, 25)
    fixed, _ = office.record_result(
        june, picked, InspectionResult(category="不配合检查情节严重"), actor="g",
        submitted_on=date(2026, 6, 24),
    )  # fmt: skip
    assert not fixed.late
    assert office.records.latest_results(result.draw_id)[picked].category == "不配合检查情节严重"
    office.approve(june, performer=Performer("王主任"), actor="t")
    page = office.folder / "publication" / "2026-06"
    office.publish(june)
    assert "不配合检查情节严重" in (page / "results.csv").read_text(encoding="utf-8")


def test_a_lost_export_is_written_again_from_the_store(office: Office) -> None:
    """A crash after finalising, before the draw's files: `rfb export` (and the next step that
    needs them) writes them again, byte for byte."""
    july = Month(2026, 7)
    confirm_all(office, july)
    result = draw(office, july)
    folder = office.folder / "draws" / result.draw_id
    written = {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    assert folder / "announcement.json" in written
    for path in written:
        path.unlink()
    office.export(july)
    assert {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} == written
    for path in written:
        path.unlink()
    office.approve(july, performer=Performer("王主任"), actor="t")
    office.publish(july)  # needs them: writes them first
    assert (folder / "internal" / "verify.sh").read_bytes() == written[
        folder / "internal" / "verify.sh"
    ]
    with pytest.raises(StorageError):
        office.export("t-no-such-draw")


def _with_beacon(config: OfficeConfig, relay: str) -> tuple[OfficeConfig, dict[str, Any]]:
    """The office configured for quicknet through ``relay``, and draw options that replay the
    ceremony from 2 minutes before round 657413 (the recorded beacon)."""
    text = config.path.read_text(encoding="utf-8").replace('chain = ""', 'chain = "quicknet"')
    text = text.replace("delay_minutes = 20", "delay_minutes = 2")
    text = text.replace(
        'relays = ["https://api.drand.sh", "https://drand.cloudflare.com"]', f'relays = ["{relay}"]'
    )
    config.path.write_text(text, encoding="utf-8")
    chain = DrandChain.quicknet()
    start = chain.time_of_round(657413) - timedelta(minutes=2, seconds=2)
    client = DrandClient(chain=chain, relays=[relay], timeout=2.0, retries=0)
    return OfficeConfig.load(config.path), {"clock": Clock(start), "client": client}


def test_a_month_with_a_drand_beacon_from_a_relay(office: Office) -> None:
    """The round is announced 2 minutes ahead; the ceremony waits for it and verifies it."""
    june = Month(2026, 6)
    confirm_all(office, june)
    with recorded_server() as relay:
        path = f"/{DrandChain.quicknet().chain_hash.hex()}/public/657413"
        body = {k: v for k, v in QUICK.items() if not k.startswith("_") and k != "chain"}
        relay.routes[path] = Answer(json.dumps(body).encode())
        config, options = _with_beacon(office.config, relay.url)
        result = draw(at(office, config=config), june, **options)
        assert relay.requests == [path]
    (beacon,) = result.record.record.announcement.sources_of_type("drand")
    assert beacon.get("round") == 657413 and beacon.get("chain") == "quicknet"
    report = verify_record(
        result.record.record.to_json(), populations=result.populations, public_key=office.key.public
    )
    assert report.passed, report.to_dict()


def test_a_beacon_that_never_comes_aborts_the_ceremony(office: Office) -> None:
    july = Month(2026, 7)
    confirm_all(office, july)
    with recorded_server() as relay:  # answers 404 to everything
        config, options = _with_beacon(office.config, relay.url)
        with pytest.raises(SourceUnavailableError, match="aborted"):
            draw(at(office, config=config), july, **options)
        assert len(relay.requests) == 10
    assert attempts(office, july) == [("t-2026-07", "aborted")]


def test_bad_configuration_names_the_field(tmp_path: Path) -> None:
    config = init_office(tmp_path, office="测试", prefix="t", passphrase=PASSPHRASE)
    original = config.path.read_text(encoding="utf-8")
    for old, new, field in (
        ("count = 3", "count = 4", "[groups] count"),
        ("size = 2", "size = 1", "[groups] size"),
        ("require_a_post = false", "require_a_post = 1", "[groups] require_a_post"),
        ('draw_day = "first-tuesday"', 'draw_day = "monday"', "[schedule] draw_day"),
        ('multiplier = "2"', 'multiplier = "two"', "[risk] multiplier"),
        ('chain = "quicknet"', 'chain = "mainnet"', "[beacon] chain"),
        ('exempt_sections = ["综合科"]', "exempt_sections = [1]", "[availability] exempt_sections"),
    ):
        config.path.write_text(original.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(ConfigError, match=field.replace("[", r"\[").replace("]", r"\]")):
            OfficeConfig.load(config.path)
    with pytest.raises(ConfigError, match="rfb init"):
        OfficeConfig.load(tmp_path / "missing.toml")
    config.path.write_text(original, encoding="utf-8")
    with pytest.raises(PolicyError, match="exists already"):
        init_office(tmp_path, office="测试", prefix="t", passphrase=PASSPHRASE)


def test_a_failed_init_leaves_nothing_behind(tmp_path: Path) -> None:
    """A refused passphrase or prefix, or a folder that cannot be written, leaves no half-made
    office (and no key) behind."""
    for options in ({"passphrase": b"short"}, {"prefix": "bad prefix"}):
        arguments: dict[str, Any] = {"office": "测试", "prefix": "t", "passphrase": PASSPHRASE}
        with pytest.raises(PolicyError):
            init_office(tmp_path / "new", **{**arguments, **options})
        assert not (tmp_path / "new").exists()
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "calendar").write_text("a file where the folder goes", encoding="utf-8")
    with pytest.raises(PolicyError, match="exists already"):
        init_office(blocked, office="测试", prefix="t", passphrase=PASSPHRASE)
    assert sorted(p.name for p in blocked.iterdir()) == ["calendar"]


def test_one_a_post_officer_in_every_group(office: Office) -> None:
    """With require_a_post the record lists the A岗 officers, so the groups still follow from it."""
    text = office.config.path.read_text(encoding="utf-8")
    office.config.path.write_text(text.replace("require_a_post = false", "require_a_post = true"))
    config = OfficeConfig.load(office.config.path)
    august = Month(2026, 8)
    confirm_all(at(office, config=config), august)
    result = draw(at(office, config=config), august)
    posts = {i.certificate: i.post for i in INSPECTORS}
    rules = result.record.rules
    assert set(rules.a_posts) == {c for c in result.record.ranking if posts[c] == "A"}
    assert all(any(posts[m] == "A" for m in g.members) for g in result.outcome.groups)
    assert result.record.groups == result.outcome.groups


def test_dice_typed_after_the_beacon_round_abort_the_ceremony(office: Office) -> None:
    """Whoever types the dice knows the office's secret; after the round is public he could pick
    the result, so dice that come after the round's time abort the ceremony."""
    december = Month(2026, 12)
    confirm_all(office, december)
    with recorded_server() as relay:
        config, options = _with_beacon(office.config, relay.url)

        def slow_leader(count: int) -> list[int]:
            options["clock"].pause(5 * 60)  # the round was due 2 minutes after the announcement
            return rolls_for("slow")(count)

        with pytest.raises(PolicyError, match="after the reveal deadline"):
            draw(at(office, config=config), december, dice=slow_leader, **options)
        assert relay.requests == []  # the beacon was never even fetched
    assert attempts(office, december) == [("t-2026-12", "aborted")]


def test_a_second_folder_on_the_same_sqlite_file_cannot_abort_a_running_draw(
    tmp_path: Path,
) -> None:
    """Regression (review): two office folders using one SQLite file shared no lock, so the
    second officer's `rfb draw` took a running ceremony for a dead one and aborted it. The lock
    now sits beside the database file."""
    shared = str(tmp_path / "shared.db")
    open_store(shared).close()
    folders = []
    for name in ("a", "b"):
        config = new_office(tmp_path / name, office="测试", prefix="t", passphrase=PASSPHRASE)
        text = config.path.read_text(encoding="utf-8").replace('"office.db"', f'"{shared}"')
        config.path.write_text(text, encoding="utf-8")
        folders.append(OfficeConfig.load(config.path))
    key_a = OfficeKey.load(folders[0].key, PASSPHRASE)
    march = Month(2026, 3)
    first = Office(
        open_store(shared), folders[0], key=key_a, catalogue=CATALOGUE, calendar=CALENDAR
    )
    first.import_directories(OBJECTS, INSPECTORS, actor="a")
    confirm_all(first, march)
    second = Office(
        open_store(shared), folders[1], key=key_a, catalogue=CATALOGUE, calendar=CALENDAR
    )
    refused: list[str] = []

    def meanwhile(count: int) -> list[int]:  # the first ceremony is announced and running
        for attempt in (
            lambda: draw(second, march, performer=Performer("另一位")),
            lambda: second.confirm_availability(march, "工程管理科", confirmer="x", actor="b"),
        ):
            with pytest.raises(PolicyError) as err:
                attempt()
            refused.append(str(err.value))
        return rolls_for("first")(count)

    result = draw(first, march, dice=meanwhile)
    assert result.draw_id == "t-2026-03"
    assert len(refused) == 2 and all("another officer is drawing" in r for r in refused), refused
    assert attempts(first, march) == [("t-2026-03", "drawn")]
    first.close()
    second.close()


def test_publish_outside_an_office_folder_writes_nothing_but_the_publication(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression (review): `rfb publish --db` run outside an office folder wrote `draws/` with
    the confidential lists and their salt into whatever folder it was run from."""
    may = Month(2026, 5)
    confirm_all(office, may)
    result = draw(office, may)
    office.approve(may, performer=Performer("王主任"), actor="t")
    for path in (office.folder / "draws" / result.draw_id).rglob("*.txt"):
        path.unlink()  # as if a crash had lost them
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    outside = Office(
        office.store,
        OfficeConfig.defaults(elsewhere),
        key=office.key,  # (the manifest is signed)
        catalogue=CATALOGUE,
        calendar=CALENDAR,
    )
    outside.publish(may, elsewhere / "pub")
    assert sorted(p.name for p in elsewhere.iterdir()) == ["pub"]


def test_what_an_interrupted_init_left_is_named(tmp_path: Path) -> None:
    """`rfb init` writes rfb.toml last; a key without it is what a killed `rfb init` left."""
    OfficeKey.generate().save(tmp_path / "office.key", PASSPHRASE)
    with pytest.raises(PolicyError, match=r"interrupted rfb init left office\.key"):
        init_office(tmp_path, office="测试", prefix="t", passphrase=PASSPHRASE)


def test_a_hidden_first_month_with_nothing_else_to_draw_still_fixes_the_pads(
    office: Office,
) -> None:
    """Mode hidden, a January without a QUAL project: every scope announced has k = 0, and the
    ceremony still runs (it commits the confidential lists and fixes the year's pads from its
    seed), drawing nobody; February then draws each confidential stratum's target + pad."""
    office = in_quota_mode(office, "hidden")
    built = [attrs.evolve(o, under_construction=False) for o in OBJECTS]
    office.import_directories(built, INSPECTORS, actor="test")
    january = Month(2026, 1)
    confirm_all(office, january)
    result = draw(office, january)
    assert all(q.quota == 0 for q in result.plan.quotas)
    assert not any(result.outcome.drawn.values())
    assert {s for s in office.records.shares_before(Month(2026, 2))} == {
        q.scope for q in result.plan.quotas if q.hidden and q.eligible
    }
    february = Month(2026, 2)
    confirm_all(office, february)
    drawn = draw(office, february)
    for quota in drawn.plan.quotas:
        if quota.hidden:
            assert quota.pad is not None
            assert quota.quota == -(-(quota.target + quota.pad) // 11)
