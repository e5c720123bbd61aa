"""Qt user interface (PySide6). Talks to app.services only — never to the database directly."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow


def create_main_window(database_url: str | None = None) -> QMainWindow:
    """Build the whole main window on ``database_url`` (default: the user's SQLite file), rows loaded.

    The daily backup (first start of a day) runs in the background; ``python main.py`` uses
    ``ui.app.start_main_window``, which paints the frame before it opens the database."""
    from app.exchange import workspace
    from ui.app import ensure_application
    from ui.main_window import MainWindow

    ensure_application()
    from ui.controllers.demo import watch_for_demo

    window = MainWindow(workspace.open_workspace(database_url=database_url, backup_later=True))
    watch_for_demo(window)  # «ДЕМО» in the title and the status bar however the demo database is opened
    if workspace.last_startup.backup_due:
        window.start_daily_backup()
    return window
