"""Signed checkpoints of the audit log: their form, their signature, and a later log that is
shorter than one or forks from it (both adapters)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest

from fairdraw import Checkpoint, InputError, VerificationError, log_checkpoint
from fairdraw.storage import Store, open_store, verify_log
from fairdraw.storage.checkpoint import CHECKPOINT_FORMAT, sign_checkpoint
from storage_helpers import KEY, OTHER_KEY, make_record

AT = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def notes(store: Store, count: int, text: str = "note") -> None:
    for i in range(count):
        store.append("rfb.note", {"i": i, "text": text}, actor="a", key=KEY)


def test_a_checkpoint_reads_back_and_verifies(any_store: Store, tmp_path: Path) -> None:
    notes(any_store, 3)
    checkpoint = log_checkpoint(any_store, KEY, at=AT)
    assert (checkpoint.size, checkpoint.head) == (3, any_store.entries()[-1].hash)
    assert checkpoint.body() == {
        "format": CHECKPOINT_FORMAT,
        "size": 3,
        "head": checkpoint.head,
        "time": "2026-12-02T09:30:00Z",
        "key_id": KEY.key_id,
    }
    assert Checkpoint.from_json(json.loads(checkpoint.to_bytes())) == checkpoint
    checkpoint.verify(KEY.public)
    path = checkpoint.write(tmp_path / "log-checkpoint.json")
    assert Checkpoint.read(path) == checkpoint
    assert checkpoint.write(path) == path  # the same bytes again: nothing to do
    notes(any_store, 1)
    later = log_checkpoint(any_store, KEY, at=AT)
    with pytest.raises(InputError, match="never overwritten"):
        later.write(path)
    assert Checkpoint.read(path) == checkpoint
    assert any_store.verify_chain(KEY.public, checkpoints=[checkpoint, later]) == 4


def test_an_empty_log_has_a_checkpoint(any_store: Store) -> None:
    empty = log_checkpoint(any_store, KEY, at=AT)
    assert (empty.size, empty.head) == (0, "0" * 64)
    notes(any_store, 1)
    assert any_store.verify_chain(KEY.public, checkpoints=[empty]) == 1


def test_a_tampered_checkpoint_fails(any_store: Store) -> None:
    notes(any_store, 3)
    checkpoint = log_checkpoint(any_store, KEY, at=AT)
    moved = attrs.evolve(checkpoint, size=2, head=any_store.entries()[1].hash)
    with pytest.raises(VerificationError, match="log-checkpoint signature does not verify"):
        any_store.verify_chain(KEY.public, checkpoints=[moved])
    with pytest.raises(VerificationError, match=r"signed by key .* not by the office key"):
        checkpoint.verify(OTHER_KEY.public)
    forged = attrs.evolve(
        checkpoint, signature=OTHER_KEY.sign("log-checkpoint", checkpoint.body()).hex()
    )
    with pytest.raises(VerificationError, match="signature does not verify"):
        any_store.verify_chain(checkpoints=[forged])  # the key the database remembers
    stranger = sign_checkpoint(OTHER_KEY, 3, checkpoint.head, AT)
    with pytest.raises(VerificationError, match="signed nothing in this database"):
        any_store.verify_chain(checkpoints=[stranger])


def test_a_checkpoint_from_the_future_fails(any_store: Store) -> None:
    notes(any_store, 3)
    checkpoint = log_checkpoint(any_store, KEY, at=AT)
    future = Checkpoint.from_json(
        {
            **checkpoint.to_json(),
            "size": 7,
            "signature": KEY.sign("log-checkpoint", {**checkpoint.body(), "size": 7}).hex(),
        }
    )
    with pytest.raises(
        VerificationError,
        match=r"the log has 3 entries, the checkpoint of 2026-12-02 17:30:00 Beijing time says "
        r"7: entries were deleted",
    ):
        any_store.verify_chain(KEY.public, checkpoints=[future])


def test_a_rewritten_log_forks_from_its_checkpoint(tmp_path: Path) -> None:
    """With the office key, the log can be written again from scratch, as long as before, and
    every table agrees with it: only the published checkpoint tells."""
    with open_store(tmp_path / "first.db") as first:
        first.finalise(make_record("2026-05"), actor="a", key=KEY)
        notes(first, 2)
        published = log_checkpoint(first, KEY, at=AT)
    with open_store(tmp_path / "second.db") as second:
        second.finalise(make_record("2026-05"), actor="a", key=KEY)
        notes(second, 2, text="written again")
        assert second.verify_chain(KEY.public) == 3
        with pytest.raises(
            VerificationError,
            match=r"the log forks from the checkpoint of 2026-12-02 17:30:00 Beijing time at "
            r"entry 3",
        ):
            second.verify_chain(KEY.public, checkpoints=[published])
        with pytest.raises(VerificationError, match="forks"):
            verify_log(second.entries(), KEY.public, [published])


@pytest.mark.parametrize(
    ("change", "member"),
    [
        ({"format": "fairdraw/log-checkpoint/v0"}, "format"),
        ({"size": -1}, "size"),
        ({"size": True}, "size"),
        ({"head": "AB" * 32}, "head"),
        ({"key_id": "00"}, "key_id"),
        ({"signature": "zz" * 64}, "signature"),
        ({"time": "yesterday"}, "time"),
        ({"extra": 1}, "unknown members"),
    ],
)
def test_a_malformed_checkpoint_is_refused(change: dict[str, object], member: str) -> None:
    good = {
        "format": CHECKPOINT_FORMAT,
        "size": 1,
        "head": "ab" * 32,
        "time": "2026-12-02T09:30:00Z",
        "key_id": KEY.key_id,
        "signature": "00" * 64,
    }
    with pytest.raises(InputError, match=f"cp.json: .*{member}"):
        Checkpoint.from_json({**good, **change}, "cp.json")
