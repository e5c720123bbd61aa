"""Undo commands for the week's actions: plan/cancel/complete an event, add/close a question.

Pushed after the action already ran (the first redo is skipped), like ui/undo.py's commands. Undo calls
the service's reverse (delete, reopen); redo runs the action again. A refused undo/redo reports its error
and the command turns obsolete."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from app.errors import UserError
from app.services.changes import Changes

Apply = Callable[[Changes], None]
OnError = Callable[[UserError], None]


class WeekCommand(QUndoCommand):
    """``undo_fn``/``redo_fn`` call services and return their Changes; ``apply`` announces them."""

    def __init__(self, text: str, undo_fn: Callable[[], Changes], redo_fn: Callable[[], Changes], apply: Apply,
                 on_error: OnError) -> None:
        super().__init__(text)
        self._undo_fn, self._redo_fn = undo_fn, redo_fn
        self._apply, self._on_error = apply, on_error
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._run(self._redo_fn)

    def undo(self) -> None:
        self._run(self._undo_fn)

    def _run(self, action: Callable[[], Changes]) -> None:
        try:
            changes = action()
        except UserError as exc:
            self.setObsolete(True)
            self._on_error(exc)
            return
        self._apply(changes)


class Holder:
    """The id of a row that redo re-creates (a re-added event or question gets a new id)."""

    def __init__(self, value: int) -> None:
        self.value = value
