"""Two work-log entries of one day and kind read apart in one list (the trial 17k: two double-billing conflicts and
two history lines word for word «Работа «02.12.2026, Вопросы» …»); an entry that reads apart already is unchanged."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.persistence.db import open_database
from app.persistence.models import WorkLogEntry
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.team.display import record_labels

INN = "7707083893"


def test_entries_alike_get_their_time_and_note_and_others_stay_as_they_are(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
        add_entry(db, INN, EntryInput(kind="questions", on_date=date(2026, 12, 2), minutes=10, note="пароль"))
        add_entry(db, INN, EntryInput(kind="questions", on_date=date(2026, 12, 2), minutes=40, note=""))
        add_entry(db, INN, EntryInput(kind="conference", on_date=date(2026, 12, 3), minutes=60, note="одна"))
        with db.read() as s:
            uuids = {e.minutes: e.uuid for e in s.scalars(select(WorkLogEntry))}
            labels = record_labels(s, {("work_log", u) for u in uuids.values()})
            alone = record_labels(s, {("work_log", uuids[10])})
    finally:
        db.dispose()
    assert labels[("work_log", uuids[10])] == "02.12.2026, Вопросы, 10 мин, «пароль»"
    assert labels[("work_log", uuids[40])] == "02.12.2026, Вопросы, 40 мин"
    assert labels[("work_log", uuids[60])] == "03.12.2026, Конференция"  # nothing reads like it
    assert alone[("work_log", uuids[10])] == "02.12.2026, Вопросы"  # alone in its list: as before
