"""Tester K #12 in the window: «Событие проведено» says that the work is logged on the client's date when that is
another date than this computer's."""

from __future__ import annotations

from datetime import date, datetime

from app.services import event_input, plan, plan_read
from ui.dialogs.plan.complete_dialog import CompleteEventDialog


def _dialog(qtbot, db, client_id, start: datetime, tz: str) -> CompleteEventDialog:
    event_id, _c = plan.add_event(db, client_id, event_input.EventInput("call", start, tz, duration_min=20),
                                  on=date(2026, 3, 1))
    dialog = CompleteEventDialog(plan_read.get_event(db, event_id), lambda _choice: None)
    qtbot.addWidget(dialog)
    return dialog


def test_the_done_dialog_says_the_clients_date_when_it_is_not_this_computers(qtbot, db, client_id, zone):
    zone("Europe/Moscow")
    dialog = _dialog(qtbot, db, client_id, datetime(2026, 3, 11, 3, 0), "Asia/Novosibirsk")  # 10.03 23:00 in Moscow
    assert not dialog.clients_day.isHidden()
    assert dialog.clients_day.text() == ("Работа запишется в журнал датой заказчика — 11.03.2026; у вас событие "
                                         "началось 10.03.2026 23:00.")
    midnight = _dialog(qtbot, db, client_id, datetime(2026, 3, 11, 4, 0), "Asia/Novosibirsk")  # 11.03 00:00 here
    assert midnight.clients_day.isHidden()
