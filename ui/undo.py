"""The window's undo history: one QUndoStack; every command is an ``UndoStep`` run through the operations runner.

A command is pushed after its action already ran (the first redo() is skipped). When an undo or redo is
refused (the data changed since), the runner shows the error, the command turns obsolete and QUndoStack
drops it. Texts are short verb phrases («перевод на этап 2»): QUndoStack's actions prefix «Отменить: »."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand, QUndoStack

from app.errors import RefusedForNow, UserError
from app.services.changes import Changes

if TYPE_CHECKING:
    from app.services.edit_undo import FieldEdit
    from ui.ops import Ops

TEXT_LIMIT = 40  # characters of an undo text: the toolbar shows «Отменить: …» and must not overflow


@dataclass(frozen=True)
class UndoStep:
    """What an action did, as two service calls: ``redo`` does it again, ``undo`` takes it back."""

    text: str
    redo: Callable[[], Changes]
    undo: Callable[[], Changes]


def edit_step(db, text: str, edit: FieldEdit) -> UndoStep | None:
    """The step of a saved edit (app.services.edit_undo): undo puts back and redo writes again only the fields it
    changed, each refused for now when one of them was changed since. None when the save changed nothing."""
    from app.services import edit_undo

    if not edit.changed:
        return None
    return UndoStep(text, lambda: edit_undo.redo_edit(db, edit), lambda: edit_undo.undo_edit(db, edit))


def short(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (undo texts, status messages)."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


class ServiceCommand(QUndoCommand):
    """One UndoStep on the stack; both directions go through ``ops.run`` (errors, announcements)."""

    def __init__(self, ops: Ops, step: UndoStep) -> None:
        super().__init__(short(step.text))
        self._ops = ops
        self._step = step
        self._skip_redo = True  # the first redo(): the action already ran
        self._skip_undo = False
        self.refused_for_now = False  # the last undo/redo was refused for now: UndoStack puts the step back

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._run(self._step.redo, redo=True)

    def undo(self) -> None:
        if self._skip_undo:
            self._skip_undo = False
            return
        self._run(self._step.undo, redo=False)

    def put_back(self, redo: bool) -> None:
        """The next redo (``redo``) or undo is only the stack's move back over this step: nothing runs."""
        self.refused_for_now = False
        if redo:
            self._skip_redo = True
        else:
            self._skip_undo = True

    def _run(self, action: Callable[[], Changes], redo: bool) -> None:
        self.refused_for_now = False
        refusals: list[UserError] = []
        if self._ops.run(action, initiator=None, on_error=refusals.append) is not None:
            return
        exc = refusals[0] if refusals else None
        if isinstance(exc, RefusedForNow):
            self.refused_for_now = True
            from app.i18n import _

            again = (_("The step stays in the history: once that is possible, choose «Redo» again (Ctrl+Shift+Z).") if redo
                     else _("The step stays in the history: once that is possible, choose «Undo» again (Ctrl+Z)."))
            exc = UserError(exc.message, [*exc.details, again])
        else:
            self.setObsolete(True)
        if exc is not None:
            self._ops.report_error(exc)


class UndoStack(QUndoStack):
    """The window's history: a step whose undo or redo was refused for now (``ServiceCommand.refused_for_now``)
    is put back where it was, instead of being passed over as done (QUndoStack moves its index either way)."""

    def undo(self) -> None:
        before = self.index()
        super().undo()
        if self.index() == before - 1:
            command = self.command(self.index())
            if isinstance(command, ServiceCommand) and command.refused_for_now:
                command.put_back(redo=True)
                super().redo()

    def redo(self) -> None:
        before = self.index()
        super().redo()
        if self.index() == before + 1:
            command = self.command(before)
            if isinstance(command, ServiceCommand) and command.refused_for_now:
                command.put_back(redo=False)
                super().undo()


class HistoryKeysInFields(QObject):
    """An event filter for text fields: Ctrl+Z (Ctrl+Shift+Z) in a field with nothing of its own to undo (redo) is
    left to the window's history shortcut. An editable QLineEdit takes the key whatever its own history holds, so
    Ctrl+Z in a card field right after Ctrl+S (whose reload empties the field's history) did nothing at all (tester
    K #14); now it undoes the save. A field with its own edits still undoes those first."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            redo = event.matches(QKeySequence.StandardKey.Redo)
            if (redo or event.matches(QKeySequence.StandardKey.Undo)) and not _own_history(watched, redo):
                event.ignore()  # not overridden: the window's shortcut runs
                return True
        return super().eventFilter(watched, event)


def _own_history(field: QObject, redo: bool) -> bool:
    """Whether ``field`` has a step of its own to redo (``redo``) or undo; True for what it cannot tell."""
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit

    if isinstance(field, QLineEdit):
        return field.isRedoAvailable() if redo else field.isUndoAvailable()
    if isinstance(field, (QPlainTextEdit, QTextEdit)):
        document = field.document()
        return document.isRedoAvailable() if redo else document.isUndoAvailable()
    return True


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
