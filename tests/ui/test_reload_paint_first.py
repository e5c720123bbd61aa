"""Issue 15: after a full reload read in a worker (restore, import, settings), the budget summaries and the dock's
reminders are read only once the list and the board have painted the new rows (they took the interpreter lock from
that layout and paint); the marks still arrive, on their own, and show the database as it is now."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QEvent, QObject
from sqlalchemy import update

from app.persistence.models import Client, WorkLogEntry
from app.services import budget, plan_read, questions, reminders
from app.services.budget import budget_summaries
from app.services.changes import DATABASE_REPLACED
from app.services.demo import fill_demo
from app.services.list_read import ListRead
from tests.ui.test_main_window import make_window
from ui.models.agenda import agenda_lines
from ui.tasks import TaskManager
from ui.views.week import WeekViews
from ui.work_area import WorkArea


class _Paints(QObject):
    """perf_counter moments of the paint events of the given viewports, by name."""

    def __init__(self, views: dict) -> None:
        super().__init__()
        self.at: dict[str, list[float]] = {name: [] for name in views}
        self._names = {view.viewport(): name for name, view in views.items()}
        for view in views.values():
            view.viewport().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and obj in self._names:
            self.at[self._names[obj]].append(time.perf_counter())
        return False


def _watch(monkeypatch, module, name: str, ui_thread: bool = False) -> list[float]:
    """perf_counter moments at which ``module.name`` was called on a worker thread (or on the UI thread)."""
    calls: list[float] = []
    real = getattr(module, name)

    def watched(*args, **kwargs):
        if (threading.current_thread() is threading.main_thread()) == ui_thread:
            calls.append(time.perf_counter())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, watched)
    return calls


def _window(qtbot, db, tmp_path, monkeypatch):
    fill_demo(db)
    monkeypatch.setattr(WorkArea, "READ_IN_WORKER_FROM", 1)  # the demo's dozen clients count as many
    monkeypatch.setattr(WeekViews, "READ_IN_WORKER_FROM", 1)
    window = make_window(qtbot, db, tmp_path)
    window.wait_for_background()
    return window


def test_budgets_and_reminders_are_read_after_the_rows_are_painted_and_are_right(qtbot, db, tmp_path, monkeypatch):
    window = _window(qtbot, db, tmp_path, monkeypatch)
    area = window.work_area
    estimated = budget_summaries(db, None, estimated_only=True)
    client_id = next(cid for cid, b in estimated.items() if b.actual_hours > 0)
    before = area.clients.budget(client_id)
    assert before == estimated[client_id]
    moved = next(c for c in area.clients.summaries() if 1 <= c.stage <= 3 and c.id != client_id)
    with db.unit() as s:  # a restore-like change behind the window: ten more hours of work, a client a stage on
        s.execute(update(WorkLogEntry).where(WorkLogEntry.client_id == client_id, WorkLogEntry.minutes.is_not(None))
                  .values(minutes=WorkLogEntry.minutes + 600))
        s.execute(update(Client).where(Client.id == moved.id).values(stage=moved.stage + 1))
    expected = budget_summaries(db, None, estimated_only=True)
    assert expected[client_id] != before
    changed = {"list": area.list_panel.view, "left": area.board.view_of(moved.stage),
               "joined": area.board.view_of(moved.stage + 1)}
    assert all(view.isVisible() for view in changed.values())
    paints = _Paints(changed)
    budget_reads = _watch(monkeypatch, budget, "budget_summaries")
    reminder_reads = _watch(monkeypatch, reminders, "attention")
    agenda_reads = _watch(monkeypatch, plan_read, "agenda", ui_thread=True)
    question_reads = _watch(monkeypatch, questions, "open_question_counts", ui_thread=True)
    delivered: list[float] = []
    real_show = area._take_read  # the rows' event: every row, or the changed ones merged

    started_with_rows: list[int] = []

    def show(read, decorations=True, plan=None):
        real_show(read, decorations, plan)
        delivered.append(time.perf_counter())
        # taken here, not after waitUntil: the paint, and the reads it lets go, may come in the same turn
        started_with_rows.extend(map(len, (budget_reads, reminder_reads, agenda_reads, question_reads)))

    monkeypatch.setattr(area, "_take_read", show)
    window.apply_changes(DATABASE_REPLACED)
    qtbot.waitUntil(lambda: bool(delivered), timeout=5000)  # the rows are in the models
    assert started_with_rows == [0, 0, 0, 0]  # nothing started with the rows
    # no wait_for_background (which would start them): the paint itself lets the reads go
    qtbot.waitUntil(lambda: area.clients.budget(client_id) == expected[client_id], timeout=5000)
    qtbot.waitUntil(lambda: not window.week._attention_reading, timeout=5000)
    assert len(budget_reads) == 1 and len(reminder_reads) == 1
    for name, times in paints.at.items():  # the list and both columns painted the new rows before the read
        assert any(delivered[0] < t < budget_reads[0] for t in times), name
    assert area.board.columns[moved.stage + 1].model.row_of(moved.id) is not None
    assert budget_reads[0] < reminder_reads[0]  # the reminders wait for the budgets' delivery, as before
    for name, times in paints.at.items():  # the cards' open questions: after the paint too
        assert any(delivered[0] < t < question_reads[0] for t in times), name
    qtbot.waitUntil(lambda: bool(agenda_reads), timeout=5000)  # the plan dock is read again, after the paint
    assert agenda_reads[0] > budget_reads[0]
    shown = window.week.agenda.model
    assert [shown.event_at(row) for row in range(shown.rowCount())] == [
        line.event for line in agenda_lines(plan_read.agenda(db))]
    assert {cid: area.clients.budget(cid) for cid in expected} == expected
    assert window.week.attention.model.rows() == reminders.attention(db)


def test_a_hidden_window_gets_its_budgets_without_a_paint(qtbot, db, tmp_path, monkeypatch):
    """Nothing is painted in a hidden window: the reads are not left waiting for a paint that never comes."""
    window = _window(qtbot, db, tmp_path, monkeypatch)
    area = window.work_area
    window.hide()
    budget_reads = _watch(monkeypatch, budget, "budget_summaries")
    window.apply_changes(DATABASE_REPLACED)
    qtbot.waitUntil(lambda: len(budget_reads) == 1, timeout=5000)
    qtbot.waitUntil(lambda: not area.reads_deferred() and not window.tasks.running(), timeout=5000)
    expected = budget_summaries(db, None, estimated_only=True)
    assert expected and {cid: area.clients.budget(cid) for cid in expected} == expected


def test_a_newer_reload_before_the_paint_reads_the_budgets_once(qtbot, db, tmp_path, monkeypatch):
    window = _window(qtbot, db, tmp_path, monkeypatch)
    area = window.work_area
    budget_reads = _watch(monkeypatch, budget, "budget_summaries")
    rows = list(area.clients.summaries())
    area._reload_generation += 1
    area._all_rows_read(area._reload_generation, ListRead(rows, None, None))
    first = area._after_paint
    assert first is not None and area.reads_deferred()
    area._reload_generation += 1
    area._all_rows_read(area._reload_generation, ListRead(rows, None, None))  # before the first one's paint
    assert area._after_paint is not first and not first.pending
    window.wait_for_background()
    assert len(budget_reads) == 1 and not area.reads_deferred()
    assert window.tasks._holds == 0  # every hold released: the idle reads are not stuck


def test_idle_callbacks_wait_for_a_hold(qtbot):
    tasks = TaskManager()
    ran: list[str] = []
    release = tasks.hold_idle()
    tasks.when_idle(lambda: ran.append("a"))
    assert ran == []  # no task runs, but the hold keeps it waiting
    other = tasks.hold_idle()
    release()
    assert ran == []
    release()  # a second call does nothing (and does not release the other hold)
    assert ran == []
    other()
    assert ran == ["a"]
    tasks.when_idle(lambda: ran.append("b"))
    assert ran == ["a", "b"]  # nothing held, nothing running: at once
