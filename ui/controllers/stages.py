"""Stage moves and checklist / lesson ticks of the window: guard dialog, the service call, the undo step.

Everything goes through the operations runner (``ui.ops.Ops``): the views refresh in ``on_changes``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from app.domain.quotes import in_quotes
from app.domain.stages import STAGE_SHORT, Stage
from app.errors import UserError
from app.i18n import _
from app.services import progress, stage_undo
from ui.dialogs.stages.move_guard import MoveDecision, ask_move_decision
from ui.undo import UndoStep, short

if TYPE_CHECKING:
    from ui.ops import Ops
    from ui.work_area import WorkArea


def move_text(from_stage: int, to_stage: int) -> str:
    """The undo text of a move: «перевод на этап 2» forward, «возврат на этап 1» back."""
    if to_stage > from_stage:
        return _("moving to stage {n}").format(n=to_stage)
    return _("return to stage {n}").format(n=to_stage)


def tick_text(title: str, done: bool) -> str:
    """The undo text of a tick: «отметка «…»» or «снятие отметки «…»» (the title cut to fit)."""
    text = _("ticking «{item}»") if done else _("unticking «{item}»")
    return text.format(item=short(title, 24))


class StageController:
    """Moves and ticks for the window's work area. ``move_dialog(parent, preview, name)`` asks for the reason
    and override (injectable in tests); ``status(message)`` shows a short message in the status bar."""

    def __init__(self, db, ops: Ops, area: WorkArea, status: Callable[[str], None]) -> None:
        self.db, self.ops, self.area, self.status = db, ops, area, status
        self.move_dialog: Callable[..., MoveDecision | None] = ask_move_decision

    def move_current(self, delta: int) -> bool:
        """Ctrl+←/→: move the selected client one stage back or forward."""
        summary = self.area.clients.summary(self.area.current_id)
        if summary is None:
            return False
        target = summary.stage + delta
        if not Stage.NEW <= target <= Stage.DONE:
            return False
        moved = self.request_move(summary.id, target)
        self.area.follow_on_board(summary.id)
        return moved

    def request_move(self, client_id: int, target: int) -> bool:
        """Drop on a column or Ctrl+←/→: guard dialog when needed, move, record for undo (exactly: the
        day the client entered its stage comes back too)."""
        db = self.db
        try:
            preview, before = progress.move_start(db, client_id, target)  # one read: guard and undo state
        except UserError as exc:
            self.ops.report_error(exc)
            return False
        decision = MoveDecision(reason="", force=False)
        if preview.needs_reason:
            answer = self.move_dialog(self.area.window(), preview, before.name)
            if answer is None:
                self.status(_("Move cancelled: nothing changed."))
                return False
            decision = answer

        def redo():
            current = stage_undo.stage_state(db, client_id)
            if current.stage != before.stage:
                raise UserError(_("«{client}» has moved since then: the move cannot be undone.").format(
                    client=in_quotes(current.name)))
            reason = (_("Move redone: {reason}").format(reason=decision.reason) if decision.reason
                      else _("Move redone"))
            return progress.move_stage(db, client_id, target, force=True, reason=reason)

        step = UndoStep(move_text(before.stage, target), redo,
                        lambda: stage_undo.restore_stage(db, target, before, _("Move undone")))
        changes = self.ops.run(lambda: progress.move_stage(db, client_id, target, force=decision.force,
                                                           reason=decision.reason), initiator=self, undo=step)
        if changes is None:
            return False
        self.status(_("«{client}» moved to {stage}.").format(client=in_quotes(before.name), stage=_(STAGE_SHORT[Stage(target)])))
        return True

    def tick_checklist(self, code: str, title: str, done: bool, previous_date: date | None) -> None:
        client_id = self.area.stage_checklist.client_id
        if client_id is None:
            return
        db = self.db
        step = UndoStep(tick_text(title, done),
                        lambda: progress.set_checklist(db, client_id, [code], done),
                        lambda: progress.set_checklist(db, client_id, [code], not done,
                                                       on=previous_date if not done else None))
        self.ops.run(lambda: progress.set_checklist(db, client_id, [code], done), initiator=self, undo=step,
                     on_error=lambda exc: self.area.stage_checklist.show_problem(exc.full_text()))

    def tick_lesson(self, code: str, title: str, done: bool, previous_date: date | None,
                    employee: str | None) -> None:
        client_id = self.area.lessons.client_id
        if client_id is None:
            return
        db = self.db
        step = UndoStep(tick_text(title, done),
                        lambda: progress.set_lessons(db, client_id, [code], done, employee=employee),
                        lambda: progress.set_lessons(db, client_id, [code], not done, employee=employee,
                                                     on=previous_date if not done else None))
        self.ops.run(lambda: progress.set_lessons(db, client_id, [code], done, employee=employee),
                     initiator=self, undo=step)
