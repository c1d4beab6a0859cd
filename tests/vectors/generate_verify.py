"""Write the verification vectors that every verifier runs: ``verify-records.json`` (what
``fairdraw verify`` checks: a draw record, the office key, the lists) and
``verify-publications.json`` (what ``rfb verify`` checks: a month's publication folder).

    python tests/vectors/generate_verify.py

Each case is a verifier's whole input and, per check, the expected status (``passed``,
``failed``, ``not checked``) and the verdict. The Python tests (tests/integration/
test_verify_vectors.py) and the browser tests (test_web_verifier_browser.py) both run every
case and must give exactly these checks, in this order.

Every case states what it must show (``must``: the verdict, and the checks that must fail or
stay unchecked); the generator computes the whole expectation with the Python verifier and
refuses to write a case whose outcome is not the one it states, so a vector never records a
verifier's mistake as the truth.

Records: every ceremony v1 and v2 vector with its office key and lists, and from
``witnessed-beacon``: no key, another key, no lists, a changed list, a tampered score (not
re-signed), a label swapped and a seed chosen by the office and then signed again with its own
key, the whole record signed again by a stranger, a dropped event, a flipped record signature,
and malformed records.

Publications: a month drawn with the office's own steps (``rfb_policy``'s ``Office``, the
demo's witness and recorded drand round) and one drawn again after an aborted attempt, each as
the public sees it and with the office's internal lists; and from the first, each way the
assignment, a public list, the replaced attempt, the record or the log checkpoint can be
tampered with. The office
keys of the publications are made afresh on each run (the files are then new, the expectations
the same).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import secrets
import sys
import tempfile
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairdraw import (
    OfficeKey,
    ParticipantKey,
    PolicyError,
    Population,
    PublicKey,
    json_bytes,
    verification_report,
)
from fairdraw.ceremony.events import GENESIS, event_hash, sign_event, sign_record
from fairdraw.randomness.drand import DrandChain
from fairdraw.storage.checkpoint import sign_checkpoint
from rfb_policy.files.directories import read_inspectors, read_objects
from rfb_policy.files.internal import read_internal
from rfb_policy.model.performer import Performer
from rfb_policy.month import Month
from rfb_policy.publish.disclosure import PublicRow, credit_json
from rfb_policy.publish.disclosure import _csv as disclosure_csv
from rfb_policy.publish.disclosure import _xlsx as disclosure_xlsx
from rfb_policy.publish.log_checkpoint import CHECKPOINT_NAME
from rfb_policy.publish.manifest import MANIFEST_NAME, manifest_json
from rfb_policy.publish.verify import publication_report
from rfb_policy.workflow.clock import Clock
from rfb_policy.workflow.demo import (
    BEACON_CHAIN,
    DemoWitness,
    add_witness,
    demo_clock,
    recorded_beacon,
    recorded_by_hand,
)
from rfb_policy.workflow.demo import (
    _report_results as example_results,
)
from rfb_policy.workflow.folder import init_office
from rfb_policy.workflow.office import Office

HERE = Path(__file__).parent
EXAMPLE = HERE.parents[1] / "examples" / "xicheng"
FORMAT = "fairdraw-verify-vectors/1"
V2 = json.loads((HERE / "ceremony-v2.json").read_text(encoding="utf-8"))
V1 = json.loads((HERE / "ceremony-v1.json").read_text(encoding="utf-8"))


def key_of(private_hex: str) -> OfficeKey:
    return OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex)))


def public_hex(private_hex: str) -> str:
    return key_of(private_hex).public.raw.hex()


def lists_json(populations: Mapping[str, Population]) -> dict[str, Any]:
    return {
        scope: {"labels": list(p), "salt": p.salt.hex() if p.salt else ""}
        for scope, p in populations.items()
    }


def populations_of(given: Mapping[str, Any]) -> dict[str, Population]:
    return {
        scope: Population.of(p["labels"], salt=p.get("salt") or None) for scope, p in given.items()
    }


def expectation(checks: Any, verdict: str) -> dict[str, Any]:
    return {"verdict": verdict, "checks": [{"name": c.name, "status": c.status} for c in checks]}


def require(name: str, expected: dict[str, Any], must: Mapping[str, Any]) -> None:
    """Refuse a case whose outcome is not the one it states."""
    statuses = [(c["name"], c["status"]) for c in expected["checks"]]
    problems = []
    if expected["verdict"] != must["verdict"]:
        problems.append(f"verdict {expected['verdict']}, not {must['verdict']}")
    for wanted, status in (("failed", "failed"), ("unchecked", "not checked")):
        if wanted in must:
            found = sorted({n for n, s in statuses if s == status})
            if found != sorted(must[wanted]):
                problems.append(f"{status}: {found}, not {sorted(must[wanted])}")
    if "checks" in must and dict(statuses) != must["checks"]:
        problems.append("the checks differ from the ones stated")
    if problems:
        sys.exit(f"case {name}: " + "; ".join(problems))


# -- records ------------------------------------------------------------------------------------


def resign(record: Mapping[str, Any], key: OfficeKey, start: int = 0) -> dict[str, Any]:
    """The record with its events from ``start`` on linked and signed again by ``key``, and the
    record signed by it (what an office, or a stranger, can do to a record it edited)."""
    events = [copy.deepcopy(e) for e in record["events"]]
    signed = events[:start]
    for event in events[start:]:
        plain = dict(event["event"])
        plain["previous"] = event_hash(signed[-1]) if signed else GENESIS
        signed.append(sign_event(key, plain))
    return sign_record(key, str(record["draw_id"]), signed)


def record_cases() -> list[dict[str, Any]]:
    office = public_hex(V2["keys"]["office"])
    stranger_key = key_of(V2["keys"]["stranger"])
    office_key = key_of(V2["keys"]["office"])
    cases: list[dict[str, Any]] = []

    def case(
        name: str,
        description: str,
        record: Any,
        lists: Mapping[str, Any],
        key: str | None,
        must: Mapping[str, Any],
    ) -> None:
        cases.append(
            {
                "name": name,
                "description": description,
                "record": record,
                "public_key": key,
                "populations": dict(lists),
                "must": dict(must),
            }
        )

    for c in V2["cases"]:  # their own file states each check's outcome: the same here
        case(c["name"], f"ceremony-v2.json: {c['description']}", c["record"], c["populations"],
             office, {"checks": c["expected"]["checks"], "verdict": c["expected"]["verdict"]})  # fmt: skip
    inputs = V1["inputs"]
    v1_lists = {
        scope: {"labels": labels, "salt": inputs["salts"].get(scope) or ""}
        for scope, labels in inputs["populations"].items()
    }
    case(
        "v1",
        "ceremony-v1.json: a version 1 record",
        V1["record"],
        v1_lists,
        public_hex(inputs["office_private_key"]),
        # a version 1 record cannot show that its announcement came before the beacon
        {"verdict": "incomplete", "unchecked": ["who could have chosen the outcome"]},
    )

    base = next(c for c in V2["cases"] if c["name"] == "witnessed-beacon")
    record, lists = base["record"], base["populations"]
    scope = next(iter(lists))
    draw_at = len(record["events"]) - 1
    seed_at = draw_at - 1
    assert record["events"][draw_at]["event"]["kind"] == "draw"
    assert record["events"][seed_at]["event"]["kind"] == "seed"
    result_name = f"scope {record['events'][draw_at]['event']['body']['results'][0]['scope']}"

    case(
        "no-office-key",
        "witnessed-beacon without the office's key: signed, but by whom is not checked",
        record,
        lists,
        None,
        {"verdict": "incomplete", "unchecked": ["office key"]},
    )
    case(
        "another-office-key",
        "witnessed-beacon checked against a key that is not the one it is signed with",
        record,
        lists,
        public_hex(V2["keys"]["stranger"]),
        {"verdict": "failed", "failed": ["office key"]},
    )
    case(
        "no-lists",
        "witnessed-beacon without its lists: nothing left out or slipped in is not checked",
        record,
        {},
        office,
        {"verdict": "incomplete"},
    )
    changed = copy.deepcopy(lists)
    changed[scope]["labels"] = [*changed[scope]["labels"], "SLIPPED-IN-0001"]
    case(
        "list-with-one-more",
        "witnessed-beacon with a list that has one label more than the announced one",
        record,
        changed,
        office,
        {"verdict": "failed", "failed": [f"scope {scope}: complete recomputation"]},
    )
    tampered = copy.deepcopy(record)
    tampered["events"][draw_at]["event"]["body"]["results"][0]["selected"][0]["score"] = "0" * 64
    case(
        "score-changed",
        "a published score changed after signing (not signed again)",
        tampered,
        lists,
        office,
        {"verdict": "failed", "failed": ["event signatures and hash chain"]},
    )
    swapped = copy.deepcopy(record)
    result = swapped["events"][draw_at]["event"]["body"]["results"][0]
    chosen = {p["label"] for p in result["selected"] + result["alternates"]}
    outsider = next(label for label in lists[result["scope"]]["labels"] if label not in chosen)
    result["selected"][0]["label"] = outsider
    case(
        "label-swapped-and-re-signed",
        "the office puts a label it prefers in the place of a drawn one and signs the record "
        "again with its own key",
        resign(swapped, office_key, draw_at),
        lists,
        office,
        {
            "verdict": "failed",
            "failed": [
                f"{result_name}: published scores",
                f"{result_name}: complete recomputation",
            ],
        },
    )
    chosen_seed = copy.deepcopy(record)
    chosen_seed["events"][seed_at]["event"]["body"]["seed"] = "ab" * 32
    case(
        "seed-chosen-and-re-signed",
        "the office writes a seed of its choosing and signs the record again with its own key",
        resign(chosen_seed, office_key, seed_at),
        lists,
        office,
        {"verdict": "failed", "failed": ["seed"]},
    )
    case(
        "re-signed-by-a-stranger",
        "every event and the record signed again by another key: consistent in itself, but not "
        "the office's",
        resign(record, stranger_key),
        lists,
        office,
        {"verdict": "failed"},
    )
    dropped = copy.deepcopy(record)
    del dropped["events"][2]
    case(
        "event-dropped",
        "an event removed from the record",
        dropped,
        lists,
        office,
        {"verdict": "failed", "failed": ["event signatures and hash chain"]},
    )
    flipped = copy.deepcopy(record)
    flipped["signature"] = flipped["signature"][:-1] + (
        "1" if flipped["signature"][-1] == "0" else "0"
    )
    case(
        "record-signature-flipped",
        "one hex digit of the record's signature changed",
        flipped,
        lists,
        office,
        {"verdict": "failed", "failed": ["record signature"]},
    )
    no_events = {k: v for k, v in record.items() if k != "events"}
    case(
        "malformed-no-events",
        "a record without its events",
        no_events,
        lists,
        office,
        {"verdict": "failed"},
    )
    case(
        "malformed-not-a-record",
        "a JSON object that is no draw record",
        {"hello": "world"},
        {},
        office,
        {"verdict": "failed"},
    )
    for c in cases:
        report = verification_report(
            c["record"],
            public_key=PublicKey.from_hex(c["public_key"]) if c["public_key"] else None,
            populations=populations_of(c["populations"]),
        )
        c["expected"] = expectation(report.checks, report.verdict)
        must = c.pop("must")
        if must:
            require(c["name"], c["expected"], must)
    return cases


# -- publications -------------------------------------------------------------------------------

MONTH = Month(2026, 3)
LEADER = "王主任（演示）"


def office_month(folder: Path, *, abort_first: bool) -> tuple[Path, Path, OfficeKey]:
    """A month drawn, with results, and published with the office's own steps; return the
    publication folder, the internal lists' folder and the office key."""
    passphrase = secrets.token_hex(16).encode()
    config = init_office(
        folder, office="西城区人民防空办公室（向量）", prefix="vectors", passphrase=passphrase
    )
    key = OfficeKey.load(config.key, passphrase)
    witness = ParticipantKey.generate()
    config = add_witness(folder, witness.public, by_hand=True)
    beacon = recorded_beacon()
    objects = read_objects(EXAMPLE / "objects.csv")
    inspectors = read_inspectors(EXAMPLE / "inspectors.csv", object_ids=[o.id for o in objects])
    with Office.open(config, key=key) as office:
        office.import_directories(objects, inspectors, actor="generator")
        for status in office.sections(MONTH):
            if not status.exempt:
                office.confirm_availability(
                    MONTH, status.section, confirmer="科长", actor="generator"
                )
    redraw = None
    if abort_first:

        def walks_out(_count: int) -> list[int]:
            raise KeyboardInterrupt

        chain = DrandChain.named(BEACON_CHAIN)
        start = chain.time_of_round(int(beacon["round"]) - 1) - timedelta(
            minutes=config.beacon_delay_minutes + 5
        )
        with Office.open(config, key=key, clock=Clock(start, demo=True)) as office:
            try:
                office.draw(MONTH, performer=Performer(LEADER), dice=walks_out, actor="generator",
                            witness_desk=DemoWitness(witness, Clock(start, demo=True)))  # fmt: skip
            except PolicyError:
                pass
            else:
                sys.exit("the first attempt was not aborted")
        redraw = "主管领导临时离场，重新抽取（向量）"
    clock = demo_clock(int(beacon["round"]), config.beacon_delay_minutes)
    with Office.open(config, key=key, clock=clock) as office:
        drawn, files = office.draw(
            MONTH,
            performer=Performer(LEADER),
            dice=lambda count: [i % 6 + 1 for i in range(count)],
            actor="generator",
            redraw_reason=redraw,
            witness_desk=DemoWitness(witness, clock),
            beacon_by_hand=recorded_by_hand(beacon),
        )
        office.approve(MONTH, performer=Performer(LEADER), note="同意", actor="generator")
        example_results(office, drawn)  # one with a finding and a penalty
        publication = folder / "publication"
        office.publish(MONTH, publication)
    return publication, files.internal, key


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file of a publication folder a verifier reads, by path (not verify.html: it is
    the page itself, and carries the manifest rather than being listed in it)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "verify.html"
    }


BLOBS: dict[str, dict[str, str]] = {}
"""Every file's bytes, once, by SHA-256: UTF-8 text as it is, anything else in base64."""


def encoded(files: Mapping[str, bytes]) -> dict[str, str]:
    """Files as a case holds them: path → the SHA-256 of its bytes, kept in BLOBS."""
    out = {}
    for name, data in files.items():
        digest = hashlib.sha256(data).hexdigest()
        try:
            if name.endswith(".xlsx"):
                raise UnicodeDecodeError("utf-8", data, 0, 1, "binary")
            BLOBS[digest] = {"text": data.decode("utf-8")}
        except UnicodeDecodeError:
            BLOBS[digest] = {"base64": base64.b64encode(data).decode("ascii")}
        out[name] = digest
    return out


def resigned(files: Mapping[str, bytes], key: OfficeKey) -> dict[str, bytes]:
    """The files with their manifest made again and signed by ``key`` (what the office does
    when it publishes files it changed)."""
    old = json.loads(files[MANIFEST_NAME])
    rest = {k: v for k, v in files.items() if k != MANIFEST_NAME}
    manifest = manifest_json(
        rest, draw_id=old["draw_id"], month=old["month"], key=key, published=old["published"]
    )
    return {**rest, MANIFEST_NAME: json_bytes(manifest)}


def publication_cases(root: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    made = {}
    for name, abort_first in (("month", False), ("redrawn", True)):
        publication, internal, key = office_month(root / name, abort_first=abort_first)
        lists = lists_json(read_internal(internal).populations)
        made[name] = (folder_files(publication), lists, key)

    def case(name: str, description: str, files: Mapping[str, bytes], lists: Mapping[str, Any],
             key: str | None, must: Mapping[str, Any]) -> None:  # fmt: skip
        cases.append(
            {
                "name": name,
                "description": description,
                "files": encoded(files),
                "public_key": key,
                "populations": dict(lists),
                "must": dict(must),
            }
        )

    files, internal, office = made["month"]
    key = office.public.raw.hex()
    record = json.loads(files["record.json"])
    confidential = [
        f"scope {s['scope']}: complete recomputation"
        for s in record["events"][0]["event"]["body"]["scopes"]
        if s["confidential"]
    ]
    case("public", "a month's publication, as the public sees it: the confidential lists are "
         "not published", files, {}, key, {"verdict": "incomplete", "unchecked": confidential})  # fmt: skip
    case("internal", "the same publication with the office's internal lists (the office or an "
         "auditor)", files, internal, key, {"verdict": "passed"})  # fmt: skip
    case("no-office-key", "the publication without the office's key", files, internal, None,
         {"verdict": "incomplete", "unchecked": ["office key"]})  # fmt: skip
    case("another-office-key", "the publication checked against another key", files, internal,
         public_hex(V2["keys"]["stranger"]), {"verdict": "failed", "failed": ["office key"]})  # fmt: skip

    def json_edit(path: str, edit: Callable[[Any], None], sign: bool = False) -> dict[str, bytes]:
        changed = dict(files)
        value = json.loads(changed[path])
        edit(value)
        changed[path] = json_bytes(value)
        return resigned(changed, office) if sign else changed

    def text_edit(path: str, old: str, new: str) -> dict[str, bytes]:
        text = files[path].decode("utf-8")
        assert old in text, (path, old)
        return {**files, path: text.replace(old, new, 1).encode("utf-8")}

    published = json.loads(files["results.json"])

    def everywhere(
        edit: Callable[[Any], None], base: Mapping[str, bytes] | None = None
    ) -> dict[str, bytes]:
        """results.json edited, the CSV, XLSX and credit export made again from its rows, and
        the manifest signed again: what an office that rewrites its results can do."""
        value = copy.deepcopy(published)
        edit(value)
        shown = [PublicRow(**r["row"]) for r in value["rows"]]
        changed = {
            **(base or files),
            "results.json": json_bytes(value),
            "results.csv": disclosure_csv(shown).encode("utf-8"),
            "results.xlsx": disclosure_xlsx(shown),
            "credit.json": json_bytes(credit_json(value["month"], shown)),
        }
        return resigned(changed, office)

    def row_of(value: Any, object_id: str) -> Any:
        return next(r for r in value["rows"] if r["row"]["id"] == object_id)

    without = {k: v for k, v in files.items() if k != "assignment.json"}
    case("no-assignment", "assignment.json deleted", without, internal, key,
         {"verdict": "failed", "failed": ["manifest.files"], "unchecked": ["assignment"]})  # fmt: skip

    groups = json.loads(files["assignment.json"])["groups"]
    assert len(groups) >= 2 and groups[0]["objects"], "the month needs two groups with objects"
    moved = groups[0]["objects"][0]

    def move(declare: bool) -> Callable[[Any], None]:
        def edit(value: Any) -> None:
            value["groups"][0]["objects"].remove(moved)
            value["groups"][1]["objects"].append(moved)
            if declare:
                value["moves"].append({"object_id": moved, "from_group": 1, "to_group": 2})

        return edit

    def regroup(value: Any) -> None:
        """The moved object's row in group 2, with group 2's officers."""
        other = next(r["row"] for r in value["rows"] if r["row"]["group"] == "第2组")
        row_of(value, moved)["row"].update(group="第2组", officers=other["officers"])

    case("object-moved", "an object moved to another group after publication (its row still "
         "names the first)", json_edit("assignment.json", move(False)), internal, key,
         {"verdict": "failed",
          "failed": ["manifest.files", "assignment.deal", "results.entries"]})  # fmt: skip
    case("object-moved-signed", "the office publishes an object moved to another group, and "
         "signs the manifest", everywhere(regroup, json_edit("assignment.json", move(False))),
         internal, key, {"verdict": "failed", "failed": ["assignment.deal"]})  # fmt: skip
    case("object-moved-invented-move", "the office moves an object with an invented 回避 move "
         "and signs the manifest: who recused is internal, so the public cannot tell it from a "
         "real one, and the check of the moves is not made",
         everywhere(regroup, json_edit("assignment.json", move(True))), internal, key,
         {"verdict": "incomplete", "unchecked": ["assignment.moves"]})  # fmt: skip

    def swap_members(value: Any) -> None:
        g = value["groups"]
        g[0]["members"][0], g[1]["members"][0] = g[1]["members"][0], g[0]["members"][0]

    case("members-swapped", "two officers swapped between groups (signed)",
         json_edit("assignment.json", swap_members, sign=True), internal, key,
         {"verdict": "failed", "failed": ["assignment.groups", "results.entries"]})  # fmt: skip

    def drop_object(value: Any) -> None:
        value["groups"][0]["objects"].remove(moved)

    case("object-dropped", "a drawn object left out of the assignment (signed)",
         json_edit("assignment.json", drop_object, sign=True), internal, key,
         {"verdict": "failed", "failed": ["assignment.objects", "assignment.deal"]})  # fmt: skip

    def add_object(value: Any) -> None:
        value["groups"][0]["objects"].append("91110102MA99999XYZ")

    case("object-added", "an object nobody drew added to a group (signed)",
         json_edit("assignment.json", add_object, sign=True), internal, key,
         {"verdict": "failed", "failed": ["assignment.objects"]})  # fmt: skip

    def other_draw(value: Any) -> None:
        value["draw_id"] = "vectors-2026-01"

    case("assignment-of-another-draw", "the assignment names another draw (signed)",
         json_edit("assignment.json", other_draw, sign=True), internal, key,
         {"verdict": "failed", "failed": ["assignment.draw_id"]})  # fmt: skip

    qual = next(s for s in json.loads(files["public-lists.json"])["lists"] if s.endswith("/QUAL"))

    def grow_list(value: Any) -> None:
        value["lists"][qual].append("XC-RF-2026-999")

    case("public-list-with-one-more", "a published public list with one project more than the "
         "announced one (signed)", json_edit("public-lists.json", grow_list, sign=True), {}, key,
         {"verdict": "failed", "failed": [f"scope {qual}: complete recomputation"],
          "unchecked": [*confidential, "assignment"]})  # fmt: skip

    # The results, the page and the credit export: the manifest catches every change, and
    # each published row is also checked against the signed result it came from.
    rows = files["results.csv"].decode("utf-8").splitlines()
    fined = next(line for line in rows if "西人防罚" in line)
    fields = fined.split(",")
    amount = fields[7]  # 罚款金额（元）
    assert amount.isdigit(), fined
    case("result-changed", "a result category changed in results.csv",
         text_edit("results.csv", "发现问题", "未发现问题"), internal, key,
         {"verdict": "failed", "failed": ["manifest.files", "results.files"]})  # fmt: skip
    case("penalty-changed", "a penalty amount changed in results.csv",
         text_edit("results.csv", f",{amount},", f",{amount[:-2] or '0'},"), internal, key,
         {"verdict": "failed", "failed": ["manifest.files", "results.files"]})  # fmt: skip
    case("name-changed", "an object's name changed in results.csv",
         text_edit("results.csv", "示例单位", "另一单位"), internal, key,
         {"verdict": "failed", "failed": ["manifest.files", "results.files"]})  # fmt: skip
    dropped_row = dict(files)
    dropped_row["results.csv"] = ("\n".join(rows[:1] + rows[2:]) + "\n").encode("utf-8")
    case("row-dropped", "a row of results.csv removed", dropped_row, internal, key,
         {"verdict": "failed", "failed": ["manifest.files", "results.files"]})  # fmt: skip
    case("page-changed", "the disclosure page (index.html) edited",
         text_edit("index.html", "示例单位", "另一单位"), internal, key,
         {"verdict": "failed", "failed": ["manifest.files"]})  # fmt: skip

    def change_credit(value: Any) -> None:
        value["entries"][0]["result"] = "不配合检查情节严重"

    case("credit-entry-changed", "a result in the credit export changed",
         json_edit("credit.json", change_credit), internal, key,
         {"verdict": "failed", "failed": ["manifest.files", "results.files"]})  # fmt: skip
    case("credit-entry-changed-and-signed", "a result in the credit export changed, and the "
         "manifest signed again", json_edit("credit.json", change_credit, sign=True), internal,
         key, {"verdict": "failed", "failed": ["results.files"]})  # fmt: skip
    case("penalty-changed-and-signed", "a penalty amount changed in results.csv, and the "
         "manifest signed again", resigned(text_edit("results.csv", f",{amount},",
         f",{amount[:-2] or '0'},"), office), internal, key,
         {"verdict": "failed", "failed": ["results.files"]})  # fmt: skip

    fined_id = fields[0]

    cheaper = copy.deepcopy(published)
    row_of(cheaper, fined_id)["row"]["penalty_amount"] = amount[:-2] or "0"
    workbook = {**files, "results.xlsx": disclosure_xlsx([PublicRow(**r["row"]) for r in
                                                          cheaper["rows"]])}  # fmt: skip
    case("spreadsheet-cell-changed-and-signed", "a penalty amount changed in results.xlsx (the "
         "workbook written again), and the manifest signed again", resigned(workbook, office),
         internal, key, {"verdict": "failed", "failed": ["results.files"]})  # fmt: skip

    case("spreadsheet-replaced-and-signed", "results.xlsx replaced by a file that is no "
         "workbook, and the manifest signed again",
         resigned({**files, "results.xlsx": b"PK not a workbook"}, office), internal, key,
         {"verdict": "failed", "failed": ["results.files"]})  # fmt: skip

    def lower_fine(value: Any) -> None:
        row_of(value, fined_id)["row"]["penalty_amount"] = amount[:-2] or "0"

    case("penalty-changed-everywhere-and-signed", "a penalty amount changed in every published "
         "file, the manifest signed again: the row is not the one its signed result makes",
         everywhere(lower_fine), internal, key,
         {"verdict": "failed", "failed": ["results.entries"]})  # fmt: skip

    def lower_signed_fine(value: Any) -> None:
        lower_fine(value)
        row_of(value, fined_id)["signed"][-1]["body"]["penalty_amount"] = int(amount[:-2] or 0)

    case("signed-result-edited", "the fine changed in the signed result's body too, and in every "
         "file: the body is no longer the one the log entry signed",
         everywhere(lower_signed_fine), internal, key,
         {"verdict": "failed", "failed": ["results.entries"]})  # fmt: skip

    def rename(value: Any) -> None:
        row_of(value, fined_id)["row"]["name"] = "另一单位（虚构）"

    case("name-changed-everywhere-and-signed", "an object's name changed in every published "
         "file, the manifest signed again: its signed result recorded the name",
         everywhere(rename), internal, key,
         {"verdict": "failed", "failed": ["results.entries"]})  # fmt: skip

    def drop_published_row(value: Any) -> None:
        value["rows"].remove(row_of(value, fined_id))

    case("row-dropped-everywhere-and-signed", "an object's row removed from every published "
         "file, the manifest signed again", everywhere(drop_published_row), internal, key,
         {"verdict": "failed", "failed": ["results.entries"]})  # fmt: skip

    def unsigned_result(value: Any) -> None:
        row_of(value, fined_id)["signed"] = []
        row_of(value, fined_id)["row"].update(
            category="待报送", findings="", handling="", penalty_decision="",
            penalty_amount="", inspected_on="", submission="",
        )  # fmt: skip

    case("result-withheld-everywhere-and-signed", "an object's result left out and shown as "
         "待报送 in every file, the manifest signed again: the signed result is withheld, and "
         "seen as such only by those holding the log",
         everywhere(unsigned_result), internal, key, {"verdict": "passed"})  # fmt: skip

    def stranger_signs(value: Any) -> None:
        signed = row_of(value, fined_id)["signed"][-1]
        signed["key_id"] = key_of(V2["keys"]["stranger"]).public.key_id

    case("result-of-another-key", "a published result entry naming another key",
         everywhere(stranger_signs), internal, key,
         {"verdict": "failed", "failed": ["results.entries"]})  # fmt: skip
    no_results = resigned({k: v for k, v in files.items() if k != "results.json"}, office)
    case("results-withheld", "results.json left out, the manifest signed without it", no_results,
         internal, key, {"verdict": "incomplete",
                         "unchecked": ["results.entries", "results.files"]})  # fmt: skip
    spreadsheet = dict(files)
    spreadsheet["results.xlsx"] = files["results.xlsx"][:-1] + bytes(
        [files["results.xlsx"][-1] ^ 1]
    )
    case("spreadsheet-changed", "one byte of results.xlsx changed", spreadsheet, internal, key,
         {"verdict": "failed", "failed": ["manifest.files"]})  # fmt: skip
    no_manifest = {k: v for k, v in files.items() if k != MANIFEST_NAME}
    case("manifest-deleted", "manifest.json deleted", no_manifest, internal, key,
         {"verdict": "failed", "failed": ["manifest"]})  # fmt: skip
    stranger = resigned(files, key_of(V2["keys"]["stranger"]))
    case("manifest-signed-by-a-stranger", "the manifest signed again by another key",
         stranger, internal, key, {"verdict": "failed", "failed": ["manifest"]})  # fmt: skip

    # The office's checkpoint of its audit log: changed, or signed by another key, and the
    # manifest signed again by the office: only the checkpoint's own check can tell.
    def cut_log(value: Any) -> None:
        value["size"] = 1

    case("log-checkpoint-changed", "log-checkpoint.json says the log was shorter, the manifest "
         "signed again", json_edit(CHECKPOINT_NAME, cut_log, sign=True), internal, key,
         {"verdict": "failed", "failed": ["log.checkpoint"]})  # fmt: skip
    foreign = sign_checkpoint(
        key_of(V2["keys"]["stranger"]),
        json.loads(files[CHECKPOINT_NAME])["size"],
        json.loads(files[CHECKPOINT_NAME])["head"],
        datetime.fromisoformat(json.loads(files[CHECKPOINT_NAME])["time"]),
    )
    case("log-checkpoint-signed-by-a-stranger", "log-checkpoint.json signed by another key, the "
         "manifest signed again", resigned({**files, CHECKPOINT_NAME: foreign.to_bytes()}, office),
         internal, key, {"verdict": "failed", "failed": ["log.checkpoint"]})  # fmt: skip

    def no_events(value: Any) -> None:
        del value["events"]

    case("malformed-record", "record.json without its events",
         json_edit("record.json", no_events), {}, key,
         {"verdict": "failed", "failed": ["files"]})  # fmt: skip

    files, internal, office = made["redrawn"]
    key = office.public.raw.hex()
    earlier = next(name for name in files if name.startswith("superseded/"))
    case("redrawn", "a month drawn again after an aborted attempt, published beside it", files,
         internal, key, {"verdict": "passed"})  # fmt: skip
    withheld = resigned({k: v for k, v in files.items() if k != earlier}, office)
    case("redrawn-attempt-withheld", "the aborted attempt left out of the publication (the "
         "manifest signed without it)", withheld, internal, key,
         {"verdict": "failed", "failed": ["supersedes"]})  # fmt: skip

    for c in cases:
        folder = write_files(c, root / "check" / c["name"])
        report = publication_report(
            folder,
            public_key=PublicKey.from_hex(c["public_key"]) if c["public_key"] else None,
            populations=populations_of(c["populations"]),
        )
        c["expected"] = expectation(report.checks, report.verdict)
        require(c["name"], c["expected"], c.pop("must"))
    return cases


def write_files(case: Mapping[str, Any], folder: Path) -> Path:
    """A publication case's files, written into ``folder`` byte for byte."""
    for name, digest in case["files"].items():
        held = BLOBS[digest]
        data = held["text"].encode("utf-8") if "text" in held else base64.b64decode(held["base64"])
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def write(
    name: str,
    verifier: str,
    description: str,
    cases: list[dict[str, Any]],
    blobs: Mapping[str, Any] | None = None,
) -> None:
    data = {"format": FORMAT, "verifier": verifier, "description": description, "cases": cases}
    if blobs is not None:
        data["blobs"] = dict(sorted(blobs.items()))
    (HERE / name).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{HERE / name}: {len(cases)} cases")


def main() -> None:
    write(
        "verify-records.json",
        "fairdraw verify",
        "Draw records with the office key and lists a verifier is given (public_key: raw "
        "Ed25519 key in hex, or null), and the checks every verifier must report.",
        record_cases(),
    )
    with tempfile.TemporaryDirectory() as root:
        cases = publication_cases(Path(root))
    write(
        "verify-publications.json",
        "rfb verify",
        "A month's publication folder (files: each file's path in the folder and the SHA-256 "
        "of its bytes, which blobs holds: UTF-8 text, or base64), the office key and the "
        "internal lists a verifier is given, and the checks every verifier must report.",
        cases,
        BLOBS,
    )


if __name__ == "__main__":
    main()
