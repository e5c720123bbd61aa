"""Issue 17's service functions for the window: the sync state, a background sync that never raises, conflicts
and the audit trail in human names, resolving a conflict returns Changes, who is signed in."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from app.persistence.db import open_database
from app.persistence.models import Client, SyncConflict, SyncOutbox
from app.services.changes import Changes, requires_history, requires_undo_clear
from app.services.clients import ClientInput, add_client, get_client, update_client
from app.sync import service
from app.sync.laptop_settings import _put
from app.sync.service import LAST_OK_KEY, URL_KEY, conflict_lines, resolve_conflict, sync_state
from app.sync.sync_setup import KEYRING_SERVICE
from app.sync.window_sync import SYNCED, sync_for_window
from app.team.audit import client_history_lines
from app.team.users import LOGIN_KEY, team_login
from tests.team.conftest import memory_keyring  # noqa: F401  (autouse: a keyring in memory)

INN = "7707083893"
AWAY = "postgresql+psycopg://ann@127.0.0.1:1/team"  # nothing listens on port 1


@pytest.fixture
def laptop(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    yield db
    db.dispose()


def _client(db) -> tuple[int, str]:
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote", city="Подольск"))
    with db.read() as s:
        return client_id, s.scalar(select(Client.uuid).where(Client.id == client_id))


def _conflict(db, client_uuid: str, *, field="city", local="Химки", server="Подольск", kind="field",
              kept="server", table="client", record=None) -> int:
    with db.unit() as s:
        row = SyncConflict(table_name=table, record_uuid=record or client_uuid, client_uuid=client_uuid, kind=kind,
                           field=field, local_value=json.dumps(local, ensure_ascii=False),
                           server_value=json.dumps(server, ensure_ascii=False), kept=kept, resolved=False)
        s.add(row)
        s.flush()
        return row.id


def test_state_outside_a_team_is_off_and_a_window_sync_says_why(laptop):
    assert sync_state(laptop).kind == "off" and sync_state(laptop).text == ""
    result = sync_for_window(laptop)
    assert result.report is None and result.changes is None and result.state.kind == "off"
    assert result.error.startswith("Ноутбук не подключён к серверу команды")
    assert team_login(laptop) == ""


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_unreachable_server_gives_the_offline_state_with_the_pending_count(laptop, memory_keyring):  # noqa: F811
    _client(laptop)
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann"})
    memory_keyring.set_password(KEYRING_SERVICE, AWAY, "correct horse 42")
    result = sync_for_window(laptop)  # never raises
    with laptop.read() as s:
        waiting = s.scalar(select(func.count()).select_from(SyncOutbox).where(SyncOutbox.table_name != "audit_log"))
    assert waiting > 0
    assert result.report is None and result.changes is None
    assert result.state.kind == "offline" and result.state.pending == waiting
    assert result.state.text == f"Нет связи с сервером — изменения сохранены на ноутбуке ({waiting})"
    assert result.error.startswith("Нет связи с сервером команды")
    assert result.state.error == result.error
    assert team_login(laptop) == "ann"


def test_states_never_synced_and_conflicts(laptop):
    _, uuid = _client(laptop)
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann"})
    assert sync_state(laptop).kind == "never"
    _put(laptop, {LAST_OK_KEY: "2026-11-30T11:32:00"})
    state = sync_state(laptop)
    assert state.kind == "synced" and state.text.startswith("Синхронизировано в ")
    _conflict(laptop, uuid)
    _conflict(laptop, uuid, field="notes", local="a", server="b")
    state = sync_state(laptop)
    assert (state.kind, state.conflicts) == ("conflicts", 2)


def test_conflict_lines_name_the_client_the_field_and_both_values(laptop):
    client_id, uuid = _client(laptop)
    _conflict(laptop, uuid)
    _conflict(laptop, uuid, field="approach", local="onsite", server="remote")
    with laptop.unit() as s:
        s.execute(text("INSERT INTO contact(uuid, updated_at, client_id, name, position, phone, email) VALUES "
                       "('00000000-0000-4000-8000-00000000c0de', '2026-01-01', :c, 'Иванов Пётр', '', '', '')"),
                  {"c": client_id})
    _conflict(laptop, uuid, table="contact", record="00000000-0000-4000-8000-00000000c0de", kind="delete_edit",
              field="", local="edited", server="deleted", kept="local")
    city, approach, contact = conflict_lines(laptop)
    assert (city.client, city.what, city.local, city.server, city.kept, city.choosable) == (
        "ООО «Ромашка»", "Карточка · город", "Химки", "Подольск", "server", True)
    assert (approach.what, approach.local, approach.server) == ("Карточка · подход", "Выездное внедрение", "Удалённые конференции")
    assert (contact.what, contact.local, contact.server, contact.kept, contact.choosable) == (
        "Контакт (Иванов Пётр)", "изменено", "удалено", "local", False)


def test_resolving_keeps_the_laptop_value_and_returns_changes_without_replacing(laptop):
    client_id, uuid = _client(laptop)
    local = _conflict(laptop, uuid)
    server = _conflict(laptop, uuid, field="notes", local="здесь", server="там")
    changes = resolve_conflict(laptop, local, keep="local")
    assert get_client(laptop, client_id).data.city == "Химки"
    assert changes.clients and changes.client_ids == frozenset({client_id})
    assert not requires_undo_clear(changes)
    assert resolve_conflict(laptop, server, keep="server") == Changes()
    assert get_client(laptop, client_id).data.notes == ""
    assert conflict_lines(laptop) == []


def test_a_sync_that_brought_data_rereads_everything_but_keeps_the_undo_history():
    assert SYNCED.clients and SYNCED.worklog and SYNCED.documents and SYNCED.all_figures and SYNCED.plan
    assert not requires_undo_clear(SYNCED)


def test_history_lines_in_human_names_newest_first(laptop):
    client_id, _uuid = _client(laptop)
    update_client(laptop, client_id, ClientInput(name="ООО «Ромашка»", inn=INN, approach="onsite", city="Химки"))
    lines = client_history_lines(laptop, client_id)
    changed = {line.what: line for line in lines if line.action == "изменено"}
    assert (changed["Карточка · город"].old, changed["Карточка · город"].new) == ("Подольск", "Химки")
    assert (changed["Карточка · подход"].old, changed["Карточка · подход"].new) == (
        "Удалённые конференции", "Выездное внедрение")
    update_client(laptop, client_id, ClientInput(name="ООО «Ромашка»", inn=INN, approach="onsite", city="Клин"))
    newest = client_history_lines(laptop, client_id)[0]
    assert (newest.what, newest.old, newest.new) == ("Карточка · город", "Химки", "Клин")
    assert newest.author and newest.at[2] == "." and newest.at[5] == "." and newest.at[13] == ":"


def test_requires_history_follows_the_client(laptop):
    assert requires_history(Changes(clients=True, client_ids=frozenset({3})), 3)
    assert requires_history(Changes(worklog=True), 3)  # no client named: any client
    assert not requires_history(Changes(worklog=True, client_ids=frozenset({4})), 3)
    assert not requires_history(Changes(settings=True, all_figures=True), 3)  # team-wide, not the client's
    assert not requires_history(Changes(clients=True), None)
    assert requires_history(SYNCED, 3)


def test_background_sync_module_keeps_the_cli_status_text(laptop):
    assert service.status_text(laptop) == ""
