"""What the week's parts share: the state WeekViews sets up, the one runner of their actions, ``Holder``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.errors import UserError
from app.services import edit_undo
from app.services.clients import get_client
from ui.ops import Ops
from ui.undo import UndoStep

if TYPE_CHECKING:
    from ui.loading import AfterPaint
    from ui.tasks import TaskManager
    from ui.views.agenda import AgendaView
    from ui.views.attention_panel import AttentionPanel
    from ui.views.lazy import ReloadWhenShown
    from ui.views.plan_window import PlanWindow
    from ui.views.questions_log import QuestionsLogView

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


class WeekBase(QObject):
    """The base of WeekViews' parts (reminders, plan, questions): the state ``WeekViews.__init__`` sets up,
    declared here for them, and the runner every action of the week goes through."""

    db: Any
    settings: QSettings | None
    plan_window: PlanWindow | None
    _dialog_over: QWidget | None
    ops: Ops
    _tasks: TaskManager | None
    _attention_generation: int
    _attention_reading: bool
    _open_client: Callable[[int], None]
    _current_client: Callable[[], int | None]
    agenda: AgendaView
    attention: AttentionPanel
    questions: QuestionsLogView
    _attention_loaded: date | None
    _start_reminders: tuple[date, list] | None
    _deferred_read: Callable[[], None] | None
    _attention_loader: ReloadWhenShown
    _events_gate: AfterPaint | None
    _events_reading: int
    _events_generation: int
    _questions_loader: ReloadWhenShown
    _questions_client: int | None
    _questions_loaded: int | None

    @property
    def undo_stack(self) -> QUndoStack:
        return self.ops.undo_stack

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

    def _staff(self, client_id: int) -> list[tuple[str, str]]:
        details = get_client(self.db, client_id)
        return [(p.uuid or p.name, p.name) for p in details.data.employees]
