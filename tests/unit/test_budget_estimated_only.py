"""Budgets for the window read what the screen needs: only clients with an estimate, from a covering index."""

from datetime import timedelta
from decimal import Decimal as D

from sqlalchemy import text

from app.domain.estimate import EstimateInput
from app.services import worklog
from app.services.budget import budget_summaries
from app.services.estimates import save_estimate
from app.services.worklog import EntryInput
from tests.sqlcount import counting
from tests.unit.test_worklog_budget import JULY, new_client


def _clients(db, count: int, first: int = 0) -> tuple[list[int], list[int]]:
    ids, estimated = [], []
    for n in range(first, first + count):
        cid = new_client(db, n, "onsite" if n % 2 else "remote")
        ids.append(cid)
        if n % 3 == 0:
            save_estimate(db, cid, "remote", EstimateInput(conference_hours=D(1)), JULY)
            estimated.append(cid)
        for k in range(3):
            worklog.add_entry(db, cid, EntryInput(JULY + timedelta(days=k), "conference", minutes=45 + n))
    return ids, estimated


def test_estimated_only_gives_the_same_figures_for_the_estimated_clients_and_no_others(db):
    ids, estimated = _clients(db, 9)
    everyone = budget_summaries(db)
    only = budget_summaries(db, estimated_only=True)
    assert set(everyone) == set(ids)
    assert set(only) == set(estimated)
    assert all(only[cid] == everyone[cid] for cid in estimated)
    assert all(everyone[cid].actual_total > 0 for cid in ids)
    assert budget_summaries(db, [ids[1]], estimated_only=True) == {}  # ids[1] has no estimate


def test_estimated_only_sends_as_many_statements_for_3_as_for_12_clients(db):
    _clients(db, 3)
    with counting(db) as few:
        budget_summaries(db, estimated_only=True)
    _clients(db, 9, first=3)
    with counting(db) as more:
        budget_summaries(db, estimated_only=True)
    assert len(few) == len(more) <= 8


def test_a_clients_entries_are_summed_from_the_covering_index(db):
    if db.engine.dialect.name != "sqlite":
        return  # the plan text below is SQLite's; PostgreSQL picks its own plan
    ids, _estimated = _clients(db, 2)
    with db.read() as s:
        plan = " ".join(str(row[-1]) for row in s.execute(text(
            "EXPLAIN QUERY PLAN SELECT client_id, kind, sum(minutes), sum(days), sum(amount) FROM work_log "
            "WHERE deleted = 0 AND client_id IN (:a) GROUP BY client_id, kind"), {"a": ids[0]}))
    assert "COVERING INDEX ix_work_log_budget" in plan
