"""A laptop's sync triggers (outbox, lazy merge base, the ticked-item guard) damaged by hand, made again on open."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import run
from app.errors import UserError
from app.persistence import sync_triggers
from app.persistence.db import open_database
from app.persistence.repair import missing, triggers_digest, vn_triggers, with_prefix
from app.services.clients import get_client, update_client
from tests.exchange import helpers as h
from tests.exchange.test_restore_safety import _sql
from tests.test_disk_and_readonly import ROOT, _mounted, dump

SYNC_NOTICE = "триггеры синхронизации"
READ_ONLY_DAMAGED = "повреждена (её служебные таблицы или триггеры изменены вне программы), и восстановить её нельзя"


def _database(path: Path, *, team: str = "") -> int:
    db = open_database(f"sqlite:///{path}")
    try:
        cid = h.populate(db)
        with db.engine.begin() as conn:
            if team:
                conn.execute(text("INSERT INTO setting(key, value) VALUES ('team.login', :v)"), {"v": team})
            # rows that came from the server (row_version > 0) and wait for nothing: their own merge base
            conn.exec_driver_sql("UPDATE work_log SET row_version = 7")
            conn.exec_driver_sql("DELETE FROM sync_outbox")
            conn.exec_driver_sql("DELETE FROM sync_base")
        return cid
    finally:
        db.dispose()


def _master(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        con.close()


def _whole(db) -> None:
    """The sync triggers are exactly the migrations' (and so are the derived tables)."""
    with db.engine.connect() as conn:
        triggers = vn_triggers(conn)
        assert not sync_triggers.damaged(triggers) and missing(conn, triggers) == []
        assert with_prefix(triggers, *sync_triggers.PREFIXES) == sync_triggers.made(conn)


def _outbox(db) -> set[tuple[str, str, bool]]:
    with db.engine.connect() as conn:
        return {(t, u, bool(d)) for t, u, d in conn.exec_driver_sql(
            "SELECT table_name, record_uuid, deleted FROM sync_outbox")}


def test_the_pinned_digest_is_that_of_a_freshly_migrated_database(tmp_path):
    """``DIGEST`` is what migrations 0009, 0012 and 0015 make on a new database, and their SQL generators
    (``trigger_sql``, 0012's with the tables' columns) give those triggers byte for byte: a migration that
    changes them must update ``DIGEST`` (the value was taken before 0009's SQL moved into its ``trigger_sql``)."""
    db = open_database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        with db.engine.connect() as conn:
            present = with_prefix(vn_triggers(conn), *sync_triggers.PREFIXES)
            assert len(present) == 66 and "vn_keep_ticked_template" in present
            assert triggers_digest(present) == sync_triggers.DIGEST
            assert sync_triggers.made(conn) == present
        assert db.notices == []
    finally:
        db.dispose()


def test_a_digest_left_stale_by_a_migration_does_not_stop_a_database_opening(tmp_path, monkeypatch, caplog):
    """Should a migration change these triggers without updating ``DIGEST`` (the test above fails then), the
    triggers the migrations made are not taken for damage: the database opens as it is, the error is logged."""
    path = tmp_path / "laptop.sqlite3"
    _database(path)
    master = _master(path)
    monkeypatch.setattr(sync_triggers, "DIGEST", "0" * 64)
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    assert db.notices == [] and _master(path) == master
    assert "update DIGEST" in caplog.text


@pytest.mark.parametrize("team", ["", "ivanov"], ids=["alone", "in a team"])
def test_a_dropped_outbox_trigger_is_made_again_and_an_edit_reaches_the_outbox(tmp_path, team):
    path = tmp_path / "laptop.sqlite3"
    cid = _database(path, team=team)
    _sql(path, "DROP TRIGGER vn_outbox_client_upd")
    db = open_database(f"sqlite:///{path}")
    try:
        assert len(db.notices) == 1 and SYNC_NOTICE in db.notices[0] and "восстановлены" in db.notices[0]
        if team:  # honest: what was changed meanwhile may not have reached the server, and what to do
            assert "могли не попасть на сервер команды" in db.notices[0] and "sync setup" in db.notices[0]
        else:
            assert "ничего не потеряно" in db.notices[0] and "sync setup" not in db.notices[0]
        _whole(db)
        details = get_client(db, cid)
        update_client(db, cid, dataclasses.replace(details.data, name="ООО «Ромашка и К»"))
        assert ("client", details.uuid, False) in _outbox(db)
    finally:
        db.dispose()


def test_a_merge_base_trigger_with_another_body_is_made_again(tmp_path):
    path = tmp_path / "laptop.sqlite3"
    _database(path)
    _sql(path, "DROP TRIGGER vn_base_work_log_upd",
         "CREATE TRIGGER vn_base_work_log_upd BEFORE UPDATE ON work_log WHEN 0 BEGIN SELECT 1; END")
    db = open_database(f"sqlite:///{path}")
    try:
        assert len(db.notices) == 1 and SYNC_NOTICE in db.notices[0]
        _whole(db)
        with db.engine.begin() as conn:  # the first local change of a row from the server keeps its base again
            conn.exec_driver_sql("UPDATE work_log SET note = 'Склад и цех' WHERE note = 'Склад'")
            based = conn.exec_driver_sql("SELECT table_name, row_version, data FROM sync_base").all()
        assert [(t, v) for t, v, _data in based] == [("work_log", 7)] and '"note":"Склад"' in based[0][2]
    finally:
        db.dispose()


@pytest.mark.parametrize("extra", [
    "CREATE TRIGGER vn_outbox_extra AFTER INSERT ON client BEGIN DELETE FROM sync_outbox; END",
    "CREATE TRIGGER vn_keep_everything BEFORE DELETE ON contact BEGIN SELECT RAISE(IGNORE); END",
])
def test_a_hand_made_trigger_under_the_sync_prefixes_is_removed(tmp_path, extra):
    path = tmp_path / "laptop.sqlite3"
    _database(path)
    _sql(path, extra)
    db = open_database(f"sqlite:///{path}")
    try:
        assert len(db.notices) == 1 and SYNC_NOTICE in db.notices[0]
        _whole(db)
        name = extra.split()[2]
        assert name not in {row[1] for row in _master(path)}
    finally:
        db.dispose()


def test_after_a_repair_the_next_open_writes_nothing(tmp_path):
    """The triggers made again are the pinned ones: no repair on every open. An intact file is only read: the
    schema unchanged, no commit seen by another connection, no change counted on the opening connection."""
    path = tmp_path / "laptop.sqlite3"
    _database(path)
    _sql(path, "DROP TRIGGER vn_keep_ticked_template", "DROP TRIGGER vn_outbox_audit_log_ins")
    first = open_database(f"sqlite:///{path}")
    assert len(first.notices) == 1 and SYNC_NOTICE in first.notices[0]
    first.dispose()
    master = _master(path)
    other = sqlite3.connect(path)
    try:
        before = other.execute("PRAGMA data_version").fetchone()[0]
        db = open_database(f"sqlite:///{path}")
        try:
            assert db.notices == []
            raw = db.engine.raw_connection()  # the pool's one connection, the one the open used
            try:
                assert raw.driver_connection.total_changes == 0  # type: ignore[union-attr]
            finally:
                raw.close()
        finally:
            db.dispose()
        assert other.execute("PRAGMA data_version").fetchone()[0] == before
    finally:
        other.close()
    assert _master(path) == master


def test_derived_tables_and_sync_triggers_damaged_at_once_are_both_repaired(tmp_path):
    path = tmp_path / "laptop.sqlite3"
    cid = _database(path)
    _sql(path, "DROP TABLE client_stamp", "DROP TRIGGER vn_counts_checklist_state_ins",
         "DROP TRIGGER vn_outbox_contact_upd", "DROP TRIGGER vn_base_client_del")
    db = open_database(f"sqlite:///{path}")
    try:
        assert len(db.notices) == 2, db.notices
        assert "Служебные таблицы списка заказчиков" in db.notices[0] and SYNC_NOTICE in db.notices[1]
        _whole(db)
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE contact SET phone = '+7 911 111-11-11' WHERE client_id = :c"), {"c": cid})
        assert {t for t, _u, _d in _outbox(db)} == {"contact"}
    finally:
        db.dispose()


def test_the_cli_says_the_repair_on_stderr_and_goes_on(tmp_path, capsys):
    path = tmp_path / "laptop.sqlite3"
    _database(path)
    _sql(path, "DROP TRIGGER vn_outbox_work_log_del")
    status = run(["--db", str(path), "clients", "list", "--json"])
    captured = capsys.readouterr()
    assert status == 0 and "ООО «Ромашка»" in captured.out
    assert SYNC_NOTICE in captured.err and len(captured.err.strip().splitlines()) == 1


def test_triggers_that_cannot_be_made_for_tables_changed_by_hand_are_refused_and_nothing_changes(tmp_path):
    """A synced table with a column added by hand: 0012's trigger made for it now would not be the migrations'
    (and would be «repaired» again at every open). The file is left as it was, with a sentence saying why."""
    path = tmp_path / "laptop.sqlite3"
    _database(path)
    _sql(path, "ALTER TABLE contact ADD COLUMN telegram TEXT", "DROP TRIGGER vn_base_contact_upd")
    before = dump(path)
    with pytest.raises(UserError) as err:
        open_database(f"sqlite:///{path}")
    assert "восстановите базу из резервной копии" in err.value.message
    assert dump(path) == before


@contextlib.contextmanager
def _read_only(path: Path, where: str):
    """The file (or its folder) read-only: a read-only bind mount as root, the file's (folder's) mode otherwise."""
    target = path if where == "file" else path.parent
    if ROOT:
        with _mounted(["--bind", str(target), str(target)], ["-o", "remount,ro,bind", str(target)]):
            yield
        return
    mode = target.stat().st_mode
    os.chmod(target, 0o444 if where == "file" else 0o555)
    try:
        yield
    finally:
        os.chmod(target, mode)


@pytest.mark.parametrize("where", ["file", "folder"])
@pytest.mark.parametrize("damage", [("DROP TRIGGER vn_outbox_client_upd",), ("DROP TRIGGER vn_stamp_contact_upd",)],
                         ids=["sync trigger", "derived table's trigger"])
def test_a_damaged_read_only_database_is_refused_with_what_to_do(tmp_path, capsys, where, damage):
    """Not «можно просматривать»: a damaged file is not opened at all (its counters may be wrong), exit 2."""
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "laptop.sqlite3"
    _database(path)
    _sql(path, *damage)
    with _read_only(path, where):
        before = dump(path)
        status = run(["--db", str(path), "clients", "list", "--json"])
        captured = capsys.readouterr()
        assert dump(path) == before
    assert status == 2 and captured.out == ""
    assert captured.err.startswith("База данных") and READ_ONLY_DAMAGED in captured.err, captured.err
    assert "Разрешите запись" in captured.err and "просматривать" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1 and "Traceback" not in captured.err
