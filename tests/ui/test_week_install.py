"""install_week_views on a plain main window: docks, menu, refresh by Changes, undo, exports."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from openpyxl import load_workbook
from PySide6.QtWidgets import QDockWidget, QMainWindow

from app.services import plan, plan_read, questions
from app.services.changes import Changes
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.event_input import EventInput
from app.services.questions import QuestionInput
from ui.ops import Ops
from ui.views.week import install_week_views


def _world(db):
    a = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                   employees=[PersonInput("Иванов И. И.")]))
    yesterday = datetime.now() - timedelta(days=1)
    overdue = plan.add_event(db, a, EventInput("conference", yesterday.replace(hour=10, minute=0), "Europe/Moscow",
                                               60))[0]
    questions.add_question(db, a, QuestionInput(date.today(), "phone", "Как закрыть месяц?"))
    return a, overdue


def test_install_adds_docks_and_menu_and_refreshes_by_changes(qtbot, db, tmp_path):
    a, overdue = _world(db)
    window = QMainWindow()
    qtbot.addWidget(window)
    opened, announced = [], []
    ops = Ops(db, window)
    ops.changed.connect(lambda changes, _initiator: announced.append(changes))
    stack = ops.undo_stack
    week = install_week_views(window, db, ops=ops, open_client=opened.append,
                              current_client=lambda: a, visible_client_ids=lambda: [a])
    assert window.statusBar().currentMessage().startswith("Требует внимания: Просроченное событие: 1")
    docks = {d.objectName() for d in window.findChildren(QDockWidget)}
    assert docks == {"agendaDock", "attentionDock"}
    assert any(action.text() == "&Неделя" for action in window.menuBar().actions())
    assert [week.agenda.model.event_at(r).id for r in range(week.agenda.model.rowCount())
            if week.agenda.model.event_at(r)] == [overdue]
    kinds = [week.attention.model.row_at(r).kind for r in range(week.attention.model.rowCount())]
    assert "event_overdue" in kinds
    # one click on a reminder opens its client
    week.attention.table.clicked.emit(week.attention.model.index(0, 1))
    assert opened == [a]
    # cancelling goes through the service, announces Changes and can be undone
    week.cancel_event(overdue, reason="перенесли")
    assert announced[-1].plan and week.agenda.model.rowCount() == 0
    assert "event_overdue" not in [week.attention.model.row_at(r).kind
                                   for r in range(week.attention.model.rowCount())]
    stack.undo()
    assert plan_read.get_event(db, overdue).status == "planned" and week.agenda.model.rowCount() == 2
    stack.redo()
    assert plan_read.get_event(db, overdue).status == "cancelled"
    # the questions log follows the current client and refreshes on its changes only
    week.show_client(a)
    assert week.questions.model.rowCount() == 1
    _qid, changes = questions.add_question(db, a, QuestionInput(date.today(), "skype", "Ещё вопрос"))
    week.on_changes(Changes(clients=True))
    assert week.questions.model.rowCount() == 1
    week.on_changes(changes)
    assert week.questions.model.rowCount() == 2
    # exports write real files
    for what in ("clients", "worklog", "register", "plan"):
        target = week.export(what, str(tmp_path / what))
        assert target is not None and target.suffix == ".xlsx"
        assert load_workbook(target).active["A1"].value
    calendar = week.export("ics", str(tmp_path / "plan.ics"))
    assert calendar is not None and b"BEGIN:VCALENDAR" in calendar.read_bytes()
    assert "Просроченное событие" not in week.notify_on_start()


def test_editing_an_event_and_a_question_through_dialogs_is_undoable(qtbot, db, monkeypatch):
    from ui.dialogs.plan.event_dialog import EventDialog
    from ui.dialogs.questions.question_dialog import QuestionDialog

    a, overdue = _world(db)
    window = QMainWindow()
    qtbot.addWidget(window)
    ops = Ops(db, window)
    stack = ops.undo_stack
    week = install_week_views(window, db, ops=ops, open_client=lambda _id: None,
                              current_client=lambda: a, notify=False)

    def run_event_dialog(dialog):
        assert dialog.zone.currentText() == "Europe/Moscow" and dialog.people.checked() == []
        dialog.duration.setValue(45)
        dialog.section.setText("Склад")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(EventDialog, "exec", run_event_dialog)
    week.edit_event(overdue)
    assert (plan_read.get_event(db, overdue).duration_min, plan_read.get_event(db, overdue).section) == (45, "Склад")
    stack.undo()
    assert (plan_read.get_event(db, overdue).duration_min, plan_read.get_event(db, overdue).section) == (60, "")
    stack.redo()
    assert plan_read.get_event(db, overdue).duration_min == 45

    week.show_client(a)
    question_id = week.questions.model.index(0, 0).data(week.questions.model.QuestionIdRole)

    def run_question_dialog(dialog):
        dialog.text.setPlainText("Как закрыть квартал?")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(QuestionDialog, "exec", run_question_dialog)
    week.edit_question(question_id)
    assert week.questions.model.index(0, 3).data() == "Как закрыть квартал?"
    stack.undo()
    assert week.questions.model.index(0, 3).data() == "Как закрыть месяц?"


def test_settings_pages_edit_through_the_services(qtbot, db):
    from app.services import reminders, templates
    from ui.dialogs.templates.checklist_page import ChecklistTemplatePage
    from ui.dialogs.templates.rates_page import RatesPage
    from ui.dialogs.templates.reminders_page import RemindersPage

    seen = []
    page = ChecklistTemplatePage(db)
    qtbot.addWidget(page)
    page.changed.connect(seen.append)
    page.stage.setCurrentIndex(page.stage.findData(2))
    page.add_item("Внесены остатки по кассе")
    assert seen[-1].checklist and page.model.rowCount() == 6
    page.table.selectRow(5)
    page.move_item(-1)
    added = [t.code for t in templates.checklist_template(db) if t.stage == 2][4]
    assert added.startswith("s2.custom_")
    page.table.selectRow(4)
    page.rename_item("  ")
    assert not page.error.isHidden() and "обязательно" in page.error.text()
    page.delete_item(confirm=False)  # the added item now sits at row 4: added and never ticked
    assert added not in [t.code for t in templates.checklist_template(db)] and page.model.rowCount() == 5
    page.table.selectRow(0)
    page.delete_item(confirm=False)  # an item of the process: refused on the error line
    assert page.model.rowCount() == 5 and "часть процесса" in page.error.text()

    rates = RatesPage(db)
    qtbot.addWidget(rates)
    rates.changed.connect(seen.append)
    before = rates.model.rowCount()
    rates.rate.setText("1 800,00")
    rates.add_rate()
    assert rates.model.rowCount() == before + 1 and seen[-1].estimates
    rates.rate.setText("-5")
    rates.add_rate()
    assert not rates.error.isHidden() and rates.model.rowCount() == before + 1

    settings = RemindersPage(db)
    qtbot.addWidget(settings)
    settings.days.setValue(30)
    settings.save()
    assert reminders.unreturned_days(db) == 30
