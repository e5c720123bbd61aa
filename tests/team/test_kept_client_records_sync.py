"""A client deleted by one member while another changed it offline comes back (delete against edit: the edit wins) —
and now with everything its deletion took: its work (unbilled), contact, ticks and lessons. Before, the sync sent
the card again while the pull's tombstones of its records deleted them from the editing laptop, and the server kept
the card alone: 60 unbilled entries gone from every computer under one conflict «Карточка · изменено / удалено»
(the tester's report of 2026-12-05, the same fault as a bundle's). Both orders: deleted on the server first, and
changed on the server first (then this laptop's deletion of the records is not sent)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app.services.clients import delete_client, get_client, update_client
from app.sync.service import conflict_lines, pending_count, sync_once
from app.team.audit import client_history
from tests.team.conftest import PASSWORD, join_laptop, sql_rows

pytestmark = pytest.mark.postgres
INN = "7707083893"
TABLES = ("work_log", "contact", "checklist_state", "lesson_progress")
BEFORE = {"work_log": 60, "contact": 1, "checklist_state": 2, "lesson_progress": 2}


@pytest.fixture
def pair(server, server_url, login_of, tmp_path):
    """(a, b): laptops of specialist ann and her manager boss, both synced once, holding ООО «Ромашка» with a
    contact, two ticks, two lessons and 60 unbilled work entries."""
    from app.services.clients import ClientInput, PersonInput, add_client
    from app.services.progress import set_checklist, set_lessons
    from app.services.worklog import EntryInput, add_entry
    from app.team.users import add_user, assign_client

    ann, boss = login_of("ann"), login_of("boss")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    cid = add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote",
                                         contacts=[PersonInput(name="Иванов Иван", phone="+7 900 000-00-01")]))
    assign_client(server, INN, specialist=ann)
    set_checklist(server, cid, ["s1.lessons", "s1.instruction"], True, on=date(2026, 3, 1))
    set_lessons(server, cid, ["L01", "L02"], True, on=date(2026, 3, 1))
    for n in range(60):
        add_entry(server, INN, EntryInput(kind="conference", on_date=date(2026, 1, 1) + timedelta(days=n),
                                          minutes=30, note=f"E{n}"))
    opened: list = []
    for name, login in (("a", ann), ("b", boss)):
        join_laptop(tmp_path / f"{name}.sqlite3", server_url, login, opened)
    yield opened[0], opened[1]
    for db in opened:
        db.dispose()


def counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        cid = conn.execute(text("SELECT id FROM client WHERE inn = :inn"), {"inn": INN}).scalar()
        if cid is None:
            return {}
        return {t: int(conn.execute(text(f"SELECT count(*) FROM {t} WHERE client_id = :c"), {"c": cid}).scalar())
                for t in TABLES}


def edit_notes(db) -> None:
    card = get_client(db, INN)
    update_client(db, card.id, replace(card.data, notes="перезвонить"))


def test_deleted_on_the_server_changed_here_the_client_comes_back_with_its_records(pair, server):
    a, b = pair
    assert counts(a) == counts(b) == counts(server) == BEFORE
    delete_client(a, get_client(a, INN).id)
    sync_once(a)
    assert counts(server) == {}
    edit_notes(b)  # «b», offline, changes the card
    report = sync_once(b)
    assert counts(b) == BEFORE  # 60 entries before and after
    assert counts(server) == BEFORE
    assert report.conflicts == 1
    [line] = conflict_lines(b)
    assert "оставлен вместе со всеми его записями" in line.what and "удалён на сервере команды" in line.what
    sync_once(a)
    assert counts(a) == BEFORE and get_client(a, INN).data.notes == "перезвонить"
    assert sync_once(b).pushed == 0 and sync_once(a).pushed == 0
    assert pending_count(a) == pending_count(b) == 0
    # the trail: what the deletion took is back, said once, the same on every computer
    trail = [(e.table, e.record, e.action) for e in client_history(server, INN)]
    assert [(e.table, e.record, e.action) for e in client_history(a, INN)] == trail
    assert [(e.table, e.record, e.action) for e in client_history(b, INN)] == trail
    restored = {r for t, r, action in trail if action == "restore" and t == "work_log"}
    assert len(restored) == 60


def test_changed_on_the_server_deleted_here_the_records_are_not_deleted_there(pair, server):
    a, b = pair
    edit_notes(b)
    sync_once(b)
    delete_client(a, get_client(a, INN).id)  # «a», offline, deletes the client the server has changed
    report = sync_once(a)
    assert report.conflicts == 1
    assert counts(server) == BEFORE
    assert counts(a) == BEFORE and get_client(a, INN).data.notes == "перезвонить"
    sync_once(b)
    assert counts(b) == BEFORE
    assert sync_once(a).pushed == 0 and pending_count(a) == 0
    assert sql_rows(server, "SELECT count(*) FROM work_log")[0][0] == 60


def test_work_logged_here_brings_the_client_back_with_all_its_work(pair, server):
    from app.services.worklog import EntryInput, add_entry

    a, b = pair
    add_entry(b, INN, EntryInput(kind="conference", on_date=date(2026, 11, 17), minutes=10, note="новая"))
    delete_client(a, get_client(a, INN).id)
    sync_once(a)
    sync_once(b)
    sync_once(a)
    for db in (a, b, server):
        assert counts(db) == {**BEFORE, "work_log": 61}
