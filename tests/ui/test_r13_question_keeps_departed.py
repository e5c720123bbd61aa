"""r13: a question asked by a client employee who has since left the staff (their card deleted) lost «Кто спросил»
when it was opened and saved in its dialog, even untouched: the list of the current staff alone had no such entry, so
the dialog showed «(не известно)» and saved it. The dialog lists the asker marked «… (не в штате)» and selected, and
saving keeps them; the service takes the stored asker back (it refused one no longer on the staff), also on undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.services import edit_undo, questions
from app.services.clients import ClientInput, PersonInput, add_client, get_client, update_client
from ui.dialogs.questions.question_dialog import QuestionDialog


@pytest.fixture
def asked(db):
    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                     employees=[PersonInput("Иванов И. И."), PersonInput("Петрова А. А.")]))
    qid, _changes = questions.add_question(db, cid, questions.QuestionInput(
        date(2026, 3, 2), "phone", "Как завести склад?", "Иванов И. И."), on=date(2026, 3, 10))
    card = get_client(db, cid).data
    update_client(db, cid, replace(card, employees=[p for p in card.employees if p.name != "Иванов И. И."]))
    return next(r for r in questions.list_questions(db, cid) if r.id == qid)


def _dialog(db, row, saved: list):
    staff = [(p.uuid or p.name, p.name) for p in get_client(db, row.client_id).data.employees]
    base = edit_undo.base_of("question", row.as_input())
    return QuestionDialog(row.client_name, staff, lambda data: saved.append(
        edit_undo.save_question(db, row.id, data, base)), question=row)


def _stored(db, row):
    return next(r for r in questions.list_questions(db, row.client_id) if r.id == row.id)


def test_the_dialog_shows_and_keeps_an_asker_who_left_the_staff(qtbot, db, asked):
    # the card is gone, the name is not (tester R, item 6: the removal's audit trail gives it back)
    assert asked.employee_uuid and asked.employee_name == "Иванов И. И."
    saved: list = []
    dialog = _dialog(db, asked, saved)
    qtbot.addWidget(dialog)
    assert dialog.who.currentText() == "Иванов И. И. (не в штате)"
    assert dialog.who.currentData() == asked.employee_uuid
    assert [dialog.who.itemText(i) for i in range(dialog.who.count())] == [
        "(не указано)", "Петрова А. А.", "Иванов И. И. (не в штате)"]
    dialog.answer.setPlainText("Через справочник складов.")  # another field changed, «Кто спросил» untouched
    dialog.accept()
    assert dialog.error.text() == ""
    after = _stored(db, asked)
    assert after.answer == "Через справочник складов."
    assert after.employee_uuid == asked.employee_uuid


def test_the_dialog_says_former_staff_member_when_the_name_is_unknown(qtbot, db, asked):
    dialog = QuestionDialog(asked.client_name, [], lambda _data: None, question=replace(asked, employee_name=""))
    qtbot.addWidget(dialog)
    assert dialog.who.currentText() == "Бывший сотрудник (не в штате)"


def test_the_dialog_shows_the_name_of_a_departed_asker_when_known(qtbot, db, asked):
    dialog = QuestionDialog(asked.client_name, [], lambda _data: None,
                            question=replace(asked, employee_name="Иванов И. И."))
    qtbot.addWidget(dialog)
    assert dialog.who.currentText() == "Иванов И. И. (не в штате)"


def test_choosing_another_asker_or_none_still_works(qtbot, db, asked):
    saved: list = []
    dialog = _dialog(db, asked, saved)
    qtbot.addWidget(dialog)
    dialog.who.setCurrentIndex(0)
    dialog.accept()
    assert dialog.error.text() == ""
    assert _stored(db, asked).employee_uuid in (None, "")


def test_the_service_keeps_the_stored_asker_and_undo_puts_it_back(db, asked):
    """The command line's way: the stored asker given back is kept (it was refused as «not found at this client»);
    a change of the answer undone and redone after the asker left works."""
    data = replace(asked.as_input(), answer="Ответ")
    edit, _changes = edit_undo.save_question(db, asked.id, data)  # the whole input, the asker as stored
    assert _stored(db, asked).employee_uuid == asked.employee_uuid
    edit_undo.undo_edit(db, edit)
    assert _stored(db, asked).answer == ""
    edit_undo.redo_edit(db, edit)
    assert _stored(db, asked).answer == "Ответ"
    assert _stored(db, asked).employee_uuid == asked.employee_uuid


def test_a_departed_asker_cannot_be_given_to_another_question(db, asked):
    """Only the asker the question holds is taken back: naming a departed employee anew is still refused."""
    other, _changes = questions.add_question(db, asked.client_id, questions.QuestionInput(
        date(2026, 3, 3), "phone", "Второй вопрос"), on=date(2026, 3, 10))
    with pytest.raises(questions.UserError):
        questions.update_question(db, other, questions.QuestionInput(
            date(2026, 3, 3), "phone", "Второй вопрос", asked.employee_uuid), on=date(2026, 3, 10))
