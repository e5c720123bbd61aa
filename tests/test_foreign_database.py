"""A database another program made is refused, named by its tables, and left exactly as it was: the CLI's
``clients list --db other.sqlite3`` made our 200 tables beside the other program's (a user trial)."""

from __future__ import annotations

import sqlite3

import pytest

from app.errors import UserError
from app.persistence.db import open_database


def _foreign(path) -> list[tuple]:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE foo (id INTEGER PRIMARY KEY, bar TEXT)")
    con.execute("INSERT INTO foo (bar) VALUES ('чужие данные')")
    con.commit()
    con.close()
    return _schema(path)


def _schema(path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() + \
            con.execute("SELECT * FROM foo").fetchall()
    finally:
        con.close()


def test_the_cli_refuses_another_programs_database_and_writes_nothing(cli, sqlite_path):
    before = _foreign(sqlite_path)
    for argv in (["clients", "list"], ["clients", "list", "--json"], ["clients", "add", "--inn", "7707083893", "--name", "ООО «Тест»", "--approach", "remote"]):
        status, out, err = cli(*argv)
        assert status == 2, (status, out, err)
        assert "другой программе" in err and "foo" in err and "Traceback" not in err, err
        assert _schema(sqlite_path) == before
    assert sorted(p.name for p in sqlite_path.parent.iterdir() if not p.name.startswith("cli.sqlite3")) == []


def test_open_database_names_the_tables_and_keeps_an_empty_file_and_our_own(tmp_path):
    path = tmp_path / "other.sqlite3"
    before = _foreign(path)
    with pytest.raises(UserError) as refused:
        open_database(f"sqlite:///{path}")
    assert "foo" in refused.value.message
    assert _schema(path) == before
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()  # a 0-byte file: a new database of ours
    open_database(f"sqlite:///{empty}").dispose()
    open_database(f"sqlite:///{empty}").dispose()  # and ours opens again


def _file_made_with(path, *statements: str) -> bytes:
    con = sqlite3.connect(path)
    for sql in statements:
        con.execute(sql)
    con.commit()
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize(("statements", "named"), [
    (["CREATE TABLE foo (x)", "CREATE TABLE bar (y)"], "bar, foo"),
    # another program that uses Alembic: an empty revision table, or one of its own revisions
    (["CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"], "users"),
    (["CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
      "INSERT INTO alembic_version VALUES ('ae1027a6acf')", "CREATE TABLE users (id INTEGER PRIMARY KEY)"], "users"),
    (["CREATE VIEW v AS SELECT 1 AS one"], "v"),
], ids=["two-tables", "alembic-empty", "alembic-theirs", "view-only"])
def test_another_programs_file_is_refused_byte_for_byte_unchanged(cli, sqlite_path, statements, named):
    """A fresh tester: the refusal said «Ничего не изменено» while the program's first connection had switched the
    file to WAL (header bytes 18–19, the change counter); an Alembic table or a view alone let our schema in."""
    before = _file_made_with(sqlite_path, *statements)
    status, _out, err = cli("clients", "list")
    assert status == 2 and f"таблицы: {named})" in err, err
    assert sqlite_path.read_bytes() == before
    assert sorted(p.name for p in sqlite_path.parent.iterdir()) == [sqlite_path.name]


def test_a_half_made_database_of_ours_still_opens(tmp_path):
    """An empty revision table alone (a first migration that stopped at once) is ours: it becomes a database."""
    path = tmp_path / "half.sqlite3"
    _file_made_with(path, "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    open_database(f"sqlite:///{path}").dispose()
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM client").fetchone() == (0,)
    con.close()


def test_a_password_in_the_query_is_not_shown():
    with pytest.raises(UserError) as refused:
        open_database("postgresql+psycopg://u:first@127.0.0.1:1/x?password=second&sslmode=disable")
    message = refused.value.message
    assert "first" not in message and "second" not in message and "sslmode=disable" in message, message
