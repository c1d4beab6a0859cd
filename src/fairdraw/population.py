"""Populations: a checked list of labels and the digest that commits to it (spec v1, section 4).

An office commits to a population before the seed exists: it checks the labels, computes the
digest and publishes the digest. :class:`Population` is that committed state. It is checked once,
when it is made, so that the draw itself (which may run years later, or many times over one
population with different scopes) does only the work the specification requires: hashing and
ranking.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence

import attrs

from fairdraw.labels import validate_population
from fairdraw.primitives import POPULATION_TAG, lp, parse_salt

__all__ = ["Population", "population_digest"]


_DIGEST_BATCH = 1 << 16


def _digest_of_valid(labels: Iterable[str], salt: bytes) -> bytes:
    digest = hashlib.sha256(POPULATION_TAG + lp(salt))
    # Python orders str by code point, and UTF-8 preserves code-point order byte for byte, so
    # sorting the strings sorts their UTF-8 encodings (valid labels hold no surrogates).
    ordered = sorted(labels)
    # Hash in batches: one C-level join per batch, without building every lp() at once.
    for start in range(0, len(ordered), _DIGEST_BATCH):
        batch = ordered[start : start + _DIGEST_BATCH]
        digest.update(b"".join(map(lp, map(str.encode, batch))))
    return digest.digest()


def population_digest(labels: Iterable[str], *, salt: bytes | str | None = None) -> bytes:
    """Commit to a population: its digest, published before the seed exists.

    ``H("fairdraw/v1/population" 0x00 ‖ lp(salt) ‖ lp(l_1) ‖ … ‖ lp(l_n))`` with the labels
    sorted by their UTF-8 bytes, so the digest does not depend on input order. The salt is empty
    for a public list; a confidential list uses 32 random bytes, published only with the list
    itself, so that the digest cannot be used to test guesses of who is in it.

    Raises:
        EmptyPopulationError, LabelError, DuplicateLabelError: the population is invalid.
        ParameterError: the salt is neither empty nor 32 bytes.
    """
    salt_bytes = parse_salt(salt)
    if isinstance(labels, Population) and labels.salt == salt_bytes:
        return labels.digest
    return _digest_of_valid(validate_population(labels), salt_bytes)


@attrs.frozen(eq=False, repr=False)
class Population(Sequence[str]):
    """A checked population and its digest: what an office commits to before a draw.

    Make one with :meth:`of`; pass it to the draw functions instead of a plain list to skip
    checking the labels again. Two populations are equal when their digests and salts are.

    Attributes:
        labels: the labels, in the order given.
        salt: empty for a public list, 32 bytes for a confidential one.
        digest: the population digest (32 bytes).
    """

    labels: tuple[str, ...]
    salt: bytes
    digest: bytes

    @classmethod
    def of(cls, labels: Iterable[str], *, salt: bytes | str | None = None) -> Population:
        """Check ``labels`` and compute their digest.

        Raises:
            EmptyPopulationError, LabelError, DuplicateLabelError: the population is invalid.
            ParameterError: the salt is neither empty nor 32 bytes.
        """
        salt_bytes = parse_salt(salt)
        if isinstance(labels, Population) and labels.salt == salt_bytes:
            return labels
        return cls._from_checked(validate_population(labels), salt_bytes)

    @classmethod
    def _from_checked(cls, labels: Sequence[str], salt: bytes) -> Population:
        """Build from labels that validate_population() has already accepted (internal)."""
        checked = tuple(labels)
        return cls(labels=checked, salt=salt, digest=_digest_of_valid(checked, salt))

    @property
    def digest_hex(self) -> str:
        """The digest as 64 lowercase hex digits."""
        return self.digest.hex()

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self.labels[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.labels)

    def __contains__(self, label: object) -> bool:
        return label in self.labels

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Population):
            return NotImplemented
        return self.salt == other.salt and self.digest == other.digest

    def __hash__(self) -> int:
        return hash((self.salt, self.digest))

    def __repr__(self) -> str:
        return f"Population(size={len(self.labels)}, digest={self.digest.hex()[:16]}…)"
