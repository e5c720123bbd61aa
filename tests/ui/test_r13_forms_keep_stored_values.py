"""r13, neighbours of the question's departed asker: a form whose widget cannot show the stored value changed it on
any save. An event of 3 minutes (`plan add --duration 3` takes it) was shown as 5 — the field's minimum — and a
change of its place saved 5."""

from __future__ import annotations

from datetime import datetime

from app.services import event_input, plan, plan_read
from app.services.clients import ClientInput, add_client
from ui.dialogs.plan.event_dialog import EventDialog


def test_a_short_event_keeps_its_duration_when_its_place_is_changed(qtbot, db):
    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    event_id, _changes = plan.add_event(db, cid, event_input.EventInput(
        "conference", datetime(2030, 1, 10, 10, 0), "Europe/Moscow", 3))
    before = plan_read.get_event(db, event_id)
    dialog = EventDialog([(cid, before.client_name)], [], lambda _cid: [],
                         lambda _cid, data: plan.update_event(db, event_id, data), event=before)
    qtbot.addWidget(dialog)
    assert dialog.duration.value() == 3
    dialog.place.setText("Переговорная 2")
    dialog.accept()
    assert dialog.error.text() == ""
    after = plan_read.get_event(db, event_id)
    assert (after.place, after.duration_min) == ("Переговорная 2", 3)
