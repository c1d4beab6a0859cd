"""The monthly public disclosure (行政执法公示) and the credit-system export (rules R17–R19).

For each inspected object: its id, its name, the items inspected, the result, and any penalty.
The page says which draw chose the objects and how anyone can check it. Addresses are withheld,
and the totals of MAINT, USE and COMM (数量涉密) never appear: no population size, no ratio
applied to a total, only the objects that were inspected.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from fairdraw import Checkpoint, DrawRecord, OfficeKey, Population, json_bytes, write_atomic
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.model.directory import is_valid_uscc
from rfb_policy.model.results import InspectionResult
from rfb_policy.publish.log_checkpoint import CHECKPOINT_NAME
from rfb_policy.publish.manifest import MANIFEST_NAME, manifest_json
from rfb_policy.publish.page import PUBLIC_LISTS_NAME, public_lists_json
from rfb_policy.rules.groups import Assignment
from rfb_policy.rules.items import Catalogue

__all__ = ["PublicRow", "public_rows", "write_publication"]

COLUMNS = (
    ("id", "统一社会信用代码/编号"),
    ("name", "名称"),
    ("items", "抽查事项"),
    ("category", "检查结果"),
    ("penalty_decision", "处罚决定书文号"),
    ("penalty_amount", "罚款金额（元）"),
    ("inspected_on", "检查日期"),
    ("group", "检查组"),
    ("officers", "执法人员"),
)


@attrs.frozen
class PublicRow:
    """One published line: an inspected object and what was found."""

    id: str
    name: str
    items: str
    category: str
    penalty_decision: str
    penalty_amount: str
    inspected_on: str
    group: str = ""
    officers: str = ""


def public_rows(
    drawn: Mapping[str, Sequence[str]],
    names: Mapping[str, str],
    results: Mapping[str, InspectionResult],
    catalogue: Catalogue,
    assignment: Assignment | None = None,
    officers: Mapping[str, str] | None = None,
) -> list[PublicRow]:
    """The month's rows: every drawn object, with its latest result (or 待报送 if none yet).

    Args:
        drawn: the drawn objects per item and stratum (``MAINT/base`` → ids).
        names: each object's name.
        results: each object's latest result.
        catalogue: the item catalogue (item names).
        assignment: which group inspects which object; its members are published by name and
            certificate number (执法人员身份公开).
        officers: certificate number → name.
    """
    officers = officers or {}

    def group_of(object_id: str) -> tuple[str, str]:
        if assignment is None:
            return "", ""
        number = assignment.group_of(object_id)
        members = assignment.groups[number - 1].members
        named = "、".join(f"{officers.get(m, '')}（{m}）" for m in members)
        return f"第{number}组", named

    items_of: dict[str, list[str]] = {}
    for scope, ids in drawn.items():
        for object_id in ids:
            items_of.setdefault(object_id, []).append(catalogue[scope.split("/")[0]].name)
    rows = []
    for object_id, item_names in items_of.items():
        result = results.get(object_id)
        rows.append(
            PublicRow(
                id=object_id,
                name=names.get(object_id, ""),
                items="；".join(dict.fromkeys(item_names)),
                category=result.category if result else "待报送",
                penalty_decision=result.penalty_decision if result else "",
                penalty_amount=result.penalty_amount if result else "",
                inspected_on=result.inspected_on.isoformat()
                if result and result.inspected_on
                else "",
                group=group_of(object_id)[0],
                officers=group_of(object_id)[1],
            )
        )
    return rows


def _csv(rows: Sequence[PublicRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for _, title in COLUMNS])
    for row in rows:
        writer.writerow([getattr(row, key) for key, _ in COLUMNS])
    return buffer.getvalue()


def _xlsx(rows: Sequence[PublicRow]) -> bytes:
    import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "公示"
    sheet.append([title for _, title in COLUMNS])
    for row in rows:
        sheet.append([getattr(row, key) for key, _ in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fingerprint(key_id: str) -> str:
    """A key id in groups of four, to read aloud and compare."""
    return " ".join(key_id[i : i + 4] for i in range(0, len(key_id), 4))


def _verifier_html(record: MonthRecord, present: bool, key_notice: str) -> str:
    key = html.escape(_fingerprint(record.record.key_id))
    link = (
        '<p><strong>在浏览器中核验：</strong><a href="verify.html">verify.html</a>'
        "（无需安装任何软件，断网也能打开；本月的抽取记录和公开名单已附在页内）。</p>\n"
        if present
        else ""
    )
    where = html.escape(key_notice) if key_notice else "本办网站或公告栏"
    note = f"本办签名公钥指纹（请与{where}公布的指纹逐组核对）"
    return f"{link}<p>{note}：<code>{key}</code></p>\n"


def _html(
    month: str,
    rows: Sequence[PublicRow],
    record: MonthRecord,
    record_sha: str,
    page: bool,
    key_notice: str,
) -> str:
    head = "".join(f"<th>{html.escape(title)}</th>" for _, title in COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(getattr(r, key))}</td>" for key, _ in COLUMNS) + "</tr>"
        for r in rows
    )
    seed = record.record.seed or ""
    demo = "（演示）" if record.demo else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{demo}{month} 双随机抽查结果公示</title></head>
<body>
<h1>{demo}西城区人民防空办公室 {month} “双随机、一公开”抽查结果公示</h1>
{_demo_html(record)}<table border="1" cellspacing="0" cellpadding="4"><thead><tr>{head}</tr></thead>
<tbody>{body}</tbody></table>
<h2>抽取过程可核验</h2>
<p>本月检查对象和检查人员由公开可复核的随机抽取产生（抽取编号
{html.escape(record.draw_id)}，种子 <code>{html.escape(seed)}</code>）。
抽取记录 <a href="record.json">record.json</a>（SHA-256 <code>{record_sha}</code>）由本办签名。</p>
{_verifier_html(record, page, key_notice)}<p>也可用开源工具 fairdraw 在电脑上复核
（安装 fairdraw 后，在本文件夹中运行）：</p>
<pre>fairdraw verify record.json --public-key 本办公钥文件
rfb verify . --public-key 本办公钥文件</pre>
{_superseded_html(record)}
<p><strong>谁能左右本次抽取：</strong>{html.escape(record.record.steering.sentence("zh"))}</p>
<p>复核会检查签名、随机种子的生成（各方先提交承诺，主管领导在任何秘密揭示之前现场掷骰，
然后揭示，信标在此之后产生）以及每个检查对象的排序分数；
<code>rfb verify</code> 还会按抽取记录重新计算检查组的组成和检查对象的分配
（<a href="assignment.json">assignment.json</a>，回避调整逐项列明）。
涉密事项的检查对象总数不予公开。</p>
</body></html>
"""


def _demo_html(record: MonthRecord) -> str:
    if not record.demo:
        return ""
    note = html.escape(record.demo_note("zh"))
    return f"<p><strong>{note}。</strong>本页不是真实的抽查公示。</p>\n"


def _superseded_html(record: MonthRecord) -> str:
    supersedes = record.supersedes
    if supersedes is None:
        return ""
    earlier = html.escape(supersedes.draw_id)
    reason = html.escape(supersedes.reason)
    return (
        f"<p>本次抽取取代已中止的抽取 {earlier}（原因：{reason}），其记录见 "
        f'<a href="superseded/{earlier}.json">superseded/{earlier}.json</a>。</p>'
    )


def write_publication(
    folder: Path,
    rows: Sequence[PublicRow],
    record: MonthRecord,
    assignment: Mapping[str, Any] | None = None,
    superseded: Sequence[DrawRecord] = (),
    verifier: Callable[[Mapping[str, Any] | None], str] | None = None,
    public_lists: Mapping[str, Population] | None = None,
    key_notice: str = "",
    key: OfficeKey | None = None,
    published: str = "",
    log_checkpoint: Checkpoint | None = None,
) -> list[Path]:
    """Write the page, CSV, XLSX, the record, the credit export and, if given, the assignment
    (:func:`rfb_policy.publish.assignment.assignment_json`), the aborted attempts the record
    replaces (``superseded/DRAW_ID.json``: nothing redrawn out of sight) and the browser check
    ``verify.html`` (``verifier`` makes its text, given the manifest it is to carry:
    :func:`rfb_policy.publish.page.office_page`) and the public
    lists it recomputes (``public-lists.json``); with the office ``key``, the signed manifest of
    them all (``manifest.json``, :mod:`rfb_policy.publish.manifest`), written last, at
    ``published``, listing the office's signed ``log_checkpoint`` when given
    (``log-checkpoint.json``, :mod:`rfb_policy.publish.log_checkpoint`); return the files
    written.

    Each file is written whole or not at all (:func:`fairdraw.write_atomic`), and the record's
    SHA-256 on the page is taken over the very bytes of ``record.json`` (``\n`` line ends on
    every operating system).
    """
    month = str(record.month)
    record_bytes = json_bytes(record.record.to_json())
    record_sha = hashlib.sha256(record_bytes).hexdigest()
    credit = {
        "format": "rfb-credit/1",
        "month": month,
        "entries": [
            {
                "unified_social_credit_code": r.id,
                "name": r.name,
                "result": r.category,
                "penalty_decision": r.penalty_decision,
                "penalty_amount": r.penalty_amount,
            }
            for r in rows
            if is_valid_uscc(r.id)
        ],
    }
    files: dict[str, bytes] = {
        "record.json": record_bytes,
        "results.csv": _csv(rows).encode("utf-8"),
        "results.xlsx": _xlsx(rows),
        "credit.json": json_bytes(credit),
    }
    if assignment is not None:
        files["assignment.json"] = json_bytes(assignment)
    for earlier in superseded:
        files[f"superseded/{earlier.draw_id}.json"] = json_bytes(earlier.to_json())
    if public_lists is not None:
        files[PUBLIC_LISTS_NAME] = json_bytes(public_lists_json(record.draw_id, public_lists))
    page = _html(month, rows, record, record_sha, verifier is not None, key_notice)
    files["index.html"] = page.encode("utf-8")
    if log_checkpoint is not None:
        files[CHECKPOINT_NAME] = log_checkpoint.to_bytes()
    manifest = None
    if key is not None:
        manifest = manifest_json(
            files, draw_id=record.draw_id, month=month, key=key, published=published
        )
    if verifier is not None:
        files["verify.html"] = verifier(manifest).encode("utf-8")
    if manifest is not None:  # last: a manifest always lists files that are there whole
        files[MANIFEST_NAME] = json_bytes(manifest)
    return [write_atomic(folder / name, data) for name, data in files.items()]
