"""Errors of the office's rules, built on fairdraw's public error types."""

from __future__ import annotations

from pathlib import Path

from fairdraw import InputError, PolicyError

__all__ = ["CalendarError", "CatalogueError", "ConfigError", "InternalListsError", "ResultError"]


class CatalogueError(InputError):
    """The item catalogue data file is malformed (the message names the file and the field)."""

    code = "policy.catalogue"
    reason = "catalogue"


class CalendarError(PolicyError):
    """A date falls in a year without an official State Council holiday notice in the data."""

    code = "policy.calendar"


class ConfigError(InputError):
    """The office's configuration file is malformed (the message names the file and the field)."""

    code = "policy.config"
    reason = "config"


class InternalListsError(InputError):
    """A draw's internal lists cannot be read: their manifest is missing, malformed or another
    draw's, or a list it names is missing or unreadable.

    Attributes:
        path: the file at fault (the manifest, or the list it names).
    """

    code = "policy.internal_lists"
    reason = "internal_lists"

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message)
        self.path = path


class ResultError(InputError):
    """An inspection result that breaks the form's rules (the message, in the run's language,
    names the field).

    Attributes:
        field: the form's field at fault (``penalty_amount``, ``inspected_on`` …).
        problem: the kind of problem (``amount.decimal`` …), the key of its wording in
            :data:`rfb_policy.model.result_checks.RESULT_MESSAGES`.
    """

    code = "policy.result"
    reason = "result"

    def __init__(self, message: str, *, field: str = "", problem: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.problem = problem
