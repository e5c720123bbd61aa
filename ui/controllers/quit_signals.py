"""Ctrl+C and SIGTERM in the terminal close the main window as its close button does (settings saved, unsaved edits asked about)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer


class QuitOnSignal(QObject):
    """Calls ``close()`` on the UI thread when the process gets SIGINT or SIGTERM.

    Python runs a signal handler only between bytecodes, and an idle Qt event loop runs none: the handler here
    only notes the signal, and ``signal.set_wakeup_fd`` writes a byte to a pipe whose
    ``QSocketNotifier`` wakes the loop, which then calls ``close``. Without it Ctrl+C raised KeyboardInterrupt in
    whatever slot ran next (printed and swallowed by PySide) and the window stayed open (a user trial).
    ``received``: signals noted before (``main.py`` notes them from its first line, while PySide loads; a
    KeyboardInterrupt there crashed the interpreter): any in it closes the window at the first turn of the loop.
    A signal whose handler is SIG_IGN (a background job of a script) stays ignored. ``uninstall()`` puts the
    previous handlers and wake-up descriptor back, or, once a signal came, ignores further ones: a second Ctrl+C
    during the teardown raised inside PySide's destructors (a segmentation fault). POSIX only (``run_gui``)."""

    def __init__(self, close: Callable[[], object], parent: QObject | None = None, *,
                 received: list[int] | None = None) -> None:
        super().__init__(parent)
        self._close = close
        self._previous: dict[int, object] = {}
        self._old_fd = -1
        self._fired = False
        self._reader, self._writer = os.pipe()  # a pipe, not a socket pair: the app imports no network module
        for end in (self._reader, self._writer):
            os.set_blocking(end, False)
        self._notifier = QSocketNotifier(self._reader, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        self.received: list[int] = received if received is not None else []
        self._old_fd = signal.set_wakeup_fd(self._writer, warn_on_full_buffer=False)
        for signum in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(signum) is not signal.SIG_IGN:
                self._previous[signum] = signal.signal(signum, self._noted)
        if self.received:
            QTimer.singleShot(0, self._woken)

    def _noted(self, signum: int, _frame) -> None:
        self.received.append(signum)

    def _woken(self, *_args) -> None:
        try:
            while os.read(self._reader, 64):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        if self.received:
            self.received.clear()
            self._fired = True
            self._close()

    def uninstall(self) -> None:
        """Restore the handlers and the wake-up descriptor that were there before; after a signal, ignore more."""
        fired = self._fired or bool(self.received)
        for signum, handler in self._previous.items():
            signal.signal(signum, signal.SIG_IGN if fired else handler)  # type: ignore[arg-type]
        self._previous.clear()
        signal.set_wakeup_fd(self._old_fd)
        self._notifier.setEnabled(False)
        os.close(self._reader)
        os.close(self._writer)
