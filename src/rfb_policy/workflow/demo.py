"""``rfb demo``: one month of the office's workflow on the synthetic example data.

It runs the office's own steps (:class:`rfb_policy.workflow.office.Office`) in a new office
folder: ``rfb init``, the import of the example directories, every section's availability, the
monthly ceremony (the office's committed secret and the leader's 50 dice rolls; in the demo the
rolls come from the operating system's CSPRNG, at a real ceremony the leader rolls real dice),
the leader's confirmation, example results from each group (through the same deadline rule as
``rfb result``), and the public disclosure (``rfb publish``, superseded attempts included). The
record is checked as any citizen would, and the demo says how to check it with ``fairdraw
verify``.
"""

from __future__ import annotations

import json
import secrets
import shlex
import shutil
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from fairdraw import (
    OfficeKey,
    ParticipantKey,
    PolicyError,
    PublicKey,
    SignedEvent,
    SteeringReport,
    make_commit,
    make_reveal,
    make_witness,
    new_secret,
    verify_record,
    write_atomic,
)
from rfb_policy.ceremony.record import MonthOutcome
from rfb_policy.files.directories import read_inspectors, read_objects
from rfb_policy.model.performer import Performer
from rfb_policy.model.results import RESULT_CATEGORIES, InspectionResult
from rfb_policy.month import Month
from rfb_policy.workflow.clock import Clock
from rfb_policy.workflow.config import CONFIG_NAME, OfficeConfig
from rfb_policy.workflow.drawing import MonthDraw
from rfb_policy.workflow.folder import init_office
from rfb_policy.workflow.office import Office
from rfb_policy.workflow.witnesses import WitnessRequest

__all__ = ["DemoReport", "DemoWitness", "add_witness", "run_demo"]

EXAMPLE_DIR = "examples/xicheng"
LEADER = "主管领导（演示）"
CLERK = "执法宣传科（演示）"


@attrs.frozen
class DemoReport:
    """What the demo did, for printing."""

    month: Month
    draw_day: str
    folder: Path
    result: MonthOutcome
    names: dict[str, str]
    officers: dict[str, str]
    verify_command: str
    checks_passed: int
    steering: SteeringReport

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
            self.steering.sentence(lang),
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
    here = Path(__file__).resolve().parents[3] / EXAMPLE_DIR / name
    if here.exists():
        return here
    with resources.as_file(resources.files("rfb_policy.data") / "example" / name) as path:
        return Path(path)


def run_demo(
    month: Month, folder: Path, *, dice: Callable[[int], list[int]] | None = None
) -> DemoReport:
    """Run the month in a new office folder ``folder`` with the office's own steps.

    Args:
        dice: the leader's rolls (tests fix them); by default they come from the CSPRNG.

    Raises:
        PolicyError: ``folder`` holds an office already, or a step of the month is refused
            (a folder the demo made is then removed again).
    """
    if (folder / CONFIG_NAME).exists():
        raise PolicyError(
            f"{folder} 已有一个演示，请用 --out 另选文件夹 / {folder} already holds a demo; "
            f"choose another --out folder"
        )
    created = not folder.exists()
    try:
        return _run(month, folder, dice)
    except BaseException:  # leave no half-made office (with its key's passphrase) behind
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise


class DemoWitness:
    """The demo's witness, 李某 of the district justice bureau, on "their own device": a key and
    a secret the office never holds (``fairdraw.participant``, as ``fairdraw participant …``
    does on a real witness's computer)."""

    def __init__(self, key: ParticipantKey | None = None, clock: Clock | None = None) -> None:
        self.key = key or ParticipantKey.generate()
        self.clock = clock
        self._secrets: dict[str, bytes] = {}

    def __call__(self, request: WitnessRequest) -> Mapping[str, Any]:
        """The signed statement the office asks for (without a clock, the witness signs that
        they saw the announcement at its own time)."""
        witness = request.witness
        secret = self._secrets.setdefault(request.draw_id, new_secret())
        if request.act == "witness":
            seen = None if self.clock is None else self.clock.now()
            seen = seen or datetime.fromisoformat(SignedEvent.from_json(request.events[0]).time)
            return make_witness(self.key, request.events[0], witness.id, at=seen)
        if request.act == "commit":
            return make_commit(self.key, request.events[0], witness.id, witness.source_id, secret)
        return make_reveal(self.key, request.events, witness.id, witness.source_id, secret)


def add_witness(
    folder: Path,
    key: PublicKey,
    *,
    name: str = "李某（演示）",
    organisation: str = "区司法局",
    by_hand: bool = True,
    chain: str | None = None,
) -> OfficeConfig:
    """Add a witness (``witness-1``, their public key in ``witness-1.key.pub``) to an office's
    ``rfb.toml``; ``by_hand``: the beacon is typed in, as an office without internet does;
    ``chain``: another ``[beacon] chain`` ("" for none)."""
    write_atomic(folder / "witness-1.key.pub", key.to_pem())
    config = folder / CONFIG_NAME
    text = config.read_text(encoding="utf-8")
    if by_hand:
        text = text.replace("by_hand = false", "by_hand = true")
    if chain is not None:
        text = text.replace('chain = "quicknet"', f"chain = {json.dumps(chain)}")
    text += (
        f'\n[[witnesses]]\nid = "witness-1"\nname = {json.dumps(name, ensure_ascii=False)}\n'
        f"organisation = {json.dumps(organisation, ensure_ascii=False)}\n"
        f'public_key = "witness-1.key.pub"\nsecret = true\n'
    )
    write_atomic(config, text)
    return OfficeConfig.load(config)


def _run(month: Month, folder: Path, dice: Callable[[int], list[int]] | None) -> DemoReport:
    passphrase = secrets.token_hex(16)
    config = init_office(
        folder,
        office="西城区人民防空办公室（演示）",
        prefix="xicheng-demo",
        passphrase=passphrase.encode(),
    )
    write_atomic(folder / "office.key.passphrase", passphrase + "\n", mode=0o600)
    key = OfficeKey.load(config.key, passphrase.encode())
    clock = Clock()
    witness = DemoWitness(clock=clock)
    # offline, the demo has no beacon: the witness's own secret is what keeps the office from
    # steering alone (a beacon is added by [beacon] chain, fetched or typed in)
    config = add_witness(folder, witness.key.public, by_hand=False, chain="")
    objects = read_objects(_example("objects.csv"))
    inspectors = read_inspectors(_example("inspectors.csv"), object_ids=[o.id for o in objects])
    with Office.open(config, key=key) as office:
        office.import_directories(objects, inspectors, actor=CLERK)
        for status in office.sections(month):
            if not status.exempt:
                office.confirm_availability(
                    month, status.section, confirmer=f"{status.section}科长（演示）", actor=CLERK
                )
        drawn, files = office.draw(
            month,
            performer=Performer(LEADER),
            dice=dice or (lambda count: [secrets.randbelow(6) + 1 for _ in range(count)]),
            actor=CLERK,
            witness_desk=witness,
        )
        office.approve(month, performer=Performer(LEADER), note="同意", actor=CLERK)
        _report_results(office, drawn)
        office.publish(month, folder / "publication")
    report = verify_record(  # every check, the confidential lists included: raises otherwise
        drawn.record.record.to_json(), populations=drawn.populations, public_key=key.public
    )
    return DemoReport(
        month=month,
        draw_day=drawn.draw_day.isoformat(),
        folder=folder,
        result=drawn.outcome,
        names={o.id: o.name for o in objects},
        officers={i.certificate: i.name for i in inspectors},
        verify_command=shlex.join(files.verify_words),
        checks_passed=len(report.checks),
        steering=drawn.record.record.steering,
    )


def _report_results(office: Office, drawn: MonthDraw) -> None:
    """Example results from each group, one with a finding and a penalty."""
    inspected_on = drawn.draw_day + timedelta(days=7)
    for number, object_id in enumerate(drawn.record.objects):
        result = InspectionResult(category=RESULT_CATEGORIES[0], inspected_on=inspected_on)
        if number == 0:  # one finding with a penalty, to show those columns
            result = InspectionResult(
                category=RESULT_CATEGORIES[1],
                penalty_decision="西人防罚〔2026〕示例1号",
                penalty_amount="2000",
                inspected_on=inspected_on,
            )
        group = drawn.outcome.assignment.group_of(object_id)
        office.record_result(
            drawn.draw_id, object_id, result, actor=f"第{group}组", submitted_on=inspected_on
        )
