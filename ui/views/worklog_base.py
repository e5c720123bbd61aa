"""What the work log view's parts share: the widgets and state WorkLogView sets up, its message line and runner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QWidget,
)

from app.errors import UserError
from ui.ops import Ops
from ui.palette import text_style
from ui.views.lazy import StaleOnHidden

if TYPE_CHECKING:
    from app.services.worklog_read import WorkLog
    from app.services.worklog_timer import TimerState
    from ui.dialogs.date_field import DateField
    from ui.models.worklog import WorkLogModel
    from ui.tasks import TaskManager


class WorkLogBase(StaleOnHidden, QWidget):
    """The base of WorkLogView's parts (reading, entries, timer): the widgets and state ``WorkLogView`` sets up,
    declared here for them, and what they all use — the message line and the runner."""

    db: Any
    ops: Ops
    client_id: int | None
    log: WorkLog | None
    tasks: TaskManager | None
    _reads: int
    timer: TimerState | None
    clock: Callable[[], datetime]
    today: Callable[[], date]
    _loading: bool
    _tick: QTimer
    period_combo: QComboBox
    from_date: DateField
    to_date: DateField
    period_dash: QLabel
    kind_filter: QComboBox
    entry_date: DateField
    entry_kind: QComboBox
    entry_value: QLineEdit
    entry_note: QLineEdit
    timer_button: QPushButton
    timer_discard: QToolButton
    message_label: QLabel
    model: WorkLogModel
    table: QTableView
    totals_label: QLabel
    rounding_label: QLabel
    rounding_step: int
    _undo_hint: str

    if TYPE_CHECKING:  # given by the parts and the view
        def set_client(self, client_id: int | None) -> None: ...
        def _update_timer(self) -> None: ...
        def _place_note(self) -> None: ...

    def _show_message(self, text: str, error: bool = False, *, warning: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(text_style("error" if error else "warning" if warning else "success"))
        self.message_label.setVisible(bool(text))

    def _date_notes(self, entry_id: int) -> str:
        """The command line's notes on a saved entry dated before its client's contract or after today (taken, not
        refused: app.services.entry_notes), or ''. The window said neither (testers A and J)."""
        from app.services.entry_notes import entry_date_notes

        return " ".join(entry_date_notes(self.db, entry_id, today=self.today()))

    def _show_error(self, exc: UserError) -> None:
        self._show_message(exc.full_text(), error=True)

    def _run(self, action: Callable, undo=None):
        """One write through the window's runner: errors shown here, the undo step pushed, changes announced."""
        return self.ops.run(action, initiator=self, undo=undo, on_error=self._show_error)
