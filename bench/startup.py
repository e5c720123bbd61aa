"""Child process for the start-up figures: open a window, print when the first frame and the clients are painted.

    python -m bench.startup app DB_FILE [--stay]     the window as ``python main.py`` opens it
    python -m bench.startup create DB_FILE [--stay]  ``ui.create_main_window(url)`` + show (tests' and callers' way)
    python -m bench.startup bare [--stay]            a bare QMainWindow, started the same way
    python -m bench.startup sort-days                save the list's header sorted by days in stage, longest first
                                                     (in the settings of VNEDRENIE_DATA_DIR) and leave

Prints ``frame <epoch s>`` at the first paint of the window, ``clients <epoch s>`` once the client list and every
visible board column holding cards have been painted with rows (bare: the first frame), ``ready <epoch s>`` (app)
once the database is open and every tab built behind the rows (``rows_loaded``), and with --stay, after
the background work is done, ``rss_mb`` (resident now). Last ``hwm_mb`` (its own peak RSS, bench.common.print_own_peak).
Hooks into the product: ``ui.app.ensure_application``, ``ui.app.start_main_window(db_path=…)``,
``ui.create_main_window(url)``, ``app.config.sqlite_url``; objectNames ``clientList`` and ``kanbanList*``;
``app.services.first_screen.read_first_rows`` wrapped (app) to print ``kept 1`` when the first rows were those the
last window left (``FirstRows.kept``), ``kept 2`` when all but those changed since were, else ``kept 0``."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def give_up(message: str = "timeout") -> None:
    """Leave now with status 1. The message is best effort: when the parent is gone its pipe is broken, the print
    raised inside the timer's slot (PySide swallowed it) and ``app.exit(1)`` after it never ran — the child stayed
    up forever under PID 1."""
    try:
        print(message, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
    os._exit(1)


def exit_with_parent(interval_ms: int = 500) -> object:
    """Leave (``give_up``) as soon as the process that started this one is gone: the suite interrupted or killed
    must not leave a window running under PID 1. Polls ``os.getppid()`` (no prctl: portable); returns the timer,
    which the caller keeps."""
    from PySide6.QtCore import QTimer

    parent = os.getppid()
    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(lambda: os.getppid() != parent and give_up("the benchmark that started me is gone"))
    timer.start()
    return timer


def save_sorted_by_days() -> int:
    """The list header's state as the product saves it (ui.views.list_header.HEADER_KEY), sorted by days in stage,
    longest first: the product's own list panel (its default columns and widths, the sort arrow shown)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.models.clients import ClientTableModel
    from ui.settings import settings as data_settings
    from ui.views.client_list import ClientListPanel
    from ui.views.list_header import HEADER_KEY

    app = QApplication(sys.argv[:1])  # noqa: F841  (widgets need it)
    panel = ClientListPanel(ClientTableModel())
    panel.view.horizontalHeader().setSortIndicator(ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder)
    settings = data_settings()
    settings.setValue(HEADER_KEY, panel.view.horizontalHeader().saveState())
    settings.sync()
    print(f"saved {settings.fileName()}", flush=True)
    return 0


def main() -> int:
    mode = sys.argv[1]
    if mode == "sort-days":
        return save_sorted_by_days()
    stay = "--stay" in sys.argv
    from PySide6.QtCore import QEvent, QObject, QRegularExpression, QThreadPool, QTimer
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QMainWindow

    WANTED = QRegularExpression("^(clientList|kanbanList.*)$")  # the views whose rows are the clients
    kept: list[str] = []
    if mode == "app":
        from app.services import first_screen
        from ui.app import ensure_application, start_main_window

        reader = first_screen.read_first_rows

        def noting(url, head):  # whether the first rows were the last window's (app.persistence.first_screen_cache)
            first = reader(url, head)
            kept.append(first.kept if first is not None else "")
            return first

        first_screen.read_first_rows = noting
        app = ensure_application()
        window = start_main_window(db_path=sys.argv[2])
    elif mode == "create":
        import ui
        from app.config import sqlite_url

        window = ui.create_main_window(sqlite_url(sys.argv[2]))
        app = QApplication.instance()
    else:
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setWindowTitle("bare")
    window.resize(1366, 768)

    class PaintWatch(QObject):
        """The first paint of the window, then of each wanted view with rows. It watches the window and those views'
        viewports only: an application-wide Python filter hands every object of every event to Python, and wrapping
        an object Qt made (a bare ``QObject``, a viewport) makes PySide resolve every lazy class it might be (~28 ms
        on this host) — work of the instrument, not of the product, paid before the frame when the rows were kept
        (2026-12-05). The views are looked for whenever the window is shown, gets an ``UpdateRequest`` (posted before
        every deferred paint of the widgets in it) or is painted itself (a parent paints before its children), so
        no first paint of a view is missed."""

        def __init__(self) -> None:
            super().__init__()
            self.frame = False
            self.painted: set[str] = set()
            self.watched: list = []  # the views whose viewports are watched (a rebuilt view has the same name)
            self.done = False

        def _views(self) -> list:  # the names matched in C++: no other view is handed to Python
            return window.findChildren(QAbstractItemView, WANTED)

        def _wanted(self) -> set[str]:
            wanted = set()
            for view in self._views():
                name = view.objectName()
                if view.isVisible() and view.model() is not None and view.model().rowCount() > 0:
                    wanted.add(name)
            return wanted

        def _watch_views(self) -> None:
            for view in self._views():
                if not any(view is seen for seen in self.watched):
                    self.watched.append(view)
                    view.viewport().installEventFilter(self)

        def eventFilter(self, obj, event) -> bool:
            if self.done:
                return False
            kind = event.type()
            if obj is window:
                if kind in WATCH_AT and mode != "bare":
                    self._watch_views()
                if kind != QEvent.Type.Paint or self.frame:
                    return False
                self.frame = True
                print(f"frame {time.time():.4f}", flush=True)
                if mode == "bare":
                    print(f"clients {time.time():.4f}", flush=True)
                    self.finish()
                return False
            if kind != QEvent.Type.Paint:
                return False
            now = time.time()
            parent = obj.parent()
            if isinstance(parent, QAbstractItemView) and parent.model() is not None and parent.model().rowCount():
                self.painted.add(parent.objectName())
                wanted = self._wanted()
                if "clientList" in wanted and wanted <= self.painted:
                    print(f"clients {now:.4f}", flush=True)
                    self.finish()
            return False

        def finish(self) -> None:
            self.done = True
            QTimer.singleShot(0, after)

    def after() -> None:
        if mode == "app":  # the rows are on screen; the database opens behind them: wait for that too
            while not window.is_loaded():
                app.processEvents()
                time.sleep(0.001)
            print(f"kept {({'all': 1, 'partly': 2}.get(kept[0], 0) if len(kept) == 1 else 0)}", flush=True)
        if stay:
            pools = [*window.findChildren(QThreadPool), QThreadPool.globalInstance()]
            while any(pool.activeThreadCount() for pool in pools):
                app.processEvents()
                time.sleep(0.01)
            for _ in range(5):
                app.processEvents()
            print(f"rss_mb {_rss_mb():.1f}", flush=True)
        app.quit()

    if mode == "app":
        window.rows_loaded.connect(lambda: print(f"ready {time.time():.4f}", flush=True))
    WATCH_AT = (QEvent.Type.Show, QEvent.Type.UpdateRequest, QEvent.Type.Paint)
    watch = PaintWatch()
    window.installEventFilter(watch)
    QTimer.singleShot(300_000, give_up)
    orphan_watch = exit_with_parent()  # noqa: F841  (kept alive while the loop runs)
    window.show()
    code = app.exec()
    from bench.common import print_own_peak

    print_own_peak()
    sys.stdout.flush()
    os._exit(code)  # skip tearing down the Qt objects: the figures are printed


if __name__ == "__main__":
    sys.exit(main())
