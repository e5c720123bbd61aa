"""The team and sync commands on the command line: exit codes, one Russian sentence, nothing changed."""

from __future__ import annotations

import json

import pytest

from tests.team.conftest import NOT_SET_UP, PASSWORD, plain_url

INN = "7707083893"


def test_sync_commands_on_a_laptop_without_a_server_refuse_in_russian(cli):
    status, out, err = cli("sync")
    assert status == 2 and "не подключён к серверу команды" in err and "Traceback" not in err
    status, out, err = cli("sync", "status")
    assert status == 0 and out.strip() == NOT_SET_UP
    status, _out, err = cli("users", "add", "ivanova", "--name", "Иванова", "--role", "specialist",
                            "--position", "консультант", "--password-file", "/nonexistent")
    assert status == 2 and "Traceback" not in err
    status, _out, err = cli("server", "init", "--database-url", "sqlite:////tmp/x.sqlite3")
    assert status == 2 and "PostgreSQL" in err


def test_my_clients_on_a_single_laptop_are_all_clients(cli):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    status, out, _err = cli("team", "mine", "--json")
    assert status == 0 and [c["inn"] for c in json.loads(out)] == [INN]


@pytest.mark.postgres
def test_server_users_and_sync_from_the_command_line(cli, server_url, tmp_path, login_of):
    from app.cli import run

    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    assert run(["server", "init", "--database-url", server_url]) == 0
    ann = login_of("ann")
    assert run(["--database-url", server_url, "users", "add", ann, "--name", "Иванова Анна",
                "--role", "specialist", "--position", "консультант", "--password-file", str(pw)]) == 0
    assert run(["--database-url", server_url, "users", "add", ann, "--name", "Двойник",
                "--role", "specialist", "--position", "консультант", "--password-file", str(pw)]) == 2
    assert cli("sync", "setup", "--database-url", plain_url(server_url, ann), "--password-file", str(pw))[0] == 0
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    status, out, err = cli("sync")
    assert status == 0, err
    assert "Синхронизировано в" in out
    bad = tmp_path / "bad.txt"
    bad.write_text("wrong password\n", encoding="utf-8")
    status, _out, err = cli("sync", "setup", "--database-url", plain_url(server_url, ann), "--password-file", str(bad))
    assert status == 2 and "не принял пароль" in err


def test_the_laptop_profile_names_the_author(cli):
    assert cli("team", "profile", "--name", "Иванова А. П.") == (0, "Иванова А. П.\n", "")
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    assert cli("stage", "advance", INN, "--force", "--reason", "договорились")[0] == 0
    status, out, _err = cli("audit", INN, "--json")
    assert status == 0 and {e["author"] for e in json.loads(out)} == {"Иванова А. П."}
    status, _out, err = cli("team", "profile", "--name", "   ")
    assert status == 2 and "имя" in err.lower()


def test_the_laptop_profile_sets_the_position_that_signs_its_documents(cli, sqlite_path):
    """Outside a team the position under the signature is the executor's specialist position: `team profile
    --position` sets it (the same field as Settings → Executor details)."""
    assert cli("team", "profile", "--name", "Иванова А. П.", "--position", "Специалист по внедрению") == (
        0, "Иванова А. П.\nДолжность под подписью: Специалист по внедрению\n", "")
    from app.persistence.db import open_database
    from app.services.documents import get_executor

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        assert get_executor(db).specialist_position == "Специалист по внедрению"
    finally:
        db.dispose()
    status, out, err = cli("team", "profile", "--position", "  ")
    assert (status, out) == (2, "") and err == "Укажите должность, которая печатается под вашей подписью.\n"


def test_on_a_team_laptop_the_profile_is_the_teams(cli, sqlite_path):
    from app.persistence.db import open_database
    from app.persistence.models import Setting, TeamUser
    from app.team.users import LOGIN_KEY

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.unit() as s:  # what «sync setup» and a sync leave on the laptop
            s.add(Setting(key=LOGIN_KEY, value="ivanova"))
            s.add(TeamUser(login="ivanova", full_name="Иванова Анна", position="Специалист", role="specialist"))
    finally:
        db.dispose()
    assert cli("team", "profile") == (0, "Иванова Анна\nДолжность под подписью: Специалист\n", "")
    status, out, err = cli("team", "profile", "--position", "Главный")
    assert (status, out) == (2, "") and err == (
        "В команде вашу должность задаёт команда (она печатается под вашей подписью): администратор выполняет на "
        "сервере команды «users edit ivanova --position …»; ноутбук получит это при следующей синхронизации. "
        "Ничего не изменено.\n")
    status, out, err = cli("team", "profile", "--name", "Аня")
    assert status == 2 and "«users edit ivanova --name …»" in err
    assert cli("team", "profile") == (0, "Иванова Анна\nДолжность под подписью: Специалист\n", "")
