"""Document preview (QPdfView with the real PDF), printing, executor details dialog and the register dialog."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from app.reports import printing
from app.services import documents as docs
from tests.reports.helpers import CLIENT_NAME, EXECUTOR, MARCH, build_world, clear_executor, pdf_text
from ui.dialogs.documents import preview as view
from ui.dialogs.documents.executor import ExecutorDialog
from ui.dialogs.documents.register import DocumentsRegisterDialog
from ui.models.documents import DocumentTableModel


@pytest.fixture
def world(db):
    return build_world(db)


def has_ink(widget) -> bool:
    """True once the widget shows dark pixels (text, table lines), i.e. the PDF page was really drawn."""
    image = widget.grab().toImage()
    dark = sum(1 for y in range(0, image.height(), 6) for x in range(0, image.width(), 6)
               if image.pixelColor(x, y).lightness() < 100)
    return dark > 30


def ready(qtbot, dialog):
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.is_ready() or dialog.error is not None, timeout=20000)
    return dialog


def test_signoff_preview_shows_the_pdf_and_registers_on_save(qtbot, db, world, tmp_path):
    dialog = ready(qtbot, view.signoff_dialog(None, db, world.client_id))
    assert dialog.error is None
    assert dialog.view.document() is dialog.document
    assert dialog.document.status() == QPdfDocument.Status.Ready
    assert dialog.document.pageCount() >= 1
    assert "АП-1/" in dialog.info_label.text() and dialog.print_button.isEnabled()
    assert docs.list_documents(db) == []  # only a preview so far
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: has_ink(dialog.view.viewport()), timeout=15000)
    dialog.grab().save(str(tmp_path / "preview.png"))
    target = tmp_path / "signoff.pdf"
    assert dialog.save_to(target)
    assert "сдачи-приёмки этапа" in pdf_text(target.read_bytes())
    rows = docs.list_documents(db)
    assert [r.kind for r in rows] == ["signoff"] and dialog.changes.documents
    assert dialog.save_to(tmp_path / "again.pdf")  # a second save does not issue another number
    assert len(docs.list_documents(db)) == 1
    assert (tmp_path / "again.pdf").read_bytes() == target.read_bytes()


def test_print_renders_every_page_to_the_printer(qtbot, db, world, tmp_path):
    dialog = ready(qtbot, view.progress_dialog(None, db, world.client_id))
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = dialog.print_to(printer)
    assert pages == dialog.document.pageCount() >= 1
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    assert [r.kind for r in docs.list_documents(db)] == ["progress"]


def test_missing_executor_details_are_reported_not_previewed(qtbot, db, world):
    clear_executor(db)
    dialog = ready(qtbot, view.estimate_dialog(None, db, world.client_id))
    assert dialog.error is not None and "реквизиты исполнителя" in dialog.error
    assert "ФИО специалиста" in dialog.info_label.text()
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    assert not dialog.save_to("/nonexistent/x.pdf")
    assert docs.list_documents(db) == []
    assert not dialog.executor_button.isHidden()  # the form is one click away
    docs.set_executor(db, EXECUTOR)
    dialog.retry()
    qtbot.waitUntil(lambda: dialog.is_ready() or dialog.error is not None, timeout=20000)
    assert dialog.error is None and dialog.document.pageCount() == 1 and dialog.executor_button.isHidden()


def test_open_functions_return_changes_only_when_issued(qtbot, db, world, tmp_path, monkeypatch):
    def save_and_close(self):
        qtbot.waitUntil(self.is_ready, timeout=20000)
        self.save_to(tmp_path / "estimate.pdf")
        return 0

    monkeypatch.setattr(view.PdfPreviewDialog, "exec", save_and_close)
    changes = view.open_estimate_preview(None, db, world.client_id)
    assert changes is not None and changes.documents and world.client_id in changes.client_ids
    monkeypatch.setattr(view.PdfPreviewDialog, "exec",
                        lambda self: qtbot.waitUntil(self.is_ready, timeout=20000) or 0)
    assert view.open_signoff_preview(None, db, world.client_id) is None
    document_id = docs.list_documents(db)[0].id
    assert view.open_document_preview(None, db, document_id) is None
    assert len(docs.list_documents(db)) == 1


def test_reprint_dialog_loads_the_stored_document(qtbot, db, world):
    issued = printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=date(2026, 3, 31)))
    dialog = ready(qtbot, view.document_dialog(None, db, issued.id))
    assert dialog.pdf == issued.pdf and dialog.document.pageCount() == 1
    assert "АУ-1/2026" in dialog.info_label.text() and CLIENT_NAME in dialog.info_label.text()
    assert dialog.file_name == "АУ-1-2026 ООО Ромашка.pdf"


def test_executor_dialog_validates_and_saves(qtbot, db, world, tmp_path):
    clear_executor(db)
    dialog = ExecutorDialog(db)
    qtbot.addWidget(dialog)
    assert "наименование организации" in dialog.hint_label.text()
    dialog.edits["inn"].setText("7707083894")
    assert not dialog.save()
    assert "контрольн" in dialog.error_label.text().lower() or "ИНН" in dialog.error_label.text()
    assert docs.get_executor(db).inn == ""
    values = {"company": "ООО «Внедрение»", "inn": "7707083893", "kpp": "770701001", "address": "Москва",
              "city": "Москва", "specialist_name": "Петров Пётр Петрович", "specialist_position": "Инженер"}
    for name, value in values.items():
        dialog.edits[name].setText(value)
    dialog.vat_combo.setCurrentIndex(dialog.vat_combo.findData("20"))
    assert not dialog.hint_label.text()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "executor.png"))
    assert dialog.save()
    saved = docs.get_executor(db)
    assert (saved.company, saved.specialist_name, str(saved.vat_rate)) == ("ООО «Внедрение»", "Петров Пётр Петрович",
                                                                           "20.00")
    assert dialog.changes.settings


def test_register_dialog_lists_filters_and_marks_returned(qtbot, db, world, tmp_path):
    act = printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=date(2026, 3, 31)))
    printing.issue(db, docs.prepare_signoff(db, world.client_id, on=date(2026, 3, 16)))
    dialog = DocumentsRegisterDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.proxy.rowCount() == 2
    assert dialog.select_id(act.id)
    assert not dialog.clear_button.isEnabled()
    assert dialog.mark_returned(date(2026, 4, 2))
    assert docs.find_document(db, act.code).signed_returned_on == date(2026, 4, 2)
    assert dialog.changes.documents
    row = dialog.proxy.mapFromSource(dialog.model.index(0, 0)).row()
    assert row >= 0
    texts = {dialog.proxy.index(r, DocumentTableModel.COL_NUMBER).data():
             dialog.proxy.index(r, DocumentTableModel.COL_RETURNED).data() for r in range(2)}
    assert texts == {"АУ-1/2026": "02.04.2026", "АП-1/2026": "ещё нет"}
    dialog.missing_check.setChecked(True)
    assert dialog.proxy.rowCount() == 1
    dialog.missing_check.setChecked(False)
    dialog.search_edit.setText("АУ-1")
    assert dialog.proxy.rowCount() == 1
    dialog.search_edit.setText("")
    assert dialog.select_id(act.id) and dialog.clear_button.isEnabled()
    assert not dialog.mark_returned(date(2026, 3, 1))  # before the act was issued
    assert "раньше" in dialog.message_label.text()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "register.png"))


def test_register_model_passes_qtmodeltester(qtmodeltester, db, world):
    printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=date(2026, 3, 31)))
    model = DocumentTableModel()
    model.set_rows(docs.list_documents(db))
    qtmodeltester.check(model)
    assert model.index(0, DocumentTableModel.COL_TOTAL).data() == "26 250,00"
    assert model.index(0, DocumentTableModel.COL_KIND).data().startswith("Акт оказанных услуг")


# ------------------------------------------------------------------ the same document is issued once


def test_preview_of_an_issued_document_shows_it_and_issues_nothing(qtbot, db, world, tmp_path):
    issued = printing.issue(db, docs.prepare_signoff(db, world.client_id))
    dialog = ready(qtbot, view.signoff_dialog(None, db, world.client_id))
    assert dialog.error is None and dialog.earlier
    assert dialog.info_label.text() == f"Документ уже оформлен: {issued.code} — печатается повторно"
    assert dialog.pdf == issued.pdf and dialog.file_name == docs.suggested_file_name(issued.code, CLIENT_NAME)
    assert not dialog.reissue_button.isHidden() and dialog.reissue_button.text() == "Оформить заново"
    assert dialog.save_to(tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes() == issued.pdf
    assert len(docs.list_documents(db)) == 1 and dialog.changes is None
    assert "уже оформлен" in dialog.info_label.text()


def test_preview_twice_registers_once(qtbot, db, world, tmp_path):
    # an act bills only work not billed yet (issue 10): the same sheet is what a second preview reprints
    first = ready(qtbot, view.signoff_dialog(None, db, world.client_id, 1))
    assert not first.earlier and first.reissue_button.isHidden()
    assert first.save_to(tmp_path / "a.pdf") and first.changes.documents
    second = ready(qtbot, view.signoff_dialog(None, db, world.client_id, 1))
    assert second.earlier and second.save_to(tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert [r.code for r in docs.list_documents(db)] == ["АП-1/2026"]


def test_issue_anew_button_gives_a_new_number(qtbot, db, world, tmp_path):
    printing.issue(db, docs.prepare_signoff(db, world.client_id))
    dialog = ready(qtbot, view.signoff_dialog(None, db, world.client_id))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "earlier.png"))
    qtbot.mouseClick(dialog.reissue_button, Qt.MouseButton.LeftButton)
    assert dialog.reissue_button.isHidden() and not dialog.print_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.is_ready() or dialog.error is not None, timeout=20000)
    assert dialog.error is None and not dialog.earlier and "АП-2/2026" in dialog.info_label.text()
    assert len(docs.list_documents(db)) == 1  # still only a preview
    assert dialog.save_to(tmp_path / "new.pdf")
    assert sorted(r.code for r in docs.list_documents(db)) == ["АП-1/2026", "АП-2/2026"]
    assert "АКТ № АП-2/2026" in pdf_text((tmp_path / "new.pdf").read_bytes()) and dialog.changes.documents


# ------------------------------------------------------------------ period dialog


def test_period_dialog_defaults_to_the_previous_month_and_refuses_a_reversed_period(qtbot):
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.dialogs.documents.period import PeriodDialog, previous_month

    assert previous_month(date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert previous_month(date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))
    dialog = PeriodDialog(None, "Акт", on=date(2026, 3, 31))
    qtbot.addWidget(dialog)
    assert dialog.period() == (date(2026, 2, 1), date(2026, 2, 28))
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.to_edit.setDate(QDate(2026, 1, 31))
    assert not ok.isEnabled() and "Начало периода" in dialog.error_label.text()
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.to_edit.setDate(QDate(2026, 3, 10))
    assert ok.isEnabled() and dialog.error_label.text() == ""


def answer_period(accept: bool, set_from=None, set_to=None) -> None:
    """Answer the real period dialog from inside its event loop (optionally typing the dates first)."""
    from PySide6.QtWidgets import QApplication

    from ui.dialogs.documents.period import PeriodDialog

    def handle(left=200):
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, PeriodDialog):
            if left:
                QTimer.singleShot(10, lambda: handle(left - 1))
            return
        if set_to is not None:
            widget.to_edit.setDate(set_to)
        if set_from is not None:
            widget.from_edit.setDate(set_from)
        widget.accept() if accept else widget.reject()

    QTimer.singleShot(0, handle)


def test_ask_period_answered_by_the_user(qtbot):
    from PySide6.QtCore import QDate

    from ui.dialogs.documents.period import ask_period

    answer_period(True, QDate(2026, 2, 20))
    assert ask_period(None, "", on=date(2026, 3, 5)) == (date(2026, 2, 20), date(2026, 2, 28))
    answer_period(False)
    assert ask_period(None, "", on=date(2026, 3, 5)) is None


# ------------------------------------------------------------------ the window, the card, the kanban


def make_window(qtbot, db, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    window = MainWindow(db, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window.errors = []
    window.show_error = window.errors.append
    window.ask_unsaved = lambda n: True
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.wait_for_background()
    return window


def test_documents_menu_act_of_services_asks_the_period_and_issues_the_act(qtbot, db, world, tmp_path, monkeypatch):
    from PySide6.QtCore import QDate

    window = make_window(qtbot, db, tmp_path)
    window.set_current_client(world.client_id)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Документы")
    texts = [a.text().replace("&", "") for a in menu.actions()]  # each with its Alt-letter
    assert "Акт оказанных услуг…" in texts and window.act_act_doc.isEnabled()

    def save_and_close(self):
        qtbot.waitUntil(lambda: self.is_ready() or self.error is not None, timeout=20000)
        assert self.error is None, self.error
        self.save_to(tmp_path / "act.pdf")
        return 0

    monkeypatch.setattr(view.PdfPreviewDialog, "exec", save_and_close)
    answer_period(True, QDate(2026, 3, 1), QDate(2026, 3, 31))
    window.act_act_doc.trigger()
    rows = docs.list_documents(db)
    assert [(r.kind, r.client_id, r.period_from, r.period_to) for r in rows] == [("act", world.client_id, *MARCH)]
    answer_period(False)
    window.act_act_doc.trigger()  # cancelled: no preview, nothing issued
    assert len(docs.list_documents(db)) == 1


def test_client_card_and_kanban_print_the_stage_signoff(qtbot, db, world, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(view, "open_signoff_preview", lambda parent, db_, client_id, stage=None: calls.append(
        (parent, client_id, stage)))
    window = make_window(qtbot, db, tmp_path)
    window.set_current_client(world.client_id)
    button = window.work_area.card.signoff_button
    assert button.text() == "Печать акта этапа" and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert calls == [(window, world.client_id, None)]

    window.set_current_client(world.free_client_id)  # stage 0: nothing to sign off
    assert not window.work_area.card.signoff_button.isEnabled()
    assert not window.work_area.card.signoff_button.isEnabled()

    board = window.work_area.board
    column = board.columns[2]
    index = column.model.index(column.model.row_of(world.client_id), 0)
    menu = board.card_menu(column, column.view.visualRect(index).center())
    qtbot.addWidget(menu)
    action = menu.actions()[0]
    assert action.objectName() == "kanbanSignoff" and action.text() == "Акт сдачи-приёмки этапа…" and action.isEnabled()
    action.trigger()
    assert calls[-1] == (window, world.client_id, None)
    assert board.card_menu(column, column.view.viewport().rect().bottomRight()) is None  # off the cards
    first = board.columns[0]
    index = first.model.index(first.model.row_of(world.free_client_id), 0)
    assert not board.card_menu(first, first.view.visualRect(index).center()).actions()[0].isEnabled()
    assert len(calls) == 2


def test_no_signoff_is_offered_before_a_stage_is_completed(qtbot, db, world, tmp_path):
    """At stage 1 the sheet's stage (the last completed) does not exist: the window offered it and answered with the
    command line's «укажите сдаваемый этап (--stage)»."""
    from app.services.progress import move_stage

    move_stage(db, world.free_client_id, 1, force=True, reason="тест")
    window = make_window(qtbot, db, tmp_path)
    window.set_current_client(world.free_client_id)
    card = window.work_area.card
    qtbot.waitUntil(lambda: card.details is not None and card.client_id == world.free_client_id)
    assert card.details.stage == 1 and not card.signoff_button.isEnabled()
    column = window.work_area.board.columns[1]
    index = column.model.index(column.model.row_of(world.free_client_id), 0)
    menu = window.work_area.board.card_menu(column, column.view.visualRect(index).center())
    qtbot.addWidget(menu)
    assert menu.actions()[0].objectName() == "kanbanSignoff" and not menu.actions()[0].isEnabled()
    # the toolbar, the «Документы» menu and Ctrl+P are the same action: greyed too
    assert not window.act_signoff.isEnabled()
    window.set_current_client(world.client_id)
    assert window.act_signoff.isEnabled()


def test_a_signoff_asked_for_at_stage_1_is_said_in_the_status_bar(qtbot, db, world, tmp_path, monkeypatch):
    """An action greyed a moment late (a sync moved the client back) must not open the preview that answers with
    the command line's option."""
    from app.services.progress import move_stage

    opened = []
    monkeypatch.setattr(view, "open_signoff_preview", lambda *args, **kwargs: opened.append(args))
    move_stage(db, world.free_client_id, 1, force=True, reason="тест")
    window = make_window(qtbot, db, tmp_path)
    window.print_signoff(world.free_client_id)
    assert opened == []
    assert window.statusBar().currentMessage().startswith("«") and "ещё не завершил ни одного этапа" in \
        window.statusBar().currentMessage()
    window.print_signoff(world.client_id)
    assert len(opened) == 1
