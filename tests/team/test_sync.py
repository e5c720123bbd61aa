"""Offline-first sync: two (or four) laptops on SQLite files and one PostgreSQL team server."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from app.errors import UserError
from app.persistence.db import open_database
from app.persistence.models import Client, Document
from app.services.clients import ClientInput, add_client
from app.sync import engine as sync_engine
from app.sync import pulling
from app.sync.service import conflicts, pending_count, status_text, sync_once
from app.sync.sync_setup import setup
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, plain_url, sql_rows

pytestmark = pytest.mark.postgres

INN = "7707083893"


@pytest.fixture
def team(server, login_of):
    ann, boss = login_of("ann"), login_of("boss")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист по внедрению", manager=boss)
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    assign_client(server, INN, specialist=ann)
    return {"ann": ann, "boss": boss}


@pytest.fixture
def laptop(tmp_path, server_url, team):
    """laptop(name, login) -> an open SQLite database set up for sync and synced once."""
    opened = []

    def make(name: str, login: str):
        db = open_database(f"sqlite:///{tmp_path / (name + '.sqlite3')}")
        opened.append(db)
        setup(db, plain_url(server_url, login), PASSWORD)
        sync_once(db)
        return db

    yield make
    for db in opened:
        db.dispose()



def _edit(db, **values):
    with db.unit() as s:
        client = s.scalar(select(Client).where(Client.inn == INN))
        for key, value in values.items():
            setattr(client, key, value)


def test_first_sync_brings_the_assigned_client_and_status_says_when(laptop, team):
    a = laptop("a", team["ann"])
    assert sql_rows(a, "SELECT name FROM client") == [("ООО «Ромашка»",)]
    assert status_text(a).startswith("Синхронизировано в ")


def test_edits_of_different_fields_on_two_laptops_both_survive(laptop, team, server):
    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    _edit(a, city="Подольск")
    _edit(b, notes="Звонить после обеда")
    sync_once(a)
    sync_once(b)
    sync_once(a)
    for db in (a, b, server):
        assert sql_rows(db, "SELECT city, notes FROM client") == [("Подольск", "Звонить после обеда")]
    assert conflicts(a) == [] and conflicts(b) == []


def test_same_field_on_both_sides_is_a_conflict_with_both_values_server_kept(laptop, team, server):
    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    _edit(a, city="Подольск")
    _edit(b, city="Химки")
    sync_once(a)
    report = sync_once(b)
    assert report.conflicts == 1
    [conflict] = conflicts(b)
    assert (conflict.field, conflict.local_value, conflict.server_value, conflict.kept) == (
        "city", "Химки", "Подольск", "server")
    assert sql_rows(b, "SELECT city FROM client") == [("Подольск",)]
    assert re.fullmatch(r"Синхронизировано в \d\d:\d\d; конфликтов: 1", status_text(b))  # the time stays (st17)
    from app.sync.service import conflict_lines

    [line] = conflict_lines(b)  # what «sync conflicts» prints: the client's name, the card's words
    assert line.text() == (f"{conflict.id}\tООО «Ромашка»\tКарточка · город\t"
                           "здесь: Химки\tна сервере: Подольск\tоставлено: с сервера")
    # the user picks the laptop's value: it goes to the server at the next sync
    from app.sync.service import resolve_conflict

    resolve_conflict(b, conflict.id, keep="local")
    sync_once(b)
    sync_once(a)
    assert sql_rows(server, "SELECT city FROM client") == [("Химки",)]
    assert sql_rows(a, "SELECT city FROM client") == [("Химки",)]


def test_delete_against_edit_is_a_conflict_and_the_edit_is_not_lost(laptop, team, server):
    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    with a.unit() as s:
        s.execute(text("INSERT INTO contact(uuid, updated_at, client_id, name, position, phone, email) "
                       "SELECT '00000000-0000-4000-8000-00000000c0de', '2026-01-01', id, 'Иванов', '', '', '' "
                       "FROM client"))
    sync_once(a)
    sync_once(b)
    with a.unit() as s:
        s.execute(text("DELETE FROM contact"))
    with b.unit() as s:
        s.execute(text("UPDATE contact SET phone = '+7 495 123-45-67'"))
    sync_once(a)  # the deletion reaches the server first
    sync_once(b)  # b's edit meets the deletion
    kinds = [c.kind for c in conflicts(b)]
    assert kinds == ["delete_edit"]
    assert sql_rows(server, "SELECT name, phone FROM contact") == [("Иванов", "+7 495 123-45-67")]
    sync_once(a)
    assert sql_rows(a, "SELECT phone FROM contact") == [("+7 495 123-45-67",)]


def test_work_log_on_both_laptops_never_conflicts(laptop, team, server):
    from app.services.worklog import EntryInput, add_entry

    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=90))
    add_entry(b, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=90))
    sync_once(a)
    sync_once(b)
    sync_once(a)
    assert sql_rows(server, "SELECT count(*) FROM work_log")[0][0] == 2
    assert sql_rows(a, "SELECT count(*) FROM work_log")[0][0] == 2
    assert conflicts(a) == [] and conflicts(b) == []


def test_the_same_checklist_item_ticked_on_both_sides_is_one_item_and_not_silent(laptop, team, server):
    from app.services.progress import set_checklist

    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    set_checklist(a, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
    set_checklist(b, INN, ["s1.lessons"], True, on=date(2026, 3, 3))
    sync_once(a)
    sync_once(b)
    assert sql_rows(server, "SELECT code, done_on FROM checklist_state") == [("s1.lessons", date(2026, 3, 2))]
    assert {c.field for c in conflicts(b)} >= {"done_on"}
    assert sql_rows(b, "SELECT count(*) FROM checklist_state")[0][0] == 1


@pytest.mark.parametrize("skew", ["+1 year", "-1 year"])
def test_a_clock_a_year_off_changes_nothing(laptop, team, server, skew):
    """Laptop A's clock is a year off: its stamps are far from B's, yet versions alone decide."""
    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    _edit(a, city="Подольск")
    with a.unit() as s:
        s.execute(text(f"UPDATE client SET updated_at = datetime(updated_at, '{skew}')"))
    sync_once(a)
    sync_once(b)
    _edit(b, city="Химки")  # B saw A's version: its later edit wins whatever A's clock said
    sync_once(b)
    sync_once(a)
    for db in (a, b, server):
        assert sql_rows(db, "SELECT city FROM client") == [("Химки",)]
    assert conflicts(a) == [] and conflicts(b) == []


def test_interrupted_push_loses_and_duplicates_nothing(laptop, team, server, monkeypatch):
    from app.services.worklog import EntryInput, add_entry

    a = laptop("a", team["ann"])
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=45))
    _edit(a, city="Подольск")

    def crash(stage):
        if stage == "pushed-server":
            raise RuntimeError("killed")

    monkeypatch.setattr(sync_engine, "checkpoint", crash)
    with pytest.raises(RuntimeError):
        sync_once(a)
    # entry and card (their two audit lines wait too, but are bookkeeping, not counted): the server has them, the
    # laptop does not know
    assert pending_count(a) == 2 and sql_rows(a, "SELECT count(*) FROM sync_outbox")[0][0] == 4
    monkeypatch.setattr(sync_engine, "checkpoint", lambda stage: None)
    sync_once(a)
    assert pending_count(a) == 0 and conflicts(a) == []
    assert sql_rows(server, "SELECT count(*) FROM work_log")[0][0] == 1
    assert sql_rows(server, "SELECT city FROM client") == [("Подольск",)]
    assert sql_rows(server, "SELECT count(*) FROM audit_log WHERE field = 'city'")[0][0] == 1


def test_connection_dropped_during_pull_is_finished_by_the_next_sync(laptop, team, server, monkeypatch):
    from app.services.worklog import EntryInput, add_entry

    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    for day in range(1, 6):
        add_entry(b, INN, EntryInput(kind="conference", on_date=date(2026, 3, day), minutes=30))
    sync_once(b)
    owner = create_engine(server.url, isolation_level="AUTOCOMMIT")

    def drop(stage):
        if stage == "pulled-page" and sql_rows(a, "SELECT count(*) FROM work_log")[0][0]:  # the connection goes, and stays away (a reconnect is refused too)
            with owner.connect() as conn:
                conn.execute(text(f'ALTER ROLE "{team["ann"]}" NOLOGIN'))
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :u"),
                             {"u": team["ann"]})

    monkeypatch.setattr(sync_engine, "checkpoint", drop)
    monkeypatch.setattr(pulling, "PAGE", 2)
    with pytest.raises(UserError):
        sync_once(a)
    assert 0 < sql_rows(a, "SELECT count(*) FROM work_log")[0][0] < 5  # a page or two arrived, not all
    with owner.connect() as conn:
        conn.execute(text(f'ALTER ROLE "{team["ann"]}" LOGIN'))
    # the reconnect was refused because the role may no longer log in: the line says so, not «Нет связи»
    assert status_text(a) == "Доступ к серверу отозван"  # nothing waits here: no «(0)»
    monkeypatch.setattr(sync_engine, "checkpoint", lambda stage: None)
    sync_once(a)
    owner.dispose()
    assert sql_rows(a, "SELECT count(*) FROM work_log")[0][0] == 5
    assert len({r[0] for r in sql_rows(a, "SELECT uuid FROM work_log")}) == 5


def test_four_laptops_issue_documents_offline_without_a_duplicate_number(laptop, team, server):
    from app.services.documents.register import next_number as _next_number

    laptops = [laptop(f"l{i}", team["ann"] if i % 2 else team["boss"]) for i in range(4)]
    year = date.today().year
    for db in laptops:  # offline: each issues 7 acts from its reserved block
        for _ in range(7):
            with db.unit() as s:
                client_id = s.scalar(select(Client.id))
                number = _next_number(s, "act", year)
                s.add(Document(client_id=client_id, kind="act", year=year, number=number,
                               issued_on=date.today(), content="{}"))
    for db in laptops:
        sync_once(db)
    numbers = [r[0] for r in sql_rows(server, "SELECT number FROM document WHERE kind = 'act'")]
    assert len(numbers) == 28 and len(set(numbers)) == 28


def test_wrong_password_unreachable_revoked_and_newer_schema_leave_local_data_alone(laptop, team, server,
                                                                                 server_url, tmp_path):
    a = laptop("a", team["ann"])
    _edit(a, city="Подольск")
    before = sql_rows(a, "SELECT * FROM client")
    with pytest.raises(UserError, match="не принял пароль"):
        sync_once(a, password="wrong password")
    from app.sync.laptop_settings import _put
    from app.sync.service import URL_KEY

    good = sql_rows(a, "SELECT value FROM setting WHERE key = 'sync.url'")[0][0]
    _put(a, {URL_KEY: good.replace(good.split("@")[1].split("/")[0], "127.0.0.1:1")})
    with pytest.raises(UserError, match="Нет связи"):
        sync_once(a, password=PASSWORD)
    _put(a, {URL_KEY: good})
    with create_engine(server.url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(UserError, match=r"данные более новой версии \(9999\).*обновите программу"):
        sync_once(a)
    assert status_text(a) == "Сервер новее программы: обновите программу — изменения сохранены на ноутбуке (1)"
    with create_engine(server.url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"),
                     {"v": sql_rows(a, "SELECT version_num FROM alembic_version")[0][0]})
    from app.team.users import disable_user

    disable_user(server, team["ann"])
    with pytest.raises(UserError, match="отозван"):
        sync_once(a)
    assert sql_rows(a, "SELECT * FROM client") == before
    assert pending_count(a) == 1  # the card, still waiting (with its audit line: bookkeeping, not counted)
    assert status_text(a) == "Доступ к серверу отозван — изменения сохранены на ноутбуке (1)"


KILLER = """
import os, signal, sys
from app.persistence.db import open_database
from app.sync import engine
from app.sync.service import sync_once

stage = sys.argv[2]
def die(name):
    if name == stage:
        os.kill(os.getpid(), signal.SIGKILL)
engine.checkpoint = die
sync_once(open_database(sys.argv[1]), password=sys.argv[3])
"""


@pytest.mark.parametrize("stage", ["pushed-server", "pulled-page"])
def test_sigkill_during_push_or_pull_loses_and_duplicates_nothing(laptop, team, server, tmp_path, stage):
    import signal
    import subprocess
    import sys

    from app.services.worklog import EntryInput, add_entry

    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    for day in range(1, 4):
        add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, day), minutes=20))
        add_entry(b, INN, EntryInput(kind="questions", on_date=date(2026, 3, day), minutes=10))
    _edit(a, city="Подольск")
    sync_once(b)
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    import os

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(script), a.url, stage, PASSWORD], cwd=str(root),
                          env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    sync_once(a)
    sync_once(b)
    for db in (a, b, server):
        assert sql_rows(db, "SELECT count(*), count(DISTINCT uuid) FROM work_log")[0] == (6, 6)
        assert sql_rows(db, "SELECT city FROM client") == [("Подольск",)]
    assert sql_rows(server, "SELECT count(*) FROM audit_log WHERE field = 'city'")[0][0] == 1
    assert conflicts(a) == [] and pending_count(a) == 0


def test_the_issuing_member_signs_documents_issued_on_a_laptop(laptop, team, server):
    from app.services.documents import ExecutorDetails
    from app.services.documents.common import base as _base
    from app.team.users import team_signer

    a = laptop("a", team["ann"])
    with a.unit() as s:
        assert team_signer(s) == ("Иванова Анна", "Специалист по внедрению")
        client = s.scalar(select(Client))
        client.kpp = client.kpp or "770701001"  # an organisation prints only with its КПП (issue 10)
        executor = ExecutorDetails(company="ООО «Исполнитель»", inn="7707083893", kpp="770701001", address="Москва",
                                   city="Москва",
                                   specialist_name="Другой Человек", specialist_position="Специалист")
        content = _base(s, "act", client, executor, date.today())
    assert (content["executor"]["specialist_name"], content["executor"]["specialist_position"]) == (
        "Иванова Анна", "Специалист по внедрению")
    assert content["executor"]["company"] == "ООО «Исполнитель»"  # the requisites stay shared


def test_background_sync_never_raises_and_returns_the_status(laptop, team, server, memory_keyring):
    from app.sync.laptop_settings import _put
    from app.sync.service import URL_KEY, last_error
    from app.sync.sync_setup import KEYRING_SERVICE
    from app.sync.window_sync import sync_in_background

    a = laptop("a", team["ann"])
    assert sync_in_background(a).startswith("Синхронизировано в")
    good = sql_rows(a, "SELECT value FROM setting WHERE key = 'sync.url'")[0][0]
    away = good.replace(good.split("@")[1].split("/")[0], "127.0.0.1:1")
    memory_keyring.set_password(KEYRING_SERVICE, away, PASSWORD)
    _put(a, {URL_KEY: away})
    _edit(a, city="Подольск")
    assert sync_in_background(a) == "Нет связи с сервером — изменения сохранены на ноутбуке (1)"
    assert last_error(a).startswith("Нет связи с сервером команды")


def test_tariffs_vat_and_requisites_come_from_the_server(laptop, team, server):
    from decimal import Decimal

    from app.services.documents import get_executor, update_executor

    update_executor(server, company="ООО «Команда»", vat_rate=Decimal("20"))
    with server.unit() as s:
        s.execute(text("UPDATE tariff SET rate = 1999 WHERE kind = 'remote_hour'"))
    a = laptop("a", team["ann"])
    assert get_executor(a).company == "ООО «Команда»" and get_executor(a).vat_rate == Decimal("20.00")
    assert sql_rows(a, "SELECT DISTINCT rate FROM tariff WHERE kind = 'remote_hour'") == [(Decimal("1999.00"),)]


def test_documents_issued_before_joining_the_team_keep_their_number_under_the_laptops_series(
        tmp_path, server, server_url, team):
    with server.unit() as s:  # the office's АУ-1 of this year
        client_id = s.scalar(select(Client.id))
        s.add(Document(client_id=client_id, kind="act", year=2026, number=1, issued_on=date(2026, 3, 1),
                       content="{}"))
    db = open_database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        add_client(db, ClientInput(name="ООО «Старый»", inn="7728168971", approach="remote"))
        with db.unit() as s:
            s.add(Document(client_id=s.scalar(select(Client.id)), kind="act", year=2026, number=1,
                           issued_on=date(2026, 2, 1), content="{}"))
        setup(db, plain_url(server_url, team["ann"]), PASSWORD)
        sync_once(db)
        installation = sql_rows(db, "SELECT value FROM setting WHERE key = 'installation_id'")[0][0]
        assert sorted(sql_rows(server, "SELECT series, number FROM document")) == [("", 1), (installation, 1)]
        assert sorted(sql_rows(db, "SELECT series, number FROM document")) == [("", 1), (installation, 1)]
        assert pending_count(db) == 0
        # audit lines written before joining: under the sender's login, the local name beside it
        laptop_lines = {r[0] for r in sql_rows(server, "SELECT author FROM audit_log WHERE author <> 'vnedrenie'")}
        assert laptop_lines and all(a.startswith(team["ann"] + " (") for a in laptop_lines), laptop_lines
    finally:
        db.dispose()


def test_a_first_sync_brings_exact_values_of_every_type(laptop, team, server):
    from decimal import Decimal

    from app.persistence.models import WorkLogEntry
    from app.services.worklog import EntryInput, add_entry

    b = laptop("b", team["boss"])
    add_entry(b, INN, EntryInput(kind="onsite_day", on_date=date(2026, 3, 2), days=Decimal("1.5"), note="Склад"))
    add_entry(b, INN, EntryInput(kind="transfer", on_date=date(2026, 3, 3), amount=Decimal("8400.10")))
    sync_once(b)
    fresh = laptop("fresh", team["ann"])  # rows new to this laptop: the bulk path
    with fresh.read() as s:
        rows = [(e.kind, e.on_date, e.days, e.amount, e.deleted, e.note)
                for e in s.scalars(select(WorkLogEntry).order_by(WorkLogEntry.on_date))]
    assert rows == [("onsite_day", date(2026, 3, 2), Decimal("1.50"), None, False, "Склад"),
                    ("transfer", date(2026, 3, 3), None, Decimal("8400.10"), False, "")]


def test_the_report_counts_the_records_the_status_line_counts_and_deletions_taken(laptop, team, server):
    """The trial: `sync status` said «… на ноутбуке (54)», then `sync` said «Отправлено: 158» (audit lines counted);
    «получено: 0» while 10 entries were removed by another laptop. Both count the user's records now."""
    from app.services.worklog import EntryInput, add_entry, delete_entries

    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    for day in (2, 3, 4):
        add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, day), minutes=60))
    waiting = pending_count(a)
    assert waiting == 3 and f"({waiting})" in status_text(a)
    report = sync_once(a)
    assert (report.pushed, report.pulled) == (3, 0) and report.lines >= 3  # the three entries' audit lines apart
    taken = sync_once(b)
    assert taken.pulled == 3 and taken.lines >= 3
    ids = [row[0] for row in sql_rows(b, "SELECT id FROM work_log ORDER BY on_date")][:2]
    delete_entries(b, ids)
    assert pending_count(b) == 2
    assert sync_once(b).pushed == 2
    assert sync_once(a).pulled == 2  # two deletions (soft: kept for undo) taken from the server
    assert sql_rows(a, "SELECT count(*) FROM work_log WHERE NOT deleted")[0][0] == 1


def test_a_sync_that_sends_only_history_lines_says_so(laptop, team, server, capsys):
    """The trial 17j: the sync after a kill -9 sent the 100 audit lines left and said «Отправлено: 0, получено: 0»
    only, as if nothing had gone."""
    from app.cli import run
    from app.persistence.models import AuditEntry
    from app.persistence.types import new_uuid

    a = laptop("a", team["ann"])
    with a.unit() as s:  # lines left unsent by a killed sync: the records went, their history did not
        client_uuid = s.scalar(select(Client.uuid).where(Client.inn == INN))
        for n in range(3):
            s.add(AuditEntry(uuid=new_uuid(), author=team["ann"], client_uuid=client_uuid, table_name="client",
                             record_uuid=client_uuid, action="update", field="city", old_value=str(n),
                             new_value=str(n + 1)))
    assert run(["--db", str(a.sqlite_path), "sync"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["Отправлено: 0, получено: 0, новых конфликтов: 0.", "Строк истории изменений передано: 3."]
    assert sql_rows(server, "SELECT count(*) FROM audit_log WHERE field = 'city'") == [(3,)]
