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
    "ceremony.status": {"zh": "仪式 {draw_id}：{state}", "en": "Ceremony {draw_id}: {state}"},
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
    "verify.title": {"zh": "核验抽取记录 {draw_id}", "en": "Verifying draw record {draw_id}"},
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
        "因此不能认定通过。请提供 --public-key 与每个范围的 --population 后重新核验。",
        "en": "Result: INCOMPLETE: nothing failed, but {count} check(s) could not be made "
        "(above), so the record is not verified; give --public-key and every scope's "
        "--population to complete it.",
    },
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
