"""Estimate services: dated tariffs from the database, VAT and hours-per-day settings, saved estimates."""

from datetime import date
from decimal import Decimal as D

import pytest

from app.domain.estimate import EstimateInput
from app.errors import UserError
from app.services import estimates
from app.services.clients import ClientInput, add_client
from app.services.tariffs import list_rates, rates_on, set_exchange_rate, set_tariff

JULY = date(2024, 7, 1)
REMOTE = EstimateInput(conference_hours=D(12), question_hours=D(3), control_hours=D("2.5"))
ONSITE = EstimateInput(days=D(3), transfer=D(8400), lodging=D(7000))


@pytest.fixture
def client_id(db):
    return add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="onsite"))


def test_seeded_tariffs_give_the_example_figures(db):
    assert estimates.quote(db, "remote", REMOTE, JULY).total == D("26250.00")
    onsite = estimates.quote(db, "onsite", ONSITE, JULY)
    assert (onsite.total, onsite.total_usd, onsite.usd_rate) == (D("57400.00"), D("656.00"), D("87.50"))


def test_rates_by_date_from_the_database(db):
    set_tariff(db, "remote_hour", "1800", date(2025, 1, 1))
    with pytest.raises(UserError, match="кратен 0,60"):  # a minute must cost whole kopecks
        set_tariff(db, "remote_hour", "2000", date(2025, 2, 1))
    set_exchange_rate(db, "100", date(2025, 1, 1))
    assert rates_on(db, date(2024, 12, 31)).remote_hour == D("1500.00")
    later = rates_on(db, date(2025, 3, 1))
    assert (later.remote_hour, later.usd_rate, later.usd_date) == (D("1800.00"), D("100.00"), date(2025, 1, 1))
    assert estimates.quote(db, "remote", REMOTE, JULY).total == D("26250.00")  # old dates keep their figures
    assert estimates.quote(db, "remote", REMOTE, date(2025, 1, 1)).total == D("31500.00")
    assert [r.kind for r in list_rates(db)].count("remote_hour") == 2
    with pytest.raises(UserError):
        set_tariff(db, "weekend", "1", JULY)
    with pytest.raises(UserError):
        set_tariff(db, "remote_hour", "-5", JULY)
    with pytest.raises(UserError, match=r"01\.01\.2020"):
        estimates.quote(db, "remote", REMOTE, date(2020, 1, 1))


def test_vat_setting_stored_on_the_executor_and_applied(db):
    assert estimates.vat_rate(db) is None
    assert estimates.quote(db, "remote", REMOTE, JULY).vat_label == "Без налога (НДС)"
    changes = estimates.set_vat_rate(db, "20")
    assert changes.settings and changes.estimates
    assert estimates.vat_rate(db) == D("20.00")
    quote = estimates.quote(db, "remote", REMOTE, JULY)
    assert quote.total == D("26250.00") and quote.vat_amount == D("4375.00")
    with pytest.raises(UserError):
        estimates.set_vat_rate(db, "120")
    assert estimates.vat_rate(db) == D("20.00")
    estimates.set_vat_rate(db, None)
    assert estimates.vat_rate(db) is None


def test_hours_per_day_setting(db):
    assert estimates.hours_per_day(db) == D(8)
    estimates.set_hours_per_day(db, "6")
    assert estimates.hours_per_day(db) == D("6.00")
    assert estimates.compare_approaches(db, REMOTE, JULY).option("onsite").days == D("3.00")
    assert estimates.compare_approaches(db, REMOTE, JULY, hours_per_day=D(10)).option("onsite").days == D("2.00")
    with pytest.raises(UserError):
        estimates.set_hours_per_day(db, "25")
    with pytest.raises(UserError, match="не больше двух знаков после запятой"):  # was stored as 8,13
        estimates.set_hours_per_day(db, "8,125")
    assert estimates.hours_per_day(db) == D("6.00")
    with pytest.raises(UserError, match="не больше двух знаков после запятой"):  # was compared with 8,125 h
        estimates.compare_approaches(db, REMOTE, JULY, hours_per_day=D("8.125"))


def test_save_estimate_returns_changes_and_keeps_only_priced_figures(db, client_id):
    changes = estimates.save_estimate(db, client_id, "onsite",
                                      EstimateInput(conference_hours=D(5), days=D(3), transfer=D(8400),
                                                    lodging=D(7000)), JULY, note="Первый выезд")
    assert changes.estimates and changes.clients and changes.client_ids == frozenset({client_id})
    saved = estimates.latest_estimate(db, client_id)
    assert saved.approach == "onsite" and saved.total == D("57400.00") and saved.note == "Первый выезд"
    assert saved.input.conference_hours == D("0.00") and saved.input.days == D("3.00")
    again, quote = estimates.estimate_quote(db, client_id)
    assert again.id == saved.id and quote.total == saved.total and quote.on == JULY


def test_saved_estimate_prints_the_same_figures_after_a_new_tariff(db, client_id):
    estimates.save_estimate(db, client_id, "onsite", ONSITE, JULY)
    set_tariff(db, "onsite_day", "20000", date(2025, 1, 1))
    _saved, quote = estimates.estimate_quote(db, client_id)
    assert quote.total == D("57400.00")


def test_save_refused_writes_nothing(db, client_id):
    for approach, data, note in (("remote", EstimateInput(conference_hours=D(-1)), ""),
                                 ("free", REMOTE, ""), ("remote", REMOTE, "bad\x00note")):
        with pytest.raises(UserError):
            estimates.save_estimate(db, client_id, approach, data, JULY, note=note)
    with pytest.raises(UserError):
        estimates.save_estimate(db, client_id, "remote", REMOTE, date(2020, 1, 1))
    assert estimates.latest_estimate(db, client_id) is None
    with pytest.raises(UserError, match="расчёта"):
        estimates.estimate_quote(db, client_id)
