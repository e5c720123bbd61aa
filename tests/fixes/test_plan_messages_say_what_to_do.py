"""Messages that did not say what was wrong or what to do (tester K, item 11): a day that does not exist was called
the wrong format; one limit of an event's length was said in two wordings, neither saying to plan one event a day;
a reversed period did not name its dates; «plan done abc» said the event was not found."""

from __future__ import annotations

import pytest

from app.domain.validation import parse_date
from app.errors import UserError


@pytest.fixture
def client(cli):
    status, out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")
    assert status == 0, err
    return out.strip()


def _add(cli, client, *more):
    return cli("plan", "add", client, "--kind", "call", "--tz", "Europe/Moscow", *more)


@pytest.mark.parametrize(("start", "said"), [
    ("2027-02-29 10:00", "Поле «начало»: неверная дата 29.02.2027: в феврале 2027 года 28 дней."),
    ("31.04.2027 10:00", "Поле «начало»: неверная дата 31.04.2027: в апреле 2027 года 30 дней."),
    ("2027-13-01 10:00", "Поле «начало»: неверная дата 2027-13-01 — месяца 13 нет, месяцы с 01 по 12."),
    ("2027-01-10 25:00", "Поле «начало»: «2027-01-10 25:00» — не дата и время (ожидается ГГГГ-ММ-ДД ЧЧ:ММ)."),
])
def test_a_day_that_does_not_exist_is_named(cli, client, start, said):
    status, _out, err = _add(cli, client, "--start", start, "--duration", "30")
    assert (status, err.strip()) == (2, said)


def test_the_same_for_a_date_alone():
    from app.domain.validation import no_such_day

    with pytest.raises(UserError) as caught:
        parse_date("2026-02-30", "с")
    assert caught.value.message == "Поле «с»: неверная дата 30.02.2026: в феврале 2026 года 28 дней."
    assert no_such_day("2028-02-29", "с") is None and no_such_day("завтра", "с") is None


@pytest.mark.parametrize("length", [("--duration", "100000"), ("--duration", "99999999999999"),
                                    ("--start", "2026-11-30 09:00", "--end", "2026-12-02 18:00")])
def test_an_event_over_a_day_says_to_plan_one_a_day_in_one_wording(cli, client, length):
    more = length if length[0] == "--start" else ("--start", "2027-01-10 10:00", *length)
    status, _out, err = _add(cli, client, *more)
    assert status == 2
    assert err.startswith("Событие длится не больше 24 часов, а не "), err
    assert err.strip().endswith("мин: запланируйте по событию на каждый день (выезд на несколько дней — «День "
                                "выезда» на каждый день)."), err


def test_done_over_a_day_says_what_to_do_with_the_rest(cli, client):
    status, out, err = _add(cli, client, "--start", "2026-12-02 10:00", "--duration", "30")
    assert status == 0, err
    status, _out, err = cli("plan", "done", out.strip(), "--minutes", "2000")
    assert status == 2
    assert err.strip() == (f"Событие № {out.strip()} записывает в журнал не больше 24 часов, а не 2 000 мин: "
                           "остальное время внесите в журнал работ, по записи на каждый день.")


def test_a_reversed_period_names_its_dates(cli, client):
    status, _out, err = cli("plan", "list", "--from", "2026-12-31", "--to", "2026-12-01")
    assert (status, err.strip()) == (2, "Начало периода (31.12.2026) позже его конца (01.12.2026): поменяйте даты "
                                        "местами.")
    status, _out, err = cli("report", "act", client, "--from", "2026-12-31", "--to", "2026-12-01", "-o", "x.pdf")
    assert status == 2 and "(31.12.2026) позже его конца (01.12.2026)" in err, err


def test_an_event_number_that_is_not_a_number(cli, client):
    status, _out, err = cli("plan", "done", "abc")
    assert (status, err.strip()) == (2, "Номер события — целое число, как его показывает plan list, а не «abc».")
