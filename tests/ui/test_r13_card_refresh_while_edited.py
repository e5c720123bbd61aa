"""r13: while the user edits the client card, the fields they have not touched showed the values of when the card was
opened: a КПП another program (or a sync) saved meanwhile stayed old on the screen until the card was saved, though
the save no longer writes it back. The card now puts the stored values into the untouched fields (and into the form's
base) when it hears of the change, leaving what the user typed, the cursor and the unsaved state alone."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services.client_list import list_clients
from app.services.clients import get_client
from tests.ui.test_main_window import TAB_CARD, type_text, window  # noqa: F401 (the window fixture)
from tests.ui.test_r13_edit_undo import card_of, other_program, typing_city


def changed_elsewhere(window, db_url, inn: str, *options: str) -> None:  # noqa: F811
    other_program(db_url, "clients", "edit", inn, *options)
    assert window.watcher is not None and window.watcher.poll()  # the window's poll finds the change


def test_the_untouched_fields_show_what_another_program_saved_while_the_card_is_edited(window, db, db_url,  # noqa: F811
                                                                                      qtbot):
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data
    assert before.kpp != "770701002" and before.manager != "Петрова" and before.notes != "из 1С"
    field = typing_city(window, client_id, "Каза")
    card = window.work_area.card
    field.setCursorPosition(2)  # the user went back into the word
    changed_elsewhere(window, db_url, before.inn, "--kpp", "770701002", "--manager", "Петрова", "--notes", "из 1С")
    form = card.form
    qtbot.waitUntil(lambda: form.fields["kpp"].text() == "770701002")
    assert form.fields["manager"].text() == "Петрова" and form.notes.toPlainText() == "из 1С"
    assert field.text() == "Каза" and field.cursorPosition() == 2 and field.hasFocus()  # the user's typing as it was
    assert card.is_dirty() and card.banner.isHidden()
    assert "kpp" not in form.touched and "notes" not in form.touched
    field.setCursorPosition(4)
    type_text(field, "нь")
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    after = card_of(db_url, client_id)
    assert (after.city, after.kpp, after.manager, after.notes) == ("Казань", "770701002", "Петрова", "из 1С")
    assert window.errors == [] and card.banner.isHidden() and not card.is_dirty()


def test_a_field_the_user_typed_in_is_left_alone_and_its_conflict_said_on_saving(window, db, db_url,  # noqa: F811
                                                                                 qtbot):
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data
    field = typing_city(window, client_id, "Казань")
    changed_elsewhere(window, db_url, before.inn, "--city", "Сочи", "--kpp", "770701002")
    card = window.work_area.card
    qtbot.waitUntil(lambda: card.form.fields["kpp"].text() == "770701002")
    assert field.text() == "Казань" and card.is_dirty()
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert card_of(db_url, client_id).city == "Сочи"  # refused: changed here and elsewhere
    said = card.banner.text()
    assert "Город: вы ввели «Казань», а после открытия карточки там сохранено «Сочи»." in said
    assert "КПП" not in said


def test_an_untouched_field_changed_back_here_is_the_users_change(window, db, db_url, qtbot):  # noqa: F811
    """The user cleared the КПП (a change) while another program set another one: that field is the user's and
    is left as typed."""
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data
    card = window.work_area.card
    typing_city(window, client_id, "Казань")
    kpp = card.form.fields["kpp"]
    kpp.setFocus()
    kpp.selectAll()
    type_text(kpp, "770701003")
    changed_elsewhere(window, db_url, before.inn, "--kpp", "770701002", "--manager", "Петрова")
    qtbot.waitUntil(lambda: card.form.fields["manager"].text() == "Петрова")
    assert kpp.text() == "770701003" and card.form.fields["city"].text() == "Казань"


def test_a_draft_kept_while_another_client_was_shown_gets_the_stored_values_too(window, db, db_url,  # noqa: F811
                                                                               qtbot):
    first, second = [c.id for c in list_clients(db)[:2]]
    before = get_client(db, first).data
    typing_city(window, first, "Казань")
    window.set_current_client(second)
    changed_elsewhere(window, db_url, before.inn, "--kpp", "770701002")
    window.set_current_client(first)
    card = window.work_area.card
    qtbot.waitUntil(lambda: card.client_id == first)
    assert card.form.fields["city"].text() == "Казань" and card.is_dirty()
    assert card.form.fields["kpp"].text() == "770701002"
    assert card.save() is not None
    after = card_of(db_url, first)
    assert (after.city, after.kpp) == ("Казань", "770701002") and card.banner.isHidden()


def test_the_people_the_user_has_not_changed_show_what_was_saved_elsewhere(window, db, qtbot):  # noqa: F811
    from dataclasses import replace

    from app.persistence.db import open_database
    from app.services.changes import Changes
    from app.services.clients import PersonInput, update_client

    client_id = list_clients(db)[0].id
    data = get_client(db, client_id).data
    update_client(db, client_id, replace(data, contacts=[PersonInput("Сидоров С. С."), PersonInput("Орлова О. О."),
                                                         PersonInput("Павлов П. П.")]))
    window.ops.announce(Changes(clients=True, client_ids=frozenset({client_id})))
    window.set_current_client(client_id)
    window.show_tab(TAB_CARD)
    card = window.work_area.card
    contacts = card.form.contacts
    qtbot.waitUntil(lambda: contacts.rowCount() == 3)
    contacts.setData(contacts.index(0, 1), "Главный инженер")  # the user: Сидоров's position
    assert card.is_dirty()
    other = open_database(str(db.engine.url))  # elsewhere: Орлова's phone, Павлов gone, Кузнецов added
    try:
        stored = get_client(other, client_id).data
        update_client(other, client_id, replace(stored, contacts=[
            stored.contacts[0], replace(stored.contacts[1], phone="+7 495 222-33-44"), PersonInput("Кузнецов К. К.")]))
    finally:
        other.dispose()
    assert window.watcher is not None and window.watcher.poll()
    qtbot.waitUntil(lambda: [p.name for p in contacts.people()] == ["Сидоров С. С.", "Орлова О. О.",
                                                                    "Кузнецов К. К."])
    shown = contacts.people()
    assert shown[0].position == "Главный инженер"  # the user's row as the user left it
    assert shown[1].phone == "+7 495 222-33-44"
    assert card.is_dirty()
    assert card.save() is not None and card.banner.isHidden()
    after = get_client(db, client_id).data
    assert [(p.name, p.position, p.phone) for p in after.contacts] == [
        ("Сидоров С. С.", "Главный инженер", ""), ("Орлова О. О.", "", "+7 495 222-33-44"), ("Кузнецов К. К.", "", "")]
