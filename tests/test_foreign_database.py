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
