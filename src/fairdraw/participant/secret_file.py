"""The participant's secret on their own device: a small JSON file, mode 0600, never replaced.

A second commit would need a second secret, and a secret file overwritten before its reveal
would leave a commitment nobody can open; so :func:`save_secret` refuses an existing file.
"""

from __future__ import annotations

import hmac
import json
from pathlib import Path

import attrs

from fairdraw.errors import FairdrawError, InputError
from fairdraw.files import json_bytes, write_atomic
from fairdraw.i18n import _
from fairdraw.labels import check_label
from fairdraw.primitives import parse_hex
from fairdraw.randomness.local import MIN_SECRET_BYTES, commitment

__all__ = ["SECRET_MEDIA_TYPE", "SavedSecret", "load_secret", "save_secret"]

SECRET_MEDIA_TYPE = "application/vnd.fairdraw.participant-secret.v1+json"  # noqa: S105 (a format)
_MEMBERS = frozenset({"media_type", "draw_id", "participant", "source", "secret", "commitment"})


@attrs.frozen
class SavedSecret:
    """A participant's secret for one ``local`` source of one draw.

    Attributes:
        draw_id: the draw.
        participant: the participant's id.
        source: the ``local`` source.
        secret: the secret bytes (keep them private until the reveal).
    """

    draw_id: str
    participant: str
    source: str
    secret: bytes = attrs.field(repr=False)

    @property
    def commitment(self) -> str:
        """The hex commitment to the secret (ceremony spec v1, section 2.2)."""
        return commitment(self.draw_id, self.participant, self.secret).hex()


def save_secret(
    path: str | Path, draw_id: str, participant: str, source: str, secret: bytes
) -> Path:
    """Write the secret file atomically, mode 0600; refuse to replace an existing file.

    Raises:
        InputError: the file exists, or an id is not a label, or the secret is too short.
        OSError: the file cannot be written.
    """
    target = Path(path)
    if target.exists():
        raise InputError(
            _(
                "{target} exists: fairdraw never replaces a secret file (a second commit "
                "would be a second secret, and the first could never be revealed); "
                "choose another file"
            ).format(target=target)
        )
    for what, value in (("draw id", draw_id), ("participant", participant), ("source", source)):
        try:
            check_label(value)
        except InputError as err:
            raise InputError(
                _("the {what} of a secret must be a label: {err}").format(what=what, err=err)
            ) from err
    saved = SavedSecret(draw_id, participant, source, secret)
    document = {
        "media_type": SECRET_MEDIA_TYPE,
        "draw_id": draw_id,
        "participant": participant,
        "source": source,
        "secret": secret.hex(),
        "commitment": saved.commitment,
    }
    return write_atomic(target, json_bytes(document), mode=0o600)


def load_secret(path: str | Path) -> SavedSecret:
    """Read a secret file written by :func:`save_secret`.

    Raises:
        InputError: the file cannot be read, is not a participant's secret file, or its
            commitment does not match its secret (the file was changed or damaged).
    """
    target = Path(path)
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(
            _("{target}: cannot read the secret file: {err}").format(target=target, err=err)
        ) from err
    if not isinstance(data, dict) or data.get("media_type") != SECRET_MEDIA_TYPE:
        raise InputError(
            _("{target}: not a participant's secret file ({format})").format(
                target=target, format=SECRET_MEDIA_TYPE
            )
        )
    if set(data) != _MEMBERS:
        odd = sorted(set(data) ^ _MEMBERS, key=str)
        raise InputError(
            _("{target}: member {odd!r} is missing or does not belong there").format(
                target=target, odd=odd[0]
            )
        )
    try:
        secret = parse_hex(data["secret"], f"{target}: secret")
        if len(secret) < MIN_SECRET_BYTES:
            raise InputError(
                _("{target}: the secret is shorter than {minimum} bytes").format(
                    target=target, minimum=MIN_SECRET_BYTES
                )
            )
        for member in ("draw_id", "participant", "source"):
            check_label(data[member])
        saved = SavedSecret(data["draw_id"], data["participant"], data["source"], secret)
        matches = hmac.compare_digest(saved.commitment, str(data["commitment"]))
    except FairdrawError as err:
        raise InputError(
            _("{target}: a damaged secret file ({err})").format(target=target, err=err)
        ) from err
    if not matches:
        raise InputError(
            _(
                "{target}: its commitment does not match its secret: the file was "
                "changed or damaged"
            ).format(target=target)
        )
    return saved
