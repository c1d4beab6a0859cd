"""The office's signed checkpoint of its audit log in each publication (``log-checkpoint.json``).

``rfb publish`` takes a checkpoint of the store's audit log (its size and head hash, signed by
the office: :func:`fairdraw.log_checkpoint`) right before it signs the manifest, which lists
it. Once published, the office cannot shorten its log or write it again from an earlier entry
without ``fairdraw log verify --checkpoint log-checkpoint.json`` (or ``rfb check-log``) failing
on its database or on any export of it.

What a citizen checks here, without the log (the check ``log.checkpoint``): the checkpoint is
signed by the key that signed the record, it was taken after the draw was finalised (its time
is not before the record's last event) and it covers at least the record's events and their
finalisation (each was an entry of the log). The log itself is checked by the office and its
auditors, against every checkpoint it ever published.
"""

from __future__ import annotations

from pathlib import Path

from fairdraw import Check, Checkpoint, DrawRecord, FairdrawError, PublicKey, shown_time
from rfb_policy.i18n import _

__all__ = ["CHECKPOINT_CHECK", "CHECKPOINT_NAME", "check_log_checkpoint"]

CHECKPOINT_NAME = "log-checkpoint.json"
CHECKPOINT_CHECK = "log.checkpoint"


def _result(passed: bool, detail: str) -> Check:
    return Check(CHECKPOINT_CHECK, "passed" if passed else "failed", detail)


def check_log_checkpoint(folder: Path, record: DrawRecord) -> Check:
    """The check ``log.checkpoint`` of the publication in ``folder`` whose record is
    ``record``."""
    path = folder / CHECKPOINT_NAME
    if not path.exists():
        return Check(
            CHECKPOINT_CHECK,
            "not checked",
            _(
                "no {file}: this publication carries no checkpoint of the office's audit log "
                "(published before rfb wrote one)"
            ).format(file=CHECKPOINT_NAME),
        )
    try:
        checkpoint = Checkpoint.read(path)
        events = record.events
        key = PublicKey.from_hex(record.announcement.office_public_key)
        last = events[-1].time
    except (FairdrawError, ValueError) as err:
        return _result(
            False, _("{file} cannot be read: {error}").format(file=CHECKPOINT_NAME, error=err)
        )
    if checkpoint.key_id != record.key_id or key.key_id != checkpoint.key_id:
        return _result(
            False,
            _("{file} is signed by another key than the record").format(file=CHECKPOINT_NAME),
        )
    try:
        checkpoint.verify(key)
    except FairdrawError as err:
        return _result(False, _("{file}: {error}").format(file=CHECKPOINT_NAME, error=err))
    if checkpoint.time < last:  # both RFC 3339 UTC with whole seconds: they sort as times
        return _result(
            False,
            _(
                "{file} was taken at {time}, before the draw's last event ({last}): it cannot "
                "vouch for the entries that stored it"
            ).format(file=CHECKPOINT_NAME, time=shown_time(checkpoint.time), last=shown_time(last)),
        )
    if checkpoint.size < len(events) + 1:
        return _result(
            False,
            _(
                "{file} covers {size} log entries, fewer than the record's {count} events and "
                "their finalisation"
            ).format(file=CHECKPOINT_NAME, size=checkpoint.size, count=len(events)),
        )
    return _result(
        True,
        _(
            "signed by the record's key on {time}: the office's audit log then had {size} "
            "entries, the newest with hash {head}…, the draw's among them; the office and its "
            "auditors check that the log still extends it (fairdraw log verify --checkpoint "
            "{file})"
        ).format(
            time=shown_time(checkpoint.time),
            size=checkpoint.size,
            head=checkpoint.head[:16],
            file=CHECKPOINT_NAME,
        ),
    )
