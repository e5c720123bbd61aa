"""The week's plan actions: plan, edit, complete and cancel an event (undoable), and the «План» window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from PySide6.QtWidgets import QWidget

from app.errors import UserError
from app.i18n import _
from app.services import edit_undo, plan_read
from app.services import plan as plan_service
from app.services.changes import Changes
from app.services.client_list import list_clients
from app.services.progress import lessons as client_lessons
from app.services.worklog import contract_after
from ui.dialogs.plan.complete_dialog import CompleteChoice, CompleteEventDialog
from ui.dialogs.plan.event_dialog import EventDialog
from ui.dialogs.reason import ReasonDialog
from ui.undo import UndoStep, edit_step
from ui.views.week_base import Holder, WeekBase

if TYPE_CHECKING:
    from ui.views.plan_window import PlanWindow


class WeekPlan(WeekBase):
    """The plan part of WeekViews: the agenda's and the «План» window's actions on events."""

    def _lessons(self, client_id: int | None) -> list[tuple[str, str]]:
        if client_id is None:
            return []
        return [(i.code, f"{i.number}. {i.title}") for i in client_lessons(self.db, client_id)]

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
                lambda start, end, client: plan_read.plan_period(db, start, end, client_id=client),
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

    def _zone_of(self, client_id: int) -> plan_read.ZoneChoice:
        return plan_read.zone_choice(self.db, client_id)

    def edit_event(self, event_id: int) -> None:
        try:
            before = plan_read.get_event(self.db, event_id)
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
                after = plan_read.get_event(self.db, event_id)
            except UserError:
                return
            if after.status == "planned":
                window.say_not_listed(after)

    def complete_event(self, event_id: int) -> None:
        try:
            event = plan_read.get_event(self.db, event_id)
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
            before = plan_read.get_event(db, event_id).note  # what the undo puts back
        except UserError as exc:
            refused(exc)
            return refusals[0]
        done = self.ops.run(lambda: plan_service.cancel_event(db, event_id, why), initiator=self, undo=UndoStep(
            _("cancel the event"), lambda: plan_service.cancel_event(db, event_id, why),
            lambda: plan_service.reopen_event(db, event_id, note=before)), on_error=refused)
        if done is None:
            return refusals[0] if refusals else _("The event was not cancelled.")
        return None
