"""The disclosure page, ``index.html``: the office's Jinja2 template, rendered with autoescape.

Everything on it comes from the office's settings (``[office]`` in ``rfb.toml``:
:class:`OfficeDetails`), the item catalogue (检查方式, 执法依据), the signed record (the task
number, the seed, who rolled the dice and what, the witnesses, the beacon, who could have
steered the draw), the leader's logged confirmation and the month's rows. Every value is
escaped by the template engine, the month included; the page loads nothing (its
Content-Security-Policy allows no script and no outside resource) and reads on a phone
(a viewport, and the tables turn into one card per object under 720 pixels).

Addresses are withheld (rule R18: 人防工程 locations can be sensitive; the office publishes the
name and the result only) and the page says so; so are the totals of the confidential items.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs

from fairdraw import Approval, DrawRecord
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.rules.items import Catalogue, Item
from rfb_policy.workflow.clock import BEIJING

__all__ = ["FILE_TITLES", "OfficeDetails", "fingerprint", "render_index"]

FILE_TITLES = {
    "results.csv": "抽查结果（CSV，UTF-8 编码）",
    "results.xlsx": "抽查结果（Excel 表格）",
    "credit.json": "报送信用信息的数据（JSON）",
    "record.json": "本办签名的抽取记录（JSON）",
    "assignment.json": "检查组与检查对象的分配，回避调整逐项列明（JSON）",
    "public-lists.json": "可公开的名单，供复算（JSON）",
    "manifest.json": "本办签名的文件清单，列明本公示各数据文件的 SHA-256（JSON）",
    "results.json": "每条结果及其在本办审计日志中的签名记录（JSON）",
    "log-checkpoint.json": "本办签名的审计日志检查点：公示时日志的条数和最新哈希（JSON）",
    "verify.html": "浏览器核验页（无需安装软件，断网可用）",
}
"""What each published file is, as the page lists it (``superseded/…``: a replaced attempt)."""

PAGE_COLUMNS = (
    ("name", "名称", True),
    ("id", "统一社会信用代码/编号", True),
    ("items", "抽查事项", True),
    ("category", "检查结果", True),
    ("penalty_decision", "处罚决定书文号", True),
    ("penalty_amount", "罚款金额（元）", True),
    ("inspected_on", "检查日期", True),
    ("group", "检查组", True),
    ("officers", "执法人员", True),
)
"""The page's columns: key, title, and whether shown when every row leaves it empty."""

PAGE_DETAILS = (("findings", "检查情况"), ("handling", "处理情况"))
"""What the page shows on a line of its own under an object's row, when given: texts of any
length, which a column would squeeze to a character's width beside eleven others."""


@functools.cache
def _environment() -> Any:
    """The templates' Jinja2 environment, made when a page is first written (jinja2 is imported
    then: every ``rfb`` command starts faster without it)."""
    import jinja2  # noqa: PLC0415

    return jinja2.Environment(
        loader=jinja2.PackageLoader("rfb_policy.data", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@attrs.frozen(kw_only=True)
class OfficeDetails:
    """What the page says of the office (``[office]`` in ``rfb.toml``).

    Attributes:
        name: the office's name ("": the name its signed announcement gives).
        contact: its telephone and address for questions ("": not shown).
        complaint: where citizens complain (投诉举报渠道; "": the Beijing 12345 hotline).
        website: its website's page for these disclosures, ``http(s)://`` ("": not shown).
        key_notice: where it publishes its key's fingerprint ("": "its website or notice
            board").
    """

    name: str = ""
    contact: str = ""
    complaint: str = ""
    website: str = attrs.field(default="")
    key_notice: str = ""

    @website.validator
    def _web(self, _attribute: object, value: str) -> None:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError(f"the office's website must be an http(s):// address, not {value!r}")


def fingerprint(key_id: str) -> str:
    """A key id in groups of four, to read aloud and compare."""
    return " ".join(key_id[i : i + 4] for i in range(0, len(key_id), 4))


def _beijing(when: str) -> str:
    moment = datetime.fromisoformat(when).astimezone(BEIJING)
    return f"{moment:%Y-%m-%d %H:%M}（北京时间）"


def _published_day(when: str) -> str:
    moment = datetime.fromisoformat(when).astimezone(BEIJING)
    return f"{moment.year}年{moment.month}月{moment.day}日（北京时间 {moment:%H:%M}）"


def _people(record: DrawRecord) -> tuple[list[str], dict[str, str]]:
    """The announced participants as the page names them, and each one's name by id."""
    shown, names = [], {}
    for person in record.announcement.participants:
        if person.id == "office" or not person.name:
            continue
        name = person.name + (f"（{person.organisation}）" if person.organisation else "")
        if stand_in := person.extra.get("stand_in_for"):
            authorised = person.extra.get("authorisation", "")
            name += f"，代{stand_in}，授权文件：{authorised}"
        shown.append(f"{person.role}：{name}")
        names[person.id] = person.name
    return shown, names


def _sources(record: DrawRecord, names: dict[str, str]) -> dict[str, Any]:
    """The dice (who rolled, how many, the rolls as entered) and the public beacons."""
    entered = {
        str(e.body.get("source")): e.body.get("value")
        for e in record.events
        if e.kind == "randomness"
    }
    dice, beacons = [], []
    for source in record.announcement.sources:
        fields = source.fields
        if source.type == "dice":
            value = entered.get(source.id)
            rolls = value.get("rolls", []) if isinstance(value, dict) else []
            who = str(fields.get("participant", ""))
            dice.append(
                {
                    "who": names.get(who, who),
                    "count": fields.get("count", len(rolls)),
                    "sides": fields.get("sides", 6),
                    "rolls": " ".join(str(r) for r in rolls),
                }
            )
        elif source.type == "drand":
            beacons.append(f"drand {fields.get('chain', '')} 第 {fields.get('round', '')} 轮")
        elif source.type == "nist":
            beacons.append(f"NIST 随机信标 {fields.get('pulse_time', '')}")
        elif source.type not in {"local"}:
            beacons.append(str(fields.get("publisher") or fields.get("name") or source.id))
    return {"dice": dice, "beacons": beacons}


def _items(record: MonthRecord, catalogue: Catalogue) -> list[Item]:
    codes = dict.fromkeys(scope.split("/")[0] for scope in record.drawn)
    return [catalogue[code] for code in codes]


def render_index(
    record: MonthRecord,
    rows: Sequence[Any],
    *,
    record_sha: str,
    files: Sequence[str],
    office: OfficeDetails,
    catalogue: Catalogue,
    approval: Approval | None = None,
    published: str = "",
) -> str:
    """The month's ``index.html``.

    Args:
        rows: the month's :class:`rfb_policy.publish.disclosure.PublicRow` values.
        record_sha: the SHA-256 of ``record.json`` as published.
        files: every other file of the publication, by path, each linked from the page.
        approval: the leader's confirmation the publication rests on.
        published: when it is published (RFC 3339), shown as its 公示日期 in Beijing time.
    """
    draw = record.record
    people, names = _people(draw)
    columns = [
        (key, title)
        for key, title, always in PAGE_COLUMNS
        if always or any(getattr(row, key, "") for row in rows)
    ]
    finished = [e.time for e in draw.events if e.kind == "draw"]
    links = [
        (path, FILE_TITLES.get(path) or f"被取代的已中止抽取 {path.removeprefix('superseded/')}")
        for path in files
    ]
    context = {
        "demo": "（演示）" if record.demo else "",
        "demo_note": record.demo_note("zh") if record.demo else "",
        "office": office.name or draw.announcement.office,
        "details": office,
        "month": str(record.month),
        "task": record.draw_id,
        "published": _published_day(published) if published else "",
        "drawn_at": _beijing(finished[-1]) if finished else "",
        "items": _items(record, catalogue),
        "methods": "；".join(dict.fromkeys(i.method for i in _items(record, catalogue))),
        "columns": columns,
        "rows": [
            {
                "cells": {key: str(getattr(row, key, "")) for key, _ in columns},
                "told": [
                    (key, title, str(getattr(row, key)))
                    for key, title in PAGE_DETAILS
                    if getattr(row, key, "")
                ],
            }
            for row in rows
        ],
        "people": people,
        "confirmed": approval,
        "confirmed_at": _beijing(approval.time) if approval else "",
        "seed": draw.seed or "",
        "record_sha": record_sha,
        "steering": draw.steering.sentence("zh"),
        "fingerprint": fingerprint(draw.key_id),
        "verifier": "verify.html" in files,
        "has_assignment": "assignment.json" in files,
        "keyed": any(s.keyed_scores for s in draw.announcement.scopes),
        "links": links,
        "supersedes": record.supersedes,
        **_sources(draw, names),
    }
    page: str = _environment().get_template("disclosure.html").render(context)
    return page
