"""A draw's internal lists (``draws/DRAW_ID/internal/``): every scope's list, and a manifest.

The office writes each scope's list as ``SCOPE_with_underscores.txt`` and a manifest,
``lists.json``, that says which file holds which scope's list and the salt of each
confidential one::

    {"format": "rfb-internal-lists/1", "draw_id": "xicheng-rfb-2026-02",
     "lists": {"2026-02/MAINT/base": {"file": "2026-02_MAINT_base.txt", "salt": "9f…"},
               "2026-02/inspectors": {"file": "2026-02_inspectors.txt", "salt": null}}}

With it, ``rfb verify DIR --internal FOLDER`` recomputes every scope completely, the
confidential ones included. ``recusals.json`` beside it (written with the draw's files) records
each 回避 move with the officers who recused themselves (internal: the publication names only
the object and the two groups)::

    {"format": "rfb-internal-recusals/1", "draw_id": "xicheng-rfb-2026-02",
     "moves": [{"object_id": "9111…", "from_group": 1, "to_group": 2, "officers": ["京执…"]}]}
 The folder is material for the office and its auditors, never for
publication: the salts are what keep the confidential lists' digests from being guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from fairdraw import FairdrawError, Population, read_json, write_atomic, write_json
from rfb_policy.errors import InternalListsError
from rfb_policy.i18n import _

__all__ = [
    "LISTS_FORMAT",
    "LISTS_NAME",
    "RECUSALS_FORMAT",
    "RECUSALS_NAME",
    "InternalLists",
    "read_internal",
    "recusals_json",
    "write_internal",
]

LISTS_NAME = "lists.json"
LISTS_FORMAT = "rfb-internal-lists/1"
RECUSALS_NAME = "recusals.json"
RECUSALS_FORMAT = "rfb-internal-recusals/1"
_SALT = re.compile(r"[0-9a-fA-F]{64}")


@attrs.frozen
class InternalLists:
    """A draw's internal lists, as read from their folder.

    Attributes:
        manifest: the manifest file they were read from.
        draw_id: the draw the lists belong to.
        populations: every scope's list (a confidential one with its salt).
        recusals: each 回避 move with the officers who recused (``recusals.json``: the
            ``moves`` of :func:`recusals_json`), or None before the month was published.
    """

    manifest: Path
    draw_id: str
    populations: Mapping[str, Population]
    recusals: tuple[Mapping[str, Any], ...] | None = None
    recusals_draw: str | None = None

    def require_draw(self, draw_id: str) -> None:
        """Check that the lists are ``draw_id``'s.

        Raises:
            InternalListsError: they belong to another draw.
        """
        if draw_id != self.draw_id:
            raise InternalListsError(
                _("{path}: the internal lists are those of the draw {draw_id}, not {other}").format(
                    path=self.manifest, draw_id=self.draw_id, other=draw_id
                ),
                path=self.manifest,
            )
        if self.recusals is not None and self.recusals_draw != draw_id:
            path = self.manifest.with_name(RECUSALS_NAME)
            raise InternalListsError(
                _("{path}: the recusals are those of the draw {draw_id}, not {other}").format(
                    path=path, draw_id=self.recusals_draw, other=draw_id
                ),
                path=path,
            )


def list_file(scope: str) -> str:
    """The file name of a scope's list: ``2026-02/MAINT/base`` → ``2026-02_MAINT_base.txt``."""
    return scope.replace("/", "_") + ".txt"


def write_internal(
    folder: Path, draw_id: str, populations: Mapping[str, Population]
) -> dict[str, Path]:
    """Write every scope's list into ``folder``, then the manifest; return each list's path.

    Each file is written atomically, the manifest last, so a manifest always names lists
    that are there whole.
    """
    paths = {}
    entries: dict[str, dict[str, str | None]] = {}
    for scope, population in populations.items():
        paths[scope] = write_atomic(folder / list_file(scope), "\n".join(population) + "\n")
        entries[scope] = {"file": list_file(scope), "salt": population.salt.hex() or None}
    manifest = {"format": LISTS_FORMAT, "draw_id": draw_id, "lists": entries}
    write_json(folder / LISTS_NAME, manifest)
    return paths


def read_internal(folder: str | Path) -> InternalLists:
    """Read a draw's internal lists through their manifest (``FOLDER/lists.json``).

    Raises:
        InternalListsError: the manifest is missing or malformed, or a list it names is
            missing or unreadable, or its salt is not one (the message names the file).
    """
    manifest = Path(folder) / LISTS_NAME
    if not manifest.is_file():
        raise InternalListsError(
            _(
                "{path}: no manifest of internal lists here; for a draw made before it existed, "
                "run rfb export first"
            ).format(path=manifest),
            path=manifest,
        )
    try:
        data = read_json(manifest, _("manifest of internal lists"))
    except FairdrawError as err:
        raise InternalListsError(f"{manifest}: {err}", path=manifest) from err
    if not isinstance(data, Mapping) or data.get("format") != LISTS_FORMAT:
        raise _malformed(manifest, f"not an {LISTS_FORMAT} manifest")
    draw_id, lists = data.get("draw_id"), data.get("lists")
    if not isinstance(draw_id, str) or not draw_id or not isinstance(lists, Mapping):
        raise _malformed(manifest, "it needs a draw_id and a table of lists")
    populations = {
        scope: _population(manifest, scope, entry) for scope, entry in sorted(lists.items())
    }
    recusals, recusals_draw = _recusals(manifest.parent)
    return InternalLists(manifest, draw_id, populations, recusals, recusals_draw)


def recusals_json(draw_id: str, moves: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The ``recusals.json`` of a draw: each move (``object_id``, ``from_group``, ``to_group``,
    ``officers``)."""
    return {"format": RECUSALS_FORMAT, "draw_id": draw_id, "moves": [dict(m) for m in moves]}


def _recusals(folder: Path) -> tuple[tuple[Mapping[str, Any], ...] | None, str | None]:
    """The moves recusals.json records, and the draw it names (None, None: no file)."""
    path = folder / RECUSALS_NAME
    if not path.exists():
        return None, None
    try:
        data = read_json(path, _("internal recusals"))
    except FairdrawError as err:
        raise InternalListsError(f"{path}: {err}", path=path) from err
    moves = data.get("moves") if isinstance(data, Mapping) else None
    if (
        not isinstance(data, Mapping)
        or data.get("format") != RECUSALS_FORMAT
        or not isinstance(data.get("draw_id"), str)
        or not isinstance(moves, list)
        or not all(isinstance(m, Mapping) for m in moves)
    ):
        raise InternalListsError(
            _("{path}: not a {format} file").format(path=path, format=RECUSALS_FORMAT),
            path=path,
        )
    return tuple(moves), str(data["draw_id"])


def _population(manifest: Path, scope: str, entry: Any) -> Population:
    """One scope's list, read from the file its manifest entry names."""
    name = entry.get("file") if isinstance(entry, Mapping) else None
    salt = entry.get("salt") if isinstance(entry, Mapping) else None
    if not isinstance(name, str) or Path(name).name != name or name in {"", ".", ".."}:
        raise _malformed(
            manifest, _("the list of {scope} needs a file name in this folder").format(scope=scope)
        )
    if salt is not None and not (isinstance(salt, str) and _SALT.fullmatch(salt)):
        raise _malformed(
            manifest, _("the salt of {scope} must be 32 bytes in hex, or null").format(scope=scope)
        )
    path = manifest.parent / name
    if not path.is_file():
        raise InternalListsError(
            _("{path}: the list of {scope} that {manifest} names is missing").format(
                path=path, scope=scope, manifest=manifest.name
            ),
            path=path,
        )
    try:
        return Population.of(
            path.read_text(encoding="utf-8").removesuffix("\n").split("\n"), salt=salt
        )
    except (FairdrawError, UnicodeDecodeError) as err:  # a label the draw rules refuse
        raise InternalListsError(
            _("{path}: the list of {scope} cannot be read: {error}").format(
                path=path, scope=scope, error=err
            ),
            path=path,
        ) from err


def _malformed(manifest: Path, problem: str) -> InternalListsError:
    return InternalListsError(
        _("{path}: a malformed manifest of internal lists: {problem}").format(
            path=manifest, problem=problem
        ),
        path=manifest,
    )
