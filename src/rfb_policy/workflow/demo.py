"""``rfb demo``: one month of the office's workflow on the synthetic example data.

It runs the office's own steps (:class:`rfb_policy.workflow.office.Office`) in a new office
folder: ``rfb init``, the import of the example directories, every section's availability, the
monthly ceremony in full, the leader's confirmation, example results from each group (through
the same deadline rule as ``rfb result``), and the public disclosure (``rfb publish``,
superseded attempts included).

The ceremony has every party a real one has: the office's committed secret; a witness, 李某 of
the district justice bureau, with their own key and secret (:class:`DemoWitness`); the leader's
50 dice rolls (from the operating system's CSPRNG here; at a real ceremony the leader rolls
real dice); and a drand quicknet beacon, typed in as an office without internet does. The
beacon is a real one, recorded (round 657413, shipped with the package): the demo's clock is
replayed to the time that announces it (``Clock(start, demo=True)``), and the record says it is
a demonstration, whose times are not real. The publication is then checked completely, with the
office's internal lists (``rfb verify --internal``), and the demo prints the commands: the
citizen's, the office's and the full ``fairdraw verify``.
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
    DrandChain,
    OfficeKey,
    ParticipantKey,
    PolicyError,
    PublicKey,
    SignedEvent,
    SourceEntry,
    SteeringReport,
    make_commit,
    make_reveal,
    make_witness,
    new_secret,
    speaking,
    write_atomic,
)
from rfb_policy.ceremony.record import MonthOutcome
from rfb_policy.files.directories import read_inspectors, read_objects
from rfb_policy.files.internal import read_internal
from rfb_policy.i18n import _
from rfb_policy.model.performer import Performer
from rfb_policy.model.results import InspectionResult
from rfb_policy.month import Month
from rfb_policy.publish.verify import verify_publication
from rfb_policy.workflow.clock import BEIJING, Clock
from rfb_policy.workflow.config import CONFIG_NAME, OfficeConfig
from rfb_policy.workflow.drawing import MonthDraw
from rfb_policy.workflow.export import draw_folder
from rfb_policy.workflow.folder import init_office
from rfb_policy.workflow.office import Office
from rfb_policy.workflow.publishing import AUDIT_PAGE
from rfb_policy.workflow.values import BeaconByHand
from rfb_policy.workflow.witnesses import WitnessRequest

__all__ = [
    "BEACON_CHAIN",
    "DemoReport",
    "DemoWitness",
    "add_witness",
    "demo_clock",
    "recorded_beacon",
    "recorded_by_hand",
    "run_demo",
]

EXAMPLE_DIR = "examples/xicheng"
CEREMONY_DIR = "examples/ceremony"
BEACON_CHAIN = "quicknet"
BEACON_FILE = "drand-quicknet-657413.json"
"""A real drand quicknet beacon, recorded (shipped in the package as ``example/…``)."""
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
    beacon_chain: str
    beacon_round: int
    beacon_due: datetime
    replayed_minutes: int
    public_command: str
    internal_command: str
    audit_page: Path

    def lines(self, lang: str) -> list[str]:
        """The report in Chinese (``zh``) or English."""
        with speaking("zh" if lang == "zh" else "en"):
            return self._lines(lang)

    def _lines(self, lang: str) -> list[str]:
        due = f"{self.beacon_due.astimezone(BEIJING):%Y-%m-%d %H:%M:%S}"
        beacon, minutes = f"drand {self.beacon_chain}", self.replayed_minutes
        out = [
            _("{month}: a demo draw (fictitious example data)").format(month=self.month),
            _("Draw day: {day}").format(day=self.draw_day),
            _(
                "Beacon: {beacon} round {round} (due {time} Beijing time), a real beacon recorded "
                "beforehand, "
                "typed in and verified offline against the pinned chain"
            ).format(beacon=beacon, round=self.beacon_round, time=due),
            _(
                "For the demo, the ceremony's clock was replayed to {minutes} minutes before that "
                "round: the times in the record are not real, and the record and the page say "
                "it is a demo"
            ).format(minutes=minutes),
            _("Complete check (with the internal lists): all {count} checks passed").format(
                count=self.checks_passed
            ),
            self.steering.sentence(lang),
            *self._as_recorded(lang),
            "",
        ]
        assignment = self.result.assignment
        for group, ids in zip(assignment.groups, assignment.objects, strict=True):
            names = _(", ").join(self.officers[m] for m in group.members)
            out.append(_("Group {number} ({members})").format(number=group.number, members=names))
            out.extend(f"    {i}  {self.names.get(i, '')}" for i in ids)
        for move in assignment.substitutions:
            out.append(
                _("Recusal: {object_id} moved from group {source} to group {target}").format(
                    object_id=move.object_id, source=move.from_group, target=move.to_group
                )
            )
        out.append("")
        page = self.folder / "publication" / "index.html"
        out.append(_("Public disclosure page: {path}").format(path=page))
        out += [
            _(
                "The citizen's check (public files only: the publication and the office's "
                "published public key):"
            ),
            "  "
            + _("in a browser (nothing to install, works offline): {path}").format(
                path=page.with_name("verify.html")
            ),
            "  "
            + _(
                "or run (the confidential lists are not public: those checks are marked as not "
                "made):"
            ),
            f"  {self.public_command}",
            _(
                "The office's internal check (with its internal lists, the confidential ones and "
                "their salts included; never publish them):"
            ),
            "  " + _("the auditors' browser check: {path}").format(path=self.audit_page),
            "  " + _("the complete check:"),
            f"  {self.internal_command}",
            "  " + _("or the record itself, every list included, with fairdraw (a script):"),
        ]
        out.append(f"  sh {self.verify_command}")
        return out

    def _as_recorded(self, lang: str) -> list[str]:
        """Who would have had to collude as recorded, when it is more than as attested: the
        beacon holds back a group only if the announcement provably came before it, and only
        the witness's signature shows that."""
        steering = self.steering
        if steering.recorded == steering.coalitions:
            return []
        groups = _("; or ").join(
            _(", ").join(steering.name(p, lang) for p in group) for group in steering.recorded
        )
        return [
            _(
                "As recorded (the announcement before the beacon), these would have had to "
                "collude: {groups}. Only the witness's signature shows that the announcement "
                "came first, so the beacon does not hold back a witness colluding with the "
                "office."
            ).format(groups=groups)
        ]


def _example(name: str, where: str = EXAMPLE_DIR) -> Path:
    here = Path(__file__).resolve().parents[3] / where / name
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
            _("{folder} already holds a demo; choose another --out folder").format(folder=folder)
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


def _key_notice(folder: Path, notice: str) -> OfficeConfig:
    """Set ``[office] key_notice`` in an office's ``rfb.toml``."""
    config = folder / CONFIG_NAME
    text = config.read_text(encoding="utf-8")
    text = text.replace('key_notice = ""', f"key_notice = {json.dumps(notice, ensure_ascii=False)}")
    write_atomic(config, text)
    return OfficeConfig.load(config)


def recorded_beacon() -> dict[str, Any]:
    """The recorded drand quicknet beacon the demo types in (``round``, ``signature``,
    ``randomness``)."""
    beacon: dict[str, Any] = json.loads(
        _example(BEACON_FILE, CEREMONY_DIR).read_text(encoding="utf-8")
    )
    return beacon


def demo_clock(beacon_round: int, delay_minutes: int) -> Clock:
    """The demonstration's clock, replayed to the start whose announcement names
    ``beacon_round``: ``delay_minutes`` before the round before it.

    The round announced is the first one due strictly after the start plus the delay, so it is
    ``beacon_round`` for a ceremony that starts less than a drand period (3 s on quicknet) after
    the clock is made: make it right before the draw.
    """
    chain = DrandChain.named(BEACON_CHAIN)
    start = chain.time_of_round(beacon_round - 1) - timedelta(minutes=delay_minutes)
    return Clock(start, demo=True)


def recorded_by_hand(beacon: Mapping[str, Any]) -> BeaconByHand:
    """The recorded round, typed in when the ceremony asks for it; a ceremony that announced
    another round (its clock ran on too far) is refused loudly, never drawn with another."""

    def type_in(entry: SourceEntry, problem: Exception | None) -> Mapping[str, Any]:
        number = int(beacon["round"])
        if problem is not None:  # asked again: the recorded beacon did not verify
            raise PolicyError(
                _("the demo's recorded beacon does not verify: {problem}").format(problem=problem)
            )
        if (entry.chain, entry.round) != (BEACON_CHAIN, number):
            raise PolicyError(
                _(
                    "the demo announced drand {chain} round {round}, not the recorded round "
                    "{recorded} (its replayed clock ran on too far before the announcement); "
                    "nothing was drawn"
                ).format(chain=entry.chain, round=entry.round, recorded=number)
            )
        return {"round": number, "signature": beacon["signature"]}

    return type_in


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
    witness_key = ParticipantKey.generate()
    # the full ceremony offline: a witness with their own key and secret, and the drand round
    # typed in (by_hand = true), as at an office without internet
    config = add_witness(folder, witness_key.public, by_hand=True)
    notice = f"演示文件夹中的 {config.public_key.name}（真实机关在其网站和公告栏公布）"
    config = _key_notice(folder, notice)
    beacon = recorded_beacon()
    objects = read_objects(_example("objects.csv"))
    inspectors = read_inspectors(_example("inspectors.csv"), object_ids=[o.id for o in objects])
    with Office.open(config, key=key) as office:
        office.import_directories(objects, inspectors, actor=CLERK)
        for status in office.sections(month):
            if not status.exempt:
                office.confirm_availability(
                    month, status.section, confirmer=f"{status.section}科长（演示）", actor=CLERK
                )
    clock = demo_clock(int(beacon["round"]), config.beacon_delay_minutes)  # right before it
    with Office.open(config, key=key, clock=clock) as office:
        drawn, files = office.draw(
            month,
            performer=Performer(LEADER),
            dice=dice or (lambda count: [secrets.randbelow(6) + 1 for _ in range(count)]),
            actor=CLERK,
            witness_desk=DemoWitness(witness_key, clock),
            beacon_by_hand=recorded_by_hand(beacon),
        )
        office.approve(month, performer=Performer(LEADER), note="同意", actor=CLERK)
        _report_results(office, drawn)
        publication = office.folder / "publication"
        office.publish(month, publication)
    lists = read_internal(files.internal)  # the complete check, as `rfb verify --internal`
    report = verify_publication(
        publication, public_key=key.public, populations=lists.populations, recusals=lists.recusals
    )
    lists.require_draw(report.draw_id)
    lead = drawn.record.beacon_lead()
    if lead is None or lead[0].round != int(beacon["round"]):  # typed in for its round only
        raise PolicyError(
            _("the demo's record announces no drand round {round}").format(round=beacon["round"])
        )
    entry, minutes = lead
    public = ["rfb", "verify", str(publication), "--public-key", str(config.public_key)]
    return DemoReport(
        month=month,
        draw_day=drawn.draw_day.isoformat(),
        folder=folder,
        result=drawn.outcome,
        names={o.id: o.name for o in objects},
        officers={i.certificate: i.name for i in inspectors},
        verify_command=shlex.quote(str(files.internal / "verify.sh")),
        checks_passed=len(report.checks),
        steering=drawn.record.record.steering,
        beacon_chain=str(entry.chain),
        beacon_round=int(beacon["round"]),
        beacon_due=DrandChain.named(BEACON_CHAIN).time_of_round(int(beacon["round"])),
        replayed_minutes=minutes,
        public_command=shlex.join(public),
        internal_command=shlex.join([*public, "--internal", str(files.internal)]),
        audit_page=draw_folder(folder, report.draw_id) / "internal" / AUDIT_PAGE,
    )


def _report_results(office: Office, drawn: MonthDraw) -> None:
    """Example results from each group, one with a finding and a penalty."""
    inspected_on = drawn.draw_day + timedelta(days=7)
    for number, object_id in enumerate(drawn.record.objects):
        result = InspectionResult(
            category="未发现问题", findings="人防工程维护管理符合要求", inspected_on=inspected_on
        )
        if number == 0:  # one finding with a penalty, to show those columns
            result = InspectionResult(
                category="发现问题已责令改正",
                findings="防护密闭门未按规定维护（示例）",
                handling="责令限期改正，已复查整改到位（示例）",
                penalty_decision="西人防罚〔2026〕示例1号",
                penalty_amount=2000,
                inspected_on=inspected_on,
            )
        group = drawn.outcome.assignment.group_of(object_id)
        office.record_result(
            drawn.draw_id, object_id, result, actor=f"第{group}组", submitted_on=inspected_on
        )
