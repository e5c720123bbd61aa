"""Dates read the digits of every script, as every number does (``app.domain.money.typed_digits``): `log add …
--date ２０２６-１２-０１` was refused «неверная дата» while `--minutes １２０` beside it was taken, `checklist done …
--date ２０２６-１１-０１` was refused by the command line's own check (tester R, item 2)."""

from __future__ import annotations

import json
from datetime import date

import pytest


@pytest.fixture
def client(cli):
    status, _out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote",
                            "--contract-date", "2026-01-10")
    assert status == 0, err
    return cli


def test_work_logged_on_a_date_of_full_width_digits(client):
    for typed in ("２０２６-１２-０１", "０１.１２.２０２６"):
        status, _out, err = client("log", "add", "7707083893", "--kind", "conference", "--minutes", "１２０",
                                   "--date", typed)
        assert (typed, status, err) == (typed, 0, "")
    status, out, _err = client("log", "list", "7707083893", "--from", "２０２６-１２-０１", "--to", "０１.１２.２０２６",
                               "--json")
    assert status == 0 and [row["date"] for row in json.loads(out)["entries"]] == ["2026-12-01", "2026-12-01"]
    assert client("clients", "edit", "7707083893", "--contract-date", "１０.０１.２０２６")[0] == 0
    status, out, _err = client("clients", "show", "7707083893", "--json")
    assert json.loads(out)["contract_date"] == "2026-01-10"


def test_a_checklist_item_done_on_a_date_of_full_width_digits(client):
    assert client("stage", "advance", "1")[0] == 0
    status, _out, err = client("checklist", "done", "7707083893", "s1.lessons", "--date", "２０２６-０１-１１")
    assert (status, err) == (0, "")


def test_an_event_planned_with_full_width_digits(client):
    status, _out, err = client("plan", "add", "1", "--kind", "call", "--start", "２０２６-１２-１０ １０:００",
                               "--end", "１１:３０")
    assert status == 0, err
    status, out, _err = client("plan", "list", "--json")
    event = json.loads(out)[0]
    assert (event["start"], event["duration_min"]) == ("2026-12-10T10:00", 90)


def test_a_wrong_date_of_full_width_digits_is_said_as_a_wrong_date(client):
    status, _out, err = client("log", "add", "1", "--kind", "conference", "--minutes", "10", "--date",
                               "３１.０４.２０２６")
    assert status == 2 and err.strip() == "Поле «--date»: неверная дата 31.04.2026: в апреле 2026 года 30 дней."
    status, _out, err = client("log", "add", "1", "--kind", "conference", "--minutes", "10", "--date", "²⁰²⁶-12-01")
    assert status == 2 and "«²⁰²⁶-12-01» — неверная дата" in err  # superscripts are no digits


def test_parse_date_reads_any_decimal_digits():
    from app.domain.validation import no_such_day, parse_date

    assert parse_date("٢٠٢٦-١٢-٠١", "d") == parse_date(" ０１.１２.２０２６ ", "d") == date(2026, 12, 1)
    assert no_such_day("２９.０２.２０２７", "d") == "Поле «d»: неверная дата 29.02.2027: в феврале 2027 года 28 дней."
