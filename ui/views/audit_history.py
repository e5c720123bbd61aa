"""«История изменений» of a client: who changed what and when, old → new, newest first (the audit trail)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import NotFoundError, UserError
from app.i18n import _, format_number
from app.services.changes import Changes, requires_history
from app.team import audit
from ui.models.team import AuditHistoryModel
from ui.palette import text_style
from ui.tasks import task_manager
from ui.views.lazy import StaleOnHidden

log = logging.getLogger(__name__)


class ClientHistoryView(StaleOnHidden, QWidget):
    """A page of the client card. Reads app.team.audit.client_history_view when shown (the newest
    ``audit.SHOWN`` lines; the hint below says when there are more, and its «Показать все» reads the whole history
    off the UI thread — tens of thousands of changes take seconds — and keeps showing it all for that client);
    while hidden it only marks itself stale (views/lazy.py). Interface: set_client(id|None),
    on_changes(changes, initiator)."""

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientHistory")
        self.db = db
        self.client_id: int | None = None
        self.all_of: int | None = None  # the client whose whole history was asked for («Показать все»)
        self._reading = 0  # the latest whole-history read: an older one's result is dropped
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
        show_all = _("Show all")
        self.show_all = QLabel(f'<a href="#all">{show_all}</a>', self)
        self.show_all.setObjectName("clientHistoryShowAll")
        self.show_all.setTextFormat(Qt.TextFormat.RichText)
        self.show_all.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                              | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.show_all.setToolTip(_("Read the client's whole history: a long one takes a few seconds"))
        self.show_all.linkActivated.connect(lambda _link: self.read_all())
        self.show_all.hide()
        # the link right after the note; the hint alone takes the row's width (a refusal's long text wraps in it)
        self.hint_row = QHBoxLayout()
        self.hint_row.setContentsMargins(0, 0, 0, 0)
        self.hint_row.addWidget(self.hint, 1)
        self.hint_row.addWidget(self.show_all)
        self.hint_row.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(self.hint_row)

    def set_client(self, client_id: int | None) -> None:
        if client_id != self.client_id:
            self.all_of = None  # another client opens with its newest changes, as every client does
        self.client_id = client_id
        self.request_reload()

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        if requires_history(changes, self.client_id):
            self.request_reload()

    def on_stale(self) -> None:
        self.model.set_rows([])  # another client's lines must not stay on screen

    def reload(self) -> None:
        """Read the shown client's trail (newest first): its newest ``audit.SHOWN`` changes here, or all of them in
        the background once «Показать все» asked for them."""
        self._reading += 1  # a whole-history read still running is of the data before this reload
        if self.client_id is not None and self.all_of == self.client_id:
            self.read_all()
            return
        view = audit.HistoryView([], 0)
        if self.client_id is not None:
            try:
                view = audit.client_history_view(self.db, self.client_id, limit=audit.SHOWN)
            except NotFoundError:  # the client was deleted meanwhile
                pass
            except UserError as exc:  # e.g. a date another program wrote (app.persistence.damaged): said
                self._show_refusal(exc)
                return
        self._show(view)

    def read_all(self) -> None:
        """«Показать все»: read every change of the shown client off the UI thread (the same view as the command
        line's ``audit N --all``); the list shows them when they are read."""
        client_id = self.client_id
        if client_id is None:
            return
        self.all_of = client_id
        self._reading += 1
        reading, db = self._reading, self.db
        self._offer_all(False)
        self.hint.setText(_("Reading all the changes…"))

        def done(view: audit.HistoryView) -> None:
            if reading == self._reading and client_id == self.client_id:  # else a newer read or another client
                self._show(view, whole=True)

        def failed(exc: BaseException) -> None:
            if reading != self._reading or client_id != self.client_id:
                return
            if isinstance(exc, NotFoundError):  # the client was deleted meanwhile
                self._show(audit.HistoryView([], 0))
            elif isinstance(exc, UserError):
                self._show_refusal(exc)
            else:  # a fault: on record with its traceback, said as one
                log.error("reading the whole history failed", exc_info=exc)
                self._show_refusal(UserError(_("Internal error: {error}").format(
                    error=f"{type(exc).__name__}: {exc}")))

        task_manager().start(lambda _progress: audit.client_history_view(db, client_id, limit=None), done, failed)

    def _show(self, view: audit.HistoryView, *, whole: bool = False) -> None:
        self.model.set_rows(view.lines)
        self._offer_all(view.cut)
        if view.cut:  # the window's way to see them all is the link beside, not the command line's «--all»
            self.hint.setText(view.cut_note())
        elif whole and view.total > audit.SHOWN:
            self.hint.setText(_("Shown: all {n} changes.").format(n=format_number(view.total)))
        else:
            self.hint.setText(_("Every change of this client's data: who, when, what it was and what it became.")
                              if view.lines else _("No changes recorded for this client yet."))

    def _show_refusal(self, exc: UserError) -> None:
        self.model.set_rows([])
        self._offer_all(False)
        self.hint.setText(exc.full_text())

    def _offer_all(self, offered: bool) -> None:
        """Show «Показать все» right after the note (a short line, unwrapped: a wrapped label narrows to a few words),
        or the note alone across the row, wrapped (a refusal's long text)."""
        self.show_all.setVisible(offered)
        self.hint.setWordWrap(not offered)
        self.hint_row.setStretchFactor(self.hint, 0 if offered else 1)

    def showEvent(self, event) -> None:
        self.reload_if_stale()
        super().showEvent(event)
