"""Write the draw spec v1 test vectors, or check that the committed file is current.

    python tests/vectors/generate.py           # rewrite tests/vectors/draw-v1.json
    python tests/vectors/generate.py --check   # exit 1 if the committed file differs

The expected values are computed with fairdraw; tests/support/spec_reference.py, written from the
specification text alone, must agree with every case (tests/unit/test_vectors.py checks both).
The format of the file is described in docs/spec/draw-v1.md, section 15.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fairdraw
from fairdraw import InputError, Stratum

VECTORS = Path(__file__).with_name("draw-v1.json")

SEED_1 = "00" * 31 + "01"
SEED_A = hashlib.sha256(b"fairdraw test vectors, seed A").hexdigest()
SEED_B = hashlib.sha256(b"fairdraw test vectors, seed B").hexdigest()

WORKED = ["alpha", "bravo", "charlie", "delta", "echo"]
CHINESE = [
    "北京市西城区人民防空办公室",
    "西城区金融街地下人防工程",
    "德胜街道人员掩蔽工程",
    "月坛街道物资库",
    "什刹海医疗救护工程",
    "展览路配套工程",
    "大栅栏防空专业队工程",
    "91110102MA01ABCD2X",
]
EMOJI = [
    "\U0001f600",  # grinning face
    "\U0001f469\u200d\U0001f4bb",  # woman technologist: a ZWJ sequence
    "\U0001f1e8\U0001f1f3",  # the flag of China: two regional indicators
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag
    "1\ufe0f\u20e3",  # keycap one
    "\U0001f004",  # mahjong tile red dragon
    "\u2603",  # snowman
    "\u2708\ufe0f",  # airplane with variation selector
]
NFC_EDGES = [
    "\u00e9",  # é precomposed: the NFC form
    "e",
    "\u00c5",  # Å; U+212B ANGSTROM SIGN is not NFC
    "\ud55c\uad6d",  # Hangul syllables are NFC; their jamo are not
    "q\u0307",  # q + combining dot above: no precomposed form, so this is NFC
    "\u1e0d\u0307",  # d with dot below + dot above: canonical order kept
    "x\u200b",  # ZERO WIDTH SPACE is category Cf, not White_Space: allowed at an edge
    "\u4e2d \u6587",  # white space inside a label is allowed
]
PREFIXES = ["a", "ab", "abc", "b", "B", "ß", "ss"]


def _labels(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i:05d}" for i in range(count)]


def _exact(
    name: str, description: str, seed: str, scope: str, labels: list[str], k: int, m: int
) -> dict[str, Any]:
    draw = fairdraw.draw_exact(seed, scope, labels, k, alternates=m)
    return {
        "name": name,
        "description": description,
        "kind": "exact",
        "seed": seed,
        "scope": scope,
        "labels": labels,
        "k": k,
        "alternates": m,
        "expected": _expected(draw, labels),
    }


def _rate(
    name: str, description: str, seed: str, scope: str, labels: list[str], rate: str
) -> dict[str, Any]:
    draw = fairdraw.draw_rate(seed, scope, labels, rate)
    return {
        "name": name,
        "description": description,
        "kind": "rate",
        "seed": seed,
        "scope": scope,
        "labels": labels,
        "rate": rate,
        "rate_canonical": draw.rate,
        "expected": _expected(draw, labels),
    }


def _expected(draw: fairdraw.Draw, labels: list[str]) -> dict[str, Any]:
    return {
        "subseed": draw.subseed,
        "selected": [pick.to_dict() for pick in draw.selected],
        "alternates": [pick.to_dict() for pick in draw.alternates],
        "population_digest": fairdraw.population_digest(labels).hex(),
    }


def _shuffle(
    name: str, description: str, seed: str, scope: str, labels: list[str]
) -> dict[str, Any]:
    result = fairdraw.shuffle(seed, scope, labels)
    return {
        "name": name,
        "description": description,
        "kind": "shuffle",
        "seed": seed,
        "scope": scope,
        "labels": labels,
        "expected": {
            "subseed": result.subseed,
            "order": [pick.to_dict() for pick in result.order],
            "population_digest": fairdraw.population_digest(labels).hex(),
        },
    }


def _stratified(
    name: str, description: str, seed: str, strata: list[dict[str, Any]]
) -> dict[str, Any]:
    result = fairdraw.draw_stratified(seed, [Stratum(**s) for s in strata])
    return {
        "name": name,
        "description": description,
        "kind": "stratified",
        "seed": seed,
        "strata": strata,
        "expected": {
            "strata": [
                {"scope": draw.scope, **_expected(draw, list(s["labels"]))}
                for draw, s in zip(result.draws, strata, strict=True)
            ]
        },
    }


def _digest(name: str, description: str, labels: list[str], salt: str) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "kind": "digest",
        "labels": labels,
        "salt": salt,
        "expected": {"population_digest": fairdraw.population_digest(labels, salt=salt).hex()},
    }


def error_call(call: str, inputs: dict[str, Any]) -> Callable[[], object]:
    """The fairdraw operation an error case names, bound to the case's inputs."""
    calls: dict[str, Callable[[], object]] = {
        "exact": lambda: fairdraw.draw_exact(
            inputs["seed"],
            inputs["scope"],
            inputs["labels"],
            inputs["k"],
            alternates=inputs.get("alternates", 0),
        ),
        "rate": lambda: fairdraw.draw_rate(
            inputs["seed"], inputs["scope"], inputs["labels"], inputs["rate"]
        ),
        "digest": lambda: fairdraw.population_digest(inputs["labels"], salt=inputs.get("salt", "")),
        "stratified": lambda: fairdraw.draw_stratified(
            inputs["seed"], [Stratum(**s) for s in inputs["strata"]]
        ),
    }
    return calls[call]


def _error(name: str, description: str, call: str, **inputs: Any) -> dict[str, Any]:
    try:
        error_call(call, inputs)()
    except InputError as err:
        reason = err.reason
    else:
        raise AssertionError(f"error case {name} did not fail")
    return {
        "name": name,
        "description": description,
        "kind": "error",
        "call": call,
        **inputs,
        "expected": {"error": reason},
    }


def build() -> dict[str, Any]:
    """Every vector case, computed with fairdraw."""
    big = _labels("object-", 10_000)
    two_hundred = _labels("unit-", 200)
    cases = [
        _exact(
            "worked-example",
            "Section 14 of the spec: k = 2 with 2 alternates",
            SEED_1,
            "demo",
            WORKED,
            2,
            2,
        ),
        _exact("k-zero", "k = 0 selects nothing", SEED_A, "items", WORKED, 0, 0),
        _exact(
            "k-zero-alternates",
            "k = 0 with 3 alternates: ranks 1 to 3 are alternates",
            SEED_A,
            "items",
            WORKED,
            0,
            3,
        ),
        _exact(
            "k-equals-n", "k = n selects everyone, in rank order", SEED_A, "items", WORKED, 5, 0
        ),
        _exact(
            "alternates-past-end",
            "k + m > n: only n - k alternates",
            SEED_A,
            "items",
            WORKED,
            3,
            10,
        ),
        _exact("one-label", "a population of one", SEED_A, "single", ["唯一的对象"], 1, 0),
        _exact(
            "one-label-alternate",
            "a population of one, k = 0, one alternate",
            SEED_A,
            "single",
            ["唯一的对象"],
            0,
            1,
        ),
        _exact(
            "chinese", "Chinese labels and a credit code", SEED_A, "2026-05/MAINT", CHINESE, 3, 2
        ),
        _exact(
            "emoji",
            "emoji, ZWJ sequences, flags and keycaps (multi-code-point labels)",
            SEED_A,
            "emoji",
            EMOJI,
            4,
            4,
        ),
        _exact(
            "nfc-edges",
            "labels that are already NFC, some with combining marks; a ZWSP at an edge",
            SEED_A,
            "nfc",
            NFC_EDGES,
            4,
            4,
        ),
        _exact(
            "prefix-and-case",
            "labels that are prefixes of each other, and differ in case",
            SEED_B,
            "order",
            PREFIXES,
            3,
            4,
        ),
        _exact(
            "max-length",
            "a label of exactly 1024 UTF-8 bytes (341 CJK characters and one ASCII)",
            SEED_B,
            "long",
            ["中" * 341 + "x", "short"],
            1,
            1,
        ),
        _exact(
            "uppercase-seed",
            "the seed given in uppercase hex means the same seed",
            SEED_A.upper(),
            "items",
            WORKED,
            2,
            1,
        ),
        _exact(
            "unicode-scope",
            "a scope in Chinese",
            SEED_A,
            "2026年5月/人防工程维护管理监督检查",
            CHINESE,
            2,
            1,
        ),
        _exact(
            "scope-matters",
            "same seed and population as chinese, another scope",
            SEED_A,
            "2026-05/USE",
            CHINESE,
            3,
            2,
        ),
        _exact(
            "ten-thousand",
            "10^4 labels, k = 1500 (15%), 10 alternates",
            SEED_B,
            "big",
            big,
            1500,
            10,
        ),
        _rate("rate-zero", "rate 0 selects nothing", SEED_A, "rate", two_hundred, "0"),
        _rate("rate-one", "rate 1 selects everyone, in rank order", SEED_A, "rate", WORKED, "100%"),
        _rate("rate-percent", "15% of 200", SEED_A, "rate", two_hundred, "15%"),
        _rate("rate-decimal", "0.15 is the same rate as 15%", SEED_A, "rate", two_hundred, "0.15"),
        _rate("rate-fraction", "3/20 is the same rate as 15%", SEED_A, "rate", two_hundred, "3/20"),
        _rate("rate-third", "1/3 has no finite decimal form", SEED_B, "rate", two_hundred, "1/3"),
        _rate(
            "rate-fullwidth",
            "full-width digits and percent sign, as typed with a Chinese IME",
            SEED_B,
            "rate",
            two_hundred,
            "\uff11\uff15\uff05",
        ),
        _rate("rate-worked-example", "Section 14 of the spec: 40%", SEED_1, "demo", WORKED, "40%"),
        _rate("rate-ten-thousand", "10^4 labels at 2.5%", SEED_A, "big", big, "2.5%"),
        _shuffle("shuffle-worked-example", "Section 14 of the spec", SEED_1, "demo", WORKED),
        _shuffle("shuffle-chinese", "a permutation of Chinese labels", SEED_B, "groups", CHINESE),
        _shuffle("shuffle-one", "a permutation of one label", SEED_B, "groups", ["张三"]),
        _stratified(
            "stratified-risk",
            "a risk stratum drawn at twice the base rate, and a base stratum with k",
            SEED_A,
            [
                {"scope": "2026/MAINT/risk", "labels": _labels("risk-", 20), "rate": "30%"},
                {
                    "scope": "2026/MAINT/base",
                    "labels": _labels("base-", 100),
                    "k": 15,
                    "alternates": 3,
                },
            ],
        ),
        _stratified(
            "stratified-three",
            "three exact-mode strata",
            SEED_B,
            [
                {"scope": "QUAL", "labels": WORKED, "k": 2, "alternates": 1},
                {"scope": "USE", "labels": CHINESE, "k": 3, "alternates": 0},
                {"scope": "COMM", "labels": EMOJI, "k": 1, "alternates": 2},
            ],
        ),
        _digest("digest-worked-example", "Section 14 of the spec", WORKED, ""),
        _digest(
            "digest-order",
            "the same population in another order has the same digest",
            list(reversed(WORKED)),
            "",
        ),
        _digest("digest-salted", "a confidential list with a 32-byte salt", WORKED, "5a" * 32),
        _digest(
            "digest-unicode",
            "Chinese, emoji and NFC edge labels together",
            CHINESE + EMOJI + NFC_EDGES,
            "",
        ),
        _error(
            "error-empty-population", "no labels", "exact", seed=SEED_A, scope="s", labels=[], k=0
        ),
        _error(
            "error-duplicate",
            "the same label twice",
            "exact",
            seed=SEED_A,
            scope="s",
            labels=["a", "b", "a"],
            k=1,
        ),
        _error(
            "error-nfc-duplicate",
            "é decomposed (e + U+0301) next to é precomposed",
            "exact",
            seed=SEED_A,
            scope="s",
            labels=["\u00e9", "e\u0301"],
            k=1,
        ),
        _error(
            "error-not-nfc",
            "U+F900, a CJK compatibility ideograph, is not NFC",
            "exact",
            seed=SEED_A,
            scope="s",
            labels=["a", "\uf900"],
            k=1,
        ),
        _error(
            "error-control",
            "a tab inside a label",
            "exact",
            seed=SEED_A,
            scope="s",
            labels=["a\tb"],
            k=1,
        ),
        _error(
            "error-c1-control",
            "U+0085 NEXT LINE inside a label",
            "exact",
            seed=SEED_A,
            scope="s",
            labels=["a\u0085b"],
            k=1,
        ),
        _error(
            "error-whitespace",
            "a leading ideographic space U+3000",
            "exact",
            seed=SEED_A,
            scope="s",
            labels=["\u3000a"],
            k=1,
        ),
        _error("error-trailing-space", "a trailing ASCII space", "digest", labels=["a", "b "]),
        _error(
            "error-too-long",
            "a label of 1025 bytes",
            "exact",
            seed=SEED_A,
            scope="s",
            labels=["中" * 341 + "xy"],
            k=1,
        ),
        _error(
            "error-empty-label",
            "an empty label",
            "exact",
            seed=SEED_A,
            scope="s",
            labels=["a", ""],
            k=1,
        ),
        _error("error-k-too-large", "k > n", "exact", seed=SEED_A, scope="s", labels=WORKED, k=6),
        _error("error-k-negative", "k < 0", "exact", seed=SEED_A, scope="s", labels=WORKED, k=-1),
        _error(
            "error-rate-above-one",
            "a rate of 150%",
            "rate",
            seed=SEED_A,
            scope="s",
            labels=WORKED,
            rate="150%",
        ),
        _error(
            "error-rate-unparsable",
            "a rate that is not a number",
            "rate",
            seed=SEED_A,
            scope="s",
            labels=WORKED,
            rate="fifteen percent",
        ),
        _error(
            "error-rate-exponent",
            "exponent notation is not part of the grammar",
            "rate",
            seed=SEED_A,
            scope="s",
            labels=WORKED,
            rate="1.5e-1",
        ),
        _error(
            "error-seed-short",
            "a seed of 63 hex digits",
            "exact",
            seed=SEED_A[:63],
            scope="s",
            labels=WORKED,
            k=1,
        ),
        _error(
            "error-seed-not-hex",
            "a seed with a non-hex digit",
            "exact",
            seed="g" + SEED_A[1:],
            scope="s",
            labels=WORKED,
            k=1,
        ),
        _error(
            "error-bad-scope",
            "a scope with a trailing space",
            "exact",
            seed=SEED_A,
            scope="items ",
            labels=WORKED,
            k=1,
        ),
        _error("error-salt-length", "a 16-byte salt", "digest", labels=WORKED, salt="5a" * 16),
        _error(
            "error-rate-too-long",
            "a rate of 65 characters",
            "rate",
            seed=SEED_A,
            scope="s",
            labels=WORKED,
            rate="0." + "1" * 63,
        ),
        _error(
            "error-no-strata",
            "a stratified draw without strata",
            "stratified",
            seed=SEED_A,
            strata=[],
        ),
        _error(
            "error-duplicate-scope",
            "two strata with one scope",
            "stratified",
            seed=SEED_A,
            strata=[
                {"scope": "a", "labels": ["x"], "k": 1},
                {"scope": "a", "labels": ["y"], "k": 1},
            ],
        ),
        _error(
            "error-overlapping-strata",
            "a label in two strata",
            "stratified",
            seed=SEED_A,
            strata=[
                {"scope": "a", "labels": ["x", "y"], "k": 1},
                {"scope": "b", "labels": ["y"], "rate": "1/2"},
            ],
        ),
        _error(
            "error-stratum-both-modes",
            "a stratum with k and a rate",
            "stratified",
            seed=SEED_A,
            strata=[{"scope": "a", "labels": ["x"], "k": 1, "rate": "1/2"}],
        ),
    ]
    return {
        "format": "fairdraw-draw-vectors/1",
        "spec": fairdraw.SPEC_VERSION,
        "generator": "tests/vectors/generate.py",
        "cases": cases,
    }


def render(data: dict[str, Any]) -> str:
    """The exact text of the vector file."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_or_check(path: Path, text: str, description: str) -> int:
    """Write ``text`` to ``path``, or with ``--check`` compare it; return the exit status."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    if args.check:
        if path.read_text(encoding="utf-8") != text:
            print(f"{path} is out of date: run python {sys.argv[0]}", file=sys.stderr)
            return 1
        print(f"{path} is current")
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


def main() -> int:
    return write_or_check(VECTORS, render(build()), __doc__.splitlines()[0])


if __name__ == "__main__":
    raise SystemExit(main())
