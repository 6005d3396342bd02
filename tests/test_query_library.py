"""The one QueryLibrary per queries directory (kg.queries.get_library): parsed once, shared by every
caller, and parsed again when a query file changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.queries import get_library

QUERY = "# title: T\n# description: D.\nSELECT ?s WHERE {{ ?s ?p {value} }}\n"


def test_one_library_per_directory_until_a_file_changes(tmp_path: Path) -> None:
    (tmp_path / "one.rq").write_text(QUERY.format(value=1), encoding="utf-8")
    first = get_library(tmp_path)
    assert get_library(tmp_path) is first
    assert get_library(tmp_path / ".") is first  # the same folder by another spelling
    edited = tmp_path / "one.rq"
    edited.write_text(QUERY.format(value=22), encoding="utf-8")
    stat = edited.stat()
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = get_library(tmp_path)
    assert second is not first and "22" in second.text("one")
    (tmp_path / "two.rq").write_text(QUERY.format(value=3), encoding="utf-8")
    assert get_library(tmp_path).names() == ["one", "two"]


def test_a_missing_directory_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        get_library(tmp_path / "nowhere")
