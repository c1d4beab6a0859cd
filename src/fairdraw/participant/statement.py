"""Participants' signed statements: their shape, file form, pasted forms and signature.

A participant who holds their own Ed25519 key makes *statements* on their own device (ceremony
spec v2, section 3): ``commit``, ``witness``, ``randomness`` (dice) and ``reveal``. Each is
signed over ``"fairdraw/v1/participant" 0x00 ‖ JCS(statement)`` and handed to the office as
``{"media_type", "statement", "key_id", "signature"}``, or that JSON pasted, base64- or
hex-encoded. The office records it as an event whose body is the statement without ``act`` and
``draw_id``, plus ``signature`` (:func:`body_of`); a verifier rebuilds the statement from the
event (:func:`statement_of`) and checks the signature against the announced key.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from fairdraw.canonical import canonical_json
from fairdraw.errors import FairdrawError, InputError, VerificationError
from fairdraw.i18n import _
from fairdraw.labels import check_label
from fairdraw.primitives import parse_hex
from fairdraw.randomness.local import MIN_SECRET_BYTES
from fairdraw.signing import OfficeKey, PublicKey
from fairdraw.times import parse_time

__all__ = [
    "ACTS",
    "STATEMENT_MEDIA_TYPE",
    "STATEMENT_TAG",
    "Statement",
    "body_of",
    "check_statement_shape",
    "read_statement",
    "sign_statement",
    "statement_base64",
    "statement_of",
    "verify_body",
    "verify_statement",
]

STATEMENT_MEDIA_TYPE = "application/vnd.fairdraw.participant-statement.v2+json"
STATEMENT_TAG = "participant"
"""The signature tag: a statement's signature covers ``"fairdraw/v1/participant" 0x00 ‖ JCS``."""

ACTS: dict[str, tuple[str, ...]] = {
    "commit": ("participant", "source", "commitment"),
    "witness": ("participant", "announcement", "time"),
    "randomness": ("participant", "source", "value"),
    "reveal": ("participant", "source", "secret", "closing"),
}
"""The members of each act's statement besides ``act`` and ``draw_id``; an act is also the kind
of the event it becomes."""

_FILE_MEMBERS = frozenset({"media_type", "statement", "key_id", "signature"})
_HASH = re.compile(r"[0-9a-f]{64}")
_SECRET = re.compile(rf"(?:[0-9a-f]{{2}}){{{MIN_SECRET_BYTES},}}")
_SIGNATURE = re.compile(r"[0-9a-f]{128}")
_HEX_TEXT = re.compile(r"[0-9a-fA-F]+")
_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/_-]+=*")


def _label(statement: Mapping[str, Any], member: str, where: str) -> None:
    try:
        check_label(statement[member])
    except InputError as err:
        raise InputError(
            _("{where}: member {member!r} must be a label ({err})").format(
                where=where, member=member, err=err
            )
        ) from err


def _hex(statement: Mapping[str, Any], member: str, where: str, pattern: re.Pattern[str]) -> None:
    value = statement[member]
    if not isinstance(value, str) or not pattern.fullmatch(value):
        size = (
            "64" if pattern is _HASH else _("at least {count}").format(count=2 * MIN_SECRET_BYTES)
        )
        raise InputError(
            _("{where}: member {member!r} must be {size} lowercase hex digits").format(
                where=where, member=member, size=size
            )
        )


def _rolls(value: object, where: str) -> None:
    if not isinstance(value, dict) or set(value) != {"rolls"}:
        raise InputError(
            _("{where}: member 'value' must be {{\"rolls\": [...]}} and nothing else").format(
                where=where
            )
        )
    rolls = value["rolls"]
    if not isinstance(rolls, list) or not rolls:
        raise InputError(
            _("{where}: value 'rolls' must be a non-empty list of whole numbers").format(
                where=where
            )
        )
    for index, roll in enumerate(rolls, start=1):
        if isinstance(roll, bool) or not isinstance(roll, int) or roll < 1:
            raise InputError(
                _("{where}: roll {index} is {roll!r}, not a whole number from 1").format(
                    where=where, index=index, roll=roll
                )
            )


def check_statement_shape(statement: object) -> None:
    """Check that ``statement`` has exactly the members of its act, each of the right type.

    Hex is lowercase; ``time`` is RFC 3339 UTC in whole seconds with ``Z``; ids are labels.

    Raises:
        InputError: the first problem, naming the member.
    """
    if not isinstance(statement, Mapping):
        raise InputError(
            _("a statement is a JSON object, not {type}").format(type=type(statement).__name__)
        )
    act = statement.get("act")
    if not isinstance(act, str) or act not in ACTS:
        raise InputError(
            _("statement member 'act' is {act!r}, not one of {names}").format(
                act=act, names=", ".join(ACTS)
            )
        )
    where = f"{act} statement"
    expected = {"act", "draw_id", *ACTS[act]}
    missing = sorted(expected - set(statement))
    if missing:
        raise InputError(
            _("{where}: member {missing!r} is missing").format(where=where, missing=missing[0])
        )
    extra = sorted(set(statement) - expected, key=str)
    if extra:
        raise InputError(
            _("{where}: member {extra!r} is not part of a {act} statement").format(
                where=where, extra=extra[0], act=act
            )
        )
    for member in ("draw_id", "participant", "source"):
        if member in expected:
            _label(statement, member, where)
    for member in ("commitment", "announcement", "closing"):
        if member in expected:
            _hex(statement, member, where, _HASH)
    if act == "reveal":
        _hex(statement, "secret", where, _SECRET)
    if act == "witness":
        try:
            parse_time(statement["time"], _("{where}: member 'time'").format(where=where))
        except FairdrawError as err:
            raise InputError(str(err)) from err
    if act == "randomness":
        _rolls(statement["value"], where)


@attrs.frozen
class Statement:
    """A statement whose shape was checked, with its act's members as typed properties.

    Attributes:
        act: ``commit``, ``witness``, ``randomness`` or ``reveal``.
        draw_id: the draw it belongs to.
        participant: the id of the participant who makes it.
        raw: the statement as a JSON object (what the signature covers).
    """

    act: str
    draw_id: str
    participant: str
    raw: dict[str, Any] = attrs.field(eq=False, repr=False)

    @classmethod
    def of(cls, statement: Mapping[str, Any]) -> Statement:
        """Read a statement (a copy is kept).

        Raises:
            InputError: its shape is wrong (:func:`check_statement_shape`).
        """
        check_statement_shape(statement)
        raw = copy.deepcopy(dict(statement))
        return cls(raw["act"], raw["draw_id"], raw["participant"], raw)

    def _member(self, name: str) -> Any:
        if name not in ACTS[self.act]:
            raise InputError(
                _("a {act} statement has no member {name!r}").format(act=self.act, name=name)
            )
        return self.raw[name]

    @property
    def source(self) -> str:
        """The source id (``commit``, ``randomness``, ``reveal``)."""
        value: str = self._member("source")
        return value

    @property
    def commitment(self) -> bytes:
        """The 32-byte commitment (``commit``)."""
        return bytes.fromhex(self._member("commitment"))

    @property
    def secret(self) -> bytes:
        """The revealed secret (``reveal``)."""
        return bytes.fromhex(self._member("secret"))

    @property
    def closing(self) -> str:
        """The hex hash of the event just before the first reveal (``reveal``)."""
        value: str = self._member("closing")
        return value

    @property
    def announcement(self) -> str:
        """The hex hash of the signed announce event the witness saw (``witness``)."""
        value: str = self._member("announcement")
        return value

    @property
    def time(self) -> datetime:
        """The witness's own clock when they saw the announcement (``witness``)."""
        return parse_time(self._member("time"))

    @property
    def rolls(self) -> list[int]:
        """The dice rolls in order (``randomness``)."""
        return list(self._member("value")["rolls"])


def sign_statement(key: OfficeKey, statement: Mapping[str, Any]) -> dict[str, Any]:
    """Sign a statement with the participant's key; return the file form.

    Raises:
        InputError: the statement's shape is wrong.
    """
    check_statement_shape(statement)
    content = copy.deepcopy(dict(statement))
    return {
        "media_type": STATEMENT_MEDIA_TYPE,
        "statement": content,
        "key_id": key.key_id,
        "signature": key.sign(STATEMENT_TAG, content).hex(),
    }


def statement_base64(signed: Mapping[str, Any]) -> str:
    """The file form as one line of standard base64 over its canonical JSON, for pasting."""
    return base64.b64encode(canonical_json(signed)).decode("ascii")


def _check_file_form(data: object, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError(_("{where}: a participant statement is a JSON object").format(where=where))
    if data.get("media_type") != STATEMENT_MEDIA_TYPE:
        raise InputError(
            _(
                "{where}: media_type is {media_type!r}, not {format!r}: not a participant statement"
            ).format(
                where=where,
                media_type=data.get("media_type"),
                format=STATEMENT_MEDIA_TYPE,
            )
        )
    if set(data) != _FILE_MEMBERS:
        odd = sorted(set(data) ^ _FILE_MEMBERS, key=str)
        raise InputError(
            _("{where}: member {odd!r} is missing or does not belong there").format(
                where=where, odd=odd[0]
            )
        )
    if not isinstance(data["key_id"], str) or not _HASH.fullmatch(data["key_id"]):
        raise InputError(_("{where}: key_id must be 64 lowercase hex digits").format(where=where))
    if not isinstance(data["signature"], str) or not _SIGNATURE.fullmatch(data["signature"]):
        raise InputError(
            _("{where}: signature must be 128 lowercase hex digits").format(where=where)
        )
    try:
        check_statement_shape(data["statement"])
    except InputError as err:
        raise InputError(_("{where}: {err}").format(where=where, err=err)) from err
    return data


def _json(text: str, where: str, form: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as err:
        raise InputError(
            _("{where}: the {form} is not valid JSON ({err})").format(
                where=where, form=form, err=err
            )
        ) from err


def read_statement(text: str | bytes, where: str) -> dict[str, Any]:
    """Read a signed statement as handed over: its JSON file, or that JSON as base64 or hex.

    Base64 may be standard or URL-safe, with or without padding; white space and line breaks
    anywhere (as pasted from a chat or a QR code reader) are ignored. The signature is *not*
    checked here (:func:`verify_statement` does).

    Args:
        text: what was read or pasted.
        where: the file name, or ``"pasted text"``, for messages.

    Raises:
        InputError: the text is none of these forms, or not a participant statement in the
            file form; the message says which.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise InputError(
                _("{where}: not text (UTF-8), so not a statement").format(where=where)
            ) from err
    stripped = text.strip().lstrip("\ufeff")
    if stripped.startswith(("{", "[")):
        return _check_file_form(_json(stripped, where, "JSON text"), where)
    compact = "".join(stripped.split())
    if not compact:
        raise InputError(
            _("{where}: empty; paste the statement's JSON, base64 or hex").format(where=where)
        )
    # Hex first: base64 of a JSON object starts with "ey", which is not hex.
    if _HEX_TEXT.fullmatch(compact):
        form = "hex"
        if len(compact) % 2:
            raise InputError(
                _("{where}: the hex text has an odd number of digits (cut short?)").format(
                    where=where
                )
            )
        raw = bytes.fromhex(compact)
    elif _BASE64_TEXT.fullmatch(compact):
        form = "base64"
        core = compact.rstrip("=").replace("-", "+").replace("_", "/")
        try:
            raw = base64.b64decode(core + "=" * (-len(core) % 4), validate=True)
        except (binascii.Error, ValueError) as err:
            raise InputError(
                _("{where}: the base64 text is cut short or damaged ({err})").format(
                    where=where, err=err
                )
            ) from err
    else:
        bad = next(c for c in compact if not _BASE64_TEXT.fullmatch(c) and c != "=")
        raise InputError(
            _(
                "{where}: neither JSON, base64 nor hex (it holds {bad!r}); paste the "
                "statement whole"
            ).format(where=where, bad=bad)
        )
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            _("{where}: the {form} text does not decode to UTF-8 JSON").format(
                where=where, form=form
            )
        ) from err
    return _check_file_form(
        _json(decoded, where, _("{form}-decoded text").format(form=form)), where
    )


def verify_statement(signed: Mapping[str, Any], key: PublicKey) -> dict[str, Any]:
    """Check a signed statement against the participant's public key; return the statement.

    Raises:
        VerificationError: the media type, members, shape, key id or signature is wrong.
    """
    if not isinstance(signed, Mapping) or signed.get("media_type") != STATEMENT_MEDIA_TYPE:
        raise VerificationError(_("not a participant statement (wrong or missing media_type)"))
    if set(signed) != _FILE_MEMBERS:
        raise VerificationError(
            _("a signed statement has exactly the members {members}").format(
                members=sorted(_FILE_MEMBERS)
            )
        )
    statement = signed["statement"]
    try:
        check_statement_shape(statement)
    except InputError as err:
        raise VerificationError(
            _("the signed statement is malformed: {err}").format(err=err)
        ) from err
    if signed["key_id"] != key.key_id:
        raise VerificationError(
            _(
                "the {act} statement of {participant!r} names key {key_id}…, not the "
                "participant's key {key_id2}…"
            ).format(
                act=statement["act"],
                participant=statement["participant"],
                key_id=str(signed["key_id"])[:16],
                key_id2=key.key_id[:16],
            )
        )
    try:
        signature = parse_hex(signed["signature"], "the statement's signature", length=64)
    except InputError as err:
        raise VerificationError(str(err)) from err
    key.verify(STATEMENT_TAG, statement, signature)
    return copy.deepcopy(dict(statement))


def statement_of(kind: str, draw_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """The statement an event body stands for: the body without ``signature``, plus ``act``
    (the event's kind) and ``draw_id``. A verifier checks the body's signature over it.

    Raises:
        InputError: ``kind`` is not one of the acts.
    """
    if kind not in ACTS:
        raise InputError(
            _("a {kind!r} event stands for no participant statement").format(kind=kind)
        )
    statement = {k: copy.deepcopy(v) for k, v in body.items() if k != "signature"}
    return {**statement, "act": kind, "draw_id": draw_id}


def verify_body(kind: str, draw_id: str, body: Mapping[str, Any], key: PublicKey) -> dict[str, Any]:
    """Check the signature of an event body made from a statement (:func:`body_of`).

    Returns:
        The statement the body stands for.

    Raises:
        VerificationError: the body is malformed or its signature does not verify with ``key``.
    """
    try:
        statement = statement_of(kind, draw_id, body)
    except InputError as err:
        raise VerificationError(str(err)) from err
    signed = {
        "media_type": STATEMENT_MEDIA_TYPE,
        "statement": statement,
        "key_id": key.key_id,
        "signature": body.get("signature"),
    }
    return verify_statement(signed, key)


def body_of(signed: Mapping[str, Any]) -> dict[str, Any]:
    """The event body a signed statement becomes: the statement without ``act`` and
    ``draw_id``, plus ``signature``."""
    statement = signed["statement"]
    body = {k: copy.deepcopy(v) for k, v in statement.items() if k not in {"act", "draw_id"}}
    return {**body, "signature": signed["signature"]}
