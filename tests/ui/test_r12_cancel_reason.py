"""«Отменить событие»: a refused reason closed the one-line QInputDialog and the typed text was lost (tester P,
item 5). The box stays open with the text and the refusal under it, as the register's «Аннулировать…» does."""

from __future__ import annotations

from app.services import plan_read
from tests.ui.test_one_runner import an_event, window  # noqa: F401  (the fixture)


def test_a_refused_cancel_reason_keeps_the_box_open_with_the_text(window, db):  # noqa: F811
    event_id = an_event(db)
    dialog = window.week.cancel_dialog(event_id)
    long = "я" * 600
    dialog.text.setPlainText(long)
    assert dialog.submit() is False
    assert dialog.reason() == long and not dialog.problem.isHidden()
    assert "слишком длинное" in dialog.problem.text()
    assert plan_read.get_event(db, event_id).status == "planned" and window.errors == []
    dialog.text.setPlainText("заказчик заболел\nперенос на пятницу")
    assert dialog.submit() is True
    assert plan_read.get_event(db, event_id).status == "cancelled"
    assert plan_read.get_event(db, event_id).note.endswith("Отменено: заказчик заболел\nперенос на пятницу")  # lines kept
    dialog.deleteLater()
