"""The team sync in the window: a background sync on a timer, «Синхронизировать сейчас», the status line.

Each sync runs off the UI thread on a task runner of its own (a slow server never holds up budgets or
PDFs); a failed connection only changes the status line to «Нет связи с сервером — изменения сохранены на
ноутбуке (N)» and the next tick tries again. A sync that brought something announces
``app.sync.window_sync.SYNCED`` through the runner — every view re-reads, the undo history stays (a sync is
not a replaced database)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.errors import UserError
from app.i18n import _, format_number
from app.services.changes import Changes
from app.sync.service import (
    SyncState,
    conflicts_part,
    progress_text,
    sync_state,
)
from app.sync.window_sync import BackgroundSync, sync_for_window
from ui.controllers.watch import ExternalChanges
from ui.ops import Ops
from ui.tasks import TaskManager

log = logging.getLogger(__name__)
SYNC_MS = 60_000  # a background sync every minute while the window is open
FIRST_MS = 1_500  # the first one shortly after the window is up


def status_markup(state: SyncState) -> str:
    """The status line for ``state`` (rich text; '' outside a team): the same words as ``sync status`` — the last
    sync or its refusal in short with the changes waiting here, and the open conflicts' count as a link to
    their list («…; <a>конфликтов: 2</a>»)."""
    if not state.conflicts:
        return escape(state.text)
    link = f"<a href=\"#conflicts\">{escape(conflicts_part(state.conflicts))}</a>"
    return f"{escape(state.head)}; {link}"


def status_tooltip(state: SyncState) -> str:
    """The detail behind the short line: the last refusal's full sentence, the changes waiting here, what the
    conflicts link opens."""
    lines = [state.error] if state.error else []
    if state.pending:
        lines.append(_("Changes made on this laptop wait for the next sync: {n}").format(n=format_number(state.pending)))
    if state.conflicts:
        lines.append(_("Click the conflicts count to see both values of each and choose."))
    return "\n".join(lines)


class SyncController(QObject):
    """Owns ``label`` (the window puts it in its status bar), the timer and the sync task.

    ``sync_now(manual=True)`` is «Синхронизировать сейчас» (a refusal — not in a team — is shown like any
    other; a failed connection is told in the status bar); the timer calls it with ``manual=False``.
    ``state_changed(SyncState)`` after each sync and each refresh of the line. While a sync sends or takes records
    the line tells how far it is («Синхронизация: отправлено 1 200 из 5 000», then «получено …»): ``progressed``
    is emitted by the sync's thread, delivered on the UI thread (queued)."""

    state_changed = Signal(object)
    progressed = Signal(str, int, int)  # phase («push», «pull»), done, total (app/sync/engine.py Progress)

    def __init__(self, db, ops: Ops, parent: QWidget, *, watcher: ExternalChanges | None = None,
                 message: Callable[[str], None] | None = None, interval_ms: int = SYNC_MS,
                 first_ms: int = FIRST_MS) -> None:
        super().__init__(parent)
        self.db, self.ops, self.window = db, ops, parent
        self.watcher = watcher
        self.message = message or (lambda _text: None)
        self.tasks = TaskManager(self, threads=1)
        self.state = SyncState("off", "")
        self.running = False
        self.label = QLabel(parent)
        self.label.setObjectName("syncStatus")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                           | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.label.linkActivated.connect(lambda _link: self.show_conflicts())
        self.label.hide()
        self.progressed.connect(self._show_progress)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(lambda: self.sync_now(manual=False))
        ops.changed.connect(self._on_changes)
        self.refresh()
        self.timer.start()
        self.first_tick = QTimer(self)  # the first sync shortly after start-up (when in a team)
        self.first_tick.setSingleShot(True)
        self.first_tick.setInterval(max(0, first_ms))
        self.first_tick.timeout.connect(lambda: self.sync_now(manual=False))
        if self.state.kind != "off" and first_ms >= 0:
            self.first_tick.start()

    # ------------------------------------------------------------ the status line

    def refresh(self) -> SyncState:
        """Read the state again (a few small queries) and show it."""
        try:
            state = sync_state(self.db)
        except Exception:  # the database went away under us (closing): keep the line as it is
            log.debug("sync state unavailable", exc_info=True)
            return self.state
        self.show_state(state)
        return state

    def show_state(self, state: SyncState) -> None:
        self.state = state
        self.label.setText(status_markup(state))
        self.label.setToolTip(status_tooltip(state))
        self.label.setVisible(state.kind != "off")
        self.state_changed.emit(state)

    def _on_changes(self, changes: Changes, initiator: object) -> None:
        """Our own edits add to the count of changes waiting on the laptop (after a sync too: «Синхронизировано
        в 14:32; ждут отправки: 2»), a resolved conflict lowers the other count, and a sync run elsewhere (the
        CLI's ``sync``: a settings change) moves the time."""
        if initiator is self or self.running:
            return
        if self.state.kind in ("offline", "never", "conflicts", "synced") or changes.settings:
            self.refresh()

    # ------------------------------------------------------------ syncing

    def sync_now(self, manual: bool = True) -> bool:
        """Start a sync in the background (False when one is already running)."""
        if self.running:
            if manual:
                self.message(_("A sync is already running."))
            return False
        self.running = True
        if manual and self.state.kind != "off":
            self.message(_("Synchronising…"))
        if self.watcher is not None:  # the sync's own commits are not «changes made elsewhere»
            self.watcher.timer.stop()
        db = self.db
        self.tasks.start(lambda _progress: sync_for_window(db, progress=self._tell), lambda result: self._done(result, manual),
                         lambda exc: self._failed(exc, manual))
        return True

    def _tell(self, phase: str, done: int, total: int) -> None:
        """The sync's progress, on its own thread: handed to the UI thread (a window gone meanwhile: dropped)."""
        try:
            self.progressed.emit(phase, done, total)
        except RuntimeError:  # the controller was deleted while the sync ran
            pass

    def _show_progress(self, phase: str, done: int, total: int) -> None:
        """«Синхронизация: отправлено 1 200 из 5 000» in the line until the sync ends (its state then replaces it)."""
        if not self.running:
            return
        self.label.setText(escape(progress_text(phase, done, total)))
        self.label.setVisible(True)

    def _resume_watch(self, seen: bool) -> None:
        if self.watcher is not None:
            if seen:
                self.watcher.watcher.mark_seen()
            self.watcher.timer.start()

    def _done(self, result: BackgroundSync, manual: bool) -> None:
        self.running = False
        self.show_state(result.state)
        if result.changes is not None:
            self.ops.announce(result.changes, self)  # the watcher marks these commits seen
            self._resume_watch(False)
        else:
            self._resume_watch(True)
        if manual and result.state.kind == "off":
            self.ops.report_error(UserError(result.error))
        elif manual and result.error:
            self.message(result.error)
        elif manual and result.report is not None:
            self.message(" ".join((_("Sent {pushed}, received {pulled}, new conflicts {conflicts}.").format(
                pushed=format_number(result.report.pushed), pulled=format_number(result.report.pulled),
                conflicts=format_number(result.report.conflicts)),
                *result.report.notes)))  # other members' clients kept here (app/sync/refused_notes.py)

    def _failed(self, exc: BaseException, manual: bool) -> None:
        """Not the server's absence (that is a result) but a fault: keep the window working, say it once."""
        self.running = False
        self._resume_watch(False)
        log.error("background sync failed: %r", exc)
        if manual:
            self.message(_("The sync failed: {error}").format(error=exc))

    def wait(self, msecs: int = 30_000) -> bool:
        """Tests: wait for a running sync and deliver its result."""
        return self.tasks.wait(msecs)

    def stop(self) -> None:
        """The window closes: no more ticks; a running sync may finish (it is resumable either way)."""
        self.timer.stop()
        self.first_tick.stop()
        self.tasks.wait(10_000)

    # ------------------------------------------------------------ conflicts

    def show_conflicts(self) -> None:
        """The conflicts dialog; the line is read again after it."""
        from ui.dialogs.sync.conflicts import open_conflicts

        dialog = open_conflicts(self.window, self.db, self.ops)
        dialog.deleteLater()
        self.refresh()
