"""Another client chosen with the work log on screen: its entries are read in a worker, never shown mixed."""

from __future__ import annotations

import threading

import app.services.worklog_read as worklog_service
from app.errors import NotFoundError
from app.services.client_list import list_clients
from app.services.demo import fill_demo
from tests.ui.test_main_window import make_window
from ui.actions import TAB_WORKLOG


def _entries(db, client_id: int) -> int:
    return len(worklog_service.list_entries(db, client_id).rows)


def _with_entries(db) -> list[int]:
    return [s.id for s in list_clients(db) if _entries(db, s.id)]


def _log_on_screen(qtbot, db, tmp_path):
    """The demo's window with the work log shown on the first client that has entries, read: (window, ids)."""
    fill_demo(db)
    ids = _with_entries(db)
    window = make_window(qtbot, db, tmp_path)
    window.work_area.tabs.setCurrentIndex(TAB_WORKLOG)
    window.set_current_client(ids[0])
    window.wait_for_background()
    qtbot.waitUntil(lambda: window.work_area.worklog.model.rowCount() == _entries(db, ids[0]))
    return window, ids


def test_a_client_switch_reads_the_entries_off_the_ui_thread_and_shows_only_the_new_clients(
        qtbot, db, tmp_path, monkeypatch):
    window, (_first, second, *_rest) = _log_on_screen(qtbot, db, tmp_path)
    log = window.work_area.worklog
    threads: list[bool] = []
    expected = _entries(db, second)
    real = worklog_service.list_entries

    def watched(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(worklog_service, "list_entries", watched)
    window.set_current_client(second)
    assert log.model.rowCount() == 0 and log.log is None  # not the first client's rows meanwhile
    assert log.totals_label.text() == "Читаю записи…"
    qtbot.waitUntil(lambda: log.model.rowCount() == expected)
    assert threads == [False]
    assert log.log is not None and log.log.client_id == second
    assert log.totals_label.text() != "Читаю записи…"


def test_only_the_last_of_quick_switches_is_shown(qtbot, db, tmp_path):
    window, ids = _log_on_screen(qtbot, db, tmp_path)
    log = window.work_area.worklog
    last = ids[2]
    for client_id in (ids[1], ids[0], last):  # three switches before any read is delivered
        window.set_current_client(client_id)
    window.wait_for_background()
    qtbot.waitUntil(lambda: log.log is not None)
    assert log.log.client_id == last and log.model.rowCount() == _entries(db, last)


def test_a_client_deleted_while_its_entries_are_read_leaves_an_empty_log(qtbot, db, tmp_path, monkeypatch):
    window, (_first, second, *_rest) = _log_on_screen(qtbot, db, tmp_path)
    log = window.work_area.worklog

    def deleted(*_args, **_kwargs):  # another laptop's sync deleted the client meanwhile: the service says so
        raise NotFoundError("Клиент не найден")

    monkeypatch.setattr(worklog_service, "list_entries", deleted)
    window.set_current_client(second)
    window.wait_for_background()
    qtbot.waitUntil(lambda: log.client_id is None)
    assert log.model.rowCount() == 0 and window.errors == []
