"""The «Требует внимания» panel: reminders, each one click away from its client; it holds no database."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _, format_number
from app.services.reminders import Reminder
from ui.models.attention import AttentionModel


class AttentionPanel(QWidget):
    """Shows app.services.reminders.attention() rows; activating a row asks to open its client."""

    client_requested = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("attentionPanel")
        self.model = AttentionModel(self)
        self.title = QLabel()
        self.title.setObjectName("attentionTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        # the count in the title changes with most actions: its width must not re-lay out the docks and repaint
        # the whole window (a stage move did: most of its time went into that repaint)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.table = QTableView()
        self.table.setObjectName("attentionTable")
        self.table.setAccessibleName(_("Needs attention"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # rows as tall as a line of text: at 1366×768 the dock showed one event under its headings
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(64)  # widths from the first rows, not thousands
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.table.clicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        self._sized = False  # the columns fitted to the first reminders (set_reminders)
        self.title.setText(_("Reading what needs attention…"))  # not «nothing» before the reminders are read

    def set_reminders(self, reminders: list[Reminder], by_client: dict[int, list[Reminder]] | None = None) -> None:
        """Every reminder afresh (``by_client``: see AttentionModel.set_rows)."""
        self.model.set_rows(reminders, by_client)
        self.title.setToolTip("")  # a failure's reason (show_failure) is over
        self.title.setWordWrap(False)
        self.title.setText(_("Needs attention ({n})").format(n=format_number(len(reminders))) if reminders
                           else _("Nothing needs attention."))
        if reminders and not self._sized:  # once: later sets keep the widths (and the user's own)
            self._sized = True
            self.table.resizeColumnsToContents()
            # the details column gets the room; what and who are kept short (full text in the tooltip)
            for column, widest in ((AttentionModel.COL_KIND, 190), (AttentionModel.COL_CLIENT, 210)):
                self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))

    def show_failure(self, exc: BaseException) -> None:
        """The reminders could not be read: the title says so (a UserError's own message, e.g. a date the program
        cannot read), the rows shown stay as they were."""
        reason = exc.message if isinstance(exc, UserError) else _("Internal error: {error}").format(
            error=f"{type(exc).__name__}: {exc}")
        self.title.setText(_("Could not read what needs attention: {reason}").format(reason=reason))
        self.title.setToolTip(exc.full_text() if isinstance(exc, UserError) else reason)
        self.title.setWordWrap(True)  # the record and the value come last: on one line the dock cut them off

    def replace_clients(self, fresh: list[Reminder], client_ids, keep_kinds=(), every_client_kinds=()) -> None:
        """Only ``client_ids``' reminders changed (one action): update their rows in place (see
        AttentionModel.replace_clients); the columns keep their widths (set by the last full set_reminders)."""
        self.model.replace_clients(fresh, client_ids, keep_kinds, every_client_kinds)
        count = self.model.rowCount()
        self.title.setText(_("Needs attention ({n})").format(n=format_number(count)) if count else _("Nothing needs attention."))
        self.title.setToolTip("")
        self.title.setWordWrap(False)

    def _activated(self, index) -> None:
        client_id = index.data(AttentionModel.ClientIdRole) if index.isValid() else None
        if client_id is not None:
            self.client_requested.emit(client_id)
