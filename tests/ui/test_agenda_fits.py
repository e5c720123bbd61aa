"""At 1366×768 the week's docks show six rows: the agenda showed its headings and one event (a fresh tester,
2026-12-05); rows are as tall as a line of text and the docks 240 px. The dock is «Повестка», not «Агенда»."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDockWidget

from app.services.demo import fill_demo
from app.services.demo_week import fill_demo_week
from tests.ui.test_main_window import make_window


def test_the_agenda_dock_shows_six_rows_at_1366_by_768(qtbot, db, tmp_path):
    fill_demo(db, today=date.today())
    fill_demo_week(db, today=date.today())
    window = make_window(qtbot, db, tmp_path)
    window.show()
    window.wait_for_background()
    [dock] = [d for d in window.findChildren(QDockWidget) if d.objectName() == "agendaDock"]
    assert dock.windowTitle() == "Повестка"
    dock.raise_()
    qtbot.waitUntil(lambda: window.week.agenda.table.isVisible())
    qtbot.wait(50)
    table = window.week.agenda.table
    assert table.model().rowCount() >= 6
    assert table.rowHeight(0) <= table.fontMetrics().height() + 6
    assert table.rowHeight(0) * 6 <= table.viewport().height(), (table.rowHeight(0), table.viewport().height())
