"""The window's Documents ▸ actions: previews of the current client's documents, the month's acts, the register,
the executor's details (a base of MainWindow)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.domain.quotes import in_quotes
from app.domain.stages import Stage
from app.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow as WindowBase

    from app.services.changes import Changes
    from ui.ops import Ops
    from ui.work_area import WorkArea
else:
    WindowBase = object


def estimate_preview(parent, db, client_id: int) -> Changes | None:
    """The estimate preview, imported when first asked for (QtPdf is not needed at start-up)."""
    from ui.dialogs.documents.preview import open_estimate_preview

    return open_estimate_preview(parent, db, client_id)


class DocumentActions(WindowBase):
    """Documents ▸ actions; they act on the window's state (``ui.main_window.MainWindow``)."""

    if TYPE_CHECKING:  # the window's state and methods these use
        db: Any
        ops: Ops
        work_area: WorkArea | None

        @property
        def current_id(self) -> int | None: ...
        def apply_changes(self, changes: Changes | None, initiator: object = None) -> None: ...

    def print_signoff(self, client_id: int | None = None) -> None:
        """The sign-off sheet of the current stage of ``client_id`` (default: the current client)."""
        from ui.dialogs.documents import preview

        client_id = self.current_id if client_id is None else client_id
        if client_id is None:
            return
        summary = self.work_area.clients.summary(client_id) if self.work_area is not None else None
        if summary is not None and summary.stage <= Stage.INTRO:  # an action greyed a moment late (a sync moved it)
            self.statusBar().showMessage(_("«{name}» has not completed a stage yet: a sign-off sheet is printed for "
                                           "a completed stage, from stage 2.").format(name=in_quotes(summary.name)), 8000)
            return
        self.apply_changes(preview.open_signoff_preview(self, self.db, client_id))

    def print_act(self) -> None:
        """Ask for a period (default: the previous month), then preview the act of services."""
        from ui.dialogs.documents import period, preview

        if self.current_id is None:
            return
        chosen = period.ask_period(self, _("Act of services"))
        if chosen is not None:
            self.apply_changes(preview.open_act_preview(self, self.db, self.current_id, *chosen))

    def print_estimate(self) -> None:
        if self.current_id is not None:
            self.apply_changes(estimate_preview(self, self.db, self.current_id))

    def print_progress(self) -> None:
        from ui.dialogs.documents import preview

        if self.current_id is not None:
            self.apply_changes(preview.open_progress_preview(self, self.db, self.current_id))

    def month_acts(self) -> None:
        """Документы ▸ «Акты за месяц всем заказчикам…» (ui/dialogs/documents/batch.py, through the runner)."""
        from ui.dialogs.documents.batch import issue_month_acts

        issue_month_acts(self, self.ops)

    def documents_register(self) -> None:
        from ui.dialogs.documents.register import open_documents_register

        summary = self.work_area.clients.summary(self.current_id) if self.work_area is not None else None
        self.apply_changes(open_documents_register(self, self.db, summary.id if summary else None, self.ops,
                                                   summary.name if summary else ""))

    def executor_settings(self) -> None:
        from ui.dialogs.documents.executor import open_executor_settings

        self.apply_changes(open_executor_settings(self, self.db))
