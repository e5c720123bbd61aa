"""Qt user interface (PySide6). Talks to app.services only — never to the database directly."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def create_main_window(database_url: str | None = None) -> MainWindow:
    """The main window on ``database_url`` (default: the user's SQLite file), started as ``python main.py`` starts it.

    Returned at once with its frame (menus, toolbar, «Загрузка…»); the clients are read with sqlite3 in a worker and
    shown once the frame has painted, then the database opens behind them and the other tabs follow (MainWindow's
    lazy start). The window is complete — the database open (``window.db``), every tab built, its title naming the
    database, «ДЕМО» marked, the daily backup started when due — once ``window.wait_for_rows()`` returns True, or
    ``window.wait_for_background()`` has returned (it waits for the rows first). A database that cannot be opened
    is said in a message box and the window closes (``load_failed(message, status)``) instead of raising here."""
    from ui.app import ensure_application, start_main_window

    ensure_application()
    return start_main_window(database_url=database_url)
