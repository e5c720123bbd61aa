"""The window's «Событие проведено» dialog (a tester): an on-site event logged one day with no field for more, and
work before the client's contract was done without a word — while `plan done --days N` (at most the days the event
spans) and its before-contract notice do both. The dialog now offers the days, bounded the same way, and says the
contract's date (a warning, not a refusal)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtWidgets import QMainWindow

from app.services import plan, plan_read, plan_rows
from app.services.clients import ClientInput, add_client
from app.services.event_input import EventInput
from app.services.worklog_read import list_entries
from ui.dialogs.plan.complete_dialog import CompleteEventDialog
from ui.ops import Ops
from ui.views.week import install_week_views


def _onsite_client(db) -> int:
    return add_client(db, ClientInput(name="ООО «Лютик»", inn="7728168971", approach="onsite",
                                      contract_date=date(2025, 4, 1)))


def _week(qtbot, db, client_id):
    window = QMainWindow()
    qtbot.addWidget(window)
    ops = Ops(db, window)
    week = install_week_views(window, db, ops=ops, open_client=lambda _id: None, current_client=lambda: client_id,
                              notify=False)
    return week, ops.undo_stack, window  # the window kept: qtbot holds it weakly


def test_an_on_site_event_done_in_the_window_logs_the_days_chosen_up_to_its_span(qtbot, db, monkeypatch):
    cid = _onsite_client(db)
    night = plan.add_event(db, cid, EventInput("onsite_day", datetime(2025, 5, 14, 20, 0), "Europe/Moscow", 720),
                           on=date(2025, 5, 1))[0]  # 20:00 to 08:00: two calendar days
    week, stack, _window = _week(qtbot, db, cid)
    seen = {}

    def run(dialog):
        seen["max"], seen["visible"] = dialog.days.maximum(), dialog.days.isVisibleTo(dialog)
        seen["minutes"] = dialog.minutes.isVisibleTo(dialog)
        seen["warning"] = dialog.before_contract.isVisibleTo(dialog)
        dialog.days.setValue(5)  # more than the event spans: held at its two days
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CompleteEventDialog, "exec", run)
    week.complete_event(night)
    assert seen == {"max": 2.0, "visible": True, "minutes": False, "warning": False}
    assert [(e.kind, e.days, e.on_date) for e in list_entries(db, cid).rows] == [
        ("onsite_day", Decimal("2.00"), date(2025, 5, 14))]
    stack.undo()
    assert list_entries(db, cid).rows == () and plan_read.get_event(db, night).status == "planned"


def test_the_dialog_offers_half_a_day_and_one_day_at_most_for_a_one_day_visit(qtbot):
    row = plan_rows.EventRow(7, "u", 1, "ООО «Лютик»", "", "onsite_day", datetime(2025, 5, 13, 6, 0), "Europe/Moscow",
                        datetime(2025, 5, 13, 9, 0), 480, "", (), (), "", "", "planned", None, None, None)
    got = []
    dialog = CompleteEventDialog(row, got.append)
    qtbot.addWidget(dialog)
    assert (dialog.days.value(), dialog.days.maximum()) == (1.0, 1.0)
    assert dialog.days_hint.text().startswith("не больше 1 дня — столько календарных дней занимает событие")
    dialog.days.setValue(0.5)
    assert dialog.days.text() == "0,5 дн." or dialog.days.text() == "0.5 дн."  # the locale's decimal point
    dialog.accept()
    assert got[-1].days == Decimal("0.5") and got[-1].actual_min is None
    dialog.log_work.setChecked(False)  # nothing logged: no days
    assert not dialog.days.isEnabled() and dialog.choice().days is None


def test_work_before_the_contract_is_said_in_the_dialog_and_taken(qtbot, db, monkeypatch):
    cid = _onsite_client(db)
    visit = plan.add_event(db, cid, EventInput("onsite_day", datetime(2025, 3, 10, 9, 0), "Asia/Yekaterinburg", 480),
                           on=date(2025, 3, 1))[0]
    call = plan.add_event(db, cid, EventInput("call", datetime(2025, 4, 1, 10, 0), "Europe/Moscow", 30),
                          on=date(2025, 3, 1))[0]  # the contract's own day: not before it
    week, _stack, _window = _week(qtbot, db, cid)
    said = []

    def run(dialog):
        said.append(dialog.before_contract.text() if dialog.before_contract.isVisibleTo(dialog) else "")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CompleteEventDialog, "exec", run)
    week.complete_event(visit)
    week.complete_event(call)
    assert said == [f"Обратите внимание: событие № {visit} проведено 10.03.2025 — раньше договора от 01.04.2025.", ""]
    assert plan_read.get_event(db, visit).status == "done" and plan_read.get_event(db, call).status == "done"
    assert [(e.kind, e.days) for e in list_entries(db, cid).rows if e.kind == "onsite_day"] == [
        ("onsite_day", Decimal("1.00"))]


def test_the_command_line_and_the_window_bound_the_days_alike(db):
    """The bound both use (``event_days``), of a listed row as of a stored event: across midnight in the event's own
    zone (20:00 to 08:00 in Vladivostok), not this computer's."""
    from app.persistence.models import PlannedEvent

    cid = _onsite_client(db)
    ids = [plan.add_event(db, cid, EventInput("onsite_day", start, "Asia/Vladivostok", minutes), on=date(2025, 5, 1))[0]
           for start, minutes in ((datetime(2025, 5, 14, 20, 0), 720), (datetime(2025, 5, 15, 9, 0), 480))]
    with db.read() as s:
        stored = [plan_rows.event_days(s.get(PlannedEvent, i)) for i in ids]
    assert stored == [plan_rows.event_days(plan_read.get_event(db, i)) for i in ids] == [2, 1]


def test_the_work_log_says_an_entry_before_the_contract(qtbot, db):
    """The same fault beside it: an entry typed in the window's work log before the contract was taken silently
    (`log add` says it)."""
    from PySide6.QtCore import QDate

    from app.services.worklog import EntryInput
    from ui.views.worklog import WorkLogView

    cid = _onsite_client(db)
    view = WorkLogView(db)
    qtbot.addWidget(view)
    view.today = lambda: date(2025, 5, 20)
    view.set_client(cid)
    view.entry_kind.setCurrentIndex(view.entry_kind.findData("conference"))
    view.entry_date.setDate(QDate(2025, 3, 31))
    view.entry_value.setText("60")
    first = view.add_from_inputs()
    assert first is not None
    assert view.message_label.text().endswith(
        f"Обратите внимание: запись № {first} датирована 31.03.2025 — раньше договора от 01.04.2025."), \
        view.message_label.text()
    view.entry_date.setDate(QDate(2025, 4, 1))  # the contract's own day
    view.entry_value.setText("60")
    assert view.add_from_inputs() is not None
    assert "раньше договора" not in view.message_label.text()
    assert view.edit_entry(first, EntryInput(date(2025, 3, 30), "conference", minutes=45))  # edited: said again
    assert "датирована 30.03.2025 — раньше договора от 01.04.2025" in view.message_label.text()


def test_closing_a_question_says_time_logged_before_the_contract(qtbot, db, monkeypatch):
    from app.services.questions import QuestionInput, add_question, list_questions
    from ui.dialogs.questions.close_dialog import CloseQuestionDialog

    cid = _onsite_client(db)
    qid = add_question(db, cid, QuestionInput(date(2025, 3, 20), "phone", "Где склад?"))[0]
    week, _stack, _window = _week(qtbot, db, cid)
    week.show_client(cid)
    seen = []

    def run(dialog):
        dialog.answer.setPlainText("Там")
        dialog.on.setDate(dialog.on.date().fromString("20.03.2025", "dd.MM.yyyy"))
        seen.append(dialog.before_contract.isVisibleTo(dialog))  # no time typed: nothing logged, nothing said
        dialog.minutes.setText("15")
        seen.append(dialog.before_contract.text() if dialog.before_contract.isVisibleTo(dialog) else "")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CloseQuestionDialog, "exec", run)
    week.close_question(qid)
    assert seen == [False, "Работа датирована 20.03.2025 — раньше договора от 01.04.2025."]
    assert [q.status for q in list_questions(db, cid)] == ["solved"]  # taken, not refused
