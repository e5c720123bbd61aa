"""Every table of the team server has a decided access rule, and a specialist's own connection cannot get round
it with hand-written SQL: tombstones, number blocks, settings, VAT, requisites, the laptop-only tables."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import ProgrammingError

from app.persistence.db import open_database
from app.persistence.models import Client, Contact
from app.services.billing_settings import save_billing_settings
from app.services.clients import ClientInput, PersonInput, add_client
from app.sync.service import sync_once
from app.sync.sync_setup import setup
from app.team.server import TEAM_ROLE
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, member_url, plain_url

pytestmark = pytest.mark.postgres

INN_A, INN_B = "7707083893", "7728168971"

# table -> (row-level security on?, what a member may do). A table created by a later migration without a
# decision here fails test_every_table_of_the_server_has_a_decided_rule.
CLIENT_OWNED = ("contact", "employee", "stage_event", "checklist_state", "lesson_progress", "work_log", "estimate",
                "document", "planned_event", "question")
DECISIONS: dict[str, tuple[bool, str]] = {
    "client": (True, "the clients one sees (specialist / manager / admin)"),
    **{t: (True, "follows its client") for t in CLIENT_OWNED},
    "audit_log": (True, "read with the client, inserted under one's login, changed by admins"),
    "team_user": (True, "read by all, changed by admins"),
    **{t: (True, "read by all, changed by admins") for t in ("tariff", "exchange_rate", "executor", "vat_rate",
                                                             "setting", "stage", "lesson")},
    "checklist_template": (True, "read by all; user-added items by members, shipped ones by admins"),
    "sync_tombstone": (True, "read by those who saw the record; written by the delete trigger only"),
    "tombstone": (True, "follows its client"),
    "number_block": (True, "one's own blocks read; reserved through vn_reserve_numbers; admins change"),
    "sync_witness": (True, "each member reads and writes their own rows only (app/sync/witness.py)"),
    "sync_outbox": (True, "laptop only: no member right"),
    "sync_base": (True, "laptop only: no member right"),
    "sync_conflict": (True, "laptop only: no member right (conflicts are recorded on the laptop)"),
    "exchange_base": (True, "laptop only: no member right"),
    "client_counts": (True, "laptop only: no member right (the list counters the laptop's triggers keep)"),
    "client_stamp": (True, "laptop only: no member right (the list rows' stamps the laptop's triggers draw)"),
    "alembic_version": (False, "read by members (the schema check), written by the owner only"),
}
LAPTOP_ONLY = ("sync_outbox", "sync_base", "sync_conflict", "exchange_base", "client_counts", "client_stamp")


@pytest.fixture
def team(server, login_of):
    """Admin, a manager, two specialists (Ann, Bob); Bob's client has a contact."""
    admin, boss, ann, bob = login_of("root"), login_of("boss"), login_of("ann"), login_of("bob")
    add_user(server, admin, "Админ Админович", "admin", PASSWORD)
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_user(server, bob, "Сидоров Борис", "specialist", PASSWORD, manager=boss)
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN_A, approach="remote",
                                   contacts=[PersonInput(name="Аннин Контакт", phone="+7 900 000-00-01")]))
    add_client(server, ClientInput(name="ООО «Лютик»", inn=INN_B, approach="remote",
                                   contacts=[PersonInput(name="Борин Контакт", phone="+7 900 000-00-02")]))
    assign_client(server, INN_A, specialist=ann)
    assign_client(server, INN_B, specialist=bob)
    return {"admin": admin, "boss": boss, "ann": ann, "bob": bob}


def _run(url: str, sql: str, **params):
    """Rows of a SELECT, or the number of rows a write touched, on a connection of its own."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return result.all() if result.returns_rows else result.rowcount
    finally:
        engine.dispose()


def _refused(url: str, sql: str, **params) -> bool:
    try:
        _run(url, sql, **params)
    except ProgrammingError as exc:
        return "42501" in str(getattr(exc.orig, "sqlstate", "")) or "permission denied" in str(exc) \
            or "row-level security" in str(exc)
    return False


def test_every_table_of_the_server_has_a_decided_rule(server):
    rows = _run(server.url, "SELECT c.relname, c.relrowsecurity FROM pg_class c JOIN pg_namespace n "
                            "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')")
    found = {name: bool(rls) for name, rls in rows}
    assert sorted(set(found) - set(DECISIONS)) == []  # a new table: decide its rule here and in server.py
    assert sorted(set(DECISIONS) - set(found)) == []
    assert {t: found[t] for t in found} == {t: DECISIONS[t][0] for t in found}
    for table in LAPTOP_ONLY:  # no grant at all
        assert _run(server.url, "SELECT has_table_privilege(:r, :t, 'SELECT') OR has_table_privilege(:r, :t, "
                                "'INSERT')", r=TEAM_ROLE, t=table) == [(False,)]


def test_a_specialist_cannot_touch_the_laptop_only_tables(server, server_url, team):
    ann = member_url(server_url, team["ann"])
    for table in LAPTOP_ONLY:
        assert _refused(ann, f"SELECT * FROM {table}")
        assert _refused(ann, f"DELETE FROM {table}")
    assert _run(ann, "SELECT count(*) FROM alembic_version") == [(1,)]
    assert _refused(ann, "UPDATE alembic_version SET version_num = 'x'")


def test_settings_vat_and_requisites_are_read_by_all_and_changed_only_by_admins(server, server_url, team):
    ann, admin = member_url(server_url, team["ann"]), member_url(server_url, team["admin"])
    _run(server.url, "INSERT INTO setting(key, value) VALUES ('billing_rounding_min', '15')")
    _run(server.url, "INSERT INTO vat_rate(valid_from, mode, rate, basis, reason) "
                     "VALUES ('2026-01-01', 'on_top', 2000, '', '')")  # 20 %: hundredths
    assert _run(ann, "SELECT value FROM setting WHERE key = 'billing_rounding_min'") == [("15",)]
    assert len(_run(ann, "SELECT * FROM vat_rate")) == 1
    assert len(_run(ann, "SELECT * FROM executor")) == 1
    # a specialist's hand-written SQL changes none of them
    assert _refused(ann, "INSERT INTO setting(key, value) VALUES ('x', 'y')")
    assert _run(ann, "UPDATE setting SET value = '60' WHERE key = 'billing_rounding_min'") == 0
    assert _run(ann, "DELETE FROM setting") == 0
    assert _refused(ann, "INSERT INTO vat_rate(valid_from, mode, rate, basis, reason) "
                         "VALUES ('2026-06-01', 'none', NULL, '', '')")
    assert _run(ann, "UPDATE vat_rate SET rate = 0") == 0
    assert _run(ann, "DELETE FROM vat_rate") == 0
    assert _run(ann, "UPDATE executor SET inn = '7707083893'") == 0
    assert _run(ann, "DELETE FROM executor") == 0
    assert _run(server.url, "SELECT value FROM setting WHERE key = 'billing_rounding_min'") == [("15",)]
    assert _run(server.url, "SELECT rate FROM vat_rate") == [(2000,)]
    # an admin changes them, by hand and through the program connected as themselves
    assert _run(admin, "UPDATE setting SET value = '30' WHERE key = 'billing_rounding_min'") == 1
    db = open_database(admin)
    try:
        save_billing_settings(db, vat=Decimal("22"), rounding=60)
    finally:
        db.dispose()
    assert _run(server.url, "SELECT value FROM setting WHERE key = :k", k='billing_rounding_min') == [("60",)]
    assert 2200 in [r[0] for r in _run(server.url, "SELECT rate FROM vat_rate")]  # 22 % from today


def test_number_blocks_are_ones_own_and_only_reserved_through_the_server(server, server_url, team, tmp_path):
    ann, bob, admin = (member_url(server_url, team[k]) for k in ("ann", "bob", "admin"))
    laptops = []
    try:
        for name in ("ann", "bob"):
            db = open_database(f"sqlite:///{tmp_path / (name + '.sqlite3')}")
            laptops.append(db)
            setup(db, plain_url(server_url, team[name]), PASSWORD)
            sync_once(db)  # reserves blocks through vn_reserve_numbers
    finally:
        for db in laptops:
            db.dispose()
    mine = _run(ann, "SELECT DISTINCT login FROM number_block")
    assert mine == [(team["ann"],)]
    assert _run(server.url, "SELECT count(DISTINCT login) FROM number_block") == [(2,)]
    assert _refused(ann, "INSERT INTO number_block(kind, year, first, last, next, login) "
                         "VALUES ('act', 2026, 900000, 900019, 900000, :l)", l=team["ann"])
    assert _refused(ann, "INSERT INTO number_block(kind, year, first, last, next, login) "
                         "VALUES ('act', 2026, 900000, 900019, 900000, :l)", l=team["bob"])
    assert _run(ann, "UPDATE number_block SET last = 999999") == 0
    assert _run(ann, "DELETE FROM number_block") == 0
    assert _run(bob, "DELETE FROM number_block") == 0
    blocks = _run(server.url, "SELECT count(*) FROM number_block")[0][0]
    assert blocks > 0 and _run(admin, "DELETE FROM number_block WHERE login = :l", l=team["bob"]) > 0


def test_tombstones_do_not_show_another_specialists_clients(server, server_url, team):
    ann, bob, boss = (member_url(server_url, team[k]) for k in ("ann", "bob", "boss"))
    with server.unit() as s:  # Bob's client's contact is deleted, then the client itself
        s.delete(s.scalar(select(Contact).where(Contact.name == "Борин Контакт")))
    with server.unit() as s:
        s.delete(s.scalar(select(Client).where(Client.inn == INN_B)))
    assert _run(ann, "SELECT table_name FROM sync_tombstone") == []
    assert sorted(r[0] for r in _run(bob, "SELECT table_name FROM sync_tombstone")) == ["client", "contact"]
    assert sorted(r[0] for r in _run(boss, "SELECT table_name FROM sync_tombstone")) == ["client", "contact"]
    assert _refused(ann, "INSERT INTO sync_tombstone(table_name, record_uuid, row_version) VALUES ('client', 'x', 1)")
    assert _refused(ann, "DELETE FROM sync_tombstone")
    # the bundles' tombstones (client_uuid) follow the client too
    assert _run(server.url, "SELECT count(*) FROM tombstone")[0][0] >= 2
    assert _run(ann, "SELECT * FROM tombstone") == []
    a_client = _run(server.url, "SELECT uuid FROM client WHERE inn = :i", i=INN_A)[0][0]
    _run(server.url, "INSERT INTO tombstone(uuid, table_name, kind, at, client_uuid) "
                     "VALUES ('00000000-0000-4000-8000-000000000001', 'contact', 'delete', now(), :c)", c=a_client)
    assert len(_run(ann, "SELECT * FROM tombstone")) == 1
    b_gone = _run(server.url, "SELECT client_uuid FROM tombstone WHERE table_name = 'client'")[0][0]
    assert _refused(ann, "INSERT INTO tombstone(uuid, table_name, kind, at, client_uuid) "
                         "VALUES ('00000000-0000-4000-8000-000000000002', 'contact', 'delete', now(), :c)", c=b_gone)
    assert _run(ann, "UPDATE tombstone SET kind = 'erase'") == 1  # her own client's only
    assert _run(ann, "DELETE FROM tombstone") == 1


def test_syncs_of_a_specialist_and_a_manager_still_bring_deletions(server, server_url, team, tmp_path):
    laptops = {}
    try:
        for name in ("ann", "boss"):
            db = open_database(f"sqlite:///{tmp_path / (name + '.sqlite3')}")
            laptops[name] = db
            setup(db, plain_url(server_url, team[name]), PASSWORD)
            sync_once(db)
        ann, boss = laptops["ann"], laptops["boss"]
        with boss.unit() as s:  # the manager deletes a contact of Ann's client and Bob's client
            s.delete(s.scalar(select(Contact).where(Contact.name == "Аннин Контакт")))
            s.delete(s.scalar(select(Client).where(Client.inn == INN_B)))
        sync_once(boss)
        sync_once(ann)
        with ann.read() as s:
            assert s.scalars(select(Contact.name)).all() == []
            assert s.scalars(select(Client.inn)).all() == [INN_A]
        assert _run(server.url, "SELECT inn FROM client") == [(INN_A,)]
    finally:
        for db in laptops.values():
            db.dispose()


READ_BY_ALL = {"tariff": "rate", "exchange_rate": "rate", "executor": "inn", "vat_rate": "basis", "setting": "value",
               "stage": "title", "lesson": "title", "team_user": "full_name", "checklist_template": "title"}


@pytest.mark.parametrize("table", sorted(READ_BY_ALL))
def test_a_specialist_reads_team_wide_tables_but_writes_none_by_hand(server, server_url, team, table):
    ann = member_url(server_url, team["ann"])
    if table == "vat_rate":
        _run(server.url, "INSERT INTO vat_rate(valid_from, mode, rate, basis, reason) "
                         "VALUES ('2026-01-01', 'none', NULL, 'п. 2 ст. 346.11 НК РФ', '')")
    shipped = " WHERE uuid IS NULL" if table == "checklist_template" else ""  # user-added items: members' too
    everything = _run(server.url, f"SELECT count(*) FROM {table}")[0][0]
    assert everything > 0 and _run(ann, f"SELECT count(*) FROM {table}") == [(everything,)]
    column = READ_BY_ALL[table]
    assert _refused(ann, f"INSERT INTO {table} SELECT * FROM {table}{shipped} LIMIT 1")
    assert _run(ann, f"UPDATE {table} SET {column} = {column}{shipped}") == 0
    assert _run(ann, f"DELETE FROM {table}{shipped}") == 0
    assert _run(server.url, f"SELECT count(*) FROM {table}") == [(everything,)]
