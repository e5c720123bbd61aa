"""A lost update (r13): the client card saved its whole form, so a КПП another program changed while the user typed a
«Город» went back to the old value on Ctrl+S without a word; the event, question and work-log entry dialogs saved
their whole form the same way. A save now writes only the fields the user changed since the form was opened: the
others keep what is stored now. A field the user changed that was also changed elsewhere is refused (nothing written,
the form open with the user's text) naming the field and both values; saving again writes the user's value."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.persistence.db import open_database
from app.services import plan, plan_read, questions, worklog, worklog_read
from app.services.changes import Changes
from app.services.client_list import list_clients
from app.services.clients import PersonInput, get_client, update_client
from app.services.worklog import EntryInput
from tests.ui.test_main_window import TAB_CARD, type_text, window  # noqa: F401 (the window fixture)
from tests.ui.test_r13_edit_undo import (  # noqa: F401 (the fixture)
    card_of,
    other_program,
    stored_question,
    week,
    work_log_with_an_entry,
)


def typed_in_card(window, client_id: int, name: str, text: str):  # noqa: F811
    """The user types ``text`` into the card's field ``name`` (not saved)."""
    window.set_current_client(client_id)
    window.show_tab(TAB_CARD)
    field = window.work_area.card.form.fields[name]
    window.activateWindow()
    field.setFocus()
    field.selectAll()
    type_text(field, text)
    assert window.work_area.card.is_dirty()
    return field


def ctrl_s(qtbot, field) -> None:
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_saving_the_card_keeps_a_field_another_program_changed_while_it_was_edited(window, db, db_url,  # noqa: F811
                                                                                 qtbot):
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data
    assert before.kpp != "770701002" and before.city != "Казань"
    field = typed_in_card(window, client_id, "city", "Казань")
    other_program(db_url, "clients", "edit", before.inn, "--kpp", "770701002", "--manager", "Петрова")
    ctrl_s(qtbot, field)
    after = card_of(db_url, client_id)
    assert (after.city, after.kpp, after.manager) == ("Казань", "770701002", "Петрова")
    card = window.work_area.card
    assert window.errors == [] and card.banner.isHidden() and not card.is_dirty()
    assert card.form.fields["kpp"].text() == "770701002"  # the form shows what is stored after the save
    window.act_undo.trigger()  # the undo of that save takes back only the «Город»
    again = card_of(db_url, client_id)
    assert (again.city, again.kpp, again.manager) == (before.city, "770701002", "Петрова")


def test_a_card_field_changed_elsewhere_too_is_refused_with_both_values_then_saved_on_purpose(window, db,  # noqa: F811
                                                                                            db_url, qtbot):
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data
    typed_in_card(window, client_id, "address", "ул. Ленина, 1")
    field = typed_in_card(window, client_id, "city", "Казань")
    other_program(db_url, "clients", "edit", before.inn, "--city", "Сочи", "--kpp", "770701002")
    ctrl_s(qtbot, field)
    stored = card_of(db_url, client_id)
    assert (stored.city, stored.address, stored.kpp) == ("Сочи", before.address, "770701002")  # nothing written
    card = window.work_area.card
    said = card.banner.text()
    assert card.banner.isVisible() and said.startswith("Не сохранено: после открытия карточки")
    assert "Город: вы ввели «Казань», а после открытия карточки там сохранено «Сочи»." in said
    assert "Адрес" not in said and "КПП" not in said  # not changed elsewhere, or not by the user
    assert "сохраните ещё раз" in said
    assert field.text() == "Казань" and card.is_dirty()  # the user's text stays
    ctrl_s(qtbot, field)  # the second save writes the user's value on purpose
    after = card_of(db_url, client_id)
    assert (after.city, after.address, after.kpp) == ("Казань", "ул. Ленина, 1", "770701002")
    assert card.banner.isHidden() and not card.is_dirty() and window.errors == []


def test_the_same_value_typed_here_and_saved_elsewhere_is_no_conflict(window, db, db_url, qtbot):  # noqa: F811
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data
    field = typed_in_card(window, client_id, "city", "Казань")
    other_program(db_url, "clients", "edit", before.inn, "--city", "Казань", "--manager", "Петрова")
    ctrl_s(qtbot, field)
    after = card_of(db_url, client_id)
    assert (after.city, after.manager) == ("Казань", "Петрова") and window.work_area.card.banner.isHidden()


def test_the_cards_people_are_merged_one_by_one(window, db, qtbot):  # noqa: F811
    client_id = list_clients(db)[0].id
    data = get_client(db, client_id).data
    update_client(db, client_id, replace(data, contacts=[PersonInput("Сидоров С. С.", phone="+7 495 111-22-33"),
                                                         PersonInput("Орлова О. О.")],
                                         employees=[PersonInput("Иванов И. И.")]))
    window.ops.announce(Changes(clients=True, client_ids=frozenset({client_id})))
    window.set_current_client(client_id)
    window.show_tab(TAB_CARD)
    card = window.work_area.card
    qtbot.waitUntil(lambda: card.form.contacts.rowCount() == 2)
    contacts = card.form.contacts
    contacts.setData(contacts.index(0, 1), "Главный инженер")  # the user: Сидоров's position, a new employee
    card.form.employees.add_person()
    card.form.employees.setData(card.form.employees.index(1, 0), "Новикова А. А.")
    other = open_database(str(db.engine.url))  # meanwhile elsewhere: Орлова's phone, Иванов's department, a contact
    try:
        stored = get_client(other, client_id).data
        update_client(other, client_id, replace(
            stored, contacts=[stored.contacts[0], replace(stored.contacts[1], phone="+7 495 222-33-44"),
                              PersonInput("Кузнецов К. К.")],
            employees=[replace(stored.employees[0], department="Склад")]))
    finally:
        other.dispose()
    assert card.save() is not None
    after = get_client(db, client_id).data
    assert [(p.name, p.position, p.phone) for p in after.contacts] == [
        ("Сидоров С. С.", "Главный инженер", "+7 495 111-22-33"), ("Орлова О. О.", "", "+7 495 222-33-44"),
        ("Кузнецов К. К.", "", "")]
    assert [(p.name, p.department) for p in after.employees] == [("Иванов И. И.", "Склад"), ("Новикова А. А.", "")]
    # a person the user changed that was changed elsewhere too: refused, naming the person and both values
    qtbot.waitUntil(lambda: card.form.contacts.rowCount() == 3)
    contacts.setData(contacts.index(1, 1), "Бухгалтер")  # Орлова's position here, her phone elsewhere
    orlova = after.contacts[1]
    update_client(db, client_id, replace(after, contacts=[after.contacts[0], replace(orlova, phone="+7 495 000-00-00"),
                                                          after.contacts[2]]))
    assert card.save() is None
    assert get_client(db, client_id).data.contacts[1].position == ""
    said = card.banner.text()
    assert ("Контакт «Орлова О. О.»: вы ввели «Орлова О. О., Бухгалтер, +7 495 222-33-44», а после открытия "
            "карточки там сохранено «Орлова О. О., +7 495 000-00-00»." in said)
    assert card.save() is not None  # saved on purpose: the user's row as typed
    assert get_client(db, client_id).data.contacts[1].phone == "+7 495 222-33-44"


def test_the_card_not_being_edited_shows_what_another_program_saved(window, db, db_url, qtbot):  # noqa: F811
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data
    window.set_current_client(client_id)
    window.show_tab(TAB_CARD)
    card = window.work_area.card
    assert not card.is_dirty() and card.form.fields["kpp"].text() == before.kpp
    other_program(db_url, "clients", "edit", before.inn, "--kpp", "770701002", "--city", "Сочи")
    assert window.watcher is not None and window.watcher.poll()  # the window's poll finds the change
    qtbot.waitUntil(lambda: card.form.fields["kpp"].text() == "770701002")
    assert card.form.fields["city"].text() == "Сочи" and not card.is_dirty()


# ------------------------------------------------------------------ an event, a question (the week's views)


def change_event_elsewhere(db_url: str, event_id: int, **fields) -> None:
    other = open_database(db_url)
    try:
        plan.update_event(other, event_id, replace(plan_read.get_event(other, event_id).as_input(), **fields))
    finally:
        other.dispose()


def test_the_event_dialog_saves_only_what_was_changed_in_it(week, db, db_url, monkeypatch):  # noqa: F811
    from ui.dialogs.plan.event_dialog import EventDialog

    views, ops, event_id, _question, _window = week
    seen = []

    def edit(dialog):
        dialog.section.setText("Склад")
        change_event_elsewhere(db_url, event_id, duration_min=90, place="Zoom")
        dialog.accept()
        seen.append(dialog.result())
        return dialog.result()

    monkeypatch.setattr(EventDialog, "exec", edit)
    views.edit_event(event_id)
    row = plan_read.get_event(db, event_id)
    assert (row.section, row.duration_min, row.place) == ("Склад", 90, "Zoom")
    assert seen == [QDialog.DialogCode.Accepted] and ops.refusals == []


def test_the_event_dialog_refuses_a_field_changed_elsewhere_too_then_saves_it_on_purpose(week, db,  # noqa: F811
                                                                                       db_url, monkeypatch):
    from ui.dialogs.plan.event_dialog import EventDialog

    views, ops, event_id, _question, _window = week
    seen = []

    def edit(dialog):
        dialog.section.setText("Склад")
        dialog.place.setText("Офис")
        change_event_elsewhere(db_url, event_id, section="Касса", duration_min=90)
        dialog.accept()
        row = plan_read.get_event(db, event_id)
        seen.append((dialog.result(), dialog.error.text(), row.section, row.place, row.duration_min))
        dialog.accept()  # again: the user's value on purpose
        return dialog.result()

    monkeypatch.setattr(EventDialog, "exec", edit)
    views.edit_event(event_id)
    result, said, section, place, duration = seen[0]
    assert result != QDialog.DialogCode.Accepted and (section, place, duration) == ("Касса", "", 90)  # nothing written
    assert said.startswith("Не сохранено: после открытия окна")
    assert "Раздел учёта: вы ввели «Склад», а после открытия окна там сохранено «Касса»." in said
    row = plan_read.get_event(db, event_id)
    assert (row.section, row.place, row.duration_min) == ("Склад", "Офис", 90)
    assert ops.refusals == []  # said in the dialog, not by the window


def test_the_question_dialog_saves_only_what_was_changed_and_refuses_a_clash(week, db, db_url,  # noqa: F811
                                                                            monkeypatch):
    from ui.dialogs.questions.question_dialog import QuestionDialog

    views, ops, _event, question_id, _window = week
    seen = []

    def edit(dialog):
        dialog.text.setPlainText("Как закрыть квартал?")
        other = open_database(db_url)
        try:
            stored = stored_question(other, question_id)
            questions.update_question(other, question_id, replace(stored, answer="Через закрытие периода"))
        finally:
            other.dispose()
        dialog.accept()
        seen.append(dialog.result())
        return dialog.result()

    monkeypatch.setattr(QuestionDialog, "exec", edit)
    views.edit_question(question_id)
    now = stored_question(db, question_id)
    assert (now.question, now.answer) == ("Как закрыть квартал?", "Через закрытие периода")
    assert seen == [QDialog.DialogCode.Accepted]

    def clash(dialog):
        dialog.text.setPlainText("Как сдать отчёт?")
        questions.update_question(db, question_id, replace(stored_question(db, question_id), question="Как закрыть год?"))
        dialog.accept()
        seen.append((dialog.result(), dialog.error.text(), stored_question(db, question_id).question))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(QuestionDialog, "exec", clash)
    views.edit_question(question_id)
    result, said, stored_text = seen[1]
    assert result != QDialog.DialogCode.Accepted and stored_text == "Как закрыть год?"
    assert "Вопрос: вы ввели «Как сдать отчёт?», а после открытия окна там сохранено «Как закрыть год?»." in said
    now = stored_question(db, question_id)
    assert (now.question, now.answer) == ("Как сдать отчёт?", "Через закрытие периода")
    assert ops.refusals == []


# ------------------------------------------------------------------ a work-log entry


def test_the_work_log_entry_dialog_saves_only_what_was_changed_and_refuses_a_clash(qtbot, db, db_url,
                                                                                  monkeypatch):
    from ui.dialogs.worklog.entry import EntryDialog

    view, refusals, day, entry_id = work_log_with_an_entry(qtbot, db)
    other = open_database(db_url)
    seen = []

    def edit(dialog):
        dialog.note_edit.setText("Склад и касса")
        worklog.update_entry(other, entry_id, EntryInput(day, "conference", minutes=90, note="Склад"))
        dialog._accept()
        seen.append(dialog.result())
        return dialog.result()

    monkeypatch.setattr(EntryDialog, "exec", edit)
    view.table.selectRow(0)
    assert view.open_editor()
    row = worklog_read.get_entry(db, entry_id)
    assert (row.note, row.minutes) == ("Склад и касса", 90) and seen == [QDialog.DialogCode.Accepted]

    def clash(dialog):
        dialog.note_edit.setText("Кадры")
        worklog.update_entry(other, entry_id, EntryInput(day, "conference", minutes=90, note="Касса"))
        dialog._accept()
        seen.append((dialog.result(), dialog.error_label.text(), worklog_read.get_entry(db, entry_id).note))
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(EntryDialog, "exec", clash)
    view.table.selectRow(0)
    try:
        assert view.open_editor()
    finally:
        other.dispose()
    result, said, stored_note = seen[1]
    assert result != QDialog.DialogCode.Accepted and stored_note == "Касса"
    assert "Примечание: вы ввели «Кадры», а после открытия окна там сохранено «Касса»." in said
    assert worklog_read.get_entry(db, entry_id).note == "Кадры" and refusals == []
