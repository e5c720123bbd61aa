"""The window's dates read alike (tester R, items 2, 3, 7): a date field takes the digits of every script
(«０２.１２.２０２６» was «введите дату полностью» while the minutes beside it took «１２０»); the card's «Дата договора»
and the power of attorney's date — plain text fields — take what the date fields take («1.4.26» and «01/04/2026»
were «неверная дата»); a date pasted with its month named («1 апреля 2026») is that date, and a text that is no date
is refused as such, not poured into the sections («12.02.6», «Год введён не полностью»)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def field(qtbot):
    from ui.dialogs.date_field import DateField

    widget = DateField(QDate(2026, 12, 6))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _cleared(field) -> None:
    field.setFocus()
    field.lineEdit().selectAll()
    QApplication.sendEvent(field.lineEdit(), QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Delete,
                                                       Qt.KeyboardModifier.NoModifier))


def _keys(widget, text: str) -> None:
    """Each character as a key whose text it is (an input method's full-width «２» has no key code of its own)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


@pytest.mark.parametrize(("typed", "meant"), [("０２.１２.２０２６", QDate(2026, 12, 2)), ("１.４.２６", QDate(2026, 4, 1)),
                                              ("２０２６-０４-０１", QDate(2026, 4, 1)),
                                              ("٠٣.٠٤.٢٠٢٦", QDate(2026, 4, 3))])
def test_a_date_typed_in_full_width_digits_is_that_date(field, typed, meant):
    for target in (field.lineEdit(), field):  # the keys reach the line edit (its filter) or the field itself
        _cleared(field)
        _keys(target, typed)
        field.interpretText()
        assert (typed, field.text(), field.date(), field.problem()) == (typed, meant.toString("dd.MM.yyyy"), meant, "")
        field.setDate(QDate(2026, 12, 6))


def test_full_width_digits_committed_by_an_input_method_are_digits(field):
    _cleared(field)
    for char in "０２.１２.２０２６":
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(field.lineEdit(), event)
    assert (field.lineEdit().displayText(), field.date(), field.problem()) == ("02.12.2026", QDate(2026, 12, 2), "")


def _paste(qtbot, field, clip: str) -> None:
    QApplication.clipboard().setText(clip)
    field.setFocus()
    field.lineEdit().setCursorPosition(0)
    qtbot.keyClick(field, Qt.Key.Key_V, CTRL)


@pytest.mark.parametrize("clip", ["1 апреля 2026", "01 апр 2026", "1 апр. 26", "01 апреля 2026 г.", "April 1, 2026",
                                  "１ апреля ２０２６"])
def test_a_date_pasted_with_its_month_named(qtbot, field, clip):
    _paste(qtbot, field, clip)
    field.interpretText()
    assert (clip, field.text(), field.date(), field.problem()) == (clip, "01.04.2026", QDate(2026, 4, 1), "")


def test_a_text_pasted_that_is_no_date_is_refused_not_poured_into_the_sections(qtbot, field):
    said: list[str] = []
    field.refused.connect(said.append)
    for clip in ("в пятницу, 12-го", "1 мартабря 2026"):
        _paste(qtbot, field, clip)
        assert (clip, field.lineEdit().displayText(), field.date()) == (clip, "06.12.2026", QDate(2026, 12, 6))
        assert said[-1] == f"Вставленный текст — не дата: «{clip}». Вставьте или введите дату: ДД.ММ.ГГГГ."
        assert field.toolTip() == said[-1]
    _paste(qtbot, field, "12")  # digits alone go into the section under the cursor, as typed
    assert field.date() == QDate(2026, 12, 12) and said[-1] == ""


def test_a_month_field_takes_a_month_named_and_refuses_a_day_named():
    from ui.dialogs.date_typing import DATE, MONTH, pasted

    assert pasted("апрель 2026", MONTH, "12.2026") == pasted("Апр 2026", MONTH, "12.2026") == "04.2026"
    assert pasted("1 апреля 2026", MONTH, "12.2026") is None  # a day is not dropped unsaid
    assert pasted("1 апреля 2026 9:30", "dd.MM.yyyy HH:mm", "06.12.2026 10:00") == "01.04.2026 09:30"
    assert pasted("1 ма 2026", DATE, "06.12.2026") is None  # «ма»: май or март, not guessed


# ------------------------------------------------------------------ the plain text fields of a date


@pytest.mark.parametrize("typed", ["1.4.26", "01/04/2026", "1-4-2026", "2026-04-01", "01.04.2026", "1 апреля 2026",
                                   "０１.０４.２０２６"])
def test_the_cards_contract_date_takes_what_the_date_fields_take(qtbot, typed):
    from ui.dialogs.clients.client_form import ClientForm, empty_input

    form = ClientForm()
    qtbot.addWidget(form)
    form.set_data(replace(empty_input(), name="ООО «Ромашка»", inn="7707083893"))
    form.fields["contract_date"].setText(typed)
    assert (typed, form.value().contract_date, form.validation_errors().get("contract_date")) == (
        typed, date(2026, 4, 1), None)


def test_the_cards_contract_date_may_stay_empty_and_a_wrong_one_is_said(qtbot):
    from ui.dialogs.clients.client_form import ClientForm, empty_input

    form = ClientForm()
    qtbot.addWidget(form)
    form.set_data(replace(empty_input(), name="ООО «Ромашка»", inn="7707083893"))
    assert form.value().contract_date is None and "contract_date" not in form.validation_errors()
    form.fields["contract_date"].setText("31.4.26")
    assert form.validation_errors()["contract_date"] == (
        "Поле «Дата договора»: неверная дата 31.04.2026: в апреле 2026 года 30 дней.")
    form.fields["contract_date"].setText("1.4.2026 10:00")  # more than a date: refused, not cut
    assert "«1.4.2026 10:00» — неверная дата" in form.validation_errors()["contract_date"]
    form.fields["contract_date"].setText("1.4.1926")
    assert "вне лет, с которыми работает программа" in form.validation_errors()["contract_date"]


def test_the_power_of_attorneys_date_takes_what_the_date_fields_take(qtbot, db):
    from app.services.documents.executor import get_executor, set_executor
    from tests.reports.helpers import EXECUTOR
    from ui.dialogs.documents.executor import ExecutorDialog

    set_executor(db, EXECUTOR)
    dialog = ExecutorDialog(db)
    qtbot.addWidget(dialog)
    dialog.edits["poa_number"].setText("12")
    dialog.poa_date_edit.setText("10.1.26")
    assert dialog.save(), dialog.error_label.text()
    assert get_executor(db).poa_date == date(2026, 1, 10)
