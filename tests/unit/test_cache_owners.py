"""Cache files of a database that is gone are removed (app.cachefile.register / sweep): the first screen's rows hold
names and contacts, and a deleted database must not leave them in the user cache folder."""

from __future__ import annotations

import json
import os
import time

import pytest

from app import cachefile
from app.cachefile import OWNERS, UNOWNED_DAYS, cache_key, register, sweep
from app.persistence.db import open_database
from app.persistence.first_screen_cache import cache_file
from app.services.first_screen import remember
from app.services.list_read import read_list
from tests.unit.test_first_rows import url_of, varied


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache folder of this test's own."""
    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "data" / "cache"
    return folder


def _closed(path):
    """The database at ``path`` (a varied one made when missing) after a window on it closed: its rows kept."""
    db = open_database(url_of(path)) if path.exists() else varied(path)
    try:
        read = read_list(db)
        assert remember(db, read.rows, read.basis)
    finally:
        db.dispose()
    return cache_file(path)


def test_the_files_of_a_deleted_database_go_at_the_next_close(cache, tmp_path):
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    kept_first = _closed(first)
    order_first = cache / f"name-order-{cache_key(first)}.bin"
    order_first.write_bytes(b"order")  # the list's name order of the same database
    kept_second = _closed(second)
    assert kept_first.exists() and kept_second.exists()
    assert json.loads((cache / OWNERS).read_text()) == {cache_key(first): str(first.resolve()),
                                                        cache_key(second): str(second.resolve())}
    for name in ("first.sqlite3", "first.sqlite3-wal", "first.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)  # the user deleted the database
    _closed(second)
    assert not kept_first.exists() and not order_first.exists()
    assert kept_second.exists()
    assert json.loads((cache / OWNERS).read_text()) == {cache_key(second): str(second.resolve())}


def test_a_file_nobody_noted_goes_only_when_old(cache):
    cache.mkdir(parents=True)
    now = time.time()
    old, fresh = cache / f"first-screen-{'a' * 16}.bin", cache / f"name-order-{'b' * 16}.bin"
    other = cache / "something-else.bin"
    for file in (old, fresh, other):
        file.write_bytes(b"x")
    os.utime(old, (now - UNOWNED_DAYS * 86_400 - 60,) * 2)
    os.utime(other, (now - UNOWNED_DAYS * 86_400 - 60,) * 2)
    assert sweep(now=now) == [old]
    assert fresh.exists() and other.exists()


def test_a_damaged_or_foreign_notes_file_removes_nothing_outside_the_cache(cache, tmp_path):
    cache.mkdir(parents=True)
    outside = tmp_path / "precious.bin"
    outside.write_bytes(b"keep me")
    (cache / OWNERS).write_text(json.dumps({"../../precious": "/nonexistent/db.sqlite3",
                                            "0123456789abcdef": 42}))
    assert sweep() == []
    assert outside.exists()
    (cache / OWNERS).write_bytes(b"\xff{not json")
    assert sweep() == []
    (cache / OWNERS).write_text("[1, 2]")
    assert sweep() == []


def test_a_database_noted_but_not_found_loses_its_files_and_its_note(cache, tmp_path, monkeypatch):
    database = tmp_path / "gone.sqlite3"
    database.write_bytes(b"")
    cache.mkdir(parents=True)
    kept = cache / f"first-screen-{cache_key(database)}.bin"
    kept.write_bytes(b"rows")
    assert register(database) == []  # it exists: noted, kept
    database.unlink()
    assert sweep() == [kept]
    assert json.loads((cache / OWNERS).read_text()) == {}
    monkeypatch.setattr(cachefile, "replace_cached", lambda *args: pytest.fail("nothing changed: no write"))
    assert sweep() == []


def test_a_note_nested_past_the_parsers_depth_is_no_note_and_the_close_still_writes(cache, tmp_path):
    """A fresh reviewer's case: ``json.load`` raises RecursionError (not ValueError) on a deeply nested file, and it
    escaped the window's close (the database then never disposed of)."""
    cache.mkdir(parents=True)
    (cache / OWNERS).write_text("[" * 100_000 + "]" * 100_000)
    assert sweep() == []
    database = tmp_path / "deep.sqlite3"
    kept = _closed(database)  # remember → save → register: no exception, the rows written
    assert kept.exists()
    assert json.loads((cache / OWNERS).read_text()) == {cache_key(database): str(database.resolve())}
