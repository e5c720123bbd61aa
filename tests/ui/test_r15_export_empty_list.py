"""«Неделя ▸ Список заказчиков в Excel…» exports the clients the list shows: a search that shows none is refused
(nothing written), never taken for «every client» (tester T, 2026-12-06)."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtWidgets import QTableView, QWidget

from app.services.demo import fill_demo
from tests.ui.test_main_window import make_window, type_text


def test_a_search_showing_no_clients_refuses_the_export_and_writes_nothing(qtbot, db, tmp_path):
    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    assert window.week is not None
    search = window.findChild(QWidget, "clientSearch")
    type_text(search, "несуществующий")
    window.work_area.list_panel.apply_filter()
    assert window.findChild(QTableView, "clientList").model().rowCount() == 0
    target = tmp_path / "clients.xlsx"
    assert window.week.export("clients", str(target)) is None
    assert not target.exists()
    assert [e.message for e in window.errors] == ["В списке нет заказчиков: выгружать нечего."]


def test_the_export_holds_exactly_the_clients_the_search_shows(qtbot, db, tmp_path):
    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    assert window.week is not None
    search = window.findChild(QWidget, "clientSearch")
    type_text(search, "технопласт")
    window.work_area.list_panel.apply_filter()
    target = window.week.export("clients", str(tmp_path / "clients.xlsx"))
    assert target is not None and window.errors == []
    sheet = load_workbook(target).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["ООО «ТехноПласт»"]
