"""Issue 13, kind 7: every id and number on the command line goes through app.cli.parse."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.cli import parse
from app.errors import UserError


@pytest.mark.parametrize("text,value", [("1", 1), (" 42 ", 42), (str(2**63 - 1), 2**63 - 1)])
def test_ids_in_ascii_digits(text, value):
    assert parse.parse_id(text, "ID") == value


@pytest.mark.parametrize("text,needle", [
    ("²", "цифрами 0–9"),  # str.isdigit() is true for it, int() fails
    ("³", "цифрами 0–9"),
    ("③", "цифрами 0–9"),  # a circled digit only looks like one (full-width «７» and «٣» are read: r13)
    ("1e3", "цифрами 0–9"),
    ("", "цифрами 0–9"),
    ("0", "диапазона"),
    ("-1", "диапазона"),
    (str(2**63), "диапазона"),  # beyond SQLite's INTEGER
    ("9" * 5000, "диапазона"),  # beyond int()'s digit limit
])
def test_ids_refused(text, needle):
    with pytest.raises(UserError, match=needle):
        parse.parse_id(text, "ID")


@pytest.mark.parametrize("text,ref", [
    ("7", "7"), ("7707083893", "7707083893"), ("７７０７０８３８９３", "7707083893"), ("7707 083 893", "7707083893"),
    ("500100732259", "500100732259"),
])
def test_client_refs(text, ref):
    assert parse.parse_client_ref(text) == ref


@pytest.mark.parametrize("text", ["²", "③", "1 OR 1=1", "-1", "Ромашка", "", "9" * 40])
def test_client_refs_refused(text):
    with pytest.raises(UserError):
        parse.parse_client_ref(text)


@pytest.mark.parametrize("text,value", [("1500", Decimal(1500)), ("1 500,50", Decimal("1500.50")),
                                        ("-3", Decimal(-3)), (".5", Decimal("0.5"))])
def test_decimals(text, value):
    assert parse.parse_decimal_text(text, "x") == value


@pytest.mark.parametrize("text", ["¹⁰⁰", "1²", "③", "NaN", "inf", "много", "1e3", "1E+9", "1_000"])
def test_decimals_refused(text):
    with pytest.raises(UserError):
        parse.parse_decimal_text(text, "x")


def test_year_range():
    assert parse.parse_int("2024", "--year", lo=1990, hi=2100) == 2024
    for text in ("9999999999999999999999999", "1899", "²⁰²⁴"):
        with pytest.raises(UserError):
            parse.parse_int(text, "--year", lo=1990, hi=2100)


@pytest.mark.parametrize("argv", [["--db", "", "clients", "list"], ["--db", "  ", "clients", "list"],
                                  ["--database-url", "", "clients", "list"]])
def test_empty_database_options_are_refused(argv, capsys):
    from app.cli import run

    assert run(argv) == 2
    err = capsys.readouterr().err
    assert "пуст" in err and "Traceback" not in err


def test_a_schema_rule_breach_is_a_russian_refusal(db):
    """«UNIQUE constraint failed» never reaches the user: e.g. another window added the same ИНН."""
    from app.persistence.models import Client, utcnow

    with db.unit() as s:
        s.add(Client(name="А", inn="7707083893", approach="remote", stage=0, stage_since=utcnow()))
    with pytest.raises(UserError) as err:
        with db.unit() as s:
            s.add(Client(name="Б", inn="7707083893", approach="remote", stage=0, stage_since=utcnow()))
            s.flush()
    assert "Ничего не сохранено" in err.value.message and "UNIQUE" not in err.value.message


def test_tariffs_in_whole_kopecks(db):
    from datetime import date

    from app.services.tariffs import list_rates, set_tariff

    for rate in ("0.001", "1500.005", "0,009"):
        with pytest.raises(UserError, match="двух знаков"):
            set_tariff(db, "remote_hour", rate, date(2024, 1, 1))
    set_tariff(db, "remote_hour", "1 500,6", date(2024, 1, 1))  # 25,01 ₽ a minute (issue 10's rule)
    assert [r.rate for r in list_rates(db) if r.valid_from == date(2024, 1, 1)] == [Decimal("1500.60")]


def test_an_empty_database_option_never_opens_the_default_database():
    """The window goes through app.config too (app/exchange/workspace.py)."""
    from app.config import resolve_database_url

    for kwargs in ({"db_path": ""}, {"db_path": " "}, {"database_url": ""}):
        with pytest.raises(UserError, match="пуст"):
            resolve_database_url(**kwargs)


def test_an_unexpected_sqlite_failure_is_told_in_russian(monkeypatch, capsys, tmp_path):
    import sqlite3

    from app.cli import cmd_clients, run

    def broken(ctx, args):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = 13  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(cmd_clients, "clients_list", broken)
    assert run(["--db", str(tmp_path / "x.sqlite3"), "clients", "list"]) == 2  # a refusal (issue 12), not a crash
    err = capsys.readouterr().err
    assert "нет места" in err and "disk is full" not in err


@pytest.mark.parametrize("text,shown", [("1900-01-01", "01.01.1900"), ("31.12.2101", "31.12.2101")])
def test_a_real_date_outside_the_years_names_the_bounds(text, shown):
    from app.domain.validation import parse_date

    with pytest.raises(UserError) as caught:
        parse_date(text, "--contract-date")
    assert shown in str(caught.value) and "1990–2100" in str(caught.value)
    with pytest.raises(UserError) as caught:
        parse_date("2024-02-30", "--contract-date")
    assert "неверная дата" in str(caught.value)  # an impossible date keeps its own message


def test_the_cli_refuses_a_contract_date_of_1900(tmp_path, capsys):
    from app.cli import run

    code = run(["--db", str(tmp_path / "t.sqlite3"), "clients", "add", "--name", "ООО Тест", "--inn",
                "7707083893", "--approach", "pilot", "--contract-date", "1900-01-01"])
    assert code == 2
    assert "вне лет" in capsys.readouterr().err
