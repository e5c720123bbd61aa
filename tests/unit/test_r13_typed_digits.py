"""r13 item 1: every number a person types reads the decimal digits of every script (full-width «１２０», as an IME
types them, Arabic-Indic «١٢٠»), as dates and ``--minutes`` already did — one reading in
``app.domain.money.typed_digits``, used by ``parse_decimal`` (amounts, days, tariffs, settings) and the command line's
``app.cli.parse``. Characters that only look like digits (``¹²⁰``, ``③``) stay refused."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.cli import parse
from app.domain.money import parse_decimal
from app.errors import UserError

INN = "7707083893"


@pytest.mark.parametrize("text,value", [
    ("１２０", Decimal(120)), ("１ ５００，５０", Decimal("1500.50")), ("１２０.５", Decimal("120.5")),
    ("١٢٠", Decimal(120)), ("－３", Decimal(-3)), ("２,５", Decimal("2.5")),
])
def test_the_shared_number_parser_reads_digits_of_every_script(text, value):
    assert parse_decimal(text, "Сумма") == value
    assert parse.parse_decimal_text(text, "--amount") == value


@pytest.mark.parametrize("text", ["¹²⁰", "①②", "1²"])
def test_look_alike_digits_stay_refused_and_are_quoted_as_typed(text):
    with pytest.raises(UserError) as err:
        parse_decimal(text, "Сумма")
    assert text in err.value.message


def test_whole_numbers_and_client_numbers_read_them_too():
    assert parse.parse_int("３０", "--rounding", lo=0, hi=60) == 30
    assert parse.parse_id("٣", "ID") == 3
    assert parse.parse_client_ref("１２") == "12"
    assert parse.check_ascii_digits("２０２６-００１", "NUMBER") == "2026-001"
    with pytest.raises(UserError, match="цифрами 0–9"):
        parse.parse_int("³⁰", "--rounding", lo=0, hi=60)


@pytest.fixture
def client(cli):
    status, out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "onsite")
    assert status == 0, err
    return out.strip()


def _entries(cli, client):
    status, out, err = cli("log", "list", client, "--json")
    assert status == 0, err
    return json.loads(out)["entries"]


def test_log_add_takes_full_width_amount_and_days(cli, client):
    status, _out, err = cli("log", "add", INN, "--kind", "transfer", "--date", "2024-07-01", "--amount", "１２０")
    assert status == 0, err
    status, _out, err = cli("log", "add", "１", "--kind", "onsite_day", "--date", "2024-07-01", "--days", "１,５",
                            "--stage", "٠")
    assert status == 0, err
    entries = _entries(cli, client)
    assert {(e.get("amount"), e.get("days")) for e in entries} == {("120.00", None), (None, "1.50")}, entries


def test_log_add_refuses_a_superscript_amount_with_status_2(cli, client):
    status, _out, err = cli("log", "add", INN, "--kind", "transfer", "--date", "2024-07-01", "--amount", "¹²⁰")
    assert status == 2 and "цифрами 0–9" in err and "Traceback" not in err
    assert _entries(cli, client) == []


def test_estimate_takes_full_width_numbers(cli):
    status, out, err = cli("estimate", "--approach", "onsite", "--days", "２", "--transfer", "３ ０００",
                           "--lodging", "５００", "--on", "2024-07-01", "--json")
    assert status == 0, err
    plain = cli("estimate", "--approach", "onsite", "--days", "2", "--transfer", "3000", "--lodging", "500",
                "--on", "2024-07-01", "--json")
    assert json.loads(out)["total"] == json.loads(plain[1])["total"]


def test_billing_settings_tariffs_and_vat_take_full_width_numbers(cli):
    status, _out, err = cli("billing", "settings", "--rounding", "３０", "--hours-per-day", "７,５", "--json")
    assert status == 0, err
    status, _out, err = cli("billing", "rate", "remote_hour", "１ ８００", "--from", "2025-01-01")
    assert status == 0, err
    status, _out, err = cli("billing", "vat", "on_top", "２０", "--from", "2024-01-01")
    assert status == 0, err
    status, out, err = cli("billing", "settings", "--json")
    assert status == 0, err
    settings = json.loads(out)
    assert (settings["rounding_min"], Decimal(settings["hours_per_day"])) == (30, Decimal("7.5")), settings
    assert (settings["vat_mode"], Decimal(settings["vat_rate"])) == ("on_top", Decimal(20)), settings
    status, out, err = cli("estimate", "--approach", "remote", "--conference-hours", "１", "--on", "2025-06-01",
                           "--json")
    assert status == 0, err
    assert Decimal(json.loads(out)["lines"][0]["rate"]) == Decimal(1800), out


def test_lists_and_exports_take_full_width_numbers(cli, client, tmp_path):
    status, _out, err = cli("documents", "list", "--year", "２０２４", "--json")
    assert status == 0, err
    status, _out, err = cli("export-xlsx", "clients", "--stage", "０", "-o", str(tmp_path / "c.xlsx"))
    assert status == 0, err
    status, _out, err = cli("export-xlsx", "register", "--year", "２０２４", "-o", str(tmp_path / "r.xlsx"))
    assert status == 0, err
    # «²» was taken by int() as nothing Russian could say: one Russian refusal, status 2
    status, _out, err = cli("export-xlsx", "clients", "--stage", "²", "-o", str(tmp_path / "x.xlsx"))
    assert status == 2 and "цифрами 0–9" in err, err


def test_plan_and_questions_take_full_width_numbers(cli, client):
    status, out, err = cli("plan", "add", INN, "--kind", "onsite_day", "--start", "2024-07-01 10:00",
                           "--duration", "４８０", "--json")
    assert status == 0, err
    event = json.loads(out)["id"]
    wide = str(event).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    status, _out, err = cli("plan", "done", wide, "--days", "１", "--no-lessons")
    assert status == 0, err
    status, out, err = cli("questions", "add", INN, "--channel", "phone", "--text", "Как?", "--date", "2024-07-01",
                           "--json")
    assert status == 0, err
    question = json.loads(out)["id"]
    wide = str(question).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    status, _out, err = cli("questions", "close", wide, "--answer", "Так.", "--minutes", "１５")
    assert status == 0, err
    assert {e.get("days") for e in _entries(cli, client)} >= {"1.00"}


@pytest.mark.parametrize("argv", [("questions", "close", "²"), ("plan", "done", "²")])
def test_a_superscript_record_number_is_refused_not_a_crash(cli, client, argv):
    status, _out, err = cli(*argv)
    assert status == 2 and "Traceback" not in err, err


def test_the_lesson_plan_reads_full_width_cells():
    from app.services.lessons_import import parse_lesson_plan

    rows = parse_lesson_plan("Код;№;Тема;Раздел;Этап;Длительность\nB1;１２;Обзор;Обзор;٢;４５\n".encode(), "plan.csv")
    assert [(r.number, r.stage, r.duration_min) for r in rows] == [(12, 2, 45)]
