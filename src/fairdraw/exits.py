"""The exit statuses of fairdraw's commands and of the tools built on it (the one table).

====  ==========================================================================
 0    success
 1    internal error (a bug: please report it)
 2    usage error (unknown option, missing argument)
 3    bad input: an invalid label, label file, seed, scope, k, rate or file
 4    verification failed: a beacon value or a draw record is invalid
 5    an entropy source or beacon is unavailable
 6    storage error, or a draw that was finalised already
 7    an office policy forbids the operation
 8    verification incomplete: nothing failed, but some checks could not be made
      (no trusted public key, a population file or a public record's numbers not given)
 9    the draw id was used before (the audit log shows it, even if its rows were deleted)
130   interrupted (Ctrl-C, or the input closed at a prompt): what was done is kept, the
      step under way wrote nothing; run the command again to go on
====  ==========================================================================

:func:`exit_code` maps an exception to its status, so every front end ends the same way.
"""

from __future__ import annotations

import enum

from fairdraw.errors import (
    FairdrawError,
    InputError,
    PolicyError,
    SourceUnavailableError,
    StorageError,
    VerificationError,
)
from fairdraw.storage.draw_ids import DrawIdUsedError

__all__ = ["ExitCode", "exit_code"]


class ExitCode(enum.IntEnum):
    """Exit statuses of the ``fairdraw`` command (and of ``rfb``)."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    BAD_INPUT = 3
    VERIFICATION_FAILED = 4
    SOURCE_UNAVAILABLE = 5
    STORAGE = 6
    POLICY = 7
    INCOMPLETE = 8
    DRAW_ID_USED = 9
    INTERRUPTED = 130
    """128 + SIGINT, as shells report a command ended by Ctrl-C."""


_BY_ERROR: tuple[tuple[type[FairdrawError], ExitCode], ...] = (
    (InputError, ExitCode.BAD_INPUT),
    (VerificationError, ExitCode.VERIFICATION_FAILED),
    (SourceUnavailableError, ExitCode.SOURCE_UNAVAILABLE),
    (DrawIdUsedError, ExitCode.DRAW_ID_USED),
    (StorageError, ExitCode.STORAGE),
    (PolicyError, ExitCode.POLICY),
)


def exit_code(error: BaseException) -> ExitCode:
    """The documented exit status for ``error`` (``INTERNAL`` for anything unexpected)."""
    for error_type, code in _BY_ERROR:
        if isinstance(error, error_type):
            return code
    return ExitCode.INTERNAL
