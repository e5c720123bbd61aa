"""«Конфликты синхронизации»: what was changed both here and on the server, both values, the one the sync
kept by default, and buttons to keep either (app.sync.service.resolve_conflict through the window's runner)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _
from app.services.changes import Changes
from app.sync.service import ConflictLine, conflict_lines, resolve_conflict
from app.sync.ways import KEEP_BUTTONS
from ui.dialogs.errors import ErrorLine
from ui.models.team import ConflictsModel
from ui.ops import Ops
from ui.qtutil import fit_to_screen


class ConflictsDialog(QDialog):
    """The open conflicts, oldest first. «Оставить значение ноутбука» / «…сервера» close the selected one
    (a whole-record conflict — a deletion against an edit — can only be accepted as the sync resolved it; a client
    handed to someone else either way: the server's side lets it go from this laptop). The sentences name these
    buttons and the window's menus, never a command's options (``ConflictLine.what``, app/sync/ways.py).
    ``resolved(changes)`` after each closed conflict (the window refreshes its status line)."""

    resolved = Signal(object)

    def __init__(self, db, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncConflictsDialog")
        self.setWindowTitle(_("Sync conflicts"))
        self.db, self.ops = db, ops
        intro = QLabel(_("These fields were changed both on this laptop and on the server (or in a file from "
                         "another computer) before they met. The value in bold is the one in effect now; keep it or "
                         "the other one. A value you keep from this laptop goes to the server at the next sync."),
                       self)
        intro.setWordWrap(True)
        self.model = ConflictsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("syncConflicts")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # the sentence gets the room (a handed-over client's or a double billing's runs to several lines); the two
        # values are mostly short (a number, a city) and wrap when they are not
        header.setSectionResizeMode(ConflictsModel.COL_WHAT, QHeaderView.ResizeMode.Stretch)
        digit = self.fontMetrics().horizontalAdvance("0")
        for column in (ConflictsModel.COL_LOCAL, ConflictsModel.COL_SERVER):
            self.view.setColumnWidth(column, digit * 22)
        header.setSectionResizeMode(ConflictsModel.COL_KEPT, QHeaderView.ResizeMode.ResizeToContents)
        header.sectionResized.connect(lambda *_args: self.view.resizeRowsToContents())  # wrapped rows follow
        self.view.setColumnWidth(ConflictsModel.COL_CLIENT, self.fontMetrics().horizontalAdvance("0") * 26)
        self.empty = QLabel(_("No conflicts to look at: every change made here and on the server fitted together."),
                            self)
        self.empty.setObjectName("syncConflictsEmpty")
        self.empty.setWordWrap(True)
        self.error = ErrorLine(self)
        # the words the conflicts' sentences name (app/sync/ways.py): «…close the conflict with the button «…»»
        self.keep_local = QPushButton(_(KEEP_BUTTONS["local"]), self)
        self.keep_local.setObjectName("keepLocal")
        self.keep_server = QPushButton(_(KEEP_BUTTONS["server"]), self)
        self.keep_server.setObjectName("keepServer")
        self.keep_local.clicked.connect(lambda: self.resolve_selected("local"))
        self.keep_server.clicked.connect(lambda: self.resolve_selected("server"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_local)
        buttons.addWidget(self.keep_server)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.view.selectionModel().currentRowChanged.connect(lambda *_args: self._update_buttons())
        fit_to_screen(self, 1100, 480)
        self.reload()

    def reload(self) -> None:
        """Read the open conflicts again and select the first."""
        self.model.set_rows(conflict_lines(self.db))
        self.empty.setVisible(self.model.rowCount() == 0)
        self.view.setVisible(self.model.rowCount() > 0)
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
            self.view.resizeRowsToContents()
        self._update_buttons()

    def current(self) -> ConflictLine | None:
        return self.model.valid_row(self.view.currentIndex())

    def select(self, row: int) -> None:
        self.view.setCurrentIndex(self.model.index(row, 0))

    def _update_buttons(self) -> None:
        line = self.current()
        billing = line is not None and line.kind == "double_billing"  # no value to keep: an act must be voided
        for button, keep in ((self.keep_local, "local"), (self.keep_server, "server")):
            button.setEnabled(line is not None and not billing and (line.choosable or line.kept == keep))
            if billing:
                button.setToolTip(_("Two acts bill the same work: void the act named in the list (Documents); the "
                                    "conflict then closes itself."))
                continue
            button.setToolTip("" if line is None or line.choosable or line.kept == keep else _(
                "A whole record (a deletion against an edit) stays as the sync resolved it; nothing typed was lost."))

    def resolve_selected(self, keep: str) -> Changes | None:
        """Close the selected conflict keeping ``keep`` ('local' | 'server'); the list is read again."""
        line = self.current()
        if line is None:
            return None
        self.error.clear_error()
        db, conflict_id = self.db, line.id
        changes = self.ops.run(lambda: resolve_conflict(db, conflict_id, keep=keep), initiator=self,
                               on_error=self._refused)
        if changes is not None:
            self.reload()
            self.resolved.emit(changes)
        return changes

    def _refused(self, exc: UserError) -> None:
        self.error.show_error(exc.full_text())
        self.reload()


def open_conflicts(parent: QWidget, db, ops: Ops) -> ConflictsDialog:
    """Show the conflicts dialog (modal to the window) and return it once closed."""
    dialog = ConflictsDialog(db, ops, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.exec()
    return dialog
