"""English (tester O, round 11): the window's title and the program's boxes stayed «Внедрение АСУ «Менеджмент»»,
the demo's «ДЕМО — » too, and the card's «Print stage act» named the toolbar's «Sign-off sheet» otherwise."""

from __future__ import annotations

import re

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from app import i18n
from app.services.demo import fill_demo

CYRILLIC = re.compile("[А-Яа-яЁё]")


def test_titles_and_the_sign_off_sheet_in_english(qtbot, db, tmp_path, monkeypatch):
    from ui.actions import MainAction
    from ui.controllers import demo
    from ui.main_window import MainWindow
    from ui.views.client_card import ClientCard

    fill_demo(db)
    i18n.set_language("en")
    try:
        window = MainWindow(db, QSettings(str(tmp_path / "en.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.wait_for_background()
        assert not CYRILLIC.search(window.windowTitle()), window.windowTitle()
        from ui.qtutil import program_title

        assert not CYRILLIC.search(program_title())
        monkeypatch.setattr("app.services.demo_workspace.is_demo", lambda database: True)
        marked = QMainWindow()
        qtbot.addWidget(marked)
        marked.db = db  # type: ignore[attr-defined]
        marked.setWindowTitle(program_title())
        assert demo.mark_if_demo(marked)
        assert marked.windowTitle().startswith("DEMO — ") and not CYRILLIC.search(marked.windowTitle())
        card = window.work_area.findChild(ClientCard)
        toolbar = window.action(MainAction.SIGNOFF).text().replace("&", "").rstrip("…").lower()
        assert toolbar == "sign-off sheet" and toolbar in card.signoff_button.text().lower()
    finally:
        i18n.set_language("ru")
