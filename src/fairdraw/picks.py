"""The ranked labels of a draw: each a :class:`Pick` (label, rank, score), kept compactly in a
:class:`PickList` (draw spec v1, section 12)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

import attrs

__all__ = ["SCORE_LEN", "Pick", "PickList"]

SCORE_LEN = 32
"""Bytes of a score; a pick's sort key is ``score ‖ UTF-8(label)``."""


@attrs.frozen
class Pick:
    """One ranked label of a draw.

    Attributes:
        label: the label.
        rank: its 1-based place in the draw's ranking (alternates continue after the selected).
        score: its score as 64 lowercase hexadecimal digits.
    """

    label: str
    rank: int
    score: str

    @property
    def score_int(self) -> int:
        """The score as the 256-bit unsigned integer the spec defines."""
        return int(self.score, 16)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"label", "rank", "score"}``."""
        return {"label": self.label, "rank": self.rank, "score": self.score}


class PickList(Sequence[Pick]):
    """An immutable, ranked sequence of picks.

    It keeps the compact sort keys (score ‖ UTF-8 label) and builds :class:`Pick` objects when
    they are read, so a draw of millions of labels costs no more memory than the keys.
    """

    __slots__ = ("_first_rank", "_keys")

    def __init__(self, keys: Sequence[bytes], first_rank: int = 1) -> None:
        self._keys = tuple(keys)
        self._first_rank = first_rank

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Pick: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Pick]: ...

    def __getitem__(self, index: int | slice) -> Pick | Sequence[Pick]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self._keys)
        key = self._keys[index]
        return Pick(
            label=key[SCORE_LEN:].decode("utf-8"),
            rank=self._first_rank + index,
            score=key[:SCORE_LEN].hex(),
        )

    def __iter__(self) -> Iterator[Pick]:
        for index in range(len(self._keys)):
            yield self[index]

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels alone, in rank order."""
        return tuple(key[SCORE_LEN:].decode("utf-8") for key in self._keys)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PickList):
            return self._first_rank == other._first_rank and self._keys == other._keys
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._first_rank, self._keys))

    def __repr__(self) -> str:
        shown = ", ".join(repr(pick) for pick in self[:3])
        more = f", … {len(self) - 3} more" if len(self) > 3 else ""
        return f"PickList([{shown}{more}])"
