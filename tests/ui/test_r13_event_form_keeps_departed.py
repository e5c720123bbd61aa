"""r13 item 2: changing an event in its form kept only the participants still on the client's staff (and the lessons
still in the catalogue); the command line and the service keep the others. The form lists them ticked and marked,
and saving without touching them keeps them; unticking one drops it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import update

from app.persistence.models import Lesson
from app.services import event_input, plan, plan_read
from app.services.clients import ClientInput, PersonInput, add_client, get_client, update_client
from app.services.progress import lessons as client_lessons
from ui.dialogs.plan.event_dialog import EventDialog


@pytest.fixture
def event(db):
    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                     employees=[PersonInput("Иванов И. И."), PersonInput("Петрова А. А.")]))
    codes = [item.code for item in client_lessons(db, cid)][:2]
    event_id, _changes = plan.add_event(db, cid, event_input.EventInput(
        "conference", datetime(2030, 1, 10, 10, 0), "Europe/Moscow", 90, lessons=tuple(codes),
        participants=("Иванов И. И.", "Петрова А. А.")))
    card = get_client(db, cid).data
    update_client(db, cid, replace(card, employees=[p for p in card.employees if p.name != "Иванов И. И."]))
    with db.unit() as s:  # the first lesson taken out of the catalogue
        s.execute(update(Lesson).where(Lesson.code == codes[0]).values(active=False))
    return plan_read.get_event(db, event_id)


def _dialog(db, before):
    def staff(client_id):
        return [(p.uuid or p.name, p.name) for p in get_client(db, client_id).data.employees]

    lessons = [(i.code, f"{i.number}. {i.title}") for i in client_lessons(db, before.client_id)]
    return EventDialog([(before.client_id, before.client_name)], lessons, staff,
                       lambda _cid, data: plan.update_event(db, before.id, data), event=before)


def _rows(model):
    return [(model.index(r).data(), model.index(r).data(Qt.ItemDataRole.CheckStateRole))
            for r in range(model.rowCount())]


def test_the_form_keeps_a_participant_who_left_the_staff_and_a_lesson_out_of_the_catalogue(qtbot, db, event):
    assert len(event.participants) == 2 and len(event.lesson_codes) == 2
    gone = event.participants[0].uuid
    dialog = _dialog(db, event)
    qtbot.addWidget(dialog)
    people = _rows(dialog.people)
    assert ("Петрова А. А.", Qt.CheckState.Checked) in people, people
    # named: the removal's audit trail gives the name back (tester R, item 6; it was «Бывший сотрудник»)
    assert ("Иванов И. И. (не в штате)", Qt.CheckState.Checked) in people, people
    lessons = _rows(dialog.lessons)
    assert (f"{event.lesson_codes[0]} (нет в каталоге)", Qt.CheckState.Checked) in lessons, lessons
    dialog.place.setText("Переговорная 2")  # a change to another field, the lists untouched
    dialog.accept()
    assert dialog.error.text() == ""
    after = plan_read.get_event(db, event.id)
    assert after.place == "Переговорная 2"
    assert {p.uuid for p in after.participants} == {p.uuid for p in event.participants}
    assert gone in {p.uuid for p in after.participants}
    assert set(after.lesson_codes) == set(event.lesson_codes)


def test_unticking_a_departed_participant_drops_them(qtbot, db, event):
    dialog = _dialog(db, event)
    qtbot.addWidget(dialog)
    row = next(r for r in range(dialog.people.rowCount()) if "не в штате" in dialog.people.index(r).data())
    dialog.people.setData(dialog.people.index(row), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    dialog.accept()
    assert [p.name for p in plan_read.get_event(db, event.id).participants] == ["Петрова А. А."]
