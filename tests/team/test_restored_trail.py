"""Issue 17 (last trial): a local deletion the sync undid leaves no bare «удалено … нет → да» about a record that
exists. Sent to the server with the deletion, the line is answered by «восстановлено синхронизацией» (who: the
laptop whose sync brought it back; when: then), on that laptop, the server and the other laptop alike; never
sent, it is dropped (app/team/restored.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.models import Contact, Document, WorkLogEntry
from app.services.worklog import delete_entries
from app.sync import engine as sync_engine
from app.sync import pulling
from app.sync.service import conflicts, sync_once
from app.team.audit import client_history_lines

pytestmark = pytest.mark.postgres

INN = "7707083893"
YEAR = date.today().year
ENTRY = "Журнал работ · удалено (02.03.2026, Конференция)"


def _trail(db) -> list[str]:
    """The `audit CLIENT` lines without their time: author, action, what, change."""
    return [line.text().split("\t", 1)[1] for line in client_history_lines(db, INN)]


def _bill(db) -> None:
    """Issue an act here (offline) billing the entry «E», as the act service does."""
    from app.services.documents.register import next_number

    with db.unit() as s:
        entry = s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == "E"))
        act = Document(client_id=entry.client_id, kind="act", year=YEAR, number=next_number(s, "act", YEAR),
                       issued_on=date.today(), total=1500, content=json.dumps({"entries": [entry.uuid]}))
        s.add(act)
        s.flush()
        entry.billed_by_document_id = act.id


def _delete_e(db) -> None:
    with db.read() as s:
        entry_id = s.scalar(select(WorkLogEntry.id).where(WorkLogEntry.note == "E"))
    delete_entries(db, [entry_id])


def test_an_entry_deleted_after_the_other_laptop_billed_it_reads_restored(server, entry_pair):
    a, b, _ann, _boss = entry_pair
    _bill(b)
    sync_once(b)  # the act reaches the server first
    _delete_e(a)
    assert _trail(a)[0] == f"Иванова Анна\tизменено\t{ENTRY}\tнет → да"
    sync_once(a)  # the act's side keeps the entry: a billed_edit conflict of «deleted» here
    assert [(c.kind, c.field, c.kept) for c in conflicts(a)] == [("billed_edit", "deleted", "server")]
    with a.read() as s:
        assert s.scalar(select(WorkLogEntry.deleted).where(WorkLogEntry.note == "E")) is False
    expected = [f"Иванова Анна\tвосстановлено синхронизацией\t{ENTRY}\tда → нет",
                f"Иванова Анна\tизменено\t{ENTRY}\tнет → да"]
    assert _trail(a)[:2] == expected
    sync_once(b)
    for db in (server, b):  # the restoration was sent in the same sync: everyone reads the same two lines
        assert [line for line in _trail(db) if ENTRY in line][:2] == expected
    sync_once(a)
    assert [line for line in _trail(a) if "восстановлено" in line] == expected[:1]  # written once


def _contact_edited_on_b(a, b) -> None:
    """A contact added on B reaches A; B then changes its phone (not yet synced)."""
    from app.persistence.models import Client

    with b.unit() as s:
        s.add(Contact(client_id=s.scalar(select(Client.id)), name="Петров Пётр", phone="+7 900 000-00-02"))
    sync_once(b)
    sync_once(a)
    with b.unit() as s:
        s.scalar(select(Contact)).phone = "+7 495 123-45-67"


def pull_only(db) -> str:
    """The sync's pull alone on this laptop, as after a push that missed it (a change made meanwhile); returns
    the laptop's team login."""
    from app.sync.server_check import _connect
    from app.sync.service import _settings as settings_of
    from app.sync.sync_setup import keyring_password

    settings = settings_of(db)
    engine = _connect(settings["sync.url"], keyring_password(settings["sync.url"]) or "")
    try:
        pulling.pull(db, engine, sync_engine.Counts())
    finally:
        engine.dispose()
    return settings["team.login"]


def test_a_contact_deleted_after_the_other_laptop_edited_it_reads_restored(server, entry_pair):
    a, b, _ann, _boss = entry_pair
    _contact_edited_on_b(a, b)
    sync_once(b)  # the edit reaches the server first
    with a.unit() as s:
        s.delete(s.scalar(select(Contact)))
    sync_once(a)  # the deletion meets the edit: the contact comes back here
    assert [c.kind for c in conflicts(a)] == ["edit_delete"]
    with a.read() as s:
        assert s.scalar(select(Contact.phone)) == "+7 495 123-45-67"
    expected = ["Иванова Анна\tвосстановлено синхронизацией\tКонтакт (Петров Пётр)\tПетров Пётр",
                "Иванова Анна\tудалено\tКонтакт (Петров Пётр)\tПетров Пётр"]
    assert _trail(a)[:2] == expected
    sync_once(b)
    assert _trail(server)[:2] == expected and _trail(b)[:2] == expected


def test_the_other_laptops_deletion_undone_by_this_laptops_billing_reads_restored(server, entry_pair):
    """A deleted «E» and synced first; B had billed it offline: B's act keeps it (billed_edit on B, kept local).
    A's line reached the server; B's sync answers it."""
    a, b, _ann, _boss = entry_pair
    _delete_e(a)
    sync_once(a)
    _bill(b)
    sync_once(b)
    assert [(c.kind, c.field, c.kept) for c in conflicts(b)] == [("billed_edit", "deleted", "local")]
    expected = [f"Петрова Мария\tвосстановлено синхронизацией\t{ENTRY}\tда → нет",
                f"Иванова Анна\tизменено\t{ENTRY}\tнет → да"]
    assert [line for line in _trail(b) if ENTRY in line] == expected
    sync_once(a)
    for db in (server, a):
        assert [line for line in _trail(db) if ENTRY in line] == expected
    with a.read() as s:
        assert s.scalar(select(WorkLogEntry.deleted).where(WorkLogEntry.note == "E")) is False
    # A is told too (trial of 05:15): its deletion lost to B's act, the same conflict, the server's side kept
    assert [(c.kind, c.field, c.local_value, c.server_value, c.kept) for c in conflicts(a)] == [
        ("billed_edit", "deleted", "True", "False", "server")]
    sync_once(a)
    assert len(conflicts(a)) == 1  # recorded once


def test_an_unsent_deletion_line_undone_by_a_pull_is_dropped(server, entry_pair):
    """A deletion made while a sync ran (after its push): the pull brings the edited record back, and the
    deletion's line, never sent, goes with the deletion — the server never hears of it."""
    a, b, _ann, _boss = entry_pair
    _contact_edited_on_b(a, b)
    sync_once(b)
    with a.unit() as s:
        s.delete(s.scalar(select(Contact)))
    from app.sync.service import _settle_restored

    login = pull_only(a)
    assert [c.kind for c in conflicts(a)] == ["edit_delete"]
    assert _settle_restored(a, login) == 0  # nothing to write: the line is dropped
    assert not any("Контакт" in line and "удалено" in line for line in _trail(a)), _trail(a)
    with a.read() as s:  # nor is it queued for the server
        from app.persistence.models import AuditEntry, SyncOutbox

        lines = set(s.scalars(select(AuditEntry.uuid)))
        queued = set(s.scalars(select(SyncOutbox.record_uuid).where(SyncOutbox.table_name == "audit_log")))
        assert queued <= lines
        assert not s.scalars(select(SyncOutbox).where(SyncOutbox.table_name == "contact")).all()  # nor the deletion
    sync_once(a)  # the next sync settles: nothing of the lost deletion is pushed, nothing «changed meanwhile»
    with a.read() as s:
        assert not s.scalars(select(SyncOutbox)).all()
        assert s.scalar(select(Contact.phone)) == "+7 495 123-45-67"
    sync_once(b)
    with b.read() as s:
        assert s.scalar(select(Contact.phone)) == "+7 495 123-45-67"
    assert not any("Контакт" in line and "удалено" in line for line in _trail(server))
