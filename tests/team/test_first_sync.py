"""A laptop's first sync by server snapshot and COPY (app/sync/snapshot.py): the same rows, stored the same way
and with the same merge bases as the record-by-record pull; row-level security; kills and dropped connections."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from app.errors import UserError
from app.persistence.db import open_database
from app.persistence.models import (
    ChecklistState,
    ChecklistTemplate,
    Client,
    Contact,
    Document,
    Estimate,
    PlannedEvent,
    Question,
    WorkLogEntry,
    template_uuid,
)
from app.services.clients import ClientInput, add_client
from app.sync import engine as sync_engine
from app.sync import pulling
from app.sync.bases import read_bases
from app.sync.rows import FOREIGN, TABLES, TRAVELS, IdMap, read_rows, table
from app.sync.service import conflicts, pending_count, sync_once
from app.sync.sync_setup import setup
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, plain_url

pytestmark = pytest.mark.postgres

INN_A, INN_B = "7707083893", "7728168971"
NOTES = "строка 1\nстрока\t2 \\N обратная \\ черта «ё» \r конец"


@pytest.fixture
def team(server, login_of):
    """A manager, two specialists; a client of each specialist with a row of every synced kind."""
    boss, ann, bob = login_of("boss"), login_of("ann"), login_of("bob")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_user(server, bob, "Сидоров Борис", "specialist", PASSWORD, manager=boss)
    for name, inn, who in (("ООО «Анна»", INN_A, ann), ("ООО «Борис»", INN_B, bob)):
        add_client(server, ClientInput(name=name, inn=inn, approach="remote"))
        assign_client(server, inn, specialist=who)
        _fill(server, inn)
    return {"boss": boss, "ann": ann, "bob": bob}


def _fill(server, inn: str) -> None:
    with server.unit() as s:
        client = s.scalar(select(Client).where(Client.inn == inn))
        client.notes = NOTES
        client.contract_date = date(2025, 12, 31)
        s.add(Contact(client_id=client.id, name=f"Контакт {inn}", position="Главбух", phone="", email=""))
        act = Document(client_id=client.id, kind="act", year=2026, number=int(inn[-3:]), issued_on=date(2026, 3, 31),
                       total=Decimal("1375.00"), content='{"a": 1}')
        s.add(act)
        s.flush()
        entries = [WorkLogEntry(client_id=client.id, on_date=date(2026, 3, day), kind="conference", minutes=45,
                                note=f"день {day}", billed_by_document_id=act.id if day == 3 else None)
                   for day in range(1, 6)]
        entries += [WorkLogEntry(client_id=client.id, on_date=date(2026, 3, 9), kind="onsite_day",
                                 days=Decimal("1.5"), deleted=True),
                    WorkLogEntry(client_id=client.id, on_date=date(2026, 3, 10), kind="transfer",
                                 amount=Decimal("-8400.10"),
                                 created_at=datetime(2026, 3, 10, 9, 15, 30, 123456))]
        s.add_all(entries)
        s.flush()
        s.add(ChecklistState(client_id=client.id, code="s1.lessons", done=True, done_on=date(2026, 3, 2)))
        code = f"s2.added_{inn[-3:]}"  # a user-added item travels too (the shipped ones never do)
        s.add(ChecklistTemplate(code=code, stage=2, position=99, title=f"Пункт {inn}", uuid=template_uuid(code)))
        s.add(ChecklistState(client_id=client.id, code=code, done=True, done_on=date(2026, 3, 3)))
        s.add(Estimate(client_id=client.id, approach="remote", on_date=date(2026, 3, 1),
                       conference_hours=Decimal("12.25"), days=Decimal("2")))
        s.add(PlannedEvent(client_id=client.id, kind="conference", starts_at=datetime(2026, 3, 5, 7, 0),
                           time_zone="Europe/Moscow", duration_min=60, status="done", done_on=date(2026, 3, 5),
                           actual_min=55, entry_id=entries[0].id))
        s.add(Question(client_id=client.id, asked_on=date(2026, 3, 4), channel="phone", question="Как?",
                       status="solved", minutes=15, entry_id=entries[1].id, search_text="как?"))


def _laptop(tmp_path, server_url, login: str, name: str):
    db = open_database(f"sqlite:///{tmp_path / (name + '.sqlite3')}")
    setup(db, plain_url(server_url, login), PASSWORD)
    return db


def _stored(db, name: str) -> dict[str, tuple]:
    """uuid -> every column but id as SQLite stores it (value and storage class), foreign keys as UUIDs."""
    t = table(name)
    parts = []
    for column in t.columns:
        if column.key == "id":
            continue
        if column.key in FOREIGN:
            parts.append(f"(SELECT p.uuid FROM {FOREIGN[column.key][0]} p WHERE p.id = t.{column.name})")
        else:
            parts += [f"t.{column.name}", f"typeof(t.{column.name})"]
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT t.uuid, {', '.join(parts)} FROM {name} t").all()
    return {r[0]: tuple(r[1:]) for r in rows}


def _billed(db) -> list[tuple]:
    """(entry note, number of the act that billed it) of the billed work-log entries."""
    with db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT w.note, d.number FROM work_log w JOIN document d ON "
                                    "d.id = w.billed_by_document_id ORDER BY d.number, w.note").all()


def test_an_act_billed_on_a_laptop_marks_the_same_entries_on_the_server(tmp_path, server, server_url, team):
    """A work-log entry's act travels as the act's UUID (the ids differ between laptop and server)."""
    lap = _laptop(tmp_path, server_url, team["ann"], "lap")
    sync_once(lap)
    with lap.unit() as s:  # the laptop's ids of its act and entries are not the server's
        s.execute(text("UPDATE work_log SET billed_by_document_id = (SELECT id FROM document) WHERE note = 'день 5'"))
    sync_once(lap)
    assert _billed(server) == [("день 3", int(INN_A[-3:])), ("день 5", int(INN_A[-3:])),
                               ("день 3", int(INN_B[-3:]))]
    assert conflicts(lap) == []


def _payloads(conn, name: str) -> dict[str, tuple]:
    t = table(name)
    uuids = list(conn.execute(select(t.c.uuid)).scalars())
    return read_rows(conn, name, uuids, IdMap(conn))


def test_first_sync_stores_rows_and_bases_exactly_as_the_record_by_record_pull(
        tmp_path, server, server_url, team, monkeypatch):
    fast = _laptop(tmp_path, server_url, team["boss"], "fast")
    sync_once(fast)
    monkeypatch.setattr(pulling, "SNAPSHOT_FIRST_SYNC", False)
    slow = _laptop(tmp_path, server_url, team["boss"], "slow")
    sync_once(slow)
    assert _count(fast, "sync_base") == 0 < _count(slow, "sync_base")  # lazy bases: no copy per row
    owner = create_engine(server.url)
    try:
        for name in TABLES:
            stored = _stored(fast, name)
            assert stored == _stored(slow, name), name
            with owner.connect() as sc:
                on_server = _payloads(sc, name)
            with fast.engine.connect() as lc, slow.engine.connect() as lc2:
                fast_rows, slow_rows = _payloads(lc, name), _payloads(lc2, name)
                fast_bases = read_bases(lc, name, list(fast_rows))
                slow_bases = read_bases(lc2, name, list(slow_rows))
            assert fast_rows == slow_rows == on_server, name
            assert fast_bases == slow_bases, name
            assert fast_bases == on_server, name
    finally:
        owner.dispose()
    assert len(_stored(fast, "work_log")) == 14 and len(_stored(fast, "client")) == 2
    with fast.engine.connect() as conn:
        notes, entry = conn.exec_driver_sql(
            "SELECT c.notes, (SELECT w.note FROM work_log w WHERE w.id = p.entry_id) FROM client c "
            "JOIN planned_event p ON p.client_id = c.id WHERE c.inn = ?", (INN_A,)).one()
    assert (notes, entry) == (NOTES, "день 1")
    assert _billed(fast) == _billed(slow) == [("день 3", int(INN_A[-3:])), ("день 3", int(INN_B[-3:]))]
    # the first local change of each row keeps its base (migration 0012's triggers): the server's values
    with fast.unit() as s:
        for name in TABLES:
            column = {"audit_log": "author", "checklist_template": "title"}.get(name, "updated_by")  # what travels
            s.execute(text(f"UPDATE {name} SET {column} = 'здесь'"))
        s.execute(text("DELETE FROM planned_event"))
    assert _count(fast, "sync_base") == sum(_count(slow, name) for name in TABLES)
    with fast.engine.connect() as lc, create_engine(server.url).connect() as sc:
        for name in TABLES:
            on_server = _payloads(sc, name)
            assert read_bases(lc, name, list(on_server)) == on_server, name
        assert lc.exec_driver_sql("SELECT count(*) FROM sync_base WHERE data NOT LIKE '{\"~raw\"%'").scalar() == 0


def test_first_sync_brings_only_the_members_own_clients(tmp_path, server, server_url, team):
    ann = _laptop(tmp_path, server_url, team["ann"], "ann")
    report = sync_once(ann)
    with ann.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT inn FROM client").all() == [(INN_A,)]
        own = conn.exec_driver_sql("SELECT uuid FROM client").scalar()
        for name in TABLES[1:]:
            if name == "checklist_template":
                continue  # team-wide: every member reads the user-added items
            t = table(name)
            owner_column = "client_uuid" if name == "audit_log" else None
            if owner_column:
                foreign = conn.exec_driver_sql(
                    f"SELECT count(*) FROM {name} WHERE client_uuid NOT IN ('', ?)", (own,)).scalar()
            else:
                assert "client_id" in t.c
                foreign = conn.exec_driver_sql(
                    f"SELECT count(*) FROM {name} WHERE client_id <> (SELECT id FROM client)").scalar()
            assert foreign == 0, name
        assert conn.exec_driver_sql("SELECT count(*) FROM work_log").scalar() == 7
        assert conn.exec_driver_sql("SELECT count(*) FROM sync_base").scalar() == 0  # lazy bases
    assert report.pulled == sum(_count(ann, name) for name in TABLES if name != "audit_log")  # records
    assert report.lines == _count(ann, "audit_log")  # and the trail's lines beside them
    assert pending_count(ann) == 0 and conflicts(ann) == []


def _count(db, name: str) -> int:
    """Rows of ``name`` that travel (a checklist item only when user-added: rows.TRAVELS)."""
    where = f" WHERE {TRAVELS[name]}" if name in TRAVELS else ""
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {name}{where}").scalar())


def _watermark(db) -> str | None:
    with db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT value FROM setting WHERE key = 'sync.pulled'").scalar()


KILLER = """
import os, signal, sys
from app.persistence.db import open_database
from app.sync import engine
from app.sync.service import sync_once

seen = []
def die(name):
    seen.append(name)
    if seen.count(sys.argv[2]) == int(sys.argv[4]):
        os.kill(os.getpid(), signal.SIGKILL)
engine.checkpoint = die
sync_once(open_database(sys.argv[1]), password=sys.argv[3])
"""


@pytest.mark.parametrize("tables_done", [1, 9])  # after the clients; after the work log (TABLES)
def test_sigkill_during_a_first_sync_keeps_nothing_half_and_the_next_sync_finishes(
        tmp_path, server, server_url, team, tables_done):
    assert TABLES[tables_done - 1] in ("client", "work_log")
    ann = _laptop(tmp_path, server_url, team["ann"], "ann")
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(script), ann.url, "snapshot-table", PASSWORD, str(tables_done)],
                          cwd=str(root), env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert [_count(ann, name) for name in ("client", "work_log", "sync_base")] == [0, 0, 0]
    assert _watermark(ann) is None
    sync_once(ann)
    with ann.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*), count(DISTINCT uuid) FROM work_log").one() == (7, 7)
        assert conn.exec_driver_sql("SELECT count(*) FROM client").scalar() == 1
        assert conn.exec_driver_sql("SELECT min(row_version) FROM work_log").scalar() > 0
    assert int(_watermark(ann) or 0) > 0
    assert conflicts(ann) == [] and pending_count(ann) == 0


def test_a_connection_dropped_during_a_first_sync_changes_nothing_and_is_retried(
        tmp_path, server, server_url, team, monkeypatch):
    ann = _laptop(tmp_path, server_url, team["ann"], "ann")
    owner = create_engine(server.url, isolation_level="AUTOCOMMIT")

    def drop(stage):
        if stage == "snapshot-table":  # the clients are in (not committed); the next COPY meets a dead connection
            with owner.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :u"),
                             {"u": team["ann"]})

    monkeypatch.setattr(sync_engine, "checkpoint", drop)
    with pytest.raises(UserError, match="Нет связи"):
        sync_once(ann)
    assert [_count(ann, name) for name in ("client", "work_log", "sync_base")] == [0, 0, 0]
    assert _watermark(ann) is None
    monkeypatch.setattr(sync_engine, "checkpoint", lambda stage: None)
    sync_once(ann)
    owner.dispose()
    assert [_count(ann, name) for name in ("client", "work_log")] == [1, 7]


def test_a_record_that_came_back_after_a_deletion_reaches_new_and_old_laptops(tmp_path, server, server_url, team):
    """Deleted on one laptop, edited on another: the edit brings the record back under the same UUID. The
    older tombstone must not delete it on a laptop whose pull covers both (a first sync, or a later one)."""
    a = _laptop(tmp_path, server_url, team["ann"], "a")
    b = _laptop(tmp_path, server_url, team["boss"], "b")
    old = _laptop(tmp_path, server_url, team["boss"], "old")
    for db in (a, b, old):
        sync_once(db)
    with a.unit() as s:
        s.execute(text("DELETE FROM contact WHERE client_id = (SELECT id FROM client WHERE inn = :inn)"),
                  {"inn": INN_A})
    with b.unit() as s:
        s.execute(text("UPDATE contact SET phone = '+7 495 123-45-67' WHERE client_id = "
                       "(SELECT id FROM client WHERE inn = :inn)"), {"inn": INN_A})
    sync_once(a)
    sync_once(b)
    assert [c.kind for c in conflicts(b)] == ["delete_edit"]
    fresh = _laptop(tmp_path, server_url, team["ann"], "fresh")
    sync_once(fresh)
    sync_once(old)
    for db in (fresh, old):
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql(
                "SELECT phone FROM contact WHERE client_id = (SELECT id FROM client WHERE inn = ?)",
                (INN_A,)).all() == [("+7 495 123-45-67",)], db.url


def test_a_laptop_with_records_of_its_own_takes_the_snapshot_with_a_merge(tmp_path, server, server_url, team):
    """The laptop joins with its own copy of a team client (same ИНН, a city the server's copy has not): the
    push meets it by ИНН (never seen before: a field filled on one side only takes that value, no conflict —
    docs/sync.md «Identity»), and the first sync then finds the record known — no duplicate, the client's
    records arrive."""
    db = open_database(f"sqlite:///{tmp_path / 'own.sqlite3'}")
    try:
        add_client(db, ClientInput(name="ООО «Анна»", inn=INN_A, approach="remote", city="Подольск"))
        setup(db, plain_url(server_url, team["ann"]), PASSWORD)
        sync_once(db)
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*), max(city) FROM client").one() == (1, "Подольск")
            assert conn.exec_driver_sql("SELECT count(*) FROM work_log").scalar() == 7
        assert "city" not in [c.field for c in conflicts(db)]
        assert pending_count(db) == 0
    finally:
        db.dispose()


def test_erasing_personal_data_on_a_synced_laptop_leaves_no_copy_in_the_merge_bases(tmp_path, server, server_url,
                                                                                    team):
    """The first change of a synced row keeps its base (migration 0012) — erasing a person on the laptop must
    not leave their name there, in the contact's base or in the bases of the audit lines about them."""
    from app.services.privacy import erase_personal_data

    name = "Уникальнов Пётр Сергеевич"
    with server.unit() as s:
        client = s.scalar(select(Client).where(Client.inn == INN_A))
        s.add(Contact(client_id=client.id, name=name, position="Кладовщик", phone="", email="pyotr@example.ru"))
    lap = _laptop(tmp_path, server_url, team["ann"], "lap")
    sync_once(lap)

    def copies() -> dict[str, int]:
        """Rows of each table that hold the person's name anywhere."""
        with lap.engine.connect() as conn:
            return {t: sum(name in " ".join(map(str, row)) for row in conn.exec_driver_sql(f"SELECT * FROM {t}"))
                    for t in ("contact", "audit_log", "sync_base")}

    assert copies()["contact"] == 1 and copies()["audit_log"] >= 1  # the trail's insert line names them
    erase_personal_data(lap, INN_A)
    assert copies() == {"contact": 0, "audit_log": 0, "sync_base": 0}
    with lap.engine.connect() as conn:  # the bases were kept (and scrubbed), not skipped
        assert conn.exec_driver_sql("SELECT count(*) FROM sync_base WHERE table_name = 'contact'").scalar() == 2


def test_first_sync_leaves_the_list_counters_equal_to_the_live_counts(tmp_path, server, server_url, team):
    """The snapshot's copy into empty tables sets the counters' triggers aside and recounts after it."""
    from app.services.client_list import summaries

    owner = create_engine(server.url)
    try:
        with owner.begin() as sc:  # stage 1: the ticked s1.lessons counts
            sc.exec_driver_sql("UPDATE client SET stage = 1")
    finally:
        owner.dispose()
    lap = _laptop(tmp_path, server_url, team["boss"], "lap")
    sync_once(lap)
    with lap.engine.connect() as conn:
        stored = {cid: (d, n) for cid, d, n in conn.exec_driver_sql("SELECT * FROM client_counts")}
        triggers = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                        "AND name LIKE 'vn_counts_%'").scalar()
    with lap.read() as s:
        live = {r.id: (r.checklist_done, r.lessons_done) for r in summaries(s, live=True)}
    assert stored == live and sorted(live.values()) == [(1, 0), (1, 0)]
    assert triggers == 15  # all back after the copy
