"""An address «sync setup» and «server init» cannot use is one Russian sentence, exit 2, not «Внутренняя ошибка»
(the trial 17f): a parameter PostgreSQL does not know («?bogus=1», «?PASSWORD=…»), a driver the program does not
ship («postgresql+psycopg2://», «postgresql://», which SQLAlchemy reads as psycopg2)."""

from __future__ import annotations

import pytest

from app.cli import run
from app.team.users import add_user
from tests.team.conftest import PASSWORD, plain_url

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(("tail", "said"), [
    ("?bogus=1", "параметр, которого PostgreSQL не знает: «bogus»"),
    ("?PASSWORD=x", "параметр, которого PostgreSQL не знает: «PASSWORD»"),
])
def test_an_unknown_parameter_is_named(server, server_url, login_of, tmp_path, capsys, tail, said):
    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD)
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD, encoding="utf-8")
    capsys.readouterr()
    status = run(["--db", str(tmp_path / "l.sqlite3"), "sync", "setup", "--database-url",
                  plain_url(server_url, ann) + tail, "--password-file", str(secret)])
    err = capsys.readouterr().err
    assert status == 2 and said in err and "Внутренняя ошибка" not in err, err
    status = run(["server", "init", "--database-url", server_url + tail])
    err = capsys.readouterr().err
    assert status == 2 and said in err and "Внутренняя ошибка" not in err, err


@pytest.mark.parametrize("scheme", ["postgresql+psycopg2", "postgresql", "postgresql+asyncpg"])
def test_a_driver_the_program_does_not_ship_is_refused(server_url, tmp_path, capsys, scheme):
    address = server_url.replace("postgresql+psycopg", scheme, 1)
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD, encoding="utf-8")
    capsys.readouterr()
    for argv in (["--db", str(tmp_path / "l.sqlite3"), "sync", "setup", "--database-url", address,
                  "--password-file", str(secret)], ["server", "init", "--database-url", address]):
        assert run(argv) == 2
        err = capsys.readouterr().err
        assert f"а не «{scheme}://»" in err and "Внутренняя ошибка" not in err, err
