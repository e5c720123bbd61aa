"""Item models not covered elsewhere through qtmodeltester (work-log proxy, document register proxy), and Qt's
own Russian translation being loaded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialogButtonBox

from app import i18n
from app.services import worklog, worklog_read
from app.services.clients import ClientInput, add_client
from app.services.documents import DocumentRow
from app.services.worklog import EntryInput
from ui import app as ui_app
from ui.models.documents import DocumentFilterProxy, DocumentTableModel
from ui.models.worklog import WorkLogModel, WorkLogProxy

JULY = date(2024, 7, 1)


def test_worklog_proxy_passes_the_model_tester(qtmodeltester, db):
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    for day, kind, measure in ((JULY, "conference", {"minutes": 95}), (date(2024, 7, 3), "onsite_day", {"days": D(1)}),
                               (date(2024, 7, 2), "lodging", {"amount": D("7000")})):
        worklog.add_entry(db, client_id, EntryInput(day, kind, note="примечание", **measure))
    model = WorkLogModel()
    proxy = WorkLogProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)  # empty
    model.set_rows(worklog_read.list_entries(db, client_id).rows)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 3
    proxy.sort(WorkLogModel.COL_DATE, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(proxy)
    dates = [proxy.index(r, WorkLogModel.COL_DATE).data() for r in range(3)]
    assert dates == sorted(dates, key=lambda t: t.split(".")[::-1])


def document(n: int, code: str, client: str, returned: date | None) -> DocumentRow:
    return DocumentRow(id=n, kind="act", year=2026, number=n, code=code, client_id=n, client_name=client,
                       client_inn="7707083893", issued_on=date(2026, 3, n), stage=None, period_from=date(2026, 3, 1),
                       period_to=date(2026, 3, 10), total=D("26250.00"), signed_returned_on=returned)


def test_document_filter_proxy_passes_the_model_tester(qtmodeltester):
    model = DocumentTableModel()
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)  # empty
    model.set_rows([document(1, "АУ-1/2026", "ООО «Ромашка»", date(2026, 3, 20)),
                    document(2, "АУ-2/2026", "ООО «Лютик»", None),
                    document(3, "АУ-3/2026", "ИП Сидоров", None)])
    qtmodeltester.check(proxy)
    proxy.set_text("лютик")
    assert proxy.rowCount() == 1
    qtmodeltester.check(proxy)
    proxy.set_text("")
    proxy.set_only_missing(True)
    assert proxy.rowCount() == 2
    proxy.sort(DocumentTableModel.COL_NUMBER, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    assert [proxy.index(r, 0).data() for r in range(2)] == ["АУ-3/2026", "АУ-2/2026"]


@pytest.fixture
def restore_language():
    yield
    settings = ui_app.settings()
    settings.remove("ui/language")
    settings.sync()
    i18n.set_language("ru")
    ui_app.ensure_application()


def test_qt_own_dialog_texts_are_russian(qapp, restore_language):
    settings = ui_app.settings()
    settings.setValue("ui/language", "en")
    settings.sync()
    ui_app.ensure_application()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    settings.setValue("ui/language", "ru")
    settings.sync()
    ui_app.ensure_application()
    # the context QDialogButtonBox's standard buttons are translated in (QPlatformTheme::defaultStandardButtonText)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Отмена"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    try:
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Отмена"
    finally:
        box.deleteLater()


def test_far_drop_is_refused_with_a_status_bar_message(qtbot, db, tmp_path):
    from datetime import datetime

    from PySide6.QtCore import QModelIndex, QPointF, QSettings
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent
    from PySide6.QtWidgets import QApplication

    from app.domain.client_summary import ClientSummary
    from app.services.client_list import list_clients
    from ui.main_window import MainWindow
    from ui.models.client_drag import encode_clients
    from ui.models.clients import ClientTableModel
    from ui.models.kanban_columns import KanbanColumnModel

    def row(cid: int, stage: int) -> ClientSummary:
        return ClientSummary(cid, f"u{cid}", f"Клиент {cid}", "7707083893", "remote", stage, datetime(2024, 7, 1),
                             "", None, "", "", "", "", "", 0, 0, 0, 0)

    source = ClientTableModel()
    source.set_rows([row(1, 0), row(2, 1)])
    stage2 = KanbanColumnModel(2, source)
    move = Qt.DropAction.MoveAction
    with qtbot.waitSignal(stage2.move_refused) as blocker:
        assert not stage2.dropMimeData(encode_clients([row(1, 0)]), move, -1, -1, QModelIndex())
    assert blocker.args == ["Перевод возможен только на соседний этап."]
    with qtbot.assertNotEmitted(stage2.move_refused):
        assert stage2.dropMimeData(encode_clients([row(2, 1)]), move, -1, -1, QModelIndex())

    # the real window: dragging a «Новый» card over «Этап 3» explains in the status bar
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    window = MainWindow(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.wait_for_background()
    [summary] = list_clients(db, ids=[client_id])
    view = window.work_area.board.view_of(3)
    mime = encode_clients([summary])  # keep a reference: the event does not own it
    enter = QDragEnterEvent(QPointF(10, 10).toPoint(), move, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), enter)
    drag_move = QDragMoveEvent(QPointF(10, 10).toPoint(), move, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), drag_move)
    assert not drag_move.isAccepted()  # the view still refuses the drop
    assert window.statusBar().currentMessage() == "Перевод возможен только на соседний этап."
    assert list_clients(db, ids=[client_id])[0].stage == 0
    window.statusBar().clearMessage()
    near = window.work_area.board.view_of(1).viewport()
    QApplication.sendEvent(near, QDragEnterEvent(QPointF(10, 10).toPoint(), move, mime, Qt.MouseButton.LeftButton,
                                                 Qt.KeyboardModifier.NoModifier))
    drag_move = QDragMoveEvent(QPointF(10, 10).toPoint(), move, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(near, drag_move)
    assert drag_move.isAccepted()
    assert window.statusBar().currentMessage() != "Перевод возможен только на соседний этап."
