"""Small wording faults (tester O, round 11): an empty time quoted «» as «не время», full-width digits were no
time, and «Не сохранено: Заказчик …» had a capital after the colon."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.errors import UserError
from app.services import worklog_read
from app.services.clients import ClientInput, add_client
from app.services.entry_input import parse_measure, parse_minutes


def test_an_empty_time_asks_for_one():
    for empty in ("", "   "):
        with pytest.raises(UserError) as caught:
            parse_minutes(empty)
        assert caught.value.message == "Введите время: минуты (90) или часы и минуты (1:30)."


def test_full_width_digits_are_read_as_the_inn_s_are():
    assert parse_minutes("１:３０") == parse_minutes("１：３０") == parse_minutes("９０") == 90
    assert parse_measure("onsite_day", "１,５") == {"days": parse_measure("onsite_day", "1,5")["days"]}
    with pytest.raises(UserError):
        parse_minutes("²")  # a superscript is no digit to read


def test_quick_entry_takes_full_width_minutes(qtbot, db):
    from ui.views.worklog import WorkLogView

    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    view = WorkLogView(db)
    qtbot.addWidget(view)
    view.set_client(client_id)
    view.entry_value.setText("１:３０")
    qtbot.keyClick(view.entry_value, Qt.Key.Key_Return)
    assert [r.minutes for r in worklog_read.list_entries(db, client_id).rows] == [90]


def test_not_saved_goes_on_with_a_small_letter(qtbot, db):
    from ui.dialogs.clients.new_client import NewClientDialog

    add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    dialog = NewClientDialog(db)
    qtbot.addWidget(dialog)
    dialog.form.fields["name"].setText("ООО «Лютик»")
    dialog.form.fields["inn"].setText("7707083893")
    dialog.accept()
    assert dialog.banner.text().startswith("Не сохранено: заказчик с ИНН 7707083893"), dialog.banner.text()
