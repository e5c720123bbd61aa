"""Undoable user actions (QUndoCommand): stage moves and checklist / lesson ticks.

A command is pushed after its action already ran (the first redo() is skipped). Undoing a move is a
new reverse move recorded in the history with the reason «Отмена перевода», so the history stays
honest. When an undo/redo is refused (the client changed since), the command reports the error and
turns obsolete, and QUndoStack drops it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QUndoCommand

from app.domain.stages import STAGE_SHORT, Stage
from app.errors import UserError
from app.i18n import _
from app.services import progress
from app.services.changes import Changes
from app.services.clients import list_clients

Apply = Callable[[Changes], None]
OnError = Callable[[UserError], None]


class ServiceCommand(QUndoCommand):
    def __init__(self, text: str, apply: Apply, on_error: OnError) -> None:
        super().__init__(text)
        self._apply = apply
        self._on_error = on_error
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._run(self.do_again)

    def undo(self) -> None:
        self._run(self.undo_action)

    def _run(self, action: Callable[[], Changes]) -> None:
        try:
            changes = action()
        except UserError as exc:
            self.setObsolete(True)
            self._on_error(exc)
            return
        self._apply(changes)

    def do_again(self) -> Changes:  # pragma: no cover - overridden
        raise NotImplementedError

    def undo_action(self) -> Changes:  # pragma: no cover - overridden
        raise NotImplementedError


class MoveStageCommand(ServiceCommand):
    def __init__(self, db, client_id: int, client_name: str, from_stage: int, to_stage: int, reason: str,
                 apply: Apply, on_error: OnError) -> None:
        super().__init__(_("Move «{client}» to {stage}").format(
            client=client_name, stage=_(STAGE_SHORT[Stage(to_stage)])), apply, on_error)
        self.db, self.client_id = db, client_id
        self.from_stage, self.to_stage, self.reason = from_stage, to_stage, reason

    def _expect_stage(self, stage: int) -> None:
        rows = list_clients(self.db, ids=[self.client_id])
        if not rows:
            raise UserError(_("The client no longer exists: nothing to undo."))
        if rows[0].stage != stage:
            raise UserError(_("«{client}» has moved since then: the move cannot be undone.").format(
                client=rows[0].name))

    def undo_action(self) -> Changes:
        self._expect_stage(self.to_stage)
        return progress.move_stage(self.db, self.client_id, self.from_stage, force=True, reason=_("Move undone"))

    def do_again(self) -> Changes:
        self._expect_stage(self.from_stage)
        reason = _("Move redone: {reason}").format(reason=self.reason) if self.reason else _("Move redone")
        return progress.move_stage(self.db, self.client_id, self.to_stage, force=True, reason=reason)


class TickCommand(ServiceCommand):
    """A stage checklist item or a lesson ticked or unticked; undo restores the previous date too."""

    def __init__(self, db, kind: str, client_id: int, code: str, title: str, done: bool,
                 previous_date: date | None, apply: Apply, on_error: OnError, employee: str | None = None) -> None:
        text = _("Tick «{item}»") if done else _("Untick «{item}»")
        super().__init__(text.format(item=title if len(title) <= 50 else title[:49] + "…"), apply, on_error)
        self.db, self.kind, self.client_id, self.code = db, kind, client_id, code
        self.done, self.previous_date, self.employee = done, previous_date, employee

    def _set(self, done: bool, on: date | None) -> Changes:
        if self.kind == "lesson":
            return progress.set_lessons(self.db, self.client_id, [self.code], done, employee=self.employee, on=on)
        return progress.set_checklist(self.db, self.client_id, [self.code], done, on=on)

    def undo_action(self) -> Changes:
        return self._set(not self.done, self.previous_date if not self.done else None)

    def do_again(self) -> Changes:
        return self._set(self.done, None)
