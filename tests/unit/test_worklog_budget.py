"""Estimate against actual per client: planned from the latest estimate, actual from the billed work log."""

import random
from datetime import date, timedelta
from decimal import Decimal as D

from app.domain.estimate import EstimateInput
from app.services import entry_rounding, worklog, worklog_read
from app.services.budget import budget_summaries
from app.services.clients import ClientInput, add_client
from app.services.demo import company_inn
from app.services.estimates import save_estimate
from app.services.tariffs import set_tariff
from app.services.worklog import EntryInput
from tests.sqlcount import counting

JULY = date(2024, 7, 1)


def new_client(db, n: int, approach: str = "remote") -> int:
    return add_client(db, ClientInput(name=f"Клиент {n}", inn=company_inn(random.Random(n), "77"),
                                      approach=approach))


def test_no_estimate_no_warning(db):
    cid = new_client(db, 1)
    worklog.add_entry(db, cid, EntryInput(JULY, "conference", minutes=120))
    summary = budget_summaries(db, [cid])[cid]
    assert not summary.has_estimate and not summary.over_budget
    assert summary.planned_total == D("0.00") and summary.actual_total == D("3000.00")
    assert summary.actual_hours == D("2.00") and summary.used_percent is None


def test_planned_against_actual_and_over_budget(db):
    cid = new_client(db, 1)
    save_estimate(db, cid, "remote", EstimateInput(conference_hours=D(2), question_hours=D(1)), JULY)
    worklog.add_entry(db, cid, EntryInput(JULY, "conference", minutes=120))
    summary = budget_summaries(db, [cid])[cid]
    assert (summary.planned_total, summary.actual_total) == (D("4500.00"), D("3000.00"))
    assert (summary.planned_hours, summary.actual_hours) == (D("3.00"), D("2.00"))
    assert not summary.over_budget and summary.used_percent == 67
    worklog.add_entry(db, cid, EntryInput(JULY, "questions", minutes=70))
    summary = budget_summaries(db, [cid])[cid]
    assert summary.actual_total == D("4750.00") and summary.over_budget  # 190 min × 25,00 and summary.hours_over


def test_latest_estimate_is_the_plan(db):
    cid = new_client(db, 1)
    save_estimate(db, cid, "remote", EstimateInput(conference_hours=D(1)), JULY)
    save_estimate(db, cid, "remote", EstimateInput(conference_hours=D(10)), JULY)
    assert budget_summaries(db, [cid])[cid].planned_total == D("15000.00")


def test_onsite_days_and_expenses(db):
    cid = new_client(db, 1, "onsite")
    save_estimate(db, cid, "onsite", EstimateInput(days=D(3), transfer=D(8400), lodging=D(7000)), JULY)
    worklog.add_entry(db, cid, EntryInput(JULY, "onsite_day", days=D("2.5")))
    worklog.add_entry(db, cid, EntryInput(JULY, "transfer", amount=D("9000")))
    summary = budget_summaries(db, [cid])[cid]
    assert (summary.planned_days, summary.actual_days) == (D("3.00"), D("2.50"))
    assert summary.planned_total == D("57400.00") and summary.actual_total == D("44000.00")
    assert not summary.over_budget and not summary.days_over


def test_actual_uses_rounding_dated_tariffs_and_ignores_deleted(db):
    cid = new_client(db, 1)
    save_estimate(db, cid, "remote", EstimateInput(conference_hours=D(2)), JULY)
    worklog.add_entry(db, cid, EntryInput(date(2024, 12, 31), "conference", minutes=50))
    worklog.add_entry(db, cid, EntryInput(date(2025, 1, 2), "conference", minutes=50))
    gone, _c = worklog.add_entry(db, cid, EntryInput(date(2025, 1, 3), "conference", minutes=600))
    worklog.delete_entries(db, [gone])
    set_tariff(db, "remote_hour", "1800", date(2025, 1, 1))
    entry_rounding.set_billing_rounding(db, 30)
    summary = budget_summaries(db, [cid])[cid]
    assert summary.actual_hours == D("2.00")  # 50 → 60 min twice
    assert summary.actual_total == D("3300.00")  # 1 500 before the new tariff, 1 800 after
    assert summary.actual_total == worklog_read.bill_period(db, cid).total  # the act agrees to the kopeck
    assert summary.over_budget


def test_constant_statements_for_any_number_of_clients(db):
    ids = []
    for n in range(12):
        cid = new_client(db, n, "onsite" if n % 2 else "remote")
        ids.append(cid)
        if n % 3:
            save_estimate(db, cid, "remote", EstimateInput(conference_hours=D(n)), JULY)
        for k in range(n):
            worklog.add_entry(db, cid, EntryInput(JULY + timedelta(days=k), "conference", minutes=30 + k))
    with counting(db) as one:
        budget_summaries(db, ids[:1])
    with counting(db) as all_of_them:
        result = budget_summaries(db, ids)
    with counting(db) as everyone:
        assert budget_summaries(db) == result
    assert len(one) == len(all_of_them) == len(everyone) <= 8
    assert set(result) == set(ids)
    assert result[ids[5]].actual_hours == (D(sum(30 + k for k in range(5))) / 60).quantize(D("0.01"))
    assert result[ids[4]].actual_total == worklog_read.bill_period(db, ids[4]).total


def test_empty_ids_and_entries_before_first_tariff(db):
    assert budget_summaries(db, []) == {}
    cid = new_client(db, 1)
    worklog.add_entry(db, cid, EntryInput(date(2023, 1, 10), "conference", minutes=60))
    assert budget_summaries(db, [cid])[cid].actual_total == D("1500.00")  # overview uses the earliest tariff
