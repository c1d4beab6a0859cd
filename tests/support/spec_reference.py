"""Independent reference implementation of fairdraw/draw/v1, for tests only.

Written from docs/spec/draw-v1.md alone, without reading fairdraw's source, so that
tests can cross-check the main implementation against a second reading of the
specification. It is deliberately simple and slow: every score is a Python int, the
whole population is scored and sorted. Standard library only; no floats anywhere.
"""

import hashlib
import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

TAG_SCOPE = b"fairdraw/v1/scope\x00"
TAG_SCORE = b"fairdraw/v1/score\x00"
TAG_POPULATION = b"fairdraw/v1/population\x00"
MAX_LABEL_BYTES = 1024

# Section 3, rule 3: White_Space characters that are not of category Cc.
WHITESPACE = frozenset(
    "\u0020\u00a0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
# "White space" stripped from rate input (section 9): read as the same set that
# canonical_label strips in section 3 (rule 3 plus U+0009-U+000D, U+0085, U+FEFF).
STRIP_CHARS = "".join(sorted(WHITESPACE)) + "\t\n\x0b\x0c\r\x85\ufeff"

SEED_RE = re.compile(r"[0-9a-fA-F]{64}")
# Section 9 grammar; "digits" read as ASCII 0-9 (after NFKC).
RATE_RE = re.compile(
    r"(?P<num>[0-9]+)/(?P<den>[0-9]+)"
    r"|(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?(?P<pct>%)?"
)


class SpecError(ValueError):
    """An input the specification says must be rejected; .reason is a section 15 code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def H(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def lp(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def label_problem(label) -> str | None:
    """The reason code of the first rule of section 3 that `label` breaks, or None."""
    if not isinstance(label, str):
        return "encoding"
    try:
        data = label.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogate
        return "encoding"
    if len(data) == 0:
        return "empty"
    if len(data) > MAX_LABEL_BYTES:
        return "too_long"
    for ch in label:
        if ord(ch) <= 0x1F or 0x7F <= ord(ch) <= 0x9F:
            return "control"
    if label[0] in WHITESPACE or label[-1] in WHITESPACE:
        return "whitespace"
    if unicodedata.normalize("NFC", label) != label:
        return "not_nfc"
    return None


def check_labels(labels: list[str]) -> None:
    """Raise SpecError if `labels` is not a valid population (sections 3 and 15)."""
    labels = list(labels)
    if not labels:
        raise SpecError("empty_population")
    present = {label for label in labels if isinstance(label, str)}
    seen: set[str] = set()
    for position, label in enumerate(labels, start=1):
        problem = label_problem(label)
        if problem == "not_nfc" and unicodedata.normalize("NFC", label) in present:
            problem = "duplicate"
        if problem is None and label in seen:
            problem = "duplicate"
        if problem is not None:
            raise SpecError(problem, f"label {position}")
        seen.add(label)


def parse_seed(seed_hex: str) -> bytes:
    if not isinstance(seed_hex, str) or not SEED_RE.fullmatch(seed_hex):
        raise SpecError("bad_seed")
    return bytes.fromhex(seed_hex)


def check_scope(scope: str) -> None:
    if label_problem(scope) is not None:
        raise SpecError("bad_scope", label_problem(scope))


def check_count(value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SpecError("bad_count", repr(value))


def population_digest(labels: list[str], salt: bytes = b"") -> bytes:
    """Section 4."""
    if not isinstance(salt, (bytes, bytearray)) or len(salt) not in (0, 32):
        raise SpecError("bad_salt")
    check_labels(labels)
    encoded = sorted(label.encode("utf-8") for label in labels)
    return H(TAG_POPULATION + lp(bytes(salt)) + b"".join(lp(b) for b in encoded))


def subseed(seed_hex: str, scope: str) -> bytes:
    """Section 5."""
    seed = parse_seed(seed_hex)
    check_scope(scope)
    return H(TAG_SCOPE + seed + scope.encode("utf-8"))


def score(subseed: bytes, label: str) -> int:
    """Section 6."""
    return int.from_bytes(H(TAG_SCORE + subseed + label.encode("utf-8")), "big")


def ranking(sub: bytes, labels: list[str]) -> list[tuple[int, str]]:
    """Section 7: (score, label) pairs ordered by (score, label bytes)."""
    scored = [(score(sub, label), label) for label in labels]
    scored.sort(key=lambda pair: (pair[0], pair[1].encode("utf-8")))
    return scored


def parse_rate(text: str) -> Fraction:
    """Section 9: an exact rate in [0, 1] from its fraction, decimal or percent form."""
    if not isinstance(text, str):
        raise SpecError("bad_rate", repr(text))
    normal = unicodedata.normalize("NFKC", text).strip(STRIP_CHARS)
    match = RATE_RE.fullmatch(normal) if len(normal) <= 64 else None
    if match is None:
        raise SpecError("bad_rate", repr(text))
    # Decimal(str) is exact and, unlike int(str), has no digit-count limit.
    if match["num"] is not None:
        denominator = Decimal(match["den"])
        if denominator == 0:
            raise SpecError("bad_rate", repr(text))
        rate = Fraction(Decimal(match["num"])) / Fraction(denominator)
    else:
        digits = match["int"] + "." + (match["frac"] or "0")
        rate = Fraction(Decimal(digits))
        if match["pct"]:
            rate /= 100
    if not 0 <= rate <= 1:
        raise SpecError("rate_out_of_range", repr(text))
    return rate


def entry(label: str, rank: int, value: int) -> dict:
    return {"label": label, "rank": rank, "score": format(value, "064x")}


def exact_result(sub: bytes, labels: list[str], k: int, alternates: int) -> dict:
    ranked = ranking(sub, labels)
    return {
        "subseed": sub.hex(),
        "selected": [entry(lb, i, s) for i, (s, lb) in enumerate(ranked[:k], start=1)],
        "alternates": [
            entry(lb, i, s) for i, (s, lb) in enumerate(ranked[k : k + alternates], start=k + 1)
        ],
    }


def rate_result(sub: bytes, labels: list[str], rate: Fraction) -> dict:
    a, b = rate.numerator, rate.denominator  # Fraction keeps lowest terms, b > 0
    chosen = [(s, lb) for s, lb in ranking(sub, labels) if s * b < a * 2**256]
    return {
        "subseed": sub.hex(),
        "selected": [entry(lb, i, s) for i, (s, lb) in enumerate(chosen, start=1)],
        "alternates": [],
    }


def draw_exact(seed_hex: str, scope: str, labels: list[str], k: int, alternates: int = 0) -> dict:
    """Section 8."""
    sub = subseed(seed_hex, scope)
    check_count(k)
    check_count(alternates)
    check_labels(labels)
    if k > len(labels):
        raise SpecError("k_too_large", f"k={k}, n={len(labels)}")
    return exact_result(sub, list(labels), k, alternates)


def draw_rate(seed_hex: str, scope: str, labels: list[str], rate: str) -> dict:
    """Section 9."""
    sub = subseed(seed_hex, scope)
    value = parse_rate(rate)
    check_labels(labels)
    return rate_result(sub, list(labels), value)


def shuffle(seed_hex: str, scope: str, labels: list[str]) -> list[str]:
    """Section 11: the ranking of the whole population."""
    sub = subseed(seed_hex, scope)
    check_labels(labels)
    return [label for _, label in ranking(sub, labels)]


def draw_stratified(seed_hex: str, strata: list[dict]) -> list[dict]:
    """Section 10. All strata are validated before any is drawn."""
    parse_seed(seed_hex)
    if not strata:
        raise SpecError("no_strata")
    scopes: set[str] = set()
    used_labels: set[str] = set()
    plans = []
    for number, stratum in enumerate(strata, start=1):
        scope = stratum.get("scope")
        check_scope(scope)
        if scope in scopes:
            raise SpecError("duplicate_scope", f"stratum {number}: scope repeated")
        scopes.add(scope)
        if "rate" in stratum:
            if "k" in stratum or "alternates" in stratum:
                raise SpecError("bad_stratum", f"stratum {number}: both rate and k")
            rate = parse_rate(stratum["rate"])
            k = alternates = 0
        else:
            rate = None
            k, alternates = stratum.get("k"), stratum.get("alternates", 0)
            check_count(k)
            check_count(alternates)
        labels = list(stratum.get("labels") or [])
        check_labels(labels)
        if used_labels.intersection(labels):
            raise SpecError("overlapping_strata", f"stratum {number} shares a label")
        used_labels.update(labels)
        if rate is None and k > len(labels):
            raise SpecError("k_too_large", f"stratum {number}")
        plans.append((subseed(seed_hex, scope), labels, rate, k, alternates))
    results = []
    for sub, labels, rate, k, alternates in plans:
        if rate is None:
            results.append(exact_result(sub, labels, k, alternates))
        else:
            results.append(rate_result(sub, labels, rate))
    return results
