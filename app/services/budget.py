"""Estimate against actual per client: the latest saved estimate vs the billed work log, in few queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, case, func, literal, select
from sqlalchemy.orm import aliased

from app.domain import billing, pricing
from app.domain.billing import LogItem
from app.domain.budget_summary import BudgetSummary
from app.domain.pricing import AMOUNT_KINDS, DAY_KINDS, KINDS, TIME_KINDS
from app.errors import UserError
from app.persistence.db import Database
from app.persistence.models import Client, Document, Estimate, WorkLogEntry
from app.services.billed_terms import ActSnapshot
from app.services.common import today
from app.services.entry_rounding import _rounding
from app.services.tariffs import RateTable
from app.services.unusable_entries import a_date, flag_columns


def budget_summaries(db: Database, client_ids: list[int] | None = None, on: date | None = None, *,
                     estimated_only: bool = False) -> dict[int, BudgetSummary]:
    """Per client, in seven SQL statements whatever the number of clients or work-log rows.

    Work-log rows are summed in SQL per client, kind and tariff period (rounding applied per entry), read
    from the covering index ``ix_work_log_budget`` (migration 0014) without touching the table.
    ``estimated_only``: only clients with a saved estimate — all that the list, the board and the
    reminders show (a card's budget line and «over budget» need an estimate; a client without one
    is asked for by id when its card opens). At 50 000 clients the Python pricing of every client
    costs ~30 s of CPU; the estimated ones are what the screen needs.

    Entries dated before the first known tariff are priced with the earliest one (an overview must
    not fail); the act itself (worklog_read.bill_period) refuses them instead.

    Work billed by an act in force counts at the figures of its act (README; app.services.billed_terms): the
    acts' lines are taken whole — every entry of a client is summed here —, and only the entries no act bills
    are summed from the index (their ids left out by the covering index of the billing mark)."""
    ids = None if client_ids is None else sorted(set(client_ids))
    if ids is not None and not ids:
        return {}
    with db.read() as s:
        step = _rounding(s)
        rates = RateTable(s)
        # Tariffs only change on these dates, so entries are summed per tariff period, not per day.
        breaks = sorted({valid_from for rows in rates.tariffs.values() for valid_from, _rate in rows})
        period = case(*[(WorkLogEntry.on_date >= start, index) for index, start in reversed(list(enumerate(breaks, 1)))],
                      else_=0) if breaks else literal(0)
        minutes = WorkLogEntry.minutes
        billed = ((minutes + (step - 1)) // step) * step if step else minutes
        _flag, flag_ok, live = flag_columns(s)  # «нет» in deleted: counted as unreadable, not left out of the fact
        marked = aliased(WorkLogEntry)
        billed_ids = select(marked.id).where(marked.billed_by_document_id.is_not(None))
        entries_q = (select(WorkLogEntry.client_id, WorkLogEntry.kind, period.label("period"),
                            billed.label("minutes"), WorkLogEntry.days, WorkLogEntry.amount,
                            (_unusable(flag_ok) if db.is_sqlite else literal(0)).label("unusable"))
                     .where(live, WorkLogEntry.id.not_in(billed_ids)))  # billed: at its act's figures below
        acts_q = (select(Document.client_id, Document.content)
                  .where(Document.kind == "act", Document.voided_on.is_(None),
                         Document.id.in_(select(marked.billed_by_document_id)
                                         .where(marked.billed_by_document_id.is_not(None)))))
        clients_q = select(Client.id, Client.approach)
        latest_q = select(func.max(Estimate.id).label("id")).group_by(Estimate.client_id)
        if ids is not None:
            clients_q = clients_q.where(Client.id.in_(ids))
            latest_q = latest_q.where(Estimate.client_id.in_(ids))
            entries_q = entries_q.where(WorkLogEntry.client_id.in_(ids))
            acts_q = acts_q.where(Document.client_id.in_(ids))
        if estimated_only:
            estimated = select(Estimate.client_id).distinct()
            clients_q = clients_q.where(Client.id.in_(estimated))
            entries_q = entries_q.where(WorkLogEntry.client_id.in_(estimated))
            acts_q = acts_q.where(Document.client_id.in_(estimated))
        sub = entries_q.subquery()
        log_q = (select(sub.c.client_id, sub.c.kind, sub.c.period, func.sum(sub.c.minutes), func.sum(sub.c.days),
                        func.sum(sub.c.amount), func.sum(sub.c.unusable))
                 .group_by(sub.c.client_id, sub.c.kind, sub.c.period))
        approaches = dict(s.execute(clients_q).all())
        plans = {row.client_id: row for row in s.execute(
            select(Estimate.client_id, Estimate.total, Estimate.days, Estimate.conference_hours,
                   Estimate.question_hours, Estimate.control_hours)
            .where(Estimate.id.in_(latest_q)))}
        items: dict[int, list[LogItem]] = {}
        unusable: dict[int, int] = {}
        for client_id, kind, index, mins, days, amount, bad in s.execute(log_q):
            if bad:
                unusable[client_id] = unusable.get(client_id, 0) + int(bad)
            # a date inside the period stands for all its entries (period 0: before any tariff)
            on_date = breaks[int(index) - 1] if index else (breaks[0] if breaks else date.min)
            items.setdefault(client_id, []).append(LogItem(on_date, kind, None if mins is None else int(mins),
                                                           days, amount))
        for client_id, content in s.execute(acts_q):
            items.setdefault(client_id, []).extend(ActSnapshot(content).items())
    day = on or today()
    result = {}
    for client_id, approach in approaches.items():
        entries = items.get(client_id, [])
        quote = None
        if entries:
            try:
                quote = billing.bill(approach, entries, rates.lenient, day, 0)
            except UserError:  # no tariff at all yet
                quote = None
        actual_minutes = sum(i.minutes or 0 for i in entries if i.kind in TIME_KINDS)
        actual_days = sum((Decimal(i.days or 0) for i in entries if i.kind in DAY_KINDS), pricing.ZERO)
        plan = plans.get(client_id)
        result[client_id] = BudgetSummary(
            client_id=client_id,
            planned_total=plan.total if plan else pricing.ZERO,
            actual_total=quote.total if quote else pricing.ZERO,
            planned_hours=(plan.conference_hours + plan.question_hours + plan.control_hours) if plan else pricing.ZERO,
            actual_hours=pricing.hours_of(actual_minutes),  # the figure the log, acts and reports show
            planned_days=plan.days if plan else pricing.ZERO,
            actual_days=pricing.two_places(actual_days),
            has_estimate=plan is not None,
            unreadable=unusable.get(client_id, 0),
        )
    return result


def _unusable(flag_ok):
    """1 for a work-log entry whose kind, deleted flag, date, minutes, days or amount the program cannot use (a word another
    program wrote: SQL's sum takes «много» for 0, a deleted flag «нет» dropped the entry from ``deleted IS 0``, and
    the plan and fact would be wrong without a word), else 0. ``flag_ok``: whether the flag is 0/1
    (app.services.unusable_entries.flag_columns). Minutes are plain integers; days and amounts are Fixed2
    hundredths, which also read a text of digits. Runs on the covering index. SQLite only: PostgreSQL keeps each
    column's type itself."""
    from sqlalchemy import String, and_, cast, not_, or_

    def not_integer(column):
        return func.typeof(column).not_in(("integer", "null"))

    def not_hundredths(column):
        return and_(not_integer(column), cast(cast(column, Integer), String).is_not(column))

    kind = WorkLogEntry.kind  # each figure counts only where the billing reads it (minutes of a call, days on site)
    return case((or_(kind.not_in(KINDS),  # «ufo»: the pricing skips it, the fact would lack that work
                     not_(flag_ok),  # neither live nor deleted: whether it counts is unknown
                     not_(a_date()),  # «ufo» sorts after every tariff's date, «2025-13-01» is no day: priced unsaid
                     and_(kind.in_(TIME_KINDS), not_integer(WorkLogEntry.minutes)),
                     and_(kind.in_(DAY_KINDS), not_hundredths(WorkLogEntry.days)),
                     and_(kind.in_(AMOUNT_KINDS), not_hundredths(WorkLogEntry.amount))), 1), else_=0)
