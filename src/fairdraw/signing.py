"""Office keys: Ed25519 signatures over canonical JSON, keys stored as encrypted PEM.

A signature over an object with purpose ``tag`` covers ``"fairdraw/v1/" tag 0x00 ‖ JCS(object)``
(ceremony spec v1, section 1), so a signature made for one purpose is never valid for another.
A key is named by its key id: the hex SHA-256 of its raw 32-byte public key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fairdraw.canonical import canonical_json
from fairdraw.errors import InputError, VerificationError
from fairdraw.files import os_reason, write_atomic
from fairdraw.i18n import _

__all__ = ["OfficeKey", "PublicKey"]


def _message(tag: str, value: Any) -> bytes:
    return b"fairdraw/v1/" + tag.encode() + b"\x00" + canonical_json(value)


@attrs.frozen
class PublicKey:
    """An office's Ed25519 public key.

    Attributes:
        raw: the 32-byte public key.
    """

    raw: bytes = attrs.field()

    @raw.validator
    def _check(self, _attribute: object, value: bytes) -> None:
        if len(value) != 32:
            raise InputError(
                _("an Ed25519 public key is 32 bytes, not {count}").format(count=len(value))
            )

    @property
    def key_id(self) -> str:
        """The key id: hex SHA-256 of the raw public key."""
        return hashlib.sha256(self.raw).hexdigest()

    @classmethod
    def from_hex(cls, value: str) -> PublicKey:
        """A public key from 64 hex digits."""
        try:
            return cls(bytes.fromhex(value))
        except ValueError as err:
            raise InputError(_("an Ed25519 public key is 64 hex digits")) from err

    @classmethod
    def load(cls, path: str | Path) -> PublicKey:
        """Read a public key file: PEM (SubjectPublicKeyInfo) or 64 hex digits."""
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise InputError(
                _("{path}: cannot read the public key: {reason}").format(
                    path=path, reason=os_reason(err)
                )
            ) from err
        if data.lstrip().startswith(b"-----BEGIN"):
            try:
                key = serialization.load_pem_public_key(data)
            except ValueError as err:
                raise InputError(
                    _("{path}: not a PEM public key: {err}").format(path=path, err=err)
                ) from err
            if not isinstance(key, Ed25519PublicKey):
                raise InputError(_("{path}: not an Ed25519 public key").format(path=path))
            return cls(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
        return cls.from_hex(data.decode("ascii", "replace").strip())

    def to_pem(self) -> bytes:
        """The key as a PEM SubjectPublicKeyInfo block."""
        return Ed25519PublicKey.from_public_bytes(self.raw).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def to_json(self) -> dict[str, str]:
        """``{"algorithm": "ed25519", "public_key": hex, "key_id": hex}``."""
        return {"algorithm": "ed25519", "public_key": self.raw.hex(), "key_id": self.key_id}

    def verify(self, tag: str, value: Any, signature: bytes) -> None:
        """Check a signature made by :meth:`OfficeKey.sign`.

        Raises:
            VerificationError: the signature does not verify.
        """
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, _message(tag, value))
        except InvalidSignature as err:
            raise VerificationError(
                _("the {tag} signature does not verify against key {key_id}…").format(
                    tag=tag, key_id=self.key_id[:16]
                )
            ) from err


class OfficeKey:
    """An office's Ed25519 signing key. Keep it in an encrypted file (:meth:`save`)."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        raw = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.public = PublicKey(raw)

    @classmethod
    def generate(cls) -> OfficeKey:
        """A new key from the operating system's CSPRNG."""
        return cls(Ed25519PrivateKey.generate())

    @property
    def key_id(self) -> str:
        """The key id of the public half."""
        return self.public.key_id

    def sign(self, tag: str, value: Any) -> bytes:
        """Sign ``"fairdraw/v1/" tag 0x00 ‖ JCS(value)``."""
        return self._private.sign(_message(tag, value))

    def to_encrypted_pem(self, passphrase: bytes) -> bytes:
        """The private key as PKCS #8 PEM, encrypted with the passphrase."""
        if len(passphrase) < 8:
            raise InputError(_("the key passphrase must be at least 8 bytes long"))
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )

    def save(self, path: str | Path, passphrase: bytes) -> None:
        """Write the encrypted key file (mode 0600) and ``<path>.pub`` beside it."""
        target = Path(path)
        if target.exists():
            raise InputError(
                _("{target} exists; fairdraw never overwrites a key").format(target=target)
            )
        write_atomic(target.with_name(target.name + ".pub"), self.public.to_pem())
        write_atomic(target, self.to_encrypted_pem(passphrase), mode=0o600)

    @classmethod
    def load(cls, path: str | Path, passphrase: bytes) -> OfficeKey:
        """Read an encrypted key file.

        Raises:
            InputError: the file cannot be read, the passphrase is wrong, or it is not Ed25519.
        """
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise InputError(
                _("{path}: cannot read the key: {reason}").format(path=path, reason=os_reason(err))
            ) from err
        try:
            key = serialization.load_pem_private_key(data, password=passphrase)
        except (ValueError, TypeError) as err:
            raise InputError(
                _("{path}: wrong passphrase, or not a key file").format(path=path)
            ) from err
        if not isinstance(key, Ed25519PrivateKey):
            raise InputError(_("{path}: not an Ed25519 key").format(path=path))
        return cls(key)
