"""The remembered layout (tester K, item 10): after closing and opening the window on the same settings, the
agenda was behind «Требует внимания» again, the dock's height, the agenda's column widths, the client, the card's
section and the stage filter were lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget

from app.persistence.db import open_database
from app.persistence.first_rows import read_first_rows
from app.persistence.migrate import head_revision
from app.services.client_list import list_clients
from app.services.demo import fill_demo
from ui.main_window import MainWindow


def _window(qtbot, url: str, ini, lazy: bool) -> MainWindow:
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    if lazy:  # as `python main.py` opens it: the frame first, the docks once the database is open
        window = MainWindow(None, settings, opener=lambda: open_database(url),
                            first_rows=lambda: read_first_rows(url, head_revision()))
    else:
        window = MainWindow(open_database(url), settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.wait_for_rows(60_000)
    window.wait_for_background()
    qtbot.wait(50)
    return window


def _dock(window: MainWindow, name: str) -> QDockWidget:
    return next(d for d in window.findChildren(QDockWidget) if d.objectName() == name)


def _in_front(window: MainWindow, name: str) -> bool:
    """The dock is the tab shown (Qt moves the others out of the window)."""
    return window.rect().intersects(_dock(window, name).geometry())


@pytest.mark.parametrize("lazy", [True, False], ids=["lazy", "at-once"])
def test_a_reopened_window_shows_what_it_was_closed_on(qtbot, tmp_path, lazy):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    db = open_database(url)
    fill_demo(db)
    chosen = next(c for c in list_clients(db) if c.stage == 1)
    db.dispose()
    ini = tmp_path / "settings.ini"

    window = _window(qtbot, url, ini, lazy)
    agenda = _dock(window, "agendaDock")
    agenda.raise_()
    qtbot.wait(50)
    window.resizeDocks([agenda], [300], Qt.Orientation.Vertical)
    qtbot.wait(50)
    height = agenda.height()
    assert _in_front(window, "agendaDock") and height > 250
    table = window.week.agenda.table
    table.setColumnWidth(0, 200)
    table.setColumnWidth(1, 120)
    area = window.work_area
    area.list_panel.stage_combo.setCurrentIndex(area.list_panel.stage_combo.findData(1))
    window.set_current_client(chosen.id)
    sections = area.card.sections
    questions = next(i for i in range(sections.count()) if sections.tabText(i) == "Вопросы")
    sections.setCurrentIndex(questions)
    assert window.close()

    again = _window(qtbot, url, ini, lazy)
    assert _in_front(again, "agendaDock") and not _in_front(again, "attentionDock")  # the agenda's tab
    assert abs(_dock(again, "agendaDock").height() - height) <= 4, (height, _dock(again, "agendaDock").height())
    again.week.refresh_agenda()  # a new agenda keeps the widths too
    qtbot.wait(50)
    assert [again.week.agenda.table.columnWidth(c) for c in (0, 1)] == [200, 120]
    area = again.work_area
    assert area.list_panel.stage_combo.currentData() == 1
    assert again.current_id == chosen.id and area.card.details.id == chosen.id
    assert area.card.sections.currentIndex() == questions
    again.close()


def test_a_client_no_longer_there_and_junk_in_the_settings_are_ignored(qtbot, tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    db = open_database(url)
    fill_demo(db)
    db.dispose()
    ini = tmp_path / "settings.ini"
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    for key, value in (("window/client", 99999), ("window/cardSection", "x"), ("clientList/stage", "junk"),
                       ("agenda/header", "not a header"), ("clientList/approach", 7)):
        settings.setValue(key, value)
    settings.sync()
    window = _window(qtbot, url, ini, lazy=False)
    area = window.work_area
    assert window.current_id is None and area.card.sections.currentIndex() == 0
    assert area.list_panel.stage_combo.currentIndex() == 0 and area.list_panel.approach_combo.currentIndex() == 0
    chosen = list_clients(window.db)[2].id
    window.set_current_client(chosen)
    assert window.close()
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"  # another database (the demo's window shares the settings)
    db = open_database(other)
    fill_demo(db)
    db.dispose()
    window = _window(qtbot, other, ini, lazy=False)
    assert window.current_id is None  # the same id there is another client
    window.close()
    window = _window(qtbot, url, ini, lazy=False)
    assert window.current_id is None  # the other window closed last, with nobody chosen
    window.close()
