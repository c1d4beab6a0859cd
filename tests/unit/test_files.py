"""Atomic files and the published JSON form (fairdraw.files)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from fairdraw import InputError, json_bytes, read_json, write_atomic, write_json


def test_write_atomic_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.txt"
    write_atomic(target, "first\n")
    write_atomic(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]  # no temporary left


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    write_atomic(target, "old\n")

    with pytest.raises(TypeError):
        write_atomic(target, object())  # type: ignore[arg-type]
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_write_atomic_gives_a_secret_its_narrow_mode_from_the_start(tmp_path: Path) -> None:
    secret = write_atomic(tmp_path / "s", b"x", mode=0o600)
    public = write_atomic(tmp_path / "p", b"x")
    if os.name == "posix":
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
        assert stat.S_IMODE(public.stat().st_mode) == 0o644


def test_json_bytes_is_utf8_with_lf_line_ends_and_a_final_newline(tmp_path: Path) -> None:
    value = {"名称": "西城", "list": [1, 2]}
    data = json_bytes(value)
    assert b"\r" not in data
    assert data.endswith(b'"\n}\n')
    assert data.index(b'"list"') < data.index("名称".encode())  # members sorted: one form only
    assert json_bytes({"list": [1, 2], "名称": "西城"}) == data
    assert "西城".encode() in data
    assert write_json(tmp_path / "v.json", value) == data
    assert (tmp_path / "v.json").read_bytes() == data
    assert read_json(tmp_path / "v.json", "value") == value


def test_read_json_names_the_file_and_what_it_should_hold(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.json: cannot read the record"):
        read_json(bad, "record")
    with pytest.raises(InputError, match=r"missing\.json"):
        read_json(tmp_path / "missing.json", "record")
    assert json.loads(json_bytes([])) == []
