"""Population labels: the rules of draw spec v1, section 3, and their checks.

A label names one member of a population. Spec v1 accepts a label when it is a Unicode string that

1. encodes to UTF-8 in 1 to 1024 bytes (so it has no lone surrogates),
2. has no control character (general category Cc: U+0000–U+001F and U+007F–U+009F),
3. neither starts nor ends with a white-space character (:data:`WHITE_SPACE`),
4. is already in Normalization Form C,

and a population is valid when it is non-empty and no label appears twice.

Validation of a whole population runs in two tiers: a fast tier that checks the joined text with a
few C-level passes, and, only when the fast tier finds something, a slow per-label tier that finds
the first offending label and says exactly what is wrong with it and where.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from fairdraw.errors import DuplicateLabelError, EmptyPopulationError, LabelError
from fairdraw.i18n import _

__all__ = [
    "MAX_LABEL_BYTES",
    "STRIPPABLE",
    "WHITE_SPACE",
    "canonical_label",
    "check_label",
    "show_label",
    "validate_population",
]

MAX_LABEL_BYTES = 1024
"""The longest label, in UTF-8 bytes."""

# Unicode's White_Space property (PropList.txt, unchanged since Unicode 6.3) minus the characters
# of category Cc, which labels reject anyway. Spelled out so that the rule does not depend on the
# Unicode tables of the Python that runs it.
WHITE_SPACE = frozenset(
    "\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
"""The white-space characters a label may not start or end with (besides control characters)."""

# Everything canonical_label() strips from both ends: WHITE_SPACE plus the Cc members of
# White_Space (tab, line feed, vertical tab, form feed, carriage return, next line) and the byte
# order mark that spreadsheet exports like to prepend.
STRIPPABLE = "".join(sorted(WHITE_SPACE)) + "\t\n\x0b\x0c\r\x85\ufeff"
"""What canonical_label() strips from both ends (and rate parsing from its input)."""

_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_C1_RE = re.compile("[\x80-\x9f]")
_CONTROL_BUT_LF_BYTES = bytes(range(0x0A)) + bytes(range(0x0B, 0x20)) + b"\x7f"
_WS_CLASS = "[" + "".join(sorted(WHITE_SPACE)) + "]"
# With MULTILINE, ^ and $ also match next to the "\n" that joins labels: a label edge.
_EDGE_WS_RE = re.compile(f"^{_WS_CLASS}|{_WS_CLASS}$", re.MULTILINE)


def show_label(label: object) -> str:
    """Render a label for an error message, with invisible characters escaped."""
    text = ascii(label) if isinstance(label, str) else repr(label)
    return text if len(text) <= 80 else text[:77] + "..."


def _where(position: int, label: object) -> str:
    # labelfile.py finds this phrase in a label's message to name the file's line instead
    return _("label {position} ({label})").format(position=position, label=show_label(label))


def check_label(label: object, position: int = 1) -> bytes:
    """Check one label against the spec's label rules and return its UTF-8 encoding.

    Args:
        label: the candidate label.
        position: its 1-based position, used in the error message.

    Returns:
        The label encoded as UTF-8.

    Raises:
        LabelError: the label breaks a rule; ``reason`` says which.
    """
    where = _where(position, label)
    if not isinstance(label, str):
        raise LabelError(
            _("{where} is of type {type}, not a string").format(
                where=where, type=type(label).__name__
            ),
            label=label,
            position=position,
            reason="type",
        )
    try:
        encoded = label.encode("utf-8")
    except UnicodeEncodeError as err:
        raise LabelError(
            _(
                "{where} cannot be encoded as UTF-8: it holds a lone surrogate at "
                "character {character}"
            ).format(where=where, character=err.start + 1),
            label=label,
            position=position,
            reason="encoding",
        ) from err
    if not encoded:
        raise LabelError(
            _("label {position} is empty: a label needs at least one character").format(
                position=position
            ),
            label=label,
            position=position,
            reason="empty",
        )
    if len(encoded) > MAX_LABEL_BYTES:
        raise LabelError(
            _("{where} is {count} bytes long in UTF-8; the limit is {limit}").format(
                where=where, count=len(encoded), limit=MAX_LABEL_BYTES
            ),
            label=label,
            position=position,
            reason="too_long",
        )
    control = _CONTROL_RE.search(label)
    if control is not None:
        raise LabelError(
            _(
                "{where} contains the control character U+{code:04X} at character "
                "{character}; remove it"
            ).format(where=where, code=ord(control.group()), character=control.start() + 1),
            label=label,
            position=position,
            reason="control",
        )
    if label[0] in WHITE_SPACE or label[-1] in WHITE_SPACE:
        raise LabelError(
            _("{where} starts or ends with white space; remove it or use canonical_label()").format(
                where=where
            ),
            label=label,
            position=position,
            reason="whitespace",
        )
    if not unicodedata.is_normalized("NFC", label):
        raise LabelError(
            _(
                "{where} is not in Unicode Normalization Form C (NFC); normalise it "
                "with canonical_label() before the population is published"
            ).format(where=where),
            label=label,
            position=position,
            reason="not_nfc",
        )
    return encoded


def canonical_label(text: str) -> str:
    """Turn user input into a canonical label, or raise if no canonical form exists.

    It normalises to NFC and strips white space (and a byte order mark) from both ends; it never
    changes anything else. Use it explicitly when importing a directory, before the population is
    committed: the draw functions reject non-canonical labels instead of fixing them silently.

    Raises:
        LabelError: what is left is empty, too long, or contains a control character.
    """
    if not isinstance(text, str):
        raise LabelError(
            _("label {label} is of type {type}, not a string").format(
                label=show_label(text), type=type(text).__name__
            ),
            label=text,
            position=1,
            reason="type",
        )
    # Normalise first: NFC can turn white space next to a combining mark into a non-space.
    label = unicodedata.normalize("NFC", text).strip(STRIPPABLE)
    check_label(label)
    return label


def validate_population(labels: Iterable[str]) -> Sequence[str]:
    """Check a whole population and return it as a sequence, in input order.

    Raises:
        EmptyPopulationError: there are no labels.
        LabelError: the first label, by position, that breaks a rule.
        DuplicateLabelError: a label appears twice (also when two labels only become equal after
            NFC normalisation).
    """
    population: Sequence[str] = labels if isinstance(labels, list | tuple) else list(labels)
    if not population:
        raise EmptyPopulationError(_("the population is empty: a draw needs at least one label"))
    if not _looks_valid(population):
        _raise_first_problem(population)
    return population


def _looks_valid(population: Sequence[str]) -> bool:
    """Fast tier: True only if every label and the population as a whole are valid.

    A False answer means "look closer": _raise_first_problem() then names the culprit.
    """
    # The text checks run first and drop their big temporaries before the duplicate check builds
    # its set, so that the peak memory is the larger of the two, not their sum.
    return _text_looks_valid(population) and len(set(population)) == len(population)


def _text_looks_valid(population: Sequence[str]) -> bool:
    try:
        joined = "\n".join(population)
    except TypeError:
        return False
    if not joined.isascii():  # O(1) for str; ASCII text needs none of these checks
        if _C1_RE.search(joined) or _EDGE_WS_RE.search(joined):
            return False  # a C1 control, or non-ASCII white space at a label edge
        # NFC is closed under joining with "\n": it is a starter that composes with nothing.
        if not unicodedata.is_normalized("NFC", joined):
            return False
    try:
        encoded = joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    del joined
    if encoded.count(b"\n") != len(population) - 1:
        return False  # a label contains a line feed
    if len(encoded.translate(None, _CONTROL_BUT_LF_BYTES)) != len(encoded):
        return False  # a C0 control or DEL
    if (
        not encoded
        or b"\n\n" in encoded
        or encoded.startswith((b"\n", b" "))
        or encoded.endswith((b"\n", b" "))
        or b"\n " in encoded
        or b" \n" in encoded
    ):
        return False  # an empty label, or ASCII space at a label edge
    if encoded.isascii():
        longest = max(map(len, population))
    else:
        longest = max(map(len, map(str.encode, population)))
    return longest <= MAX_LABEL_BYTES


def _raise_first_problem(population: Sequence[str]) -> None:
    """Slow tier: raise the precise error for the first offending label."""
    first_seen: dict[str, int] = {}
    positions_by_nfc: dict[str, list[int]] = {}
    for index, label in enumerate(population):
        if isinstance(label, str):
            positions_by_nfc.setdefault(unicodedata.normalize("NFC", label), []).append(index + 1)
    for index, label in enumerate(population):
        position = index + 1
        try:
            check_label(label, position)
        except LabelError as err:
            if err.reason != "not_nfc" or not isinstance(label, str):
                raise
            twins = positions_by_nfc[unicodedata.normalize("NFC", label)]
            other = next((p for p in twins if p != position), None)
            if other is not None:
                raise DuplicateLabelError(
                    _(
                        "{where} is not in NFC, and once normalised it equals {other}: the "
                        "population has a duplicate"
                    ).format(
                        where=_where(position, label), other=_("label {first}").format(first=other)
                    ),
                    label=label,
                    position=position,
                    first_position=other,
                ) from err
            raise
        if label in first_seen:
            raise DuplicateLabelError(
                _(
                    "{where} duplicates {first}: each member of a population must have a "
                    "label of its own"
                ).format(
                    where=_where(position, label),
                    first=_("label {first}").format(first=first_seen[label]),
                ),
                label=label,
                position=position,
                first_position=first_seen[label],
            )
        first_seen[label] = position
    raise AssertionError("validate_population: fast check failed but no label is at fault")
