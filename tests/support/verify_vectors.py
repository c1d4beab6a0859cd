"""The verification vectors every verifier runs (tests/vectors/verify-*.json, written by
tests/vectors/generate_verify.py): reading them, and giving a case to the Python verifiers."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fairdraw import Population, PublicKey, Report, verification_report
from rfb_policy.publish.verify import publication_report

VECTORS = Path(__file__).parents[1] / "vectors"
RECORDS = json.loads((VECTORS / "verify-records.json").read_text(encoding="utf-8"))
PUBLICATIONS = json.loads((VECTORS / "verify-publications.json").read_text(encoding="utf-8"))


def populations(case: Mapping[str, Any]) -> dict[str, Population]:
    """A case's lists, as a verifier is given them (a confidential one with its salt)."""
    return {
        scope: Population.of(p["labels"], salt=p.get("salt") or None)
        for scope, p in case["populations"].items()
    }


def public_key(case: Mapping[str, Any]) -> PublicKey | None:
    return PublicKey.from_hex(case["public_key"]) if case["public_key"] else None


def file_bytes(case: Mapping[str, Any]) -> dict[str, bytes]:
    """A publication case's files, byte for byte (UTF-8 text, or base64), by path."""
    blobs = PUBLICATIONS["blobs"]
    return {
        name: (
            blobs[digest]["text"].encode("utf-8")
            if "text" in blobs[digest]
            else base64.b64decode(blobs[digest]["base64"])
        )
        for name, digest in case["files"].items()
    }


def file_json(case: Mapping[str, Any], name: str) -> Any:
    """One of a publication case's JSON files, parsed (None if the case has no such file)."""
    digest = case["files"].get(name)
    return None if digest is None else json.loads(PUBLICATIONS["blobs"][digest]["text"])


def write_files(case: Mapping[str, Any], folder: Path) -> Path:
    """A publication case's files, written into ``folder`` byte for byte."""
    for name, data in file_bytes(case).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def python_report(case: Mapping[str, Any], folder: Path | None = None) -> Report:
    """The Python verifier's report on a case: ``fairdraw``'s on a record, ``rfb``'s on a
    publication (whose files are written into ``folder``)."""
    if "record" in case:
        return verification_report(
            case["record"], public_key=public_key(case), populations=populations(case)
        )
    assert folder is not None
    return publication_report(
        write_files(case, folder), public_key=public_key(case), populations=populations(case)
    )


def statuses(checks: Any) -> list[tuple[str, str]]:
    """Each check's name and status, in order (from a Report's checks or the page's JSON)."""
    return [
        (c["name"], c["status"]) if isinstance(c, Mapping) else (c.name, c.status) for c in checks
    ]


def expected(case: Mapping[str, Any]) -> list[tuple[str, str]]:
    return statuses(case["expected"]["checks"])
