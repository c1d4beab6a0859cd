"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) and the hashes taken over it.

Signatures and digests in fairdraw always cover canonical bytes, never Python's ``str()`` or
``repr()``, so that any language with an RFC 8785 library computes the same bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785

from fairdraw.errors import InputError
from fairdraw.i18n import _

__all__ = ["canonical_json", "json_digest"]


def canonical_json(value: Any) -> bytes:
    """Serialise ``value`` with RFC 8785.

    Raises:
        InputError: the value holds something JSON cannot say exactly (a float, a huge integer,
            a non-string key).
    """
    if _has_float(value):
        raise InputError(_("canonical JSON in fairdraw never holds floating-point numbers"))
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as err:
        raise InputError(_("cannot write canonical JSON: {err}").format(err=err)) from err


def json_digest(value: Any) -> bytes:
    """``SHA-256`` of the canonical JSON of ``value``."""
    return hashlib.sha256(canonical_json(value)).digest()


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_float(v) for v in value)
    return False
