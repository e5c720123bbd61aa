"""The main window opens with its title and the database shown in the status bar."""

from PySide6.QtWidgets import QMainWindow

import ui


def test_create_main_window(qtbot, tmp_path):
    url = f"sqlite:///{tmp_path / 'ui.sqlite3'}"
    window = ui.create_main_window(url)
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window, QMainWindow)
    assert window.wait_for_rows(60_000)  # the frame first; the database opens behind it (a lazy start)
    # the title names the database too, so that two windows on two databases can be told apart (issue 11)
    assert window.windowTitle().startswith("Внедрение АСУ «Менеджмент» — ") and "ui.sqlite3" in window.windowTitle()
    assert "ui.sqlite3" in window.statusBar().currentMessage()
