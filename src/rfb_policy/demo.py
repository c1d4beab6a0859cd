"""``rfb demo``: one month of the office's workflow on the synthetic example data.

It imports the example directories into a fresh SQLite store, plans the month, runs the monthly
ceremony (the office's committed secret and the leader's 50 dice rolls; in the demo the rolls come
from the operating system's CSPRNG, at a real ceremony the leader rolls real dice), draws, checks
the record as any citizen would, forms the groups and assigns the objects, finalises the record
in the store and records the leader's confirmation. It writes everything to one folder and says
how to verify the record with ``fairdraw verify``.
"""

from __future__ import annotations

import json
import secrets
import shlex
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from fairdraw import OfficeKey, PolicyError, new_secret, open_store, verify_record
from rfb_policy.calendar import OfficialCalendar
from rfb_policy.directories import (
    InspectionObject,
    objects_population,
    read_inspectors,
    read_objects,
)
from rfb_policy.items import Catalogue
from rfb_policy.monthly import DICE_ROLLS, MonthOutcome, announce_month, month_scopes, outcome
from rfb_policy.plan import annual_plan
from rfb_policy.publish import RESULT_CATEGORIES, public_rows, write_publication
from rfb_policy.schedule import draw_day

__all__ = ["DemoReport", "run_demo"]

EXAMPLE_DIR = "examples/xicheng"


@attrs.frozen
class DemoReport:
    """What the demo did, for printing."""

    month: str
    draw_day: str
    folder: Path
    result: MonthOutcome
    names: dict[str, str]
    officers: dict[str, str]
    verify_command: str
    checks_passed: int

    def lines(self, lang: str) -> list[str]:
        """The report in Chinese (``zh``) or English."""

        def say(zh: str, en: str) -> str:
            return zh if lang == "zh" else en

        out = [
            say(f"{self.month} 双随机抽取演示（虚构示例数据）", f"{self.month}: a demo draw"),
            say(f"抽取日：{self.draw_day}", f"Draw day: {self.draw_day}"),
            say(
                f"核验：{self.checks_passed} 项全部通过", f"All {self.checks_passed} checks passed"
            ),
            "",
        ]
        assignment = self.result.assignment
        for group, ids in zip(assignment.groups, assignment.objects, strict=True):
            members = "、".join(self.officers[m] for m in group.members)
            out.append(say(f"第{group.number}组（{members}）", f"Group {group.number} ({members})"))
            out.extend(f"    {i}  {self.names.get(i, '')}" for i in ids)
        for move in assignment.substitutions:
            out.append(
                say(
                    f"回避：{move.object_id} 由第{move.from_group}组改派第{move.to_group}组",
                    f"Recusal: {move.object_id}, group {move.from_group} to {move.to_group}",
                )
            )
        out.append("")
        page = self.folder / "publication" / "index.html"
        out.append(say(f"公示页面：{page}", f"Public disclosure page: {page}"))
        out.append(
            say("任何人都可以用下面的命令核验这次抽取：", "Anyone can verify this draw with:")
        )
        out.append(f"  {self.verify_command}")
        return out


def _example(name: str) -> Path:
    here = Path(__file__).resolve().parents[2] / EXAMPLE_DIR / name
    if here.exists():
        return here
    with resources.as_file(resources.files("rfb_policy.data") / "example" / name) as path:
        return Path(path)


def run_demo(year: int, month: int, folder: Path) -> DemoReport:
    """Run the month and write its files into ``folder`` (which must not hold a demo already)."""
    if (folder / "record.json").exists():
        raise PolicyError(f"{folder} already holds a demo; choose another --out folder")
    folder.mkdir(parents=True, exist_ok=True)
    label = f"{year:04d}-{month:02d}"
    catalogue = Catalogue.bundled()
    objects = read_objects(_example("objects.csv"))
    inspectors = read_inspectors(_example("inspectors.csv"), object_ids=[o.id for o in objects])
    day = draw_day(year, month, OfficialCalendar.load())
    plans = annual_plan(year, objects, catalogue)
    plan = plans[month - 1]
    available = [i.certificate for i in inspectors]
    salt = secrets.token_bytes(32)
    scopes = month_scopes(
        label, plan, catalogue, inspectors, available=available, draw_day=day, salt=salt
    )
    key = OfficeKey.generate()
    passphrase = secrets.token_hex(16)
    key.save(folder / "office.key", passphrase.encode())
    (folder / "office.key.passphrase").write_text(passphrase + "\n", encoding="ascii")
    start = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9)
    ceremony = announce_month(
        key,
        draw_id=f"xicheng-demo-{label}",
        office="西城区人民防空办公室（演示）",
        scopes=scopes,
        catalogue=catalogue,
        start=start,
    )
    secret = new_secret()
    ceremony.commit_secret("office-secret", secret, at=start + timedelta(minutes=1))
    ceremony.reveal("office-secret", secret, at=start + timedelta(minutes=20))
    rolls = [secrets.randbelow(6) + 1 for _ in range(DICE_ROLLS)]
    ceremony.add_value("leader-dice", {"rolls": rolls}, at=start + timedelta(minutes=21))
    ceremony.seed(at=start + timedelta(minutes=22))
    populations = {s.scope: s.population for s in scopes}
    record = ceremony.draw(populations, at=start + timedelta(minutes=23))
    ceremony.save(folder / "ceremony")
    (folder / "record.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    report = verify_record(record, populations=populations, public_key=key.public)
    if not report.ok:
        raise PolicyError("the demo record does not verify: " + str(report.to_dict()))
    result = outcome(record, label, inspectors, available=available, draw_day=day)
    lists = folder / "populations"
    lists.mkdir(exist_ok=True)
    verify_args = [
        "fairdraw",
        "verify",
        str(folder / "record.json"),
        "--public-key",
        str(folder / "office.key.pub"),
    ]
    for scope in scopes:
        name = scope.scope.replace("/", "_") + ".txt"
        (lists / name).write_text("\n".join(scope.population) + "\n", encoding="utf-8")
        verify_args += ["--population", f"{scope.scope}={lists / name}"]
        if scope.confidential:
            verify_args += ["--salt", f"{scope.scope}={salt.hex()}"]
    _file_and_publish(folder, label, record, key, result, objects, catalogue, day)
    return DemoReport(
        month=label,
        draw_day=day.isoformat(),
        folder=folder,
        result=result,
        names={o.id: o.name for o in objects},
        officers={i.certificate: i.name for i in inspectors},
        verify_command=shlex.join(verify_args),
        checks_passed=len(report.checks),
    )


def _file_and_publish(
    folder: Path,
    label: str,
    record: dict[str, Any],
    key: OfficeKey,
    result: MonthOutcome,
    objects: Sequence[InspectionObject],
    catalogue: Catalogue,
    day: date,
) -> None:
    """Finalise the record, log the leader's approval and example results, and publish."""
    clerk = "执法宣传科（演示）"
    with open_store(str(folder / "office.db")) as store:
        snapshot, attributes = objects_population(objects)
        store.save_population(snapshot, name="objects", actor=clerk, key=key, attributes=attributes)
        store.finalise(record, actor=clerk, key=key)
        store.approve(
            record["draw_id"],
            approver="主管领导（演示）",
            role="主管领导",
            note="同意",
            actor=clerk,
            key=key,
        )
        drawn_ids = list(dict.fromkeys(o for ids in result.drawn.values() for o in ids))
        inspected_on = (day + timedelta(days=7)).isoformat()
        for number, object_id in enumerate(drawn_ids):
            found: dict[str, str] = {"category": RESULT_CATEGORIES[0], "inspected_on": inspected_on}
            if number == 0:  # one finding with a penalty, to show those columns
                found["category"] = RESULT_CATEGORIES[1]
                found["penalty_decision"] = "西人防罚〔2026〕示例1号"
                found["penalty_amount"] = "2000"
            group = result.assignment.group_of(object_id)
            store.record_result(record["draw_id"], object_id, found, actor=f"第{group}组", key=key)
        latest = {r["object_id"]: r["result"] for r in store.results(record["draw_id"])}
    rows = public_rows(result.drawn, {o.id: o.name for o in objects}, latest, catalogue)
    write_publication(folder / "publication", label, rows, record)
