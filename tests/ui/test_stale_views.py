"""Issue 11 §1: a hidden view marks itself stale and reloads when shown — one mechanism (ui/views/lazy.py) for
the work log, both checklists, the calculator and the week's docks and questions page. A change while the view
is hidden does not read its data; showing it reads once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtWidgets import QDockWidget

from app.services import estimates, plan, plan_read, progress, questions
from app.services.changes import Changes
from app.services.client_list import list_clients
from app.services.demo import fill_demo
from app.services.event_input import EventInput
from app.services.questions import QuestionInput
from tests.ui.test_main_window import make_window
from ui.actions import TAB_BOARD, TAB_CHECKLIST, TAB_COST, TAB_LESSONS
from ui.views.lazy import ReloadWhenShown, StaleOnHidden


@pytest.fixture
def window(qtbot, db, tmp_path):
    fill_demo(db)
    return make_window(qtbot, db, tmp_path)


def counting(monkeypatch, module, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def client_at_stage(db, stage: int) -> int:
    return next(s.id for s in list_clients(db) if s.stage == stage)


def test_every_view_that_reloads_on_changes_uses_the_one_mechanism(window):
    area = window.work_area
    for view in (area.stage_checklist, area.lessons, area.calculator, area.worklog):
        assert isinstance(view, StaleOnHidden), type(view).__name__
    week = window.week
    loaders = {loader.widget for loader in week.findChildren(ReloadWhenShown)}
    loaders |= {child.widget for w in (week.agenda, week.attention, week.questions)
                for child in w.findChildren(ReloadWhenShown)}
    assert {week.agenda, week.attention, week.questions} <= loaders


def test_a_hidden_stage_checklist_reads_once_when_shown(window, db, monkeypatch):
    area = window.work_area
    client_id = client_at_stage(db, 1)
    window.set_current_client(client_id)
    window.show_tab(TAB_CHECKLIST)
    window.show_tab(TAB_BOARD)  # the checklist is hidden now
    calls = counting(monkeypatch, progress, "checklist")
    changes = progress.set_checklist(db, client_id, ["s1.test_project"], True)
    window.apply_changes(changes)
    window.apply_changes(changes)
    assert calls == [] and area.stage_checklist.is_stale()
    window.show_tab(TAB_CHECKLIST)
    assert calls == [1] and not area.stage_checklist.is_stale()
    assert any(i.code == "s1.test_project" and i.done for i in area.stage_checklist.model.items())
    window.show_tab(TAB_BOARD)
    window.show_tab(TAB_CHECKLIST)  # shown again without a change: nothing to read
    assert calls == [1]


def test_a_hidden_checklist_never_shows_another_clients_items(window, db, monkeypatch):
    area = window.work_area
    first, second = client_at_stage(db, 1), client_at_stage(db, 2)
    window.set_current_client(first)
    window.show_tab(TAB_CHECKLIST)
    assert area.stage_checklist.model.items()
    window.show_tab(TAB_BOARD)
    calls = counting(monkeypatch, progress, "checklist")
    window.set_current_client(second)  # chosen on the board: the checklist does not read yet …
    assert calls == [] and area.stage_checklist.model.items() == []  # … and forgets the first client's items
    window.show_tab(TAB_CHECKLIST)
    assert calls == [1] and area.stage_checklist.model.items()


def test_a_hidden_lesson_list_reads_once_when_shown(window, db, monkeypatch):
    area = window.work_area
    client_id = client_at_stage(db, 1)
    window.set_current_client(client_id)
    window.show_tab(TAB_BOARD)
    calls = counting(monkeypatch, progress, "lessons")
    changes = progress.set_lessons(db, client_id, ["L01"], True)
    window.apply_changes(changes)
    assert calls == [] and area.lessons.is_stale()
    window.show_tab(TAB_LESSONS)
    assert calls == [1] and area.lessons.model.done_count >= 1


def test_a_hidden_calculator_rereads_the_estimate_once_when_shown(window, db, monkeypatch):
    area = window.work_area
    client_id = client_at_stage(db, 1)
    window.set_current_client(client_id)
    window.show_tab(TAB_BOARD)
    calls = counting(monkeypatch, estimates, "estimate_start")
    changes = Changes(estimates=True, client_ids=frozenset({client_id}))
    window.apply_changes(changes)
    window.apply_changes(changes)
    assert calls == [] and area.calculator.is_stale()
    window.show_tab(TAB_COST)
    assert calls == [1] and not area.calculator.is_stale()


def test_a_hidden_agenda_dock_reads_once_when_shown(window, db, monkeypatch):
    dock = next(d for d in window.findChildren(QDockWidget) if d.objectName() == "agendaDock")
    dock.toggleViewAction().trigger()  # Неделя ▸ Повестка: the user closed the dock
    assert not window.week.agenda.isVisible()
    calls = counting(monkeypatch, plan_read, "agenda")
    client_id = client_at_stage(db, 1)
    _event, changes = plan.add_event(db, client_id, EventInput(
        "conference", (datetime.now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0),
        "Europe/Moscow", 60))
    window.apply_changes(changes)
    window.apply_changes(changes)
    assert calls == []
    dock.toggleViewAction().trigger()
    assert window.week.agenda.isVisible() and calls == [1]


def test_a_hidden_questions_page_reads_once_when_shown(window, db, monkeypatch):
    area = window.work_area
    client_id = client_at_stage(db, 1)
    window.set_current_client(client_id)
    window.show_tab(TAB_BOARD)
    calls = counting(monkeypatch, questions, "list_questions")
    _qid, changes = questions.add_question(db, client_id, QuestionInput(date.today(), "phone", "Где отчёт?"))
    window.apply_changes(changes)
    assert calls == []
    window.open_card(client_id)
    area.card.sections.setCurrentWidget(window.week.questions)
    assert calls == [1]
    model = window.week.questions.model
    assert any("Где отчёт?" in str(model.index(r, c).data() or "")
               for r in range(model.rowCount()) for c in range(model.columnCount()))


def test_an_action_on_the_current_client_neither_reads_nor_clears_its_questions_again(window, db, monkeypatch):
    """After every action the work area tells the week views the current client again: the same client needs
    nothing (a move cleared the hidden log's rows anew, a shown log re-read nothing it had not already)."""
    client_id = client_at_stage(db, 1)
    window.set_current_client(client_id)
    window.show_tab(TAB_BOARD)  # the questions log hidden: stale, its rows forgotten
    log = window.week.questions
    cleared = []
    real_set = log.set_questions
    monkeypatch.setattr(log, "set_questions", lambda rows: cleared.append(len(rows)) or real_set(rows))
    reads = counting(monkeypatch, questions, "list_questions")
    window.week.show_client(client_id)
    window.week.show_client(client_id)
    assert cleared == [] and reads == []
    window.open_card(client_id)
    window.work_area.card.sections.setCurrentWidget(log)
    assert reads == [1]
    window.week.show_client(client_id)  # shown and read: nothing again
    assert reads == [1]
    other = next(s.id for s in list_clients(db) if s.id != client_id)
    window.week.show_client(other)  # another client: read at once (the log is shown)
    assert reads == [1, 1]
