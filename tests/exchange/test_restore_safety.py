"""Restore checks the candidate's whole schema first and puts the old data back if the result cannot open."""

from __future__ import annotations

import sqlite3

import pytest

from app.errors import UserError
from app.exchange import backup as bk
from app.exchange.restore import restore_backup
from app.persistence.db import open_database
from app.persistence.migrate import head_revision
from tests.exchange import helpers as h


def _sql(path, *statements) -> None:
    con = sqlite3.connect(path)
    try:
        for statement in statements:
            con.execute(statement)
        con.commit()
    finally:
        con.close()


def _cases(sqlite_db, tmp_path) -> list[tuple[str, object, str]]:
    lonely = tmp_path / "lonely.sqlite3"
    _sql(lonely, "CREATE TABLE client (id INTEGER PRIMARY KEY, name TEXT)",
         "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
         f"INSERT INTO alembic_version VALUES ('{head_revision()}')")
    no_column = bk.make_backup(sqlite_db, "manual", target=tmp_path / "no_column.sqlite3").path
    # the merge-base triggers of migration 0012 name every column: SQLite drops no column they use
    _sql(no_column, "DROP TRIGGER vn_base_contact_upd", "DROP TRIGGER vn_base_contact_del",
         "ALTER TABLE contact DROP COLUMN email")
    orphan = bk.make_backup(sqlite_db, "manual", target=tmp_path / "orphan.sqlite3").path
    _sql(orphan, "PRAGMA foreign_keys=OFF",
         "INSERT INTO contact (uuid, updated_at, client_id, name, position, phone, email) "
         "VALUES ('99999999-9999-4999-8999-999999999999', '2024-01-01 00:00:00', 404, 'Никто', '', '', '')")
    two_versions = bk.make_backup(sqlite_db, "manual", target=tmp_path / "two.sqlite3").path
    _sql(two_versions, "INSERT INTO alembic_version VALUES ('0001')")
    no_table = bk.make_backup(sqlite_db, "manual", target=tmp_path / "no_table.sqlite3").path
    _sql(no_table, "DROP TABLE stage_event")
    return [("client table only", lonely, "таблиц"), ("a column missing", no_column, "email"),
            ("a broken reference", orphan, "contact"), ("two schema versions", two_versions, "не является"),
            ("a table missing", no_table, "stage_event")]


def test_restore_refuses_a_candidate_with_an_incomplete_schema(sqlite_db, tmp_path):
    h.populate(sqlite_db)
    before = h.full_dump(sqlite_db)
    for name, path, needle in _cases(sqlite_db, tmp_path):
        with pytest.raises(UserError) as err:
            restore_backup(sqlite_db, path)
        assert needle in err.value.message, (name, err.value.message)
        assert h.full_dump(sqlite_db) == before, name
    assert not [b for b in bk.list_backups(sqlite_db) if b.reason == "pre-restore"]  # refused before any copy


def test_cli_restore_of_a_client_table_only_file_leaves_every_command_working(cli, sqlite_path, tmp_path):
    assert cli("clients", "add", "--name", "ООО «А»", "--inn", h.INN_A, "--approach", "remote")[0] == 0
    lonely = tmp_path / "lonely.sqlite3"
    _sql(lonely, "CREATE TABLE client (id INTEGER PRIMARY KEY, name TEXT)",
         "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
         f"INSERT INTO alembic_version VALUES ('{head_revision()}')")
    status, _out, err = cli("restore", str(lonely))
    assert status == 2 and "нет таблицы" in err, err
    status, out, err = cli("clients", "list", "--json")
    assert status == 0 and "ООО «А»" in out, err


def test_a_restore_that_cannot_be_opened_is_rolled_back(sqlite_db, tmp_path, monkeypatch):
    h.populate(sqlite_db)
    saved = bk.make_backup(sqlite_db, "manual", target=tmp_path / "saved.sqlite3").path
    h.populate(sqlite_db, h.INN_B, "ООО «После копии»")
    before = h.full_dump(sqlite_db)
    from app.persistence import seed

    real = seed.ensure_seed
    calls = []

    def fails_once(db):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("no such table: stage")
        real(db)

    monkeypatch.setattr(seed, "ensure_seed", fails_once)
    with pytest.raises(UserError) as err:
        restore_backup(sqlite_db, saved)
    assert "прежние данные возвращены" in err.value.message, err.value.message
    assert h.full_dump(sqlite_db) == before
    reopened = open_database(sqlite_db.url)
    assert h.full_dump(reopened) == before
    reopened.dispose()
