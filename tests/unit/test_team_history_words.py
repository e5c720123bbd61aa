"""Brief hist17 point 3: `team history` words team-wide data as the client card's history does — no raw column
names («poa_date», «specialist_name»), no raw values («onsite_day 15000.00 с 2027-01-01», «on_top 20.00»):
money «15 000,00 ₽», dates ДД.ММ.ГГГГ, percentages «20 %», titles of codes; `team history --json` keeps the
codes. Every column of the executor's requisites, tariffs, rates, VAT and team settings has its words: the
list is built from the tables' columns, so a new column without words fails."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from app.persistence.models import Base
from app.services import tariffs
from app.services.documents import update_executor
from app.services.entry_rounding import set_billing_rounding
from app.services.estimates import set_hours_per_day
from app.team import team_words
from app.team.audit import team_history_view
from app.team.hooks import SKIPPED

RECORDS = {"executor": "executor", "tariff": "onsite_day:2027-01-01", "exchange_rate": "USD:2027-01-01",
           "vat_rate": "2027-01-01", "setting": "billing_rounding_min"}


def _columns(table: str) -> list[str]:
    """The columns of a team-wide table that the audit trail may name (app/team/hooks.py skips the others)."""
    return [c.key for c in Base.metadata.tables[table].columns if c.key not in SKIPPED]


def _raw_words() -> set[str]:
    return {column for table in team_words.TEAM_TABLES for column in _columns(table)} | {
        "onsite_day", "remote_hour", "on_top", "included", "none", "billing_rounding_min", "hours_per_day"}


def _raw_in(text: str) -> list[str]:
    found = [word for word in _raw_words() if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]
    if re.search(r"\d{4}-\d{2}-\d{2}", text):
        found.append("an ISO date")
    if re.search(r"(?<![\d.])\d+\.\d{2}(?![\d.])", text):
        found.append("a number with a point")
    return found


@pytest.mark.parametrize("table", team_words.TEAM_TABLES)
def test_every_column_of_team_wide_data_has_words(table):
    assert _columns(table)  # the table is there and has columns the trail names
    for column in _columns(table):
        what, _old, _new = team_words.line_parts(table, RECORDS[table], column, "1", "2")
        assert team_words.field_title(table, column) != column or table == "setting", (table, column)
        assert not _raw_in(what), (table, column, what)


def _changes(db) -> None:
    update_executor(db, company="ООО «Внедрение»", inn="7707083893", kpp="770701001", ogrn="1027700132195",
                    address="г. Москва, ул. Ленина, 1", bank_details="р/с в банке", city="Москва",
                    specialist_name="Иванов И. И.", specialist_position="Специалист",
                    signer_name="Петров П. П.", signer_position="Директор", poa_number="12",
                    poa_date=date(2026, 5, 6), bank_account="40702810200000000001", bank_name="ПАО Банк",
                    bank_bik="044525225", bank_corr="30101810400000000225")
    update_executor(db, poa_date=date(2026, 6, 7))
    tariffs.set_tariff(db, "onsite_day", Decimal("15000"), date(2027, 1, 1))
    tariffs.set_tariff(db, "onsite_day", Decimal("16000"), date(2027, 1, 1))
    tariffs.set_tariff(db, "remote_hour", Decimal("1599.60"), date(2027, 1, 1))
    tariffs.set_vat(db, "on_top", "20", date(2027, 1, 1))
    tariffs.set_vat(db, "none", None, date(2028, 1, 1), basis="п. 2 ст. 346.11 НК РФ")
    tariffs.set_exchange_rate(db, Decimal("90.5"), date(2027, 1, 1))
    set_billing_rounding(db, 30)
    set_hours_per_day(db, "7.5")
    set_billing_rounding(db, 0)


def test_team_history_reads_in_the_words_of_the_card(db):
    _changes(db)
    lines = [line.text().split("\t", 2)[2] for line in team_history_view(db).lines]
    for line in lines:
        assert not _raw_in(line), line
    assert lines[:9] == [
        "изменено\tНастройка «округление при расчёте»\t30 мин → без округления",
        "добавлено\tНастройка «часов в рабочем дне»\t7,5 ч",
        "добавлено\tНастройка «округление при расчёте»\t30 мин",
        "добавлено\tКурс валюты USD с 01.01.2027\tUSD: 90,50 ₽ с 01.01.2027",
        "добавлено\tСтавка НДС с 01.01.2028\tбез НДС с 01.01.2028",
        "добавлено\tСтавка НДС с 01.01.2027\tНДС сверху цен 20 % с 01.01.2027",
        "добавлено\tТариф «удалённый час» с 01.01.2027\tудалённый час: 1 599,60 ₽ с 01.01.2027",
        "изменено\tТариф «день выезда» с 01.01.2027 · ставка\t15 000,00 ₽ → 16 000,00 ₽",
        "добавлено\tТариф «день выезда» с 01.01.2027\tдень выезда: 15 000,00 ₽ с 01.01.2027"]
    assert "изменено\tРеквизиты исполнителя · дата доверенности\t06.05.2026 → 07.06.2026" in lines
    assert "изменено\tРеквизиты исполнителя · ФИО специалиста\t— → Иванов И. И." in lines
    # the legacy «VAT rate» column of the requisites is worded too, though the form keeps VAT as dated rules now
    assert team_words.line_parts("executor", "executor", "vat_rate", None, "20.00")[1:] == ("—", "20 %")
    # every field of the requisites that changed has its line, in words
    executor = [line for line in lines if "Реквизиты исполнителя ·" in line]
    # each field once (the legacy VAT rate never: dated rules), the power of attorney's date twice
    assert len(executor) == len(_columns("executor")) - 1 + 1


def test_team_history_json_keeps_the_codes(cli, sqlite_path):
    from app.persistence.db import open_database

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        update_executor(db, signer_name="Петров П. П.", poa_number="12", poa_date=date(2026, 5, 6))
        tariffs.set_tariff(db, "onsite_day", Decimal("15000"), date(2027, 1, 1))
    finally:
        db.dispose()
    status, out, _err = cli("team", "history", "--json")
    assert status == 0
    rows = [(r["table"], r["record"], r["field"], r["old"], r["new"]) for r in json.loads(out)]
    assert rows[0] == ("tariff", "onsite_day:2027-01-01", "", None, "onsite_day 15000.00 с 2027-01-01")
    assert ("executor", "executor", "poa_date", None, "2026-05-06") in rows
    status, out, _err = cli("team", "history")
    assert status == 0 and "poa_date" not in out and "onsite_day" not in out
    assert "Реквизиты исполнителя · дата доверенности\t— → 06.05.2026" in out


def test_a_refused_team_wide_change_reads_in_the_same_words():
    """`sync conflicts` of a team-wide change the server refused (app/sync/team_data.py) shows its values as
    `team history` does, not «1560.00» or «included 20.00»."""
    assert team_words.refused_value("tariff", "remote_hour:2030-01-01", "1560.00") == "1 560,00 ₽"
    assert team_words.refused_value("exchange_rate", "USD:2030-01-01", "95.50") == "95,50 ₽"
    assert team_words.refused_value("vat_rate", "2030-01-01", "included 20.00") == "НДС в том числе (в ценах) 20 %"
    assert team_words.refused_value("vat_rate", "2030-01-01", "none") == "без НДС"
    assert team_words.refused_value("setting", "billing_rounding_min", "15") == "15 мин"
    assert team_words.refused_value("executor", "executor", "ООО «Внедрение»") == "ООО «Внедрение»"
    assert team_words.refused_value("tariff", "remote_hour:2030-01-01", None) == ""
