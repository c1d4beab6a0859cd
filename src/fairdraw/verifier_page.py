"""The browser verifier, ``verify.html``, with a draw's files embedded: one self-contained page a
citizen opens from the office's website or a downloaded folder, with nothing installed and no
network request (its source and build are in ``web/verifier``).

The page is built once, from source, and shipped in the package (``fairdraw/data/verify.html``);
this module only fills its one data element, ``<script type="application/json"
id="fairdraw-embedded">``, with the record, the office's public key and the lists, so that the
page needs nothing fetched. The JSON is escaped so that no ``<`` can end the element early.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from fairdraw.files import write_atomic
from fairdraw.population import Population

__all__ = ["PLACEHOLDER", "verifier_page", "write_verifier_page"]

PLACEHOLDER = '<script type="application/json" id="fairdraw-embedded">null</script>'
"""The page's empty data element, which :func:`verifier_page` fills."""


def _template() -> str:
    return resources.files("fairdraw.data").joinpath("verify.html").read_text(encoding="utf-8")


def verifier_page(
    record: Mapping[str, Any],
    *,
    public_key: str | None = None,
    populations: Mapping[str, Population | Sequence[str]] | None = None,
    extra: Mapping[str, Any] | None = None,
    template: str | None = None,
) -> str:
    """The page's text with ``record`` embedded.

    Args:
        record: the draw record, as parsed JSON.
        public_key: the office's public key file's text (PEM or hex), as the office publishes it.
        populations: lists by scope, checked completely by the page (a confidential list with
            its salt: only for an auditor's copy, never for publication).
        extra: further members of the embedded object (the assignment, the replaced attempts).
        template: the built page to fill (a page built with a policy's own checks, such as the
            office's ``rfb_policy/data/verify.html``); by default fairdraw's own.
    """
    lists: dict[str, Any] = {}
    for scope, population in (populations or {}).items():
        labels = list(population)
        salt = (
            population.salt.hex() if isinstance(population, Population) and population.salt else ""
        )
        lists[scope] = {"labels": labels, "salt": salt}
    data = {**(extra or {}), "record": record, "public_key": public_key, "populations": lists}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    template = _template() if template is None else template
    if template.count(PLACEHOLDER) != 1:
        raise RuntimeError("verify.html has no single embedding placeholder: rebuild the page")
    return template.replace(PLACEHOLDER, PLACEHOLDER.replace(">null<", f">{text}<"))


def write_verifier_page(out: str | Path, record: Mapping[str, Any], **given: Any) -> Path:
    """Write ``verify.html`` with ``record`` embedded into the folder ``out`` (atomically);
    ``given`` as for :func:`verifier_page`."""
    path = Path(out) / "verify.html"
    write_atomic(path, verifier_page(record, **given))
    return path
