"""The office's workflow over a real SQLite store: availability, the monthly draw, a whole year."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

from fairdraw import (
    DrandChain,
    DrandClient,
    OfficeKey,
    PolicyError,
    Population,
    ScopePlan,
    SourceUnavailableError,
    Store,
    open_store,
    verification_report,
)
from recorded_server import Answer, recorded_server
from rfb_policy.calendar import OfficialCalendar
from rfb_policy.config import OfficeConfig
from rfb_policy.directories import (
    inspectors_population,
    read_inspectors,
    read_objects,
)
from rfb_policy.errors import ConfigError
from rfb_policy.items import Catalogue
from rfb_policy.monthly import announce_month, record_groups
from rfb_policy.office import (
    Clock,
    MonthDraw,
    availability,
    confirm_availability,
    draw_month,
    drawn_by_month,
    import_directories,
    init_office,
    month_attempts,
    publication,
    stored_inspectors,
    stored_objects,
    superseded_records,
)
from rfb_policy.plan import annual_plan
from rfb_policy.publish import assignment_json, write_publication
from rfb_policy.schedule import draw_day
from rfb_policy.verify import check_assignment

EXAMPLE = Path(__file__).parents[1] / "examples" / "xicheng"
OBJECTS = read_objects(EXAMPLE / "objects.csv")
INSPECTORS = read_inspectors(EXAMPLE / "inspectors.csv", object_ids=[o.id for o in OBJECTS])
CATALOGUE = Catalogue.bundled()
CALENDAR = OfficialCalendar.load()
BEIJING = timezone(timedelta(hours=8))
PASSPHRASE = b"correct horse battery staple"
VECTORS = Path(__file__).parent / "vectors"
QUICK = next(
    b
    for b in json.loads((VECTORS / "drand" / "beacons.json").read_text())["beacons"]
    if b["chain"] == "quicknet" and b["round"] == 657413
)


def rolls_for(label: str) -> Callable[[int], list[int]]:
    """Fixed dice for a test: derived from the label, so every run is the same."""
    return lambda count: [b % 6 + 1 for b in hashlib.shake_256(label.encode()).digest(count)]


@pytest.fixture(params=["sqlite", "postgres"])
def office(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[OfficeConfig, OfficeKey, Store]]:
    """An office folder with the example directories imported, on either database."""
    config = init_office(
        tmp_path, office="西城区人民防空办公室（测试）", prefix="t", passphrase=PASSPHRASE
    )
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
        text = config.path.read_text(encoding="utf-8")
        config.path.write_text(text.replace('"office.db"', f'"{url}"'), encoding="utf-8")
        config = OfficeConfig.load(config.path)
        assert config.database == url
    key = OfficeKey.load(config.key, PASSPHRASE)
    with open_store(config.database) as store:
        import_directories(store, OBJECTS, INSPECTORS, actor="test", key=key)
        yield config, key, store


def confirm_all(store: Store, config: OfficeConfig, key: OfficeKey, month: str) -> None:
    for status in availability(store, config, month, INSPECTORS):
        if not status.exempt:
            confirm_availability(
                store, config, month, status.section, confirmer="科长",
                unavailable=(), inspectors=INSPECTORS, actor="test", key=key,
            )  # fmt: skip


def draw(
    store: Store, config: OfficeConfig, key: OfficeKey, month: str, **options: Any
) -> MonthDraw:
    year, number = int(month[:4]), int(month[5:])
    start = datetime.combine(draw_day(year, number, CALENDAR), time(9), BEIJING)
    arguments: dict[str, Any] = {
        "catalogue": CATALOGUE,
        "calendar": CALENDAR,
        "leader": {"name": "王主任"},
        "dice": rolls_for(month),
        "actor": "test",
        "clock": Clock(start.astimezone(UTC)),
        **options,
    }
    return draw_month(store, config, key, month, **arguments)


def test_directories_round_trip_through_the_store(
    office: tuple[OfficeConfig, OfficeKey, Store],
) -> None:
    _, _, store = office
    assert stored_objects(store) == sorted(OBJECTS, key=lambda o: o.id)
    assert stored_inspectors(store) == sorted(INSPECTORS, key=lambda i: i.certificate)


def test_a_whole_year_on_the_example_data(office: tuple[OfficeConfig, OfficeKey, Store]) -> None:
    """Twelve monthly ceremonies: every rule holds and every target is reached by December."""
    config, key, store = office
    open_cases = {o.id for o in OBJECTS if o.open_case}
    conflicts = {i.certificate: set(i.conflicts) for i in INSPECTORS}
    drawn_for: dict[str, list[str]] = {}
    targets: dict[str, int] = {}
    plans = []
    for number in range(1, 13):
        month = f"2026-{number:02d}"
        confirm_all(store, config, key, month)
        result = draw(store, config, key, month)
        plans.append(result.plan)
        assert result.draw_id == f"t-{month}"
        report = verification_report(
            result.record, populations=result.populations, public_key=key.public
        )
        assert report.passed, report.to_dict()
        for quota in result.plan.quotas:
            targets[quota.scope] = quota.target
            picked = result.outcome.drawn.get(quota.scope, ())
            assert len(picked) == quota.quota
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
        published = assignment_json(result.record, month, assignment)
        assert all(c.passed for c in check_assignment(result.record, published))
        assert not result.plan.over_capacity
    for item, ids in drawn_for.items():
        assert len(ids) == len(set(ids)), f"{item}: an object was drawn twice in the year"
    for scope, target in targets.items():  # R10, R11: every stratum reaches its target
        done = sum(len(_drawn(store, m, scope)) for m in range(1, 13))
        assert done >= target, scope
    assert all(targets[s] > 0 for s in ("QUAL", "MAINT/base", "USE/base", "COMM/base"))
    under_construction = {o.id for o in OBJECTS if o.under_construction and not o.open_case}
    assert set(drawn_for["QUAL"]) == under_construction
    assert store.verify_chain(key.public) == len(store.entries())
    # The annual plan, replayed from the stored draws, is the plan each month was drawn with.
    replayed = annual_plan(2026, OBJECTS, CATALOGUE, drawn=drawn_by_month(store, 2026))
    assert replayed == plans


def _drawn(store: Store, number: int, scope: str) -> list[str]:
    """What the stored record of 2026-MM drew for ``scope`` (read back from the store)."""
    record = store.record(f"t-2026-{number:02d}")
    results = record["events"][-1]["event"]["body"]["results"]
    found = [r for r in results if r["scope"] == f"2026-{number:02d}/{scope}"]
    return [p["label"] for r in found for p in r["selected"]]


def test_availability_is_required_before_the_draw(
    office: tuple[OfficeConfig, OfficeKey, Store],
) -> None:
    config, key, store = office
    with pytest.raises(PolicyError, match="工程管理科"):
        draw(store, config, key, "2026-03")
    assert month_attempts(store, "2026-03") == []
    common: dict[str, Any] = {"inspectors": INSPECTORS, "actor": "test", "key": key}
    with pytest.raises(PolicyError, match="exempt"):
        confirm_availability(
            store, config, "2026-03", "综合科", confirmer="x", unavailable=(), **common
        )
    with pytest.raises(PolicyError, match="no officer"):
        confirm_availability(
            store, config, "2026-03", "办公室", confirmer="x", unavailable=(), **common
        )
    with pytest.raises(PolicyError, match="not officers of"):
        confirm_availability(
            store,
            config,
            "2026-03",
            "工程管理科",
            confirmer="x",
            unavailable=["京执110102002"],
            **common,
        )
    confirm_all(store, config, key, "2026-03")
    away = next(i for i in INSPECTORS if i.section == "工程管理科")
    confirm_availability(
        store,
        config,
        "2026-03",
        "工程管理科",
        confirmer="科长",
        unavailable=[away.certificate],
        **common,
    )  # a later confirmation replaces the earlier one
    result = draw(store, config, key, "2026-03")
    officers = [p["label"] for p in _scope(result, "2026-03/inspectors")["selected"]]
    assert away.certificate not in officers and len(officers) == len(INSPECTORS) - 1
    with pytest.raises(PolicyError, match="started"):
        confirm_availability(
            store, config, "2026-03", "工程管理科", confirmer="x", unavailable=(), **common
        )
    with pytest.raises(PolicyError, match="drawn already"):
        draw(store, config, key, "2026-03")


def _scope(result: MonthDraw, name: str) -> dict[str, Any]:
    body = result.record["events"][-1]["event"]["body"]
    return next(r for r in body["results"] if r["scope"] == name)


def test_exempt_members_can_be_excluded_instead(tmp_path: Path) -> None:
    config = init_office(tmp_path, office="测试", prefix="t", passphrase=PASSPHRASE)
    text = config.path.read_text(encoding="utf-8")
    config.path.write_text(text.replace('"presumed-available"', '"excluded"'), encoding="utf-8")
    config = OfficeConfig.load(config.path)
    key = OfficeKey.load(config.key, PASSPHRASE)
    with open_store(config.database) as store:
        import_directories(store, OBJECTS, INSPECTORS, actor="t", key=key)
        confirm_all(store, config, key, "2026-04")
        result = draw(store, config, key, "2026-04")
    general = {i.certificate for i in INSPECTORS if i.section == "综合科"}
    officers = {p["label"] for p in _scope(result, "2026-04/inspectors")["selected"]}
    assert general and not general & officers


def test_an_interrupted_ceremony_is_aborted_and_superseded(
    office: tuple[OfficeConfig, OfficeKey, Store],
) -> None:
    """Ctrl-C at the dice prompt aborts the ceremony at once; drawing again needs a reason."""
    config, key, store = office
    confirm_all(store, config, key, "2026-05")

    def walks_out(_count: int) -> list[int]:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        draw(store, config, key, "2026-05", dice=walks_out)
    kinds = [e["event"]["kind"] for e in store.ceremony_events("t-2026-05")]
    assert kinds == ["announce", "commit", "reveal", "abort"]
    assert month_attempts(store, "2026-05") == [("t-2026-05", "aborted")]
    with pytest.raises(PolicyError, match="redraw-reason"):
        draw(store, config, key, "2026-05")
    result = draw(store, config, key, "2026-05", redraw_reason="主管领导临时离场，重新抽取")
    assert result.draw_id == "t-2026-05-2"
    assert month_attempts(store, "2026-05") == [
        ("t-2026-05", "aborted"),
        ("t-2026-05-2", "drawn"),
    ]
    supersedes = result.record["events"][0]["event"]["body"]["supersedes"]
    assert supersedes == {
        "draw_id": "t-2026-05",
        "reason": "主管领导临时离场，重新抽取",
        "approver": "王主任",
    }
    # The aborted attempt is published beside the draw that replaces it, and checked.
    store.approve(result.draw_id, approver="王主任", role="主管领导", actor="t", key=key)
    rows, assignment = publication(store, result.draw_id, CATALOGUE)
    earlier = superseded_records(store, result.record)
    assert [r["draw_id"] for r in earlier] == ["t-2026-05"]
    folder = config.path.parent / "pub"
    write_publication(folder, "2026-05", rows, result.record, assignment, earlier)
    assert "superseded/t-2026-05.json" in (folder / "index.html").read_text(encoding="utf-8")
    statuses = verify_statuses(folder)
    assert statuses["supersedes"] == "passed" and statuses["assignment.deal"] == "passed"
    (folder / "superseded" / "t-2026-05.json").unlink()
    assert verify_statuses(folder)["supersedes"] == "failed"


def verify_statuses(folder: Path) -> dict[str, str]:
    """``rfb verify DIR --json``: each check's status by name."""
    done = subprocess.run(
        [sys.executable, "-c", "from rfb_policy.cli import main; main()",
         "verify", str(folder), "--json"],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )  # fmt: skip
    return {c["name"]: c["status"] for c in json.loads(done.stdout)["checks"]}


def test_a_crashed_ceremony_is_left_alone_until_its_deadline(
    office: tuple[OfficeConfig, OfficeKey, Store],
) -> None:
    """A ceremony whose process died leaves events behind. Another officer's `rfb draw` must not
    take it for dead while it may still be running: only after its reveal deadline, or with a
    stated reason, is it aborted (and the next attempt still needs a reason of its own)."""
    config, key, store = office
    confirm_all(store, config, key, "2026-09")
    start = datetime.combine(draw_day(2026, 9, CALENDAR), time(9), BEIJING).astimezone(UTC)
    scopes = [
        ScopePlan(scope="2026-09/inspectors", population=Population.of(["京执1", "京执2"]), k=2)
    ]
    crashed = announce_month(
        key, draw_id="t-2026-09", office="测试", scopes=scopes, catalogue=CATALOGUE, start=start
    )
    store.record_event(crashed.events[0], actor="test", key=key)  # then the process died
    with pytest.raises(PolicyError, match="may still be running"):
        draw(store, config, key, "2026-09", clock=Clock(start + timedelta(minutes=5)))
    assert month_attempts(store, "2026-09") == []
    with pytest.raises(PolicyError, match="redraw-reason"):
        draw(store, config, key, "2026-09", abort_unfinished="电脑死机")
    assert month_attempts(store, "2026-09") == [("t-2026-09", "aborted")]
    aborted = store.record("t-2026-09")["events"][-1]["event"]["body"]["reason"]
    assert "电脑死机" in aborted
    result = draw(store, config, key, "2026-09", redraw_reason="电脑死机后重新抽取")
    assert result.draw_id == "t-2026-09-2"


def test_a_prefix_change_cannot_hide_a_drawn_month(
    office: tuple[OfficeConfig, OfficeKey, Store],
) -> None:
    config, key, store = office
    confirm_all(store, config, key, "2026-10")
    draw(store, config, key, "2026-10")
    text = config.path.read_text(encoding="utf-8").replace('prefix = "t"', 'prefix = "other"')
    config.path.write_text(text, encoding="utf-8")
    renamed = OfficeConfig.load(config.path)
    assert renamed.draw_id_prefix == "other"
    with pytest.raises(PolicyError, match="drawn already"):
        draw(store, renamed, key, "2026-10")


def test_a_changed_directory_is_a_new_snapshot_and_the_record_names_its_own(
    office: tuple[OfficeConfig, OfficeKey, Store],
) -> None:
    """Changing a flag or a 回避 entry makes a new snapshot; a drawn month keeps the directory
    its record announced, so re-importing cannot rewrite its groups or assignment."""
    config, key, store = office
    confirm_all(store, config, key, "2026-11")
    result = draw(store, config, key, "2026-11")
    policy = result.record["events"][0]["event"]["body"]["policy"]
    with pytest.raises(PolicyError, match="not confirmed"):
        publication(store, result.draw_id, CATALOGUE)
    common: dict[str, Any] = {"approver": "王主任", "role": "主管领导", "actor": "t", "key": key}
    store.approve(result.draw_id, decision="rejected", **common)
    with pytest.raises(PolicyError, match="rejected"):
        publication(store, result.draw_id, CATALOGUE)
    store.approve(result.draw_id, **common)
    before = publication(store, result.draw_id, CATALOGUE)[1]
    first = result.outcome.assignment.objects[0][0]
    member = result.outcome.groups[0].members[0]
    changed = [
        attrs.evolve(i, conflicts=(*i.conflicts, first)) if i.certificate == member else i
        for i in INSPECTORS
    ]
    population, attributes = inspectors_population(changed)
    assert population.digest_hex != policy["inspectors_snapshot"]
    store.save_population(population, name="inspectors", actor="t", key=key, attributes=attributes)
    assert any(first in i.conflicts for i in stored_inspectors(store))  # the new snapshot
    assert publication(store, result.draw_id, CATALOGUE)[1] == before


def _with_beacon(config: OfficeConfig, relay: str) -> tuple[OfficeConfig, dict[str, Any]]:
    """The office configured for quicknet through ``relay``, and draw options that replay the
    ceremony from 2 minutes before round 657413 (the recorded beacon)."""
    text = config.path.read_text(encoding="utf-8").replace('chain = ""', 'chain = "quicknet"')
    text = text.replace("delay_minutes = 10", "delay_minutes = 2")
    text = text.replace(
        'relays = ["https://api.drand.sh", "https://drand.cloudflare.com"]', f'relays = ["{relay}"]'
    )
    config.path.write_text(text, encoding="utf-8")
    chain = DrandChain.quicknet()
    start = chain.time_of_round(657413) - timedelta(minutes=2, seconds=2)
    client = DrandClient(chain=chain, relays=[relay], timeout=2.0, retries=0)
    return OfficeConfig.load(config.path), {"clock": Clock(start), "client": client}


def test_a_month_with_a_drand_beacon_from_a_relay(
    office: tuple[OfficeConfig, OfficeKey, Store],
) -> None:
    """The round is announced 2 minutes ahead; the ceremony waits for it and verifies it."""
    config, key, store = office
    confirm_all(store, config, key, "2026-06")
    with recorded_server() as relay:
        path = f"/{DrandChain.quicknet().chain_hash.hex()}/public/657413"
        body = {k: v for k, v in QUICK.items() if not k.startswith("_") and k != "chain"}
        relay.routes[path] = Answer(json.dumps(body).encode())
        config, options = _with_beacon(config, relay.url)
        result = draw(store, config, key, "2026-06", **options)
        assert relay.requests == [path]
    sources = result.record["events"][0]["event"]["body"]["sources"]
    assert sources[-1]["round"] == 657413 and sources[-1]["chain"] == "quicknet"
    report = verification_report(
        result.record, populations=result.populations, public_key=key.public
    )
    assert report.passed, report.to_dict()


def test_a_beacon_that_never_comes_aborts_the_ceremony(
    office: tuple[OfficeConfig, OfficeKey, Store],
) -> None:
    config, key, store = office
    confirm_all(store, config, key, "2026-07")
    with recorded_server() as relay:  # answers 404 to everything
        config, options = _with_beacon(config, relay.url)
        with pytest.raises(SourceUnavailableError, match="aborted"):
            draw(store, config, key, "2026-07", **options)
        assert len(relay.requests) == 10
    assert month_attempts(store, "2026-07") == [("t-2026-07", "aborted")]


def test_bad_configuration_names_the_field(tmp_path: Path) -> None:
    config = init_office(tmp_path, office="测试", prefix="t", passphrase=PASSPHRASE)
    original = config.path.read_text(encoding="utf-8")
    for old, new, field in (
        ("count = 3", "count = 4", "[groups] count"),
        ("size = 2", "size = 1", "[groups] size"),
        ("require_a_post = false", "require_a_post = 1", "[groups] require_a_post"),
        ('draw_day = "first-tuesday"', 'draw_day = "monday"', "[schedule] draw_day"),
        ('multiplier = "2"', 'multiplier = "two"', "[risk] multiplier"),
        ('chain = ""', 'chain = "mainnet"', "[beacon] chain"),
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


def test_one_a_post_officer_in_every_group(office: tuple[OfficeConfig, OfficeKey, Store]) -> None:
    """With require_a_post the record lists the A岗 officers, so the groups still follow from it."""
    config, key, store = office
    text = config.path.read_text(encoding="utf-8")
    config.path.write_text(text.replace("require_a_post = false", "require_a_post = true"))
    config = OfficeConfig.load(config.path)
    confirm_all(store, config, key, "2026-08")
    result = draw(store, config, key, "2026-08")
    posts = {i.certificate: i.post for i in INSPECTORS}
    policy = result.record["events"][0]["event"]["body"]["policy"]
    eligible = {p["label"] for p in _scope(result, "2026-08/inspectors")["selected"]}
    assert set(policy["a_posts"].split(",")) == {c for c in eligible if posts[c] == "A"}
    assert all(any(posts[m] == "A" for m in g.members) for g in result.outcome.groups)
    assert record_groups(result.record, "2026-08") == result.outcome.groups


def test_dice_typed_after_the_beacon_round_abort_the_ceremony(
    office: tuple[OfficeConfig, OfficeKey, Store],
) -> None:
    """Whoever types the dice knows the office's secret; after the round is public he could pick
    the result, so dice that come after the round's time abort the ceremony."""
    config, key, store = office
    confirm_all(store, config, key, "2026-12")
    with recorded_server() as relay:
        config, options = _with_beacon(config, relay.url)

        def slow_leader(count: int) -> list[int]:
            options["clock"].pause(5 * 60)  # the round was due 2 minutes after the announcement
            return rolls_for("slow")(count)

        with pytest.raises(PolicyError, match="after the beacon round"):
            draw(store, config, key, "2026-12", dice=slow_leader, **options)
        assert relay.requests == []  # the beacon was never even fetched
    assert month_attempts(store, "2026-12") == [("t-2026-12", "aborted")]
