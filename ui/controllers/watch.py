"""Refresh the window when the data change elsewhere (another instance, a CLI command): an idle-time poll."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.services.changes import Changes
from app.services.watch import ELSEWHERE, DataWatcher
from ui.ops import Ops

POLL_MS = 2000


class ExternalChanges(QObject):
    """Polls ``DataWatcher`` every ``POLL_MS`` while no modal dialog is open; a change found is announced
    through the operations runner (initiator: this object). The window's own writes are marked as seen."""

    def __init__(self, db, ops: Ops, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.ops = ops
        self.watcher = DataWatcher(db)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        ops.changed.connect(self._own_change)
        self.timer.start()

    def _own_change(self, changes: Changes, initiator: object) -> None:
        if initiator is not self:
            self.watcher.mark_seen()

    def poll(self) -> bool:
        """Check once; True when a change from elsewhere was found and announced."""
        if QApplication.activeModalWidget() is not None:  # a dialog is working on the data: later
            return False
        try:
            changed = self.watcher.changed()
        except Exception:  # a lost connection must not take the window down; the next poll tries again
            return False
        if changed:
            self.ops.announce(ELSEWHERE, self)
        return changed

    def stop(self) -> None:
        self.timer.stop()
        self.watcher.close()
