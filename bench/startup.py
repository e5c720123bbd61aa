"""Child process for the start-up benchmark: open a window, print when it is first painted, exit.

`python -m bench.startup app DB_FILE` (the real main window) or `python -m bench.startup bare`
(a bare QMainWindow, started the same way). Prints `painted <seconds since process start>` and,
with --stay, waits for background loads and prints the peak RSS in MB."""

from __future__ import annotations

import os
import sys
import time

START = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    mode = sys.argv[1]
    stay = "--stay" in sys.argv
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    if mode == "app":
        import ui
        from app.config import sqlite_url

        window = ui.create_main_window(sqlite_url(sys.argv[2]))
        app = QApplication.instance()
    else:
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(1280, 760)

    class PaintWatch(QObject):
        done = False

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and not self.done:
                self.done = True
                print(f"painted {time.perf_counter() - START:.4f}", flush=True)
                QTimer.singleShot(0, finish)
            return False

    def finish():
        if stay and hasattr(window, "wait_for_background"):
            window.wait_for_background(60_000)
            for _ in range(5):
                app.processEvents()
        if stay:
            import resource

            print(f"rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}", flush=True)
        app.quit()

    watch = PaintWatch()
    window.installEventFilter(watch)
    window.show()
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
