"""The figures on the work area's rows: budgets (estimate against actual) read in a worker, the current client's
at once, and the open-question counts on the cards (a base of WorkArea)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget as AreaBase

    from ui.models.clients import ClientTableModel
    from ui.tasks import TaskManager
else:
    AreaBase = object


class RowFigures(AreaBase):
    """The rows' figures; they act on the work area's state (``ui.work_area.WorkArea``)."""

    if TYPE_CHECKING:  # the work area's state and methods these use
        db: Any
        tasks: TaskManager
        clients: ClientTableModel
        current_id: int | None
        _budget_generation: int

        def _update_header(self) -> None: ...

    def _load_question_counts(self, ids: list[int] | None) -> None:
        """Open questions on the cards: one grouped query for the clients named (None: all)."""
        from app.services.questions import open_question_counts

        self.clients.set_question_counts(open_question_counts(self.db, ids), ids)

    def _load_budgets_async(self) -> None:
        """Budget summaries off the UI thread, of the clients with an estimate only (what the cards and the
        header mark; the card of another client asks for its own, ``_ensure_budget``); a newer request
        makes the answer of an older one void."""
        from app.services.budget import budget_summaries

        self._budget_generation += 1
        generation, db = self._budget_generation, self.db
        if self.clients.rowCount():
            self.tasks.start(lambda _progress: budget_summaries(db, None, estimated_only=True),
                             lambda result: self._budgets_loaded(generation, result),
                             lambda _exc: None)  # a failed decoration must not take the window down

    def _budgets_loaded(self, generation: int, result) -> None:
        if generation == self._budget_generation and result is not None:
            self.clients.set_budgets(result, replace=True)
            self._ensure_budget()
            self._update_header()

    def _ensure_budget(self) -> None:
        """The current client's estimate against actual, when the model has none (no estimate): one client's
        entries from the covering index, a few milliseconds."""
        from app.services.budget import budget_summaries

        current = self.current_id
        if current is not None and self.clients.budget(current) is None and self.clients.summary(current):
            self.clients.set_budgets(budget_summaries(self.db, [current]), notify=False)
