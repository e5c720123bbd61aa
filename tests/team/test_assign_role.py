"""`team assign INN --specialist LOGIN` with a manager's or an administrator's login (the trial of issue 17): it was
taken, and the manager became the client's specialist. Only a member with the role specialist is; one Russian
sentence, exit 2, the client unchanged."""

from __future__ import annotations

import pytest

from app.services.clients import ClientInput, add_client
from app.team.users import add_user
from tests.team.conftest import PASSWORD, sql_rows

pytestmark = pytest.mark.postgres
INN = "7707083893"


@pytest.fixture
def team(server, login_of):
    boss, root, ann = login_of("boss"), login_of("root"), login_of("ann")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, root, "Админов Пётр", "admin", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    return {"boss": boss, "root": root, "ann": ann}


@pytest.mark.parametrize(("who", "role"), [("boss", "менеджер"), ("root", "администратор")])
def test_a_login_that_is_not_a_specialists_is_refused_as_the_specialist(server, server_url, team, who, role,
                                                                         capsys):
    from app.cli import run

    capsys.readouterr()
    assert run(["--database-url", server_url, "team", "assign", INN, "--specialist", team[who]]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (f"«{team[who]}» — не специалист команды (его роль: {role}): специалистом заказчика "
                           "назначается только специалист. Ничего не изменено.")
    assert sql_rows(server, "SELECT specialist_login, manager_login FROM client") == [("", "")]


def test_a_specialist_and_a_manager_are_still_assigned(server, server_url, team, capsys):
    from app.cli import run

    assert run(["--database-url", server_url, "team", "assign", INN, "--specialist", team["ann"]]) == 0
    assert sql_rows(server, "SELECT specialist_login, manager_login FROM client") == [(team["ann"], team["boss"])]
    assert run(["--database-url", server_url, "team", "assign", INN, "--manager", team["root"]]) == 0
    assert sql_rows(server, "SELECT specialist_login, manager_login FROM client") == [(team["ann"], team["root"])]


def test_a_specialists_login_is_refused_as_the_manager_by_its_role(server, server_url, team, login_of, capsys):
    """The trial 17g: «--manager ivanova» (an active specialist) heard «не действующий участник команды»."""
    from app.cli import run

    sid = login_of("sid")
    add_user(server, sid, "Сидоров Иван", "specialist", PASSWORD)
    capsys.readouterr()
    assert run(["--database-url", server_url, "team", "assign", INN, "--specialist", sid,
                "--manager", team["ann"]]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (f"«{team['ann']}» — не менеджер и не администратор команды (его роль: специалист): "
                           "менеджером заказчика назначается только менеджер или администратор. Ничего не изменено.")
    assert sql_rows(server, "SELECT specialist_login, manager_login FROM client") == [("", "")]
