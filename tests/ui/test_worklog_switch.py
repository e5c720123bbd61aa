"""Another client chosen with the work log on screen: its entries are read in a worker, never shown mixed."""

from __future__ import annotations

import threading

import app.services.worklog as worklog_service
from app.errors import NotFoundError
from app.services.clients import list_clients
from app.services.demo import fill_demo
from tests.ui.test_main_window import make_window
from ui.actions import TAB_WORKLOG


def _entries(db, client_id: int) -> int:
    return len(worklog_service.list_entries(db, client_id).rows)


def _with_entries(db) -> list[int]:
    return [s.id for s in list_clients(db) if _entries(db, s.id)]


def test_a_client_switch_reads_the_entries_off_the_ui_thread_and_shows_only_the_new_clients(
        qtbot, db, tmp_path, monkeypatch):
    fill_demo(db)
    first, second = _with_entries(db)[:2]
    window = make_window(qtbot, db, tmp_path)
    window.work_area.tabs.setCurrentIndex(TAB_WORKLOG)
    log = window.work_area.worklog
    window.set_current_client(first)
    qtbot.waitUntil(lambda: log.model.rowCount() == _entries(db, first))
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
    fill_demo(db)
    ids = _with_entries(db)[:3]
    window = make_window(qtbot, db, tmp_path)
    window.work_area.tabs.setCurrentIndex(TAB_WORKLOG)
    log = window.work_area.worklog
    window.set_current_client(ids[2])
    window.wait_for_background()
    for client_id in ids:  # three switches before any read is delivered
        window.set_current_client(client_id)
    window.wait_for_background()
    qtbot.waitUntil(lambda: log.log is not None)
    assert log.log.client_id == ids[2] and log.model.rowCount() == _entries(db, ids[2])


def test_a_client_deleted_while_its_entries_are_read_leaves_an_empty_log(qtbot, db, tmp_path, monkeypatch):
    fill_demo(db)
    first, second = _with_entries(db)[:2]
    window = make_window(qtbot, db, tmp_path)
    window.work_area.tabs.setCurrentIndex(TAB_WORKLOG)
    log = window.work_area.worklog
    window.set_current_client(first)
    window.wait_for_background()

    def deleted(*_args, **_kwargs):  # another laptop's sync deleted the client meanwhile: the service says so
        raise NotFoundError("Клиент не найден")

    monkeypatch.setattr(worklog_service, "list_entries", deleted)
    window.set_current_client(second)
    window.wait_for_background()
    qtbot.waitUntil(lambda: log.client_id is None)
    assert log.model.rowCount() == 0 and window.errors == []
