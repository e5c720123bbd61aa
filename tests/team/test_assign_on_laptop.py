"""`team assign` on a team laptop checks what the server would check (trial of issue 17, findings 4 and 5).

A specialist handing her client to another specialist on her laptop was accepted (exit 0) and the client was
then stuck, refused at every sync; an administrator's laptop stored an unknown login or a specialist as the
manager, and the server took them. Now the laptop refuses at once (exit 2, one Russian sentence) against its
copy of the roster, nothing is written, and the next sync has nothing to send and no conflict; what the server
allows is still allowed and reaches the server."""

from __future__ import annotations

import pytest

from app.services.clients import ClientInput, add_client
from app.sync.service import conflicts, pending_count, sync_once
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, join_laptop, sql_rows

pytestmark = pytest.mark.postgres
INN = "7707083893"
REFUSED = "Передать этого заказчика этому сотруднику вы не можете"
NOT_FITTING = "не действующий участник команды с подходящей ролью"


@pytest.fixture
def team(server, server_url, login_of, tmp_path):
    """Members (two managers, each with a specialist; ann and olga are boss's; an admin), the client assigned to
    ann, and ``laptop(who)``: that member's laptop file, joined and synced once."""
    people = {k: login_of(k) for k in ("boss", "other", "ann", "olga", "sid", "root")}
    add_user(server, people["boss"], "Петрова Мария", "manager", PASSWORD)
    add_user(server, people["other"], "Кузнецова Вера", "manager", PASSWORD)
    add_user(server, people["root"], "Админов Пётр", "admin", PASSWORD)
    add_user(server, people["ann"], "Иванова Анна", "specialist", PASSWORD, manager=people["boss"])
    add_user(server, people["olga"], "Орлова Ольга", "specialist", PASSWORD, manager=people["boss"])
    add_user(server, people["sid"], "Сидоров Олег", "specialist", PASSWORD, manager=people["other"])
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    assign_client(server, INN, specialist=people["ann"])
    opened: list = []

    def laptop(who: str):
        path = tmp_path / f"{who}.sqlite3"
        return path, join_laptop(path, server_url, people[who], opened)

    yield people, laptop
    for db in opened:
        db.dispose()


def _cli(path, capsys, *argv: str) -> tuple[int, str]:
    from app.cli import run

    capsys.readouterr()
    status = run(["--db", str(path), "team", "assign", INN, *argv])
    return status, capsys.readouterr().err.strip()


def _logins(db) -> list[tuple[str, str]]:
    return [tuple(r) for r in sql_rows(db, "SELECT specialist_login, manager_login FROM client")]


def test_a_specialist_cannot_hand_her_client_to_another_on_her_laptop(server, team, capsys):
    people, laptop = team
    path, db = laptop("ann")
    status, err = _cli(path, capsys, "--specialist", people["olga"])
    assert status == 2 and REFUSED in err and "Иванова Анна (специалист)" in err
    assert "\n" not in err and "Traceback" not in err
    before = [(people["ann"], people["boss"])]
    assert _logins(db) == before and pending_count(db) == 0
    report = sync_once(db)
    assert report.conflicts == 0 and conflicts(db) == []
    assert _logins(server) == before == _logins(db)


def test_an_admins_laptop_refuses_unknown_logins_and_a_specialist_as_manager(server, team, capsys):
    people, laptop = team
    path, db = laptop("root")
    before = [(people["ann"], people["boss"])]
    for argv in (("--specialist", "nobody"), ("--manager", people["sid"]), ("--manager", "nobody"),
                 ("--specialist", people["boss"])):
        status, err = _cli(path, capsys, *argv)
        assert status == 2 and "\n" not in err, (argv, err)
        assert NOT_FITTING in err or "не специалист команды" in err or "не менеджер и не администратор" in err, (
            argv, err)
        assert _logins(db) == before and pending_count(db) == 0
    sync_once(db)
    assert _logins(server) == before
    # what the server takes from an administrator is taken here and reaches it
    assert _cli(path, capsys, "--specialist", people["sid"]) == (0, "")
    assert _logins(db) == [(people["sid"], people["other"])]
    assert sync_once(db).conflicts == 0
    assert _logins(server) == [(people["sid"], people["other"])]


def test_a_manager_hands_his_clients_only_to_his_specialists(server, team, capsys):
    people, laptop = team
    path, db = laptop("boss")
    # to another manager's specialist: the client would become the other manager's, which the server refuses
    status, err = _cli(path, capsys, "--specialist", people["sid"])
    assert status == 2 and REFUSED in err and "Петрова Мария (менеджер)" in err
    assert _logins(db) == [(people["ann"], people["boss"])] and pending_count(db) == 0
    # to his own specialist: taken here, and by the server at the next sync
    assert _cli(path, capsys, "--specialist", people["olga"]) == (0, "")
    report = sync_once(db)
    assert report.conflicts == 0 and conflicts(db) == []
    assert _logins(server) == _logins(db) == [(people["olga"], people["boss"])]


def test_a_specialists_laptop_still_takes_what_the_server_takes(server, team, capsys):
    people, laptop = team
    path, db = laptop("ann")
    # her own client, herself again: the server's policy holds (she sees it before and after)
    assert _cli(path, capsys, "--specialist", people["ann"]) == (0, "")
    status, err = _cli(path, capsys, "--specialist", "")
    assert status == 2 and REFUSED in err  # the client would be nobody's she sees
    assert sync_once(db).conflicts == 0
    assert _logins(server) == [(people["ann"], people["boss"])]
