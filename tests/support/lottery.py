"""Draw records whose ceremonies use public records (lottery draws), made by the real
:class:`fairdraw.Ceremony` with fixed keys, secrets and times: what the tests of the check
"public records" verify.

The v2 record has the office's secret, a witness who holds their own key and secret (and signs
that they saw the announcement before the lottery was drawn) and the lottery numbers the office
types in after they are drawn: every check but "public records" passes with the population and
the office key. A v1 record has the office's secret and lotteries of a later day (a v2 record
with two of them would fail "order of the events" for another reason: see the tests).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from fairdraw import Ceremony, Population, ScopePlan
from witness_steps import MINUTE, OFFICE_KEY, OFFICE_SECRET, WITNESS_KEY, witnessed_secrets

SCOPE = "2026-05/MAINT"
POPULATION = Population.of([f"MAINT-{i:03d}" for i in range(20)])
POPULATIONS = {SCOPE: POPULATION}
PUBLISHER = "中国福利彩票发行管理中心"
T0 = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
DRAWN_AT = datetime(2026, 5, 12, 13, 15, tzinfo=UTC)  # 21:15 Beijing time, as 福彩3D is

FUCAI_3D: dict[str, Any] = {
    "id": "fc3d",
    "type": "public-record",
    "description": "福彩3D 第2026124期 开奖号码",
    "publisher": PUBLISHER,
    "time": "2026-05-12T13:15:00Z",
    "draws": 1,
    "bits": 9,
}
SHUANGSEQIU: dict[str, Any] = {
    "id": "ssq",
    "type": "public-record",
    "description": "双色球 第2026054期 开奖号码（红球、蓝球）",
    "publisher": PUBLISHER,
    "time": "2026-05-12T13:15:00Z",
    "draws": 2,
    "bits": 34,
}
NUMBERS = {"fc3d": [[3, 1, 4]], "ssq": [[28, 7, 11, 40, 8, 18], [12]]}
"""What the office typed in, in the publisher's order (the seed has each draw sorted)."""
KEYS = {"fc3d": "1.3.4./", "ssq": "7.8.11.18.28.40./12./"}
"""The same numbers as RFC 3797 key strings."""


Groups = tuple[tuple[int, ...], ...]


@functools.cache
def _v2(typed: tuple[tuple[str, Groups], ...]) -> dict[str, Any]:
    t0 = T0
    ceremony = Ceremony.announce(
        OFFICE_KEY,
        draw_id="lottery-2026-05",
        office="示例：西城区人防办（虚构）",
        scopes=[ScopePlan(scope=SCOPE, population=POPULATION, k=3, alternates=1)],
        participants=[
            {"id": "office", "role": "office"},
            {"id": "witness", "role": "witness", "key": WITNESS_KEY.public.to_json()},
        ],
        sources=[
            {"id": "office-secret", "type": "local", "participant": "office"},
            {"id": "witness-secret", "type": "local", "participant": "witness"},
            *({"fc3d": FUCAI_3D, "ssq": SHUANGSEQIU}[s] for s, _ in typed),
        ],
        commit_deadline=t0 + 30 * MINUTE,
        reveal_deadline=t0 + 150 * MINUTE,
        at=t0,
    )
    witnessed_secrets(ceremony, t0)
    for source, groups in typed:
        numbers = [list(g) for g in groups]
        ceremony.add_value(source, {"numbers": numbers}, at=DRAWN_AT + 5 * MINUTE)
    ceremony.seed(at=DRAWN_AT + 6 * MINUTE)
    return ceremony.draw(POPULATIONS, at=DRAWN_AT + 7 * MINUTE)


def v2_record(
    sources: Sequence[str] = ("fc3d",), typed: dict[str, list[list[int]]] | None = None
) -> dict[str, Any]:
    """A drawn v2 record with these public records (``fc3d``, ``ssq``), their numbers typed in
    as ``typed`` says (by default :data:`NUMBERS`); a new copy on each call."""
    numbers = {**NUMBERS, **(typed or {})}
    return copy.deepcopy(_v2(tuple((s, tuple(map(tuple, numbers[s]))) for s in sources)))


def v1_entry(source: str) -> dict[str, Any]:
    """The v1 form of a public record of :data:`NUMBERS`: drawn on a day, no publisher named."""
    entry = {"fc3d": FUCAI_3D, "ssq": SHUANGSEQIU}[source]
    return {
        **{k: v for k, v in entry.items() if k not in {"publisher", "time"}},
        "date": "2026-05-13",
    }


@functools.cache
def _v1(sources: tuple[str, ...], aborted: bool) -> dict[str, Any]:
    ceremony = Ceremony.announce(
        OFFICE_KEY,
        draw_id="lottery-v1-2026-05",
        office="示例：西城区人防办（虚构）",
        scopes=[ScopePlan(scope=SCOPE, population=POPULATION, k=3)],
        participants=[{"id": "office", "role": "office"}],
        sources=[
            {"id": "office-secret", "type": "local", "participant": "office"},
            *(v1_entry(s) for s in sources),
        ],
        commit_deadline=T0 + 30 * MINUTE,
        reveal_deadline=T0 + 150 * MINUTE,
        at=T0,
        version=1,
    )
    ceremony.commit_secret("office-secret", OFFICE_SECRET, at=T0 + 3 * MINUTE)
    ceremony.reveal("office-secret", OFFICE_SECRET, at=T0 + 10 * MINUTE)
    if aborted:
        return ceremony.abort("the lottery was postponed", at=T0 + 20 * MINUTE)
    later = datetime(2026, 5, 13, 13, 20, tzinfo=UTC)
    for source in sources:
        ceremony.add_value(source, {"numbers": NUMBERS[source]}, at=later)
    ceremony.seed(at=later + MINUTE)
    return ceremony.draw(POPULATIONS, at=later + 2 * MINUTE)


def v1_record(sources: Sequence[str] = ("fc3d",), *, aborted: bool = False) -> dict[str, Any]:
    """A v1 record with these public records of :data:`NUMBERS` (drawn, or aborted before their
    numbers); a new copy on each call."""
    return copy.deepcopy(_v1(tuple(sources), aborted))
