"""Work log use cases: validated entries (shared by the UI and CLI), soft delete/undo, timer, rounding, billing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import billing, pricing
from app.domain.billing import BilledTerms, LogItem
from app.domain.pricing import TIME_KINDS, Quote
from app.domain.stages import stage_on
from app.domain.validation import day_text
from app.errors import NotFoundError, RefusedForNow, UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client, Document, Setting, StageEvent, WorkLogEntry
from app.services import billed_terms, day_total, entry_input, unusable_entries
from app.services.changes import Changes
from app.services.common import find_client, require_known_codes, today
from app.services.tariffs import RateTable, VatTable

# a typed entry's parsing and checks live in app.services.entry_input; callers have always imported them from here
EARLIEST = entry_input.EARLIEST
FUTURE_DAYS = entry_input.FUTURE_DAYS
MAX_AMOUNT = entry_input.MAX_AMOUNT
MAX_DAYS = entry_input.MAX_DAYS
MAX_MINUTES = entry_input.MAX_MINUTES
MAX_NOTE = entry_input.MAX_NOTE
EntryInput = entry_input.EntryInput
clean_note = entry_input.clean_note
measure_of = entry_input.measure_of
parse_measure = entry_input.parse_measure
parse_minutes = entry_input.parse_minutes
validate_entry = entry_input.validate_entry

ROUNDING_KEY = "billing_rounding_min"
ROUNDING_STEPS = (0, 15, 30, 60)

# ------------------------------------------------------------------ rows returned to views


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


def _act_code(s: Session, entry: WorkLogEntry) -> str | None:
    """The number of the act that billed ``entry`` (None: not billed). Refuses a mark naming a document that does
    not exist (another program wrote it): the entry would read as not billed, yet no act could ever bill it."""
    document_id = entry.billed_by_document_id
    if document_id is None:
        return None
    from app.services.documents.register import document_code

    doc = s.get(Document, document_id)
    if doc is None:
        from app.persistence.damaged import BrokenReference, values_refusal

        raise values_refusal([], s.get_bind(), [BrokenReference(WorkLogEntry.__tablename__, entry.id,
                                                                "billed_by_document_id", document_id,
                                                                Document.__tablename__)])
    return document_code(doc.kind, doc.number, doc.year, doc.series)


_RULE_STEP = re.compile(r"вверх до (\d+)")


def act_rounding_step(content: str | None) -> int:
    """The rounding step (minutes) an act billed its entries with, from its stored snapshot: the
    ``rounding_min`` it keeps, or for older acts the step named in its printed rounding rule; 0 when none."""
    try:
        data = json.loads(content or "{}")
    except ValueError:
        return 0
    if not isinstance(data, dict):
        return 0
    step = data.get("rounding_min")
    if isinstance(step, int) and step in ROUNDING_STEPS:
        return step
    match = _RULE_STEP.search(str(data.get("rounding_rule") or ""))
    return int(match[1]) if match and int(match[1]) in ROUNDING_STEPS else 0


def _act_steps(s: Session, document_ids: Iterable[int | None]) -> dict[int, int]:
    """Document id → the rounding step its act billed with (see ``act_rounding_step``)."""
    ids = sorted({i for i in document_ids if i is not None})
    if not ids:
        return {}
    return {doc_id: act_rounding_step(text)
            for doc_id, text in s.execute(select(Document.id, Document.content).where(Document.id.in_(ids)))}


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


# ------------------------------------------------------------------ settings


def _rounding(s: Session) -> int:
    row = s.get(Setting, ROUNDING_KEY)
    try:
        step = int(row.value) if row is not None and row.value else 0
    except ValueError:
        step = 0
    return step if step in ROUNDING_STEPS else 0


def billing_rounding(db: Database) -> int:
    """Billing rounding per entry in minutes: 0 (none, the default), 15, 30 or 60 — always up."""
    with db.read() as s:
        return _rounding(s)


def set_billing_rounding(db: Database, minutes: int | str, *, force: bool = False, reason: str = "") -> Changes:
    """Billing rounding per entry: 0, 15, 30 or 60 minutes (a team's setting: its administrator's only); over work
    acts in force billed with another step it needs ``force`` and a ``reason``, as a tariff does."""
    from app.team import rights

    rights.require_admin_db(db, rights.SETTINGS)  # team-wide data: the team's administrator only
    try:
        step = int(str(minutes).strip() or 0)
    except ValueError:
        step = -1
    if step not in ROUNDING_STEPS:
        raise UserError(_("Billing rounding must be 0 (none), 15, 30 or 60 minutes."))
    with db.unit() as s:
        write_rounding(s, step, force=force, reason=reason)
    return Changes(settings=True, worklog=True, clients=True, all_figures=True)


ROUNDING_REASON_KEY = "billing_rounding_reason"  # why the rounding last changed over billed work ('' otherwise)


def rounding_reason(s: Session) -> str:
    row = s.get(Setting, ROUNDING_REASON_KEY)
    return row.value if row is not None and isinstance(row.value, str) else ""


def write_rounding(s: Session, step: int, *, force: bool = False, reason: str = "") -> None:
    """Set the billing rounding in ``s``. The rounding has no date: it applies to the work of every period, so
    while acts in force billed time with another step it is refused naming them (tester N: «--rounding 15» over
    billed October–December was taken at once, and reports re-rounded the billed work), unless forced with a
    reason, which is kept (``ROUNDING_REASON_KEY``) and shown with the setting. The acts keep their figures either
    way (app.services.billed_terms)."""
    from app.domain.validation import clean_text
    from app.services.documents.register import document_code
    from app.services.tariffs import billed_change_refusal

    text = clean_text(reason or "", _("Reason"), max_len=2000)
    if step == _rounding(s):
        return
    timed = select(WorkLogEntry.billed_by_document_id).where(WorkLogEntry.billed_by_document_id.is_not(None),
                                                               WorkLogEntry.kind.in_(TIME_KINDS))
    billed = [(r.period_from, r.period_to, document_code(r.kind, r.number, r.year, r.series)) for r in s.execute(
        select(Document.period_from, Document.period_to, Document.kind, Document.number, Document.year,
               Document.series, Document.content)
        .where(Document.kind == "act", Document.voided_on.is_(None), Document.id.in_(timed))
        .order_by(Document.period_from, Document.id)) if act_rounding_step(r.content) != step]
    if billed and (not force or not text):
        raise billed_change_refusal(billed, None)
    for key, value in ((ROUNDING_KEY, str(step)), (ROUNDING_REASON_KEY, text if billed else "")):
        row = s.get(Setting, key)
        if row is None:
            if key == ROUNDING_KEY or value:
                s.add(Setting(key=key, value=value))
        elif row.value != value:
            row.value = value


# ------------------------------------------------------------------ actions


def _changed(client_id: int) -> Changes:
    return Changes(worklog=True, clients=True, client_ids=frozenset({client_id}))


def add_entry(db: Database, client_ref: int | str, data: EntryInput) -> tuple[int, Changes]:
    """Log work for a client; returns the new entry id."""
    clean = validate_entry(data)
    with db.unit() as s:
        client = find_client(s, client_ref)
        return add_entry_in(s, client, clean).id, _changed(client.id)


def stage_of_day(s: Session, client: Client, day: date) -> int:
    """The stage ``client`` was at on ``day`` (``app.domain.stages.stage_on``), from its stage moves:
    one statement, and none when the day is today or later (nothing can have moved after it)."""
    if day >= today():
        return client.stage
    moves = [(_local_date(at), from_stage) for at, from_stage in s.execute(
        select(StageEvent.at, StageEvent.from_stage).where(StageEvent.client_id == client.id))]
    return stage_on(moves, client.stage, day)


def _local_date(moment: datetime) -> date:
    """The local calendar date of a naive-UTC moment, as the user saw it."""
    return moment.replace(tzinfo=UTC).astimezone().date()


def add_entry_in(s: Session, client: Client, data: EntryInput) -> WorkLogEntry:
    """Validate and add one entry inside the caller's transaction (a use case that logs work as a part of
    a larger action, e.g. completing a planned event or closing a question); returns the flushed row."""
    clean = validate_entry(data)
    require_known_codes(s, client)  # the entry copies the client's stage: 7 or «x» would spread
    day_total.refuse_past_day(s, clean.on_date, clean.minutes)
    entry = WorkLogEntry(client_id=client.id, on_date=clean.on_date, kind=clean.kind, minutes=clean.minutes,
                         days=clean.days, amount=clean.amount, note=clean.note,
                         stage=stage_of_day(s, client, clean.on_date) if clean.stage is None else clean.stage)
    s.add(entry)
    s.flush()
    return entry


def _entry(s: Session, entry_id: int) -> WorkLogEntry:
    entry = s.get(WorkLogEntry, entry_id)
    if entry is None:
        raise NotFoundError(_("Work-log entry No. {id} not found.").format(id=entry_id))
    return entry


def billing_act(s: Session, entry: WorkLogEntry) -> tuple[str, date] | None:
    """The act in force that bills ``entry``: its number («АУ-3/2026») and date; None when nothing bills it (voiding
    an act frees its entries)."""
    code = _act_code(s, entry)
    if code is None:
        return None
    doc = s.get(Document, entry.billed_by_document_id)
    assert doc is not None  # _act_code refused a mark naming no document
    return code, doc.issued_on


def billed_refusal(message: str, code: str) -> RefusedForNow:
    """The refusal to change, delete or restore billed work: ``message`` names the act ``code``; for now only — once
    the act is voided the same action passes, so the window's undo keeps its step (ui/undo.py) instead of dropping
    it. The command line is told how to void the act."""
    return RefusedForNow(message, cli_hint=_("The command: documents void {code} --reason TEXT").format(code=code))


def refuse_billed(s: Session, entry: WorkLogEntry) -> None:
    """A billed entry cannot be changed, deleted or restored until its act is voided (README): RefusedForNow naming
    the act's number and date. Every path that writes an existing entry asks it — the work log's own actions and
    every undo that takes logged work back (an event done, a question solved: tester K, an undo deleted billed
    work without a word)."""
    act = billing_act(s, entry)
    if act is not None:
        code, issued = act
        raise billed_refusal(_("Work-log entry No. {id} is billed by act {code} of {date}: void the act first.").format(
            id=entry.id, code=code, date=day_text(issued)), code)


def update_entry(db: Database, entry_id: int, data: EntryInput) -> Changes:
    clean = validate_entry(data)
    with db.unit() as s:
        return update_entry_in(s, entry_id, clean)


def update_entry_in(s: Session, entry_id: int, clean: EntryInput) -> Changes:
    """``update_entry`` inside the session ``s`` for an input ``validate_entry`` passed."""
    entry = _entry(s, entry_id)
    if entry.deleted:
        raise UserError(_("Work-log entry No. {id} was deleted.").format(id=entry_id))
    refuse_billed(s, entry)
    day_total.refuse_past_day(s, clean.on_date, clean.minutes, entry_id=entry.id,
                              names=day_total.person_of(s, entry, day_total.own_names(s)))
    entry.on_date, entry.kind, entry.note = clean.on_date, clean.kind, clean.note
    entry.minutes, entry.days, entry.amount = clean.minutes, clean.days, clean.amount
    if clean.stage is not None:
        entry.stage = clean.stage
    return _changed(entry.client_id)


def stored_entry_input(s: Session, entry_id: int) -> EntryInput:
    """The entry ``entry_id`` as stored, as the input that would save it again (``EntryRow.as_input``)."""
    e = _entry(s, entry_id)
    return EntryInput(e.on_date, e.kind, e.minutes, e.days, e.amount, e.note, e.stage)


def _set_deleted(db: Database, entry_ids: Iterable[int], deleted: bool) -> Changes:
    ids = sorted(set(entry_ids))
    if not ids:
        return Changes()
    with db.unit() as s:
        entries = list(s.scalars(select(WorkLogEntry).where(WorkLogEntry.id.in_(ids))))
        if len(entries) != len(ids):
            missing = sorted(set(ids) - {e.id for e in entries})
            raise NotFoundError(_("Work-log entry No. {id} not found.").format(id=missing[0]))
        if not deleted:  # «log restore» of a live entry said «выставлена актом …: сначала аннулируйте акт»
            live = sorted(e.id for e in entries if not e.deleted)
            if live:  # every live one named, and that the others did not come back either (tester J #8)
                said = (_("Work-log entry No. {id} is not deleted: there is nothing to restore.").format(id=live[0])
                        if len(live) == 1 else
                        _("Work-log entries No. {ids} are not deleted: there is nothing to restore.").format(
                            ids=", ".join(str(i) for i in live)))
                raise UserError(said + (" " + _("Nothing was brought back.") if len(entries) > 1 else ""))
        for entry in sorted(entries, key=lambda e: e.id):
            refuse_billed(s, entry)
        if not deleted:  # «log restore» and an undo brought 34 hours back onto one date (a tester, 2026-12-05)
            day_total.refuse_restored_past_day(s, entries)
        for entry in entries:
            entry.deleted = deleted
        return Changes(worklog=True, clients=True, client_ids=frozenset(e.client_id for e in entries))


def delete_entries(db: Database, entry_ids: Iterable[int]) -> Changes:
    """Soft delete (kept for undo and for sync)."""
    return _set_deleted(db, entry_ids, True)


def restore_entries(db: Database, entry_ids: Iterable[int]) -> Changes:
    """Undo a delete."""
    return _set_deleted(db, entry_ids, False)


def contract_after(db: Database, client_id: int, day: date) -> date | None:
    """The client's contract date when ``day`` is before it, else None. Work before the contract is taken — a first
    call before signing, an act whose period includes it — but said, since a date before the contract is most
    often a slip (tester A: a 2020 event marked done for a client whose contract is of 2026)."""
    signed = contract_date(db, client_id)
    return signed if signed is not None and day < signed else None


def contract_date(db: Database, client_id: int) -> date | None:
    """The client's contract date (None when not given): a dialog whose date the user picks says work before it."""
    with db.read() as s:
        return s.scalar(select(Client.contract_date).where(Client.id == client_id))


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


# ------------------------------------------------------------------ conference timer
