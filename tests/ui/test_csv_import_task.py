"""Issue 15: the window imports a CSV off the UI thread behind a determinate progress dialog with «Отмена»;
the result is announced as Changes naming the clients; cancelling saves nothing and says so."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog

import app.services.importing as importing
from app.services.client_list import list_clients
from tests.ui.test_main_window import make_window
from tests.unit.test_import_bulk import write_csv

ROWS = 120


def _paused_import(monkeypatch, seen: dict):
    """Wrap the service: record its thread, and pause it once half of the work is done until the UI
    thread has looked at the progress dialog (so the check never races the import)."""
    real = importing.import_clients
    looked = threading.Event()
    seen["looked"] = looked

    def wrapped(db, path, *, update=False, progress=None, cancelled=None):
        seen["worker"] = threading.current_thread() is not threading.main_thread()

        def report(done: int, total: int) -> None:
            progress(done, total)
            seen.setdefault("reports", []).append((done, total))
            if done >= total // 2 and not looked.is_set():
                seen["paused_at"] = (done, total)
                looked.wait(10)

        return real(db, path, update=update, progress=report, cancelled=cancelled)

    monkeypatch.setattr(importing, "import_clients", wrapped)


def _look_at_dialog(window, seen: dict, cancel: bool) -> None:
    def look() -> None:
        dialog = window.findChild(QProgressDialog)
        if "paused_at" not in seen or dialog is None or dialog.value() < seen["paused_at"][0]:
            QTimer.singleShot(20, look)
            return
        seen["dialog"] = (dialog.maximum(), dialog.value(), dialog.labelText())
        if cancel:
            dialog.canceled.emit()
        seen["looked"].set()

    QTimer.singleShot(20, look)


def test_the_import_runs_in_a_task_with_determinate_progress_and_announces_the_clients(qtbot, db, tmp_path,
                                                                                         monkeypatch):
    window = make_window(qtbot, db, tmp_path)
    announced = []
    window.ops.changed.connect(lambda changes, initiator: announced.append(changes))
    seen: dict = {}
    _paused_import(monkeypatch, seen)
    _look_at_dialog(window, seen, cancel=False)
    assert window.import_clients_from(str(write_csv(tmp_path / "c.csv", ROWS)))
    assert seen["worker"]  # the service ran off the UI thread
    assert seen["dialog"][0] == 2 * ROWS and seen["dialog"][1] >= ROWS  # determinate: rows out of the total
    assert seen["dialog"][2] == "Импорт заказчиков…"
    assert seen["reports"][-1] == (2 * ROWS, 2 * ROWS)
    ids = {c.id for c in list_clients(db)}
    assert len(ids) == ROWS and window.errors == []
    assert len(announced) == 1 and announced[0].clients and announced[0].client_ids == ids
    qtbot.waitUntil(lambda: window.work_area.clients.rowCount() == ROWS, timeout=10_000)
    assert window.statusBar().currentMessage() == f"Импортировано заказчиков: {ROWS}, обновлено: 0."


def test_cancel_in_the_progress_dialog_saves_nothing_and_says_so(qtbot, db, tmp_path, monkeypatch):
    window = make_window(qtbot, db, tmp_path)
    announced = []
    window.ops.changed.connect(lambda changes, initiator: announced.append(changes))
    seen: dict = {}
    _paused_import(monkeypatch, seen)
    _look_at_dialog(window, seen, cancel=True)
    assert not window.import_clients_from(str(write_csv(tmp_path / "c.csv", ROWS)))
    assert [e.message for e in window.errors] == ["Импорт отменён: ничего не сохранено."]
    assert list_clients(db) == [] and announced == []
    assert window.work_area.clients.rowCount() == 0
