"""Tester K #1 in the window: «Проведено…», an act for the period, then Ctrl+Z: the undo deleted the billed work
without a word. Now it is refused, naming the act, and the step stays to be undone once the act is voided."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.i18n import _
from app.services import documents as docs
from app.services import event_input, plan, plan_read, worklog_read
from tests.reports.helpers import build_world
from tests.reports.test_undo_billed import issue_march
from tests.ui.test_main_window import make_window


def done_in_window(qtbot, db, tmp_path):
    """A window on a world whose March conference was marked done through «Проведено…» → OK: (world, window,
    event id) — the work logged, not billed yet."""
    world = build_world(db)
    event_id, _c = plan.add_event(db, world.client_id, event_input.EventInput(
        "conference", datetime(2026, 3, 10, 10, 0), "Europe/Moscow", duration_min=30, section="Сбыт"),
        on=date(2026, 3, 1))
    window = make_window(qtbot, db, tmp_path)
    assert window.week is not None

    def accept_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "completeEventDialog"
        dialog.accept()

    QTimer.singleShot(0, accept_dialog)
    window.week.complete_event(event_id)  # «Проведено…» → OK
    return world, window, event_id


def test_undoing_an_event_done_whose_work_is_billed_is_refused_and_kept(qtbot, db, tmp_path):
    world, window, event_id = done_in_window(qtbot, db, tmp_path)
    entry_id = plan_read.get_event(db, event_id).entry_id
    assert entry_id is not None and window.act_undo.text() == _("Undo: {what}").format(what=_("event done"))
    code = issue_march(db, world.client_id)

    window.act_undo.trigger()  # Ctrl+Z
    assert len(window.errors) == 1
    said = window.errors[0].full_text()
    assert f"Событие № {event_id} нельзя вернуть в план" in said and f"актом {code} от 31.03.2026" in said
    assert "аннулируйте акт" in said and "остаётся в истории" in said and "--reason" not in said
    assert plan_read.get_event(db, event_id).status == "done"
    assert worklog_read.get_entry(db, entry_id).billed_by == code
    assert entry_id in {r.id for r in worklog_read.list_entries(db, world.client_id).rows}
    assert window.act_undo.text() == _("Undo: {what}").format(what=_("event done"))  # the step kept

    docs.void_document(db, code, "Неверный период")
    window.act_undo.trigger()
    assert len(window.errors) == 1
    assert plan_read.get_event(db, event_id).status == "planned"
    assert entry_id not in {r.id for r in worklog_read.list_entries(db, world.client_id).rows}


def test_undoing_adding_a_billed_entry_keeps_the_step_until_the_act_is_voided(qtbot, db):
    """The work log's own undo: refused already, but the step was dropped with it (a plain refusal), and with it the
    way to take the entry back after voiding the act."""
    from app.services.worklog import EntryInput
    from ui.views.worklog import WorkLogView

    world = build_world(db)
    view = WorkLogView(db)
    qtbot.addWidget(view)
    view.set_client(world.client_id)
    refusals: list = []
    view.ops.error_handler = refusals.append
    entry_id = view.add_entry(EntryInput(date(2026, 3, 10), "conference", minutes=45))
    assert entry_id is not None
    code = issue_march(db, world.client_id)
    stack = view.ops.undo_stack
    view.undo_action.trigger()
    assert len(refusals) == 1
    said = refusals[0].full_text()
    assert f"Запись журнала № {entry_id} выставлена актом {code} от 31.03.2026: сначала аннулируйте акт." in said
    assert "остаётся в истории" in said
    assert stack.canUndo() and stack.undoText() == _("adding a work-log entry")
    assert worklog_read.get_entry(db, entry_id).billed_by == code
    docs.void_document(db, code, "Неверный период")
    view.undo_action.trigger()
    assert len(refusals) == 1 and entry_id not in {r.id for r in worklog_read.list_entries(db, world.client_id).rows}
