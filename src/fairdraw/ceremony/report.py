"""The report of a verification: each check passed, failed or not made, and the verdict
(ceremony spec v1, section 4; v2, section 8)."""

from __future__ import annotations

import re
from typing import Any, Literal

import attrs

from fairdraw.ceremony.analysis import SteeringReport
from fairdraw.errors import VerificationError
from fairdraw.i18n import N_, _

__all__ = [
    "ABORTED",
    "OUTCOME",
    "PUBLIC_RECORDS",
    "STEERING",
    "Check",
    "Report",
    "Status",
    "Verdict",
    "check_title",
]

Status = Literal["passed", "failed", "not checked"]

STEERING = "who could have chosen the outcome"
"""The check of ceremony spec v2, section 7: it fails when one party alone could have."""
PUBLIC_RECORDS = "public records"
"""The check of the numbers recorded for public-record sources against those the verifier looked
up from their publishers: not made when they are not given (ceremony spec v2, section 8)."""
OUTCOME = "outcome"
"""The check of what the record decided: it fails for a record without a draw."""
ABORTED = "the ceremony was aborted"
"""How the outcome check of an aborted ceremony's record begins, in English (the report says
it with :attr:`Check.aborted`, in every language)."""
Verdict = Literal["passed", "failed", "incomplete"]
"""A report's verdict: every check passed; one failed; none failed, but some could not be made."""


_TITLES = (
    N_("record format"),
    N_("event signatures and hash chain"),
    N_("record signature"),
    N_("office key"),
    N_("announcement and entropy rule"),
    N_("commitments and reveals"),
    N_("order of the events"),
    N_("participants' signed statements"),
    N_("timestamps"),
    N_("public randomness"),
    N_("public records"),
    N_("who could have chosen the outcome"),
    N_("outcome"),
    N_("seed"),
    N_("draw"),
    N_("published scores"),
    N_("complete recomputation"),
)
"""The checks' names, for the catalogue: a name is the same in every language (JSON, vectors);
:func:`check_title` shows it in the run's."""
_STATUSES = (N_("passed"), N_("failed"), N_("not checked"), N_("incomplete"))
"""A check's status and a report's verdict, for the catalogue (shown with ``_(status)``)."""
_SCOPE_CHECK = re.compile(r"scope (\S+): (.+)")


def check_title(name: str) -> str:
    """A check's name as people read it in the run's language (``scope S: published scores``
    → ``范围 S：公布的分数``); a name the catalogue does not know is shown as it is."""
    scoped = _SCOPE_CHECK.fullmatch(name)
    if scoped:
        return _("scope {scope}: {check}").format(scope=scoped[1], check=_(scoped[2]))
    return _(name)


@attrs.frozen
class Check:
    """One check of a verification: what was checked, its outcome, and the details."""

    name: str
    status: Status
    detail: str = ""
    aborted: bool = attrs.field(default=False, kw_only=True)
    """The outcome check of an aborted ceremony's record (its detail, in the run's language,
    gives the reason); not in :meth:`to_dict`."""

    def to_dict(self) -> dict[str, str]:
        """``{"name", "status", "detail"}``."""
        return {"name": self.name, "status": self.status, "detail": self.detail}


@attrs.frozen
class Report:
    """The outcome of verifying one record."""

    draw_id: str
    checks: tuple[Check, ...]
    steering: SteeringReport | None = None
    """Who could have chosen the outcome (None if the record's events could not be read)."""

    @property
    def passed(self) -> bool:
        """True only when every check passed: the record can be trusted."""
        return bool(self.checks) and all(check.status == "passed" for check in self.checks)

    @property
    def failed(self) -> bool:
        """True when any check failed: do not trust the record."""
        return bool(self.failures)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks that failed."""
        return tuple(c for c in self.checks if c.status == "failed")

    @property
    def aborted(self) -> bool:
        """Whether the record is of an aborted ceremony (which has no draw to trust)."""
        return any(_is_abort(c) for c in self.checks)

    @property
    def failures_of_an_aborted_record(self) -> tuple[Check, ...]:
        """The failures besides the abort itself: what is wrong with an aborted ceremony's
        record (empty when it is a sound record of an aborted ceremony; who could have steered
        it is not a fault of its record)."""
        return tuple(c for c in self.failures if not _is_abort(c) and c.name != STEERING)

    @property
    def unchecked(self) -> tuple[Check, ...]:
        """The checks that could not be made (a file or key not given), each saying why."""
        return tuple(c for c in self.checks if c.status == "not checked")

    @property
    def verdict(self) -> Verdict:
        """``passed``, ``failed``, or ``incomplete`` (nothing failed; some checks not made)."""
        if self.failed:
            return "failed"
        return "passed" if self.passed else "incomplete"

    def require_passed(self, what: str) -> Report:
        """This report, if every check passed.

        Raises:
            VerificationError: a check failed or could not be made; the message names ``what``
                was checked and lists those checks.
        """
        if not self.passed:
            problems = [c for c in self.checks if c.status != "passed"]
            raise VerificationError(
                _("{what} is not verified ({verdict}): {problems}").format(
                    what=what,
                    verdict=_(self.verdict),
                    problems=_("; ").join(
                        _("{check}: {status}: {detail}").format(
                            check=check_title(c.name), status=_(c.status), detail=c.detail
                        )
                        for c in problems
                    ),
                )
            )
        return self

    def to_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``fairdraw verify --json``."""
        return {
            "draw_id": self.draw_id,
            "verdict": self.verdict,
            "checks": [c.to_dict() for c in self.checks],
            "steering": None if self.steering is None else self.steering.to_dict(),
        }


def _is_abort(check: Check) -> bool:
    return check.name == OUTCOME and check.aborted
