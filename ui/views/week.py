"""Glue for the specialist's week: docks for the agenda and «Требует внимания», a «Неделя» menu, the
questions log of the current client, exports, undo — everything through app/services.

The main window adds all of it with one call (see install_week_views). Every action goes through the
window's operations runner (``ui.ops.Ops.run``): refusals are shown one way, the undo step lands on the
window's one stack and the Changes are announced with the week as initiator; ``WeekViews.on_changes``
hears them (its own too) and re-reads only what they name — a hidden dock or page marks itself stale and
reads once when shown (``ui.views.lazy.ReloadWhenShown``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar
from zoneinfo import available_timezones

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMenu,
    QStyle,
    QSystemTrayIcon,
    QWidget,
)

from app import gcpause
from app.errors import UserError
from app.i18n import _
from app.services import edit_undo
from app.services import plan as plan_service
from app.services import questions as question_service
from app.services import reminders as reminder_service
from app.services.changes import Changes, requires_all_reminders, requires_budgets, requires_reminders
from app.services.clients import count_clients, get_client, list_clients
from app.services.files import write_file
from app.services.progress import lessons as client_lessons
from app.services.worklog import contract_after, contract_date
from ui.dialogs.keyboard import keep_bar_mnemonics, no_tab_while_behind
from ui.dialogs.plan.complete_dialog import CompleteChoice, CompleteEventDialog
from ui.dialogs.plan.event_dialog import EventDialog
from ui.dialogs.questions.close_dialog import CloseChoice, CloseQuestionDialog
from ui.dialogs.questions.question_dialog import QuestionDialog
from ui.dialogs.reason import ReasonDialog
from ui.loading import AfterPaint, FirstPaint
from ui.models.attention import group_by_client
from ui.ops import Ops
from ui.tasks import TaskManager
from ui.undo import UndoStep, edit_step
from ui.views.agenda import AgendaView
from ui.views.attention_panel import AttentionPanel
from ui.views.lazy import ReloadWhenShown, hidden_in_window
from ui.views.questions_log import QuestionsLogView

if TYPE_CHECKING:
    from ui.views.plan_window import PlanWindow

log = logging.getLogger(__name__)
T = TypeVar("T")


class Holder(Generic[T]):
    """A value one call sets and a later one reads: the id of a row that redo re-creates (a re-added event or
    question gets a new id), the base an edit dialog saves against."""

    def __init__(self, value: T) -> None:
        self.value = value


def _to_dialog(exc: UserError) -> None:
    """``on_error`` for an action run from a dialog's «Save»: the dialog shows the refusal in its error line
    and stays open (its ``submit`` raises)."""
    raise exc


class WeekViews(QObject):
    """Owns the agenda, the attention panel and the questions log; loads them from the services and
    refreshes only what a Changes names. ``ops``: the window's operations runner (its undo stack, its
    ``changed`` signal, its error display)."""

    READ_IN_WORKER_FROM = 500  # clients: from here on, every reminder is re-read in a worker (as WorkArea's rows)

    def __init__(self, db, *, ops: Ops, open_client: Callable[[int], None],
                 current_client: Callable[[], int | None],
                 visible_client_ids: Callable[[], list[int]] | None = None, parent=None,
                 tasks: TaskManager | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings  # where the «План» window keeps its size and columns (None: not kept)
        self.plan_window: PlanWindow | None = None  # Неделя → План…, made when first opened
        self._dialog_over: QWidget | None = None  # the window the plan's dialogs open over (None: the main one)
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
        self._attention_loaded: date | None = None  # the day of the last full read (days count in the texts)
        self._start_reminders: tuple[date, list] | None = None  # read for the start-up line, until a change
        self._deferred_read: Callable[[], None] | None = None  # the start-up read, until the window is painted
        self._attention_loader = ReloadWhenShown(self.attention, self._load_attention)
        self._events_gate: AfterPaint | None = None  # every client's events, read after an action's paint
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
        self._questions_client: int | None = None
        self._questions_loaded: int | None = None
        self.tray: QSystemTrayIcon | None = None
        ops.changed.connect(self.on_changes)

    @property
    def undo_stack(self) -> QUndoStack:
        return self.ops.undo_stack

    # ---------------------------------------------------------------- loading

    def _request_agenda(self) -> None:
        self._agenda_loader.request()

    def _load_agenda(self) -> None:
        self.agenda.set_agenda(plan_service.agenda(self.db))

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

    def _load_questions(self) -> None:
        client_id = self._questions_client
        self._questions_loaded = client_id
        self.questions.set_questions(question_service.list_questions(self.db, client_id) if client_id else [])

    def _forget_questions(self) -> None:
        if self._questions_loaded != self._questions_client:  # never show another client's questions
            self._questions_loaded = None
            self.questions.set_questions([])

    def refresh(self) -> None:
        self._agenda_loader.request()
        self._attention_loader.request()

    def refresh_agenda(self) -> None:
        self._agenda_loader.request()

    def show_client(self, client_id: int | None) -> None:
        """The questions log follows the window's current client (told again after every action: the same
        client shown, or read once the log is shown, needs nothing — on_changes re-reads what changed)."""
        if client_id == self._questions_client and (
                self._questions_loaded == client_id or self._questions_loader.stale):
            return
        self._questions_client = client_id
        self.questions.setEnabled(client_id is not None)
        self._questions_loader.request()

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

    # ---------------------------------------------------------------- running actions

    def _run(self, action: Callable[[], object], undo: UndoStep | Callable | None = None, *,
             from_dialog: bool = False, on_conflict: Holder[edit_undo.Base] | None = None):
        """Every action of the week: through the window's runner, announced with the week as initiator.
        ``on_conflict``: the holder of an edit dialog's base, moved on when its save is refused as changed elsewhere
        too, so that saving again writes the user's values (app.services.edit_undo)."""
        def refused(exc: UserError) -> None:
            if on_conflict is not None and isinstance(exc, edit_undo.EditConflict):
                on_conflict.value = exc.base
            _to_dialog(exc)

        return self.ops.run(action, initiator=self, undo=undo, on_error=refused if from_dialog else None)

    def _error(self, exc: UserError) -> None:
        self.ops.report_error(exc)

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
        db = self.db

        def step(result) -> UndoStep:
            event, chosen, data = Holder(result[0]), result[1], result[2]

            def redo() -> Changes:
                event.value, changes = plan_service.add_event(db, chosen, data)
                return changes

            return UndoStep(_("plan an event"), redo, lambda: plan_service.delete_event(db, event.value))

        def submit(chosen: int, data) -> None:
            def add() -> tuple[int, int, object, Changes]:  # the Changes last: the runner announces them
                event_id, changes = plan_service.add_event(db, chosen, data)
                return event_id, chosen, data, changes

            self._run(add, step, from_dialog=True)

        dialog = EventDialog(clients, self._lessons(client_id or clients[0][0]), self._staff, submit,
                             client_id=client_id, zones=sorted(available_timezones()), zone_of=self._zone_of,
                             parent=self._parent())
        dialog.exec()
        dialog.deleteLater()

    def _parent(self) -> QWidget:
        """What the plan's dialogs open over: the «План» window for its own actions, else the main window."""
        return self._dialog_over or self.agenda.window()

    def open_plan(self, client_id: int | None = None) -> PlanWindow:
        """Неделя → План…: every planned event of a period (default: from today, three months), the overdue ones
        first, with the agenda's actions — the agenda shows seven days only (tester K #4). One window, shown again
        (re-read) when opened again; ``client_id``: the client filter."""
        from ui.views.plan_window import PlanWindow

        window = self.plan_window
        if window is None:
            db = self.db
            window = self.plan_window = PlanWindow(
                lambda start, end, client: plan_service.plan_period(db, start, end, client_id=client),
                [(c.id, c.name) for c in list_clients(db)], settings=self.settings, client_id=client_id,
                parent=self.agenda.window())
            view = window.view
            view.add_requested.connect(lambda: self._over_plan(lambda: self.plan_event(window.client_id())))
            view.edit_requested.connect(lambda event_id: self._over_plan(lambda: self.edit_event(event_id)))
            view.complete_requested.connect(lambda event_id: self._over_plan(lambda: self.complete_event(event_id)))
            view.cancel_requested.connect(lambda event_id: self._over_plan(lambda: self.cancel_event(event_id)))
            view.client_requested.connect(self._open_client)
        else:
            if client_id is not None:
                window.set_clients([(c.id, c.name) for c in list_clients(self.db)], client_id)
            window.reload()
        if window.isVisible():  # open behind the main window: brought to the front
            window.raise_()
        window.show()
        window.activateWindow()
        return window

    def _over_plan(self, action: Callable[[], object]) -> None:
        """Run one of the «План» window's actions with its dialogs over that window."""
        self._dialog_over = self.plan_window
        try:
            action()
        finally:
            self._dialog_over = None

    def _refresh_plan_window(self, changes: Changes) -> None:
        """The «План» window, while shown, re-reads its events when the plan changed (its clients' names too
        after a restore or an import); a hidden one is read when opened again."""
        window = self.plan_window
        if window is None or not window.isVisible() or not (changes.plan or changes.replaced):
            return
        if changes.replaced:
            window.set_clients([(c.id, c.name) for c in list_clients(self.db)])
        window.reload()

    def _zone_of(self, client_id: int) -> plan_service.ZoneChoice:
        return plan_service.zone_choice(self.db, client_id)

    def edit_event(self, event_id: int) -> None:
        try:
            before = plan_service.get_event(self.db, event_id)
        except UserError as exc:
            self._error(exc)
            return
        db = self.db
        base = Holder(edit_undo.base_of("event", before.as_input()))  # what the dialog shows: only changes are saved

        def submit(_client: int, data) -> None:  # undo puts back only what this edit changed (tester Q #1)
            self._run(lambda: edit_undo.save_event(db, event_id, data, base.value),
                      lambda saved: edit_step(db, _("change the event"), saved[0]), from_dialog=True,
                      on_conflict=base)

        window = self.plan_window
        listed = window is not None and window.isVisible() and window.listed(event_id)
        dialog = EventDialog([(before.client_id, before.client_name)], self._lessons(before.client_id), self._staff,
                             submit, event=before, zones=sorted(available_timezones()), parent=self._parent())
        dialog.exec()
        dialog.deleteLater()
        if listed and window is not None and not window.listed(event_id):  # moved out of the window's period
            try:
                after = plan_service.get_event(self.db, event_id)
            except UserError:
                return
            if after.status == "planned":
                window.say_not_listed(after)

    def complete_event(self, event_id: int) -> None:
        try:
            event = plan_service.get_event(self.db, event_id)
        except UserError as exc:
            self._error(exc)
            return
        db = self.db

        def submit(choice: CompleteChoice) -> None:
            def complete() -> Changes:
                return plan_service.complete_event(db, event_id, actual_min=choice.actual_min, days=choice.days,
                                                   log_work=choice.log_work, tick_lessons=choice.tick_lessons)[1]

            self._run(complete, UndoStep(_("event done"), complete, lambda: plan_service.reopen_event(db, event_id)),
                      from_dialog=True)

        # the day it is done on is its own zone's date (complete_event); before the contract: said, not refused
        signed = contract_after(db, event.client_id, event.start_local.date())
        dialog = CompleteEventDialog(event, submit, self._parent(), contract=signed)
        dialog.exec()
        dialog.deleteLater()

    def cancel_event(self, event_id: int, reason: str | None = None) -> None:
        """Cancel an event with ``reason``; without one, ask in a box that stays open with the typed text when the
        reason is refused (too long, or too long with the note): QInputDialog closed and lost it (tester P)."""
        if reason is not None:
            self._cancel(event_id, reason, say=True)
            return
        dialog = self.cancel_dialog(event_id)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def cancel_dialog(self, event_id: int) -> ReasonDialog:
        """The box asking why the event is cancelled; OK cancels it, a refusal keeps the box open with the text."""
        return ReasonDialog(_("Cancel the event"), _("Reason"), lambda text: self._cancel(event_id, text),
                            self._parent())

    def _cancel(self, event_id: int, reason: str, *, say: bool = False) -> str | None:
        """Cancel the event (undoable); the refusal's text (also shown by the window when ``say``), or None when
        cancelled."""
        db, why = self.db, reason or ""  # line breaks kept: the note keeps them
        refusals: list[str] = []

        def refused(exc: UserError) -> None:
            refusals.append(exc.full_text())
            if say:
                self._error(exc)

        try:
            before = plan_service.get_event(db, event_id).note  # what the undo puts back
        except UserError as exc:
            refused(exc)
            return refusals[0]
        done = self.ops.run(lambda: plan_service.cancel_event(db, event_id, why), initiator=self, undo=UndoStep(
            _("cancel the event"), lambda: plan_service.cancel_event(db, event_id, why),
            lambda: plan_service.reopen_event(db, event_id, note=before)), on_error=refused)
        if done is None:
            return refusals[0] if refusals else _("The event was not cancelled.")
        return None

    # ---------------------------------------------------------------- questions

    def new_question(self) -> None:
        client_id = self._questions_client or self._current_client()
        if client_id is None:
            return
        details = get_client(self.db, client_id)
        db = self.db

        def submit(data) -> None:
            def step(result) -> UndoStep:
                question = Holder(result[0])

                def redo() -> Changes:
                    question.value, changes = question_service.add_question(db, client_id, data)
                    return changes

                return UndoStep(_("new question"), redo, lambda: question_service.delete_question(db, question.value))

            self._run(lambda: question_service.add_question(db, client_id, data), step, from_dialog=True)

        dialog = QuestionDialog(details.data.name, self._staff(client_id), submit, contract=details.data.contract_date,
                                parent=self.agenda.window())
        dialog.exec()
        dialog.deleteLater()

    def _question(self, question_id: int):
        return next((r for r in question_service.list_questions(self.db, self._questions_client)
                     if r.id == question_id), None)

    def edit_question(self, question_id: int) -> None:
        row = self._question(question_id)
        if row is None:
            return
        db = self.db
        base = Holder(edit_undo.base_of("question", row.as_input()))  # what the dialog shows: only changes are saved

        def submit(data) -> None:  # undo puts back only what this edit changed (tester Q #1)
            self._run(lambda: edit_undo.save_question(db, question_id, data, base.value),
                      lambda saved: edit_step(db, _("change the question"), saved[0]), from_dialog=True,
                      on_conflict=base)

        dialog = QuestionDialog(row.client_name, self._staff(row.client_id), submit, question=row,
                                contract=contract_date(db, row.client_id), parent=self.agenda.window())
        dialog.exec()
        dialog.deleteLater()

    def close_question(self, question_id: int) -> None:
        row = self._question(question_id)
        if row is None:
            return
        db = self.db

        def submit(choice: CloseChoice) -> None:
            def close() -> Changes:
                return question_service.close_question(db, question_id, answer=choice.answer,
                                                       minutes=choice.minutes or None, on=choice.on)[1]

            self._run(close, UndoStep(_("question solved"), close,
                                      lambda: question_service.reopen_question(db, question_id)), from_dialog=True)

        dialog = CloseQuestionDialog(row, submit, contract=contract_date(db, row.client_id), parent=self.agenda.window())
        dialog.exec()
        dialog.deleteLater()

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
                data = xlsx_export.clients_xlsx(db, xlsx_export.ClientFilter(ids=tuple(ids) if ids else None))
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

    # ---------------------------------------------------------------- start-up notice

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


def _read_attention(db) -> tuple[list, dict]:
    """In a worker: every reminder, and each client's (the model's index for a move's in-place update)."""
    reminders = reminder_service.attention(db)
    return reminders, group_by_client(reminders)
