"""Qt user interface (PySide6). Talks to app.services only — never to the database directly."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow


def create_main_window(database_url: str | None = None) -> QMainWindow:
    """Build the whole main window on ``database_url`` (default: the user's SQLite file)."""
    from app.services.workspace import open_workspace
    from ui.app import ensure_application
    from ui.main_window import MainWindow

    ensure_application()
    return MainWindow(open_workspace(database_url=database_url))
