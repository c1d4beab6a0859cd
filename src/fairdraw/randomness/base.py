"""The one small interface every entropy source implements (ceremony spec v1, section 3).

A source type answers three questions about an announced source entry: is the entry well formed,
how many equally likely outcomes does it announce, and which bytes does a contributed value give
the seed (after checking the value). The public methods wrap any failure of an implementation in
fairdraw's own errors, so a bug in one source never leaks a foreign exception.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from fairdraw.errors import CeremonyError, FairdrawError
from fairdraw.i18n import _

__all__ = ["BEACON", "EntropySource"]

BEACON = 0
"""What :meth:`EntropySource.outcomes` returns for a public beacon (its entropy is not counted:
a beacon satisfies the entropy rule by itself)."""


class EntropySource(ABC):
    """A type of entropy source: ``local``, ``dice``, ``drand``, ``nist`` or ``public-record``."""

    type: ClassVar[str]
    is_beacon: ClassVar[bool] = False
    takes_value: ClassVar[bool] = True
    """False for sources whose contribution is a committed secret, revealed later."""

    def check(self, spec: Mapping[str, Any], participants: set[str], announced: datetime) -> None:
        """Check an announced source entry.

        Raises:
            CeremonyError: the entry is malformed, or a beacon is not due after the announcement.
        """
        self._wrap(self._check, spec, participants, announced)

    def outcomes(self, spec: Mapping[str, Any]) -> int:
        """How many equally likely outcomes the entry announces (:data:`BEACON` for a beacon)."""
        result: int = self._wrap(self._outcomes, spec)
        return result

    def value_bytes(self, spec: Mapping[str, Any], value: Mapping[str, Any]) -> bytes:
        """Check a contributed value and return the bytes the seed hashes.

        Raises:
            CeremonyError: the value does not fit the announcement.
            VerificationError: a signature or certificate does not verify.
        """
        result: bytes = self._wrap(self._value_bytes, spec, value)
        return result

    @abstractmethod
    def _check(self, spec: Mapping[str, Any], participants: set[str], announced: datetime) -> None:
        """Implementation of :meth:`check`."""

    @abstractmethod
    def _outcomes(self, spec: Mapping[str, Any]) -> int:
        """Implementation of :meth:`outcomes`."""

    def _value_bytes(self, spec: Mapping[str, Any], value: Mapping[str, Any]) -> bytes:
        """Implementation of :meth:`value_bytes`."""
        raise CeremonyError(
            _("source {id!r} of type {type} takes no value").format(
                id=spec.get("id"), type=self.type
            )
        )

    def _wrap(self, call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except FairdrawError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise CeremonyError(
                _("source {id!r} ({type}): malformed entry or value ({err})").format(
                    id=args[0].get("id"), type=self.type, err=err
                )
            ) from err

    @staticmethod
    def require_int(spec: Mapping[str, Any], name: str, low: int, high: int | None = None) -> int:
        """An integer member of a source entry, within bounds."""
        value = spec.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise CeremonyError(
                _("source {id!r}: {name} must be an integer ≥ {low}").format(
                    id=spec.get("id"), name=name, low=low
                )
            )
        if high is not None and value > high:
            raise CeremonyError(
                _("source {id!r}: {name} must be at most {high}").format(
                    id=spec.get("id"), name=name, high=high
                )
            )
        return value

    @staticmethod
    def require_participant(spec: Mapping[str, Any], participants: set[str]) -> None:
        """The entry names an announced participant."""
        if spec.get("participant") not in participants:
            raise CeremonyError(
                _("source {id!r}: participant {participant!r} unknown").format(
                    id=spec.get("id"), participant=spec.get("participant")
                )
            )
