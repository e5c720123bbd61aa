"""Неделя → План… (tester K #4): the agenda shows overdue, today and six days, so an event planned further on could not
be seen, changed or cancelled in the window. The «План» window lists a period (default: today and three months on),
the overdue events first, with the agenda's actions and keys; its writes land on the window's one undo stack."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow

from app.services import plan, plan_read
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.event_input import EventInput
from tests.ui.test_week_views import event as plain_event
from ui.models.agenda import AgendaModel
from ui.ops import Ops
from ui.views.week import install_week_views

MOSCOW = ZoneInfo("Europe/Moscow")


def _world(db):
    a = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                   employees=[PersonInput("Иванов И. И.")]))
    b = add_client(db, ClientInput(name="АО «Заря»", inn="7728168971", approach="remote"))
    far = (datetime.now() + timedelta(days=85)).replace(hour=10, minute=0, second=0, microsecond=0)
    later = plan.add_event(db, a, EventInput("conference", far, "Europe/Moscow", 60, section="Склад",
                                             participants=("Иванов И. И.",)))[0]
    overdue = plan.add_event(db, b, EventInput("call", datetime.now() - timedelta(days=40), "Europe/Moscow", 30))[0]
    beyond = plan.add_event(db, b, EventInput("call", far + timedelta(days=30), "Europe/Moscow", 30))[0]
    return a, b, later, overdue, beyond


def _week(qtbot, db, tmp_path):
    window = QMainWindow()
    qtbot.addWidget(window)
    ops = Ops(db, window)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    week = install_week_views(window, db, ops=ops, open_client=lambda _id: None, current_client=lambda: None,
                              notify=False, settings=settings)
    return window, ops, week, settings


def _focus(shown) -> None:
    """The keys go to the «План» list (an earlier test's window may hold the focus)."""
    from PySide6.QtWidgets import QApplication

    shown.activateWindow()
    shown.view.table.setFocus()
    QApplication.processEvents()
    assert QApplication.focusWidget() is shown.view.table


def _listed(view) -> list[int]:
    model = view.model
    return [model.event_at(r).id for r in range(model.rowCount()) if model.event_at(r) is not None]


def test_the_plan_window_lists_three_months_and_changes_an_event_there(qtbot, db, tmp_path, monkeypatch):
    from ui.dialogs.plan.event_dialog import EventDialog

    a, _b, later, overdue, beyond = _world(db)
    _window, ops, week, _settings = _week(qtbot, db, tmp_path)
    assert later not in _listed(week.agenda)  # the agenda: seven days only
    menu = next(m.menu() for m in _window.menuBar().actions() if m.menu() and m.menu().objectName() == "weekMenu")
    opener = next(action for action in menu.actions() if action.text().replace("&", "") == "План…")
    opener.trigger()
    shown = week.plan_window
    assert shown is not None and shown.isVisible() and shown.windowTitle() == "План"
    assert _listed(shown.view) == [overdue, later]  # the overdue one first; one past three months not listed
    assert shown.view.model.index(0, 0).data() == "Просрочено (1)"
    assert "в периоде: 1" in shown.view.summary.text()
    shown.set_period(date.today(), date.today() + timedelta(days=200))
    assert _listed(shown.view) == [overdue, later, beyond]
    shown.client.setCurrentIndex(shown.client.findData(a))
    assert _listed(shown.view) == [later]

    moved = plan_read.get_event(db, later).start_local + timedelta(days=1, hours=2)

    def run_event_dialog(dialog):
        assert dialog.parent() is shown  # over the «План» window, not behind it
        assert dialog.people.checked() == [plan_read.get_event(db, later).participants[0].uuid]
        dialog.start.setDateTime(dialog.start.dateTime().addDays(1).addSecs(2 * 3600))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(EventDialog, "exec", run_event_dialog)
    assert shown.view.select_event(later)
    _focus(shown)
    qtbot.keyClick(shown.view.table, Qt.Key.Key_Return)  # Enter changes the event
    after = plan_read.get_event(db, later)
    assert after.start_local == moved and after.uuid == plan_read.get_event(db, later).uuid
    assert [p.name for p in after.participants] == ["Иванов И. И."]
    assert shown.isVisible() and _listed(shown.view) == [later]  # re-read, the row still selected
    assert shown.view.selected_event_id() == later
    assert f"{moved:%d.%m.%Y}" in shown.view.model.index(1, AgendaModel.COL_WHEN).data()  # with the year
    ops.undo_stack.undo()  # the window's one undo history
    assert plan_read.get_event(db, later).start_local == moved - timedelta(days=1, hours=2)


def test_delete_in_the_plan_window_cancels_after_asking(qtbot, db, tmp_path, monkeypatch):
    from ui.dialogs.reason import ReasonDialog

    _a, _b, later, _overdue, _beyond = _world(db)
    _window, ops, week, _settings = _week(qtbot, db, tmp_path)
    shown = week.open_plan()
    asked = []

    def ask(dialog):
        asked.append((dialog.parentWidget(), dialog.windowTitle()))
        if len(asked) > 1:  # the first time: «Отмена»
            dialog.text.setPlainText("перенесли")
            dialog.submit()
        return dialog.result()

    monkeypatch.setattr(ReasonDialog, "exec", ask)
    assert shown.view.select_event(later)
    _focus(shown)
    qtbot.keyClick(shown.view.table, Qt.Key.Key_Delete)
    assert asked == [(shown, "Отменить событие")] and plan_read.get_event(db, later).status == "planned"
    qtbot.keyClick(shown.view.table, Qt.Key.Key_Delete)
    assert plan_read.get_event(db, later).status == "cancelled"
    assert later not in _listed(shown.view)
    ops.undo_stack.undo()
    assert plan_read.get_event(db, later).status == "planned" and later in _listed(shown.view)


def test_a_period_ending_before_it_starts_is_said_and_the_rows_stay(qtbot, db, tmp_path):
    _a, _b, later, overdue, _beyond = _world(db)
    _window, _ops, week, _settings = _week(qtbot, db, tmp_path)
    shown = week.open_plan()
    shown.set_period(date.today(), date.today() - timedelta(days=1))
    assert "поменяйте даты местами" in shown.error.text(), shown.error.text()
    assert _listed(shown.view) == [overdue, later]


def test_the_plan_window_keeps_its_size_and_column_widths(qtbot, db, tmp_path):
    _world(db)
    _window, _ops, week, settings = _week(qtbot, db, tmp_path)
    shown = week.open_plan()
    shown.resize(760, 450)
    shown.view.table.setColumnWidth(AgendaModel.COL_CLIENT, 133)
    shown.close()
    again = QMainWindow()
    qtbot.addWidget(again)
    week2 = install_week_views(again, db, ops=Ops(db, again), open_client=lambda _id: None,
                               current_client=lambda: None, notify=False, settings=settings)
    reopened = week2.open_plan()
    assert reopened.view.table.columnWidth(AgendaModel.COL_CLIENT) == 133
    assert (reopened.width(), reopened.height()) == (760, 450)


def test_period_lines_group_by_month_with_the_year(qtmodeltester):
    from app.services.plan_rows import PlanPeriod
    from ui.models.agenda import period_lines

    today = date(2026, 3, 10)
    overdue = plain_event(1, 10, datetime(2026, 3, 9, 7), "Europe/Moscow", datetime(2026, 3, 9, 10))
    march = plain_event(2, 10, datetime(2026, 3, 20, 7), "Europe/Moscow", datetime(2026, 3, 20, 10))
    leap = plain_event(3, 11, datetime(2028, 2, 29, 7), "Europe/Moscow", datetime(2028, 2, 29, 10), name="АО «Заря»")
    period = PlanPeriod(today, today, date(2028, 3, 1), (overdue,), (march, leap), 0)
    assert [(line.section, line.title, line.event.id if line.event else line.count)
            for line in period_lines(period, MOSCOW)] == [
        ("overdue", "", 1), ("overdue", "", 1), ("month", "Март 2026", 1), ("month", "", 2),
        ("month", "Февраль 2028", 1), ("month", "", 3)]
    model = AgendaModel(viewer=MOSCOW)
    model.set_period(period)
    qtmodeltester.check(model)
    assert model.index(4, 0).data() == "Февраль 2028 (1)"
    assert model.index(5, AgendaModel.COL_WHEN).data() == "Вт 29.02.2028 10:00–11:00"
    assert model.index(5, AgendaModel.COL_CLIENT).data() == "АО «Заря»"


def test_a_refused_from_or_to_date_is_said_under_the_list(qtbot, db, tmp_path):
    """31.02.2027 typed in «По»: said as in every form, not only a red frame over the old period's rows (tester P,
    item 7); the sentence goes once the date is good, and a client chosen meanwhile does not hide it."""
    _a, b, later, overdue, _beyond = _world(db)
    _window, _ops, week, _settings = _week(qtbot, db, tmp_path)
    shown = week.open_plan()
    field = shown.date_to
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "31022027")
    assert shown.error.text() == "Период по: даты 31.02.2027 нет: в этом месяце дни с 01 по 28."
    assert _listed(shown.view) == [overdue, later]
    shown.client.setCurrentIndex(shown.client.findData(b))
    assert shown.error.text().startswith("Период по: даты 31.02.2027 нет")
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "28022027")
    assert shown.error.text() == "" and _listed(shown.view) == [overdue]


def test_overdue_within_a_period_started_in_the_past_is_counted_overdue(qtbot, db, tmp_path):
    """With «С» a year back the overdue event was red but the summary said «просрочено: 0» (tester P, item 9a)."""
    _a, _b, later, overdue, _beyond = _world(db)
    _window, _ops, week, _settings = _week(qtbot, db, tmp_path)
    shown = week.open_plan()
    shown.set_period(date.today() - timedelta(days=365), date.today() + timedelta(days=92))
    assert _listed(shown.view) == [overdue, later]
    assert shown.view.model.index(0, 0).data() == "Просрочено (1)"
    assert "просрочено: 1 · в периоде: 1" in shown.view.summary.text()


def test_an_event_moved_out_of_the_period_is_said_not_silently_dropped(qtbot, db, tmp_path, monkeypatch):
    """Changed to a day after «По», the event left the window without a word (tester P, item 9b)."""
    from ui.dialogs.plan.event_dialog import EventDialog

    _a, _b, later, overdue, _beyond = _world(db)
    _window, _ops, week, _settings = _week(qtbot, db, tmp_path)
    shown = week.open_plan()

    def move_far(dialog):
        dialog.start.setDateTime(dialog.start.dateTime().addDays(20))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(EventDialog, "exec", move_far)
    assert shown.view.select_event(later)
    _focus(shown)
    qtbot.keyClick(shown.view.table, Qt.Key.Key_Return)
    day = plan_read.get_event(db, later).start_local.date()
    assert _listed(shown.view) == [overdue]
    assert shown.error.text().startswith(f"Событие теперь на {day:%d.%m.%Y}, вне периода"), shown.error.text()
    assert "Расширьте период" in shown.error.text()
