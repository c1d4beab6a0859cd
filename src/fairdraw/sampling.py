"""Draws of draw spec v1: exact mode, rate mode, stratified draws and shuffles.

Every function here takes the ceremony seed and a scope name, derives the scoped subseed itself,
checks the population, and returns a frozen value object. The order of the result is the spec's
ranking: ascending (score, UTF-8 bytes of the label).

How it stays fast at ten million labels: a label's sort key is ``score ‖ UTF-8(label)``; the score
has a fixed width of 32 bytes, so comparing keys as byte strings is exactly comparing
(score, label bytes). Exact mode keeps only the keys below a cut-off chosen so that at least the
needed number of labels fall below it with overwhelming probability, and falls back to keeping
every key when they do not; the cut-off therefore changes the running time, never the result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from math import isqrt
from typing import Any, Literal

import attrs

from fairdraw.errors import InputError, ParameterError
from fairdraw.i18n import _
from fairdraw.labels import validate_population
from fairdraw.picks import SCORE_LEN, PickList
from fairdraw.population import Population
from fairdraw.primitives import SCORE_TAG, derive_subseed, parse_seed
from fairdraw.rates import format_rate, parse_rate

__all__ = [
    "DRAW_RESULT_MEDIA_TYPE",
    "SPEC_VERSION",
    "Draw",
    "Shuffle",
    "StratifiedDraw",
    "Stratum",
    "draw_exact",
    "draw_rate",
    "draw_stratified",
    "shuffle",
]

SPEC_VERSION = "fairdraw/draw/v1"
"""The draw specification these functions implement (``docs/spec/draw-v1.md``)."""

DRAW_RESULT_MEDIA_TYPE = "application/vnd.fairdraw.draw-result.v1+json"
"""The media type of the JSON form of a draw result (:meth:`Draw.to_dict`)."""

_TWO_256 = 1 << 256


@attrs.frozen
class Draw:
    """The result of one draw from one population under one scope.

    Attributes:
        scope: the scope name the subseed was derived for.
        seed: the ceremony seed, 64 lowercase hex digits.
        subseed: the scoped seed that scored the labels, 64 lowercase hex digits.
        mode: ``"exact"`` (the k lowest-ranked labels) or ``"rate"`` (every label under a cut-off).
        k: exact mode: how many labels were selected; ``None`` in rate mode.
        alternates_requested: exact mode: how many ranked alternates were asked for.
        rate: rate mode: the rate as ``"a/b"`` in lowest terms; ``None`` in exact mode.
        population_size: how many labels the population has.
        selected: the selected labels, in rank order.
        alternates: exact mode: the ranked substitutes, in order (possibly fewer than requested
            when the population runs out); always empty in rate mode.
    """

    scope: str
    seed: str
    subseed: str
    mode: Literal["exact", "rate"]
    k: int | None
    alternates_requested: int
    rate: str | None
    population_size: int
    selected: PickList
    alternates: PickList
    spec: str = SPEC_VERSION

    @property
    def labels(self) -> tuple[str, ...]:
        """The selected labels, in rank order."""
        return self.selected.labels

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form documented in ``docs/spec/draw-v1.md`` (section 10)."""
        parameters: dict[str, Any] = (
            {"k": self.k, "alternates": self.alternates_requested}
            if self.mode == "exact"
            else {"rate": self.rate}
        )
        return {
            "media_type": DRAW_RESULT_MEDIA_TYPE,
            "spec": self.spec,
            "scope": self.scope,
            "seed": self.seed,
            "subseed": self.subseed,
            "mode": self.mode,
            "parameters": parameters,
            "population_size": self.population_size,
            "selected": [pick.to_dict() for pick in self.selected],
            "alternates": [pick.to_dict() for pick in self.alternates],
        }


@attrs.frozen
class Shuffle:
    """A verifiable random permutation of a population: every label, in rank order.

    Attributes:
        scope, seed, subseed, population_size: as in :class:`Draw`.
        order: every label with its rank and score, rank 1 first.
    """

    scope: str
    seed: str
    subseed: str
    population_size: int
    order: PickList
    spec: str = SPEC_VERSION

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels in shuffled order."""
        return self.order.labels


def _labels_or_population(labels: Iterable[str] | Population) -> Sequence[str] | Population:
    return labels if isinstance(labels, Population) else tuple(labels)


@attrs.frozen(kw_only=True)
class Stratum:
    """One stratum of a stratified draw: a scope name, its labels and its own k or rate.

    Give either ``k`` (with optional ``alternates``) or ``rate``.
    """

    scope: str
    labels: Sequence[str] | Population = attrs.field(converter=_labels_or_population)
    k: int | None = None
    alternates: int = 0
    rate: str | Fraction | None = None


@attrs.frozen
class StratifiedDraw:
    """The results of a stratified draw, one :class:`Draw` per stratum, in the order given.

    Attributes:
        seed: the ceremony seed, 64 lowercase hex digits.
        draws: one draw per stratum.
    """

    seed: str
    draws: tuple[Draw, ...]
    spec: str = SPEC_VERSION

    def __getitem__(self, scope: str) -> Draw:
        """The draw of the stratum with this scope name."""
        for draw in self.draws:
            if draw.scope == scope:
                return draw
        raise KeyError(scope)

    @property
    def by_scope(self) -> Mapping[str, Draw]:
        """The draws keyed by scope name."""
        return {draw.scope: draw for draw in self.draws}

    @property
    def labels(self) -> tuple[str, ...]:
        """Every selected label, stratum by stratum, each in rank order."""
        return tuple(label for draw in self.draws for label in draw.labels)


def _checked(labels: Sequence[str] | Population) -> Sequence[str]:
    """The labels to draw from: a Population was checked when it was made."""
    return labels.labels if isinstance(labels, Population) else validate_population(labels)


def _check_count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(
            _("{name} must be a whole number, not {type} {value!r:.40}").format(
                name=name, type=type(value).__name__, value=value
            ),
            parameter=name,
        )
    if value < 0:
        raise ParameterError(
            _("{name} must be 0 or more, got {value}").format(name=name, value=value),
            parameter=name,
        )
    return value


def _ranked_keys(subseed: bytes, population: Sequence[str], count: int) -> list[bytes]:
    """Return the sort keys of the ``count`` lowest-ranked labels, in rank order."""
    n = len(population)
    if count == 0:
        return []
    if count < n // 2:
        # Keep keys whose score is below (count + margin) / n of the score range. The count of
        # such keys is binomial with mean count + margin; the margin is six standard deviations
        # (plus a constant for small n), so the fallback below runs with probability < 1e-9.
        margin = 6 * isqrt(count * (n - count) // n + 1) + 64
        cut = ((count + margin) << 256) // n
        if cut < _TWO_256:
            keys = _keys_below(subseed, population, cut.to_bytes(SCORE_LEN, "big"))
            if len(keys) >= count:
                keys.sort()
                del keys[count:]
                return keys
    keys = _keys_below(subseed, population, None)
    keys.sort()
    del keys[count:]
    return keys


def _keys_below(subseed: bytes, population: Sequence[str], cut: bytes | None) -> list[bytes]:
    """Sort keys (score ‖ UTF-8 label) of every label whose score is below ``cut`` (all if None).

    A key is below a 32-byte cut exactly when its score is: the first 32 bytes decide, and a key
    whose score equals the cut is longer than the cut, hence greater.
    """
    prefix = SCORE_TAG + subseed
    sha256 = hashlib.sha256
    keys: list[bytes] = []
    append = keys.append
    if cut is None:
        for label in population:
            data = label.encode()
            append(sha256(prefix + data).digest() + data)
    else:
        for label in population:
            data = label.encode()
            digest = sha256(prefix + data).digest()
            if digest < cut:
                append(digest + data)
    return keys


def _exact(seed: bytes, scope: str, population: Sequence[str], k: int, alternates: int) -> Draw:
    n = len(population)
    if k > n:
        raise ParameterError(
            _("k = {k} is more than the {n} labels of the population in scope {scope!r}").format(
                k=k, n=n, scope=scope
            ),
            parameter="k",
            reason="k_too_large",
        )
    subseed = derive_subseed(seed, scope)
    keys = _ranked_keys(subseed, population, min(n, k + alternates))
    return Draw(
        scope=scope,
        seed=seed.hex(),
        subseed=subseed.hex(),
        mode="exact",
        k=k,
        alternates_requested=alternates,
        rate=None,
        population_size=n,
        selected=PickList(keys[:k]),
        alternates=PickList(keys[k:], first_rank=k + 1),
    )


def _rate(seed: bytes, scope: str, population: Sequence[str], rate: Fraction) -> Draw:
    subseed = derive_subseed(seed, scope)
    # score * b < a * 2^256  <=>  score < ceil(a * 2^256 / b), scores being integers.
    cut = -(-(rate.numerator << 256) // rate.denominator)
    keys = _keys_below(subseed, population, None if cut >= _TWO_256 else cut.to_bytes(32, "big"))
    keys.sort()
    return Draw(
        scope=scope,
        seed=seed.hex(),
        subseed=subseed.hex(),
        mode="rate",
        k=None,
        alternates_requested=0,
        rate=format_rate(rate),
        population_size=len(population),
        selected=PickList(keys),
        alternates=PickList(()),
    )


def draw_exact(
    seed: bytes | str,
    scope: str,
    labels: Sequence[str] | Population,
    k: int,
    *,
    alternates: int = 0,
) -> Draw:
    """Select exactly ``k`` labels, and rank ``alternates`` substitutes after them.

    The labels are ordered by (score, UTF-8 bytes); the first ``k`` are selected in rank order and
    the next ``alternates`` are the substitutes, used in order when a selected object proves
    ineligible. Fewer alternates are returned when the population runs out.

    Args:
        seed: the ceremony seed, 32 bytes or 64 hex digits.
        scope: the name of this draw within the ceremony (e.g. ``"2026-05/MAINT"``).
        labels: the population: canonical labels without duplicates (see
            :func:`canonical_label`), or a :class:`Population`, which was checked when made.
        k: how many to select, 0 to the population size.
        alternates: how many ranked substitutes to list after the selected.

    Raises:
        ParameterError: a bad seed, scope, ``k`` or ``alternates``.
        EmptyPopulationError, LabelError, DuplicateLabelError: a bad population.
    """
    raw_seed = parse_seed(seed)
    derive_subseed(raw_seed, scope)  # reject a bad scope before the costly label checks
    k = _check_count(k, "k")
    alternates = _check_count(alternates, "alternates")
    return _exact(raw_seed, scope, _checked(labels), k, alternates)


def draw_rate(
    seed: bytes | str, scope: str, labels: Sequence[str] | Population, rate: str | Fraction
) -> Draw:
    """Select every label whose score falls under ``rate`` of the score range.

    With rate a/b a label is selected iff ``score × b < a × 2^256``, so each label can check its
    own status from the published seed alone, without the rest of the population. The number
    selected is random (binomial with mean rate × n); selected labels are listed in rank order.

    Args:
        seed: the ceremony seed, 32 bytes or 64 hex digits.
        scope: the name of this draw within the ceremony.
        labels: the population.
        rate: an exact rate: ``"15%"``, ``"0.15"``, ``"3/20"`` or a :class:`~fractions.Fraction`.

    Raises:
        ParameterError: a bad seed, scope or rate.
        EmptyPopulationError, LabelError, DuplicateLabelError: a bad population.
    """
    raw_seed = parse_seed(seed)
    derive_subseed(raw_seed, scope)
    exact_rate = parse_rate(rate)
    return _rate(raw_seed, scope, _checked(labels), exact_rate)


def shuffle(seed: bytes | str, scope: str, labels: Sequence[str] | Population) -> Shuffle:
    """Return a verifiable random permutation of ``labels``: all of them, in rank order."""
    raw_seed = parse_seed(seed)
    derive_subseed(raw_seed, scope)
    population = _checked(labels)
    draw = _exact(raw_seed, scope, population, len(population), 0)
    return Shuffle(
        scope=scope,
        seed=draw.seed,
        subseed=draw.subseed,
        population_size=draw.population_size,
        order=draw.selected,
    )


def draw_stratified(seed: bytes | str, strata: Sequence[Stratum]) -> StratifiedDraw:
    """Draw each stratum of a partitioned population under the subseed of its own scope.

    Each stratum is an independent exact-mode or rate-mode draw. The strata must partition the
    population: scope names are unique and no label belongs to two strata.

    Raises:
        ParameterError: no strata, a repeated scope, a stratum with both or neither of k and
            rate, or a label in two strata (the error names both).
        EmptyPopulationError, LabelError, DuplicateLabelError: a bad stratum population; the
            message names the stratum.
    """
    raw_seed = parse_seed(seed)
    if not strata:
        raise ParameterError(
            _("a stratified draw needs at least one stratum"),
            parameter="strata",
            reason="no_strata",
        )
    owner: dict[str, str] = {}
    scopes: set[str] = set()
    plans: list[tuple[Stratum, Sequence[str], Fraction | None]] = []
    for stratum in strata:
        if not isinstance(stratum, Stratum):
            raise ParameterError(
                _("strata must be Stratum objects, not {type}").format(type=type(stratum).__name__),
                parameter="strata",
            )
        where = _("stratum {scope!r}").format(scope=stratum.scope)
        derive_subseed(raw_seed, stratum.scope)
        if stratum.scope in scopes:
            raise ParameterError(
                _("{where} appears twice").format(where=where),
                parameter="strata",
                reason="duplicate_scope",
            )
        scopes.add(stratum.scope)
        if (stratum.k is None) == (stratum.rate is None):
            raise ParameterError(
                _("{where} needs either k or rate, not both").format(where=where),
                parameter="strata",
                reason="bad_stratum",
            )
        rate = None if stratum.rate is None else parse_rate(stratum.rate)
        if stratum.k is not None:
            _check_count(stratum.k, "k")
        _check_count(stratum.alternates, "alternates")
        try:
            population = _checked(stratum.labels)
        except InputError as err:
            err.args = (f"{where}: {err}",)  # same type and fields, the stratum named
            raise
        for label in population:
            other = owner.setdefault(label, stratum.scope)
            if other != stratum.scope:
                raise ParameterError(
                    _(
                        "label {label!r:.80} is in both stratum {other!r} and {where}: strata "
                        "must not overlap"
                    ).format(label=label, other=other, where=where),
                    parameter="strata",
                    reason="overlapping_strata",
                )
        plans.append((stratum, population, rate))
    draws = tuple(
        _exact(raw_seed, s.scope, pop, s.k, s.alternates)
        if rate is None and s.k is not None
        else _rate(raw_seed, s.scope, pop, rate or Fraction(0))
        for s, pop, rate in plans
    )
    return StratifiedDraw(seed=raw_seed.hex(), draws=draws)
