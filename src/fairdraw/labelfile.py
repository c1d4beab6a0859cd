"""Reading populations from label files (draw spec v1, section 13).

A label file is UTF-8 text with one label per line. LF and CRLF line ends are both accepted, the
final newline is optional, and a byte order mark at the very start is ignored. Every other byte is
taken literally: an empty line or a label with surrounding white space is reported with its line
number, never skipped or trimmed silently, unless the caller asks for ``canonicalize=True``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from fairdraw.errors import DuplicateLabelError, InputError, LabelError, LabelFileError
from fairdraw.files import os_reason
from fairdraw.i18n import _
from fairdraw.labels import canonical_label, show_label, validate_population
from fairdraw.population import Population
from fairdraw.primitives import parse_salt

__all__ = ["parse_label_text", "read_label_file", "read_population"]

_BOM = b"\xef\xbb\xbf"


def read_label_file(
    path: str | Path, *, canonicalize: bool = False, stdin: BinaryIO | None = None
) -> list[str]:
    """Read and check a population from a label file, or from standard input when path is ``-``.

    Args:
        path: the file, or ``"-"`` for standard input.
        canonicalize: apply :func:`fairdraw.canonical_label` to every line (NFC, strip white
            space) instead of rejecting non-canonical lines.
        stdin: the binary stream to read for ``-`` (defaults to ``sys.stdin.buffer``).

    Returns:
        The labels, in file order.

    Raises:
        LabelFileError: the file cannot be read, is not UTF-8, or a line is not a valid label;
            the error names the file and the line.
    """
    name = str(path)
    try:
        data = (stdin or sys.stdin.buffer).read() if name == "-" else Path(path).read_bytes()
    except OSError as err:
        raise LabelFileError(
            _("{name}: cannot read the label file: {reason}").format(
                name=name, reason=os_reason(err)
            ),
            path=name,
        ) from err
    return parse_label_text(data, name=name, canonicalize=canonicalize)


def read_population(
    path: str | Path,
    *,
    canonicalize: bool = False,
    salt: bytes | str | None = None,
    stdin: BinaryIO | None = None,
) -> Population:
    """Read a label file into a checked :class:`Population` (labels checked once).

    Raises:
        LabelFileError: as :func:`read_label_file`.
        ParameterError: the salt is neither empty nor 32 bytes.
    """
    salt_bytes = parse_salt(salt)
    labels = read_label_file(path, canonicalize=canonicalize, stdin=stdin)
    return Population._from_checked(labels, salt_bytes)


def parse_label_text(
    data: bytes, *, name: str = "<labels>", canonicalize: bool = False
) -> list[str]:
    """Parse the bytes of a label file; see :func:`read_label_file`."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise LabelFileError(
            _(
                "{name}, line {line}: the file is not valid UTF-8 (byte {byte}); save "
                "it as UTF-8 (in Excel: 'CSV UTF-8'; in WPS or Notepad: encoding UTF-8)"
            ).format(name=name, line=line, byte=err.start + 1),
            path=name,
            line=line,
            reason="not_utf8",
        ) from err
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it does not start an empty one
    lines = [line.removesuffix("\r") for line in lines]
    if not lines:
        raise LabelFileError(_("{name}: the file has no labels").format(name=name), path=name)
    if canonicalize:
        labels = []
        for number, raw in enumerate(lines, start=1):
            try:
                labels.append(canonical_label(raw))
            except LabelError as err:
                raise _at_line(err, name, number) from err
    else:
        labels = lines
    try:
        validate_population(labels)
    except LabelError as err:
        raise _at_line(err, name, err.position) from err
    except InputError as err:
        raise LabelFileError(_("{name}: {err}").format(name=name, err=err), path=name) from err
    return labels


def _at_line(err: LabelError, name: str, number: int) -> LabelFileError:
    # The label's message names it by position ("label 3 (…)"); in a file, by its line.
    shown = show_label(err.label)
    where = _("label {position} ({label})").format(position=err.position, label=shown)
    message = str(err).replace(where, _("the label {label}").format(label=shown), 1)
    if isinstance(err, DuplicateLabelError):
        first = err.first_position
        message = message.replace(
            _("label {first}").format(first=first), _("line {line}").format(line=first)
        )
    return LabelFileError(
        _("{name}, line {number}: {message}").format(name=name, number=number, message=message),
        path=name,
        line=number,
        reason=err.reason,
    )
