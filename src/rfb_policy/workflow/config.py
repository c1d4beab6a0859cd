"""The office's configuration file, ``rfb.toml``: where things are and the choices the rules leave.

``rfb init`` writes an example with every setting and its default explained in Chinese; the
other ``rfb`` commands read it from ``--config``, ``$RFB_CONFIG`` or ``./rfb.toml``. Relative
paths in it are relative to the file's folder. A bad value is refused with the file and the
field named; nothing falls back silently to a default.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from fairdraw import DrandChain, FairdrawError, PolicyError, PublicKey, Store, open_store
from rfb_policy.errors import ConfigError
from rfb_policy.i18n import _
from rfb_policy.model.witness import Witness
from rfb_policy.month import Month
from rfb_policy.publish.index_page import OfficeDetails
from rfb_policy.rules.availability import ExemptMode
from rfb_policy.rules.lottery import LotteryGame, lottery_game
from rfb_policy.rules.plan import QUOTA_MODES, PlanSettings, RiskRule, extra_share
from rfb_policy.rules.schedule import DeadlineRule, DrawDayRule

__all__ = ["CONFIG_NAME", "CONFIG_TEMPLATE", "ExemptMode", "OfficeConfig", "find_config"]

CONFIG_NAME = "rfb.toml"
PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")
CONFIG_ENV = "RFB_CONFIG"


CONFIG_TEMPLATE = """\
# 西城区人防办“双随机、一公开”配置文件（rfb init 生成）。
# The office's settings for the rfb command. Relative paths are relative to this file's folder.

[office]
name = {office}
# 抽取编号前缀：每月的抽取编号为 前缀-YYYY-MM。The draw id of a month is PREFIX-YYYY-MM.
draw_id_prefix = {prefix}
# 数据库：SQLite 文件，或 postgresql://… 共享数据库。A SQLite file or a PostgreSQL URL.
database = "office.db"
# 机关签名密钥（口令加密）。The office's signing key (encrypted with a passphrase).
key = "office.key"
# 本办公布签名公钥指纹的位置（如门户网站栏目、办公楼公告栏），写在公示页和核验页上，供公众核对。
# Where the office publishes its key's fingerprint, shown on the disclosure and verify pages.
key_notice = ""
# 公示页上的咨询电话和地址（留空则不显示）。Telephone and address for questions, on the page.
contact = ""
# 公示页上的投诉举报渠道（留空则写“北京12345市民服务热线”）。Where citizens complain.
complaint = "北京12345市民服务热线（电话 12345）"
# 本办网站上公示栏目的地址，须以 https:// 或 http:// 开头（留空则不显示）。The office's web page.
website = ""

[schedule]
# 抽取日：每月第一个星期二（"first-tuesday"），或第一个完整周的星期二（"first-full-week"）。
draw_day = "first-tuesday"
# 结果报送截止：25日或之前最后一个工作日（"on-or-before-25"），或之后第一个（"on-or-after-25"）。
results_due = "on-or-before-25"
# 国务院放假安排数据文件（YEAR.json）所在文件夹。Folders with the office's YEAR.json notices.
calendar_dirs = ["calendar"]

[groups]
# 每月检查组数（1–3，“3组以下”）与每组人数（至少2人）。Groups a month (1–3), officers per group.
count = 3
size = 2
# 每组至少一名A岗人员。Each group has at least one A岗 officer.
require_a_post = false
# 每组每月可检查的对象数（用于判断任务是否超出能力）。Objects one group can inspect in a month.
objects_per_group = 10

[availability]
# 无需确认、默认可参加抽取的科室。Sections whose members count as available without confirmation.
exempt_sections = ["综合科"]
# "presumed-available"：上述科室人员默认可参加；"excluded"：不参加抽取。
exempt_mode = "presumed-available"

[risk]
# 高风险对象（单独分层、提高抽查比例）的认定条件。When an object is in the high-risk stratum.
complaints_at_least = 2
reported_problems_at_least = 1
bad_records_at_least = 1
serious_violation = true
# 高风险层抽查比例为基础比例的倍数（最高100%）。The risk stratum's ratio over the base ratio.
multiplier = "2"

[quotas]
# 涉密事项（维护管理、使用安全、通信警报）的月度数量。"exact"：剩余目标÷剩余月数，公众可据每月公告
# 推算出总数（误差几个）。"hidden"：1至11月按公开比例抽取，12月抽取缺额与由种子和盐值决定、以各组
# 能力为限的追加数中的较大者：总数无法推算到±25%以内，12月不超能力，但全年检查约1.7倍。年中勿改。
# "exact": remaining target ÷ months left, from which anyone can work the totals out to within a
# few objects. "hidden": a public rate January to November, then December draws the larger of
# the shortfall and a pad from the seed and the secret salt, capped by the groups' capacity: no
# total proved to within ±25%, at about 1.7 times the inspections. Set it before January.
mode = "exact"
extra_at_most = "100%"

[beacon]
# 公共随机信标（drand）："quicknet"（默认）或 "default"；""表示不使用（须在 [ceremony] 说明理由）。
# A drand chain ("quicknet" by default, or "default"); "" for none (then give a reason below).
chain = "quicknet"
# 信标轮次在公告后多少分钟到期：须晚于见证人揭示和掷骰录入，揭示截止时间即设在其前一分钟。
# Minutes from the announcement to the round; reveals and dice must come before it.
delay_minutes = 20
relays = ["https://api.drand.sh", "https://drand.cloudflare.com"]
# 无法联网（内网）时，信标可手工输入：从手机或其他电脑上的 drand 网站抄录该轮签名。
# true: always type the round's signature in (an office without internet); false: fetch it,
# and offer typing it in if no relay answers.
by_hand = false

[lottery]
# 内网无法取得信标时，也可用公告中指定的一期福利彩票开奖号码："fc3d"（福彩3D，每天开奖）或 "ssq"
# （双色球，每周二、四、日开奖）；""表示不用。仪式在揭示后暂停，开奖后用 rfb draw 月份 --resume
# 录入开奖号码，任何人都可与中国福彩网公布的号码核对。
# A public lottery draw fixed in the announcement, for an office without a beacon: "fc3d",
# "ssq", or "" for none. The ceremony pauses after the reveals; once the numbers are published,
# type them in with `rfb draw MONTH --resume`; anyone can compare them with the publisher's.
game = ""
# 开奖时间（北京时间，以中国福彩网公布为准）。The draw time, Beijing time (as the publisher says).
draw_time = "21:15"

[ceremony]
# 若一方即可决定抽取结果（未使用信标、彩票且无见证人自带密钥），须说明理由，记录与公示页将如实写明。
# A ceremony one party alone could steer (no beacon, no lottery, no witness with their own
# secret) needs a reason; the record, rfb verify and the publication then say who could have
# chosen the result.
single_party_reason = ""

# 见证人（人大代表、公证员、其他部门人员等）：各自在自己的设备上用 fairdraw participant key 生成
# 密钥，把公钥文件交给本机关。Witnesses, each with their own key (fairdraw participant key):
# [[witnesses]]
# id = "witness-1"
# name = "李某"
# organisation = "区司法局"
# public_key = "witness-1.key.pub"   # 公钥文件（相对本文件夹）或64位十六进制
# secret = true                      # 见证人另带一个自己的秘密（承诺后揭示）
"""


class _Section:
    """One ``[table]`` of the file, read with the file and the field named in every error."""

    def __init__(self, data: Mapping[str, Any], name: str, path: Path) -> None:
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(_("{path}: [{table}] must be a table").format(path=path, table=name))
        self._table, self._name, self._path = table, name, path

    def fail(self, field: str, problem: str, /, **fields: object) -> ConfigError:
        """The error of ``field``: ``problem`` (already in the run's language) with ``fields``."""
        said = problem.format(**fields) if fields else problem  # a foreign error as it is
        where = {"path": self._path, "table": self._name, "field": field}
        return ConfigError(_("{path}: [{table}] {field} {problem}").format(**where, problem=said))

    def get(self, field: str, kind: type) -> Any:
        value = self._table.get(field)
        if (
            value is None
            or isinstance(value, bool) is not (kind is bool)
            or not isinstance(value, kind)
        ):
            not_a = _("must be a {kind}, not {value}")
            raise self.fail(field, not_a, kind=kind.__name__, value=repr(value))
        return value

    def number(self, field: str, low: int, high: int | None = None) -> int:
        value: int = self.get(field, int)
        if value < low or (high is not None and value > high):
            bounds = _("is {value}; it must be at least {low} and at most {high}")
            if high is None:
                bounds = _("is {value}; it must be at least {low}")
            raise self.fail(field, bounds, value=value, low=low, high=high)
        return value

    def choice(self, field: str, allowed: tuple[str, ...]) -> Any:
        value = self.get(field, str)
        if value not in allowed:
            choices = ", ".join(allowed)
            raise self.fail(
                field, _("is {value}; choose one of {choices}"), value=repr(value), choices=choices
            )
        return value

    def text(self, field: str) -> str:
        """An optional text field (a file written before it existed has none): "" if absent."""
        if field not in self._table:
            return ""
        return str(self.get(field, str)).strip()

    def strings(self, field: str) -> tuple[str, ...]:
        values = self.get(field, list)
        if not all(isinstance(v, str) and v for v in values):
            raise self.fail(field, _("must be a list of non-empty strings"))
        return tuple(values)


@attrs.frozen(kw_only=True)
class OfficeConfig:
    """The office's settings, read from ``rfb.toml``.

    Attributes:
        path: the file it was read from (relative paths resolve against its folder).
        office: the office's name, announced in every ceremony.
        draw_id_prefix: draw ids are ``PREFIX-YYYY-MM``.
        database: a SQLite path or a ``postgresql://`` URL.
        key: the office's key file.
        draw_day_rule, deadline_rule: the schedule's readings (rules R6, R15).
        calendar_dirs: folders with the office's ``YEAR.json`` notices.
        groups, group_size, require_a_post, objects_per_group: rule R8 and capacity.
        exempt_sections, exempt_mode: rule R5.
        plan: the plan's settings (groups, capacity, risk rule and multiplier).
        beacon_chain: ``""`` for no beacon, else a pinned drand chain name.
        beacon_delay_minutes: how long after the announcement the beacon round is due.
        relays: drand relay URLs.
        beacon_by_hand: the beacon is typed in (an office without internet), never fetched.
        lottery: the lottery game whose next draw after the beacon delay is announced as a
            source (``[lottery] game``), or None.
        lottery_time: the lottery's draw time of day, Beijing time.
        witnesses: the witnesses who take part with their own keys.
        single_party_reason: why the office runs a ceremony one party alone could steer ("").
        key_notice: where the office publishes its key's fingerprint, for the public pages
            ("": they say "the office's website or notice board").
        contact, complaint, website: the disclosure page's contact for questions, complaint
            channel (投诉举报渠道) and web page ("": not shown; the complaint channel then is
            the Beijing 12345 hotline).
    """

    path: Path
    office: str
    draw_id_prefix: str
    database: str
    key: Path
    draw_day_rule: DrawDayRule
    deadline_rule: DeadlineRule
    calendar_dirs: tuple[Path, ...]
    group_size: int
    require_a_post: bool
    exempt_sections: tuple[str, ...]
    exempt_mode: ExemptMode
    plan: PlanSettings
    beacon_chain: str
    beacon_delay_minutes: int
    relays: tuple[str, ...]
    beacon_by_hand: bool = False
    lottery: LotteryGame | None = None
    lottery_time: time = time(21, 15)
    witnesses: tuple[Witness, ...] = ()
    single_party_reason: str = ""
    key_notice: str = ""
    contact: str = ""
    complaint: str = ""
    website: str = ""

    @property
    def details(self) -> OfficeDetails:
        """What the disclosure page says of the office."""
        return OfficeDetails(
            name=self.office,
            contact=self.contact,
            complaint=self.complaint,
            website=self.website,
            key_notice=self.key_notice,
        )

    @property
    def groups(self) -> int:
        """Groups a month (1–3)."""
        return self.plan.max_groups

    def open_store(self) -> Store:
        """The office's store.

        Raises:
            ConfigError: the SQLite file does not exist (a mistyped path never makes a new,
                empty database; ``rfb init`` makes the office's).
        """
        if "://" not in self.database and not Path(self.database).exists():
            raise ConfigError(
                _(
                    "{path}: [office] database {database} does not exist (rfb init creates it)"
                ).format(path=self.path, database=self.database)
            )
        return open_store(self.database)

    @property
    def public_key(self) -> Path:
        """The office's public key file, written beside the key."""
        return self.key.with_name(self.key.name + ".pub")

    def draw_id(self, month: Month) -> str:
        """The draw id of ``YYYY-MM``."""
        return f"{self.draw_id_prefix}-{month}"

    def with_schedule(
        self, draw_day: DrawDayRule | None, results_due: DeadlineRule | None
    ) -> OfficeConfig:
        """These settings with another draw-day or deadline reading (None keeps it)."""
        return attrs.evolve(
            self,
            draw_day_rule=draw_day or self.draw_day_rule,
            deadline_rule=results_due or self.deadline_rule,
        )

    def with_capacity(self, objects_per_group: int | None) -> OfficeConfig:
        """These settings with another capacity of a group (None keeps it)."""
        if objects_per_group is None:
            return self
        return attrs.evolve(self, plan=attrs.evolve(self.plan, objects_per_group=objects_per_group))

    @classmethod
    def load(cls, path: str | Path) -> OfficeConfig:
        """Read and check ``rfb.toml``.

        Raises:
            ConfigError: the file is missing or malformed; the message names the field.
        """
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            raise ConfigError(
                _("{path}: no configuration here; run `rfb init` to create one").format(path=path)
            ) from err
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(
                _("{path}: cannot read the configuration: {error}").format(path=path, error=err)
            ) from err
        return cls.from_data(data, path)

    @classmethod
    def defaults(cls, folder: Path) -> OfficeConfig:
        """The settings ``rfb init`` writes, for commands run outside an office folder (their
        database and key then come from ``--db`` and ``--key``)."""
        text = CONFIG_TEMPLATE.format(office='"北京市西城区人民防空办公室"', prefix='"xicheng-rfb"')
        return cls.from_data(tomllib.loads(text), folder / CONFIG_NAME)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], path: Path) -> OfficeConfig:
        """Check parsed settings; ``path`` is the file they come from.

        Raises:
            ConfigError: a field is missing or malformed; the message names it.
        """
        here = path.resolve().parent
        office = _Section(data, "office", path)
        schedule = _Section(data, "schedule", path)
        groups = _Section(data, "groups", path)
        availability = _Section(data, "availability", path)
        risk = _Section(data, "risk", path)
        beacon = _Section(data, "beacon", path)

        prefix = office.get("draw_id_prefix", str)
        if not PREFIX.fullmatch(prefix):
            raise office.fail(
                "draw_id_prefix", _("is {value}; use letters, digits and -"), value=repr(prefix)
            )
        database = office.get("database", str)
        if "://" in database and not database.startswith(("postgresql://", "postgres://")):
            raise office.fail("database", _("must be a SQLite file path or a postgresql:// URL"))
        try:
            multiplier = Fraction(risk.get("multiplier", str))
        except (ValueError, ZeroDivisionError) as err:
            raise risk.fail("multiplier", _('must be a number such as "2"')) from err
        if multiplier < 1:
            raise risk.fail("multiplier", _("must be at least 1"))
        chain = beacon.get("chain", str)
        if chain:
            try:
                DrandChain.named(chain)
            except ValueError as err:
                raise beacon.fail("chain", str(err)) from err
            if not beacon.strings("relays"):
                raise beacon.fail("relays", _("must name at least one relay when a chain is set"))
        witnesses = _witnesses(data, path, here)
        lottery, lottery_time = _lottery(data, path)
        ceremony = _Section(data, "ceremony", path)
        reason = ceremony.get("single_party_reason", str).strip()
        website = office.text("website")
        if website and not website.startswith(("https://", "http://")):
            address = _("is {value}; give an https:// or http:// address")
            raise office.fail("website", address, value=repr(website))
        if not chain and not lottery and not any(w.secret for w in witnesses) and not reason:
            raise ceremony.fail(
                "single_party_reason",
                _(
                    'is empty, but [beacon] chain is "", [lottery] game is "" and no witness '
                    "brings a secret: the office alone could choose the outcome. Set a chain or a "
                    "lottery, add a witness, or give the reason"
                ),
            )
        return cls(
            path=path,
            office=office.get("name", str),
            draw_id_prefix=prefix,
            database=database if "://" in database else str(here / database),
            key=here / office.get("key", str),
            draw_day_rule=schedule.choice("draw_day", ("first-tuesday", "first-full-week")),
            deadline_rule=schedule.choice("results_due", ("on-or-before-25", "on-or-after-25")),
            calendar_dirs=tuple(here / d for d in schedule.strings("calendar_dirs")),
            group_size=groups.number("size", 2),
            require_a_post=groups.get("require_a_post", bool),
            exempt_sections=availability.strings("exempt_sections"),
            exempt_mode=availability.choice("exempt_mode", ("presumed-available", "excluded")),
            plan=PlanSettings(
                max_groups=groups.number("count", 1, 3),
                objects_per_group=groups.number("objects_per_group", 1),
                risk_rule=RiskRule(
                    complaints_at_least=risk.number("complaints_at_least", 0),
                    reported_problems_at_least=risk.number("reported_problems_at_least", 0),
                    bad_records_at_least=risk.number("bad_records_at_least", 0),
                    serious_violation=risk.get("serious_violation", bool),
                ),
                risk_multiplier=multiplier,
                **_quotas(data, path),
            ),
            beacon_chain=chain,
            beacon_delay_minutes=beacon.number("delay_minutes", 1),
            relays=beacon.strings("relays"),
            beacon_by_hand=beacon.get("by_hand", bool),
            lottery=lottery,
            lottery_time=lottery_time,
            witnesses=witnesses,
            single_party_reason=reason,
            key_notice=office.text("key_notice"),
            contact=office.text("contact"),
            complaint=office.text("complaint"),
            website=website,
        )


def _quotas(data: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """The ``[quotas]`` table (optional: a file written before it existed keeps mode exact)."""
    if "quotas" not in data:
        return {}
    section = _Section(data, "quotas", path)
    text = section.get("extra_at_most", str)
    if (extra := extra_share(text)) is None:
        why = _('is {text!r}; write a share of the ratio from 0% to 100%, such as "100%"')
        raise section.fail("extra_at_most", why.format(text=text))
    return {"quota_mode": section.choice("mode", QUOTA_MODES), "extra_at_most": extra}


def _lottery(data: Mapping[str, Any], path: Path) -> tuple[LotteryGame | None, time]:
    """The ``[lottery]`` table (optional: a file written before it existed has none)."""
    if "lottery" not in data:
        return None, time(21, 15)
    section = _Section(data, "lottery", path)
    code = section.get("game", str)
    text = section.get("draw_time", str)
    try:
        hour, minute = (int(part) for part in text.split(":"))
        at = time(hour, minute)
    except ValueError:
        raise section.fail(
            "draw_time", _('is {value}; write it as "21:15"'), value=repr(text)
        ) from None
    if not code:
        return None, at
    try:
        return lottery_game(code), at
    except PolicyError as err:
        raise section.fail(
            "game", _('is {value}; choose fc3d, ssq or ""'), value=repr(code)
        ) from err


def _witnesses(data: Mapping[str, Any], path: Path, here: Path) -> tuple[Witness, ...]:
    """The ``[[witnesses]]`` tables.

    Raises:
        ConfigError: a table is malformed or its public key cannot be read.
    """
    tables = data.get("witnesses", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(_("{path}: [[witnesses]] must be tables").format(path=path))
    found = []
    for number, table in enumerate(tables, start=1):
        section = _Section({"witnesses": table}, "witnesses", path)
        unknown = set(table) - {"id", "name", "organisation", "public_key", "secret"}
        if unknown:
            names = ", ".join(sorted(unknown))
            raise section.fail(names, _("(witness {number}): unknown setting"), number=number)
        witness_id = section.get("id", str)
        if not PREFIX.fullmatch(witness_id) or witness_id in {"office", "leader"}:
            raise section.fail(
                "id",
                _("(witness {number}) is {value}; use letters, digits and -"),
                number=number,
                value=repr(witness_id),
            )
        key_text = section.get("public_key", str)
        try:
            key = (
                PublicKey.from_hex(key_text)
                if re.fullmatch(r"[0-9a-fA-F]{64}", key_text)
                else PublicKey.load(here / key_text)
            )
        except (FairdrawError, OSError) as err:
            unreadable = _("(witness {number}) cannot be read: {error}")
            raise section.fail("public_key", unreadable, number=number, error=err) from err
        found.append(
            Witness(
                id=witness_id,
                name=section.get("name", str),
                organisation=str(table.get("organisation", "")),
                public_key=key,
                secret=bool(table.get("secret", True)),
            )
        )
    if len({w.id for w in found}) != len(found):
        raise ConfigError(_("{path}: [[witnesses]] ids must be unique").format(path=path))
    return tuple(found)


def find_config(given: str | None) -> Path:
    """The configuration file to use: ``given``, else ``$RFB_CONFIG``, else ``./rfb.toml``."""
    return Path(given or os.environ.get(CONFIG_ENV) or CONFIG_NAME)
