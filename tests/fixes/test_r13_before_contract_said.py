"""A lesson watched, a checklist item done or a question asked on a day before the client's contract is taken but
said, as `log add` says it of work: `lessons done … --date 2024-01-01` for a contract of 01.07.2024 and `questions add
… --date` before the contract passed without a word (a fresh tester, round 13)."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def signed(cli):
    status, _out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote",
                            "--contract-date", "2024-07-01")
    assert status == 0, err
    return cli


def test_lessons_watched_before_the_contract(signed):
    status, out, err = signed("lessons", "done", "7707083893", "L03", "L01", "--date", "2024-01-01")
    assert status == 0 and "L03" in out
    assert err.strip() == ("Обратите внимание: уроки L03, L01 отмечены просмотренными 01.01.2024 — раньше договора "
                           "от 01.07.2024.")
    status, _out, err = signed("lessons", "done", "1", "L04", "--date", "2024-07-01")  # the contract's day: nothing
    assert status == 0 and err == ""


def test_checklist_item_done_before_the_contract(signed):
    assert signed("stage", "advance", "1")[0] == 0
    status, _out, err = signed("checklist", "done", "1", "s1.lessons", "--date", "2024-06-30")
    assert status == 0
    assert err.strip() == ("Обратите внимание: пункты s1.lessons отмечены выполненными 30.06.2024 — раньше договора "
                           "от 01.07.2024.")


def test_question_asked_before_the_contract(signed):
    status, out, err = signed("questions", "add", "1", "--channel", "телефон", "--text", "Как?", "--date", "2024-06-01")
    assert status == 0 and out.strip() == "1"
    assert err.strip() == "Обратите внимание: вопрос № 1 датирован 01.06.2024 — раньше договора от 01.07.2024."
    status, _out, err = signed("questions", "add", "1", "--channel", "телефон", "--text", "А так?", "--date",
                               "2024-08-01")
    assert status == 0 and err == ""


def test_the_question_dialog_says_it(qtbot):
    from PySide6.QtCore import QDate

    from ui.dialogs.questions.question_dialog import QuestionDialog

    got: list = []
    dialog = QuestionDialog("ООО «Ромашка»", [], got.append, today=date(2026, 3, 10), contract=date(2026, 3, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.before_contract.isVisible()
    dialog.asked_on.setDate(QDate(2026, 2, 27))
    assert dialog.before_contract.isVisible()
    assert dialog.before_contract.text() == "Вопрос датирован 27.02.2026 — раньше договора от 01.03.2026."
    dialog.text.setPlainText("Где отчёт?")
    dialog.accept()  # taken, not refused
    assert got[0].asked_on == date(2026, 2, 27)
