"""Notes on a work-log entry that was taken but is often a slip: dated before its client's contract, or after today."""

from __future__ import annotations

from datetime import date

from app.i18n import _
from app.persistence.db import Database


def entry_date_notes(db: Database, entry_id: int, *, today: date | None = None) -> list[str]:
    """What to say beside work-log entry ``entry_id`` once it is saved, in Russian: its date is before its client's
    contract (``worklog.contract_after``: a first call before signing is allowed, a 2020 date for a 2026 contract is a
    slip — tester A), or after ``today`` (default: this computer's date; work a month ahead was taken without a word
    — tester J). Empty when neither. The command line prints these on stderr, the window beside its message.
    UserError when the entry is not there."""
    from app.services.common import today as this_day
    from app.services.worklog import contract_after
    from app.services.worklog_read import get_entry

    row = get_entry(db, entry_id)
    notes = []
    signed = contract_after(db, row.client_id, row.on_date)
    if signed is not None:
        notes.append(_("Note: entry No. {id} is dated {day}, before the contract of {contract}.").format(
            id=entry_id, day=row.on_date.strftime("%d.%m.%Y"), contract=signed.strftime("%d.%m.%Y")))
    now = today if today is not None else this_day()
    if row.on_date > now:
        notes.append(_("Note: entry No. {id} is dated {day}, a day that has not come yet (today is {today}).").format(
            id=entry_id, day=row.on_date.strftime("%d.%m.%Y"), today=now.strftime("%d.%m.%Y")))
    return notes


def contract_after_day(db: Database, client_ref: int | str, day: date) -> date | None:
    """The contract date of client ``client_ref`` (id or ИНН) when ``day`` is before it, else None: a lesson watched,
    a checklist item done or a question asked on such a day is taken but said, as work is (``entry_date_notes``) —
    `lessons done --date 2024-01-01` for a contract of 2024-07-01 passed without a word (a fresh tester, round 13)."""
    from app.services.common import find_client

    with db.read() as s:
        signed = find_client(s, client_ref).contract_date
    return signed if signed is not None and day < signed else None
