"""The window says once, in its status bar, that the database file it opened is a copy (app/sync/file_home.py)."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QSettings

from app.persistence.db import open_database
from ui.main_window import MainWindow


def test_the_status_bar_says_the_file_is_a_copy(qtbot, tmp_path):
    open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}").dispose()
    shutil.copy(tmp_path / "a.sqlite3", tmp_path / "b.sqlite3")
    db = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    window = MainWindow(None, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), opener=lambda: db)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.wait_for_rows(60_000)
    window.wait_for_background()
    assert window.statusBar().currentMessage() == "Файл базы данных скопирован: программа считает его самостоятельной копией."
    box = window.notice_box
    assert box.isVisible() and not box.isModal()  # the window is not blocked: read when the user likes
    assert box.text().startswith("Этот файл базы данных скопирован с другого компьютера или из другой папки")
    window.grab().save(str(tmp_path / "shot.png"))
    box.grab().save(str(tmp_path / "box.png"))
    box.accept()
    db.dispose()
