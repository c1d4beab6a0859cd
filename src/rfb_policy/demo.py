"""``rfb demo``: one month of the office's workflow on the synthetic example data.

It runs the same code as the office's commands, in a new office folder: it creates the folder
(``rfb init``), imports the example directories, confirms every section's availability, runs
the monthly ceremony (the office's committed secret and the leader's 50 dice rolls; in the demo
the rolls come from the operating system's CSPRNG, at a real ceremony the leader rolls real
dice), checks the record as any citizen would, forms the groups and assigns the objects, records
the leader's confirmation and example results, and writes the public disclosure. It says how to
verify the record with ``fairdraw verify``.
"""

from __future__ import annotations

import secrets
import shlex
from collections.abc import Callable
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import attrs

from fairdraw import OfficeKey, PolicyError, Store, open_store, verification_report
from rfb_policy.calendar import OfficialCalendar
from rfb_policy.config import CONFIG_NAME
from rfb_policy.directories import (
    read_inspectors,
    read_objects,
)
from rfb_policy.items import Catalogue
from rfb_policy.monthly import MonthOutcome
from rfb_policy.office import (
    Clock,
    MonthDraw,
    availability,
    confirm_availability,
    draw_month,
    import_directories,
    init_office,
    publication,
    write_verification,
)
from rfb_policy.publish import RESULT_CATEGORIES, write_publication
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


def run_demo(
    year: int, month: int, folder: Path, *, dice: Callable[[int], list[int]] | None = None
) -> DemoReport:
    """Run the month in a new office folder ``folder``, exactly as the office's commands do.

    ``rfb init``, ``rfb import`` of the example directories, every section's availability,
    ``rfb draw`` (the leader's 50 rolls come from the CSPRNG here), the leader's approval,
    example results and ``rfb publish``; the record is checked as any citizen would.

    Args:
        dice: the leader's rolls (tests fix them); by default they come from the CSPRNG.
    """
    if (folder / CONFIG_NAME).exists():
        raise PolicyError(f"{folder} already holds a demo; choose another --out folder")
    folder.mkdir(parents=True, exist_ok=True)
    label = f"{year:04d}-{month:02d}"
    passphrase = secrets.token_hex(16)
    config = init_office(
        folder,
        office="西城区人民防空办公室（演示）",
        prefix="xicheng-demo",
        passphrase=passphrase.encode(),
    )
    (folder / "office.key.passphrase").write_text(passphrase + "\n", encoding="ascii")
    key = OfficeKey.load(config.key, passphrase.encode())
    catalogue = Catalogue.bundled()
    calendar = OfficialCalendar.load(*config.calendar_dirs)
    objects = read_objects(_example("objects.csv"))
    inspectors = read_inspectors(_example("inspectors.csv"), object_ids=[o.id for o in objects])
    day = draw_day(year, month, calendar, rule=config.draw_day_rule)
    clerk = "执法宣传科（演示）"
    with open_store(config.database) as store:
        import_directories(store, objects, inspectors, actor=clerk, key=key)
        for status in availability(store, config, label, inspectors):
            if not status.exempt:
                confirm_availability(
                    store,
                    config,
                    label,
                    status.section,
                    confirmer=f"{status.section}科长（演示）",
                    unavailable=(),
                    inspectors=inspectors,
                    actor=clerk,
                    key=key,
                )
        drawn = draw_month(
            store,
            config,
            key,
            label,
            catalogue=catalogue,
            calendar=calendar,
            leader={"name": "主管领导（演示）"},
            dice=dice or (lambda count: [secrets.randbelow(6) + 1 for _ in range(count)]),
            actor=clerk,
            clock=Clock(),
        )
        _approve_and_report(store, drawn, key, clerk, day)
        rows, assignment = publication(store, drawn.draw_id, catalogue)
    words = write_verification(folder / "draws" / drawn.draw_id, drawn, config.public_key)
    report = verification_report(drawn.record, populations=drawn.populations, public_key=key.public)
    if report.failed:
        raise PolicyError("the demo record does not verify: " + str(report.to_dict()))
    write_publication(folder / "publication", label, rows, drawn.record, assignment)
    return DemoReport(
        month=label,
        draw_day=day.isoformat(),
        folder=folder,
        result=drawn.outcome,
        names={o.id: o.name for o in objects},
        officers={i.certificate: i.name for i in inspectors},
        verify_command=shlex.join(words),
        checks_passed=len(report.checks),
    )


def _approve_and_report(
    store: Store, drawn: MonthDraw, key: OfficeKey, clerk: str, day: date
) -> None:
    """The leader's approval, and example results from each group."""
    store.approve(
        drawn.draw_id,
        approver="主管领导（演示）",
        role="主管领导",
        note="同意",
        actor=clerk,
        key=key,
    )
    result = drawn.outcome
    drawn_ids = list(dict.fromkeys(o for ids in result.drawn.values() for o in ids))
    inspected_on = (day + timedelta(days=7)).isoformat()
    for number, object_id in enumerate(drawn_ids):
        found: dict[str, str] = {"category": RESULT_CATEGORIES[0], "inspected_on": inspected_on}
        if number == 0:  # one finding with a penalty, to show those columns
            found["category"] = RESULT_CATEGORIES[1]
            found["penalty_decision"] = "西人防罚〔2026〕示例1号"
            found["penalty_amount"] = "2000"
        group = result.assignment.group_of(object_id)
        store.record_result(drawn.draw_id, object_id, found, actor=f"第{group}组", key=key)
