"""Errors of the office's rules, built on fairdraw's public error types."""

from __future__ import annotations

from fairdraw import InputError, PolicyError

__all__ = ["CalendarError", "CatalogueError", "ConfigError", "ResultError"]


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


class ResultError(InputError):
    """An inspection result that breaks the form's rules (the message names the field)."""

    code = "policy.result"
    reason = "result"
