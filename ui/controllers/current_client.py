"""The window's side of the work area's current client: choosing it, its card, its stage moves, the actions it
enables, changes announced to the refresh path (a base of MainWindow)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.domain.stages import Stage
from ui.actions import ACTIONS, MainAction

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow as WindowBase

    from app.services.changes import Changes
    from ui.controllers.stages import StageController
    from ui.dialogs.stages.move_guard import MoveDecision
    from ui.ops import Ops
    from ui.work_area import WorkArea
else:
    WindowBase = object


class CurrentClient(WindowBase):
    """The work area's state as the window's actions and tests see it (``ui.main_window.MainWindow``)."""

    if TYPE_CHECKING:  # the window's state these use
        ops: Ops
        work_area: WorkArea | None
        stages: StageController | None
        actions_by_key: dict[MainAction, QAction]

    @property
    def current_id(self) -> int | None:
        return self.work_area.current_id if self.work_area is not None else None

    def set_current_client(self, client_id: int | None, source: str = "") -> None:
        if self.work_area is not None:
            self.work_area.set_current_client(client_id, source)

    def select_client(self, client_id: int | None) -> None:
        self.set_current_client(client_id)

    def open_card(self, client_id: int) -> None:
        if self.work_area is not None:
            self.work_area.open_card(client_id)

    def focus_search(self) -> None:
        if self.work_area is not None:
            self.work_area.focus_search()

    def apply_changes(self, changes: Changes | None, initiator: object = None) -> None:
        """Announce changes made outside the runner (a dialog's result) through the same refresh path."""
        self.ops.announce(changes, initiator)

    def reload_all(self) -> None:
        if self.work_area is not None:
            self.work_area.reload_all()

    @property
    def move_dialog(self) -> Callable[..., MoveDecision | None]:
        assert self.stages is not None
        return self.stages.move_dialog

    @move_dialog.setter
    def move_dialog(self, value: Callable[..., MoveDecision | None]) -> None:
        assert self.stages is not None
        self.stages.move_dialog = value

    def move_current(self, delta: int) -> bool:
        return self.stages.move_current(delta) if self.stages is not None else False

    def request_move(self, client_id: int, target: int) -> bool:
        return self.stages.request_move(client_id, target) if self.stages is not None else False

    def _update_actions(self, *_args) -> None:
        area = self.work_area
        if area is None:
            return
        summary = area.clients.summary(area.current_id)
        for key, spec in ACTIONS.items():
            if spec.needs_client:
                self.actions_by_key[key].setEnabled(summary is not None and (
                    not spec.needs_signable or summary.stage > Stage.INTRO))  # as the card and the board offer it
        self.actions_by_key[MainAction.PREVIOUS_STAGE].setEnabled(summary is not None and summary.stage > Stage.NEW)
        self.actions_by_key[MainAction.NEXT_STAGE].setEnabled(summary is not None and summary.stage < Stage.DONE)
        self.actions_by_key[MainAction.SAVE_CARD].setEnabled(area.card.is_dirty())
