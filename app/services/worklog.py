"""Work log use cases: validated entries (shared by the UI and CLI), their changes, soft delete/undo."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.stages import stage_on
from app.errors import NotFoundError, UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client, StageEvent, WorkLogEntry
from app.services import day_total, entry_input
from app.services.billed_work import refuse_billed
from app.services.changes import Changes
from app.services.common import find_client, require_known_codes, today

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
