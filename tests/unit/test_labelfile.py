"""Label files (spec v1, section 13)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fairdraw import LabelFileError
from fairdraw.labelfile import parse_label_text, read_label_file


@pytest.mark.parametrize(
    ("data", "labels"),
    [
        (b"a\nb\nc\n", ["a", "b", "c"]),
        (b"a\nb\nc", ["a", "b", "c"]),
        (b"a\r\nb\r\n", ["a", "b"]),
        (b"\xef\xbb\xbfa\nb\n", ["a", "b"]),
        ("北京\n西城 区\n".encode(), ["北京", "西城 区"]),
    ],
)
def test_accepted_forms(data: bytes, labels: list[str]) -> None:
    assert parse_label_text(data) == labels


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b"a\n\nb\n", 2, "empty"),
        (b"a\nb\n\n", 3, "empty"),
        (b"a\nb \n", 2, "whitespace"),
        (b"a\nb\na\n", 3, "duplicate"),
        (b"ok\ne\xcc\x81\n", 2, "not_nfc"),
        (b"a\nb\xff\n", 2, "not_utf8"),
        (b"a\nb\tc\n", 2, "control"),
        (b"a\rb\n", 1, "control"),
    ],
)
def test_errors_name_the_line(data: bytes, line: int, reason: str) -> None:
    with pytest.raises(LabelFileError) as info:
        parse_label_text(data, name="list.txt")
    assert (info.value.path, info.value.line, info.value.reason) == ("list.txt", line, reason)
    assert f"list.txt, line {line}" in str(info.value)


def test_duplicate_message_names_both_lines() -> None:
    with pytest.raises(LabelFileError, match="line 3: the label 'a' duplicates line 1"):
        parse_label_text(b"a\nb\na\n", name="list.txt")


def test_empty_file() -> None:
    for data in (b"", b"\xef\xbb\xbf"):
        with pytest.raises(LabelFileError, match="no labels"):
            parse_label_text(data, name="x")


def test_canonicalize_repairs_explicitly() -> None:
    assert parse_label_text(b" a \ne\xcc\x81\n", canonicalize=True) == ["a", "\u00e9"]
    with pytest.raises(LabelFileError) as info:
        parse_label_text(b"a\n   \n", canonicalize=True, name="f")
    assert info.value.line == 2
    with pytest.raises(LabelFileError) as info:
        parse_label_text(b"e\xcc\x81\n\xc3\xa9\n", canonicalize=True, name="f")
    assert (info.value.line, info.value.reason) == (2, "duplicate")


def test_read_file_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "labels.txt"
    path.write_bytes(b"x\ny\n")
    assert read_label_file(path) == ["x", "y"]
    assert read_label_file("-", stdin=io.BytesIO(b"z\n")) == ["z"]
    with pytest.raises(LabelFileError, match="cannot read"):
        read_label_file(tmp_path / "missing.txt")
