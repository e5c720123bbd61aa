"""`users add|disable|edit` refused in one Russian sentence, exit 2, nothing changed: a member who is not an
administrator, an overlong name or position, a reserved login, an empty position; and the team server's own
«no» (rights, too long a text) never leaks the driver's English on any command."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.team.users import add_user, list_users
from tests.team.conftest import PASSWORD, member_url

pytestmark = pytest.mark.postgres

LONG = "Я" * 201


def _run(*argv: str, capsys) -> tuple[int, str, str]:
    from app.cli import run

    status = run(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _roles(server, *logins: str) -> set[str]:
    with server.read() as s:
        rows = s.execute(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:n)"), {"n": list(logins)})
        return {r[0] for r in rows}


def _refused(status: int, out: str, err: str, message: str) -> None:
    assert (status, out) == (2, ""), (status, out, err)
    assert err == message + "\n", err
    for english in ("Traceback", "Внутренняя ошибка", "permission denied", "InsufficientPrivilege", "value too long"):
        assert english not in err


@pytest.fixture
def team(server, login_of):
    ann, root = login_of("ann"), login_of("root")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист")
    add_user(server, root, "Админов Пётр", "admin", PASSWORD, position="Руководитель")
    return {"ann": ann, "root": root}


def test_a_specialist_may_neither_add_nor_disable_members(server, server_url, team, login_of, tmp_path, capsys):
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    as_ann = member_url(server_url, team["ann"])
    newbie = login_of("newbie")
    only_admins = "Добавлять, включать и отключать участников может только администратор команды."
    _refused(*_run("--database-url", as_ann, "users", "add", newbie, "--name", "Новиков", "--role", "specialist",
                   "--position", "Стажёр", "--password-file", str(pw), capsys=capsys), only_admins)
    _refused(*_run("--database-url", as_ann, "users", "disable", team["root"], capsys=capsys), only_admins)
    assert _roles(server, newbie) == set()
    members = {m.login: m for m in list_users(server)}
    assert newbie not in members and members[team["root"]].active
    with server.read() as s:  # the administrator still signs in
        assert s.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"), {"n": team["root"]}).scalar()
    # the team's administrator may do both
    as_root = member_url(server_url, team["root"])
    status, _out, err = _run("--database-url", as_root, "users", "add", newbie, "--name", "Новиков", "--role",
                             "specialist", "--position", "Стажёр", "--password-file", str(pw), capsys=capsys)
    assert status == 0, err
    status, _out, err = _run("--database-url", as_root, "users", "disable", newbie, capsys=capsys)
    assert status == 0, err
    assert not {m.login: m for m in list_users(server)}[newbie].active


def test_overlong_names_and_positions_are_refused_before_anything_is_created(server, server_url, team, login_of,
                                                                            tmp_path, capsys):
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    newbie = login_of("newbie")
    common = ("--database-url", server_url, "users", "add", newbie, "--role", "specialist", "--password-file", str(pw))
    _refused(*_run(*common, "--name", LONG, "--position", "Стажёр", capsys=capsys),
             "Поле «ФИО» слишком длинное: 201 символ, допустимо не более 200.")
    _refused(*_run(*common, "--name", "Новиков", "--position", LONG, capsys=capsys),
             "Поле «Должность» слишком длинное: 201 символ, допустимо не более 200.")
    assert _roles(server, newbie) == set() and newbie not in {m.login for m in list_users(server)}
    _refused(*_run("--database-url", server_url, "users", "edit", team["ann"], "--position", LONG, capsys=capsys),
             "Поле «Должность» слишком длинное: 201 символ, допустимо не более 200.")
    _refused(*_run("--database-url", server_url, "users", "edit", team["ann"], "--name", LONG, capsys=capsys),
             "Поле «ФИО» слишком длинное: 201 символ, допустимо не более 200.")
    ann = {m.login: m for m in list_users(server)}[team["ann"]]
    assert (ann.full_name, ann.position) == ("Иванова Анна", "Специалист")
    # exactly 200 characters are kept
    status, _out, err = _run(*common, "--name", "Я" * 200, "--position", "Д" * 200, capsys=capsys)
    assert status == 0, err
    kept = {m.login: m for m in list_users(server)}[newbie]
    assert (len(kept.full_name), len(kept.position)) == (200, 200)


@pytest.mark.parametrize("login", ["postgres", "pg_monitor_x", "vnedrenie_team", "vnedrenie", "vn_admin", "public",
                                   "none", "current_user", "session_user", "select", "user"])
def test_reserved_logins_are_refused(server, server_url, login, tmp_path, capsys):
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    with server.read() as s:
        existed = bool(s.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}).first())
    status, out, err = _run("--database-url", server_url, "users", "add", login, "--name", "Кто-то", "--role",
                            "specialist", "--position", "Стажёр", "--password-file", str(pw), capsys=capsys)
    assert (status, out) == (2, "") and "Traceback" not in err
    assert f"«{login}»" in err and ("занят PostgreSQL или самой программой" in err
                                    or "зарезервированное слово PostgreSQL" in err), err
    with server.read() as s:
        exists = bool(s.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}).first())
    assert exists == existed and login not in {m.login for m in list_users(server)}


def test_a_position_cannot_be_emptied(server, server_url, team, capsys):
    for value in ("", "   "):
        _refused(*_run("--database-url", server_url, "users", "edit", team["ann"], "--position", value,
                       capsys=capsys),
                 "Укажите должность участника: она печатается под подписью в его документах.")
    assert {m.login: m for m in list_users(server)}[team["ann"]].position == "Специалист"


def test_server_init_by_a_member_is_refused_in_russian(server, server_url, team, capsys):
    _refused(*_run("--database-url", member_url(server_url, team["ann"]), "server", "init", capsys=capsys),
             "Сервер команды готовит только владелец его базы данных: выполните «server init» под логином "
             "владельца базы (а не участника команды). Ничего не изменено.")


def test_any_command_the_server_refuses_for_rights_says_so_in_russian(server, server_url, team, capsys):
    """The last net of the command line: a write the server's row-level security or grants refuse, met by a
    command that did not check first (here: a number block typed by hand), is one sentence."""
    from sqlalchemy.exc import ProgrammingError

    from app.cli import Context, environment_refusal
    from app.persistence.db import open_database

    db = open_database(member_url(server_url, team["ann"]))
    try:
        with pytest.raises(ProgrammingError) as caught, db.unit() as s:
            s.execute(text("INSERT INTO number_block(kind, year, first, last, next, login) "
                           "VALUES ('act', 2026, 1, 9, 1, current_user)"))
    finally:
        db.dispose()
    refusal = environment_refusal(caught.value, Context())
    assert refusal is not None and refusal.message == (
        "Сервер команды отказал: ваша роль в команде этого не разрешает (обратитесь к администратору команды). "
        "Ничего не изменено.")


def test_users_list_of_an_empty_team_says_so(server, server_url, capsys):
    status, out, err = _run("--database-url", server_url, "users", "list", capsys=capsys)
    assert (status, err) == (0, "")
    assert out == ("В команде пока никого нет: добавьте участников командой «users add ЛОГИН --name … --role … "
                   "--position …».\n")
    assert _run("--database-url", server_url, "users", "list", "--json", capsys=capsys) == (0, "[]\n", "")
