"""«История изменений» of a client: who changed what and when, old → new, newest first (the audit trail)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.errors import NotFoundError, UserError
from app.i18n import _
from app.services.changes import Changes, requires_history
from app.team import audit
from ui.models.team import AuditHistoryModel
from ui.palette import text_style
from ui.views.lazy import StaleOnHidden


class ClientHistoryView(StaleOnHidden, QWidget):
    """A page of the client card. Reads app.team.audit.client_history_view when shown (the newest
    ``audit.SHOWN`` lines; the hint below says when there are more and how to see them all); while hidden it only
    marks itself stale (views/lazy.py). Interface: set_client(id|None), on_changes(changes, initiator)."""

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientHistory")
        self.db = db
        self.client_id: int | None = None
        self.model = AuditHistoryModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("auditHistory")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        char = self.fontMetrics().horizontalAdvance("0")
        for column, chars in enumerate((16, 14, 10)):  # time, author, action: short; what, was, became share the rest
            self.view.setColumnWidth(column, char * chars + 12)
        for column in (3, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.hint = QLabel(self)
        self.hint.setObjectName("clientHistoryHint")
        self.hint.setStyleSheet(text_style("muted"))
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)

    def set_client(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.request_reload()

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        if requires_history(changes, self.client_id):
            self.request_reload()

    def on_stale(self) -> None:
        self.model.set_rows([])  # another client's lines must not stay on screen

    def reload(self) -> None:
        """Read the shown client's trail (newest first)."""
        view = audit.HistoryView([], 0)
        if self.client_id is not None:
            try:
                view = audit.client_history_view(self.db, self.client_id, limit=audit.SHOWN)
            except NotFoundError:  # the client was deleted meanwhile
                pass
            except UserError as exc:  # e.g. a date another program wrote (app.persistence.damaged): said
                self.model.set_rows([])
                self.hint.setText(exc.full_text())
                return
        self.model.set_rows(view.lines)
        if view.cut:
            self.hint.setText(view.cut_note(command=_("the command «audit {client} --all»").format(client=self.client_id)))
        else:
            self.hint.setText(_("Every change of this client's data: who, when, what it was and what it became.")
                              if view.lines else _("No changes recorded for this client yet."))

    def showEvent(self, event) -> None:
        self.reload_if_stale()
        super().showEvent(event)
