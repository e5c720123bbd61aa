"""A client deleted on one computer and changed on another is kept (delete against edit: the edit wins) — and so
are its records (the tester's report of 2026-12-05): the file's tombstones of the records the deletion's cascade
took came with the client's own and were applied first, children before parents, so the client stayed while its 60
unbilled work entries, its contact, ticks and lessons were deleted («Удалено здесь, как на другом компьютере: 82»),
with one conflict that named only the card. Now a client the merge keeps keeps everything its deletion took there,
the report says so, and the next file brings the records back on the deleting computer too."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select, text

from app.config import sqlite_url
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.persistence.models import Client, SyncConflict
from app.services.clients import delete_client, get_client, update_client

TABLES = ("work_log", "contact", "employee", "checklist_state", "lesson_progress", "stage_event")


@pytest.fixture
def laptops(tmp_path):
    """X: the bench's 5 clients (60 work entries each); A3: a new file that imported X's first export."""
    from bench.generate import generate

    generate(tmp_path / "X.db", clients=5, log_rows=300)  # as `bench.generate --clients 5`
    x = open_database(sqlite_url(tmp_path / "X.db"))
    a3 = open_database(sqlite_url(tmp_path / "A3.db"))
    carry(x, a3, tmp_path / "e0.zip")
    yield x, a3
    x.dispose()
    a3.dispose()


def carry(src, dst, path: Path):
    export_bundle(src, None, path)
    return import_bundle(dst, path, backup=False).report


def counts(db, inn: str) -> dict[str, int]:
    """The client's records per table (an empty dict when the client is not there)."""
    with db.engine.connect() as conn:
        cid = conn.execute(text("SELECT id FROM client WHERE inn = :inn"), {"inn": inn}).scalar()
        if cid is None:
            return {}
        return {t: int(conn.execute(text(f"SELECT count(*) FROM {t} WHERE client_id = :c"), {"c": cid}).scalar())
                for t in TABLES}


def open_conflicts(db) -> list[tuple[str, str]]:
    with db.read() as s:
        return [(r.table_name, r.kind) for r in s.execute(
            select(SyncConflict.table_name, SyncConflict.kind).where(SyncConflict.resolved.is_(False)))]


def second_client(db) -> tuple[int, str]:
    with db.read() as s:
        return s.execute(select(Client.id, Client.inn).where(Client.id == 2)).one()  # type: ignore[return-value]


def edit_notes(db, ref) -> None:
    card = get_client(db, ref)
    update_client(db, card.id, replace(card.data, notes=card.data.notes + " правка на A3"))


def test_a_client_kept_by_a_delete_against_edit_keeps_its_records(laptops, tmp_path):
    x, a3 = laptops
    cid, inn = second_client(a3)
    before = counts(a3, inn)
    assert before["work_log"] == 60 and before["contact"] == 1 and before["checklist_state"] > 0
    edit_notes(a3, cid)
    delete_client(x, get_client(x, inn).id)
    report = carry(x, a3, tmp_path / "e1.zip")

    assert counts(a3, inn) == before  # 60 entries before and after, and every other record of it
    assert sum(report.deleted.values()) == 0
    # the card's save wrote the contact's phone in the stored form: that contact is an edit of its own
    assert sorted(open_conflicts(a3)) == [("client", "delete_edit"), ("contact", "delete_edit")]
    [line] = [c.line(report.people, records=report.with_client.get(c.uuid)) for c in report.conflicts
              if c.table == "client"]
    text_ = "\n".join(report.lines())
    assert "оставлено вместе со всеми его записями" in line and line in text_
    assert f"удалённые там вместе с ним ({sum(before.values())})" in line
    assert "Удалено здесь" not in text_

    # the next file takes the client and all its records back to the computer that deleted it: one conflict there
    back = carry(a3, x, tmp_path / "e2.zip")
    assert counts(x, inn) == before
    # one conflict there, the client's: its records (the restyled contact among them) come back with it
    assert open_conflicts(x) == [("client", "edit_delete")]
    assert [(c.table, c.kind) for c in back.conflicts] == [("client", "edit_delete")]
    assert back.with_client and "возвращено вместе с его записями" in "\n".join(back.lines())
    # and further swaps change nothing: the records stay on both
    carry(x, a3, tmp_path / "e3.zip")
    carry(a3, x, tmp_path / "e4.zip")
    assert counts(a3, inn) == counts(x, inn) == before
    assert get_client(x, inn).data.notes.endswith("правка на A3")


def test_work_logged_here_keeps_a_client_deleted_there_with_all_its_records(laptops, tmp_path):
    """Nothing of the card changed here, but new work was logged: the work is an edit of the client, which stays —
    with the new entry and the 60 older ones; before, the client's deletion took them all."""
    from app.services.worklog import EntryInput, add_entry

    x, a3 = laptops
    _cid, inn = second_client(a3)
    before = counts(a3, inn)
    add_entry(a3, inn, EntryInput(kind="conference", on_date=date(2026, 11, 17), minutes=10, note="новая"))
    delete_client(x, get_client(x, inn).id)
    carry(x, a3, tmp_path / "e1.zip")
    assert counts(a3, inn) == {**before, "work_log": 61}
    assert open_conflicts(a3) == [("client", "delete_edit")]


def test_a_record_deleted_there_before_the_client_stays_deleted(laptops, tmp_path):
    """Only what went with the client's deletion stays: a contact deleted on its own there earlier is deleted here
    too (it was not changed here), as any deletion is."""
    x, a3 = laptops
    cid, inn = second_client(a3)
    before = counts(a3, inn)
    card = get_client(x, inn)
    with time_machine.travel(datetime.now(UTC) - timedelta(minutes=5)):  # the contact deleted on its own first
        update_client(x, card.id, replace(card.data, contacts=[]))
    delete_client(x, card.id)
    with a3.unit() as s:  # the card's notes only (a save through the form would also restyle the contact's phone)
        s.get(Client, cid).notes = "правка на A3"
    report = carry(x, a3, tmp_path / "e1.zip")
    assert counts(a3, inn) == {**before, "contact": 0}
    assert report.deleted["contact"] == 1
    assert open_conflicts(a3) == [("client", "delete_edit")]


def test_a_client_not_changed_here_goes_with_its_records_as_before(laptops, tmp_path):
    x, a3 = laptops
    _cid, inn = second_client(a3)
    delete_client(x, get_client(x, inn).id)
    report = carry(x, a3, tmp_path / "e1.zip")
    assert counts(a3, inn) == {} and open_conflicts(a3) == []
    assert report.deleted["work_log"] == 60
    with a3.read() as s:
        assert s.scalar(select(func.count()).select_from(Client)) == 4
