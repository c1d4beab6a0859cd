"""Chinese and English texts of the ``fairdraw`` command line.

The library speaks English (its messages carry exact values: labels, positions, file names). The
command line adds a headline in the user's language, chosen by ``--lang``, else the
``FAIRDRAW_LANG`` environment variable, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``):
Chinese when it starts with ``zh``, English otherwise. JSON output is never translated.
"""

from __future__ import annotations

import os
from typing import Literal

Lang = Literal["zh", "en"]

_TEXTS: dict[str, dict[Lang, str]] = {
    "error": {"zh": "错误：", "en": "Error: "},
    "error.label_file": {"zh": "标签文件有误", "en": "The label file has a problem"},
    "error.label_file.line": {
        "zh": "标签文件 {path} 第 {line} 行有误：{reason}",
        "en": "The label file {path} has a problem at line {line}: {reason}",
    },
    "error.parameter": {
        "zh": "参数 {parameter} 有误",
        "en": "The parameter {parameter} is invalid",
    },
    "error.population.empty": {"zh": "名单为空", "en": "The population is empty"},
    "error.label": {"zh": "标签有误", "en": "A label is invalid"},
    "error.input": {"zh": "输入有误", "en": "The input is invalid"},
    "error.ceremony": {"zh": "仪式步骤不符合规则", "en": "The ceremony step breaks its rules"},
    "error.verification": {"zh": "核验未通过", "en": "Verification failed"},
    "error.source_unavailable": {
        "zh": "随机源暂时无法获取",
        "en": "A randomness source is unavailable",
    },
    "error.storage": {"zh": "数据库错误", "en": "Storage error"},
    "error.storage.already_finalised": {
        "zh": "该抽取已定稿，不能重复抽取",
        "en": "This draw was finalised already; it cannot be drawn again",
    },
    "error.storage.draw_id_used": {
        "zh": "该抽取编号已经用过（审计日志中有记录，即使数据行已被删除），新的抽取须使用新编号",
        "en": "This draw id was used before (the audit log shows it, even if its rows were "
        "deleted); a new draw takes a new id",
    },
    "error.policy": {"zh": "违反机关规则", "en": "An office rule forbids this"},
    "error.internal": {
        "zh": "程序内部错误，请把以下信息报告给维护者",
        "en": "Internal error; please report the following to the maintainers",
    },
    "reason.type": {"zh": "不是文本", "en": "not text"},
    "reason.encoding": {"zh": "无法编码为 UTF-8", "en": "cannot be encoded as UTF-8"},
    "reason.empty": {"zh": "空行（标签不能为空）", "en": "an empty line (a label cannot be empty)"},
    "reason.too_long": {"zh": "标签超过 1024 字节", "en": "the label is over 1024 bytes"},
    "reason.control": {"zh": "含有控制字符", "en": "it contains a control character"},
    "reason.whitespace": {
        "zh": "首尾有空白字符（可加 --canonicalize 自动去除）",
        "en": "white space at the start or end (--canonicalize removes it)",
    },
    "reason.not_nfc": {
        "zh": "不是 Unicode NFC 规范形式（可加 --canonicalize 自动规范化）",
        "en": "not in Unicode NFC (--canonicalize normalises it)",
    },
    "reason.not_utf8": {
        "zh": "不是 UTF-8 编码（请另存为 UTF-8）",
        "en": "not UTF-8 (save the file as UTF-8)",
    },
    "reason.duplicate": {"zh": "与前面的标签重复", "en": "it duplicates an earlier label"},
    "draw.title": {"zh": "抽取结果", "en": "Draw result"},
    "draw.scope": {"zh": "范围（scope）", "en": "Scope"},
    "draw.mode.exact": {
        "zh": "定额抽取：k = {k}，候补 {alternates} 个",
        "en": "Exact mode: k = {k}, {alternates} alternates",
    },
    "draw.mode.rate": {"zh": "按比例抽取：比例 {rate}", "en": "Rate mode: rate {rate}"},
    "draw.population": {"zh": "总体数量", "en": "Population size"},
    "draw.seed": {"zh": "种子", "en": "Seed"},
    "draw.subseed": {"zh": "子种子", "en": "Subseed"},
    "draw.digest": {"zh": "名单摘要", "en": "Population digest"},
    "draw.selected": {"zh": "入选（{count} 个）", "en": "Selected ({count})"},
    "draw.alternates": {
        "zh": "候补（{count} 个，按顺序递补）",
        "en": "Alternates ({count}, in order)",
    },
    "draw.none": {"zh": "（无）", "en": "(none)"},
    "draw.header": {
        "zh": "名次  分数（前 16 位）    标签",
        "en": "rank  score (first 16)      label",
    },
    "beacon.valid": {"zh": "有效：{source}", "en": "Valid: {source}"},
    "beacon.invalid": {
        "zh": "无效：{source}（不得使用）",
        "en": "INVALID: {source} (do not use it)",
    },
    "beacon.randomness": {"zh": "随机值", "en": "Randomness"},
    "beacon.time": {"zh": "时间", "en": "Time"},
    "key.created": {
        "zh": "已生成密钥 {path}（已加密）与公钥 {public}",
        "en": "Created the key {path} (encrypted) and the public key {public}",
    },
    "ceremony.status": {
        "zh": "仪式 {draw_id}：{state}（{meaning}）",
        "en": "Ceremony {draw_id}: {state} ({meaning})",
    },
    "ceremony.state.committing": {
        "zh": "承诺阶段：等待每个秘密来源的承诺",
        "en": "waiting for every secret's commitment",
    },
    "ceremony.state.entering": {
        "zh": "录入阶段：在首次揭示之前录入骰子等现场值",
        "en": "entering the dice and other values typed in, before the first reveal",
    },
    "ceremony.state.revealing": {
        "zh": "揭示阶段：等待各秘密的揭示",
        "en": "waiting for the secrets' reveals",
    },
    "ceremony.state.collecting": {
        "zh": "等待公共信标：其值在最后一次揭示之后才产生",
        "en": "waiting for the public beacons, due after the last reveal",
    },
    "ceremony.state.collecting.v1": {
        "zh": "等待公开随机值（骰子、信标、公开记录）",
        "en": "waiting for the public values (dice, beacons, public records)",
    },
    "ceremony.state.seeded": {
        "zh": "种子已计算，可以抽取",
        "en": "the seed is computed; ready to draw",
    },
    "ceremony.state.drawn": {
        "zh": "已抽取，签名记录已生成",
        "en": "the draw is made and its record signed",
    },
    "ceremony.state.aborted": {"zh": "已中止，没有抽取", "en": "closed without a draw"},
    "ceremony.deadlines": {
        "zh": "  截止时间：承诺 {commit}，揭示 {reveal}",
        "en": "  deadlines: commit {commit}, reveal {reveal}",
    },
    "ceremony.act.commit": {"zh": "承诺", "en": "commitment"},
    "ceremony.act.reveal": {"zh": "揭示", "en": "reveal"},
    "ceremony.act.randomness": {"zh": "录入值（骰子点数）", "en": "entered value (dice)"},
    "ceremony.act.witness": {"zh": "公告见证", "en": "witness of the announcement"},
    "ceremony.await.statement": {
        "zh": "  等待 {participant} 签名的{act}（来源 {source}）：由其本人用 "
        "`fairdraw participant {command}` 签署，机关用 `fairdraw ceremony accept` 记录",
        "en": "  awaiting {participant}'s signed {act} (source {source}): they make it with "
        "`fairdraw participant {command}`, the office records it with `fairdraw ceremony accept`",
    },
    "ceremony.await.step": {
        "zh": "  等待来源 {source}（{participant}）的{act}：`fairdraw ceremony {command}`",
        "en": "  awaiting the {act} of source {source} ({participant}): "
        "`fairdraw ceremony {command}`",
    },
    "ceremony.await.beacon": {
        "zh": "  等待 {type} 来源 {source}（{due} 产生）：`fairdraw ceremony value`",
        "en": "  awaiting {type} source {source}, due {due}: `fairdraw ceremony value`",
    },
    "ceremony.await.witness": {
        "zh": "  可选：{participants} 可在首次揭示之前见证公告（`fairdraw participant witness`，"
        "机关用 `fairdraw ceremony accept` 记录）",
        "en": "  optional: {participants} may witness the announcement before the first reveal "
        "(`fairdraw participant witness`, recorded with `fairdraw ceremony accept`)",
    },
    "ceremony.next": {
        "zh": "  下一步：`fairdraw ceremony {command}`",
        "en": "  next: `fairdraw ceremony {command}`",
    },
    "ceremony.accepted": {
        "zh": "已记录 {participant} 签名的{act}（来源 {source}），为第 {sequence} 号事件。",
        "en": "Recorded {participant}'s signed {act} (source {source}) as event {sequence}.",
    },
    "ceremony.accepted.witness": {
        "zh": "已记录 {participant} 的公告见证：其于 {time} 见到公告（第 {sequence} 号事件）。",
        "en": "Recorded {participant}'s witness: they saw the announcement at {time} "
        "(event {sequence}).",
    },
    "ceremony.accepted.already": {
        "zh": "{participant} 的这份签名声明（{act}）已记录为第 {sequence} 号事件，无需重复。",
        "en": "This signed statement of {participant} ({act}) was recorded already, as event "
        "{sequence}; nothing to repeat.",
    },
    "ceremony.record": {"zh": "签名记录已写入 {path}", "en": "Signed record written to {path}"},
    "ceremony.already": {
        "zh": "此步骤（{step}）已记录，无需重复。",
        "en": "This step ({step}) was recorded already; nothing to repeat.",
    },
    "ceremony.record_rewritten": {
        "zh": "该步骤已记录，但记录文件未写完：已根据已存事件重新写入 {path}。",
        "en": "The step was recorded, but not its record file: {path} is written from the "
        "stored events.",
    },
    "ceremony.record_missing": {
        "zh": "记录文件 {path} 尚未写入（上次运行被中断）：请以相同参数再次运行 "
        "`fairdraw ceremony {command}` 写入。",
        "en": "The record file {path} was not written (an interrupted run): run "
        "`fairdraw ceremony {command}` again with the same arguments to write it.",
    },
    "ceremony.secret_pending": {
        "zh": "来源 {source} 的秘密已写入 {path}，但承诺未记录（上次运行被中断）：请以 "
        "--secret-out {path} 再次运行 `fairdraw ceremony commit`。",
        "en": "The secret of source {source} is in {path}, but its commitment was not "
        "recorded (an interrupted run): run `fairdraw ceremony commit` again with "
        "--secret-out {path}.",
    },
    "ceremony.damaged": {
        "zh": "事件文件 {path} 为空或不完整（旧版本被中断时留下），该步骤未记录：删除该文件后"
        "重做该步骤，或用 `fairdraw ceremony abort` 中止仪式。",
        "en": "The event file {path} is empty or cut short (left by an interrupted older "
        "version), so that step was not recorded: delete the file and repeat the step, or "
        "close the ceremony with `fairdraw ceremony abort`.",
    },
    "participant.key.created": {
        "zh": "已生成您的参与者密钥 {path}（已用口令加密）与公钥 {public}。"
        "私钥文件只由您本人保管，不要交给任何人（包括机关）。",
        "en": "Created your participant key {path} (encrypted with your passphrase) and its "
        "public key {public}. Keep the key file to yourself; give it to no one, not even the "
        "office.",
    },
    "participant.key.id": {
        "zh": "密钥编号（可四位一组念给机关核对）：",
        "en": "Key id (read it out to the office in groups of four):",
    },
    "participant.key.entry": {
        "zh": "请把以下参与者条目交给机关，写入抽取公告（或 rfb.toml）：",
        "en": "Give the office this participant entry for its announcement (or rfb.toml):",
    },
    "participant.key.fill": {
        "zh": "其中 id 与 role 为 ?：请与机关商定后由机关填写。",
        "en": "Its id and role are ?: the office fills them in as agreed with you.",
    },
    "participant.announcement": {
        "zh": "公告：抽取 {draw_id}，机关 {office}，发布时间 {time}",
        "en": "Announcement: draw {draw_id} by {office}, announced at {time}",
    },
    "participant.announcement_hash": {
        "zh": "公告哈希：{hash}",
        "en": "Announcement hash: {hash}",
    },
    "participant.commit.done": {
        "zh": "已为来源 {source} 生成新秘密，保存在 {secret}"
        "（仅您本人可读；揭示之前不要给任何人看）。签名的承诺已写入 {out}。",
        "en": "Made a new secret for source {source} and kept it in {secret} (readable by you "
        "only; show it to no one before the reveal). The signed commitment is in {out}.",
    },
    "participant.commit.reused": {
        "zh": "沿用 {secret} 中已有的秘密（承诺相同，并非第二个秘密）。签名的承诺在 {out} 中。",
        "en": "Used the secret already in {secret} (the same commitment, not a second secret). "
        "The signed commitment is in {out}.",
    },
    "participant.handover": {
        "zh": "请把 {out} 交给机关，或把下面这行文本（base64）发给机关：",
        "en": "Hand {out} to the office, or send it this line of text (base64):",
    },
    "participant.witness.check": {
        "zh": "请核对：机关展示或公布的公告哈希必须与上面这一行完全一致。",
        "en": "Check that the announcement hash the office shows or publishes is exactly the "
        "one above.",
    },
    "participant.witness.done": {
        "zh": "已签署见证：您于 {time} 见到了该公告。见证已写入 {out}。",
        "en": "Signed your witness: you saw this announcement at {time}. Written to {out}.",
    },
    "participant.dice.done": {
        "zh": "已签署来源 {source} 的 {count} 个骰子点数：{rolls}。已写入 {out}。",
        "en": "Signed the {count} rolls of source {source}: {rolls}. Written to {out}.",
    },
    "participant.reveal.after": {
        "zh": "您将在以下状态之后揭示（所有承诺与录入值均已记录）："
        "第 {sequence} 号事件（{kind}），哈希 {hash}",
        "en": "You reveal after this state (every commitment and entered value is recorded): "
        "event {sequence} ({kind}), hash {hash}",
    },
    "participant.reveal.done": {
        "zh": "已签署来源 {source} 的揭示，已写入 {out}。交给机关后，您的秘密即公开。",
        "en": "Signed the reveal of source {source}; written to {out}. Once you hand it over, "
        "your secret is public.",
    },
    "participant.unchanged": {
        "zh": "{out} 已含有相同的签名声明，未改动。",
        "en": "{out} already holds this same signed statement; left as it was.",
    },
    "verify.title": {"zh": "核验抽取记录 {draw_id}", "en": "Verifying draw record {draw_id}"},
    "verify.steering": {
        "zh": "{sentence}",
        "en": "{sentence}",
    },
    "verify.passed": {"zh": "通过", "en": "passed"},
    "verify.failed_check": {"zh": "未通过", "en": "FAILED"},
    "verify.not_checked": {"zh": "未核验", "en": "not checked"},
    "verify.verdict.passed": {
        "zh": "结论：全部核验项目均通过，此记录可信。",
        "en": "Result: PASSED: every check passed; the record can be trusted.",
    },
    "verify.verdict.failed": {
        "zh": "结论：核验未通过，请勿信任此记录。",
        "en": "Result: verification FAILED; do not trust this record.",
    },
    "verify.verdict.incomplete": {
        "zh": "结论：核验不完整：没有项目未通过，但有 {count} 项未能核验（见上），"
        "因此不能认定通过。请按各项说明补充（--public-key、每个范围的 --population、"
        "每个公开记录向发布方核对后的 --public-record）后重新核验。",
        "en": "Result: INCOMPLETE: nothing failed, but {count} check(s) could not be made "
        "(above), so the record is not verified; give what each one asks for (--public-key, "
        "every scope's --population, each public record's --public-record as its publisher "
        "published it) to complete it.",
    },
    "store.finalised": {
        "zh": "已定稿 {draw_id}（审计日志第 {seq} 条）",
        "en": "finalised {draw_id} (audit log entry {seq})",
    },
    "store.population": {"zh": "名单快照 {name}：{digest}", "en": "population {name}: {digest}"},
    "store.approved": {
        "zh": "已记录 {approver} 对 {draw_id} 的确认（审计日志第 {seq} 条）",
        "en": "approved: {draw_id} by {approver} (audit log entry {seq})",
    },
    "store.rejected": {
        "zh": "已记录 {approver} 对 {draw_id} 的否决（审计日志第 {seq} 条）",
        "en": "rejected: {draw_id} by {approver} (audit log entry {seq})",
    },
    "log.exported": {
        "zh": "已导出 {count} 条审计日志到 {path}",
        "en": "exported {count} entries to {path}",
    },
    "log.imported": {"zh": "已导入 {count} 条审计日志", "en": "imported {count} entries"},
    "log.checkpoint": {
        "zh": "审计日志检查点已写入 {path}：共 {size} 条，末条哈希 {head}，{time}",
        "en": "Log checkpoint written to {path}: {size} entries, head {head}, {time}",
    },
    "log.intact": {
        "zh": "审计日志完整：{source} 共 {count} 条",
        "en": "Audit log intact: {count} entries in {source}",
    },
    "log.unsigned": {
        "zh": "（未核验签名：请加 --public-key）",
        "en": " (signatures not checked: --public-key)",
    },
    "log.extends": {
        "zh": "包含检查点 {path}（{time}，{size} 条）",
        "en": "It extends the checkpoint {path} ({time}, {size} entries)",
    },
    "log.invalid": {"zh": "审计日志未通过核验", "en": "The audit log is INVALID"},
    "digest.title": {"zh": "名单摘要", "en": "Population digest"},
    "digest.count": {"zh": "标签数量", "en": "Labels"},
    "digest.salt": {"zh": "盐值", "en": "Salt"},
    "digest.public": {"zh": "（空：公开名单）", "en": "(empty: a public list)"},
    "demo.intro": {
        "zh": "演示：从内置示例名单（{count} 个虚构的人防工程）中"
        "抽取 {k} 个，另排 {alternates} 个候补。",
        "en": "Demo: drawing {k} of the {count} fictional civil air defense works in the bundled "
        "example list, with {alternates} ranked alternates.",
    },
    "demo.seed_random": {
        "zh": "本次种子由操作系统的密码学安全随机数生成；"
        "正式抽取时种子来自承诺—揭示仪式与公共随机信标。",
        "en": "This seed came from the operating system's CSPRNG; a real draw takes its seed "
        "from a commit-reveal ceremony and public beacons.",
    },
    "demo.verify": {
        "zh": "任何人都可以用下面的命令重新计算并核对这次抽取：",
        "en": "Anyone can recompute and check this draw with:",
    },
}


def detect_lang() -> Lang:
    """The language from ``FAIRDRAW_LANG`` or the locale; English when nothing says Chinese."""
    for variable in ("FAIRDRAW_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def text(key: str, lang: Lang, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``values`` filled in."""
    return _TEXTS[key][lang].format(**values)
