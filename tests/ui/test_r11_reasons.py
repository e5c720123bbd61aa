"""One rule for reasons (tester N, item 3): a reason typed in a multi-line box keeps its line breaks (a void's, a
sign-off's with remarks, as a stage move's always did), and a refused reason keeps its box open with the text."""

from __future__ import annotations

from datetime import date

import pytest

from app.reports import printing
from app.services import documents as docs
from tests.reports.helpers import MARCH, build_world
from ui.dialogs.documents.register import DocumentsRegisterDialog


@pytest.fixture
def act(db):
    world = build_world(db)
    return printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=date(2026, 3, 31)))


def test_a_two_line_void_reason_voids_the_document(qtbot, db, act):
    dialog = DocumentsRegisterDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.select_id(act.id)
    assert dialog.void_selected("Ошибка в периоде\nвыставлен заново")
    row = docs.find_document(db, act.code)
    assert row.voided_on is not None and row.void_reason == "Ошибка в периоде\nвыставлен заново"


def test_a_refused_void_reason_keeps_the_box_open_with_the_text(qtbot, db, act):
    dialog = DocumentsRegisterDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.select_id(act.id)
    box = dialog.void_dialog()
    qtbot.addWidget(box)
    box.show()
    typed = "Ошибка\u200b в периоде"  # an invisible character: refused by the service
    box.text.setPlainText(typed)
    assert not box.submit()
    assert box.isVisible() and box.text.toPlainText() == typed
    assert "невидимые" in box.problem.text()
    assert docs.find_document(db, act.code).voided_on is None
    box.text.setPlainText("Ошибка в периоде\nвыставлен заново")
    assert box.submit() and not box.isVisible()
    assert docs.find_document(db, act.code).void_reason == "Ошибка в периоде\nвыставлен заново"
    assert dialog.model.row_at(0).voided_on is not None


def test_a_sign_off_reason_takes_line_breaks(db):
    world = build_world(db)
    draft = docs.prepare_signoff(db, world.client_id, on=date(2026, 3, 16), stage=2, force=True,
                                 reason="Склад не внесён\nостатки на 01.04")
    assert draft.content["remarks_reason"] == "Склад не внесён\nостатки на 01.04"


def test_cli_voids_with_a_two_line_reason_and_lists_it_on_one_line(cli, sqlite_path):
    from app.persistence.db import open_database

    status, _out, _err = cli("clients", "list")  # creates the file
    assert status == 0
    database = open_database(f"sqlite:///{sqlite_path}")
    try:
        world = build_world(database)
        code = printing.issue(database, docs.prepare_act(database, world.client_id, *MARCH,
                                                         on=date(2026, 3, 31))).code
    finally:
        database.dispose()
    status, out, err = cli("documents", "void", code, "--reason", "Ошибка в периоде\nвыставлен заново")
    assert status == 0, err
    assert "Ошибка в периоде / выставлен заново" in out
    status, out, _err = cli("documents", "list")
    line = next(line for line in out.splitlines() if line.startswith(code))
    assert line.endswith("Ошибка в периоде / выставлен заново")


def test_the_move_guard_keeps_a_refused_reason_and_stays_open(qtbot):
    from app.services.progress import MovePreview
    from ui.dialogs.stages.move_guard import MoveGuardDialog

    guard = MoveGuardDialog(MovePreview(1, 2, 1, False, []), "ООО «Ромашка»")
    qtbot.addWidget(guard)
    guard.show()
    typed = "Склад\u200b заново"
    guard.reason.setPlainText(typed)
    guard.ok.click()
    assert guard.isVisible() and guard.result() == 0 and guard.reason.toPlainText() == typed
    assert "невидимые" in guard.hint.text()
    guard.reason.setPlainText("Склад заново\nпо новой форме")
    guard.ok.click()
    assert not guard.isVisible() and guard.decision().reason == "Склад заново\nпо новой форме"


def test_a_long_prompt_keeps_all_its_lines_above_the_text_box(qtbot):
    """The rounding question names the acts, then asks: the wrapped prompt got the height of one narrow line each and
    its last line («…Почему оно меняется?») was cut under the text box (the review's look at the box)."""
    from PySide6.QtWidgets import QLabel

    from ui.dialogs.reason import ReasonDialog

    prompt = ("Округление при расчёте действует для работ всех периодов, а выставленные работы сохраняют округление "
              "своего акта: 01.10.2026–31.10.2026 — акт АУ-4/2026; 01.11.2026–30.11.2026 — акт АУ-6/2026. "
              "Аннулируйте акты или подтвердите изменение.\n\nИзменить округление всё равно? Выставленные работы "
              "сохранят округление своих актов. Почему оно меняется?")
    box = ReasonDialog("Изменение округления", prompt, lambda _text: "Причина: не более 2 000 знаков.")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    label = next(child for child in box.findChildren(QLabel) if child.text() == prompt)
    assert label.height() >= label.heightForWidth(label.width())  # every line of the prompt has its room
    box.text.setPlainText("Новые правила")
    assert not box.submit()  # refused: the refusal's line appears under the box, the prompt keeps its lines
    qtbot.wait(10)
    assert box.problem.isVisible() and label.height() >= label.heightForWidth(label.width())
