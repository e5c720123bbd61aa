"""Child process for the start-up benchmark: open a window, print when it is first painted, exit.

`python -m bench.startup app DB_FILE` (the real main window, started as `python main.py` starts it)
or `python -m bench.startup bare` (a bare QMainWindow, started the same way). Prints
`painted <seconds since process start>`, for the app `rows_shown <seconds>` once the clients are in
the window, and with --stay waits for background loads and prints the peak RSS in MB."""

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
        from ui.app import ensure_application, start_main_window

        app = ensure_application()
        window = start_main_window(db_path=sys.argv[2])
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
        if hasattr(window, "wait_for_rows"):
            if not window.wait_for_rows(120_000):
                print("rows not shown", file=sys.stderr, flush=True)
                app.exit(1)
                return
            print(f"rows_shown {time.perf_counter() - START:.4f}", flush=True)
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
