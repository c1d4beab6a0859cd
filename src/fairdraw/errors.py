"""The exception hierarchy of fairdraw.

Every exception fairdraw raises on purpose derives from :class:`FairdrawError`. The subtrees
are named after who is at fault, so a caller can decide what to do without parsing messages:

* :class:`InputError` (also a :class:`ValueError`): the caller gave something invalid.
* :class:`VerificationError`: a published artefact does not check out. Do not trust it.
* :class:`SourceUnavailableError`: an entropy source or beacon could not be reached.
* :class:`StorageError`: the database refused or failed.
* :class:`PolicyError`: an office rule forbids the operation.

Each class has a stable ``code`` (never translated) that command-line front ends use to pick a
localised message; ``str(error)`` is an English message that says what was wrong, where, and what
to do.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "CeremonyError",
    "DuplicateLabelError",
    "EmptyPopulationError",
    "FairdrawError",
    "InputError",
    "LabelError",
    "LabelFileError",
    "ParameterError",
    "PolicyError",
    "SourceUnavailableError",
    "StorageError",
    "VerificationError",
]


class FairdrawError(Exception):
    """Root of every error fairdraw raises on purpose."""

    code: ClassVar[str] = "fairdraw"


class InputError(FairdrawError, ValueError):
    """The caller supplied invalid input (a label, a parameter, a file).

    Attributes:
        reason: a stable reason code; draw spec v1, section 15 lists those of the draw rules.
    """

    code: ClassVar[str] = "input"
    reason: str = "invalid_input"


class LabelError(InputError):
    """A population label breaks the label rules of the draw specification.

    Attributes:
        label: the offending label, as given (possibly not printable as is).
        position: its 1-based position in the input sequence.
        reason: a stable reason code, one of ``type``, ``encoding``, ``empty``, ``too_long``,
            ``control``, ``whitespace``, ``not_nfc``, ``duplicate``.
    """

    code: ClassVar[str] = "label"

    def __init__(self, message: str, *, label: object, position: int, reason: str) -> None:
        super().__init__(message)
        self.label = label
        self.position = position
        self.reason = reason


class DuplicateLabelError(LabelError):
    """The same label (after NFC normalisation) appears twice in one population.

    Attributes:
        first_position: the 1-based position of the earlier occurrence.
    """

    code: ClassVar[str] = "label.duplicate"

    def __init__(self, message: str, *, label: object, position: int, first_position: int) -> None:
        super().__init__(message, label=label, position=position, reason="duplicate")
        self.first_position = first_position


class EmptyPopulationError(InputError):
    """A draw or a digest was asked for a population with no labels."""

    code: ClassVar[str] = "population.empty"
    reason = "empty_population"


class ParameterError(InputError):
    """A draw parameter is invalid: a seed, scope, salt, k, alternates count or rate.

    Attributes:
        parameter: the parameter's name as the public API spells it (``seed``, ``k`` …).
        reason: ``bad_seed``, ``bad_scope``, ``bad_salt``, ``bad_count``, ``k_too_large``,
            ``bad_rate``, ``rate_out_of_range`` or ``bad_parameter``.
    """

    code: ClassVar[str] = "parameter"
    _REASONS: ClassVar[dict[str, str]] = {
        "seed": "bad_seed",
        "subseed": "bad_seed",
        "scope": "bad_scope",
        "salt": "bad_salt",
        "k": "bad_count",
        "alternates": "bad_count",
        "rate": "bad_rate",
    }

    def __init__(self, message: str, *, parameter: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.reason = reason or self._REASONS.get(parameter, "bad_parameter")


class LabelFileError(InputError):
    """A label file could not be read or a line in it is invalid.

    Attributes:
        path: the file's path as given (``-`` for standard input).
        line: the 1-based line number, or ``None`` when the whole file is at fault.
        reason: for a bad line, the :class:`LabelError` reason code; otherwise ``bad_file``.
    """

    code: ClassVar[str] = "label_file"

    def __init__(
        self, message: str, *, path: str, line: int | None = None, reason: str | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.reason = reason or "bad_file"


class CeremonyError(InputError):
    """A ceremony step is out of order, late, or breaks the announcement's rules."""

    code: ClassVar[str] = "ceremony"
    reason = "ceremony"


class VerificationError(FairdrawError):
    """A published artefact (a record, a signature, a beacon) failed verification."""

    code: ClassVar[str] = "verification"


class SourceUnavailableError(FairdrawError):
    """An entropy source or beacon could not be reached or did not answer in time."""

    code: ClassVar[str] = "source_unavailable"


class StorageError(FairdrawError):
    """The storage backend failed or refused an operation."""

    code: ClassVar[str] = "storage"


class PolicyError(FairdrawError):
    """An office policy rule forbids the requested operation."""

    code: ClassVar[str] = "policy"
