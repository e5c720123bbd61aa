"""`sync setup` and `server init` in the words of the trial 17g: a wrong value in the address (libpq's «invalid
sslmode value», a server's FATAL answer to «options=-c…», «connect_timeout=abc» the program's own timeout hid) is
one Russian sentence naming the parameter, exit 2, never «Нет связи» / «не отвечает», nothing saved; a password in
the address that differs from the password file's is refused; a brand-new laptop is not told its changes are
kept; a laptop of one member is not advised to «work as» the server owner."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.persistence.db import open_database
from app.team.users import add_user
from tests.team.conftest import NOT_SET_UP, PASSWORD, plain_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def ann(server, login_of):
    login = login_of("ann")
    add_user(server, login, "Иванова Анна", "specialist", PASSWORD)
    return login


@pytest.fixture
def pw(tmp_path):
    path = tmp_path / "pw.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


def _nothing_saved(cli, sqlite_path, keyring_backend) -> None:
    assert cli("sync", "status") == (0, NOT_SET_UP + "\n", "")
    assert keyring_backend.store == {}
    if sqlite_path.exists():
        db = open_database(f"sqlite:///{sqlite_path}")
        try:
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM setting WHERE key LIKE 'sync.%' "
                                         "OR key = 'team.login'")).scalar() == 0
        finally:
            db.dispose()


@pytest.mark.parametrize(("tail", "said"), [
    ("?sslmode=bogus", "у параметра «sslmode» неверное значение «bogus»"),
    ("?connect_timeout=abc", "у параметра «connect_timeout» неверное значение «abc»"),
    ("?keepalives=x", "у параметра «keepalives» неверное значение «x»"),
    ("?options=-cbogus%3D1", "настройки сервера «bogus» (параметр «options») в PostgreSQL нет"),
    ("?options=-cstatement_timeout%3Dabc",
     "у настройки сервера «statement_timeout» (параметр «options») неверное значение «abc»"),
])
def test_a_wrong_value_in_the_address_is_named_and_nothing_is_saved(cli, server, server_url, sqlite_path, ann, pw,
                                                                     memory_keyring, tail, said):
    status, out, err = cli("sync", "setup", "--database-url", plain_url(server_url, ann) + tail,
                           "--password-file", str(pw))
    assert (status, out) == (2, "")
    assert err == (f"Неверный адрес сервера команды: {said}; исправьте адрес («sync setup --database-url …»); "
                   "ноутбук пока не подключён, ничего не сохранено.\n")
    _nothing_saved(cli, sqlite_path, memory_keyring)


@pytest.mark.parametrize(("tail", "said"), [
    ("?sslmode=bogus", "у параметра «sslmode» неверное значение «bogus»"),
    ("?connect_timeout=abc", "у параметра «connect_timeout» неверное значение «abc»"),
    ("?options=-cbogus%3D1", "настройки сервера «bogus» (параметр «options») в PostgreSQL нет"),
])
def test_server_init_names_a_wrong_value_in_the_address(cli, server_url, tail, said):
    status, out, err = cli("server", "init", "--database-url", server_url + tail)
    assert (status, out) == (2, "")
    assert err == f"Не удаётся открыть базу команды: неверный адрес — {said}.\n"


def test_a_password_in_the_address_that_differs_from_the_files_is_refused(cli, server, server_url, sqlite_path, ann,
                                                                           pw, memory_keyring):
    wrong = make_url(plain_url(server_url, ann)).set(password="WRONG").render_as_string(hide_password=False)
    status, out, err = cli("sync", "setup", "--database-url", wrong, "--password-file", str(pw))
    assert (status, out) == (2, "")
    assert err == ("В адресе указан один пароль, а в файле пароля (или при вводе) — другой: укажите пароль один раз "
                   "— в файле (или при вводе), а адрес без пароля; ничего не сохранено.\n")
    _nothing_saved(cli, sqlite_path, memory_keyring)
    same = make_url(plain_url(server_url, ann)).set(password=PASSWORD).render_as_string(hide_password=False)
    status, out, err = cli("sync", "setup", "--database-url", same, "--password-file", str(pw))
    assert (status, err) == (0, "") and ann in out  # the same password twice is no contradiction


def test_a_brand_new_laptop_is_not_told_its_changes_are_kept(cli, server, server_url, sqlite_path, ann, tmp_path,
                                                             memory_keyring):
    bad = tmp_path / "bad.txt"
    bad.write_text("not the password\n", encoding="utf-8")
    status, out, err = cli("sync", "setup", "--database-url", plain_url(server_url, ann), "--password-file", str(bad))
    assert (status, out) == (2, "")
    assert err == ("Сервер команды не принял пароль — запустите «sync setup» снова с верным паролем; ноутбук "
                   "пока не подключён, ничего не сохранено.\n")
    assert "сохранены" not in err
    _nothing_saved(cli, sqlite_path, memory_keyring)


def test_a_connected_laptop_is_not_advised_to_work_as_the_server_owner(cli, server, server_url, ann, pw):
    assert cli("sync", "setup", "--database-url", plain_url(server_url, ann), "--password-file", str(pw))[0] == 0
    assert cli("sync")[0] == 0  # it holds ann's data now
    owner = make_url(server_url).username
    status, out, err = cli("sync", "setup", "--database-url", server_url, "--password-file", str(pw))
    assert (status, out) == (2, "")
    assert f"Работайте как «{owner}»" not in err and "«users add»" in err and "не участник команды" in err, err
