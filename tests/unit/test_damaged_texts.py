"""Texts another program wrote in a form the program cannot use: named in Russian, status 2.

A blob in client.name was «Внутренняя ошибка: TypeError: sequence item 0: expected str instance, bytes found» in
«clients list», and a restore brought such a backup in without a word (texts were not looked at)."""

from __future__ import annotations

import sqlite3

from app.persistence.damaged import find_damaged
from app.persistence.models import Base


def _damage(path, sql: str, *params) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql, params)
    conn.close()


def test_a_blob_in_a_clients_name_is_named_not_an_internal_error(cli, demo_file):
    _damage(demo_file, "UPDATE client SET name = x'fffe' WHERE id = 4")
    status, out, err = cli("clients", "list")
    assert status == 2 and out == ""
    assert err.startswith("В базе данных есть значения, которые программа не может прочитать")
    assert ": 1; таблица client, запись 4, поле name: «ff fe»." in err
    assert "Внутренняя ошибка" not in err


def _scan(engine, table: str, present: set[str] | None = None):
    return [(v.key, v.column, v.value) for v in find_damaged(
        engine, [Base.metadata.tables[table]], present=None if present is None else {table: present})]


def test_a_blob_in_any_text_column_is_found_and_a_text_or_nothing_is_not(db, demo_file):
    from sqlalchemy import create_engine

    _damage(demo_file, "UPDATE employee SET email = x'00' WHERE id = 2")
    _damage(demo_file, "UPDATE client SET notes = x'', uuid = x'41' WHERE id = 3")  # an empty blob too; UUIDText
    _damage(demo_file, "UPDATE client SET inn = '', address = '12' WHERE id = 5")  # texts: as they are
    _damage(demo_file, "UPDATE checklist_template SET requires = NULL, uuid = NULL")  # nothing: as it is
    engine = create_engine(f"sqlite:///{demo_file}")
    try:
        assert _scan(engine, "employee") == [(2, "email", b"\x00")]
        assert _scan(engine, "client") == [(3, "notes", b""), (3, "uuid", b"A")]
        assert _scan(engine, "checklist_template") == []
    finally:
        engine.dispose()


def test_a_number_in_a_text_column_of_a_table_another_program_made_is_found(tmp_path):
    """Every text column of the program's has SQLite's TEXT affinity, which turns a number into its text; a table
    made by another program without it keeps 5 and 2.5 as numbers — read by Python as int and float, not str."""
    from sqlalchemy import create_engine

    path = tmp_path / "other.sqlite3"
    _damage(path, "CREATE TABLE employee (id INTEGER PRIMARY KEY, name, email, uuid)")
    _damage(path, "INSERT INTO employee VALUES (1, 5, 2.5, 'a'), (2, 'Иван', NULL, x'01')")
    engine = create_engine(f"sqlite:///{path}")
    try:
        assert _scan(engine, "employee", {"id", "name", "email", "uuid"}) == [
            (1, "name", 5), (1, "email", 2.5), (2, "uuid", b"\x01")]
    finally:
        engine.dispose()


