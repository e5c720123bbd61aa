"""Glue for the specialist's week: docks for the agenda and «Требует внимания», a «Неделя» menu, the
questions log of the current client, exports, undo — everything through app/services.

The main window adds all of it with one call (see install_week_views) and forwards its changes to
``WeekViews.on_changes``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from zoneinfo import available_timezones

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QStyle,
    QSystemTrayIcon,
)

from app.errors import UserError
from app.i18n import _
from app.services import plan as plan_service
from app.services import questions as question_service
from app.services import reminders as reminder_service
from app.services.changes import Changes
from app.services.clients import get_client, list_clients
from app.services.files import write_file
from app.services.progress import lessons as client_lessons
from ui.dialogs.plan.complete_dialog import CompleteChoice, CompleteEventDialog
from ui.dialogs.plan.event_dialog import EventDialog
from ui.dialogs.questions.close_dialog import CloseChoice, CloseQuestionDialog
from ui.dialogs.questions.question_dialog import QuestionDialog
from ui.views.agenda import AgendaView
from ui.views.attention_panel import AttentionPanel
from ui.views.questions_log import QuestionsLogView
from ui.views.week_commands import Holder, WeekCommand

# Changes after which reminders may differ (events, stage moves, ticks, work, estimates, documents, settings)
_REMINDER_FLAGS = ("plan", "clients", "stage", "checklist", "worklog", "estimates", "documents", "settings")


class WeekViews(QObject):
    """Owns the agenda, the attention panel and the questions log; loads them from the services and
    refreshes only what a Changes names. ``announce(changes)`` tells the rest of the window."""

    def __init__(self, db, *, open_client: Callable[[int], None], announce: Callable[[Changes], None],
                 current_client: Callable[[], int | None], undo_stack: QUndoStack | None = None,
                 visible_client_ids: Callable[[], list[int]] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self._open_client, self._announce, self._current_client = open_client, announce, current_client
        self._visible_ids = visible_client_ids
        self.undo_stack = undo_stack
        self.agenda = AgendaView()
        self.attention = AttentionPanel()
        self.questions = QuestionsLogView()
        self.agenda.add_requested.connect(lambda: self.plan_event())
        self.agenda.complete_requested.connect(self.complete_event)
        self.agenda.edit_requested.connect(self.edit_event)
        self.agenda.cancel_requested.connect(self.cancel_event)
        self.agenda.client_requested.connect(open_client)
        self.attention.client_requested.connect(open_client)
        self.questions.add_requested.connect(lambda: self.new_question())
        self.questions.close_requested.connect(self.close_question)
        self.questions.edit_requested.connect(self.edit_question)
        self._questions_client: int | None = None
        self.tray: QSystemTrayIcon | None = None

    # ---------------------------------------------------------------- loading

    def refresh(self) -> None:
        self.agenda.set_agenda(plan_service.agenda(self.db))
        self.attention.set_reminders(reminder_service.attention(self.db))

    def show_client(self, client_id: int | None) -> None:
        """The questions log follows the window's current client."""
        self._questions_client = client_id
        self.questions.setEnabled(client_id is not None)
        self.questions.set_questions(question_service.list_questions(self.db, client_id) if client_id else [])

    def on_changes(self, changes: Changes) -> None:
        """Refresh what ``changes`` names: the agenda for the plan, reminders for what they depend on,
        the questions log for questions of the client it shows."""
        if changes.plan:
            self.agenda.set_agenda(plan_service.agenda(self.db))
        if any(getattr(changes, name) for name in _REMINDER_FLAGS):
            self.attention.set_reminders(reminder_service.attention(self.db))
        if changes.questions and self._questions_client is not None and (
                not changes.client_ids or self._questions_client in changes.client_ids):
            self.show_client(self._questions_client)

    # ---------------------------------------------------------------- running actions

    def _error(self, exc: UserError) -> None:
        window = self.agenda.window()
        QMessageBox.warning(window, window.windowTitle() or _("Needs attention"), exc.full_text())

    def _done(self, changes: Changes, command: WeekCommand | None = None) -> None:
        self.on_changes(changes)
        self._announce(changes)
        if command is not None and self.undo_stack is not None:
            self.undo_stack.push(command)

    def _apply(self, changes: Changes) -> None:  # from undo/redo
        self.on_changes(changes)
        self._announce(changes)

    # ---------------------------------------------------------------- plan

    def _lessons(self, client_id: int | None) -> list[tuple[str, str]]:
        if client_id is None:
            return []
        return [(i.code, f"{i.number}. {i.title}") for i in client_lessons(self.db, client_id)]

    def _staff(self, client_id: int) -> list[tuple[str, str]]:
        details = get_client(self.db, client_id)
        return [(p.uuid or p.name, p.name) for p in details.data.employees]

    def plan_event(self, client_id: int | None = None) -> None:
        client_id = client_id if client_id is not None else self._current_client()
        clients = [(c.id, c.name) for c in list_clients(self.db)]
        if not clients:
            return
        holder: dict = {}

        def submit(chosen: int, data) -> None:
            holder["id"], holder["changes"] = plan_service.add_event(self.db, chosen, data)
            holder["client"], holder["data"] = chosen, data

        dialog = EventDialog(clients, self._lessons(client_id or clients[0][0]), self._staff, submit,
                             client_id=client_id, zones=sorted(available_timezones()), zone_of=self._zone_of,
                             parent=self.agenda.window())
        if dialog.exec() and "id" in holder:
            event = Holder(holder["id"])

            def redo() -> Changes:
                event.value, changes = plan_service.add_event(self.db, holder["client"], holder["data"])
                return changes

            self._done(holder["changes"], WeekCommand(_("plan an event"), lambda: plan_service.delete_event(
                self.db, event.value), redo, self._apply, self._error))

    def _zone_of(self, client_id: int) -> str:
        return plan_service.default_zone(self.db, client_id)

    def edit_event(self, event_id: int) -> None:
        try:
            before = plan_service.get_event(self.db, event_id)
        except UserError as exc:
            self._error(exc)
            return
        holder: dict = {}

        def submit(_client: int, data) -> None:
            holder["changes"], holder["data"] = plan_service.update_event(self.db, event_id, data), data

        dialog = EventDialog([(before.client_id, before.client_name)], self._lessons(before.client_id), self._staff,
                             submit, event=before, zones=sorted(available_timezones()), parent=self.agenda.window())
        if dialog.exec() and "changes" in holder:
            old, new = before.as_input(), holder["data"]
            self._done(holder["changes"], WeekCommand(
                _("change the event"), lambda: plan_service.update_event(self.db, event_id, old),
                lambda: plan_service.update_event(self.db, event_id, new), self._apply, self._error))

    def complete_event(self, event_id: int) -> None:
        try:
            event = plan_service.get_event(self.db, event_id)
        except UserError as exc:
            self._error(exc)
            return
        result: dict = {}

        def submit(choice: CompleteChoice) -> None:
            result["choice"] = choice
            _done, result["changes"] = plan_service.complete_event(
                self.db, event_id, actual_min=choice.actual_min, log_work=choice.log_work,
                tick_lessons=choice.tick_lessons)

        if CompleteEventDialog(event, submit, self.agenda.window()).exec() and "changes" in result:
            choice = result["choice"]
            self._done(result["changes"], WeekCommand(
                _("event done"), lambda: plan_service.reopen_event(self.db, event_id),
                lambda: plan_service.complete_event(self.db, event_id, actual_min=choice.actual_min,
                                                    log_work=choice.log_work, tick_lessons=choice.tick_lessons)[1],
                self._apply, self._error))

    def cancel_event(self, event_id: int, reason: str | None = None) -> None:
        if reason is None:
            reason, ok = QInputDialog.getText(self.agenda.window(), _("Cancel the event"), _("Reason"))
            if not ok:
                return
        try:
            changes = plan_service.cancel_event(self.db, event_id, reason)
        except UserError as exc:
            self._error(exc)
            return
        self._done(changes, WeekCommand(_("cancel the event"), lambda: plan_service.reopen_event(self.db, event_id),
                                        lambda: plan_service.cancel_event(self.db, event_id, reason or ""),
                                        self._apply, self._error))

    # ---------------------------------------------------------------- questions

    def new_question(self) -> None:
        client_id = self._questions_client or self._current_client()
        if client_id is None:
            return
        details = get_client(self.db, client_id)
        holder: dict = {}

        def submit(data) -> None:
            holder["id"], holder["changes"] = question_service.add_question(self.db, client_id, data)
            holder["data"] = data

        dialog = QuestionDialog(details.data.name, self._staff(client_id), submit, parent=self.agenda.window())
        if dialog.exec() and "id" in holder:
            question = Holder(holder["id"])

            def redo() -> Changes:
                question.value, changes = question_service.add_question(self.db, client_id, holder["data"])
                return changes

            self._done(holder["changes"], WeekCommand(
                _("new question"), lambda: question_service.delete_question(self.db, question.value), redo,
                self._apply, self._error))

    def edit_question(self, question_id: int) -> None:
        row = next((r for r in question_service.list_questions(self.db, self._questions_client)
                    if r.id == question_id), None)
        if row is None:
            return
        holder: dict = {}

        def submit(data) -> None:
            holder["changes"], holder["data"] = question_service.update_question(self.db, question_id, data), data

        dialog = QuestionDialog(row.client_name, self._staff(row.client_id), submit, question=row,
                                parent=self.agenda.window())
        if dialog.exec() and "changes" in holder:
            old, new = row.as_input(), holder["data"]
            self._done(holder["changes"], WeekCommand(
                _("change the question"), lambda: question_service.update_question(self.db, question_id, old),
                lambda: question_service.update_question(self.db, question_id, new), self._apply, self._error))

    def close_question(self, question_id: int) -> None:
        row = next((r for r in question_service.list_questions(self.db, self._questions_client)
                    if r.id == question_id), None)
        if row is None:
            return
        result: dict = {}

        def submit(choice: CloseChoice) -> None:
            result["choice"] = choice
            _entry, result["changes"] = question_service.close_question(
                self.db, question_id, answer=choice.answer, minutes=choice.minutes or None, on=choice.on)

        if CloseQuestionDialog(row, submit, parent=self.agenda.window()).exec() and "changes" in result:
            choice = result["choice"]
            self._done(result["changes"], WeekCommand(
                _("question solved"), lambda: question_service.reopen_question(self.db, question_id),
                lambda: question_service.close_question(self.db, question_id, answer=choice.answer,
                                                        minutes=choice.minutes or None, on=choice.on)[1],
                self._apply, self._error))

    # ---------------------------------------------------------------- exports

    def export(self, what: str, path: str | None = None) -> Path | None:
        """Save ``what`` (clients, worklog, register, plan, ics) to a file the user picks."""
        from app.services import ics_export, xlsx_export

        suffix = ".ics" if what == "ics" else ".xlsx"
        if path is None:
            title = _("Save the calendar") if what == "ics" else _("Save the Excel workbook")
            path, _filter = QFileDialog.getSaveFileName(self.agenda.window(), title, f"{what}{suffix}",
                                                        f"*{suffix}")
            if not path:
                return None
        target = Path(path if path.lower().endswith(suffix) else path + suffix)
        client = self._current_client()
        try:
            if what == "clients":
                ids = self._visible_ids() if self._visible_ids else None
                data = xlsx_export.clients_xlsx(self.db, xlsx_export.ClientFilter(ids=tuple(ids) if ids else None))
            elif what == "worklog":
                if client is None:
                    raise UserError(_("Choose a client first."))
                data = xlsx_export.worklog_xlsx(self.db, client)
            elif what == "register":
                data = xlsx_export.register_xlsx(self.db)
            elif what == "plan":
                data = xlsx_export.plan_xlsx(self.db)
            else:
                data = ics_export.calendar_bytes(self.db)
            write_file(target, data)
        except UserError as exc:
            self._error(exc)
            return None
        return target

    # ---------------------------------------------------------------- start-up notice

    def notify_on_start(self, tray: QSystemTrayIcon | None = None) -> str:
        """The start-up reminder line (also shown as a desktop notification when a tray is available)."""
        reminders = reminder_service.attention(self.db)
        if not reminders:
            return ""
        counts: dict[str, int] = {}
        for r in reminders:
            counts[r.kind_title] = counts.get(r.kind_title, 0) + 1
        text = "; ".join(f"{kind}: {n}" for kind, n in counts.items())
        if tray is not None and QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            tray.showMessage(_("Needs attention"), text, QSystemTrayIcon.MessageIcon.Information, 10_000)
        return text


def install_week_views(window: QMainWindow, db, *, open_client: Callable[[int], None],
                       announce: Callable[[Changes], None], current_client: Callable[[], int | None],
                       undo_stack: QUndoStack | None = None,
                       visible_client_ids: Callable[[], list[int]] | None = None,
                       notify: bool = True) -> WeekViews:
    """Add the agenda and «Требует внимания» as docks (right, tabbed), a «Неделя» menu (plan an event,
    new question, exports) and return the WeekViews. With ``notify`` the reminders are announced at once:
    in the status bar and, where the desktop has a tray, as a notification (kept in ``week.tray``).
    The window must call ``week.on_changes(changes)`` for changes made elsewhere and
    ``week.show_client(id)`` when its current client changes; the questions log (``week.questions``) is
    a widget for the client card (e.g. a tab)."""
    week = WeekViews(db, open_client=open_client, announce=announce, current_client=current_client,
                     undo_stack=undo_stack, visible_client_ids=visible_client_ids, parent=window)
    agenda_dock = QDockWidget(_("Agenda"), window)
    agenda_dock.setObjectName("agendaDock")
    agenda_dock.setWidget(week.agenda)
    attention_dock = QDockWidget(_("Needs attention"), window)
    attention_dock.setObjectName("attentionDock")
    attention_dock.setWidget(week.attention)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, attention_dock)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, agenda_dock)
    window.tabifyDockWidget(attention_dock, agenda_dock)
    attention_dock.raise_()
    menu = window.menuBar().addMenu(_("&Week"))
    menu.setObjectName("weekMenu")

    def add(text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    add(_("Plan an event…"), lambda: week.plan_event(), "Ctrl+Shift+P")
    add(_("New question…"), lambda: week.new_question(), "Ctrl+Shift+Q")
    menu.addSeparator()
    menu.addAction(agenda_dock.toggleViewAction())
    menu.addAction(attention_dock.toggleViewAction())
    menu.addSeparator()
    add(_("Client list to Excel…"), lambda: week.export("clients"))
    add(_("Work log to Excel…"), lambda: week.export("worklog"))
    add(_("Documents register to Excel…"), lambda: week.export("register"))
    add(_("Plan to Excel…"), lambda: week.export("plan"))
    add(_("Plan to calendar (.ics)…"), lambda: week.export("ics"))
    week.refresh()
    week.tray = None
    if notify:
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = window.windowIcon()
            if icon.isNull():  # a tray icon without an icon is not shown (and Qt warns)
                icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            week.tray = QSystemTrayIcon(icon, window)
            week.tray.show()
        text = week.notify_on_start(week.tray)
        if text:
            window.statusBar().showMessage(_("Needs attention: {what}").format(what=text), 30_000)
    return week
