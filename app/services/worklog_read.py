"""Reading the work log: a client's entries of a period with totals and money, one entry, a period's bill."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import billing, pricing
from app.domain.billing import BilledTerms, LogItem
from app.domain.pricing import TIME_KINDS, Quote
from app.domain.validation import day_text
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Document, WorkLogEntry
from app.services import billed_terms, unusable_entries
from app.services.billed_work import _act_code
from app.services.common import find_client, today
from app.services.entry_input import EntryInput, measure_of
from app.services.entry_rounding import _act_steps, _rounding
from app.services.tariffs import RateTable, VatTable
from app.services.worklog import _entry


@dataclass(frozen=True)
class EntryRow:
    id: int
    client_id: int
    on_date: date
    kind: str
    minutes: int | None
    days: Decimal | None
    amount: Decimal | None
    stage: int
    note: str
    billed_minutes: int | None  # minutes after the billing rounding rule (None for days/amounts)
    billed_by: str | None = None  # the number of the act that billed it («АУ-3/2026»); None: not billed
    terms: BilledTerms | None = None  # what that act billed it at (app.services.billed_terms); None: not billed

    @property
    def billed(self) -> bool:
        return self.billed_by is not None

    def as_input(self) -> EntryInput:
        return EntryInput(self.on_date, self.kind, self.minutes, self.days, self.amount, self.note, self.stage)

    def as_json(self) -> dict:
        return {"id": self.id, "date": self.on_date.isoformat(), "kind": self.kind, "minutes": self.minutes,
                "billed_minutes": self.billed_minutes,
                "days": None if self.days is None else str(self.days),
                "amount": None if self.amount is None else str(self.amount),
                "stage": self.stage, "note": self.note, "billed_by": self.billed_by}


@dataclass(frozen=True)
class Totals:
    entries: int
    raw_minutes: int
    billed_minutes: int
    days: Decimal
    expenses: Decimal  # transfer + lodging
    money: Decimal | None  # billed total; None when a tariff for some date is missing

    @property
    def raw_hours(self) -> Decimal:
        return pricing.hours_of(self.raw_minutes)

    @property
    def billed_hours(self) -> Decimal:
        """The same figure the act, the stage sheet and the progress report show (``pricing.hours_of``)."""
        return pricing.hours_of(self.billed_minutes)

    def as_json(self) -> dict:
        return {"entries": self.entries, "raw_minutes": self.raw_minutes, "billed_minutes": self.billed_minutes,
                "raw_hours": str(self.raw_hours), "billed_hours": str(self.billed_hours),
                "days": str(self.days), "expenses": str(self.expenses),
                "total": None if self.money is None else str(self.money)}


@dataclass(frozen=True)
class WorkLog:
    """A client's entries for a period with totals, as the work-log view and `log list` show them."""

    client_id: int
    client_name: str
    approach: str
    client_stage: int
    rounding_min: int
    rows: tuple[EntryRow, ...]
    totals: Totals
    quote: Quote | None
    billing_error: str  # why money could not be computed ("" when it could)

    @property
    def free(self) -> bool:
        """The client's approach is free («Сопровождение внедрения»): its time is logged, never billed."""
        return self.approach == "accompanied"

    @property
    def billed_while_paid(self) -> bool:
        """A free client's log holding work an act in force billed before the client became free: that work keeps
        its act's money (``totals.money``), the rest is free."""
        return self.free and any(r.terms is not None for r in self.rows)

    def as_json(self) -> dict:
        return {"client_id": self.client_id, "approach": self.approach, "rounding_min": self.rounding_min,
                "entries": [r.as_json() for r in self.rows], "totals": self.totals.as_json()}


def _row(s: Session, e: WorkLogEntry, step: int) -> EntryRow:
    if e.billed_by_document_id is not None:  # billed: the minutes the act printed, whatever the rule now
        step = _act_steps(s, [e.billed_by_document_id]).get(e.billed_by_document_id, step)
    billed = billing.round_minutes(e.minutes or 0, step) if e.kind in TIME_KINDS else None
    return EntryRow(e.id, e.client_id, e.on_date, e.kind, e.minutes, e.days, e.amount, e.stage, e.note, billed,
                    _act_code(s, e))


# Plain columns (no ORM identity map) for listing thousands of entries at once; the billing act by outer join.
_ROW_COLUMNS = (WorkLogEntry.id, WorkLogEntry.client_id, WorkLogEntry.on_date, WorkLogEntry.kind,
                WorkLogEntry.minutes, WorkLogEntry.days, WorkLogEntry.amount, WorkLogEntry.stage, WorkLogEntry.note,
                Document.kind, Document.number, Document.year, Document.series, WorkLogEntry.billed_by_document_id)


def get_entry(db: Database, entry_id: int) -> EntryRow:
    with db.read() as s:
        return _row(s, _entry(s, entry_id), _rounding(s))


def _check_kinds(kinds: Iterable[str] | None) -> tuple[str, ...] | None:
    if kinds is None:
        return None
    chosen = tuple(dict.fromkeys(kinds))
    for kind in chosen:
        measure_of(kind)
    return chosen


def _items(rows: Iterable[EntryRow]) -> list[LogItem]:
    return [LogItem(r.on_date, r.kind, r.minutes, r.days, r.amount, r.terms) for r in rows]


def _collect(result, step: int, terms: dict[int, BilledTerms] | None = None,
             ) -> tuple[tuple[EntryRow, ...], list[LogItem], int, int, Decimal, Decimal]:
    """One pass over the selected columns: the rows, their billing items (grouped by date, kind and the terms of
    the act that billed them, time rounded per entry, so billing them with step 0 gives the same quote as billing
    each entry, in a fraction of the work for thousands of entries), raw and billed minutes, days and amounts. An
    entry billed by an act in force keeps that act's figures (``terms``: entry id → ``BilledTerms``: its rounding
    step, tariff and VAT); any other is rounded with ``step`` and priced by today's rules."""
    terms = terms or {}
    rows = []
    groups: dict[tuple[date, str, BilledTerms | None], list] = {}
    raw = billed = 0
    days = amounts = pricing.ZERO
    rnd, time_kinds = billing.round_minutes, TIME_KINDS
    from app.services.documents.register import document_code as code

    for r in result:
        own = terms.get(r[0]) if r[13] is not None else None
        key = (r[2], r[3], None if own is None else replace(own, step=0))  # minutes rounded here, once
        group = groups.get(key)
        if group is None:
            group = groups[key] = [None, None, None]
        rounded = None
        if r[3] in time_kinds:
            minutes = r[4] or 0
            rounded = rnd(minutes, step if own is None else own.step)
            raw += minutes
            billed += rounded
            group[0] = (group[0] or 0) + rounded
        if r[5] is not None:
            days += r[5]
            group[1] = r[5] if group[1] is None else group[1] + r[5]
        if r[6] is not None:
            amounts += r[6]
            group[2] = r[6] if group[2] is None else group[2] + r[6]
        billed_by = None
        if r[9] is not None:
            billed_by = code(r[9], r[10], r[11], r[12])
        rows.append(EntryRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], rounded, billed_by, own))
    items = [LogItem(day, kind, values[0], values[1], values[2], billed) for (day, kind, billed), values in groups.items()]
    return tuple(rows), items, raw, billed, days, amounts


def list_entries(db: Database, client_ref: int | str, date_from: date | None = None, date_to: date | None = None,
                 kinds: Iterable[str] | None = None) -> WorkLog:
    """Entries of a client (not deleted) in a period, newest first, with totals and the billed money. Raises
    UserError for an unknown client or period, and naming the entries of the period whose kind or deleted flag
    another program wrote (app.services.unusable_entries)."""
    chosen = _check_kinds(kinds)
    if date_from and date_to and date_from > date_to:
        raise UserError(_("The period starts ({start}) after it ends ({end}): swap the dates.").format(
            start=day_text(date_from), end=day_text(date_to)))
    with db.read() as s:
        client = find_client(s, client_ref)
        step = _rounding(s)
        scope = [WorkLogEntry.client_id == client.id, *unusable_entries.period_scope(s, date_from or None,
                                                                                    date_to or None)]
        flag, flag_ok, kept = unusable_entries.flag_columns(s)  # «ufo» or «нет» another program wrote: refused
        query = (select(*_ROW_COLUMNS, flag.label("flag"), flag_ok.label("flag_ok"), unusable_entries.act_found())
                 .outerjoin(Document, Document.id == WorkLogEntry.billed_by_document_id)
                 .where(*scope, kept)
                 .order_by(WorkLogEntry.on_date.desc(), WorkLogEntry.id.desc()))
        if chosen is not None:
            query = query.where(WorkLogEntry.kind.in_(chosen))
        # Core rows (no ORM loading) for thousands of entries
        found = s.connection().execute(query).all()
        unusable_entries.refuse_rows(found, s)  # before the totals, which would leave such a day out
        rates = RateTable(s)
        vat = VatTable(s)
        rows, items, raw, billed, days, amounts = _collect(found, step, billed_terms.read_terms(
            s, (r[13] for r in found), rates))
        client_id, name, approach, stage = client.id, client.name, client.approach, client.stage
    quote, error = None, ""
    try:
        quote = billing.bill(approach, items, rates.on, date_to or today(), 0, vat.on)
    except UserError as exc:
        error = exc.message
    totals = Totals(entries=len(rows), raw_minutes=raw, billed_minutes=billed, days=days,
                    expenses=pricing.money(amounts), money=None if quote is None else quote.total_due)
    return WorkLog(client_id, name, approach, stage, step, rows, totals, quote, error)


def bill_period(db: Database, client_ref: int | str, date_from: date | None = None, date_to: date | None = None,
                on: date | None = None) -> Quote:
    """Bill a client's logged work of a period (the act): tariffs of each entry's date, the rounding rule,
    VAT setting, USD at ``on`` (default: the end of the period or today). UserError when a tariff is missing."""
    log = list_entries(db, client_ref, date_from, date_to)
    with db.read() as s:
        rates = RateTable(s)
        vat = VatTable(s)
    return billing.bill(log.approach, _items(log.rows), rates.on, on or date_to or today(), log.rounding_min, vat.on)
