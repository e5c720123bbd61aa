"""«Документы ▸ Реестр документов…» lists every document; the selected client's are one tick away, and the title
says when the list is narrowed to them (tester Q #4: it silently showed only the selected client's)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication, QCheckBox

from app.reports import printing
from app.services import documents as docs
from tests.reports.helpers import CLIENT_NAME, MARCH, build_world
from tests.ui.test_main_window import answer_modal, make_window
from ui.dialogs.documents.register import DocumentsRegisterDialog
from ui.models.documents import DocumentTableModel


def issued(db):
    """Two documents of the remote client, one of the other (free) client."""
    world = build_world(db)
    printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=date(2026, 3, 31)))
    printing.issue(db, docs.prepare_signoff(db, world.client_id, on=date(2026, 3, 16)))
    printing.issue(db, docs.prepare_progress(db, world.free_client_id, on=date(2026, 3, 20)))
    return world


def codes(dialog) -> set[str]:
    return {dialog.proxy.index(r, DocumentTableModel.COL_NUMBER).data() for r in range(dialog.proxy.rowCount())}


def test_the_menu_register_shows_every_document_with_the_selected_client_one_tick_away(qtbot, db, tmp_path):
    world = issued(db)
    window = make_window(qtbot, db, tmp_path)
    window.set_current_client(world.client_id)
    seen = {}

    def look(dialog) -> None:
        try:
            seen["all"] = (dialog.windowTitle(), codes(dialog))
            only = dialog.findChild(QCheckBox, "documentsOnlyClient")
            seen["box"] = (only.isVisible(), only.isChecked(), only.text())
            dialog.grab().save(str(tmp_path / "register-all.png"))
            only.setChecked(True)
            QApplication.processEvents()
            seen["one"] = (dialog.windowTitle(), codes(dialog))
            dialog.grab().save(str(tmp_path / "register-one.png"))
            only.setChecked(False)
            seen["again"] = (dialog.windowTitle(), len(codes(dialog)))
        finally:
            dialog.accept()

    answer_modal(look)
    window.documents_register()
    title, shown = seen["all"]
    assert title == "Реестр документов" and len(shown) == 3
    visible, checked, text = seen["box"]
    assert visible and not checked
    assert text == "Только «ООО „Ромашка“»" == f"Только «{CLIENT_NAME.replace('«', '„').replace('»', '“')}»"
    title, shown = seen["one"]
    assert title == f"Реестр документов — {CLIENT_NAME}" and len(shown) == 2
    assert seen["again"] == ("Реестр документов", 3)


def test_with_no_client_the_box_is_not_offered(qtbot, db):
    issued(db)
    dialog = DocumentsRegisterDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.proxy.rowCount() == 3 and not dialog.client_check.isVisible()
    assert dialog.windowTitle() == "Реестр документов"


def test_opened_for_one_client_it_says_so_and_keeps_it_across_a_reload(qtbot, db):
    world = issued(db)
    dialog = DocumentsRegisterDialog(db, world.free_client_id, client_name="ООО «Бесплатное»", only_client=True)
    qtbot.addWidget(dialog)
    assert dialog.client_check.isChecked() and dialog.windowTitle() == "Реестр документов — ООО «Бесплатное»"
    assert dialog.proxy.rowCount() == 1
    dialog.reload()
    assert dialog.proxy.rowCount() == 1
    dialog.client_check.setChecked(False)
    assert dialog.proxy.rowCount() == 3


def test_a_long_client_name_leaves_the_search_its_room(qtbot, db):
    world = issued(db)
    name = "ООО «" + "Очень длинное название предприятия " * 4 + "»"
    dialog = DocumentsRegisterDialog(db, world.client_id, client_name=name)
    qtbot.addWidget(dialog)
    dialog.resize(980, 560)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.client_check.text().endswith("…»") and name in dialog.client_check.toolTip()
    assert dialog.search_edit.width() > 200
