"""`users enable LOGIN` (brief hist17 point 5): a disabled member signs in again — their PostgreSQL role gets
LOGIN back and `users list` shows them active; only an administrator may, and bad input is one Russian
sentence, exit 2, nothing changed."""

from __future__ import annotations

import pytest

from app.team.users import add_user, list_users
from tests.team.conftest import PASSWORD, member_url, signs_in
from tests.team.test_last_admin import _active, _can_log_in, _refused, _run

pytestmark = pytest.mark.postgres


@pytest.fixture
def team(server, login_of):
    ann, adm = login_of("ann"), login_of("adm")
    add_user(server, adm, "Админов Пётр", "admin", PASSWORD, position="Руководитель")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист")
    return {"ann": ann, "adm": adm}


def test_a_disabled_member_is_enabled_again_by_an_administrator(server, server_url, team, capsys):
    as_adm = member_url(server_url, team["adm"])
    assert _run("--database-url", as_adm, "users", "disable", team["ann"], capsys=capsys)[0] == 0
    assert not _active(server, team["ann"]) and not _can_log_in(server, team["ann"])
    assert not signs_in(server_url, team["ann"])
    status, out, err = _run("--database-url", as_adm, "users", "enable", team["ann"], capsys=capsys)
    assert (status, out, err) == (0, f"Иванова Анна ({team['ann']}) снова может входить.\n", "")
    assert _active(server, team["ann"]) and _can_log_in(server, team["ann"])
    assert signs_in(server_url, team["ann"])
    status, out, _err = _run("--database-url", as_adm, "users", "list", capsys=capsys)
    [line] = [line for line in out.splitlines() if line.startswith(team["ann"] + "\t")]
    assert line == f"{team['ann']}\tИванова Анна\tСпециалист\tспециалист\t"  # no «(отключён)»


def test_enable_refuses_in_one_sentence_and_changes_nothing(server, server_url, team, login_of, capsys):
    as_adm, as_ann = member_url(server_url, team["adm"]), member_url(server_url, team["ann"])
    nobody = login_of("nobody")
    _refused(_run("--database-url", as_adm, "users", "enable", nobody, capsys=capsys),
             f"В команде нет участника «{nobody}».")
    _refused(_run("--database-url", as_adm, "users", "enable", team["ann"], capsys=capsys),
             f"«{team['ann']}» не отключён: этот участник уже может входить.")
    # a specialist may not switch anybody on, themselves neither (a disabled login cannot connect at all)
    other = login_of("bob")
    add_user(server, other, "Борисов Борис", "specialist", PASSWORD, position="Специалист")
    assert _run("--database-url", as_adm, "users", "disable", other, capsys=capsys)[0] == 0
    _refused(_run("--database-url", as_ann, "users", "enable", other, capsys=capsys),
             "Добавлять, включать и отключать участников может только администратор команды.")
    assert not _active(server, other) and not _can_log_in(server, other)
    assert [m.login for m in list_users(server) if not m.active] == [other]


def test_enable_on_a_laptop_file_says_where_members_live(tmp_path, capsys):
    status, out, err = _run("--db", str(tmp_path / "laptop.sqlite3"), "users", "enable", "ivanova", capsys=capsys)
    assert (status, out) == (2, "")
    assert err == ("Участники команды хранятся на сервере команды: укажите --database-url сервера PostgreSQL "
                   "(см. «server init»).\n")
