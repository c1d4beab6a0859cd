"""The publication's signed manifest (``manifest.json``): every file of a month's publication
with its SHA-256 and size, signed by the office, so that a file changed, added or removed after
publication is caught, and named.

::

    {"format": "rfb-publication-manifest/1", "draw_id": "xicheng-rfb-2026-12",
     "month": "2026-12", "published": "2026-12-28T02:00:00Z",
     "files": [{"path": "assignment.json", "sha256": "9f…", "size": 1234}, …],
     "office_key": {"algorithm": "ed25519", "public_key": "…", "key_id": "…"},
     "signature": "…"}

The signature is Ed25519 by the office key over ``"fairdraw/v1/rfb-publication-manifest" 0x00 ‖
JCS(the manifest without "signature")``; the key must be the one the record is signed with (the
record's own check **office key** says whether that is the office's). Paths use ``/``, sorted;
every file of the folder is listed but the manifest itself and ``verify.html``, which carries the
manifest (a file cannot carry its own hash): the browser page checks the manifest's signature
and the files it is given.

What it proves: the files are the ones the office signed when it published them. What it does
not: that the office published the right results. The draw, the groups and the assignment are
checked against the record (:mod:`rfb_policy.publish.verify`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fairdraw import Check, FairdrawError, OfficeKey, PublicKey, read_json, shown_time
from rfb_policy.i18n import _

__all__ = [
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "MANIFEST_TAG",
    "UNLISTED",
    "check_manifest",
    "manifest_json",
]

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "rfb-publication-manifest/1"
MANIFEST_TAG = "rfb-publication-manifest"
UNLISTED = frozenset({MANIFEST_NAME, "verify.html"})
"""The files of a publication its manifest does not list."""


def manifest_json(
    files: Mapping[str, bytes], *, draw_id: str, month: str, key: OfficeKey, published: str
) -> dict[str, Any]:
    """The signed manifest of a publication's ``files`` (path → bytes; the unlisted ones are
    left out)."""
    body: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "draw_id": draw_id,
        "month": month,
        "published": published,
        "files": [
            {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for path, data in sorted(files.items())
            if path not in UNLISTED
        ],
        "office_key": key.public.to_json(),
    }
    return {**body, "signature": key.sign(MANIFEST_TAG, body).hex()}


def _fail(name: str, detail: str) -> list[Check]:
    return [Check(name, "failed", detail)]


def check_manifest(folder: Path, *, draw_id: str, month: str, key_id: str) -> list[Check]:
    """The checks ``manifest`` (present, of this draw and month, signed by the record's key
    ``key_id``) and ``manifest.files`` (every listed file there with its hash, and no other)."""
    path = folder / MANIFEST_NAME
    if not path.exists():
        return _fail(
            "manifest",
            _("no {file}: the publication's files cannot be checked").format(file=MANIFEST_NAME),
        )
    try:
        manifest = read_json(path, _("publication manifest"))
        entries = _entries(manifest)
        signer = PublicKey.from_hex(str(manifest["office_key"]["public_key"]))
    except (FairdrawError, KeyError, TypeError, ValueError) as err:
        return _fail(
            "manifest", _("{file} is malformed: {error}").format(file=MANIFEST_NAME, error=err)
        )
    if manifest.get("draw_id") != draw_id or manifest.get("month") != month:
        return _fail(
            "manifest",
            _("{file} is the manifest of another draw or month").format(file=MANIFEST_NAME),
        )
    if signer.key_id != key_id:
        return _fail(
            "manifest",
            _("{file} is signed by another key than the record").format(file=MANIFEST_NAME),
        )
    body = {k: v for k, v in manifest.items() if k != "signature"}
    try:
        signer.verify(MANIFEST_TAG, body, bytes.fromhex(str(manifest.get("signature"))))
    except (FairdrawError, ValueError) as err:
        return _fail("manifest", _("{file}: {error}").format(file=MANIFEST_NAME, error=err))
    checks = [
        Check(
            "manifest",
            "passed",
            _("{count} file(s) listed, signed by key {key}… on {time}").format(
                count=len(entries), key=key_id[:16], time=shown_time(str(manifest.get("published")))
            ),
        )
    ]
    return [*checks, _files_check(folder, entries)]


def _entries(manifest: Any) -> dict[str, tuple[str, int]]:
    """The listed files: path → (SHA-256, size)."""
    if not isinstance(manifest, Mapping) or manifest.get("format") != MANIFEST_FORMAT:
        raise ValueError(_("not an {format} file").format(format=MANIFEST_FORMAT))
    found = {}
    for entry in manifest["files"]:
        name = str(entry["path"])
        if name.startswith("/") or ".." in name.split("/") or name in found:
            raise ValueError(_("the path {path} is not one file of the folder").format(path=name))
        found[name] = (str(entry["sha256"]), int(entry["size"]))
    return found


def _files_check(folder: Path, entries: Mapping[str, tuple[str, int]]) -> Check:
    changed, missing = [], []
    for name, (digest, size) in sorted(entries.items()):
        file = folder / name
        if not file.is_file():
            missing.append(name)
            continue
        data = file.read_bytes()
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            changed.append(name)
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    unlisted = sorted(present - set(entries) - UNLISTED)
    if not (changed or missing or unlisted):
        return Check(
            "manifest.files",
            "passed",
            _("all {count} file(s) as signed").format(count=len(entries)),
        )
    problems = [
        what.format(files=", ".join(names))
        for what, names in (
            (_("changed since it was signed: {files}"), changed),
            (_("missing: {files}"), missing),
            (_("not in the manifest: {files}"), unlisted),
        )
        if names
    ]
    return Check("manifest.files", "failed", "; ".join(problems))
