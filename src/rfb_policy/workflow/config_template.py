"""The ``rfb.toml`` that ``rfb init`` writes: every setting with its default and a note in both
languages for the clerk who edits it (a file the office keeps, not a message of a run)."""

from __future__ import annotations

__all__ = ["CONFIG_TEMPLATE"]

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
# 推算出总数（误差几个）。"hidden"：每层当年首月不抽取（只提交名单），由该月种子和盐值决定追加数
# （0至目标×extra_at_most），全年抽取目标加追加数，分摊到其余各月；抽中对象公开，分值不公开：
# 总数无法推算到±25%以内，但全年检查约1.5倍。年中勿改。
# "exact": remaining target ÷ months left, from which anyone can work the totals out to within a
# few objects. "hidden": each stratum's first month draws nothing, its seed and the secret salt
# fix a pad (0 to the target × extra_at_most), and the other months draw the target plus the
# pad, with keyed scores: no total proved or estimated to within ±25%, at about 1.5 times the
# inspections. Set it before January.
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
