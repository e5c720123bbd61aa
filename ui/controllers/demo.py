"""The demo in the window: a second main window on the demo database, the real one hidden meanwhile.

Opening the demo never writes to the real database: app.services.demo_workspace prepares the demo's own
file (``demo.sqlite3`` in the data folder), a new MainWindow opens on it with «ДЕМО» in its title and
status bar, and «Leave the demo» closes it and shows the real window again, as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from app.errors import UserError
from app.i18n import N_, _
from ui.ops import show_user_error
from ui.palette import hex_color

DEMO_PREFIX = N_("DEMO — ")  # before the window's title (translated: it stayed Russian in English, tester O)


def mark_if_demo(window: QMainWindow) -> bool:
    """Once ``window`` has its database: «ДЕМО» in the title and the status bar when it is a demo one."""
    from app.services.demo_workspace import is_demo

    db = getattr(window, "db", None)
    if db is None or not is_demo(db):
        return False
    if not window.windowTitle().startswith(_(DEMO_PREFIX)):
        window.setWindowTitle(_(DEMO_PREFIX) + window.windowTitle())
    if window.findChild(QLabel, "demoBadge") is None:
        badge = QLabel(_("DEMO: a separate demo database; your own data are not shown or changed"), window)
        badge.setObjectName("demoBadge")
        badge.setStyleSheet(f"background: {hex_color('demo_bg')}; color: {hex_color('demo_fg')}; "
                            "padding: 1px 8px; font-weight: bold;")
        window.statusBar().addPermanentWidget(badge)
    return True


def watch_for_demo(window) -> None:
    """Mark ``window`` as a demo one as soon as its database is open (now, or when its rows arrive)."""
    if window.is_loaded():
        mark_if_demo(window)
    else:
        window.rows_loaded.connect(lambda: mark_if_demo(window))


class _ReturnOnClose(QObject):
    """Shows the real window again once the demo window has really closed (its ``closed`` signal: a close
    may be refused for unsaved card edits, and closing spins the event loop while tasks finish)."""

    def __init__(self, demo: QMainWindow, real: QMainWindow) -> None:
        super().__init__(demo)
        self.demo, self.real = demo, real
        demo.closed.connect(lambda: QTimer.singleShot(0, self._return))  # type: ignore[attr-defined]

    def _return(self) -> None:
        self.real.show()
        if QGuiApplication.platformName() != "offscreen":  # offscreen warns that it cannot raise
            self.real.raise_()
            self.real.activateWindow()
        QApplication.instance().setQuitOnLastWindowClosed(True)  # type: ignore[union-attr]
        self.demo.deleteLater()


def open_demo_window(real: QMainWindow, start_main_window: Callable[[str], Any]) -> QMainWindow | None:
    """Prepare the demo database, open a window on it (``start_main_window(path)``, a MainWindow that
    loads lazily) and hide ``real`` until the demo is left."""
    from app.services.demo_workspace import is_demo, prepare_demo_database

    db = getattr(real, "db", None)
    if db is not None and is_demo(db):  # File → Open the demo inside the demo
        real.statusBar().showMessage(_("This window already shows the demo database."), 5000)
        return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        path = prepare_demo_database()
    except UserError as exc:
        QApplication.restoreOverrideCursor()
        show_user_error(real, exc)
        return None
    QApplication.restoreOverrideCursor()
    demo = start_main_window(str(path))
    demo.setObjectName("demoWindow")
    demo.setWindowTitle(_(DEMO_PREFIX) + demo.windowTitle())
    leave = QAction(_("Leave the demo"), demo)
    leave.setObjectName("leaveDemo")
    leave.setToolTip(_("Close the demo and return to your own database"))
    leave.triggered.connect(demo.close)
    demo.toolbar.addSeparator()
    demo.toolbar.addAction(leave)
    demo.leave_demo_action = leave
    _ReturnOnClose(demo, real)
    watch_for_demo(demo)
    QApplication.instance().setQuitOnLastWindowClosed(False)  # type: ignore[union-attr]
    demo.setGeometry(real.geometry())
    if real.isMaximized():
        demo.showMaximized()
    else:
        demo.show()
    demo.start_loading()
    real.hide()
    return demo
