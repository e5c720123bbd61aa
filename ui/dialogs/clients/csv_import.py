"""Import clients from a CSV file in the window: off the UI thread behind a determinate progress dialog with
«Отмена», through the operations runner, with «Обновить существующих» when the file names clients here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.errors import UserError
from app.i18n import _
from ui.ops import Ops
from ui.tasks import Progress, task_manager

if TYPE_CHECKING:
    from app.services.importing import ImportResult


def import_csv(parent: QWidget, ops: Ops, db, path: str,
               ask_update: Callable[[UserError], bool]) -> ImportResult | None:
    """Import the CSV at ``path`` into ``db`` through ``ops.run`` (one transaction, Changes announced with
    the ids added and updated); returns the result, or None when refused, cancelled or declined.

    The service runs in a task (``ui.tasks``): the window keeps painting, the dialog shows rows checked and
    written out of the total, and «Отмена» stops the import before its commit with nothing saved (the
    refusal «Импорт отменён: ничего не сохранено.» is shown the window's one way). A file naming clients
    already here (ClientsAlreadyExist, issue 13) asks ``ask_update``; yes imports it again with
    ``update=True``."""
    from app.services.import_refusals import ClientsAlreadyExist
    from app.services.importing import import_clients

    existing: list[ClientsAlreadyExist] = []

    def refused(exc: UserError) -> None:
        if isinstance(exc, ClientsAlreadyExist):
            existing.append(exc)
        else:
            ops.report_error(exc)

    def in_background(update: bool) -> ImportResult:
        def work(progress: Progress) -> ImportResult:
            return import_clients(db, path, update=update, progress=progress.set,
                                  cancelled=lambda: progress.cancelled)

        return task_manager().run_modal(parent, _("Importing clients…"), work, cancellable=True)

    result = ops.run(lambda: in_background(False), initiator=None, on_error=refused)
    if result is None and existing and ask_update(existing[0]):
        result = ops.run(lambda: in_background(True), initiator=None, on_error=refused)
    return result
