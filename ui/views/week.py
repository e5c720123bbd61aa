"""Glue for the specialist's week: docks for the agenda and «Требует внимания», a «Неделя» menu, the
questions log of the current client, exports, undo — everything through app/services.

The main window adds all of it with one call (see install_week_views). Every action goes through the
window's operations runner (``ui.ops.Ops.run``): refusals are shown one way, the undo step lands on the
window's one stack and the Changes are announced with the week as initiator; ``WeekViews.on_changes``
hears them (its own too) and re-reads only what they name — a hidden dock or page marks itself stale and
reads once when shown (``ui.views.lazy.ReloadWhenShown``).

WeekViews is made of parts: ``week_reminders`` (the attention panel, the start-up line), ``week_plan`` (events,
the «План» window), ``week_questions`` (the questions log) on ``week_base`` (their state and runner)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMenu,
    QStyle,
    QSystemTrayIcon,
)

from app.errors import UserError
from app.i18n import _
from app.services import plan_read
from app.services.changes import Changes, requires_reminders
from app.services.files import write_file
from ui.dialogs.keyboard import keep_bar_mnemonics, no_tab_while_behind
from ui.ops import Ops
from ui.tasks import TaskManager
from ui.views.agenda import AgendaView
from ui.views.attention_panel import AttentionPanel
from ui.views.lazy import ReloadWhenShown
from ui.views.questions_log import QuestionsLogView
from ui.views.week_plan import WeekPlan
from ui.views.week_questions import WeekQuestions
from ui.views.week_reminders import WeekReminders


class WeekViews(WeekReminders, WeekPlan, WeekQuestions):
    """Owns the agenda, the attention panel and the questions log; loads them from the services and
    refreshes only what a Changes names. ``ops``: the window's operations runner (its undo stack, its
    ``changed`` signal, its error display)."""

    def __init__(self, db, *, ops: Ops, open_client: Callable[[int], None],
                 current_client: Callable[[], int | None],
                 visible_client_ids: Callable[[], list[int]] | None = None, parent=None,
                 tasks: TaskManager | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings  # where the «План» window keeps its size and columns (None: not kept)
        self.plan_window = None  # Неделя → План…, made when first opened
        self._dialog_over = None  # the window the plan's dialogs open over (None: the main one)
        self.ops = ops
        self._tasks = tasks  # None: every read on the calling thread (tests of the views alone)
        self._attention_generation = 0  # a newer full read makes the answer of an older one void
        self._attention_reading = False  # a full read is under way in a worker
        self._open_client, self._current_client = open_client, current_client
        self._visible_ids = visible_client_ids
        self.agenda = AgendaView()
        self.attention = AttentionPanel()
        self.questions = QuestionsLogView()
        self._agenda_loader = ReloadWhenShown(self.agenda, self._load_agenda)
        self._attention_loaded = None  # the day of the last full read (days count in the texts)
        self._start_reminders = None  # read for the start-up line, until a change
        self._deferred_read = None  # the start-up read, until the window is painted
        self._attention_loader = ReloadWhenShown(self.attention, self._load_attention)
        self._events_gate = None  # every client's events, read after an action's paint
        self._events_reading = 0  # the generation of the events read under way in a worker (0: none)
        self._events_generation = 0
        self._questions_loader = ReloadWhenShown(self.questions, self._load_questions, self._forget_questions)
        self.agenda.add_requested.connect(lambda: self.plan_event())
        self.agenda.complete_requested.connect(self.complete_event)
        self.agenda.edit_requested.connect(self.edit_event)
        self.agenda.cancel_requested.connect(self.cancel_event)
        self.agenda.client_requested.connect(open_client)
        self.attention.client_requested.connect(open_client)
        self.questions.add_requested.connect(lambda: self.new_question())
        self.questions.close_requested.connect(self.close_question)
        self.questions.edit_requested.connect(self.edit_question)
        self._questions_client = None
        self._questions_loaded = None
        self.tray: QSystemTrayIcon | None = None
        ops.changed.connect(self.on_changes)

    # ---------------------------------------------------------------- loading

    def _request_agenda(self) -> None:
        self._agenda_loader.request()

    def _load_agenda(self) -> None:
        self.agenda.set_agenda(plan_read.agenda(self.db))

    def refresh(self) -> None:
        self._agenda_loader.request()
        self._attention_loader.request()

    def refresh_agenda(self) -> None:
        self._agenda_loader.request()

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """Refresh what ``changes`` names: the agenda for the plan, reminders for what they depend on,
        the questions log for questions of the client it shows."""
        self._start_reminders = None
        if changes.replaced and self._tasks is not None:
            # a restore or an import: once a reload's rows are painted (when_idle waits for them), not beside them
            # on the UI thread (~5–10 ms at 5 000 clients while the worker reads the rows); at once when idle
            self._tasks.when_idle(self._request_agenda)
        elif changes.plan or changes.replaced:
            self._agenda_loader.request()
        self._refresh_plan_window(changes)
        if requires_reminders(changes):
            self._refresh_attention(changes)
        if self._questions_client is not None and (changes.replaced or (changes.questions and (
                not changes.client_ids or self._questions_client in changes.client_ids))):
            self._questions_loader.request()

    # ---------------------------------------------------------------- exports

    def export(self, what: str, path: str | None = None) -> Path | None:
        """Save ``what`` (clients, worklog, register, plan, ics) to a file the user picks (through the runner:
        a refusal is shown the window's way). Returns the file written, or None."""
        suffix = ".ics" if what == "ics" else ".xlsx"
        if path is None:
            title = _("Save the calendar") if what == "ics" else _("Save the Excel workbook")
            path, _filter = QFileDialog.getSaveFileName(self.agenda.window(), title, f"{what}{suffix}",
                                                        f"*{suffix}")
            if not path:
                return None
        target = Path(path if path.lower().endswith(suffix) else path + suffix)
        client, db = self._current_client(), self.db
        ids = self._visible_ids() if self._visible_ids else None

        def save() -> Path:
            from app.services import ics_export, xlsx_export

            if what == "clients":
                if ids is not None and not ids:  # a search showing none: no rows, never «every client» (tester T)
                    raise UserError(_("The list shows no clients: nothing to export."))
                data = xlsx_export.clients_xlsx(db, xlsx_export.ClientFilter(ids=None if ids is None else tuple(ids)))
            elif what == "worklog":
                if client is None:
                    raise UserError(_("Choose a client first."))
                data = xlsx_export.worklog_xlsx(db, client)
            elif what == "register":
                data = xlsx_export.register_xlsx(db)
            elif what == "plan":
                data = xlsx_export.plan_xlsx(db)
            else:
                data = ics_export.calendar_bytes(db)
            write_file(target, data)
            return target

        return self._run(save)  # nothing to announce: the data did not change


def install_week_views(window: QMainWindow, db, *, ops: Ops, open_client: Callable[[int], None],
                       current_client: Callable[[], int | None],
                       visible_client_ids: Callable[[], list[int]] | None = None,
                       notify: bool = True, tasks: TaskManager | None = None,
                       dock_area: Qt.DockWidgetArea | None = None, settings: QSettings | None = None) -> WeekViews:
    """Add the agenda and «Требует внимания» as docks (right, tabbed), a «Неделя» menu (plan an event,
    new question, exports) and return the WeekViews. With ``notify`` the reminders are announced at once:
    in the status bar and, where the desktop has a tray, as a notification (kept in ``week.tray``).
    The week's actions run through ``ops`` (the window's runner) and it hears every ``ops.changed``; with
    ``tasks`` (the window's TaskManager) a full re-read of the reminders of a large database runs there; the
    window calls ``week.show_client(id)`` when its current client changes; the questions log
    (``week.questions``) is a widget for the client card (e.g. a tab). ``dock_area``: where the docks go (default
    the right side; the main window puts them below its work area at once rather than moving them there);
    ``settings``: where the «План» window keeps its size and column widths."""
    week = WeekViews(db, ops=ops, open_client=open_client, current_client=current_client,
                     visible_client_ids=visible_client_ids, parent=window, tasks=tasks, settings=settings)
    agenda_dock = QDockWidget(_("Agenda"), window)
    agenda_dock.setObjectName("agendaDock")
    agenda_dock.setWidget(week.agenda)
    attention_dock = QDockWidget(_("Needs attention"), window)
    attention_dock.setObjectName("attentionDock")
    attention_dock.setWidget(week.attention)
    area = Qt.DockWidgetArea.RightDockWidgetArea if dock_area is None else dock_area
    window.addDockWidget(area, attention_dock)
    window.addDockWidget(area, agenda_dock)
    window.tabifyDockWidget(attention_dock, agenda_dock)
    for dock in (attention_dock, agenda_dock):
        no_tab_while_behind(dock)
    attention_dock.raise_()
    bar = window.menuBar()
    help_menu = next((a for a in bar.actions() if a.menu() is not None and a.menu().objectName() == "helpMenu"), None)
    menu = QMenu(_("&Week"), bar)
    menu.setObjectName("weekMenu")
    if help_menu is not None:  # Help stays the last menu
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)

    def add(text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    add(_("Plan an event…"), lambda: week.plan_event(), "Ctrl+Shift+P")
    add(_("New question…"), lambda: week.new_question(), "Ctrl+Shift+Q")
    add(_("Plan…"), lambda: week.open_plan(), "Ctrl+Shift+L")  # every planned event, not only this week's
    menu.addSeparator()
    menu.addAction(agenda_dock.toggleViewAction())
    menu.addAction(attention_dock.toggleViewAction())
    menu.addSeparator()
    add(_("Client list to Excel…"), lambda: week.export("clients"))
    add(_("Work log to Excel…"), lambda: week.export("worklog"))
    add(_("Documents register to Excel…"), lambda: week.export("register"))
    add(_("Plan to Excel…"), lambda: week.export("plan"))
    add(_("Plan to calendar (.ics)…"), lambda: week.export("ics"))
    keep_bar_mnemonics(bar)  # the new menu's items, and its title among the others'
    week.tray = None
    if notify:
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = window.windowIcon()
            if icon.isNull():  # a tray icon without an icon is not shown (and Qt warns)
                icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            week.tray = QSystemTrayIcon(icon, window)
            week.tray.show()
        def show(text: str) -> None:
            # read after the rows: said only if the status bar is free (the main window's shows the database's
            # name, which replaced this line at once when it was read before; a later message is not overwritten)
            if not window.statusBar().currentMessage():
                window.statusBar().showMessage(_("Needs attention: {what}").format(what=text), 30_000)

        week.announce_on_start(week.tray, show)
        week.refresh_agenda()  # the panel's first rows come with the start-up line (one read)
    else:
        week.refresh()
    return week
