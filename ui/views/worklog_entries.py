"""The work log view's entries: quick entry, add, edit and delete (undoable), and the hint after a delete."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog

from app.domain.pricing import KIND_TITLES_UI
from app.errors import UserError
from app.i18n import _, format_money, format_number
from ui.dialogs.date_refusals import refusal
from ui.dialogs.worklog.entry import EntryDialog
from ui.models.worklog import EntryIdRole, duration, typed_time
from ui.qtutil import from_qdate, one_line
from ui.undo import UndoStep, edit_step
from ui.views.worklog_base import WorkLogBase


class WorkLogEntries(WorkLogBase):
    """The entries part of WorkLogView: every write of an entry goes through the runner."""

    def add_entry(self, data) -> int | None:
        """Add an entry for the current client (undoable); returns its id or None when refused."""
        from app.services import worklog

        if self.client_id is None:
            return None
        client_id, db = self.client_id, self.db
        result = self._run(lambda: worklog.add_entry(db, client_id, data), undo=lambda r: UndoStep(
            _("adding a work-log entry"), lambda: worklog.restore_entries(db, [r[0]]),
            lambda: worklog.delete_entries(db, [r[0]])))
        return None if result is None else result[0]

    def add_from_inputs(self) -> int | None:
        """Quick entry: the typed value for the chosen kind and date; Enter in the value or note field."""
        from app.services.worklog import EntryInput, parse_measure

        kind = str(self.entry_kind.currentData())
        refused = refusal(self.entry_date)  # 31.04.2027 typed: said, nothing added (never another date)
        if refused:
            self._show_message(refused, error=True)
            self.entry_date.setFocus()
            return None
        try:
            measure = parse_measure(kind, typed_time(kind, self.entry_value.text()))
            data = EntryInput(from_qdate(self.entry_date.date()), kind, note=one_line(self.entry_note.text()), **measure)
        except UserError as exc:
            self._show_message(exc.message, error=True)
            return None
        entry_id = self.add_entry(data)
        if entry_id is not None:
            self.entry_value.clear()
            self.entry_note.clear()
            self.entry_value.setFocus()
            added = _("Added: {kind}, {value}.").format(kind=_(KIND_TITLES_UI[kind]), value=self._measure_text(data))
            note = self._date_notes(entry_id)
            self._show_message(added + (" " + note if note else ""), warning=bool(note))
        return entry_id

    @staticmethod
    def _measure_text(data) -> str:
        if data.minutes is not None:
            return duration(data.minutes)
        if data.days is not None:
            return _("{days} d.").format(days=format_number(data.days))
        return format_money(data.amount)

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return [int(index.data(EntryIdRole)) for index in rows]

    def delete_selected(self) -> bool:
        return self.delete_entries(self.selected_ids())

    def delete_entries(self, ids: list[int]) -> bool:
        from app.services import worklog

        if not ids:
            return False
        db = self.db
        step = UndoStep(_("deleting a work-log entry") if len(ids) == 1 else _("deleting work-log entries"),
                        lambda: worklog.delete_entries(db, ids),
                        lambda: worklog.restore_entries(db, ids))
        if self._run(lambda: worklog.delete_entries(db, ids), undo=step) is None:
            return False
        # one entry in the singular: «Удалено: 1. Ctrl+Z вернёт их.» (tester J #8)
        self._undo_hint = (_("Work-log entry deleted. Ctrl+Z brings it back.") if len(ids) == 1 else
                           _("Deleted: {n}. Ctrl+Z brings them back.").format(n=format_number(len(ids))))
        self._show_message(self._undo_hint)
        return True

    def _history_moved(self, _index: int) -> None:
        if self._undo_hint and self.message_label.text() == self._undo_hint:
            self._show_message("")
        self._undo_hint = ""

    def edit_entry(self, entry_id: int, data, base=None, on_error: Callable | None = None) -> bool:
        """Save the entry ``data``; with the ``base`` its dialog was opened with, only the fields changed in it
        (app.services.edit_undo). ``on_error``: who is told of a refusal (this view's message line by default)."""
        from app.services import edit_undo

        db = self.db  # undo puts back only what this edit changed, refused for now if changed since (tester Q #1)
        if self.ops.run(lambda: edit_undo.save_entry(db, entry_id, data, base), initiator=self,
                        undo=lambda saved: edit_step(db, _("editing a work-log entry"), saved[0]),
                        on_error=on_error or self._show_error) is None:
            return False
        note = self._date_notes(entry_id)
        if note:
            self._show_message(note, warning=True)
        return True

    def open_editor(self) -> bool:
        ids = self.selected_ids()
        if not ids:
            return False
        from app.services import edit_undo
        from app.services.worklog_read import get_entry

        entry_id, entry = ids[0], get_entry(self.db, ids[0])
        # saved from the dialog against what it showed: only the fields changed in it are written, and a refusal
        # (one of them changed elsewhere too) keeps the dialog open with what was typed (r13 lost update)
        base = [edit_undo.base_of("entry", entry.as_input())]

        def refused(exc: UserError) -> None:
            if isinstance(exc, edit_undo.EditConflict):  # saving again writes the user's values over those
                base[0] = exc.base
            raise exc

        dialog = EntryDialog(entry, self, submit=lambda data: self.edit_entry(entry_id, data, base[0], refused))
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return accepted
