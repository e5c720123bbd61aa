"""The event's note, a question and its answer are typed in multi-line boxes and keep their lines (tester O item 8,
2026-12-05: «Шаг 1⏎Шаг 2» came back as one run-on line; before that any line break was refused «должно быть в одну
строку»). A pasted e-mail's CR LF become line breaks, the text is trimmed; the one-line boxes beside them (place,
section) still join a pasted tab or line break. Each dialog here submits to the real service."""

from __future__ import annotations

from datetime import date, datetime

from app.services import plan, plan_read, questions
from app.services.clients import ClientInput, add_client
from ui.qtutil import one_line

PASTED = "Добрый день!\r\nКак ввести остатки по складу?\n\n  С уважением, Иванов  \n"
JOINED = "Добрый день! Как ввести остатки по складу? С уважением, Иванов"
KEPT = "Добрый день!\nКак ввести остатки по складу?\n\n  С уважением, Иванов"


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
    assert (row.question, row.answer) == (KEPT, "Через\nдокумент «Ввод остатков»")
    close = CloseQuestionDialog(row, lambda choice: questions.close_question(
        db, row.id, answer=choice.answer, on=choice.on), today=date(2026, 3, 10))
    qtbot.addWidget(close)
    close.answer.setPlainText("Показали\nна конференции")
    close.accept()
    assert close.result() == 1, close.error.text()
    assert questions.list_questions(db, cid)[0].answer == "Показали\nна конференции"


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
    row = plan_read.list_events(db, cid)[0]
    assert (row.note, row.place) == ("взять ноутбук\nи проектор", "ул. Ленина 1")


def test_closing_a_question_of_several_lines_with_time_logs_a_one_line_note(db):
    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    qid, _ = questions.add_question(db, cid, questions.QuestionInput(date(2026, 3, 10), "phone", "Как закрыть месяц?\n"
                                                                      "1. Склад\n2. Производство"))
    entry_id, _ = questions.close_question(db, qid, answer="Шаг 1\nШаг 2", minutes="30", on=date(2026, 3, 10))
    from app.services.worklog_read import list_entries

    [entry] = [e for e in list_entries(db, cid).rows if e.id == entry_id]
    assert entry.note == "Вопрос: Как закрыть месяц? 1. Склад 2. Производство"
    assert questions.list_questions(db, cid)[0].answer == "Шаг 1\nШаг 2"


def test_the_questions_table_shows_one_line_and_the_tooltip_every_line(qtbot, db):
    from PySide6.QtCore import Qt

    from ui.models.questions import QuestionsModel

    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    questions.add_question(db, cid, questions.QuestionInput(date(2026, 3, 10), "phone", "Как закрыть месяц?\n1. Склад",
                                                            answer="Шаг 1\nШаг 2"))
    model = QuestionsModel()
    model.set_rows(questions.list_questions(db, cid))
    index = model.index(0, QuestionsModel.COL_QUESTION)
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "Как закрыть месяц? 1. Склад"
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == "Как закрыть месяц?\n1. Склад\n\nШаг 1\nШаг 2"


def test_cli_lists_a_question_of_several_lines_on_one_row_and_its_json_keeps_them(cli):
    import json

    status, _out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")
    assert status == 0, err
    status, _out, err = cli("questions", "add", "1", "--text", "Как закрыть месяц?\n1. Склад", "--answer", "Шаг 1\nШаг 2", "--channel", "phone")
    assert status == 0, err
    status, out, _err = cli("questions", "list")
    assert status == 0 and out.strip().endswith("Как закрыть месяц? 1. Склад")
    [row] = json.loads(cli("questions", "list", "--json")[1])
    assert (row["question"], row["answer"]) == ("Как закрыть месяц?\n1. Склад", "Шаг 1\nШаг 2")
