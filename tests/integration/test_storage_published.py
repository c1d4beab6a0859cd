"""A stored document published with the audit-log entry that logged it (audit log spec §8),
checked without the database: on both adapters, and for a schema v1 result."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import attrs
import pytest
from test_storage_integrity import LEGACY_RESULT, V1SQLiteStore, fill_v1

from fairdraw import (
    InputError,
    StorageError,
    VerificationError,
    published_documents,
    read_published_document,
)
from fairdraw.storage import SQLiteStore, Store
from storage_helpers import KEY, OTHER_KEY, make_record

BODY = {"category": "发现问题已责令改正", "penalty_amount": 5000, "late": False}


def published_one(store: Store) -> dict[str, Any]:
    store.finalise(make_record("d-1"), actor="officer", key=KEY)
    kept = store.add_document(
        "inspection.result", "obj-1", BODY, actor="第1组", key=KEY, draw_id="d-1"
    )
    (form,) = published_documents(store, [kept])
    return form


def test_a_published_document_checks_out_against_the_office_key(any_store: Store) -> None:
    form = published_one(any_store)
    assert set(form) == {"entry", "hash", "key_id", "signature", "body"}
    document = read_published_document(form, KEY.public)
    assert (document.kind, document.subject, document.draw_id, dict(document.body)) == (
        "inspection.result", "obj-1", "d-1", BODY,
    )  # fmt: skip
    assert document == any_store.documents("inspection.result")[-1]
    assert published_documents(any_store, []) == []


def tampered(form: dict[str, Any], change: str) -> dict[str, Any]:
    value = copy.deepcopy(form)
    if change == "body":
        value["body"]["penalty_amount"] = 200
    elif change == "subject":
        value["entry"]["payload"]["subject"] = "obj-2"
    elif change == "time":
        value["entry"]["time"] = "2020-01-01T00:00:00Z"
    elif change == "signature":
        value["signature"] = value["signature"][:-2] + (
            "00" if value["signature"][-2:] != "00" else "11"
        )
    elif change == "key":
        value["key_id"] = OTHER_KEY.public.key_id
    return value


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("body", "the body beside it is not the one it logged"),
        ("subject", "its content is not the one its hash was taken over"),
        ("time", "its content is not the one its hash was taken over"),
        ("signature", "does not verify"),
        ("key", "signed by another key"),
    ],
)
def test_a_changed_published_document_fails(tmp_path: Path, change: str, words: str) -> None:
    with SQLiteStore.open(tmp_path / "s.db") as store:
        form = published_one(store)
    with pytest.raises(VerificationError, match=words):
        read_published_document(tampered(form, change), KEY.public)


def test_another_key_and_malformed_forms(tmp_path: Path) -> None:
    with SQLiteStore.open(tmp_path / "s.db") as store:
        form = published_one(store)
        population_entry = store.entries()[0].to_json()
    with pytest.raises(VerificationError, match="another key"):
        read_published_document(form, OTHER_KEY.public)
    with pytest.raises(InputError):
        read_published_document({"entry": form["entry"]}, KEY.public)  # no body
    with pytest.raises(VerificationError, match="logs no document"):
        read_published_document({**population_entry, "body": {}}, KEY.public)


def test_a_schema_v1_result_is_published_with_its_text(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    with V1SQLiteStore.open(path) as v1:
        fill_v1(v1)
    with SQLiteStore.open(path) as store:
        (legacy,) = store.documents("inspection.result")
        (form,) = published_documents(store, [legacy])
    assert form["entry"]["kind"] == "inspection.result" and "body_text" in form
    document = read_published_document(form, KEY.public)
    assert (document.hash_format, dict(document.body)) == ("legacy-json-sorted", LEGACY_RESULT)
    edited = {**form, "body": {**form["body"], "score": 3.5}}
    with pytest.raises(VerificationError, match="not its logged text"):
        read_published_document(edited, KEY.public)
    with pytest.raises(VerificationError, match="text beside it"):
        read_published_document({**form, "body_text": form["body_text"] + " "}, KEY.public)


def test_a_document_whose_entry_is_missing_is_refused(tmp_path: Path) -> None:
    with SQLiteStore.open(tmp_path / "s.db") as store:
        kept = store.add_document("rfb.availability", "2026-12/科", {"a": 1}, actor="科长", key=KEY)
        ghost = attrs.evolve(kept, seq=999)
        with pytest.raises(StorageError, match="no entry in the audit log"):
            published_documents(store, [ghost])
