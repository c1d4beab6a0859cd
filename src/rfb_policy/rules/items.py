"""The 抽查事项清单: the office's inspection items, as a versioned data file (rule R1, R2).

Which items are drawn at random, and why the others are not, is data: putting an excluded item
back is an edit of ``data/items.json`` (with its reason removed), never a code change. An item
left out of the draw without a stated reason is an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from fairdraw import InputError, parse_rate
from rfb_policy.errors import CatalogueError
from rfb_policy.i18n import _

__all__ = ["CATALOGUE_FORMAT", "Catalogue", "Item"]

CATALOGUE_FORMAT = "rfb-items/1"


@attrs.frozen(kw_only=True)
class Item:
    """One inspection item of the 抽查事项清单.

    Attributes:
        code: a short stable code (``QUAL``, ``MAINT``, ``USE``, ``COMM`` …).
        name: the item's official name.
        random: whether it is inspected by 双随机 draw.
        exclusion_reason: why it is not drawn (required exactly when ``random`` is false).
        legal_basis: the laws and articles it rests on.
        subject: who inspects (抽查主体).
        object_type: what is inspected (抽查对象).
        content: what is checked (抽查内容).
        method: how (抽查方式).
        ratio: the share inspected per year, exact (``3/20``), for random items.
        frequency: how often, in words.
        category: 重点 or 一般.
        confidential_total: whether the item's population size is secret (数量涉密).
    """

    code: str
    name: str
    random: bool
    exclusion_reason: str | None
    legal_basis: tuple[str, ...]
    subject: str
    object_type: str
    content: str
    method: str
    ratio: Fraction | None
    frequency: str | None
    category: str
    confidential_total: bool

    def to_public_json(self) -> dict[str, Any]:
        """The item as the office publishes it (the ratio as a percentage)."""
        return {
            "code": self.code,
            "name": self.name,
            "random": self.random,
            "exclusion_reason": self.exclusion_reason,
            "legal_basis": list(self.legal_basis),
            "subject": self.subject,
            "object_type": self.object_type,
            "content": self.content,
            "method": self.method,
            "ratio": None if self.ratio is None else f"{float(self.ratio * 100):g}%",
            "frequency": self.frequency,
            "category": self.category,
        }


def _field(entry: Mapping[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = entry.get(name)
    if not isinstance(value, kind):
        raise CatalogueError(
            _("{where}: field {name} is missing or not of type {type}").format(
                where=where, name=name, type=getattr(kind, "__name__", kind)
            )
        )
    return value


def _item(entry: Any, where: str) -> Item:
    if not isinstance(entry, Mapping):
        raise CatalogueError(_("{where}: an item is a JSON object").format(where=where))
    random = _field(entry, "random", bool, where)
    reason = entry.get("exclusion_reason")
    if not random and not (isinstance(reason, str) and reason.strip()):
        raise CatalogueError(
            _(
                "{where}: item {code} is left out of the draw without a reason; write the reason "
                "in exclusion_reason"
            ).format(where=where, code=entry.get("code"))
        )
    if random and reason is not None:
        raise CatalogueError(
            _("{where}: a random item has no exclusion_reason").format(where=where)
        )
    ratio_text = entry.get("ratio")
    if random and not isinstance(ratio_text, str):
        raise CatalogueError(
            _("{where}: a random item needs its ratio, e.g. 15%").format(where=where)
        )
    try:
        ratio = parse_rate(ratio_text) if isinstance(ratio_text, str) else None
    except InputError as err:
        raise CatalogueError(
            _("{where}: field ratio: {error}").format(where=where, error=err)
        ) from err
    basis = _field(entry, "legal_basis", list, where)
    if not basis or not all(isinstance(b, str) and b.strip() for b in basis):
        raise CatalogueError(_("{where}: legal_basis lists at least one law").format(where=where))
    category = _field(entry, "category", str, where)
    if category not in {"重点", "一般"}:
        raise CatalogueError(
            _("{where}: category is {key} or {general}, not {category}").format(
                where=where, key="重点", general="一般", category=category
            )
        )
    return Item(
        code=_field(entry, "code", str, where),
        name=_field(entry, "name", str, where),
        random=random,
        exclusion_reason=reason,
        legal_basis=tuple(basis),
        subject=_field(entry, "subject", str, where),
        object_type=_field(entry, "object_type", str, where),
        content=_field(entry, "content", str, where),
        method=_field(entry, "method", str, where),
        ratio=ratio,
        frequency=entry.get("frequency"),
        category=category,
        confidential_total=bool(entry.get("confidential_total", False)),
    )


@attrs.frozen
class Catalogue:
    """The item catalogue: its version and its items, in published order."""

    version: str
    items: tuple[Item, ...]

    @classmethod
    def bundled(cls) -> Catalogue:
        """The catalogue shipped with rfb_policy (``data/items.json``)."""
        text = (resources.files("rfb_policy.data") / "items.json").read_text(encoding="utf-8")
        return cls.from_json(json.loads(text), where="rfb_policy/data/items.json")

    @classmethod
    def from_file(cls, path: str | Path) -> Catalogue:
        """Read a catalogue file.

        Raises:
            CatalogueError: the file is unreadable or a field is wrong (file and item named).
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise CatalogueError(
                _("{path}: cannot read the item catalogue: {error}").format(path=path, error=err)
            ) from err
        return cls.from_json(data, where=str(path))

    @classmethod
    def from_json(cls, data: Any, *, where: str = "<catalogue>") -> Catalogue:
        """Build from parsed JSON; see :meth:`from_file`."""
        if not isinstance(data, Mapping) or data.get("format") != CATALOGUE_FORMAT:
            raise CatalogueError(
                _("{where}: not an item catalogue ({format})").format(
                    where=where, format=CATALOGUE_FORMAT
                )
            )
        entries = data.get("items")
        if not isinstance(entries, list) or not entries:
            raise CatalogueError(_("{where}: the catalogue lists no items").format(where=where))
        items = tuple(
            _item(e, _("{where}, item {number}").format(where=where, number=n))
            for n, e in enumerate(entries, start=1)
        )
        codes = [i.code for i in items]
        if len(set(codes)) != len(codes):
            raise CatalogueError(_("{where}: item codes repeat").format(where=where))
        return cls(version=str(data.get("version", "")), items=items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __getitem__(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def random_items(self) -> tuple[Item, ...]:
        """The items inspected by 双随机 draw."""
        return tuple(i for i in self.items if i.random)

    @property
    def excluded_items(self) -> tuple[Item, ...]:
        """The items left out of the draw, each with its reason."""
        return tuple(i for i in self.items if not i.random)
