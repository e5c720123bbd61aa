"""The window's data actions: backup, restore, export, import, erase (ui/dialogs/data/actions.py through the runner),
the unsaved card edits settled before the data are replaced, the daily backup (a base of MainWindow)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.i18n import _
from ui.actions import TAB_CARD

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow as WindowBase

    from app.services.changes import Changes
    from ui.ops import Ops
    from ui.tasks import TaskManager
    from ui.work_area import WorkArea
else:
    WindowBase = object


class DataActions(WindowBase):
    """File ▸ data actions; they act on the window's state (``ui.main_window.MainWindow``)."""

    if TYPE_CHECKING:  # the window's state and methods these use
        db: Any
        ops: Ops
        tasks: TaskManager
        work_area: WorkArea | None

        @property
        def current_id(self) -> int | None: ...
        def set_current_client(self, client_id: int | None, source: str = "") -> None: ...
        def show_tab(self, index: int) -> None: ...

    def backup_now(self) -> None:
        from ui.dialogs.data import actions

        actions.backup_now(self, self.ops)  # through the runner: it shows refusals and announces changes

    def restore_backup(self) -> None:
        from ui.dialogs.data import actions

        self._replacing_data(lambda: actions.restore_backup(self, self.ops), _(
            "A restore replaces all data with the backup: edits not saved now are lost. Saved now, they are kept in "
            "the copy of the current data made before the restore."))

    def export_bundle(self) -> None:
        from ui.dialogs.data import actions

        summary = self.work_area.clients.summary(self.current_id) if self.work_area is not None else None
        ids = [summary.id] if summary is not None else None
        actions.export_bundle(self, self.ops, ids, summary.name if summary else "")

    def import_bundle(self) -> None:
        from ui.dialogs.data import actions

        self._replacing_data(lambda: actions.import_bundle(self, self.ops), _(
            "An import may replace these clients' records with the file's: save the edits first, or drop them."))

    def _replacing_data(self, action: Callable[[], Changes | None], informative: str) -> None:
        """Run an action that replaces the data (a restore, a bundle import) once the unsaved card edits are saved
        or dropped, as the user chooses (``informative`` says what the action does to them); cancelled: not run.
        Dropped edits go only when the action did replace the data (a cancelled file choice keeps them)."""
        go_on, drop = self.settle_unsaved(informative)
        if go_on and action() is not None and drop and self.work_area is not None:
            self.work_area.card.discard_edits()

    def settle_unsaved(self, informative: str) -> tuple[bool, bool]:
        """Ask about the unsaved card edits before the data are replaced: (go on, drop them afterwards). «Save»
        saves every unsaved card here and now (a card refused stops it, shown with its errors); «Cancel» shows the
        first unsaved card, as closing the window does."""
        from ui.dialogs.clients.unsaved import Unsaved

        area = self.work_area
        if area is None:
            return True, False
        card = area.card
        shown = card.client_id if card.is_dirty() else None
        unsaved = [*([shown] if shown is not None else []), *(i for i in card.unsaved_clients() if i != shown)]
        if not unsaved:
            return True, False
        names = [summary.name if (summary := area.clients.summary(i)) is not None else str(i) for i in unsaved]
        choice = self.ask_before_replacing(names, informative)
        if choice is None:
            self.set_current_client(unsaved[0])
            self.show_tab(TAB_CARD)
            return False, False
        if choice is Unsaved.SAVE:
            current = self.current_id
            for client_id in unsaved:
                self.set_current_client(client_id)
                card.save()
                if card.is_dirty():  # refused: the card says why, and nothing is replaced
                    self.show_tab(TAB_CARD)
                    return False, False
            self.set_current_client(current)
        return True, choice is Unsaved.DISCARD

    def ask_before_replacing(self, names: list[str], informative: str):
        """Save / Don't save / Cancel (None) for the unsaved edits of the cards of ``names`` (tests answer it)."""
        from ui.dialogs.clients.unsaved import ask_before_replacing

        return ask_before_replacing(self, names, informative)

    def erase_personal_data(self) -> None:
        from ui.dialogs.data import actions

        if self.current_id is not None:
            actions.erase_personal_data(self, self.ops, self.current_id)

    def start_daily_backup(self) -> None:
        """The first start of a day copies the database in the background; the status bar tells the result."""
        from app.exchange.workspace import daily_backup

        db = self.db
        self.tasks.start(lambda _progress: daily_backup(db), self._backup_finished)

    def _backup_finished(self, notes) -> None:
        if not notes.backup_problem and self.statusBar().currentMessage() == getattr(self, "_opening_notice", None):
            return  # a notice of the opening is still shown: a backup made needs no word over it
        if notes.backup_problem:
            self.statusBar().showMessage(_("The daily backup could not be made: {problem}").format(
                problem=notes.backup_problem), 30_000)
        elif notes.backup_path:
            # the file's name, not its whole path: the status bar's permanent widgets cut a long line
            from pathlib import Path

            name = Path(notes.backup_path).name
            self.statusBar().showMessage(_("Daily backup made: {name} (the backups folder)").format(name=name), 8000)
