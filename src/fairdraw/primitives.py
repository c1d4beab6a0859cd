"""Low-level building blocks of draw spec v1 (``docs/spec/draw-v1.md``, sections 4–6).

These functions are easy to misuse. A score computed from a ceremony seed instead of a scoped
subseed, a subseed reused for two purposes, or a population digest computed over an unchecked list
all produce numbers that look fine and mean nothing. Office systems should call the draw functions
(:func:`fairdraw.draw_exact` and friends), which derive subseeds, check labels and order results
as the specification requires. The primitives are public so that verifiers and other
implementations can check each intermediate value against the test vectors.
"""

from __future__ import annotations

import hashlib
import re
import struct

from fairdraw.errors import InputError, ParameterError
from fairdraw.i18n import _
from fairdraw.labels import check_label

__all__ = [
    "POPULATION_TAG",
    "SCOPE_TAG",
    "SCORE_TAG",
    "SEED_BYTES",
    "derive_subseed",
    "lp",
    "parse_hex",
    "parse_salt",
    "parse_seed",
    "score",
    "score_bytes",
]

SEED_BYTES = 32
"""Seeds, subseeds and confidential salts are all 32 bytes long."""

POPULATION_TAG = b"fairdraw/v1/population\x00"
SCOPE_TAG = b"fairdraw/v1/scope\x00"
SCORE_TAG = b"fairdraw/v1/score\x00"

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def lp(data: bytes) -> bytes:
    """Length-prefix ``data``: its length as 4 bytes big-endian, then the bytes themselves."""
    return struct.pack(">I", len(data)) + data


def parse_hex(value: object, what: str, *, length: int | None = None) -> bytes:
    """Decode a hex field (bytes pass through), optionally of an exact length.

    Raises:
        InputError: not a hex string, not hexadecimal, or the wrong length; ``what`` names it.
    """
    if isinstance(value, bytes):
        raw = value
    elif isinstance(value, str):
        try:
            raw = bytes.fromhex(value)
        except ValueError as err:
            raise InputError(_("{what} is not hexadecimal").format(what=what)) from err
    else:
        raise InputError(
            _("{what} must be a hex string, not {type}").format(
                what=what, type=type(value).__name__
            )
        )
    if length is not None and len(raw) != length:
        raise InputError(
            _("{what} must be {length} bytes, got {count}").format(
                what=what, length=length, count=len(raw)
            )
        )
    return raw


def parse_seed(seed: bytes | str, *, parameter: str = "seed") -> bytes:
    """Accept a 32-byte seed as bytes or as 64 hexadecimal digits, and return the bytes.

    Raises:
        ParameterError: the seed has the wrong length or is not hexadecimal.
    """
    if isinstance(seed, bytes | bytearray | memoryview):
        raw = bytes(seed)
        if len(raw) != SEED_BYTES:
            raise ParameterError(
                _("{parameter} must be {size} bytes, got {count}").format(
                    parameter=parameter, size=SEED_BYTES, count=len(raw)
                ),
                parameter=parameter,
            )
        return raw
    if isinstance(seed, str):
        if _HEX64.fullmatch(seed) is None:
            raise ParameterError(
                _("{parameter} must be 64 hexadecimal digits (32 bytes), got {seed!r:.80}").format(
                    parameter=parameter, seed=seed
                ),
                parameter=parameter,
            )
        return bytes.fromhex(seed)
    raise ParameterError(
        _("{parameter} must be bytes or a hex string, not {type}").format(
            parameter=parameter, type=type(seed).__name__
        ),
        parameter=parameter,
    )


def parse_salt(salt: bytes | str | None) -> bytes:
    """Accept a population salt: empty (a public list) or 32 bytes (a confidential one).

    Raises:
        ParameterError: the salt is neither empty nor 32 bytes.
    """
    if salt is None or salt in {b"", ""}:
        return b""
    return parse_seed(salt, parameter="salt")


def _check_scope(scope: str) -> bytes:
    try:
        return check_label(scope)
    except ValueError as err:
        raise ParameterError(
            _("scope {scope!r:.80} is not valid: a scope follows the label rules ({err})").format(
                scope=scope, err=err
            ),
            parameter="scope",
        ) from err


def derive_subseed(seed: bytes | str, scope: str) -> bytes:
    """Derive the scoped seed ``H("fairdraw/v1/scope" 0x00 ‖ seed ‖ UTF-8(scope))``.

    One ceremony seed feeds many draws; each draw uses the subseed of its own scope name so that
    the draws are independent. Never score labels with the ceremony seed itself.

    Raises:
        ParameterError: the seed is not 32 bytes or the scope breaks the label rules.
    """
    raw = parse_seed(seed)
    return hashlib.sha256(SCOPE_TAG + raw + _check_scope(scope)).digest()


def score_bytes(subseed: bytes | str, label: str) -> bytes:
    """Return a label's score as 32 big-endian bytes.

    ``score = H("fairdraw/v1/score" 0x00 ‖ subseed ‖ UTF-8(label))``.

    Byte strings of equal length compare like the integers they encode, so these bytes sort in
    score order.
    """
    raw = parse_seed(subseed, parameter="subseed")
    return hashlib.sha256(SCORE_TAG + raw + check_label(label)).digest()


def score(subseed: bytes | str, label: str) -> int:
    """Return a label's score as a 256-bit unsigned integer (see :func:`score_bytes`)."""
    return int.from_bytes(score_bytes(subseed, label), "big")
