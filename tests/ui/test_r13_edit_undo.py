"""Tester Q #1: Ctrl+Z «Отменить: правка карточки» wrote the whole card as it was before the edit, so a КПП and a manager
that another program changed in between went back too, credited to the user. Undo (and redo) of an edit — the card
with its people, a planned event, a question, a work-log entry — now writes only the fields that edit changed; when one
of them was changed since, it is refused for now naming the field and the values, nothing is written and the step
stays in the history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from app.cli import run
from app.i18n import _
from app.persistence.db import open_database
from app.services import plan, plan_read, questions, worklog, worklog_read
from app.services.changes import Changes
from app.services.client_list import list_clients
from app.services.clients import ClientInput, PersonInput, add_client, get_client, update_client
from app.services.event_input import EventInput
from app.services.questions import QuestionInput
from app.services.worklog import EntryInput
from tests.ui.test_main_window import TAB_CARD, type_text, window  # noqa: F401 (the window fixture)
from ui.ops import Ops
from ui.views.week import install_week_views
from ui.views.worklog import WorkLogView


def other_program(db_url: str, *argv: str) -> None:
    """A command run by another program on the same database (its own connection), as the tester did from a shell."""
    assert run(["--database-url", db_url, *argv]) == 0


def typing_city(window, client_id: int, text: str):  # noqa: F811
    """«Город» of the client's card typed over (not saved); the field."""
    window.set_current_client(client_id)
    window.show_tab(TAB_CARD)
    field = window.work_area.card.form.fields["city"]
    window.activateWindow()
    field.setFocus()
    field.selectAll()
    type_text(field, text)
    return field


def saved_city(window, qtbot, client_id: int, city: str):  # noqa: F811
    """The tester's step 1: «Город» typed in the card and saved with Ctrl+S."""
    field = typing_city(window, client_id, city)
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_client(window.db, client_id).data.city == city
    assert window.act_undo.text() == _("Undo: {what}").format(what=_("editing the card"))
    return field


def card_of(db_url: str, client_id: int):
    other = open_database(db_url)
    try:
        return get_client(other, client_id).data
    finally:
        other.dispose()


def test_undoing_a_card_edit_keeps_what_another_program_changed_since(window, db, db_url, qtbot):  # noqa: F811
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data
    assert before.city != "Москва" and before.kpp != "770701002" and before.manager != "Петрова"
    field = saved_city(window, qtbot, client_id, "Москва")
    other_program(db_url, "clients", "edit", before.inn, "--kpp", "770701002", "--manager", "Петрова")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z: «Отменить: правка карточки»
    after = card_of(db_url, client_id)
    assert (after.city, after.kpp, after.manager) == (before.city, "770701002", "Петрова")
    assert window.errors == []
    qtbot.waitUntil(lambda: field.text() == before.city)
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    again = card_of(db_url, client_id)
    assert (again.city, again.kpp, again.manager) == ("Москва", "770701002", "Петрова")


def test_undoing_a_card_edit_whose_field_was_changed_since_is_refused_for_now(window, db, db_url, qtbot):  # noqa: F811
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data
    saved_city(window, qtbot, client_id, "Москва")
    other_program(db_url, "clients", "edit", before.inn, "--city", "Казань")
    stack = window.undo_stack
    count, index = stack.count(), stack.index()
    window.act_undo.trigger()
    assert card_of(db_url, client_id).city == "Казань"  # nothing written
    assert len(window.errors) == 1
    said = window.errors[0].full_text()
    assert "Правку пока нельзя отменить" in said and "Ничего не изменено" in said
    assert "Город: правка сохранила «Москва», сейчас «Казань»." in said and "Ctrl+Z" in said
    assert (stack.count(), stack.index()) == (count, index) and stack.undoText() == _("editing the card")
    other_program(db_url, "clients", "edit", before.inn, "--city", "Москва")  # the field holds the edit's value again
    window.act_undo.trigger()
    assert card_of(db_url, client_id).city == before.city and len(window.errors) == 1


def test_redoing_a_card_edit_whose_field_was_changed_since_is_refused_for_now(window, db, db_url, qtbot):  # noqa: F811
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data
    saved_city(window, qtbot, client_id, "Москва")
    window.act_undo.trigger()
    assert card_of(db_url, client_id).city == before.city
    other_program(db_url, "clients", "edit", before.inn, "--city", "Казань", "--manager", "Петрова")
    stack = window.undo_stack
    index = stack.index()
    window.act_redo.trigger()
    assert card_of(db_url, client_id).city == "Казань"
    said = window.errors[0].full_text()
    assert "Правку пока нельзя повторить" in said and f"Город: до правки было «{before.city or '—'}», сейчас «Казань»." in said
    assert stack.index() == index and stack.canRedo() and stack.redoText() == _("editing the card")
    other_program(db_url, "clients", "edit", before.inn, "--city", before.city or "")
    window.act_redo.trigger()
    after = card_of(db_url, client_id)
    assert (after.city, after.manager) == ("Москва", "Петрова")


def test_undoing_a_card_edit_of_people_keeps_the_others_and_brings_a_removed_one_back(window, db, qtbot):  # noqa: F811
    client_id = list_clients(db)[0].id
    data = get_client(db, client_id).data
    update_client(db, client_id, replace(data, contacts=[PersonInput("Сидоров С. С.", phone="+7 495 111-22-33")],
                                         employees=[PersonInput("Иванов И. И.")]))
    window.ops.announce(Changes(clients=True, client_ids=frozenset({client_id})))
    window.set_current_client(client_id)
    window.show_tab(TAB_CARD)
    kept = get_client(db, client_id).data
    card = window.work_area.card
    qtbot.waitUntil(lambda: card.form.contacts.rowCount() == 1)
    card.form.contacts.remove_person(0)  # the edit: a contact removed, an employee added
    card.form.employees.add_person()
    card.form.employees.setData(card.form.employees.index(1, 0), "Новикова А. А.")
    assert card.save() is not None
    saved = get_client(db, client_id).data
    assert saved.contacts == [] and [p.name for p in saved.employees] == ["Иванов И. И.", "Новикова А. А."]
    ivanov = saved.employees[0]  # meanwhile another program changes the employee the edit did not touch
    update_client(db, client_id, replace(saved, employees=[replace(ivanov, position="Кладовщик"), saved.employees[1]]))
    window.act_undo.trigger()
    assert window.errors == []
    after = get_client(db, client_id).data
    assert [(p.name, p.position, p.uuid) for p in after.employees] == [("Иванов И. И.", "Кладовщик", ivanov.uuid)]
    assert after.contacts == kept.contacts  # back under its UUID
    window.act_redo.trigger()
    again = get_client(db, client_id).data
    assert [(p.name, p.position) for p in again.employees] == [("Иванов И. И.", "Кладовщик"), ("Новикова А. А.", "")]
    assert again.employees[1].uuid == saved.employees[1].uuid and again.contacts == []
    novikova = again.employees[1]  # the person the edit added changed since: its undo is refused for now
    update_client(db, client_id, replace(again, employees=[again.employees[0], replace(novikova, position="Бухгалтер")]))
    window.act_undo.trigger()
    assert [p.name for p in get_client(db, client_id).data.employees] == ["Иванов И. И.", "Новикова А. А."]
    said = window.errors[0].full_text()
    assert ("Сотрудник «Новикова А. А.»: правка сохранила «Новикова А. А.», сейчас «Новикова А. А., Бухгалтер»."
            in said)
    assert window.undo_stack.undoText() == _("editing the card")


# ------------------------------------------------------------------ an event, a question (the week's views)


@pytest.fixture
def week(qtbot, db):
    a = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                   employees=[PersonInput("Иванов И. И.")]))
    start = (datetime.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    event = plan.add_event(db, a, EventInput("conference", start, "Europe/Moscow", 60))[0]
    question = questions.add_question(db, a, QuestionInput(date.today(), "phone", "Как закрыть месяц?"))[0]
    main = QMainWindow()
    qtbot.addWidget(main)
    ops = Ops(db, main)
    ops.refusals = []
    ops.error_handler = ops.refusals.append
    views = install_week_views(main, db, ops=ops, open_client=lambda _id: None, current_client=lambda: a,
                               notify=False)
    return views, ops, event, question, main  # the window kept: its views live as long as it does


def test_undoing_an_event_edit_keeps_what_was_changed_since(week, db, db_url, monkeypatch):
    from ui.dialogs.plan.event_dialog import EventDialog

    views, ops, event_id, _question, _window = week

    def edit(dialog):
        dialog.section.setText("Склад")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(EventDialog, "exec", edit)
    views.edit_event(event_id)
    assert plan_read.get_event(db, event_id).section == "Склад"
    other = open_database(db_url)  # another program moves it to 90 minutes and a place
    current = plan_read.get_event(other, event_id).as_input()
    plan.update_event(other, event_id, EventInput(current.kind, current.start, current.time_zone, 90,
                                                  section=current.section, place="Zoom"))
    ops.undo_stack.undo()
    row = plan_read.get_event(db, event_id)
    assert (row.section, row.duration_min, row.place) == ("", 90, "Zoom") and ops.refusals == []
    # the section changed again since the undo: the redo is refused for now, nothing written
    current = plan_read.get_event(other, event_id).as_input()
    plan.update_event(other, event_id, EventInput(current.kind, current.start, current.time_zone, 90,
                                                  section="Касса", place="Zoom"))
    other.dispose()
    ops.undo_stack.redo()
    assert plan_read.get_event(db, event_id).section == "Касса"
    said = ops.refusals[0].full_text()
    assert "Правку пока нельзя повторить" in said and "Раздел учёта: до правки было «—», сейчас «Касса»." in said
    assert ops.undo_stack.canRedo() and ops.undo_stack.redoText() == _("change the event")


def stored_question(db, question_id: int) -> QuestionInput:
    return next(r for r in questions.list_questions(db) if r.id == question_id).as_input()


def test_undoing_a_question_edit_keeps_what_was_changed_since_and_refuses_a_field_changed(week, db, db_url,
                                                                                          monkeypatch):
    from ui.dialogs.questions.question_dialog import QuestionDialog

    views, ops, _event, question_id, _window = week

    def edit(dialog):
        dialog.text.setPlainText("Как закрыть квартал?")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(QuestionDialog, "exec", edit)
    views.edit_question(question_id)
    other = open_database(db_url)
    stored = stored_question(other, question_id)
    questions.update_question(other, question_id, QuestionInput(stored.asked_on, stored.channel, stored.question,
                                                                stored.employee, "Через закрытие периода"))
    ops.undo_stack.undo()
    now = stored_question(db, question_id)
    assert (now.question, now.answer) == ("Как закрыть месяц?", "Через закрытие периода") and ops.refusals == []
    ops.undo_stack.redo()
    questions.update_question(other, question_id, QuestionInput(stored.asked_on, stored.channel, "Как сдать отчёт?"))
    other.dispose()
    ops.undo_stack.undo()
    assert stored_question(db, question_id).question == "Как сдать отчёт?"
    said = ops.refusals[0].full_text()
    assert "Вопрос: правка сохранила «Как закрыть квартал?», сейчас «Как сдать отчёт?»." in said
    assert ops.undo_stack.canUndo() and ops.undo_stack.undoText() == _("change the question")


# ------------------------------------------------------------------ a work-log entry


def test_undoing_a_work_log_entry_edit_keeps_what_was_changed_since(qtbot, db, db_url):
    view, refusals, day, entry_id = work_log_with_an_entry(qtbot, db)
    assert view.edit_entry(entry_id, EntryInput(day, "conference", minutes=60, note="Склад и касса"))
    other = open_database(db_url)
    worklog.update_entry(other, entry_id, EntryInput(day, "conference", minutes=90, note="Склад и касса"))
    view.undo_action.trigger()
    row = worklog_read.get_entry(db, entry_id)
    assert (row.note, row.minutes) == ("Склад", 90) and refusals == []
    view.ops.undo_stack.redo()
    worklog.update_entry(other, entry_id, EntryInput(day, "conference", minutes=90, note="Кадры"))
    other.dispose()
    view.ops.undo_stack.undo()
    assert worklog_read.get_entry(db, entry_id).note == "Кадры"
    assert len(refusals) == 1
    assert "Примечание: правка сохранила «Склад и касса», сейчас «Кадры»." in refusals[0].full_text()
    assert view.ops.undo_stack.undoText() == _("editing a work-log entry")


def work_log_with_an_entry(qtbot, db):
    """A work-log view of a new remote client with one entry of 60 min «Склад» on 19.07.2024 added through it:
    (the view, the refusals it said, the entry's day, the entry's id)."""
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    view = WorkLogView(db)
    qtbot.addWidget(view)
    view.today = lambda: date(2024, 7, 20)
    view.set_client(client_id)
    refusals: list = []
    view.ops.error_handler = refusals.append
    day = date(2024, 7, 19)
    return view, refusals, day, view.add_entry(EntryInput(day, "conference", minutes=60, note="Склад"))
