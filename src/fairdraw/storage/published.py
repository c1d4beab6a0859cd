"""A stored document published with the signed audit log entry that logged it (audit log spec
v1, section 8), so that anyone holding the office's public key can check, without the
database, that the office signed exactly this body into its log, when, and as what.

The published form is the entry's export form (section 3) with the body beside it::

    {"entry": {"seq": 41, "previous": "…", "time": "…", "actor": "第1组", "kind": "document",
               "payload": {"kind": "inspection.result", "subject": "…", "draw_id": "…",
                           "body_hash": "…"}},
     "hash": "…", "key_id": "…", "signature": "…",
     "body": {"category": "未发现问题", …}}

A result logged under schema v1 (entry kind ``inspection.result``, spec §6) carries beside its
body the text its hash was taken over, ``body_text``, which must read as the body.

What it proves: the office's key signed this entry, and the body is the one whose hash the entry
holds. What it does not: that no later correction exists (a newer document of the same kind and
subject); a publication shows every one it has, and the log's checkpoint shows how long the log
was.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from fairdraw.errors import InputError, StorageError, VerificationError
from fairdraw.i18n import _
from fairdraw.signing import PublicKey
from fairdraw.storage.log import LogEntry, check_entry
from fairdraw.storage.models import Document, document_hash

if TYPE_CHECKING:
    from fairdraw.storage.base import Store

__all__ = ["published_documents", "read_published_document"]


def published_documents(store: Store, documents: Iterable[Document]) -> list[dict[str, Any]]:
    """Each of ``documents`` (read from ``store``) in its published form.

    Raises:
        StorageError: a document's log entry is not in the store's log.
    """
    wanted = list(documents)
    if not wanted:
        return []
    logged = {e.seq: e for e in store.entries() if e.kind in ("document", LEGACY_KIND)}
    published = []
    for document in wanted:
        entry = logged.get(document.seq)
        if entry is None:
            raise StorageError(
                _("document {seq} has no entry in the audit log").format(seq=document.seq)
            )
        form = {**entry.to_json(), "body": dict(document.body)}
        if document.hash_format == "legacy-json-sorted":  # the text its hash was taken over
            form["body_text"] = json.dumps(dict(document.body), ensure_ascii=False, sort_keys=True)
        published.append(form)
    return published


LEGACY_KIND = "inspection.result"
"""The entry kind of an inspection result logged under schema v1 (audit log spec §6)."""


def _legacy(item: LogEntry, data: Mapping[str, Any], where: str) -> Document:
    """A schema v1 result: its hash is over the text beside it (``body_text``), which must read
    as the body."""
    payload = item.payload
    text = data.get("body_text")
    names = ("draw_id", "object_id", "result_hash")
    if not isinstance(text, str) or not all(isinstance(payload.get(n), str) for n in names):
        raise VerificationError(
            _("{where}: a schema v1 result without its text or its hash").format(where=where)
        )
    digest = hashlib.sha256(text.encode()).hexdigest()
    if not hmac.compare_digest(digest, payload["result_hash"]):
        raise VerificationError(
            _("{where}: the text beside it is not the one it logged").format(where=where)
        )
    try:
        same = json.loads(text) == dict(data["body"])
    except ValueError:
        same = False
    if not same:
        raise VerificationError(
            _("{where}: the body beside it is not its logged text").format(where=where)
        )
    return Document(
        seq=item.seq,
        time=item.time,
        actor=item.actor,
        kind=LEGACY_KIND,
        subject=payload["object_id"],
        draw_id=payload["draw_id"],
        body=dict(data["body"]),
        body_hash=digest,
        hash_format="legacy-json-sorted",
    )


def read_published_document(data: object, public_key: PublicKey) -> Document:
    """Check a published document against the office's key; return it.

    Raises:
        InputError: it is not a published document (a member missing or mistyped).
        VerificationError: its entry's hash or signature does not verify, the entry logs no
            document, or the body is not the one it logged (a schema v1 result: the text
            ``body_text`` beside it, which must read as the body, is not).
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("body"), Mapping):
        raise InputError(_("not a published document: no entry, or no body beside it"))
    item = LogEntry.from_json(data)
    check_entry(item, public_key)
    payload = item.payload
    where = _("audit log entry {seq}").format(seq=item.seq)
    if item.kind == LEGACY_KIND:
        return _legacy(item, data, where)
    if item.kind != "document" or not all(
        isinstance(payload.get(name), str) for name in ("kind", "subject", "body_hash")
    ):
        raise VerificationError(_("{where}: it logs no document").format(where=where))
    draw_id = payload.get("draw_id")
    if draw_id is not None and not isinstance(draw_id, str):
        raise VerificationError(_("{where}: its draw id is not text").format(where=where))
    body = dict(data["body"])
    try:
        body_hash = document_hash(body)
    except InputError as err:
        raise VerificationError(
            _("{where}: its body cannot be hashed: {err}").format(where=where, err=err)
        ) from err
    if not hmac.compare_digest(body_hash, payload["body_hash"]):
        raise VerificationError(
            _("{where}: the body beside it is not the one it logged").format(where=where)
        )
    return Document(
        seq=item.seq,
        time=item.time,
        actor=item.actor,
        kind=payload["kind"],
        subject=payload["subject"],
        draw_id=draw_id,
        body=body,
        body_hash=body_hash,
    )
