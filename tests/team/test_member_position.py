"""A member's name and position (printed as the signer of their documents): asked at `users add`, changed by
`users edit` (administrators only), and a print without a position says exactly what to run (issue 17 trial,
point 4)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from app.errors import UserError
from app.persistence.db import open_database
from app.persistence.models import Client
from app.services.clients import ClientInput, add_client
from app.sync.service import sync_once
from app.sync.sync_setup import setup
from app.team.users import add_user, assign_client, edit_user, list_users
from tests.team.conftest import PASSWORD, member_url, plain_url

pytestmark = pytest.mark.postgres

INN = "7707083893"


def _run(*argv: str, capsys) -> tuple[int, str, str]:
    from app.cli import run

    status = run(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _member(server, login: str):
    return next(m for m in list_users(server) if m.login == login)


def test_users_add_asks_for_the_position_and_users_edit_changes_it(server, server_url, login_of, tmp_path, capsys):
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    ann = login_of("ann")
    status, out, err = _run("--database-url", server_url, "users", "add", ann, "--name", "Иванова Анна",
                            "--role", "specialist", "--password-file", str(pw), capsys=capsys)
    assert (status, out) == (2, "")
    assert err == ("Укажите должность участника в --position: она печатается под подписью в его документах "
                   "(изменить потом — «users edit ЛОГИН --position …»).\n")
    assert ann not in {m.login for m in list_users(server)}  # nothing created, not even the role
    with server.read() as s:
        assert s.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = :n"), {"n": ann}).scalar() == 0
    status, _out, err = _run("--database-url", server_url, "users", "add", ann, "--name", "Иванова Анна",
                             "--role", "specialist", "--position", "Консультант", "--password-file", str(pw),
                             capsys=capsys)
    assert status == 0, err
    status, out, err = _run("--database-url", server_url, "users", "edit", ann, "--position",
                            "Ведущий специалист по внедрению", capsys=capsys)
    assert (status, out, err) == (0, f"{ann}: Иванова Анна, Ведущий специалист по внедрению. Ноутбуки получат это "
                                     f"при следующей синхронизации.\n", "")
    status, _out, err = _run("--database-url", server_url, "users", "edit", ann, "--name", "Иванова Анна Петровна",
                             capsys=capsys)
    assert status == 0, err
    member = _member(server, ann)
    assert (member.full_name, member.position) == ("Иванова Анна Петровна", "Ведущий специалист по внедрению")
    status, out, _err = _run("--database-url", server_url, "users", "list", capsys=capsys)
    assert f"{ann}\tИванова Анна Петровна\tВедущий специалист по внедрению\t" in out
    # refusals: nothing to change, an empty name, an unknown login — exit 2, one sentence, nothing changed
    for argv, message in (((ann,), "Укажите --name или --position (или оба).\n"),
                          ((ann, "--name", "  "), "Укажите ФИО участника (оно печатается в подписи его документов).\n"),
                          (("nobody_here", "--position", "x"), "В команде нет участника «nobody_here».\n")):
        status, out, err = _run("--database-url", server_url, "users", "edit", *argv, capsys=capsys)
        assert status == 2 and out == "" and err.startswith(message) and "Traceback" not in err, err
    assert (_member(server, ann).full_name, _member(server, ann).position) == (
        "Иванова Анна Петровна", "Ведущий специалист по внедрению")


def test_only_an_administrator_edits_members(server, server_url, login_of):
    ann, root = login_of("ann"), login_of("root")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист")
    add_user(server, root, "Админов Пётр", "admin", PASSWORD, position="Руководитель отдела")
    as_ann = open_database(member_url(server_url, ann))
    try:
        with pytest.raises(UserError) as refused:
            edit_user(as_ann, ann, position="Главный по всему")
        assert refused.value.message == "Менять ФИО и должность участников может только администратор команды."
    finally:
        as_ann.dispose()
    assert _member(server, ann).position == "Специалист"
    as_root = open_database(member_url(server_url, root))
    try:
        assert edit_user(as_root, ann, position="Старший специалист").position == "Старший специалист"
    finally:
        as_root.dispose()
    assert _member(server, ann).position == "Старший специалист"


def test_users_edit_on_a_laptop_refuses(cli):
    status, out, err = cli("users", "edit", "ann", "--position", "Специалист")
    assert status == 2 and out == "" and "сервере команды" in err and "Traceback" not in err


def _content(db):
    from app.services.documents import ExecutorDetails
    from app.services.documents.common import base

    with db.unit() as s:
        client = s.scalar(select(Client))
        client.kpp = client.kpp or "770701001"
        executor = ExecutorDetails(company="ООО «Исполнитель»", inn="7707083893", kpp="770701001", address="Москва",
                                   city="Москва", specialist_name="Другой Человек", specialist_position="Специалист")
        return base(s, "act", client, executor, date.today())


def test_a_print_without_a_position_says_what_to_run_and_works_after_the_edit(server, server_url, login_of,
                                                                               tmp_path):
    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD)  # the service still takes no position
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    assign_client(server, INN, specialist=ann)
    laptop = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        setup(laptop, plain_url(server_url, ann), PASSWORD)
        sync_once(laptop)
        with pytest.raises(UserError) as refused:
            _content(laptop)
        assert refused.value.message == (
            f"Нельзя напечатать: у вас в команде ({ann}) не указана должность, а она печатается под подписью. "
            f"Администратор выполняет на сервере команды «users edit {ann} --position …»; затем синхронизируйте "
            f"ноутбук и напечатайте снова.")
        edit_user(server, ann, position="Специалист по внедрению")
        sync_once(laptop)
        content = _content(laptop)
        assert (content["executor"]["specialist_name"], content["executor"]["specialist_position"]) == (
            "Иванова Анна", "Специалист по внедрению")
    finally:
        laptop.dispose()
