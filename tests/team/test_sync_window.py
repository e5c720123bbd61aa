"""Issue 17's window against a real team server: a background sync brings the team's data into the window
and keeps the undo history; a real conflict resolved in the dialog reaches the server."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from app.persistence.db import open_database
from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client, get_client
from app.sync.service import sync_once
from app.sync.sync_setup import setup
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, plain_url
from tests.ui.test_team_window import INNS, finish_sync, make_window, plain, service_update_city, type_into
from ui.actions import MainAction
from ui.dialogs.sync.conflicts import ConflictsDialog

pytestmark = pytest.mark.postgres


@pytest.fixture
def team(server, login_of):
    ann, boss = login_of("ann"), login_of("boss")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INNS[0], approach="remote", city="Подольск"))
    assign_client(server, INNS[0], specialist=ann)
    return {"ann": ann, "boss": boss}


def test_a_background_sync_brings_the_team_data_into_the_window_and_keeps_undo(qtbot, tmp_path, server_url,
                                                                               server, team):
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        setup(a, plain_url(server_url, team["ann"]), PASSWORD)
        own = add_client(a, ClientInput(name="АО «Берёзка»", inn=INNS[1], approach="remote"))
        window = make_window(qtbot, a, tmp_path, first_tick=True)
        assert window.sync.state.kind == "never"
        qtbot.waitUntil(lambda: window.sync.state.kind == "synced", timeout=30_000)  # the first tick after start-up
        finish_sync(qtbot, window)
        window.ops.run(lambda: service_update_city(a, own, "Клин"), undo=None)
        window.work_area.card.set_client(own)
        city = window.work_area.card.form.fields["city"]
        type_into(city, "Химки")
        assert window.work_area.card.save() is not None  # an undo step
        assert window.undo_stack.count() == 1
        with server.unit() as s:
            s.execute(text("UPDATE client SET city = 'Москва' WHERE inn = :inn"), {"inn": INNS[0]})
        window.action(MainAction.SYNC_NOW).trigger()
        finish_sync(qtbot, window)
        assert plain(window.sync.label).startswith("Синхронизировано в ")
        names = {s.name: s for s in window.work_area.clients.summaries()}
        assert set(names) == {"ООО «Ромашка»", "АО «Берёзка»"}
        assert get_client(a, names["ООО «Ромашка»"].id).data.city == "Москва"
        assert window.undo_stack.count() == 1  # a sync is not a replaced database
        with server.read() as s:
            assert s.execute(text("SELECT city FROM client WHERE inn = :inn"), {"inn": INNS[1]}).scalar() == "Химки"
        window.close()
    finally:
        a.dispose()


def test_a_real_conflict_resolved_in_the_dialog_reaches_the_server(qtbot, tmp_path, server_url, server,
                                                                   team):
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        for db, login in ((a, team["ann"]), (b, team["boss"])):
            setup(db, plain_url(server_url, login), PASSWORD)
            sync_once(db)
        for db, city in ((a, "Химки"), (b, "Клин")):
            client_id = list_clients(db)[0].id
            service_update_city(db, client_id, city)
        sync_once(a)
        window = make_window(qtbot, b, tmp_path)
        window.sync.timer.timeout.emit()  # a tick of the timer
        finish_sync(qtbot, window)
        assert re.fullmatch(r"Синхронизировано в \d\d:\d\d; конфликтов: 1", plain(window.sync.label))
        dialog = ConflictsDialog(b, window.ops, window)
        qtbot.addWidget(dialog)
        assert [dialog.model.index(0, c).data() for c in range(5)] == [
            "ООО «Ромашка»", "Карточка · город", "Клин", "Химки", "с сервера"]
        dialog.keep_local.click()
        window.sync.sync_now()
        finish_sync(qtbot, window)
        assert plain(window.sync.label).startswith("Синхронизировано в ")
        with server.read() as s:
            assert s.execute(text("SELECT city FROM client WHERE inn = :inn"), {"inn": INNS[0]}).scalar() == "Клин"
        window.close()
    finally:
        a.dispose()
        b.dispose()
