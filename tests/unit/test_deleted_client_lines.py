"""A client's deletion lists in the trail the records the database's cascade takes with it (trial 17c, finding 3):
its work (not the entries already deleted), its ticks (not the items unticked), its plans — one «удалено» line
each, written with the card's own in the deletion's transaction."""

from __future__ import annotations

from sqlalchemy import select

from app.persistence.db import open_database
from app.persistence.models import AuditEntry

INN = "7707083893"


def test_the_deletion_lists_what_goes_with_the_client(cli, sqlite_path):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    for minutes in ("60", "30"):
        assert cli("log", "add", INN, "--kind", "conference", "--date", "2026-11-02", "--minutes", minutes)[0] == 0
    assert cli("checklist", "done", INN, "s1.lessons")[0] == 0
    assert cli("checklist", "done", INN, "s1.instruction")[0] == 0
    assert cli("checklist", "undo", INN, "s1.instruction")[0] == 0  # unticked: no line at the deletion
    status, _out, err = cli("plan", "add", INN, "--kind", "call", "--start", "2026-12-03 10:00", "--tz",
                            "Europe/Moscow", "--duration", "30")
    assert status == 0, err
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.read() as s:
            second = s.scalars(select(AuditEntry.record_uuid).where(  # the 30-minute entry's UUID
                AuditEntry.table_name == "work_log", AuditEntry.action == "insert").order_by(AuditEntry.id)).all()[1]
    finally:
        db.dispose()
    status, out, err = cli("log", "list", INN)
    assert status == 0, err
    [entry_id] = [line.split()[0] for line in out.splitlines() if "0:30" in line]
    assert cli("log", "delete", entry_id)[0] == 0  # the 30-minute entry, deleted before the client
    assert cli("clients", "delete", INN)[0] == 0
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.read() as s:
            gone = s.execute(select(AuditEntry.table_name, AuditEntry.record_uuid, AuditEntry.old_value)
                             .where(AuditEntry.action == "delete").order_by(AuditEntry.id)).all()
    finally:
        db.dispose()
    tables = [t for t, _uuid, _old in gone]
    assert tables[-1] == "client" and sorted(tables[:-1]) == ["checklist_state", "planned_event", "work_log"]
    [(_t, entry_uuid, entry_text)] = [row for row in gone if row[0] == "work_log"]
    assert entry_uuid != second and entry_text == "2026-11-02 conference 60"
    [(_t, _uuid, tick_text)] = [row for row in gone if row[0] == "checklist_state"]
    assert tick_text == "s1.lessons: 1"
