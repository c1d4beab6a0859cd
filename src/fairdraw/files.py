"""Files written so that a crash never leaves half of one, and JSON in the one published form.

Every file fairdraw (and the office's tools) write goes through :func:`write_atomic`: the bytes
go to a temporary file in the same folder, are flushed to disk, and replace the target in one
``rename``, after which the folder itself is flushed. A process killed at any moment leaves the
old file or the new one, never an empty or partial file.

:func:`json_bytes` is the form in which JSON documents are written for people and for
publication: UTF-8, members sorted by name, one-space indent, ``\\n`` line ends on every
operating system and one trailing newline, so that the same document always gives the same
bytes, whichever program read or stored it. A digest printed beside a published file is taken
over exactly these bytes.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from fairdraw.errors import InputError
from fairdraw.i18n import _

__all__ = ["json_bytes", "os_reason", "read_json", "write_atomic", "write_json"]


def os_reason(err: OSError) -> str:
    """Why a file could not be read, in the run's language (the system's own text otherwise)."""
    if isinstance(err, FileNotFoundError):
        return _("the file does not exist")
    if isinstance(err, IsADirectoryError):
        return _("it is a folder, not a file")
    if isinstance(err, PermissionError):
        return _("permission denied")
    if isinstance(err, FileExistsError):
        return _("it exists already (a file where a folder is needed, or one never overwritten)")
    if isinstance(err, NotADirectoryError):
        return _("a part of the path is a file, not a folder")
    if err.errno == errno.ENOSPC:
        return _("the disk is full")
    if err.errno == errno.EROFS:
        return _("the disk is read-only")
    return err.strerror or str(err)


def write_atomic(path: str | Path, data: bytes | str, *, mode: int = 0o644) -> Path:
    """Replace ``path`` with ``data`` (text is written as UTF-8, line ends as given), atomically.

    The folder is created if needed; the file gets ``mode`` (``0o600`` for a secret: it never
    exists with a wider one). Returns the path.

    Raises:
        OSError: the file cannot be written (the old file, if any, is left as it was).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (where the operating system allows opening folders)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its rename is durable enough
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def json_bytes(value: Any) -> bytes:
    """The published form of a JSON document: UTF-8, members sorted, indent 1, ``\\n`` line ends,
    a final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def write_json(path: str | Path, value: Any) -> bytes:
    """Write ``value`` atomically in the published form; return the bytes written (to hash)."""
    data = json_bytes(value)
    write_atomic(path, data)
    return data


def read_json(path: str | Path, what: str) -> Any:
    """Read a JSON file.

    Raises:
        InputError: the file cannot be read or is not JSON; the message names the file and
            ``what`` it should hold (a label marked ``N_`` is shown in the run's language).
    """
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(
            _("{path}: cannot read the {what}: {err}").format(path=path, what=_(what), err=err)
        ) from err
