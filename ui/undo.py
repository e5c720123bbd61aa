"""The window's undo history: one QUndoStack; every command is an ``UndoStep`` run through the operations runner.

A command is pushed after its action already ran (the first redo() is skipped). When an undo or redo is
refused (the data changed since), the runner shows the error, the command turns obsolete and QUndoStack
drops it. Texts are short verb phrases («перевод на этап 2»): QUndoStack's actions prefix «Отменить: »."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from app.services.changes import Changes

if TYPE_CHECKING:
    from ui.ops import Ops

TEXT_LIMIT = 40  # characters of an undo text: the toolbar shows «Отменить: …» and must not overflow


@dataclass(frozen=True)
class UndoStep:
    """What an action did, as two service calls: ``redo`` does it again, ``undo`` takes it back."""

    text: str
    redo: Callable[[], Changes]
    undo: Callable[[], Changes]


def short(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (undo texts, status messages)."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


class ServiceCommand(QUndoCommand):
    """One UndoStep on the stack; both directions go through ``ops.run`` (errors, announcements)."""

    def __init__(self, ops: Ops, step: UndoStep) -> None:
        super().__init__(short(step.text))
        self._ops = ops
        self._step = step
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._run(self._step.redo)

    def undo(self) -> None:
        self._run(self._step.undo)

    def _run(self, action: Callable[[], Changes]) -> None:
        if self._ops.run(action, initiator=None, on_error=self._refused) is None:
            self.setObsolete(True)

    def _refused(self, exc) -> None:
        self._ops.report_error(exc)


def history_action(stack, parent, redo: bool = False):
    """A QAction for Undo (or Redo) on ``stack`` whose text reads «Отменить: перевод на этап 2» and plain
    «Отменить» when there is nothing to undo; the full text is also the tool tip."""
    from PySide6.QtGui import QAction

    from app.i18n import _

    action = QAction(parent)
    plain, prefixed = (_("Redo"), _("Redo: {what}")) if redo else (_("Undo"), _("Undo: {what}"))
    state = {"text": stack.redoText() if redo else stack.undoText(),
             "can": stack.canRedo() if redo else stack.canUndo()}

    def update(**values) -> None:  # from the stack's own signals: never calls the stack (it may be dying)
        state.update(values)
        try:
            action.setText(prefixed.format(what=state["text"]) if state["text"] else plain)
            action.setToolTip(action.text())
            action.setEnabled(bool(state["can"]))
        except RuntimeError:  # the action went first
            pass

    if redo:
        stack.redoTextChanged.connect(lambda text: update(text=text))
        stack.canRedoChanged.connect(lambda can: update(can=can))
    else:
        stack.undoTextChanged.connect(lambda text: update(text=text))
        stack.canUndoChanged.connect(lambda can: update(can=can))
    action.triggered.connect(stack.redo if redo else stack.undo)
    update()
    return action
