"""Issue 17 (brief fix17a point 4): the small refusals of `users`, one Russian sentence each, exit 2, nothing
changed — `disable` of a disabled member refused as `enable` of an active one, an empty name asks for the member's
name, a manager only for a specialist — and outside a team `users list` gives the command that works."""

from __future__ import annotations

import pytest

from app.team.users import add_user, list_users
from tests.team.conftest import PASSWORD, member_url
from tests.team.test_last_admin import _active, _can_log_in, _refused, _run


@pytest.fixture
def team(server, login_of):
    ann, adm, boss = login_of("ann"), login_of("adm"), login_of("boss")
    add_user(server, adm, "Админов Пётр", "admin", PASSWORD, position="Руководитель")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD, position="Руководитель отдела")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист", manager=boss)
    return {"ann": ann, "adm": adm, "boss": boss}


@pytest.mark.postgres
def test_disable_of_a_disabled_member_is_refused_as_enable_of_an_active_one(server, server_url, team, capsys):
    as_adm = member_url(server_url, team["adm"])
    assert _run("--database-url", as_adm, "users", "disable", team["ann"], capsys=capsys) == (
        0, f"Иванова Анна ({team['ann']}) больше не сможет войти.\n", "")
    _refused(_run("--database-url", as_adm, "users", "disable", team["ann"], capsys=capsys),
             f"«{team['ann']}» уже отключён: этот участник и так не может входить.")
    assert not _active(server, team["ann"]) and not _can_log_in(server, team["ann"])
    assert _run("--database-url", as_adm, "users", "enable", team["ann"], capsys=capsys)[0] == 0
    _refused(_run("--database-url", as_adm, "users", "enable", team["ann"], capsys=capsys),
             f"«{team['ann']}» не отключён: этот участник уже может входить.")
    with pytest.raises(SystemExit):
        _run("users", "--help", capsys=capsys)
    assert "отказ, если участник уже отключён" in " ".join(capsys.readouterr().out.split())


@pytest.mark.postgres
def test_an_empty_name_asks_for_the_members_name(server, server_url, team, capsys):
    as_adm = member_url(server_url, team["adm"])
    _refused(_run("--database-url", as_adm, "users", "edit", team["ann"], "--name", "", capsys=capsys),
             "Укажите ФИО участника (оно печатается в подписи его документов).")
    assert {m.login: m.full_name for m in list_users(server)}[team["ann"]] == "Иванова Анна"


@pytest.mark.postgres
@pytest.mark.parametrize(("role", "word"), [("manager", "менеджер"), ("admin", "администратор")])
def test_only_a_specialist_has_a_manager(server, server_url, team, login_of, capsys, tmp_path, role, word):
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    login = login_of("mgr")
    _refused(_run("--database-url", member_url(server_url, team["adm"]), "users", "add", login, "--name",
                  "Сидоров Олег", "--role", role, "--position", "Руководитель", "--manager", team["boss"],
                  "--password-file", str(pw), capsys=capsys),
             f"Менеджер бывает только у специалиста: для роли «{word}» уберите --manager.")
    assert login not in {m.login for m in list_users(server)}


def test_users_list_outside_a_team_gives_the_command_that_works(cli):
    status, out, err = cli("users", "list")
    assert (status, err) == (0, "")
    assert out == ("База этого компьютера — не сервер команды: участники команды перечисляются и добавляются на "
                   "сервере, например «--database-url URL users add LOGIN --name … --role … --position …» (URL — "
                   "адрес сервера команды с логином администратора).\n")
    status, _out, err = cli("users", "add", "ivanova", "--name", "Иванова", "--role", "specialist",
                            "--position", "консультант")
    assert status == 2 and "--database-url" in err  # the advice's option is the one the refusal asks for
