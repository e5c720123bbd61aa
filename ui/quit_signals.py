"""Ctrl+C and SIGTERM in the terminal close the main window as its close button does (settings saved, unsaved edits asked about)."""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier


class QuitOnSignal(QObject):
    """Calls ``close()`` on the UI thread when the process gets SIGINT or SIGTERM.

    Python runs a signal handler only between bytecodes, and an idle Qt event loop runs none: the handler here
    only notes the signal, and ``signal.set_wakeup_fd`` writes a byte to a socket pair whose
    ``QSocketNotifier`` wakes the loop, which then calls ``close``. Without it Ctrl+C raised KeyboardInterrupt in
    whatever slot ran next (printed and swallowed by PySide) and the window stayed open (a user trial).
    ``uninstall()`` puts the previous handlers and wake-up descriptor back. POSIX; on Windows (no SIGTERM from
    a terminal, no wake-up on sockets for Qt) it installs nothing."""

    def __init__(self, close: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._close = close
        self._previous: dict[int, object] = {}
        self._old_fd = -1
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        self.received: list[int] = []
        self._old_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._noted)

    def _noted(self, signum: int, _frame) -> None:
        self.received.append(signum)

    def _woken(self, *_args) -> None:
        try:
            while self._reader.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        if self.received:
            self.received.clear()
            self._close()

    def uninstall(self) -> None:
        """Restore the handlers and the wake-up descriptor that were there before."""
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        self._previous.clear()
        signal.set_wakeup_fd(self._old_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
