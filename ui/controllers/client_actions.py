"""The window's client actions: new client, save card, delete client, the clients' CSV import (a base of MainWindow)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _, format_number
from ui.actions import TAB_CARD

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow as WindowBase

    from app.services.changes import Changes
    from ui.ops import Ops
    from ui.work_area import WorkArea
else:
    WindowBase = object

IMPORT_CHANGES_SHOWN = 8  # lines of an update import's changes in its box; all of them (up to 200 clients) in «Details»


class ClientActions(WindowBase):
    """Client ▸ and File ▸ actions on clients; they act on the window's state (``ui.main_window.MainWindow``)."""

    if TYPE_CHECKING:  # the window's state and methods these use
        db: Any
        ops: Ops
        work_area: WorkArea | None

        @property
        def current_id(self) -> int | None: ...
        def apply_changes(self, changes: Changes | None, initiator: object = None) -> None: ...
        def set_current_client(self, client_id: int | None, source: str = "") -> None: ...
        def show_tab(self, index: int) -> None: ...
        def confirm(self, title: str, text: str) -> bool: ...

    def new_client(self) -> None:
        from ui.dialogs.clients.new_client import NewClientDialog

        dialog = NewClientDialog(self.db, self)
        if dialog.exec() and dialog.client_id is not None:
            self.apply_changes(dialog.changes)
            self.set_current_client(dialog.client_id)
            self.show_tab(TAB_CARD)
        dialog.deleteLater()

    def save_card(self) -> None:
        if self.work_area is not None and self.work_area.card.is_dirty():
            self.show_tab(TAB_CARD)
            self.work_area.card.save()

    def delete_client(self) -> None:
        """Delete the current client after a question; Edit ▸ Undo brings it back with all its records."""
        from app.exchange import client_undo
        from ui.undo import UndoStep

        summary = self.work_area.clients.summary(self.current_id) if self.work_area is not None else None
        if summary is None:
            return
        if not self.confirm(_("Delete client"), _("Delete «{client}» with its checklist, lessons, work log and "
                                                   "documents? Edit ▸ Undo brings it back while this window "
                                                   "is open.").format(client=in_quotes(summary.name))):
            return
        db = self.db
        self.ops.run(lambda: client_undo.delete_client(db, summary.id), undo=lambda result: UndoStep(
            _("deleting the client"), lambda: client_undo.delete_again(db, result[0]),
            lambda: client_undo.restore_client(db, result[0])))

    def import_clients_csv(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import clients"), "",
                                                    _("CSV files (*.csv);;All files (*)"))
        if path:
            self.import_clients_from(path)

    def import_clients_from(self, path: str) -> bool:
        """Import the CSV at ``path`` off the UI thread with progress and «Отмена»
        (``ui.dialogs.clients.csv_import``). When it names clients already here (ClientsAlreadyExist,
        issue 13), offer «Обновить существующих», which imports it again with ``update=True``."""
        from app.services.import_columns import skipped_line
        from ui.dialogs.clients.csv_import import import_csv

        result = import_csv(self, self.ops, self.db, path, lambda exc: self.ask_update_existing(exc))
        if result is None:
            return False
        # the clients workbook's computed columns (stage, progress …) passed over: said, never silently (r13)
        skipped = f" {skipped_line(result.skipped)}" if result.skipped else ""
        if not result.added and not result.updated:  # the file again: said, not «0, 0»
            self.statusBar().showMessage(_("Nothing changed: the clients already have the file's values.") + skipped,
                                         5000)
            return True
        said = _("Imported clients: {n}, updated: {m}.").format(
            n=format_number(len(result.added)), m=format_number(len(result.updated))) + skipped
        self.statusBar().showMessage(said, 5000)
        if result.updates:  # what «Обновить существующих» changed, as `clients import --update` says it
            self.show_import_changes(said, result.updates)
        return True

    def show_import_changes(self, said: str, updates: list) -> None:
        """A box saying what an update import changed in each client (the first 200 clients in its details),
        so that a value replaced from the file is seen, not only counted."""
        from app.services.card_changes import update_lines

        box = QMessageBox(QMessageBox.Icon.Information, _("Import clients"), said, QMessageBox.StandardButton.Ok,
                          self)
        lines = update_lines(updates, limit=200)
        box.setInformativeText("\n".join(lines[:IMPORT_CHANGES_SHOWN] + (["…"] if len(lines) > IMPORT_CHANGES_SHOWN
                                                                          else [])))
        if len(lines) > IMPORT_CHANGES_SHOWN:  # «Details» only when it adds lines: else it repeated the box
            box.setDetailedText("\n".join(lines))
        box.setObjectName("importChanges")
        box.open()  # not modal to the work: the window goes on; the box stays until closed

    def ask_update_existing(self, exc: UserError) -> bool:
        """True to import the file again, updating the clients already here from its columns."""
        from ui.ops import bound_details

        # the refusal's rows bounded as its error box bounds them: 5 000 of them were a box 140 000 px high (tester T)
        box = QMessageBox(QMessageBox.Icon.Question, _("Import clients"), exc.message,
                          QMessageBox.StandardButton.Cancel, self)
        bound_details(box, exc.details, _("«Update existing» takes the file's filled cells; an empty cell or a column "
                                          "the file lacks keeps the stored value, and no contact is deleted."))
        update = box.addButton(_("Update existing"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        chosen = box.clickedButton() is update
        box.deleteLater()
        return chosen
