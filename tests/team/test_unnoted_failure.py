"""Issue 17 (trial finding 8): a laptop whose file is read-only. `sync` said why and exited 2, but `sync status` in
another process still said «Синхронизировано в 16:48 …»: the failure lived in the failing process's memory only.
It is now noted in the user's state folder (app/sync/unnoted.py), read by any process while it is newer than the
last success, and removed by a successful sync."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from app.config import state_dir
from app.errors import UserError
from app.persistence.db import open_database
from app.sync import laptop_settings, service, unnoted
from app.sync import status as sync_status
from app.sync.service import status_text, sync_once

STOPPED_HERE = "Синхронизация остановилась на ноутбуке"
ROOT = Path(__file__).resolve().parents[2]


def _read_only(dbapi_connection, _record):
    dbapi_connection.execute("PRAGMA query_only = 1")


def _fail_read_only(db) -> str:
    """A sync of ``db`` with its file read-only: the failure's sentence."""
    event.listen(db.engine, "connect", _read_only)
    db.engine.dispose()
    try:
        with pytest.raises(UserError) as err:
            sync_once(db)
    finally:
        event.remove(db.engine, "connect", _read_only)
        db.engine.dispose()
    return err.value.full_text()


def _status_in_another_process(path: Path) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(path), "sync", "status"],
                          cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.postgres
def test_sync_status_in_another_process_says_the_sync_stopped_on_the_laptop(entry_pair):
    _a, b, _ann, _boss = entry_pair
    assert status_text(b).startswith("Синхронизировано в")
    said = _fail_read_only(b)
    assert "только для чтения" in said
    assert _status_in_another_process(b.sqlite_path).startswith(STOPPED_HERE)
    sync_once(b)  # writable again: the success removes the note
    assert unnoted.read(b) is None
    assert _status_in_another_process(b.sqlite_path).startswith("Синхронизировано в")


@pytest.mark.postgres
def test_a_new_database_object_reads_the_note_and_a_success_clears_it(entry_pair, monkeypatch):
    _a, b, _ann, _boss = entry_pair
    _fail_read_only(b)
    monkeypatch.setattr(sync_status, "UNNOTED", {})  # what another process starts with
    other = open_database(b.url)
    try:
        assert status_text(other).startswith(STOPPED_HERE)
        sync_once(other)
        assert status_text(other).startswith("Синхронизировано в") and unnoted.read(other) is None
        assert status_text(b).startswith("Синхронизировано в")
    finally:
        other.dispose()


@pytest.mark.postgres
def test_an_older_note_than_the_last_success_is_not_shown(entry_pair, monkeypatch):
    """A note the success could not remove (the state folder went read-only meanwhile) is older than it: the
    status says the success."""
    _a, b, _ann, _boss = entry_pair
    _fail_read_only(b)
    monkeypatch.setattr(unnoted, "clear", lambda db: None)
    sync_once(b)
    monkeypatch.setattr(sync_status, "UNNOTED", {})
    assert unnoted.read(b) is not None and status_text(b).startswith("Синхронизировано в")


def _laptop(tmp_path):
    """A SQLite laptop set up for a server that is not there (no sync happens in these tests)."""
    db = open_database(f"sqlite:///{tmp_path / 'lap.sqlite3'}")
    laptop_settings._put(db, {service.URL_KEY: "postgresql://ann@127.0.0.1:9/team"})
    return db


def test_an_unwritable_state_folder_loses_the_note_quietly(tmp_path, monkeypatch, caplog):
    import logging

    db = _laptop(tmp_path)
    try:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x", encoding="utf-8")
        monkeypatch.setattr(unnoted, "state_dir", lambda: blocker / "state")  # mkdir under a file fails
        with caplog.at_level(logging.INFO, logger="app.sync.unnoted"):
            assert unnoted.note(db, "Синхронизация остановилась на ноутбуке.", "local", "") is False
        assert "could not be noted" in caplog.text
        assert unnoted.read(db) is None
        unnoted.clear(db)  # nothing to clear, nothing raised
    finally:
        db.dispose()


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", json.dumps({"x": 1}), "\x00\xff"])
def test_a_damaged_notes_file_is_ignored_and_replaced(tmp_path, content):
    db = _laptop(tmp_path)
    try:
        state_dir().mkdir(parents=True, exist_ok=True)
        (state_dir() / unnoted.FILE_NAME).write_text(content, encoding="utf-8")
        assert unnoted.read(db) is None and status_text(db).startswith("Ещё не синхронизировано")
        assert unnoted.note(db, "Нет связи.", "offline", "")
        assert unnoted.read(db).error == "Нет связи."
        assert status_text(db).startswith("Нет связи с сервером")
        unnoted.clear(db)
        assert unnoted.read(db) is None
    finally:
        unnoted.clear(db)
        db.dispose()


def test_a_bad_entry_for_this_database_is_ignored(tmp_path):
    db = _laptop(tmp_path)
    try:
        state_dir().mkdir(parents=True, exist_ok=True)
        for entry in ({"error": "x", "at": "вчера"}, {"at": "2026-12-01T10:00:00"}, "x", {"error": "", "at": ""}):
            (state_dir() / unnoted.FILE_NAME).write_text(json.dumps({unnoted.key_of(db): entry}), encoding="utf-8")
            assert unnoted.read(db) is None
    finally:
        unnoted.clear(db)
        db.dispose()


def test_a_note_is_shown_until_a_success_is_recorded_after_it(tmp_path):
    """The note names the last success the database held when the sync failed: shown while it still holds that
    one, not after another success (whatever the clocks say). A note that could not read it is judged by time."""
    db = _laptop(tmp_path)
    try:
        laptop_settings._put(db, {service.LAST_OK_KEY: "2026-12-01T10:00:00"})
        assert unnoted.note(db, "Нет связи.", "offline", "2026-12-01T10:00:00")
        assert status_text(db).startswith("Нет связи с сервером")
        laptop_settings._put(db, {service.LAST_OK_KEY: "2020-01-01T10:00:00"})  # a later success, by a clock a lot behind
        assert status_text(db).startswith("Синхронизировано в")
        assert unnoted.note(db, "Нет связи.", "offline", None)  # now, by this clock: after 2020
        assert status_text(db).startswith("Нет связи с сервером")
        laptop_settings._put(db, {service.LAST_OK_KEY: "2999-01-01T10:00:00"})
        assert status_text(db).startswith("Синхронизировано в")
    finally:
        unnoted.clear(db)
        db.dispose()
