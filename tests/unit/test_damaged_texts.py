"""Texts and amounts another program wrote in a form the program cannot use: named in Russian, status 2.

A blob in client.name was «Внутренняя ошибка: TypeError: sequence item 0: expected str instance, bytes found» in
«clients list», and a restore brought such a backup in without a word (texts were not looked at). An amount of
1.5 hundredths was read as 1 (int(1.5)): a kopeck added to a total in silence."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

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


def test_the_reader_of_hundredths_refuses_a_fraction_and_reads_a_whole_real():
    from app.persistence.types import Fixed2

    read = Fixed2().process_result_value
    with pytest.raises(ValueError, match=r"1\.5"):
        read(1.5, None)
    assert read(150.0, None) == Decimal("1.50") and read(150, None) == Decimal("1.50")
    assert read(-250.0, None) == Decimal("-2.50") and read("12", None) == Decimal("0.12")


def test_an_amount_of_a_fraction_of_a_kopeck_is_named_not_rounded_down(cli, demo_file):
    with sqlite3.connect(demo_file) as conn:
        entry, client = conn.execute("SELECT id, client_id FROM work_log WHERE amount IS NOT NULL "
                                     "ORDER BY id LIMIT 1").fetchone()
        other = conn.execute("SELECT id FROM work_log WHERE amount IS NOT NULL AND client_id = ? AND id <> ? "
                             "ORDER BY id LIMIT 1", (client, entry)).fetchone()[0]
        conn.execute("UPDATE work_log SET amount = 1.5 WHERE id = ?", (entry,))
        conn.execute("UPDATE work_log SET amount = CAST(amount AS REAL) WHERE id = ?", (other,))  # whole: read
    conn.close()
    status, out, err = cli("log", "list", str(client))
    assert status == 2 and out == ""
    assert f": 1; таблица work_log, запись {entry}, поле amount: «1.5»." in err and "Внутренняя ошибка" not in err
    _damage(demo_file, "UPDATE work_log SET amount = 150 WHERE id = ?", entry)
    assert cli("log", "list", str(client))[0] == 0
