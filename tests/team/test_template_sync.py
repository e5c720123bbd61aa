"""User-added checklist items travel through the team server: added offline on one laptop, they reach the
others (incremental and first sync) with their ticks; renames and deletions travel; the shipped items never do;
an item ticked anywhere in the team is not deleted by another laptop's deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text

from app.persistence.db import open_database
from app.persistence.models import ChecklistTemplate, template_uuid
from app.services.clients import ClientInput, add_client
from app.services.progress import checklist, set_checklist
from app.services.templates import add_checklist_item, delete_checklist_item, rename_checklist_item
from app.sync import pulling
from app.sync.service import conflicts, pending_count, status_text, sync_once
from app.sync.sync_setup import setup
from app.team.audit import team_history_view
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, member_url, plain_url

pytestmark = pytest.mark.postgres

INN_A, INN_B = "7707083893", "7728168971"
BUILT_IN = "s1.lessons"  # a shipped item (resources/seed/checklist.json)


@pytest.fixture
def team(server, login_of):
    """A manager, two specialists (Ann, Bob) and a client of each."""
    boss, ann, bob = login_of("boss"), login_of("ann"), login_of("bob")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_user(server, bob, "Сидоров Борис", "specialist", PASSWORD, manager=boss)
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN_A, approach="remote"))
    add_client(server, ClientInput(name="ООО «Лютик»", inn=INN_B, approach="remote"))
    assign_client(server, INN_A, specialist=ann)
    assign_client(server, INN_B, specialist=bob)
    return {"ann": ann, "bob": bob, "boss": boss}


@pytest.fixture
def laptop(tmp_path, server_url, team):
    opened = []

    def make(name: str, login: str, *, sync: bool = True):
        db = open_database(f"sqlite:///{tmp_path / (name + '.sqlite3')}")
        opened.append(db)
        setup(db, plain_url(server_url, login), PASSWORD)
        if sync:
            sync_once(db)
        return db

    yield make
    for db in opened:
        db.dispose()


def _item(db, inn: str, code: str):
    return next((i for i in checklist(db, inn) if i.code == code), None)


def _titles(db) -> dict[str, str]:
    with db.read() as s:
        return {t.code: t.title for t in s.scalars(select(ChecklistTemplate))}


def _outbox(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT table_name, record_uuid, deleted FROM sync_outbox")).all()


def test_seed_items_have_no_uuid_and_an_added_item_has_the_uuid_of_its_code(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        code, _changes = add_checklist_item(db, 2, "Настроить ЭДО")
        with db.read() as s:
            rows = {t.code: t.uuid for t in s.scalars(select(ChecklistTemplate))}
        assert rows[code] == template_uuid(code)
        assert [c for c, u in rows.items() if u is not None] == [code]
    finally:
        db.dispose()


def test_the_migration_derives_uuids_as_the_program_does():
    from importlib import import_module

    migration = import_module("app.persistence.migrations.versions.0015_template_sync")
    from app.persistence.models import TEMPLATE_NAMESPACE

    assert migration.TEMPLATE_NAMESPACE == TEMPLATE_NAMESPACE


@pytest.mark.parametrize("snapshot", [True, False], ids=["first-sync-by-snapshot", "first-sync-record-by-record"])
def test_an_item_added_offline_reaches_the_others_with_its_tick(laptop, team, server, monkeypatch, snapshot):
    monkeypatch.setattr(pulling, "SNAPSHOT_FIRST_SYNC", snapshot)
    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    code, _ = add_checklist_item(a, 2, "Настроить ЭДО")  # offline on Ann's laptop
    set_checklist(a, INN_A, [code], True)
    sync_once(a)
    sync_once(b)  # incremental
    item = _item(b, INN_A, code)
    assert item is not None and item.title == "Настроить ЭДО" and item.done and item.stage == 2
    # at the end of its stage's list on B, as where it was added on A
    assert [i.code for i in checklist(b, INN_A) if i.stage == 2][-1] == code
    c = laptop("c", team["ann"])  # a new laptop: first sync
    item = _item(c, INN_A, code)
    assert item is not None and item.title == "Настроить ЭДО" and item.done
    assert [i.code for i in checklist(c, INN_A) if i.stage == 2][-1] == code
    assert _outbox(c) == [] and conflicts(a) == conflicts(b) == conflicts(c) == []
    with server.read() as s:
        row = s.scalar(select(ChecklistTemplate).where(ChecklistTemplate.code == code))
        assert row.uuid == template_uuid(code) and row.row_version > 0 and row.updated_by == team["ann"]
    # nothing more to send or fetch: a second round changes nothing
    assert sync_once(c).pushed == 0 and sync_once(b).pulled == 0


def test_a_rename_and_a_deletion_travel_the_shipped_items_never(laptop, team, server):
    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    code, _ = add_checklist_item(a, 3, "Обучить кладовщика")
    sync_once(a)
    sync_once(b)
    rename_checklist_item(b, code, "Обучить кладовщиков")
    rename_checklist_item(b, BUILT_IN, "Договор подписан (наш текст)")  # this laptop's own wording
    # only the added item (and the audit lines of both renames: the shipped one's stays here, app/team/hooks.py)
    assert [r[0] for r in _outbox(b) if r[0] != "audit_log"] == ["checklist_template"]
    sync_once(b)
    sync_once(a)
    assert _titles(a)[code] == _titles(server)[code] == "Обучить кладовщиков"
    assert _titles(a)[BUILT_IN] == _titles(server)[BUILT_IN] != "Договор подписан (наш текст)"
    delete_checklist_item(a, code)
    sync_once(a)
    sync_once(b)
    assert code not in _titles(b) and code not in _titles(server)
    assert conflicts(a) == conflicts(b) == []


def test_an_item_ticked_for_someone_elses_client_is_not_deleted_by_the_team(laptop, team, server):
    """Ann's laptop does not see Bob's client: her deletion reaches the server, which keeps the item Bob
    ticked and gives Ann's laptop the item back."""
    a, bob = laptop("a", team["ann"]), laptop("bob", team["bob"])
    code, _ = add_checklist_item(a, 2, "Настроить ЭДО")
    sync_once(a)
    sync_once(bob)
    set_checklist(bob, INN_B, [code], True)
    sync_once(bob)
    sync_once(a)
    delete_checklist_item(a, code)  # allowed on Ann's laptop: none of her clients ticked it
    assert sync_once(a).conflicts == 1  # not silent (the trial: «Удалено», then back at the next sync, no word)
    assert code in _titles(server) and code in _titles(a)
    from app.sync.service import conflict_lines

    [line] = conflict_lines(a)
    assert (line.local, line.server) == ("удалено", "отмечен у заказчика команды: оставлен"), line
    sync_once(bob)
    assert _item(bob, INN_B, code).done


def test_a_tick_that_crossed_the_deletion_brings_the_item_back(laptop, team, server):
    """Bob ticks offline while Ann deletes the item and syncs first: Bob's laptop keeps the item it has a tick
    of and sends it back; everyone ends with the item and Bob's tick."""
    a, bob = laptop("a", team["ann"]), laptop("bob", team["bob"])
    code, _ = add_checklist_item(a, 2, "Настроить ЭДО")
    sync_once(a)
    sync_once(bob)
    set_checklist(bob, INN_B, [code], True)  # offline
    delete_checklist_item(a, code)
    sync_once(a)
    assert code not in _titles(server)
    sync_once(bob)  # the tick goes up, the deletion comes down: the item stays here and goes back at once
    assert _item(bob, INN_B, code).done
    assert pending_count(bob) == 0 and status_text(bob).startswith("Синхронизировано в")  # no «с тех пор … (1)»
    assert _titles(server)[code] == "Настроить ЭДО"
    sync_once(a)
    # the team's history does not end with «удалено» of an item that is there: Bob's sync says it came back
    for db in (a, bob, server):
        newest = team_history_view(db).lines[0]
        assert (newest.author, newest.action, newest.what) == (
            "Сидоров Борис", "восстановлено синхронизацией", "Пункт чек-листа «Настроить ЭДО»")
    assert _titles(server)[code] == _titles(a)[code] == "Настроить ЭДО"
    assert _item(bob, INN_B, code).done


def _as(url: str, sql: str, **params):
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return result.rowcount if result.returns_rows is False else result.all()
    finally:
        engine.dispose()


def test_a_specialist_adds_items_by_hand_but_never_changes_the_shipped_ones(server, server_url, team):
    from sqlalchemy.exc import ProgrammingError

    ann = member_url(server_url, team["ann"])
    code = "s2.by_hand"
    _as(ann, "INSERT INTO checklist_template(code, stage, position, title, uuid) VALUES (:c, 2, 99, 'Руками', :u)",
        c=code, u=template_uuid(code))
    assert _as(ann, "UPDATE checklist_template SET title = 'Руками!' WHERE code = :c", c=code) == 1
    with pytest.raises(ProgrammingError):  # a shipped item (no uuid) cannot be added by a member
        _as(ann, "INSERT INTO checklist_template(code, stage, position, title) VALUES ('s2.fake', 2, 1, 'x')")
    assert _as(ann, "UPDATE checklist_template SET title = 'x' WHERE code = :c", c=BUILT_IN) == 0
    assert _as(ann, "DELETE FROM checklist_template WHERE code = :c", c=BUILT_IN) == 0
    with pytest.raises(ProgrammingError):  # an item keeps its code (ticks and documents name it)
        _as(ann, "UPDATE checklist_template SET code = 's2.other' WHERE code = :c", c=code)
    assert _as(ann, "DELETE FROM checklist_template WHERE code = :c", c=code) == 1
    assert code not in _titles(server)


def test_the_same_item_renamed_on_two_laptops_is_a_conflict_with_both_titles(laptop, team, server):
    from app.sync.service import conflict_lines, resolve_conflict

    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    code, _ = add_checklist_item(a, 2, "Настроить ЭДО")
    sync_once(a)
    sync_once(b)
    rename_checklist_item(a, code, "Настроить ЭДО с Диадоком")
    rename_checklist_item(b, code, "Настроить ЭДО со СБИС")
    sync_once(a)
    sync_once(b)
    assert _titles(server)[code] == _titles(b)[code] == "Настроить ЭДО с Диадоком"  # reached the team first
    [conflict] = conflicts(b)
    assert (conflict.table, conflict.field, conflict.local_value, conflict.server_value) == (
        "checklist_template", "title", "Настроить ЭДО со СБИС", "Настроить ЭДО с Диадоком")
    [line] = conflict_lines(b)
    assert (line.what, line.local, line.server) == (
        "Пункт чек-листа «Настроить ЭДО с Диадоком» · формулировка", "Настроить ЭДО со СБИС",
        "Настроить ЭДО с Диадоком")
    resolve_conflict(b, conflict.id, keep="local")
    sync_once(b)
    sync_once(a)
    assert _titles(a)[code] == _titles(server)[code] == "Настроить ЭДО со СБИС"


def test_items_a_server_had_before_the_upgrade_reach_laptops_that_synced_before(laptop, team, server):
    """Migration 0015 gives an item added on the server earlier its UUID but no version; «server init» run
    again after the upgrade versions it, so laptops pull it incrementally."""
    from app.team.server import apply_server_sql

    a = laptop("a", team["ann"])
    code = "s3.old_item"
    with server.engine.begin() as conn:  # as migration 0015 leaves it: a UUID, version 0
        conn.execute(text("ALTER TABLE checklist_template DISABLE TRIGGER vn_version"))
        conn.execute(text("INSERT INTO checklist_template(code, stage, position, title, uuid) "
                          "VALUES (:c, 3, 50, 'Старый пункт', :u)"), {"c": code, "u": template_uuid(code)})
        conn.execute(text("ALTER TABLE checklist_template ENABLE TRIGGER vn_version"))
    sync_once(a)
    assert code not in _titles(a)
    apply_server_sql(server)
    sync_once(a)
    assert _titles(a)[code] == "Старый пункт"


def test_an_item_typed_on_the_server_with_another_uuid_meets_the_laptops_item_by_code(laptop, team, server):
    a = laptop("a", team["ann"])
    code = "s2.same_code"
    with server.engine.begin() as conn:
        conn.execute(text("INSERT INTO checklist_template(code, stage, position, title, uuid) "
                          "VALUES (:c, 2, 50, 'С сервера', '00000000-0000-4000-8000-0000000000aa')"), {"c": code})
    add_checklist_item(a, 2, "С ноутбука", code=code)  # offline: the same code, the UUID of the code
    sync_once(a)
    sync_once(a)
    with a.read() as s:
        row = s.scalar(select(ChecklistTemplate).where(ChecklistTemplate.code == code))
        assert row.uuid == "00000000-0000-4000-8000-0000000000aa"  # the server's record, one item
    # both made the title: the one that reached the team first stays, the other is a conflict to choose from
    assert _titles(server)[code] == _titles(a)[code] == "С сервера"
    found = [(c.field, c.local_value, c.server_value) for c in conflicts(a)]
    assert ("title", "С ноутбука", "С сервера") in found
    assert {f for f, _l, _s in found} <= {"title", "uuid"}  # (a natural-key match may also list the UUID)


def test_a_client_assigned_later_brings_its_ticks_of_added_items(laptop, team, server):
    """Bob's laptop synced before Ann's client was given to him: the next incremental sync brings the client
    with its older records (pulling.pull's «newly visible client» step, which skips the team-wide items)."""
    a, bob = laptop("a", team["ann"]), laptop("bob", team["bob"])
    code, _ = add_checklist_item(a, 2, "Настроить ЭДО")
    set_checklist(a, INN_A, [code], True)
    sync_once(a)
    sync_once(bob)
    assign_client(server, INN_A, specialist=team["bob"])
    sync_once(bob)
    item = _item(bob, INN_A, code)
    assert item is not None and item.done and item.title == "Настроить ЭДО"
