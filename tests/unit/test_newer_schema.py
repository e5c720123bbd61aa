"""A database written by a newer version of the program (a schema revision this one does not know) is one Russian
sentence and exit 2, untouched — it was «Внутренняя ошибка: CommandError: Can't locate revision…», exit 1 (the
trial of issue 17: a SQLite file, a team server used with --database-url, `server init`)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.errors import UserError
from app.persistence.db import open_database


def _make_newer(url: str) -> None:
    db = open_database(url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    db.dispose()


def test_the_command_line_refuses_a_newer_database_in_russian(cli, sqlite_path):
    assert cli("clients", "list")[0] == 0
    _make_newer(f"sqlite:///{sqlite_path}")
    status, _out, err = cli("clients", "list")
    assert status == 2 and "Traceback" not in err
    assert "создана более новой версией программы (схема 0099): обновите программу" in err


def test_opening_a_newer_database_changes_nothing(db_url):
    _make_newer(db_url)
    with pytest.raises(UserError, match="обновите программу"):
        open_database(db_url)
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0099"
    engine.dispose()
