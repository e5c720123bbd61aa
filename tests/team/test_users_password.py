"""`users password LOGIN` (the trial 17k, finding 5: no way to change a member's password but ALTER ROLE in psql):
an administrator gives a member a new password, a member changes their own; anyone else, a short password or an
unknown login is one Russian sentence, exit 2, nothing changed."""

from __future__ import annotations

import pytest

from app.team.users import add_user
from tests.team.conftest import PASSWORD, member_url, signs_in
from tests.team.test_last_admin import _refused, _run

pytestmark = pytest.mark.postgres

NEW = "новый-пароль-2026"


@pytest.fixture
def team(server, login_of):
    ann, adm, bob = login_of("ann"), login_of("adm"), login_of("bob")
    add_user(server, adm, "Админов Пётр", "admin", PASSWORD, position="Руководитель")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист")
    add_user(server, bob, "Борисов Борис", "specialist", PASSWORD, position="Специалист")
    return {"ann": ann, "adm": adm, "bob": bob}


def _file(tmp_path, password: str) -> str:
    path = tmp_path / "pw.txt"
    path.write_text(password + "\n", encoding="utf-8")
    return str(path)


def test_an_administrator_gives_a_member_a_new_password(server_url, team, tmp_path, capsys):
    status, out, err = _run("--database-url", member_url(server_url, team["adm"]), "users", "password", team["ann"],
                            "--password-file", _file(tmp_path, NEW), capsys=capsys)
    assert (status, err) == (0, "")
    assert out == (f"Иванова Анна ({team['ann']}): пароль изменён. На ноутбуках, которые синхронизируются под этим "
                   "логином, снова выполните «sync setup» с новым паролем.\n")
    assert signs_in(server_url, team["ann"], NEW) and not signs_in(server_url, team["ann"], PASSWORD)


def test_a_member_changes_their_own_password(server_url, team, tmp_path, capsys):
    status, _out, err = _run("--database-url", member_url(server_url, team["ann"]), "users", "password",
                             team["ann"], "--password-file", _file(tmp_path, NEW), capsys=capsys)
    assert (status, err) == (0, "")
    assert signs_in(server_url, team["ann"], NEW)


def test_refusals_are_one_sentence_and_change_nothing(server_url, team, login_of, tmp_path, capsys):
    as_ann, as_adm = member_url(server_url, team["ann"]), member_url(server_url, team["adm"])
    _refused(_run("--database-url", as_ann, "users", "password", team["bob"], "--password-file",
                  _file(tmp_path, NEW), capsys=capsys),
             "Новый пароль другому участнику задаёт только администратор команды; свой пароль участник меняет сам "
             "(«users password ВАШ_ЛОГИН»).")
    _refused(_run("--database-url", as_adm, "users", "password", team["bob"], "--password-file",
                  _file(tmp_path, "short"), capsys=capsys), "Пароль слишком короткий: нужно не меньше 8 символов.")
    nobody = login_of("nobody")
    _refused(_run("--database-url", as_adm, "users", "password", nobody, "--password-file",
                  _file(tmp_path, NEW), capsys=capsys), f"В команде нет участника «{nobody}».")
    assert signs_in(server_url, team["bob"], PASSWORD) and not signs_in(server_url, team["bob"], NEW)


def test_on_a_laptop_file_it_says_where_members_live(tmp_path, capsys):
    status, _out, err = _run("--db", str(tmp_path / "lap.sqlite3"), "users", "password", "ann", "--password-file",
                             _file(tmp_path, NEW), capsys=capsys)
    assert status == 2 and "сервере команды" in err
