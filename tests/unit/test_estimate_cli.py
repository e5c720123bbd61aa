"""Headless `estimate`, `log add|list|delete|restore` and `billing` commands: figures, Russian text, refusals."""

import json
import re

import pytest

from app.persistence.db import open_database


def dump(path) -> list:
    import sqlite3

    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table' order by name")]
    rows = [(t, sorted(map(repr, con.execute(f'select * from "{t}"')))) for t in tables]
    con.close()
    return rows


REMOTE = ["estimate", "--approach", "remote", "--conference-hours", "12", "--question-hours", "3",
          "--control-hours", "2.5", "--on", "2024-07-01"]
ONSITE = ["estimate", "--approach", "onsite", "--days", "3", "--transfer", "8400", "--lodging", "7000",
          "--on", "2024-07-01"]


def test_estimate_remote_json(cli):
    status, out, err = cli(*REMOTE, "--json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["approach", "lines", "total", "currency", "usd_rate", "total_usd"]
    assert data["approach"] == "remote" and data["total"] == "26250.00" and data["currency"] == "RUB"
    assert [line["amount"] for line in data["lines"]] == ["18000.00", "4500.00", "3750.00"]
    assert [line["quantity"] for line in data["lines"]] == ["12.00", "3.00", "2.50"]
    assert all(set(line) == {"label", "quantity", "unit", "rate", "amount"} for line in data["lines"])


def test_estimate_onsite_json(cli):
    status, out, _err = cli(*ONSITE, "--json")
    data = json.loads(out)
    assert status == 0
    assert (data["total"], data["total_usd"], data["usd_rate"]) == ("57400.00", "656.00", "87.50")
    assert [line["label"] for line in data["lines"]] == ["Выездное внедрение, рабочие дни", "Трансфер", "Проживание"]


def test_estimate_text_is_russian_and_babel_formatted(cli):
    status, out, _err = cli(*REMOTE)
    assert status == 0
    assert "Итого: 26 250,00 ₽" in out
    assert "Удалённые конференции с пользователями: 12 ч × 1 500,00 ₽ = 18 000,00 ₽" in out
    assert "Контроль введённой информации: 2,5 ч" in out
    assert "Без НДС" in out
    assert "300,00 $ по курсу 87,50 ₽ за 1 USD на 01.07.2024" in out


def test_estimate_accompanied_is_free(cli):
    status, out, _err = cli("estimate", "--approach", "accompanied", "--json")
    assert status == 0 and json.loads(out)["total"] == "0.00"


def test_estimate_compare(cli):
    status, out, _err = cli(*REMOTE, "--transfer", "8400", "--lodging", "7000", "--compare")
    assert status == 0
    assert "Сравнение подходов" in out and "дешевле на 31 150,00 ₽" in out
    status, out, _err = cli(*REMOTE, "--compare", "--json")
    comparison = json.loads(out)["comparison"]
    assert comparison["cheapest"] == "remote" and comparison["work_hours"] == "17.50"


def test_estimate_unused_zero_options_and_compare_are_accepted(cli):
    status, out, err = cli("estimate", "--approach", "remote", "--conference-hours", "1", "--days", "0", "--json")
    assert (status, err) == (0, "") and json.loads(out)["total"] == "1500.00"
    status, out, err = cli("estimate", "--approach", "onsite", "--days", "3", "--conference-hours", "4",
                           "--compare", "--json")
    assert status == 0 and json.loads(out)["approach"] == "onsite"


def test_estimate_uses_vat_setting(cli):
    assert cli("billing", "settings", "--vat", "20")[0] == 0
    status, out, _err = cli(*REMOTE)
    assert status == 0 and "В том числе НДС 20 %: 4 375,00 ₽" in out and "Итого: 26 250,00 ₽" in out


@pytest.mark.parametrize("argv,needle", [
    (["estimate", "--approach", "remote", "--conference-hours", "-1"], "отрицательным"),
    (["estimate", "--approach", "remote", "--conference-hours", "abc"], "не число"),
    (["estimate", "--approach", "remote", "--conference-hours", "nan"], "не число"),
    (["estimate", "--approach", "free"], "подход"),
    (["estimate", "--approach", "remote", "--conference-hours", "1", "--on", "2020-01-01"], "01.01.2020"),
    (["estimate", "--approach", "remote", "--on", "2024-02-30"], "дата"),
    (["estimate", "--approach", "onsite", "--days", "100000"], "больше"),
    (["estimate", "--approach", "remote", "--days", "3"], "--days"),
    (["estimate", "--approach", "remote", "--conference-hours", "2", "--transfer", "8400"], "--transfer"),
    (["estimate", "--approach", "onsite", "--conference-hours", "4"], "--conference-hours"),
    (["estimate", "--approach", "onsite", "--days", "1", "--control-hours", "1"], "не использует --control-hours"),
    (["estimate", "--approach", "accompanied", "--days", "3"], "не использует"),
])
def test_estimate_refused(cli, sqlite_path, argv, needle):
    open_database(f"sqlite:///{sqlite_path}").dispose()
    before = dump(sqlite_path)
    status, out, err = cli(*argv)
    assert status == 2 and out == ""
    assert needle.lower() in err.lower() and "Traceback" not in err
    assert dump(sqlite_path) == before


@pytest.fixture
def client(cli):
    status, out, _err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")
    assert status == 0
    return out.strip()


def test_log_add_and_list(cli, client):
    status, out, err = cli("log", "add", client, "--kind", "conference", "--date", "2024-07-02", "--minutes", "90",
                           "--note", "Склад")
    assert (status, err) == (0, "")
    assert re.fullmatch(r"Запись № \d+ сохранена: 02\.07\.2024, Конференция, 1:30, этап 0\. «Склад»", out.strip()), out
    assert cli("log", "add", "7707083893", "--kind", "questions", "--date", "2024-07-03", "--minutes", "1:10")[0] == 0
    assert cli("log", "add", client, "--kind", "onsite_day", "--date", "2024-07-04", "--days", "0,5")[0] == 0
    assert cli("log", "add", client, "--kind", "lodging", "--date", "2024-07-04", "--amount", "7000")[0] == 0
    status, out, _err = cli("log", "list", client, "--json")
    data = json.loads(out)
    assert [e["kind"] for e in data["entries"]] == ["lodging", "onsite_day", "questions", "conference"]
    assert data["entries"][-1] == {"id": int(data["entries"][-1]["id"]), "date": "2024-07-02", "kind": "conference",
                                   "minutes": 90, "billed_minutes": 90, "days": None, "amount": None, "stage": 0,
                                   "note": "Склад", "billed_by": None}
    assert data["totals"]["raw_minutes"] == 160
    assert data["totals"]["total"] == "18000.00"  # 2 250 + 70 min × 25,00 + 7 000 (½ day) + 7 000
    status, out, _err = cli("log", "list", client, "--from", "2024-07-03", "--to", "2024-07-03", "--json")
    assert [e["minutes"] for e in json.loads(out)["entries"]] == [70]
    status, out, _err = cli("log", "list", client, "--kind", "conference,questions", "--json")
    assert len(json.loads(out)["entries"]) == 2
    status, out, _err = cli("log", "list", client)
    assert status == 0 and "К оплате: 18 000,00 ₽" in out and "Конференция" in out


def test_log_rounding_shows_raw_and_billed(cli, client):
    cli("log", "add", client, "--kind", "control", "--date", "2024-07-02", "--minutes", "10")
    status, out, _err = cli("billing", "settings", "--rounding", "15")
    assert status == 0 and "15" in out
    status, out, _err = cli("log", "list", client)
    assert "0:10 (к оплате 0:15)" in out and "К оплате: 375,00 ₽" in out


def test_log_delete_and_restore(cli, client):
    saved = cli("log", "add", client, "--kind", "conference", "--date", "2024-07-02", "--minutes", "30")[1]
    entry = re.search(r"№ (\d+)", saved).group(1)
    assert cli("log", "delete", entry)[0] == 0
    assert json.loads(cli("log", "list", client, "--json")[1])["entries"] == []
    assert cli("log", "restore", entry)[0] == 0
    assert len(json.loads(cli("log", "list", client, "--json")[1])["entries"]) == 1
    assert cli("log", "delete", "999")[0] == 2


@pytest.mark.parametrize("extra,needle", [
    (["--kind", "conference", "--date", "2024-07-02", "--minutes", "-30"], "отрицательным"),
    (["--kind", "conference", "--date", "2024-07-02", "--minutes", "0"], "положительным"),
    (["--kind", "conference", "--date", "2024-07-02", "--minutes", "1441"], "24 часов"),
    (["--kind", "conference", "--date", "2024-07-02", "--minutes", "25:00"], "24 часов"),
    (["--kind", "conference", "--date", "2024-07-02", "--minutes", "много"], "не время"),
    (["--kind", "conference", "--date", "2024-07-02", "--amount", "500"], "в минутах"),
    (["--kind", "transfer", "--date", "2024-07-02", "--minutes", "30"], "в сумме"),
    (["--kind", "onsite_day", "--date", "2024-07-02", "--days", "40"], "31"),
    (["--kind", "lodging", "--date", "2024-07-02", "--amount", "99999999"], "больше"),
    (["--kind", "lodging", "--date", "2024-07-02", "--amount", "-1"], "положительной"),
    (["--kind", "banquet", "--date", "2024-07-02", "--minutes", "30"], "неизвестный вид"),
    (["--kind", "conference", "--date", "2099-01-01", "--minutes", "30"], "дата"),
    (["--kind", "conference", "--date", "1999-12-31", "--minutes", "30"], "2000"),
    (["--kind", "conference", "--date", "2024-13-01", "--minutes", "30"], "дата"),
    (["--kind", "conference", "--date", "2024-07-02", "--minutes", "30", "--note", "bell\x07"], "управляющие"),
    (["--kind", "conference", "--date", "2024-07-02", "--minutes", "30", "--days", "1"], "нельзя указывать вместе"),
    (["--kind", "conference", "--date", "2024-07-02"], "один из аргументов"),
    (["--kind", "conference", "--date", "2024-07-02", "--minutes", "30", "--stage", "9"], "от 0 до 4"),
])
def test_log_add_refused_exit_2_nothing_written(cli, client, sqlite_path, extra, needle):
    before = dump(sqlite_path)
    status, out, err = cli("log", "add", client, *extra)
    assert status == 2 and out == ""
    assert needle.lower() in err.lower(), err
    assert "Traceback" not in err
    assert dump(sqlite_path) == before


def test_log_add_unknown_client(cli, sqlite_path):
    open_database(f"sqlite:///{sqlite_path}").dispose()
    status, _out, err = cli("log", "add", "42", "--kind", "conference", "--date", "2024-07-02", "--minutes", "30")
    assert status == 2 and "не найден" in err


def test_billing_settings_and_rates(cli):
    _status, out, _err = cli("billing", "settings", "--json")
    assert json.loads(out) == {"vat_rate": None, "vat_mode": "none", "vat_from": None, "vat_basis": "", "rounding_min": 0,
                               "hours_per_day": "8", "forced_changes": []}
    assert cli("billing", "settings", "--vat", "20", "--rounding", "30", "--hours-per-day", "6")[0] == 0
    assert json.loads(cli("billing", "settings", "--json")[1]) == {
        "vat_rate": "20.00", "vat_mode": "included", "vat_from": "2000-01-01", "vat_basis": "", "rounding_min": 30,
        "hours_per_day": "6.00", "forced_changes": []}
    assert cli("billing", "settings", "--rounding", "7")[0] == 2
    assert cli("billing", "rate", "remote_hour", "1800", "--from", "2025-01-01")[0] == 0
    assert cli("billing", "rate", "USD", "100", "--from", "2025-01-01")[0] == 0
    data = json.loads(cli("estimate", "--approach", "remote", "--conference-hours", "1", "--on", "2025-02-01",
                          "--json")[1])
    assert (data["total"], data["usd_rate"], data["total_usd"]) == ("1800.00", "100.00", "18.00")
    old = json.loads(cli(*REMOTE, "--json")[1])
    assert old["total"] == "26250.00"


def test_an_estimate_with_vat_on_top_prints_the_sum_to_pay_and_names_an_old_usd_rate(cli):
    """VAT «сверху»: the estimate printed «Итого: 1 500,00 ₽» and «НДС 20 % сверху: 300,00 ₽» but no sum to pay,
    while its dollars were 1 800 / 87,50; the seeded USD rate of 01.07.2024 was used for 2026 without a word
    (a fresh tester, 2026-12-05)."""
    assert cli("billing", "vat", "on_top", "20", "--from", "2026-01-01")[0] == 0
    out = cli("estimate", "--approach", "remote", "--conference-hours", "1", "--on", "2026-06-15")[1]
    out = out.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Всего с НДС: 1 800,00 ₽" in out
    assert "20,57" in out and "Курс доллара старше даты расчёта на 714 дн." in out
    assert cli("billing", "rate", "USD", "90", "--from", "2026-06-01")[0] == 0
    out = cli("estimate", "--approach", "remote", "--conference-hours", "1", "--on", "2026-06-15")[1]
    assert "20,00" in out and "Курс доллара старше" not in out  # 1 800 / 90
    assert cli("billing", "vat", "included", "20", "--from", "2026-06-10")[0] == 0
    assert "Всего с НДС" not in cli("estimate", "--approach", "remote", "--conference-hours", "1", "--on",
                                   "2026-06-15")[1]  # VAT in the prices: the total is the sum to pay
