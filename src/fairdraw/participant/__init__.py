"""Participants who hold their own Ed25519 key (ceremony spec v2, section 3).

A witness, a notary, the leader or a representative of the inspected businesses makes signed
statements on their own device, so the office never sees their secret before the reveal::

    from fairdraw.participant import ParticipantKey, make_commit, new_secret, save_secret

    key = ParticipantKey.generate()      # the same Ed25519 key class as the office's
    secret = new_secret()
    signed = make_commit(key, announcement_event, "notary", "notary-secret", secret)
    save_secret("secret.json", draw_id, "notary", "notary-secret", secret)

The office reads what it is handed with :func:`read_statement`, checks it with
:func:`verify_statement` against the key its announcement gives the participant, and records
:func:`body_of` as the event body; a verifier checks a recorded body with :func:`verify_body`.
"""

from fairdraw.participant.device import (
    EVENT_MEDIA_TYPES,
    announced_key,
    check_office_events,
    make_commit,
    make_dice,
    make_reveal,
    make_witness,
)
from fairdraw.participant.secret_file import (
    SECRET_MEDIA_TYPE,
    SavedSecret,
    load_secret,
    save_secret,
)
from fairdraw.participant.statement import (
    ACTS,
    STATEMENT_MEDIA_TYPE,
    STATEMENT_TAG,
    Statement,
    body_of,
    check_statement_shape,
    read_statement,
    sign_statement,
    statement_base64,
    statement_of,
    verify_body,
    verify_statement,
)
from fairdraw.randomness.local import new_secret
from fairdraw.signing import OfficeKey, PublicKey

ParticipantKey = OfficeKey
"""A participant's Ed25519 key: the same class as the office's (generate, sign, save, load)."""

__all__ = [
    "ACTS",
    "EVENT_MEDIA_TYPES",
    "SECRET_MEDIA_TYPE",
    "STATEMENT_MEDIA_TYPE",
    "STATEMENT_TAG",
    "ParticipantKey",
    "PublicKey",
    "SavedSecret",
    "Statement",
    "announced_key",
    "body_of",
    "check_office_events",
    "check_statement_shape",
    "load_secret",
    "make_commit",
    "make_dice",
    "make_reveal",
    "make_witness",
    "new_secret",
    "read_statement",
    "save_secret",
    "sign_statement",
    "statement_base64",
    "statement_of",
    "verify_body",
    "verify_statement",
]
