"""Write the synthetic example directories of the Xicheng office (every name is fictional).

    python examples/xicheng/generate.py

Deterministic: the same files every time (variety comes from SHA-256 of the row number, not from a
random generator). 300 objects (统一社会信用代码 with valid check characters, or project codes for
works under construction) and 13 certified officers in four sections.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

HERE = Path(__file__).parent
CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
STREETS = ["西长安街", "新街口", "月坛", "展览路", "德胜", "金融街", "什刹海", "大栅栏", "天桥", "椿树",
           "陶然亭", "广安门内", "牛街", "白纸坊", "广安门外"]  # fmt: skip
KINDS = [
    "地下车库",
    "人员掩蔽工程",
    "物资库",
    "医疗救护工程",
    "防空专业队工程",
    "配套工程",
    "通信警报设施",
]


def byte(n: int, salt: str) -> int:
    return hashlib.sha256(f"{salt}/{n}".encode()).digest()[0]


def uscc(n: int) -> str:
    body = f"91110102MA{n:05d}" + CHARS[byte(n, "a") % 31] + CHARS[byte(n, "b") % 31]
    total = sum(CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    return body + CHARS[(31 - total % 31) % 31]


def objects() -> list[list[str]]:
    rows = [["编号", "编号类型", "名称", "适用事项", "在建", "投诉举报次数", "通报问题次数", "不良记录次数",
             "严重违法违规", "立案号", "证据材料"]]  # fmt: skip
    for n in range(1, 301):
        kind = KINDS[n % len(KINDS)]
        street = STREETS[n % len(STREETS)]
        if n <= 6:
            rows.append([f"XC-RF-2026-{n:03d}", "项目编号", f"{street}示例在建{kind}（虚构）", "QUAL", "是",
                         "0", "0", "0", "否", "", ""])  # fmt: skip
            continue
        items = "COMM" if kind == "通信警报设施" else ("MAINT;USE" if n % 3 else "MAINT")
        risky = byte(n, "risk") < 20
        case = n in {41, 177}
        rows.append([
            uscc(n), "统一社会信用代码", f"{street}街道示例单位{n:03d}{kind}（虚构）", items, "否",
            str(byte(n, "c") % 4 if risky else 0), str(1 if risky else 0), "0",
            "是" if n == 88 else "否",
            f"西人防立字〔2026〕{n}号" if case else "", f"证据-{n:03d}" if case else "",
        ])  # fmt: skip
    return rows


def inspectors() -> list[list[str]]:
    rows = [["姓名", "岗位", "执法证号", "有效期起", "有效期至", "科室", "回避对象"]]
    sections = ["执法宣传科", "工程管理科", "通信警报科", "综合科"]
    names = [
        "赵一",
        "钱二",
        "孙三",
        "李四",
        "周五",
        "吴六",
        "郑七",
        "王八",
        "冯九",
        "陈十",
        "褚十一",
        "卫十二",
        "蒋十三",
    ]
    for n, name in enumerate(names, start=1):
        conflicts = uscc(10 + n) if n in {3, 7} else ""
        until = "2026-06-30" if n == 13 else "2028-12-31"
        rows.append([name, "A岗" if n % 3 else "B岗", f"京执{110102000 + n}", "2024-01-01", until,
                     sections[n % len(sections)], conflicts])  # fmt: skip
    return rows


def main() -> None:
    for name, rows in (("objects.csv", objects()), ("inspectors.csv", inspectors())):
        with (HERE / name).open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)
        print(f"wrote {HERE / name}: {len(rows) - 1} rows")


if __name__ == "__main__":
    main()
