"""A benchmark part that fails leaves no scratch copy in /tmp (a damaged database left ``vn-bench-*/copy.sqlite3``
behind per failed part)."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest

from bench.databases import scratch_copy


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("content", [b"\x8f\x02" * 3000, b"SQLite format 3\x00" + b"\x00" * 50])
def test_a_copy_of_no_database_fails_and_leaves_no_folder(tmp_path, private_tmp, content):
    source = tmp_path / "clients-100.sqlite3"
    source.write_bytes(content)
    with pytest.raises(sqlite3.DatabaseError):
        scratch_copy(source)
    assert list(private_tmp.iterdir()) == []


def test_a_window_that_fails_to_open_leaves_no_copy(tmp_path, private_tmp, monkeypatch):
    import bench.run as run
    import bench.window

    def refuse(*args, **kwargs):
        raise RuntimeError("the list shows 0 clients, the database has 100")

    monkeypatch.setattr(bench.window, "WindowBench", refuse)
    source = tmp_path / "clients-100.sqlite3"
    source.write_bytes(b"")  # an empty file copies fine: the window is what refuses it
    with pytest.raises(RuntimeError, match="0 clients"):
        run.run_window(source, 100, ["card"], 1)
    assert list(private_tmp.iterdir()) == []
