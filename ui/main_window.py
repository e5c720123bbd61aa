"""The main window: client list, work area (kanban, card, calculator), menus and status bar."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from app.i18n import _

WINDOW_TITLE = "Внедрение АСУ «Менеджмент»"


class MainWindow(QMainWindow):
    def __init__(self, db) -> None:
        super().__init__()
        self.db = db
        self.setObjectName("mainWindow")
        self.setWindowTitle(WINDOW_TITLE)
        self.resize(1280, 760)
        self.setCentralWidget(QLabel(_("Clients will appear here."), self))
        self.statusBar().showMessage(_("Database: {name}").format(name=db.display_name()))

    def closeEvent(self, event) -> None:
        self.db.dispose()
        super().closeEvent(event)
