"""A date typed in a date field is the date kept (tester K, item 9): «29.02.2028 23:30» typed over 06.12.2026 in the
event dialog became 06.02.2028 23:30 — Qt's sectioned editor dropped day 29 while the year still said 2026 — and Enter
saved it; «31.12.2026» over 01.04.2026 became 01.12.2026. A date that does not exist (31.04.2027, 29.02.2027) is
refused with the reason, never saved as another date. Every form kind of the app is typed here as a user types:
Ctrl+A, then the keys."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from app.services import templates, worklog, worklog_read

CTRL = Qt.KeyboardModifier.ControlModifier


def type_over(qtbot, field: QWidget, text: str) -> None:
    """Select the whole field (Ctrl+A) and type ``text``."""
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(field, text)


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def utc(*args: int) -> QDateTime:
    return QDateTime(QDate(*args[:3]), QTime(*args[3:]), QTimeZone(QTimeZone.Initialization.UTC))


# ------------------------------------------------------------------ the event dialog (date and time)

def event_dialog(qtbot, saved: list):
    from ui.dialogs.plan.event_dialog import EventDialog

    dialog = EventDialog([(1, "ООО «Ромашка»")], [], lambda _cid: [], lambda cid, data: saved.append(data),
                         client_id=1, start=datetime(2026, 12, 6, 10, 0), zone_of=lambda _cid: "Europe/Moscow")
    return shown(qtbot, dialog)


def test_the_event_start_keeps_29_february_typed_over_december_and_enter_saves_it(qtbot):
    saved: list = []
    dialog = event_dialog(qtbot, saved)
    type_over(qtbot, dialog.start, "29.02.2028 23:30")
    qtbot.keyClick(dialog.start, Qt.Key.Key_Return)  # Enter saves, as the tester did
    assert [data.start for data in saved] == [datetime(2028, 2, 29, 23, 30)]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_event_start_keeps_31_december_typed_over_april(qtbot):
    saved: list = []
    dialog = event_dialog(qtbot, saved)
    dialog.start.setDateTime(utc(2026, 4, 1, 9, 0))
    type_over(qtbot, dialog.start, "31.12.2026 18:45")
    dialog.accept()
    assert [data.start for data in saved] == [datetime(2026, 12, 31, 18, 45)]


def test_an_event_start_that_does_not_exist_is_refused_with_the_reason_and_nothing_saved(qtbot):
    saved: list = []
    dialog = event_dialog(qtbot, saved)
    type_over(qtbot, dialog.start, "31.04.2027 10:00")
    qtbot.keyClick(dialog.start, Qt.Key.Key_Return)
    assert saved == [] and dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    said = dialog.error.text()
    assert said == "Начало: даты 31.04.2027 нет: в этом месяце дни с 01 по 30."
    assert dialog.start.text() == "31.04.2027 10:00"  # the text typed stays, to be corrected
    type_over(qtbot, dialog.start, "29.02.2027 10:00")  # not a leap year either
    dialog.accept()
    assert saved == [] and "даты 29.02.2027 нет" in dialog.error.text() and "с 01 по 28" in dialog.error.text()
    type_over(qtbot, dialog.start, "28.02.2027 10:00")
    dialog.accept()
    assert [data.start for data in saved] == [datetime(2027, 2, 28, 10, 0)]


# ------------------------------------------------------------------ documents: the period and the month's acts

def period_dialog(qtbot):
    from ui.dialogs.documents.period import PeriodDialog

    return shown(qtbot, PeriodDialog(None, "Акт оказанных услуг", on=date(2027, 1, 6)))


def test_the_period_dialog_keeps_the_dates_typed(qtbot):
    dialog = period_dialog(qtbot)
    dialog.from_edit.setDate(QDate(2026, 4, 1))
    dialog.to_edit.setDate(QDate(2026, 12, 6))
    type_over(qtbot, dialog.to_edit, "29.02.2028")
    type_over(qtbot, dialog.from_edit, "31.12.2026")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.period() == (date(2026, 12, 31), date(2028, 2, 29))


def test_the_period_dialog_refuses_a_date_that_does_not_exist(qtbot):
    dialog = period_dialog(qtbot)
    type_over(qtbot, dialog.to_edit, "31.04.2027")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.error_label.text() == "По: даты 31.04.2027 нет: в этом месяце дни с 01 по 30."
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    type_over(qtbot, dialog.to_edit, "30.04.2027")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.period() == (date(2026, 12, 1), date(2027, 4, 30))


def test_the_month_acts_dialog_keeps_the_month_and_the_date_typed(qtbot, tmp_path):
    from ui.dialogs.documents.batch import MonthActsDialog

    dialog = shown(qtbot, MonthActsDialog(None, today=date(2026, 12, 6), folder=str(tmp_path)))
    type_over(qtbot, dialog.month, "02.2028")
    type_over(qtbot, dialog.on, "29.02.2028")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == ("2028-02", tmp_path, date(2028, 2, 29))


def test_the_month_acts_dialog_refuses_a_date_of_the_acts_that_does_not_exist(qtbot, tmp_path):
    from ui.dialogs.documents.batch import MonthActsDialog

    dialog = shown(qtbot, MonthActsDialog(None, today=date(2026, 12, 6), folder=str(tmp_path)))
    type_over(qtbot, dialog.on, "31.04.2027")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "даты 31.04.2027 нет" in dialog.error.text()
    type_over(qtbot, dialog.month, "13.2027")
    assert "Месяца 13 нет" in dialog.month.toolTip()


def test_the_returned_copy_date_refuses_a_missing_day_and_a_day_after_today(qtbot):
    from ui.dialogs.documents.register import ReturnedDateDialog

    today = date.today()
    dialog = shown(qtbot, ReturnedDateDialog("АУ-1/2026", today - timedelta(days=800)))
    year = today.year - 1
    type_over(qtbot, dialog.date_edit, f"31.04.{year}")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and f"даты 31.04.{year} нет" in dialog.error.text()
    tomorrow = today + timedelta(days=1)
    type_over(qtbot, dialog.date_edit, tomorrow.strftime("%d.%m.%Y"))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and "не может быть позже" in dialog.error.text()
    type_over(qtbot, dialog.date_edit, f"30.04.{year}")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.value() == date(year, 4, 30)


# ------------------------------------------------------------------ questions

def question_row(asked_on: date):
    from app.services.questions import QuestionRow

    return QuestionRow(id=1, client_id=1, client_name="ООО «Ромашка»", asked_on=asked_on, channel="phone",
                       employee_uuid="", employee_name="", question="Как провести инвентаризацию?", answer="",
                       status="open", minutes=None, entry_id=None)


def test_the_question_dialog_keeps_the_date_typed_and_refuses_one_that_does_not_exist(qtbot):
    from ui.dialogs.questions.question_dialog import QuestionDialog

    saved: list = []
    dialog = shown(qtbot, QuestionDialog("ООО «Ромашка»", [], saved.append, today=date(2026, 12, 6)))
    dialog.text.setPlainText("Как провести инвентаризацию?")
    type_over(qtbot, dialog.asked_on, "31.04.2027")
    dialog.accept()
    assert saved == [] and "Дата: даты 31.04.2027 нет" in dialog.error.text()
    type_over(qtbot, dialog.asked_on, "29.02.2028")
    dialog.accept()
    assert [data.asked_on for data in saved] == [date(2028, 2, 29)]


def test_the_close_question_dialog_keeps_the_date_of_the_work_typed(qtbot):
    from ui.dialogs.questions.close_dialog import CloseQuestionDialog

    saved: list = []
    dialog = shown(qtbot, CloseQuestionDialog(question_row(date(2026, 3, 1)), saved.append, today=date(2026, 4, 1)))
    type_over(qtbot, dialog.on, "31.04.2026")
    dialog.accept()
    assert saved == [] and "даты 31.04.2026 нет" in dialog.error.text()
    type_over(qtbot, dialog.on, "31.12.2026")
    dialog.accept()
    assert [choice.on for choice in saved] == [date(2026, 12, 31)]


# ------------------------------------------------------------------ rates, the work log and its entry dialog

def test_a_rate_holds_from_the_date_typed_and_a_missing_date_adds_nothing(qtbot, db):
    from ui.dialogs.templates.rates_page import RatesPage

    page = shown(qtbot, RatesPage(db, today=date(2026, 12, 6)))
    before = len(templates.rates(db))
    type_over(qtbot, page.valid_from, "31.04.2027")
    page.rate.setText("1800")
    page.add_rate()
    assert len(templates.rates(db)) == before and "даты 31.04.2027 нет" in page.error.text()
    type_over(qtbot, page.valid_from, "29.02.2028")
    page.rate.setText("1800")
    page.add_rate()
    assert (date(2028, 2, 29), Decimal("1800.00")) in {(r.valid_from, r.rate) for r in templates.rates(db)}


def test_the_work_log_quick_entry_keeps_the_date_typed_and_refuses_a_missing_one(qtbot, db, client_id):
    from ui.views.worklog import WorkLogView

    view = shown(qtbot, WorkLogView(db))
    view.today = lambda: date(2026, 12, 6)
    view.set_client(client_id)
    view.entry_date.setDate(QDate(2026, 12, 6))
    type_over(qtbot, view.entry_date, "31.04.2027")
    qtbot.keyClicks(view.entry_value, "1:00")
    qtbot.keyClick(view.entry_value, Qt.Key.Key_Return)
    assert not worklog_read.list_entries(db, client_id).rows
    assert "даты 31.04.2027 нет" in view.message_label.text()
    type_over(qtbot, view.entry_date, "29.02.2024")  # the log takes no day more than a year ahead
    qtbot.keyClick(view.entry_value, Qt.Key.Key_Return)
    assert [row.on_date for row in worklog_read.list_entries(db, client_id).rows] == [date(2024, 2, 29)]


def test_the_entry_dialog_keeps_the_date_typed(qtbot, db, client_id):
    from app.services.worklog import EntryInput
    from ui.dialogs.worklog.entry import EntryDialog

    entry_id, _changes = worklog.add_entry(db, client_id, EntryInput(date(2026, 4, 1), "conference", minutes=60))
    dialog = shown(qtbot, EntryDialog(worklog_read.get_entry(db, entry_id)))
    type_over(qtbot, dialog.date_edit, "31.04.2026")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result_input is None and "даты 31.04.2026 нет" in dialog.error_label.text()
    type_over(qtbot, dialog.date_edit, "31.12.2026")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result_input is not None and dialog.result_input.on_date == date(2026, 12, 31)


def test_the_calculator_date_is_the_one_typed(qtbot, db):
    from ui.views.calculator import CostCalculator

    calc = shown(qtbot, CostCalculator(db))
    calc.tariff_date.setDate(QDate(2026, 12, 6))
    type_over(qtbot, calc.tariff_date, "29.02.2028")
    qtbot.keyClick(calc.tariff_date, Qt.Key.Key_Return)
    assert calc.on_date() == date(2028, 2, 29)


def test_esc_in_a_form_dialog_still_asks_before_losing_a_typed_date(qtbot, monkeypatch):
    from ui.dialogs import keyboard

    asked: list = []
    monkeypatch.setattr(keyboard, "confirm_discard", lambda dialog: bool(asked.append(dialog)))
    dialog = event_dialog(qtbot, [])
    type_over(qtbot, dialog.start, "31.04.2027 10:00")
    qtbot.keyClick(dialog.start, Qt.Key.Key_Escape)
    assert asked == [dialog] and dialog.isVisible()  # «continue editing» chosen


# ------------------------------------------------------------------ a year erased to two digits

def erase_year_to_two_digits(qtbot, field: QWidget) -> None:
    """Backspace twice at the end of the year: «06.12.2026» → «06.12.20__» (a date-time keeps its time)."""
    field.setFocus()
    field.lineEdit().setCursorPosition(10)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert field.lineEdit().displayText().startswith("06.12.20__")


NOT_IN_FULL = "год введён не полностью (20__): введите год четырьмя цифрами, например"


def test_the_event_start_with_its_year_erased_to_two_digits_is_refused_not_saved_in_2020(qtbot):
    """It was saved on 06.12.2020 (Enter or OK), the text shown as the date kept."""
    saved: list = []
    dialog = event_dialog(qtbot, saved)
    erase_year_to_two_digits(qtbot, dialog.start)
    qtbot.keyClick(dialog.start, Qt.Key.Key_Return)
    assert saved == [] and dialog.isVisible() and dialog.error.text().startswith(f"Начало: {NOT_IN_FULL}")
    dialog.accept()
    assert saved == [] and dialog.start.text() == "06.12.20__ 10:00"
    dialog.start.select_section(2)
    qtbot.keyClicks(dialog.start, "2027")
    dialog.accept()
    assert [data.start for data in saved] == [datetime(2027, 12, 6, 10, 0)]


def test_the_work_log_date_with_its_year_erased_to_two_digits_adds_nothing(qtbot, db, client_id):
    from app.services.worklog import EntryInput
    from ui.dialogs.worklog.entry import EntryDialog
    from ui.views.worklog import WorkLogView

    view = shown(qtbot, WorkLogView(db))
    view.today = lambda: date(2026, 12, 6)
    view.set_client(client_id)
    view.entry_date.setDate(QDate(2026, 12, 6))
    erase_year_to_two_digits(qtbot, view.entry_date)
    qtbot.keyClicks(view.entry_value, "1:00")
    qtbot.keyClick(view.entry_value, Qt.Key.Key_Return)
    assert not worklog_read.list_entries(db, client_id).rows and NOT_IN_FULL in view.message_label.text()
    entry_id, _changes = worklog.add_entry(db, client_id, EntryInput(date(2026, 12, 6), "conference", minutes=60))
    dialog = shown(qtbot, EntryDialog(worklog_read.get_entry(db, entry_id)))
    erase_year_to_two_digits(qtbot, dialog.date_edit)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result_input is None and NOT_IN_FULL in dialog.error_label.text()
