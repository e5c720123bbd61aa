"""`users disable` never takes the team's administration away (issue 17, trial of 05:15): an administrator
disabling their own login got «Внутренняя ошибка: … pg_terminate_backend» and stayed active; the owner's
login disabled the last administrator without a word. Both are refused in one Russian sentence, exit 2,
nothing changed; a lock makes two administrators disabling each other at once end with one of them."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text

from app.team.users import add_user, list_users
from tests.team.conftest import PASSWORD, member_url

pytestmark = pytest.mark.postgres

# one sentence each (brief hist17 point 4): what is refused and what to do
SELF = "Нельзя отключить собственный логин «{login}»: это делает другой администратор команды."
LAST = ("Нельзя отключить «{login}», пока это последний действующий администратор команды: сначала добавьте "
        "другого администратора («users add ЛОГИН --role admin …»).")


def _run(*argv: str, capsys) -> tuple[int, str, str]:
    from app.cli import run

    status = run(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _can_log_in(server, login: str) -> bool:
    with server.read() as s:
        return bool(s.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"), {"n": login}).scalar())


def _active(server, login: str) -> bool:
    return {m.login: m for m in list_users(server)}[login].active


def _refused(result: tuple[int, str, str], message: str) -> None:
    status, out, err = result
    assert (status, out, err) == (2, "", message + "\n")


@pytest.fixture
def adm(server, login_of):
    login = login_of("adm")
    add_user(server, login, "Админов Пётр", "admin", PASSWORD, position="Руководитель")
    return login


def test_an_administrator_may_not_disable_themselves(server, server_url, adm, login_of, capsys):
    _refused(_run("--database-url", member_url(server_url, adm), "users", "disable", adm, capsys=capsys),
             SELF.format(login=adm))
    assert _active(server, adm) and _can_log_in(server, adm)
    # with a second administrator, still not oneself; the other one may
    second = login_of("adm2")
    add_user(server, second, "Вторая Ольга", "admin", PASSWORD, position="Руководитель")
    _refused(_run("--database-url", member_url(server_url, adm), "users", "disable", adm, capsys=capsys),
             SELF.format(login=adm))
    assert _active(server, adm) and _can_log_in(server, adm)
    status, _out, err = _run("--database-url", member_url(server_url, second), "users", "disable", adm, capsys=capsys)
    assert (status, err) == (0, ""), err
    assert not _active(server, adm) and not _can_log_in(server, adm)


def test_the_last_active_administrator_is_not_disabled_even_by_the_owner(server, server_url, adm, login_of, capsys):
    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист")
    _refused(_run("--database-url", server_url, "users", "disable", adm, capsys=capsys), LAST.format(login=adm))
    assert _active(server, adm) and _can_log_in(server, adm)
    # a disabled administrator does not count: the one left is still the last
    old = login_of("old")
    add_user(server, old, "Бывший Админ", "admin", PASSWORD, position="Руководитель")
    assert _run("--database-url", server_url, "users", "disable", old, capsys=capsys)[0] == 0
    _refused(_run("--database-url", server_url, "users", "disable", adm, capsys=capsys), LAST.format(login=adm))
    assert _active(server, adm)
    # the specialist goes as before, by the owner or by the administrator
    status, _out, err = _run("--database-url", member_url(server_url, adm), "users", "disable", ann, capsys=capsys)
    assert (status, err) == (0, "")
    assert not _active(server, ann) and not _can_log_in(server, ann)


def test_two_administrators_disabling_each_other_at_once_leave_one(server, server_url, adm, login_of):
    """The second disabling waits for the first one's transaction (the administrators' rows are locked) and
    then counts without the one just disabled: deterministic, with the first transaction held open here."""
    from app.errors import UserError
    from app.persistence.db import open_database
    from app.team.users import disable_user

    other = login_of("adm2")
    add_user(server, other, "Вторая Ольга", "admin", PASSWORD, position="Руководитель")
    holder = create_engine(server_url)
    outcome: list[BaseException | str] = []
    as_other = open_database(member_url(server_url, other))
    try:
        with holder.connect() as first:  # «adm disables adm2», not committed yet
            first.execute(text("UPDATE team_user SET active = false WHERE login = :n"), {"n": other})

            def second() -> None:  # «adm2 disables adm» meanwhile
                try:
                    disable_user(as_other, adm)
                    outcome.append("done")
                except BaseException as exc:  # reported to the main thread
                    outcome.append(exc)

            worker = threading.Thread(target=second)
            worker.start()
            worker.join(1.5)
            assert worker.is_alive(), outcome  # it waits for the first transaction
            first.commit()
            worker.join(30)
        assert len(outcome) == 1
        refused = outcome[0]
        assert isinstance(refused, UserError) and refused.message == LAST.format(login=adm)
        # adm2's own row was switched off meanwhile: either way adm stays, the team keeps one administrator
        assert _active(server, adm) and _can_log_in(server, adm)
    finally:
        as_other.dispose()
        holder.dispose()
