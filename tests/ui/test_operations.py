"""One operations runner, one undo history: each action refreshes each affected view once; undo restores
exactly; restore and import clear the history (the two data-loss faults of issue 11)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QToolButton

from app.services import worklog, worklog_read
from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client
from app.services.demo import fill_demo
from app.services.worklog import EntryInput
from tests.ui.test_main_window import make_window  # the window as a user sees it at 1366×768
from ui.actions import TAB_CHECKLIST
from ui.dialogs.stages.move_guard import MoveDecision

JULY = date(2024, 7, 1)


@pytest.fixture
def sqlite_db(tmp_path):
    """A file database (backups and restore need SQLite)."""
    from app.persistence.db import open_database

    database = open_database(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture
def window(qtbot, db, tmp_path):
    fill_demo(db)
    return make_window(qtbot, db, tmp_path)


def remote_client(db) -> int:
    return next(s.id for s in list_clients(db) if s.approach == "remote")


def test_one_work_log_entry_reads_the_log_once_and_the_client_list_once(window, db, monkeypatch):
    area = window.work_area
    client_id = remote_client(db)
    window.set_current_client(client_id)
    area.tabs.setCurrentWidget(area.worklog)
    calls = {"log": 0, "rows": 0, "all rows": 0}
    real_list_entries = worklog_read.list_entries

    def counting_list_entries(*args, **kwargs):
        calls["log"] += 1
        return real_list_entries(*args, **kwargs)

    real_update, real_set = area.clients.update_rows, area.clients.set_rows
    monkeypatch.setattr(worklog_read, "list_entries", counting_list_entries)
    monkeypatch.setattr(area.clients, "update_rows", lambda *a, **k: (calls.__setitem__("rows", calls["rows"] + 1),
                                                                      real_update(*a, **k))[1])
    monkeypatch.setattr(area.clients, "set_rows", lambda *a, **k: (calls.__setitem__("all rows", calls["all rows"] + 1),
                                                                   real_set(*a, **k))[1])
    before = area.worklog.proxy.rowCount()
    assert area.worklog.add_entry(EntryInput(JULY, "conference", minutes=90)) is not None
    assert calls == {"log": 1, "rows": 1, "all rows": 0}
    assert area.worklog.proxy.rowCount() == before + 1
    window.act_undo.trigger()  # the undo is one action too
    assert calls == {"log": 2, "rows": 2, "all rows": 0}
    assert area.worklog.proxy.rowCount() == before


def test_a_hidden_work_log_marks_itself_stale_and_reads_once_when_shown(window, db, monkeypatch):
    area = window.work_area
    client_id = remote_client(db)
    window.set_current_client(client_id)
    area.tabs.setCurrentWidget(area.worklog)
    area.tabs.setCurrentIndex(0)  # the board: the log is hidden now
    calls = []
    real = worklog_read.list_entries
    monkeypatch.setattr(worklog_read, "list_entries", lambda *a, **k: calls.append(1) or real(*a, **k))
    entry_id, changes = worklog.add_entry(db, client_id, EntryInput(JULY, "questions", minutes=15))
    window.apply_changes(changes)
    window.apply_changes(changes)
    assert calls == [] and area.worklog.is_stale()
    area.tabs.setCurrentWidget(area.worklog)
    assert calls == [1] and entry_id in [area.worklog.model.row_at(r).id for r in range(area.worklog.model.rowCount())]


def test_undo_of_a_move_restores_the_day_the_client_entered_the_stage(window, db):
    from sqlalchemy import update

    from app.persistence.models import Client

    client_id = next(s.id for s in list_clients(db) if s.stage == 1)
    entered = datetime.now(UTC).replace(tzinfo=None, microsecond=0) - timedelta(days=90)
    with db.unit() as s:
        s.execute(update(Client).where(Client.id == client_id).values(stage_since=entered))
    window.reload_all()
    area = window.work_area
    summary = area.clients.summary(client_id)
    assert summary.days_in_stage() >= 89 and area.clients.is_stalled(summary)

    window.set_current_client(client_id)
    window.move_dialog = lambda *args: MoveDecision(reason="тест", force=True)
    assert window.move_current(+1)
    assert area.clients.summary(client_id).stage == 2
    assert window.act_undo.text() == "Отменить: перевод на этап 2"
    window.act_undo.trigger()
    summary = area.clients.summary(client_id)
    assert summary.stage == 1 and summary.days_in_stage() >= 89 and area.clients.is_stalled(summary)
    assert list_clients(db, ids=[client_id])[0].stage_since.replace(tzinfo=None) == entered
    assert window.act_redo.text() == "Повторить: перевод на этап 2"
    window.act_redo.trigger()
    assert area.clients.summary(client_id).stage == 2
    window.act_undo.trigger()  # and back again: still the original day
    assert list_clients(db, ids=[client_id])[0].stage_since.replace(tzinfo=None) == entered
    assert window.errors == []


def test_edit_menu_shortcuts_and_the_toolbar_fits_1366(window, db):
    assert [s.toString() for s in window.act_undo.shortcuts()] == ["Ctrl+Z"]
    assert [s.toString() for s in window.act_redo.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Правка")
    assert window.act_undo in edit.actions() and window.act_redo in edit.actions()
    client_id = next(s.id for s in list_clients(db) if s.stage == 1)
    window.set_current_client(client_id)
    window.move_dialog = lambda *args: MoveDecision(reason="причина", force=True)
    assert window.move_current(+1)
    assert window.act_undo.isEnabled() and "этап 2" in window.act_undo.toolTip()
    window.toolbar.adjustSize()
    extension = window.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is None or not extension.isVisible()  # nothing pushed into the overflow menu
    assert window.toolbar.sizeHint().width() <= 1366


def test_signoff_is_greyed_for_a_client_in_stage_new(window, db):
    new = next(s.id for s in list_clients(db) if s.stage == 0)
    window.set_current_client(new)
    assert not window.act_signoff.isEnabled() and window.act_act_doc.isEnabled()
    later = next(s.id for s in list_clients(db) if s.stage == 2)
    window.set_current_client(later)
    assert window.act_signoff.isEnabled()


@pytest.fixture
def scripted(monkeypatch):
    """File dialogs, questions and passwords answered by the test; message boxes recorded."""
    answers = {"open": "", "passwords": [], "shown": []}
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (answers["open"], ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (answers["passwords"].pop(0), True)
                        if answers["passwords"] else ("", False))
    import ui.dialogs.data.actions as data_actions

    monkeypatch.setattr(data_actions, "_confirm", lambda *a, **k: True)
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *a, _k=kind, **k:
                            answers["shown"].append((_k, text)))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: answers["shown"].append(("box", self.text())))
    return answers


def test_after_a_restore_the_work_log_offers_no_undo(qtbot, sqlite_db, tmp_path, scripted):
    """Back up, add a work-log entry, restore: «Отменить» must not bring back a record of a replaced database."""
    from app.exchange.backup import make_backup

    client_id = add_client(sqlite_db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    saved = make_backup(sqlite_db, "manual", target=tmp_path / "saved.sqlite3").path
    window = make_window(qtbot, sqlite_db, tmp_path)
    window.set_current_client(client_id)
    log = window.work_area.worklog
    assert log.add_entry(EntryInput(JULY, "conference", minutes=30)) is not None
    assert log.undo_action.isEnabled() and window.undo_stack.count() == 1
    scripted["open"] = str(saved)
    window.restore_backup()
    assert window.undo_stack.count() == 0
    assert not log.undo_action.isEnabled() and not window.act_undo.isEnabled()
    assert worklog_read.list_entries(sqlite_db, client_id).rows == ()


def test_a_damaged_backup_is_refused_in_the_window_and_the_data_stay(qtbot, sqlite_db, tmp_path, scripted):
    """A backup another program wrote a date into that cannot be read: the window names it, nothing is replaced."""
    import sqlite3

    from app.exchange.backup import make_backup

    client_id = add_client(sqlite_db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    saved = make_backup(sqlite_db, "manual", target=tmp_path / "saved.sqlite3").path
    with sqlite3.connect(saved) as conn:
        conn.execute("UPDATE client SET contract_date = '2024-13-45'")
    conn.close()
    window = make_window(qtbot, sqlite_db, tmp_path)
    window.set_current_client(client_id)
    assert window.work_area.worklog.add_entry(EntryInput(JULY, "conference", minutes=30)) is not None
    scripted["open"] = str(saved)
    window.restore_backup()
    assert len(window.errors) == 1 and not scripted["shown"]  # refused: no «Данные восстановлены»
    said = window.errors[0].message + " ".join(window.errors[0].details)
    assert "В резервной копии saved.sqlite3 есть значения, которые программа не может прочитать" in said
    assert "«2024-13-45»" in said and "Внутренняя ошибка" not in said
    assert [r.minutes for r in worklog_read.list_entries(sqlite_db, client_id).rows] == [30]
    assert window.work_area.clients.rowCount() == 1


def test_after_a_bundle_import_redo_and_undo_cannot_touch_the_imported_entries(qtbot, sqlite_db, tmp_path, scripted):
    from app.exchange.bundle_export import export_bundle
    from app.persistence.db import open_database

    laptop = open_database(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    other = add_client(laptop, ClientInput(name="ООО «Лютик»", inn="7728168971", approach="remote"))
    worklog.add_entry(laptop, other, EntryInput(JULY, "questions", minutes=45, note="с ноутбука"))
    bundle = tmp_path / "laptop.zip"
    export_bundle(laptop, None, bundle)
    laptop.dispose()

    client_id = add_client(sqlite_db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    window = make_window(qtbot, sqlite_db, tmp_path)
    window.set_current_client(client_id)
    log = window.work_area.worklog
    assert log.add_entry(EntryInput(JULY, "conference", minutes=30)) is not None
    window.act_undo.trigger()  # the entry is gone; a redo would bring it back
    assert window.undo_stack.canRedo()
    scripted["open"] = str(bundle)
    window.import_bundle()
    imported = next(s.id for s in list_clients(sqlite_db) if s.inn == "7728168971")
    assert [r.note for r in worklog_read.list_entries(sqlite_db, imported).rows] == ["с ноутбука"]
    assert window.undo_stack.count() == 0 and not window.act_redo.isEnabled()
    window.act_redo.trigger()
    window.act_undo.trigger()
    assert [r.note for r in worklog_read.list_entries(sqlite_db, imported).rows] == ["с ноутбука"]
    assert window.work_area.clients.summary(imported) is not None  # the list shows the imported client


def test_wrong_import_password_asks_again(qtbot, sqlite_db, tmp_path, scripted):
    from app.exchange.bundle_export import export_bundle
    from app.persistence.db import open_database

    laptop = open_database(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    add_client(laptop, ClientInput(name="ООО «Лютик»", inn="7728168971", approach="remote"))
    bundle = tmp_path / "secret.zip"
    export_bundle(laptop, None, bundle, "пароль-для-офиса")
    laptop.dispose()
    window = make_window(qtbot, sqlite_db, tmp_path)
    scripted["open"] = str(bundle)
    scripted["passwords"] = ["не тот пароль", "пароль-для-офиса"]
    window.import_bundle()
    assert any("Неверный пароль" in exc.message for exc in window.errors)  # shown by the runner, one way
    assert scripted["passwords"] == []  # asked twice
    assert [s.name for s in list_clients(sqlite_db)] == ["ООО «Лютик»"]


def test_a_cli_change_while_the_window_is_open_appears(qtbot, sqlite_db, tmp_path):
    """Other programs (here the CLI) tick an item and move the client: the open window shows it after its
    idle poll (today an open window keeps showing the old figures after a merge done from the CLI)."""
    import os
    import subprocess
    import sys

    client_id = add_client(sqlite_db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    window = make_window(qtbot, sqlite_db, tmp_path)
    window.set_current_client(client_id)
    window.show_tab(TAB_CHECKLIST)
    area = window.work_area
    assert area.clients.summary(client_id).stage == 0
    assert not window.watcher.poll()  # nothing happened elsewhere yet; our own start is no change
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for command in (["checklist", "done", "7707083893", "s1.lessons"], ["stage", "advance", "7707083893"]):
        subprocess.run([sys.executable, "main.py", "--db", str(sqlite_db.sqlite_path), *command], cwd=root, env=env,
                       check=True, capture_output=True)
    qtbot.waitUntil(lambda: area.clients.summary(client_id).stage == 1, timeout=10_000)
    assert area.board.columns[1].model.row_of(client_id) is not None
    assert any(i.code == "s1.lessons" and i.done for i in area.stage_checklist.model.items())
    assert area.clients.summary(client_id).checklist_done == 1
    undo_count = window.undo_stack.count()
    assert area.worklog.add_entry(EntryInput(JULY, "conference", minutes=30)) is not None
    assert not window.watcher.poll()  # our own write is not news
    assert window.undo_stack.count() == undo_count + 1


def test_deleting_a_client_can_be_undone_with_everything_it_owned(window, db):
    from app.services import progress

    client_id = remote_client(db)
    before_entries = [(r.on_date, r.kind, r.minutes, r.note) for r in worklog_read.list_entries(db, client_id).rows]
    before_checklist = [(i.code, i.done, i.done_on) for i in progress.checklist(db, client_id)]
    name = window.work_area.clients.summary(client_id).name
    window.set_current_client(client_id)
    window.confirm = lambda title, text: True
    window.delete_client()
    assert window.work_area.clients.summary(client_id) is None
    assert window.act_undo.text() == "Отменить: удаление заказчика"
    window.act_undo.trigger()
    again = next(s for s in list_clients(db) if s.name == name)
    assert window.work_area.clients.summary(again.id) is not None
    assert [(r.on_date, r.kind, r.minutes, r.note) for r in worklog_read.list_entries(db, again.id).rows] == before_entries
    assert [(i.code, i.done, i.done_on) for i in progress.checklist(db, again.id)] == before_checklist
    window.act_redo.trigger()
    assert all(s.name != name for s in list_clients(db))
    assert window.errors == []
