"""The event's note, a question and its answer are typed in boxes that wrap and take a pasted e-mail; their lines
are saved joined by spaces (a fresh tester, 2026-12-05: any line break was refused «должно быть в одну строку»,
so a question pasted from an e-mail could not be saved). Each dialog here submits to the real service."""

from __future__ import annotations

from datetime import date, datetime

from app.services import plan, questions
from app.services.clients import ClientInput, add_client
from ui.qtutil import one_line

PASTED = "Добрый день!\r\nКак ввести остатки по складу?\n\n  С уважением, Иванов  \n"
JOINED = "Добрый день! Как ввести остатки по складу? С уважением, Иванов"


def test_one_line_joins_the_lines_with_single_spaces():
    assert one_line(PASTED) == JOINED
    assert one_line("\n \n") == ""
    assert one_line("Склад\tОстатки\t12 шт.") == "Склад Остатки 12 шт."  # a row pasted from a table
    assert one_line("1\u00a0500\u00a0₽ и  два пробела") == "1\u00a0500\u00a0₽ и  два пробела"  # kept as typed


def test_a_pasted_question_and_answer_are_saved_and_the_answer_when_closing_too(qtbot, db):
    from ui.dialogs.questions.close_dialog import CloseQuestionDialog
    from ui.dialogs.questions.question_dialog import QuestionDialog

    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    dialog = QuestionDialog("ООО «Ромашка»", [], lambda data: questions.add_question(db, cid, data),
                            today=date(2026, 3, 10))
    qtbot.addWidget(dialog)
    dialog.text.setPlainText(PASTED)
    dialog.answer.setPlainText("Через\nдокумент «Ввод остатков»")
    dialog.accept()
    assert dialog.result() == 1, dialog.error.text()
    [row] = questions.list_questions(db, cid)
    assert (row.question, row.answer) == (JOINED, "Через документ «Ввод остатков»")
    close = CloseQuestionDialog(row, lambda choice: questions.close_question(
        db, row.id, answer=choice.answer, on=choice.on), today=date(2026, 3, 10))
    qtbot.addWidget(close)
    close.answer.setPlainText("Показали\nна конференции")
    close.accept()
    assert close.result() == 1, close.error.text()
    assert questions.list_questions(db, cid)[0].answer == "Показали на конференции"


def test_a_pasted_event_note_is_saved(qtbot, db):
    from ui.dialogs.plan.event_dialog import EventDialog

    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    dialog = EventDialog([(cid, "ООО «Ромашка»")], [], lambda _cid: [],
                         lambda client_id, data: plan.add_event(db, client_id, data, on=date(2026, 3, 10)),
                         client_id=cid, start=datetime(2026, 3, 12, 10, 0))
    qtbot.addWidget(dialog)
    dialog.note.setPlainText("взять ноутбук\nи проектор")
    dialog.place.setText("ул. Ленина\t1")  # a one-line box takes a pasted tab too
    dialog.accept()
    assert dialog.result() == 1, dialog.error.text()
    row = plan.list_events(db, cid)[0]
    assert (row.note, row.place) == ("взять ноутбук и проектор", "ул. Ленина 1")
