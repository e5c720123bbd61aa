"""The author of a unit of work on SQLite is read in one statement (was three: the login, the profile, the
executor — on every write, a stage move among them), with the same answer in the same order of precedence,
and an unflushed change in the session still counts (the ORM reads it then)."""

from __future__ import annotations

import getpass

import pytest
from sqlalchemy import delete, insert

from app.persistence.db import open_database
from app.persistence.models import Executor, Setting
from app.team.author import LOGIN_KEY, PROFILE_KEY, current_author
from tests.sqlcount import counting


@pytest.fixture
def db(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'author.sqlite3'}")
    with database.engine.begin() as conn:  # the hooks' own checks are not what is tested here
        conn.execute(delete(Setting.__table__).where(Setting.__table__.c.key.in_([LOGIN_KEY, PROFILE_KEY])))
        conn.execute(delete(Executor.__table__))
    yield database
    database.dispose()


def _put(db, table, **values) -> None:
    with db.engine.begin() as conn:
        conn.execute(insert(table).values(**values))


def _author(db) -> tuple[str, int]:
    with db.read() as s, counting(db) as statements:
        author = current_author(s)
    return author, len([st for st in statements if not st.startswith("BEGIN")])


def test_precedence_login_then_profile_then_specialist_then_os_user_in_one_statement(db):
    assert _author(db) == (getpass.getuser(), 1)
    _put(db, Executor.__table__, specialist_name="  Петрова Анна  ")
    assert _author(db) == ("Петрова Анна", 1)
    _put(db, Setting.__table__, key=PROFILE_KEY, value="   ")  # a blank profile does not count
    assert _author(db) == ("Петрова Анна", 1)
    with db.engine.begin() as conn:
        conn.execute(Setting.__table__.update().values(value=" Иванов И. ").where(Setting.__table__.c.key == PROFILE_KEY))
    assert _author(db) == ("Иванов И.", 1)
    _put(db, Setting.__table__, key=LOGIN_KEY, value="ivanov")
    assert _author(db) == ("ivanov", 1)


def test_a_changed_profile_not_yet_flushed_is_the_author(db):
    _put(db, Setting.__table__, key=PROFILE_KEY, value="Старый")
    with db.read() as s:
        profile = s.get(Setting, PROFILE_KEY)
        profile.value = "Новый"
        with s.no_autoflush:
            assert current_author(s) == "Новый"
    with db.read() as s:
        s.add(Executor(specialist_name="Сидоров"))  # a new one counts too (the first save of the requisites)
        with s.no_autoflush:
            assert current_author(s) == "Старый"
