"""The one background-task runner: results and errors on the UI thread, progress, cancelling."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.tasks import Cancelled, TaskManager


def test_results_errors_and_progress_arrive_on_the_ui_thread(qtbot):
    manager = TaskManager()
    seen: dict = {"progress": []}

    def work(progress):
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        for done in range(3):
            progress.set(done + 1, 3)
        return 42

    def done(result):
        seen["result"] = (result, threading.current_thread() is threading.main_thread())

    manager.start(work, done, on_progress=lambda d, t: seen["progress"].append((d, t)))
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["worker"] and seen["result"] == (42, True)
    assert seen["progress"] == [(1, 3), (2, 3), (3, 3)]
    failures = []
    manager.start(lambda _p: 1 / 0, on_failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], ZeroDivisionError) and manager.running() == 0


def test_run_modal_can_be_cancelled_where_cancelling_is_safe(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    manager = TaskManager()
    steps = []

    def work(progress):
        for step in range(200):
            progress.set(step, 200)
            progress.check()  # a safe point: nothing half-done
            steps.append(step)
            time.sleep(0.01)
        return "finished"

    def press_cancel():
        dialog = parent.findChild(QProgressDialog)
        assert dialog is not None and dialog.maximum() == 200  # determinate: the amount is known
        dialog.canceled.emit()

    QTimer.singleShot(300, press_cancel)
    with pytest.raises(Cancelled):
        manager.run_modal(parent, "…", work, cancellable=True)
    assert 0 < len(steps) < 200


def test_a_closed_manager_drops_the_work_waiting_for_idleness_and_still_delivers(qtbot):
    """A window closed while a task ran and a read waited for idleness: the read started a task on the window's
    pool after the window was deleted («Internal C++ object (QThreadPool) already deleted», a demo window)."""
    owner = QWidget()
    manager = TaskManager(owner)
    gate = threading.Event()
    delivered, waited = [], []
    manager.start(lambda _p: gate.wait(5), delivered.append)
    manager.when_idle(lambda: waited.append("before close"))
    manager.close()
    manager.when_idle(lambda: waited.append("after close"))
    gate.set()
    qtbot.waitUntil(lambda: bool(delivered), timeout=5000)
    assert delivered == [True] and waited == []


def test_waiting_work_that_meets_a_deleted_owner_is_dropped_quietly(qtbot):
    import shiboken6

    owner = QWidget()
    manager = TaskManager(owner)
    gate = threading.Event()
    delivered = []
    manager.start(lambda _p: gate.wait(0.3), delivered.append)
    manager.when_idle(lambda: manager.start(lambda _p: None))  # starts on the pool, deleted by then
    pool = manager.pool
    owner.deleteLater()  # the pool's destructor waits for the running task; its result is delivered after
    qtbot.waitUntil(lambda: not shiboken6.isValid(pool), timeout=5000)
    qtbot.waitUntil(lambda: bool(delivered), timeout=5000)  # and the waiting start raised nothing (pytest-qt)
    assert len(delivered) == 1


def test_run_modal_says_a_long_work_without_progress_after_0_4_s(qtbot):
    """A work that reports no progress (a busy bar) showed its dialog only at Qt's default 4 s: the window sat under
    a modal loop with no word for four seconds."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    shown_at: list[float] = []
    started = time.monotonic()

    def look() -> None:
        if not shown_at and any(d.isVisible() for d in parent.findChildren(QProgressDialog)):
            shown_at.append(time.monotonic() - started)

    timer = QTimer(parent)
    timer.timeout.connect(look)
    timer.start(20)
    assert TaskManager().run_modal(parent, "Читаю…", lambda _p: time.sleep(1.5) or "done") == "done"
    timer.stop()
    assert shown_at and shown_at[0] >= 0.3  # not at once (a short work shows nothing), and while it works
