"""Issue 17 in the window: the sync status line (synced / offline / conflicts), «Синхронизировать сейчас»,
the conflicts dialog, the «Мои» filter of the list and the board, «История изменений» on the card."""

from __future__ import annotations

import json
import re
import threading
import time

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.persistence.db import open_database
from app.persistence.models import Client, SyncConflict
from app.services.changes import Changes
from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client, get_client
from app.sync import service, window_sync
from app.sync.laptop_settings import _put
from app.sync.service import LAST_OK_KEY, URL_KEY
from app.sync.sync_setup import KEYRING_SERVICE
from app.team.users import LOGIN_KEY
from tests.team.conftest import (
    PASSWORD,
    memory_keyring,  # noqa: F401  (autouse: a keyring in memory)
)
from ui.actions import MainAction
from ui.dialogs.sync.conflicts import ConflictsDialog
from ui.main_window import TAB_CARD, MainWindow
from ui.models.client_roles import ClientRole
from ui.models.team import ConflictsModel

INNS = ("7707083893", "7736050003", "7728168971")
AWAY = "postgresql+psycopg://ann@127.0.0.1:1/team"  # nothing listens on port 1: «no connection»


@pytest.fixture
def laptop(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    yield db
    db.dispose()


def make_window(qtbot, db, tmp_path, *, first_tick: bool = False) -> MainWindow:
    """The window at 1366×768; ``first_tick=False`` stops the sync due shortly after start-up, so that a test
    decides when syncs run."""
    window = MainWindow(db, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window.errors = []
    window.show_error = window.errors.append
    window.ops.error_handler = window.errors.append
    window.ask_unsaved = lambda n: True
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.wait_for_background()
    if not first_tick:
        window.sync.first_tick.stop()
    return window


def plain(label) -> str:
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def add_clients(db, n: int = 3) -> list[int]:
    names = ("ООО «Ромашка»", "АО «Берёзка»", "ООО «Зелёный сад»")
    return [add_client(db, ClientInput(name=names[i], inn=INNS[i], approach="remote", city="Подольск"))
            for i in range(n)]


def uuid_of(db, client_id: int) -> str:
    with db.read() as s:
        return s.scalar(select(Client.uuid).where(Client.id == client_id))


def city_conflict(db, client_id: int, local: str = "Химки", server_value: str = "Подольск") -> int:
    with db.unit() as s:
        row = SyncConflict(table_name="client", record_uuid=uuid_of(db, client_id), client_uuid=uuid_of(db, client_id),
                           kind="field", field="city", local_value=json.dumps(local, ensure_ascii=False),
                           server_value=json.dumps(server_value, ensure_ascii=False), kept="server", resolved=False)
        s.add(row)
        s.flush()
        return row.id


def type_into(edit, value: str) -> None:
    """As typing does (QTest cannot type Cyrillic): the text and its textEdited signal."""
    edit.setText(value)
    edit.textEdited.emit(value)


def finish_sync(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.sync.running, timeout=30_000)
    window.sync.wait()
    QApplication.processEvents()


# ---------------------------------------------------------------- the status line


def test_outside_a_team_the_line_is_hidden_and_sync_now_says_why(qtbot, laptop, tmp_path):
    add_clients(laptop, 1)
    window = make_window(qtbot, laptop, tmp_path)
    assert not window.sync.label.isVisible()
    action = window.action(MainAction.SYNC_NOW)
    assert action.text().replace("&", "") == "Синхронизировать сейчас" and action.shortcut().toString() == "F5"
    action.trigger()
    finish_sync(qtbot, window)
    assert [e.message for e in window.errors] == [
        "Ноутбук не подключён к серверу команды: сначала выполните «sync setup --database-url …»."]
    assert not window.sync.label.isVisible()


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_unreachable_server_shows_the_offline_line_with_the_count_and_retries(qtbot, laptop, tmp_path,
                                                                               memory_keyring):  # noqa: F811
    add_clients(laptop, 1)
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann"})
    memory_keyring.set_password(KEYRING_SERVICE, AWAY, PASSWORD)
    window = make_window(qtbot, laptop, tmp_path)
    window.sync.sync_now(manual=False)
    finish_sync(qtbot, window)
    label = window.sync.label
    waiting = service.pending_count(laptop)
    assert waiting > 0
    assert plain(label) == f"Нет связи с сервером — изменения сохранены на ноутбуке ({waiting})"
    assert label.isVisible() and label.toolTip().startswith("Нет связи с сервером команды")
    assert label.width() >= label.sizeHint().width()  # the whole sentence fits at 1366×768
    # an edit made offline adds to the count at once
    client_id = list_clients(laptop)[0].id
    window.ops.run(lambda: service_update_city(laptop, client_id, "Химки"))
    assert plain(label) == f"Нет связи с сервером — изменения сохранены на ноутбуке ({service.pending_count(laptop)})"
    assert window.sync.timer.isActive()  # the next tick tries again


def service_update_city(db, client_id: int, city: str) -> Changes:
    data = get_client(db, client_id).data
    from dataclasses import replace

    from app.services.clients import update_client

    return update_client(db, client_id, replace(data, city=city))


def test_the_sync_runs_off_the_ui_thread(qtbot, laptop, tmp_path, monkeypatch):
    add_clients(laptop, 1)
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann"})
    window = make_window(qtbot, laptop, tmp_path)
    finish_sync(qtbot, window)
    release, started = threading.Event(), threading.Event()

    def slow_sync(db, **_kw):
        started.set()
        release.wait(20)
        error = service.UserError("Нет связи с сервером команды (тест); ваши изменения сохранены на ноутбуке.")
        _put(db, {service.LAST_ERROR_KEY: error.full_text()})  # as sync_once remembers a failure
        raise error

    monkeypatch.setattr(window_sync, "sync_once", slow_sync)
    begun = time.monotonic()
    assert window.sync.sync_now(manual=False)
    assert time.monotonic() - begun < 0.5 and started.wait(5)
    assert window.sync.running and not window.sync.sync_now(manual=False)  # one at a time
    QApplication.processEvents()  # the window keeps working meanwhile
    window.show_tab(TAB_CARD)
    release.set()
    finish_sync(qtbot, window)
    assert window.sync.state.kind == "offline"


def test_conflicts_line_links_to_the_dialog_and_keeping_ours_changes_the_data(qtbot, laptop, tmp_path):
    ids = add_clients(laptop, 1)
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann", LAST_OK_KEY: "2026-11-30T11:32:00"})
    window = make_window(qtbot, laptop, tmp_path)
    window.sync.timer.stop()
    assert plain(window.sync.label).startswith("Синхронизировано в ")
    city_conflict(laptop, ids[0])
    window.sync.refresh()
    line = plain(window.sync.label)  # the time and the waiting changes stay beside the conflicts (brief st17)
    assert re.fullmatch(r"Синхронизировано в \d\d:32; с тех пор изменения сохранены на ноутбуке \(\d+\); "
                        r"конфликтов: 1", line), line
    window.set_current_client(ids[0])
    seen = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConflictsDialog)
        seen.append([dialog.model.index(0, c).data() for c in range(dialog.model.columnCount())])
        dialog.keep_local.click()
        seen.append(dialog.model.rowCount())
        dialog.reject()

    QTimer.singleShot(0, act)
    window.sync.label.linkActivated.emit("#conflicts")
    assert seen == [["ООО «Ромашка»", "Карточка · город", "Химки", "Подольск", "с сервера"], 0]
    assert get_client(laptop, ids[0]).data.city == "Химки"
    card = window.work_area.card
    assert card.when_shown.stale  # the card on a background tab was told, and waits to be shown
    window.work_area.tabs.setCurrentWidget(card)
    assert card.form.fields["city"].text() == "Химки"  # read once, when shown
    assert plain(window.sync.label).startswith("Синхронизировано в ")


def test_conflicts_dialog_keep_either_value(qtbot, laptop, tmp_path):
    ids = add_clients(laptop, 2)
    window = make_window(qtbot, laptop, tmp_path)
    city_conflict(laptop, ids[0])
    city_conflict(laptop, ids[1], local="Клин", server_value="Подольск")
    dialog = ConflictsDialog(laptop, window.ops, window)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    assert dialog.model.headerData(ConflictsModel.COL_LOCAL, Qt.Orientation.Horizontal) == "На ноутбуке"
    dialog.select(1)
    dialog.keep_server.click()  # the server's value stays
    assert dialog.model.rowCount() == 1 and get_client(laptop, ids[1]).data.city == "Подольск"
    dialog.select(0)
    dialog.keep_local.click()
    assert dialog.model.rowCount() == 0 and dialog.empty.isVisibleTo(dialog)
    assert get_client(laptop, ids[0]).data.city == "Химки"
    assert window.undo_stack.count() == 0 and window.errors == []


def test_a_whole_record_conflict_can_only_be_accepted(qtbot, laptop, tmp_path):
    ids = add_clients(laptop, 1)
    window = make_window(qtbot, laptop, tmp_path)
    with laptop.unit() as s:
        s.add(SyncConflict(table_name="client", record_uuid=uuid_of(laptop, ids[0]), client_uuid=uuid_of(laptop, ids[0]),
                           kind="edit_delete", field="", local_value='"deleted"', server_value='"edited"',
                           kept="server", resolved=False))
    dialog = ConflictsDialog(laptop, window.ops, window)
    qtbot.addWidget(dialog)
    assert [dialog.model.index(0, c).data() for c in (2, 3)] == ["удалено", "изменено"]
    assert dialog.keep_server.isEnabled() and not dialog.keep_local.isEnabled()
    assert "ничего введённого не потеряно" in dialog.keep_local.toolTip()


# ---------------------------------------------------------------- «Мои заказчики»


def board_ids(window) -> set[int]:
    return {m.index(r, 0).data(ClientRole.ID) for m in window.work_area.board.column_models()
            for r in range(m.rowCount())}


def list_ids(window) -> set[int]:
    proxy = window.work_area.list_panel.proxy
    return {proxy.index(r, 0).data(ClientRole.ID) for r in range(proxy.rowCount())}


def test_mine_is_disabled_outside_a_team_with_the_reason(qtbot, laptop, tmp_path):
    add_clients(laptop)
    window = make_window(qtbot, laptop, tmp_path)
    check = window.work_area.list_panel.mine_check
    assert check.text() == "Мои" and not check.isEnabled()
    assert "не подключён к серверу команды" in check.toolTip()


def _hand(db, inn: str, **logins: str) -> None:
    """Set a client's ``specialist_login`` / ``manager_login`` as a sync brings them from the server (this laptop
    has no roster: `team assign` here would check the logins against it)."""
    with db.unit() as s:
        client = s.scalars(select(Client).where(Client.inn == inn)).one()
        for key, login in logins.items():
            setattr(client, f"{key}_login", login)


def test_mine_shows_only_my_clients_in_the_list_and_on_the_board(qtbot, laptop, tmp_path):
    ids = add_clients(laptop)
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann"})
    _hand(laptop, INNS[0], specialist="ann")
    _hand(laptop, INNS[1], manager="ann")
    _hand(laptop, INNS[2], specialist="bob")
    window = make_window(qtbot, laptop, tmp_path)
    window.sync.timer.stop()
    check = window.work_area.list_panel.mine_check
    assert check.isEnabled() and "ann" in check.toolTip()
    assert list_ids(window) == board_ids(window) == set(ids)
    check.setChecked(True)
    assert list_ids(window) == board_ids(window) == {ids[0], ids[1]}
    assert window.count_label.text() == "Заказчиков: 2 из 3"
    # a client handed to me (a sync brings it) appears without touching the box
    _hand(laptop, INNS[2], specialist="ann")
    window.ops.announce(window_sync.SYNCED, window.sync)
    assert list_ids(window) == board_ids(window) == set(ids)
    check.setChecked(False)
    assert list_ids(window) == set(ids)


# ---------------------------------------------------------------- «История изменений»


def test_history_tab_shows_a_card_edit_with_old_and_new_values(qtbot, db, tmp_path):
    [client_id] = add_clients(db, 1)
    window = make_window(qtbot, db, tmp_path)
    window.open_card(client_id)
    card = window.work_area.card
    titles = [card.sections.tabText(i) for i in range(card.sections.count())]
    assert titles[-1] == "История изменений"
    city = card.form.fields["city"]
    type_into(city, "Химки")
    assert card.save() is not None
    assert card.audit.is_stale() and card.audit.model.rowCount() == 0  # hidden: read when shown
    card.sections.setCurrentWidget(card.audit)
    model = card.audit.model
    assert model.rowCount() >= 1 and not card.audit.is_stale()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Время", "Автор", "Действие", "Что", "Было", "Стало"]
    newest = [model.index(0, c).data() for c in range(model.columnCount())]
    assert newest[2:] == ["изменено", "Карточка · город", "Подольск", "Химки"]
    assert newest[1]  # the author
    # shown: a change made elsewhere is read at once, newest first
    window.ops.run(lambda: service_update_city(db, client_id, "Клин"))
    assert [model.index(0, c).data() for c in (3, 4, 5)] == ["Карточка · город", "Химки", "Клин"]


def test_a_sync_run_elsewhere_moves_the_time_on_the_line(qtbot, laptop, tmp_path):
    from app.services.watch import ELSEWHERE

    add_clients(laptop, 1)
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann", LAST_OK_KEY: "2026-11-30T08:05:00"})
    window = make_window(qtbot, laptop, tmp_path)
    window.sync.timer.stop()
    before = plain(window.sync.label)
    _put(laptop, {LAST_OK_KEY: "2026-11-30T09:47:00"})  # «sync» run from the command line
    window.ops.announce(ELSEWHERE, window.watcher)  # what the watcher announces for it
    after = plain(window.sync.label)
    assert before.startswith("Синхронизировано в ") and after.startswith("Синхронизировано в ")
    assert before != after and after.split(";")[0].endswith(":47")  # («; с тех пор … (1)»: the client added)


def test_after_a_sync_an_edit_shows_how_many_changes_wait(qtbot, laptop, tmp_path):
    """The line no longer says only «Синхронизировано в …» while edits made since wait on the laptop."""
    from sqlalchemy import delete

    from app.persistence.models import SyncOutbox

    [client_id] = add_clients(laptop, 1)
    with laptop.unit() as s:  # everything sent
        s.execute(delete(SyncOutbox))
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann", LAST_OK_KEY: "2026-11-30T08:05:00"})
    window = make_window(qtbot, laptop, tmp_path)
    window.sync.timer.stop()
    assert re.fullmatch(r"Синхронизировано в \d\d:05", plain(window.sync.label))
    window.ops.run(lambda: service_update_city(laptop, client_id, "Клин"))
    with laptop.read() as s:  # the changed records, not the audit lines beside them
        waiting = s.query(SyncOutbox).filter(SyncOutbox.table_name != "audit_log").count()
    assert waiting == 1  # the card
    assert re.fullmatch(rf"Синхронизировано в \d\d:05; с тех пор изменения сохранены на ноутбуке \({waiting}\)",
                        plain(window.sync.label))
    from app.sync.service import status_text

    assert plain(window.sync.label) == status_text(laptop)  # the same words as `sync status`
