"""The derived list tables (client_counts, client_stamp) and their triggers, dropped by hand, made again on open."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from app.persistence.db import open_database
from app.persistence.repair import missing
from app.services.client_list import list_clients, summaries
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.list_read import read_list
from tests.exchange.test_restore_safety import _sql
from tests.unit.test_list_read import _inn


def _database(path):
    db = open_database(f"sqlite:///{path}")
    ids = [add_client(db, ClientInput(name=f"ООО «Ремонт {i}»", inn=_inn(500 + i), approach="remote",
                                      contacts=[PersonInput(name=f"Сидоров {i}", phone="+7 900 000-00-00")]))
           for i in range(6)]
    with db.engine.begin() as conn:  # some ticks at the client's stage, so that the recount has something to count
        conn.execute(text("UPDATE client SET stage = 1 WHERE id = :c"), {"c": ids[2]})
        conn.execute(text("INSERT INTO checklist_state(uuid, updated_at, client_id, code, done, who) "
                          "SELECT 'u' || t.code || '-' || :c, '2026-12-01 10:00:00', :c, t.code, 1, 'Тест' "
                          "FROM checklist_template t WHERE t.stage = (SELECT stage FROM client WHERE id = :c)"), {"c": ids[2]})
    expected = list_clients(db)
    assert {row.id: row.checklist_done for row in expected}[ids[2]] == 4  # the four items of stage 1
    db.dispose()
    return ids, expected


def _live(db):
    with db.read() as s:
        return {row.id: (row.checklist_done, row.lessons_done) for row in summaries(s, live=True)}


@pytest.mark.parametrize("damage", [
    ("DROP TABLE client_stamp",),
    ("DROP TABLE client_counts",),
    ("DROP TRIGGER vn_stamp_contact_upd",),
    ("DROP TRIGGER vn_counts_checklist_state_ins", "DROP TRIGGER vn_stamp_client_del"),
    ("DROP TABLE client_stamp", "DROP TABLE client_counts"),
    # a helper's tryout: the counters' refill fired the stamps' triggers on the missing table
    ("DROP TABLE client_stamp", "DROP TRIGGER vn_counts_lesson_del"),
    # a table of that name made by hand with other columns
    ("DROP TABLE client_stamp", "CREATE TABLE client_stamp(id INTEGER PRIMARY KEY, foo TEXT)"),
    ("DROP TABLE client_counts", "CREATE TABLE client_counts(client_id INTEGER PRIMARY KEY, done INTEGER)"),
    # a trigger of the right name with another body: the counts went wrong without an error
    ("DROP TRIGGER vn_counts_checklist_state_upd",
     "CREATE TRIGGER vn_counts_checklist_state_upd AFTER UPDATE ON checklist_state BEGIN SELECT 1; END"),
    # a trigger added under the derived tables' prefix
    ("CREATE TRIGGER vn_stamp_extra AFTER UPDATE ON client BEGIN DELETE FROM client_stamp; END",),
])
def test_a_dropped_derived_table_or_trigger_is_made_again_on_open(tmp_path, damage):
    path = tmp_path / "damaged.sqlite3"
    ids, expected = _database(path)
    _sql(path, *damage)
    db = open_database(f"sqlite:///{path}")
    try:
        assert len(db.notices) == 1 and "восстановлены" in db.notices[0]  # said once, in Russian
        with db.engine.connect() as conn:
            assert missing(conn) == []
        assert list_clients(db) == expected
        first = read_list(db)
        # the triggers work again: a raw change of a contact and a tick are seen by the stamps and the counters
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE contact SET phone = '+7 911 111-11-11' WHERE client_id = :c"), {"c": ids[1]})
            conn.execute(text("UPDATE checklist_state SET done = 0 WHERE client_id = :c"), {"c": ids[2]})
            conn.execute(text("DELETE FROM client WHERE id = :c"), {"c": ids[5]})
        read = read_list(db, first.basis)
        assert not read.complete and sorted(row.id for row in read.rows) == [ids[1], ids[2]]
        assert read.gone == [ids[5]]
        counted = {row.id: (row.checklist_done, row.lessons_done) for row in list_clients(db)}
        assert counted == _live(db) and counted[ids[2]] == (0, 0)
    finally:
        db.dispose()


def test_an_intact_database_is_not_written_on_open(tmp_path):
    path = tmp_path / "intact.sqlite3"
    _database(path)
    conn = sqlite3.connect(path)
    try:
        before = conn.execute("PRAGMA data_version").fetchone()[0]
        db = open_database(f"sqlite:///{path}")
        db.dispose()
        assert conn.execute("PRAGMA data_version").fetchone()[0] == before  # no commit from another connection
        assert db.notices == []
    finally:
        conn.close()


def test_unreadable_stamps_give_every_row_not_an_error(tmp_path):
    """Between the damage and the next open (the window already open), a reload reads every row."""
    path = tmp_path / "open.sqlite3"
    _database(path)
    db = open_database(f"sqlite:///{path}")
    try:
        basis = read_list(db).basis
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE client_stamp")
            for name in [r[0] for r in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'vn_stamp_%'")]:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
            conn.exec_driver_sql("UPDATE client SET name = 'ООО «Новое имя»' WHERE id = (SELECT min(id) FROM client)")
        read = read_list(db, basis)
        assert read.complete and read.basis is None
        assert read.rows == list_clients(db) and "ООО «Новое имя»" in {row.name for row in read.rows}
    finally:
        db.dispose()


def test_the_check_on_open_knows_the_migrations_own_triggers():
    """``missing`` compares digests without importing the migrations (Alembic, ~250 ms, on every open): they are
    those of the migrations' trigger SQL (update ``_DERIVED`` with a migration that changes them)."""
    from app.persistence.repair import _DERIVED, load_migration, triggers_digest

    for derived in _DERIVED:
        module = load_migration(derived.migration)
        made = {sql.split()[2]: sql for sql in module.trigger_sql()}
        assert set(made) == set(module.TRIGGERS)
        assert all(name.startswith(derived.prefix) for name in made)
        assert triggers_digest(made) == derived.digest, derived.table
