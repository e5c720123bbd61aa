"""The week's reminders: the «Требует внимания» panel read (in a worker at many clients), refreshed by what an
action names, and the start-up reminder line."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from app import gcpause
from app.errors import UserError
from app.i18n import _
from app.services import reminders as reminder_service
from app.services.changes import Changes, requires_all_reminders, requires_budgets
from app.services.client_list import count_clients
from ui.loading import AfterPaint, FirstPaint
from ui.models.attention import group_by_client
from ui.views.lazy import hidden_in_window
from ui.views.week_base import WeekBase

log = logging.getLogger(__name__)


class WeekReminders(WeekBase):
    """The reminders part of WeekViews: the attention panel's reads and the start-up announcement."""

    READ_IN_WORKER_FROM = 500  # clients: from here on, every reminder is re-read in a worker (as WorkArea's rows)

    def _load_attention(self) -> None:
        """Every reminder afresh. From READ_IN_WORKER_FROM clients on (one COUNT to know) the read runs in a
        worker: after a restore or an import it re-read every client's reminders on the UI thread, ~85 % of
        the 100–200 ms event of apply_changes(DATABASE_REPLACED) at 5 000 clients."""
        self._attention_generation += 1
        # the start-up announcement read every reminder a moment ago: the panel's first load takes those
        cached, self._start_reminders = self._start_reminders, None
        if cached is not None and cached[0] == date.today():
            self._attention_reading = False
            self._show_attention(cached[1])
            return
        if self._tasks is None or count_clients(self.db, self.READ_IN_WORKER_FROM) < self.READ_IN_WORKER_FROM:
            self._attention_reading = False
            self._show_attention(reminder_service.attention(self.db))
            return
        generation, db, tasks = self._attention_generation, self.db, self._tasks
        self._attention_reading = True

        def start() -> None:
            if generation == self._attention_generation:  # not overtaken by a newer request meanwhile
                tasks.start(lambda _progress: _read_attention(db),
                            lambda read: self._attention_read(generation, *read),
                            lambda exc: self._attention_failed(generation, exc))

        tasks.when_idle(start)  # after the client rows of the same change are shown: no GIL contest with them

    def _show_attention(self, reminders: list, by_client: dict | None = None) -> None:
        """Every reminder afresh; ``by_client`` comes with a worker's full read (start-up or after a change), whose
        rows — a reminder a client, 53 000 at 50 000 — are kept out of the collector's full passes."""
        self.attention.set_reminders(reminders, by_client)
        self._attention_loaded = date.today()
        if by_client is not None:
            gcpause.freeze_long_lived()

    def _attention_read(self, generation: int, reminders: list, by_client: dict | None = None) -> None:
        if generation == self._attention_generation:
            self._attention_reading = False
            self._show_attention(reminders, by_client)

    def _attention_failed(self, generation: int, exc: BaseException) -> None:
        """The rows stay as they were (the next full read tries again); the panel's title says why they may be
        out of date — before, it kept «Читаю…» (or an old count) and only the log knew."""
        if generation == self._attention_generation:
            self._attention_reading = False
            self._say_failure("reminders", exc)

    def _say_failure(self, what: str, exc: BaseException) -> None:
        """A failed read of the panel's ``what``, said in its title: a refusal as it is; a fault logged, and named as
        the database's value that explains it when one does (Ops.explain)."""
        if not isinstance(exc, UserError):
            log.error("reading the %s failed: %r", what, exc)
            exc = self.ops.explain(exc) or exc
        self.attention.show_failure(exc)

    def _refresh_attention(self, changes: Changes) -> None:
        """One action's clients only when the panel is shown and current (a move re-read every client's
        reminders on the UI thread: most of a move's time at 5 000 clients); else a full or deferred reload."""
        if (requires_all_reminders(changes) or self._attention_loaded != date.today() or self._attention_loader.stale
                or self._attention_reading or hidden_in_window(self.attention)):  # a read under way may miss it
            self._attention_loader.request()
            return
        ids, events = changes.client_ids, reminder_service.EVENT_KINDS
        kept = () if requires_budgets(changes) else reminder_service.BUDGET_KINDS  # a move changes no budget
        kinds = [kind for kind in reminder_service.KINDS if kind not in events and kind not in kept]
        if self._tasks is None:  # the views alone (tests): every read at once, as before
            fresh = reminder_service.attention(self.db, client_ids=ids, kinds=kinds)
            fresh += reminder_service.attention(self.db, kinds=events)
            self.attention.replace_clients(fresh, ids, kept, events)
            return
        # every client's events too (three statements: the clock turns today's into overdue ones), but once the
        # action's rows are painted: they do not show the action, and read with it they were ~10 % of a move
        gate = self._events_gate
        if gate is None or not gate.pending:
            gate = self._events_gate = AfterPaint(self, [self.attention.table], self._refresh_events)
        fresh = reminder_service.attention(self.db, client_ids=ids, kinds=kinds)
        self.attention.replace_clients(fresh, ids, (*kept, *events))
        gate.armed()

    def _refresh_events(self) -> None:
        """Every client's event reminders afresh (after an action's paint: ``_refresh_attention``), read in a
        worker: the agenda's rows and three statements, ~1.5 ms of the UI thread after every action. The answer of
        a read overtaken by a newer one, or by a full read of every reminder, is dropped."""
        gate, self._events_gate = self._events_gate, None
        if gate is not None:
            gate.deleteLater()
        events = reminder_service.EVENT_KINDS
        if self._tasks is None:  # the views alone (tests): at once
            self.attention.replace_clients(reminder_service.attention(self.db, kinds=events), (), (), events)
            return
        self._events_generation += 1
        generation, full, db = self._events_generation, self._attention_generation, self.db
        self._events_reading = generation

        def done(fresh: list) -> None:
            if self._events_reading == generation:
                self._events_reading = 0
                if full == self._attention_generation:
                    self.attention.replace_clients(fresh, (), (), events)

        def failed(exc: BaseException) -> None:
            if self._events_reading == generation:
                self._events_reading = 0
                self._say_failure("event reminders", exc)

        self._tasks.start(lambda _progress: reminder_service.attention(db, kinds=events), done, failed)

    def events_deferred(self) -> bool:
        """An action's re-read of every client's events still waits for its paint, or is being read."""
        return bool(self._events_gate is not None and self._events_gate.pending) or bool(self._events_reading)

    def reads_deferred(self) -> bool:
        """A read still waits for a paint: an action's re-read of the events, or the start-up reminder read for
        the window's first paint (as WorkArea.reads_deferred for a reload's budgets)."""
        return self.events_deferred() or self._deferred_read is not None

    def notify_on_start(self, tray: QSystemTrayIcon | None = None) -> str:
        """The start-up reminder line (also shown as a desktop notification when a tray is available)."""
        if self._attention_loaded == date.today() and not self._attention_loader.stale:
            reminders = self.attention.model.rows()  # the panel read them a moment ago
        else:
            reminders = reminder_service.attention(self.db)
            if self._attention_reading:  # the panel's read in a worker is not needed any more: show these
                self._attention_generation += 1
                self._attention_reading = False
                self._show_attention(reminders)
            else:
                self._start_reminders = (date.today(), reminders)
        return self._announce(reminders, tray)

    def announce_on_start(self, tray: QSystemTrayIcon | None, show: Callable[[str], None]) -> None:
        """The start-up reminder line, ``show(text)`` (not called when nothing needs attention), and the panel's
        first rows from one read. With the window's tasks the read runs in a worker once the client rows are
        shown (it grows with the clients: ~60 ms at 5 000 on the UI thread delayed them); without, at once."""
        if self._tasks is None:
            text = self.notify_on_start(tray)
            if text:
                show(text)
            self._attention_loader.request()
            return
        self._attention_generation += 1
        generation, db, tasks = self._attention_generation, self.db, self._tasks
        self._attention_reading = True

        def read() -> None:
            tasks.start(lambda _progress: _read_attention(db),
                        lambda read: self._start_read(generation, read[0], read[1], tray, show),
                        lambda exc: self._attention_failed(generation, exc))

        self._deferred_read = read
        # once the window has painted the rows, and after the tasks their loading started (the budgets): the read
        # must not compete with that paint for the interpreter lock
        window = self.parent()
        if isinstance(window, QWidget):
            FirstPaint(window, self.start_deferred_read)
        else:
            QTimer.singleShot(0, self, self.start_deferred_read)

    def stop_background(self) -> None:
        """The window closes: no read starts any more (the start-up one still waiting for a paint, an action's
        re-read of the events still waiting for its paint — it would fire in the close's own wait for the tasks
        and read the database as it is disposed of), and the answers of reads under way are dropped."""
        self._deferred_read = None
        gate, self._events_gate = self._events_gate, None
        if gate is not None:
            gate.cancel()
            gate.deleteLater()
        self._events_generation += 1
        self._events_reading = 0
        self._attention_generation += 1
        self._attention_reading = False

    def start_deferred_read(self) -> None:
        """Start the start-up reminder read now if it still waits for the window's paint, and an action's re-read
        of every client's events (tests, closing)."""
        read, self._deferred_read = self._deferred_read, None
        if read is not None and self._tasks is not None:
            self._tasks.when_idle(read)
        if self._events_gate is not None:
            self._events_gate.run_now()

    def _start_read(self, generation: int, reminders: list, by_client: dict | None, tray: QSystemTrayIcon | None,
                    show: Callable[[str], None]) -> None:
        if generation == self._attention_generation:  # else a change asked for a newer read: the panel waits for it
            self._attention_reading = False
            self._show_attention(reminders, by_client)
        text = self._announce(reminders, tray)
        if text:
            show(text)

    def _announce(self, reminders: list, tray: QSystemTrayIcon | None) -> str:
        """The line naming how many reminders of each kind there are; also a tray message where one is shown."""
        if not reminders:
            return ""
        counts: dict[str, int] = {}
        for r in reminders:
            counts[r.kind_title] = counts.get(r.kind_title, 0) + 1
        text = "; ".join(f"{kind}: {n}" for kind, n in counts.items())
        if tray is not None and QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            tray.showMessage(_("Needs attention"), text, QSystemTrayIcon.MessageIcon.Information, 10_000)
        return text


def _read_attention(db) -> tuple[list, dict]:
    """In a worker: every reminder, and each client's (the model's index for a move's in-place update)."""
    reminders = reminder_service.attention(db)
    return reminders, group_by_client(reminders)
