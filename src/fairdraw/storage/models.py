"""The typed things a store hands back: a tool's documents, snapshots, finalised draws, approvals.

Programs built on fairdraw read the store through these frozen types and the store's typed
queries, never by the audit log's entry kinds or the nested keys of its payloads, so that the
log can grow without every caller learning it anew.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs

from fairdraw.canonical import canonical_json
from fairdraw.errors import InputError
from fairdraw.i18n import _

__all__ = [
    "DOCUMENT_TAG",
    "HASH_FORMATS",
    "Approval",
    "Document",
    "FinalisedDraw",
    "Snapshot",
    "attributes_hash",
    "check_document",
    "document_hash",
]

DOCUMENT_TAG = b"fairdraw/v1/document\x00"
ATTRIBUTES_TAG = b"fairdraw/v1/attributes\x00"

HASH_FORMATS = ("jcs-sha256", "legacy-json-sorted")
"""How a document's ``body_hash`` was computed: ``jcs-sha256`` is :func:`document_hash`;
``legacy-json-sorted`` is the SHA-256 of Python's ``json.dumps(sort_keys=True,
ensure_ascii=False)``, used by schema v1's inspection results (kept, never written anew)."""

_KIND = re.compile(r"[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+")


def document_hash(body: Mapping[str, Any]) -> str:
    """``H("fairdraw/v1/document" 0x00 ‖ JCS(body))`` in hex: what a ``document`` entry logs.

    Raises:
        InputError: the body holds something canonical JSON cannot say (a float …).
    """
    return hashlib.sha256(DOCUMENT_TAG + canonical_json(dict(body))).hexdigest()


def attributes_hash(attributes: Mapping[str, Any]) -> str:
    """``H("fairdraw/v1/attributes" 0x00 ‖ JCS(attributes))`` in hex: what a
    ``population.snapshot`` entry logs of a snapshot's per-label attributes.

    Raises:
        InputError: the attributes hold something canonical JSON cannot say (a float …).
    """
    return hashlib.sha256(ATTRIBUTES_TAG + canonical_json(dict(attributes))).hexdigest()


def check_document(kind: str, subject: str, body: object) -> bytes:
    """Check a new document's kind, subject and body; return the body's canonical bytes.

    Raises:
        InputError: the kind is not a namespaced name (``inspection.result``), the subject is
            empty, or the body is not a JSON object that canonical JSON can say.
    """
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise InputError(
            _(
                "a document kind is a namespaced name in lower case, such as "
                "'inspection.result' or 'rfb.availability', not {kind!r}"
            ).format(kind=kind)
        )
    if not isinstance(subject, str) or not subject.strip():
        raise InputError(
            _("a {kind} document names its subject (an object id, a month …)").format(kind=kind)
        )
    if not isinstance(body, Mapping):
        raise InputError(
            _("the body of a {kind} document is a JSON object, not {type}").format(
                kind=kind, type=type(body)
            )
        )
    try:
        return canonical_json(dict(body))
    except InputError as err:
        raise InputError(
            _("the body of the {kind} document about {subject!r}: {err}").format(
                kind=kind, subject=subject, err=err
            )
        ) from err


def _frozen(body: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(body))


@attrs.frozen
class Document:
    """One of a tool's own documents, as stored: append-only, its hash signed in the audit log.

    A correction is a new document of the same kind and subject; the history stays, and the
    newest one counts.

    Attributes:
        seq: its audit log entry.
        time: when it was stored (RFC 3339, UTC), from that entry.
        actor: who stored it, from that entry.
        kind: the tool's namespaced name for it (``inspection.result``).
        subject: what it is about (an object id, ``2026-12/工程管理科`` …).
        draw_id: the finalised draw it belongs to, or None.
        body: the document itself (a read-only mapping).
        body_hash: the hash its log entry holds (hex).
        hash_format: ``jcs-sha256`` (:func:`document_hash`), or ``legacy-json-sorted`` for the
            inspection results stored under schema v1 (``record_result``).
    """

    seq: int
    time: str
    actor: str
    kind: str
    subject: str
    draw_id: str | None
    body: Mapping[str, Any] = attrs.field(converter=_frozen)
    body_hash: str
    hash_format: str = attrs.field(
        default="jcs-sha256", validator=attrs.validators.in_(HASH_FORMATS)
    )

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Document:
        """Read a stored row: the ``documents`` columns, ``body`` as JSON text, and its log
        entry's ``time`` and ``actor``."""
        return cls(
            seq=row["log_seq"],
            time=row["time"],
            actor=row["actor"],
            kind=row["kind"],
            subject=row["subject"],
            draw_id=row["draw_id"],
            body=json.loads(row["body"]),
            body_hash=row["body_hash"],
            hash_format=row["hash_format"],
        )


@attrs.frozen
class Snapshot:
    """A stored population snapshot (the labels themselves: :meth:`Store.population`).

    Attributes:
        name: the name it was saved under (``2026-05/MAINT``).
        digest: the population digest (hex).
        size: how many labels.
        salted: whether it is a confidential (salted) list.
        seq: its audit log entry.
        time: when it was saved (RFC 3339, UTC).
    """

    name: str
    digest: str
    size: int
    salted: bool
    seq: int
    time: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Snapshot:
        """Read a stored ``populations`` row with its log entry's ``time``."""
        return cls(
            name=row["name"],
            digest=row["digest"],
            size=row["size"],
            salted=bool(row["salt"]),
            seq=row["log_seq"],
            time=row["time"],
        )


@attrs.frozen
class FinalisedDraw:
    """A finalised draw record, in brief (the record itself: :meth:`Store.draw_record`).

    Attributes:
        draw_id: the draw's id.
        status: ``drawn`` or ``aborted``.
        supersedes: the aborted draw this one replaces, or None.
        scopes: the announced scope names, in announced order (also for an aborted draw).
        seq: its ``draw.finalised`` audit log entry.
        time: when it was finalised (RFC 3339, UTC).
    """

    draw_id: str
    status: Literal["drawn", "aborted"]
    supersedes: str | None
    scopes: tuple[str, ...]
    seq: int
    time: str

    @property
    def drawn(self) -> bool:
        """Whether the draw was made (not aborted)."""
        return self.status == "drawn"


@attrs.frozen
class Approval:
    """A leader's recorded confirmation (or rejection) of a finalised draw.

    Attributes:
        seq: its audit log entry.
        time: when it was recorded (RFC 3339, UTC).
        approver: who decided (the leader in charge).
        role: their role (主管领导).
        decision: ``approved`` or ``rejected``.
        note: what they said.
        actor: who recorded it.
    """

    seq: int
    time: str
    approver: str
    role: str
    decision: Literal["approved", "rejected"]
    note: str
    actor: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Approval:
        """Read a stored ``approvals`` row with its log entry's ``time`` and ``actor``."""
        return cls(
            seq=row["log_seq"],
            time=row["time"],
            approver=row["approver"],
            role=row["role"],
            decision=row["decision"],
            note=row["note"],
            actor=row["actor"],
        )
