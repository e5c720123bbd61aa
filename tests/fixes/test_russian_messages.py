"""Database addresses that cannot be opened, the executor card and the VAT list speak Russian."""

from __future__ import annotations

import re
import socket

import pytest

from app.cli import run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("url", ["garbage", "mysql://x", "oracle://u@h/d"])
def test_unusable_database_urls_are_refused_in_russian(capsys, url):
    status = run(["--database-url", url, "clients", "list"])
    err = capsys.readouterr().err
    assert status == 2
    assert not re.search(r"[A-Za-z]{4,} [A-Za-z]{3,}", err.replace("postgresql+psycopg", "")), err
    assert "SQLAlchemy" not in err and "MySQLdb" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and err.strip().endswith(".")


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_refused_postgresql_connection_is_refused_in_russian(capsys):
    status = run(["--database-url", f"postgresql+psycopg://u:p@127.0.0.1:{_free_port()}/db", "clients", "list"])
    err = capsys.readouterr().err
    assert status == 2
    assert "psycopg.OperationalError" not in err and "Connection refused" not in err
    assert "сервер базы данных отказал в подключении" in err and "p@" not in err


def test_executor_show_never_prints_none(cli):
    assert cli("executor", "set", "--company", "ООО «Исп»")[0] == 0
    status, out, _err = cli("executor", "show")
    assert status == 0
    assert "None" not in out


def test_vat_list_shows_words_not_codes(cli):
    assert cli("billing", "vat", "on_top", "20", "--from", "2026-01-01")[0] == 0
    assert cli("billing", "vat", "none", "--from", "2026-06-01", "--basis", "п. 2 ст. 346.11 НК РФ")[0] == 0
    status, out, _err = cli("billing", "vat-list")
    assert status == 0
    assert "on_top" not in out and "none" not in out
    assert "НДС сверху цен 20 %" in out and "без НДС" in out
