"""`sync setup` says what a laptop's login must be (issue 17 trial of 05:15): the server owner's login (a
superuser, no team member) heard «Ваш доступ к серверу команды отозван», and an address that is not PostgreSQL
was told to give «postgresql+psycopg://владелец@…». Now a login that is no member is told so and how a laptop
connects (a member added by «users add»); a member switched off still hears «отозван»; nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.persistence.db import open_database
from app.team.users import add_user
from tests.team.conftest import NOT_SET_UP, PASSWORD, plain_url

# a brand-new laptop has no changes to keep: the first setup says nothing was saved (the trial 17g)
KEPT = "ноутбук пока не подключён, ничего не сохранено"
NOT_MEMBER = ("«{login}» — не участник команды на этом сервере: ноутбук подключается под логином участника, "
              "которого администратор добавил командой «users add» (логин владельца сервера нужен только для его "
              "подготовки, «server init»); " + KEPT + ".")
NOT_POSTGRES = ("Сервер команды — база данных PostgreSQL: укажите её адрес с вашим логином участника команды, "
                "например «sync setup --database-url postgresql+psycopg://ЛОГИН@сервер/база» (логин, под которым "
                "администратор добавил вас командой «users add»); ничего не изменено.")


def _nothing_stored(cli, sqlite_path) -> None:
    assert cli("sync", "status") == (0, NOT_SET_UP + "\n", "")
    if not sqlite_path.exists():
        return
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM setting WHERE key LIKE 'sync.%' OR key = 'team.login'")
                                ).scalar() == 0
    finally:
        db.dispose()


def _setup(cli, url: str, pw) -> tuple[int, str, str]:
    return cli("sync", "setup", "--database-url", url, "--password-file", str(pw))


@pytest.fixture
def pw(tmp_path):
    path = tmp_path / "pw.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("url", ["sqlite:////tmp/team.sqlite3", "mysql://ivanova@db.example/vnedrenie",
                                 "not a url"])
def test_an_address_that_is_not_postgresql_is_told_in_a_laptops_words(cli, sqlite_path, pw, url):
    assert _setup(cli, url, pw) == (2, "", NOT_POSTGRES + "\n")
    _nothing_stored(cli, sqlite_path)


@pytest.mark.postgres
def test_the_server_owners_login_is_told_it_is_no_member(cli, server, server_url, sqlite_path, pw):
    owner = make_url(server_url).username
    assert _setup(cli, server_url, pw) == (2, "", NOT_MEMBER.format(login=owner) + "\n")
    _nothing_stored(cli, sqlite_path)


@pytest.mark.postgres
def test_a_login_of_the_server_outside_the_team_is_told_it_is_no_member(cli, server, server_url, sqlite_path, pw,
                                                                        login_of):
    stranger = login_of("stranger")
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE ROLE \"{stranger}\" LOGIN PASSWORD '{PASSWORD}'"))
        assert _setup(cli, plain_url(server_url, stranger), pw) == (2, "", NOT_MEMBER.format(login=stranger) + "\n")
        _nothing_stored(cli, sqlite_path)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{stranger}"'))
        admin.dispose()


@pytest.mark.postgres
def test_a_member_switched_off_still_hears_revoked(cli, server, server_url, sqlite_path, pw, login_of):
    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист")
    with server.unit() as s:  # the row switched off while the role may still log in
        s.execute(text("UPDATE team_user SET active = false WHERE login = :n"), {"n": ann})
    assert _setup(cli, plain_url(server_url, ann), pw) == (
        2, "", f"Ваш доступ к серверу команды отозван (обратитесь к администратору); {KEPT}.\n")
    _nothing_stored(cli, sqlite_path)
    with server.unit() as s:
        s.execute(text("UPDATE team_user SET active = true WHERE login = :n"), {"n": ann})
    status, out, err = _setup(cli, plain_url(server_url, ann), pw)
    assert (status, err) == (0, "") and ann in out
