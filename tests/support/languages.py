"""Finding lines that mix languages in what a command printed (issue 12: one language a run).

A Chinese run may print English only as data or as the names of things a user types (commands,
options, file names, ids, hashes, format names); an English run may print Chinese only as data
(the office's, objects' and officers' names, items, places), which the caller lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
"""Chinese characters and full-width punctuation."""

# What a Chinese line may carry in Latin letters: things typed or read as they are.
_TOKENS = re.compile(
    r"""
    (?:[A-Za-z]:)?(?:[\w.-]*/)+[\w.@-]*      # paths, scopes (2026-01/QUAL), URLs' paths
    | --?[a-z][a-z0-9-]*(?:=\S*)?           # options
    | `[^`]*`                               # code in backticks
    | \b[\w.-]+\.(?:json|csv|xlsx|html|txt|toml|key|pub|db|sh|po|mo)\b  # file names
    | \b[0-9a-f]{8,}\b…?                    # hashes and key ids
    | \b[0-9a-f]{4}(?:[ :][0-9a-f]{4})+\b    # hashes read out in groups of four
    | \b(?:[A-Z][A-Za-z0-9]*[-_]?)+[0-9]*\b  # codes and acronyms: QUAL, SHA-256, UTF-8, RFC3161
    | https?://\S+
    """,
    re.VERBOSE,
)
_NAMES = (
    "fairdraw", "rfb", "drand", "quicknet", "Ctrl-C", "Excel", "WPS", "PostgreSQL", "SQLite",
    "Chromium", "Ed25519", "NIST", "Beacon", "TSA", "json", "csv", "xlsx", "sha256", "ok", "zh",
    "en", "id", "k", "draw", "verify", "demo", "init", "import", "month", "publish", "export",
    "result", "approve", "confirm-availability", "items", "plan", "template", "objects",
    "inspectors", "ceremony", "log", "store", "participant", "key", "generate", "beacon", "fetch",
    "nist",
)  # fmt: skip
_ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?:['’][a-z]+)?(?:[ ,;:()]+[A-Za-z]{2,}(?:['’][a-z]+)?)+")


def _without(line: str, data: Iterable[str]) -> str:
    """``line`` without the data values in Chinese (names, places): a value of digits or Latin
    letters only is not removed, or it would cut a hash or a word in two."""
    for value in sorted({v for v in data if CJK.search(v)}, key=len, reverse=True):
        line = line.replace(value, " ")
    return line


def english_prose(line: str) -> str | None:
    """The first run of two or more English words that are not names, codes or paths."""
    rest = _TOKENS.sub(" ", line)
    for name in _NAMES:
        rest = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", " ", rest)
    found = _ENGLISH_WORDS.search(rest)
    return found.group(0) if found else None


def mixed_lines(output: str, lang: str, data: Iterable[str] = ()) -> list[str]:
    """The lines of ``output`` not in ``lang`` alone (``data``: values that may be in any)."""
    data = tuple(data)
    found = []
    for line in output.splitlines():
        bare = _without(line, data)
        if lang == "zh":
            prose = english_prose(bare)
            if prose:
                found.append(f"{line}    <- English: {prose!r}")
        elif CJK.search(bare):
            found.append(f"{line}    <- Chinese: {''.join(CJK.findall(bare))[:30]!r}")
    return found
