"""Tester R, item 8: wording. One field changed since an edit is «это поле», not «эти поля»; a field the user
cleared is «вы очистили поле», not «вы ввели «—»» (and a field cleared elsewhere is said so); a free client's work log
names the approach as the card does; the event form's «Место или ссылка» shows its hint whole."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.errors import RefusedForNow
from app.services import edit_undo
from app.services.clients import ClientInput, PersonInput, add_client, edit_client, get_client
from app.services.edit_undo import EditConflict


@pytest.fixture
def company(db) -> int:
    return add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                      address="ул. Первая, 1", city="Тверь",
                                      contacts=[PersonInput("Сидоров С. С.", phone="+7 495 111-22-33")]))


def test_one_field_changed_since_is_this_field_and_two_are_these_fields(db, company):
    data = get_client(db, company).data
    edit, _changes = edit_undo.save_card(db, company, replace(data, city="Омск", manager="Иванов"))
    edit_client(db, company, {"city": "Тула"})
    with pytest.raises(RefusedForNow) as refused:
        edit_undo.undo_edit(db, edit)
    assert str(refused.value).startswith("Правку пока нельзя отменить: после неё это поле изменено ещё раз.")
    edit_client(db, company, {"manager": "Петрова"})
    with pytest.raises(RefusedForNow) as refused:
        edit_undo.undo_edit(db, edit)
    assert str(refused.value).startswith("Правку пока нельзя отменить: после неё эти поля изменены ещё раз.")


def test_a_field_the_user_cleared_is_said_cleared(db, company):
    data = get_client(db, company).data
    base = edit_undo.base_of("card", data)
    edit_client(db, company, {"address": "ул. Другая, 2"})
    with pytest.raises(EditConflict) as clash:
        edit_undo.save_card(db, company, replace(data, address=""), base)
    assert clash.value.details[0] == ("Адрес: вы очистили поле, а после открытия карточки там сохранено "
                                      "«ул. Другая, 2».")


def test_a_field_cleared_elsewhere_is_said_cleared(db, company):
    data = get_client(db, company).data
    base = edit_undo.base_of("card", data)
    edit_client(db, company, {"address": ""})
    with pytest.raises(EditConflict) as clash:
        edit_undo.save_card(db, company, replace(data, address="ул. Третья, 3"), base)
    assert clash.value.details[0] == ("Адрес: вы ввели «ул. Третья, 3», а после открытия карточки это поле там "
                                      "очищено.")
    assert "«—»" not in " ".join(clash.value.details)


def test_a_person_removed_in_the_form_and_changed_elsewhere(db, company):
    data = get_client(db, company).data
    base = edit_undo.base_of("card", data)
    changed = replace(data.contacts[0], phone="+7 495 999-88-77")
    edit_undo.save_card(db, company, replace(data, contacts=[changed]))
    with pytest.raises(EditConflict) as clash:
        edit_undo.save_card(db, company, replace(data, contacts=[]), base)
    line = clash.value.details[0]
    assert "вы убрали этого человека из карточки, а после её открытия там сохранено" in line, line


def test_a_free_clients_log_names_the_approach_as_the_card_does(cli):
    status, _out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893",
                            "--approach", "accompanied")
    assert status == 0, err
    assert cli("log", "add", "7707083893", "--kind", "questions", "--date", "2026-03-05", "--minutes", "30")[0] == 0
    status, out, _err = cli("log", "list", "7707083893")
    assert status == 0
    assert "Не оплачивается: подход «Сопровождение внедрения (бесплатно)»." in out
    assert "бесплатный" not in out


def test_the_place_hint_is_whole_in_a_narrow_event_form(qtbot, db, company):
    from ui.dialogs.plan.event_dialog import EventDialog

    dialog = EventDialog([(company, "ООО «Ромашка»")], [("L1", "1. Обзор")], lambda _cid: [],
                         lambda *_args: None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(200, dialog.height())  # as narrow as its layout lets it be
    qtbot.wait(10)
    place = dialog.place
    assert place.width() >= place.fontMetrics().horizontalAdvance(place.placeholderText()) + 16, (
        place.width(), place.placeholderText())
