"""The documents register: numbers, dates, amounts, whether the signed copy came back; reprint and marks."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _
from app.services.changes import Changes
from ui.dialogs.date_field import date_edit
from ui.dialogs.date_refusals import date_problem, say_refusals
from ui.dialogs.documents.executor import run_modal
from ui.dialogs.errors import ErrorLine
from ui.dialogs.reason import ReasonDialog
from ui.models.documents import DocumentFilterProxy, DocumentIdRole, DocumentTableModel
from ui.ops import Ops
from ui.palette import text_style
from ui.qtutil import fit_to_screen, from_qdate, to_qdate


class ReturnedDateDialog(QDialog):
    """Ask the day the signed copy came back."""

    def __init__(self, code: str, issued_on: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signedReturnedDialog")
        self.setWindowTitle(_("Signed copy returned"))
        form = QFormLayout(self)
        form.addRow(QLabel(_("Document No. {code}").format(code=code), self))
        today = date.today()
        self.date_edit = date_edit(self, "signedReturnedDate", today)
        self.date_edit.setMinimumDate(to_qdate(issued_on))
        self.date_edit.setMaximumDate(to_qdate(today))
        form.addRow(_("Returned on:"), self.date_edit)
        self.date_edit.setAccessibleName(_("Returned on"))
        self.error = ErrorLine(self)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        say_refusals(self, lambda text: self.error.show_error(text) if text else self.error.clear_error(),
                     self.error.text)

    def accept(self) -> None:
        refused = date_problem(self)  # a date that does not exist or lies outside issue day..today: said, kept open
        if refused:
            self.error.show_error(refused)
            return
        super().accept()

    def value(self) -> date:
        return from_qdate(self.date_edit.date())


class DocumentsRegisterDialog(QDialog):
    """The register: numbers, dates, amounts, whether the signed copy came back; reprint and marks.

    Every document is listed. ``client_id`` (the client selected in the window, named ``client_name``) is offered
    as the box «Только «…»», ticked when ``only_client``; ticked, the title names the client too. The menu's
    «Реестр документов» showed only the selected client's documents, with nothing saying so (tester Q #4)."""

    def __init__(self, db, client_id: int | None = None, parent: QWidget | None = None, *,
                 ops: Ops | None = None, client_name: str = "", only_client: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("documentsRegister")
        self.ops = ops  # the window's runner: voiding is announced to the window at once
        fit_to_screen(self, 980, 560)
        self.db = db
        self.client_id = client_id
        self.client_name = client_name
        self.changes: Changes | None = None
        self.model = DocumentTableModel(self)
        self.proxy = DocumentFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("documentsSearch")
        self.search_edit.setPlaceholderText(_("Search by number or client"))
        self.search_edit.setClearButtonEnabled(True)
        self.missing_check = QCheckBox(_("Only without the signed copy"), self)
        self.missing_check.setObjectName("documentsOnlyMissing")
        # a long name is cut to leave the search its room; the tip names the client in full
        metrics = self.fontMetrics()
        short = metrics.elidedText(in_quotes(client_name), Qt.TextElideMode.ElideRight, metrics.averageCharWidth() * 32)
        self.client_check = QCheckBox(_("Only «{client}»").format(client=short), self)
        self.client_check.setObjectName("documentsOnlyClient")
        self.client_check.setToolTip(_("Only the documents of the client selected in the main window") + "\n"
                                     + client_name)
        self.client_check.setVisible(client_id is not None)
        self.table = QTableView(self)
        self.table.setObjectName("documentsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DocumentTableModel.COL_DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DocumentTableModel.COL_CLIENT, QHeaderView.ResizeMode.Stretch)
        self.message_label = QLabel(self)
        self.message_label.setStyleSheet(text_style("error"))
        self.open_button = QPushButton(_("Open…"), self)
        self.open_button.setObjectName("documentsOpen")
        self.returned_button = QPushButton(_("Signed copy returned…"), self)
        self.returned_button.setObjectName("documentsReturned")
        self.clear_button = QPushButton(_("Remove the mark"), self)
        self.clear_button.setObjectName("documentsClearReturned")
        self.void_button = QPushButton(_("Void…"), self)
        self.void_button.setObjectName("documentsVoid")
        self.void_button.setToolTip(_("Void the document: its number stays in the register, the work it "
                                      "billed can be changed and billed again"))
        close = QPushButton(_("Close"), self)
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.client_check)
        top.addWidget(self.missing_check)
        bottom = QHBoxLayout()
        for button in (self.open_button, self.returned_button, self.clear_button, self.void_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(bottom)
        self.search_edit.textChanged.connect(self.proxy.set_text)
        self.missing_check.toggled.connect(self.proxy.set_only_missing)
        self.client_check.toggled.connect(self._only_client)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.open_button.clicked.connect(self.open_selected)
        self.returned_button.clicked.connect(self.ask_returned)
        self.clear_button.clicked.connect(lambda: self.mark_returned(None))
        self.void_button.clicked.connect(self.ask_void)
        close.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.client_check.setChecked(client_id is not None and only_client)
        self._only_client(self.client_check.isChecked())
        self.reload()

    def _only_client(self, only: bool) -> None:
        """The register narrowed to the selected client (or not), and the title saying which."""
        self.proxy.set_client(self.client_id if only else None)
        self.setWindowTitle(_("Documents register — {client}").format(client=self.client_name) if only
                            else _("Documents register"))
        self._update_buttons()

    def reload(self) -> None:
        from app.services.documents import list_documents

        self.model.set_rows(list_documents(self.db))
        self._update_buttons()

    def selected_row(self):
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.model.row_at(self.proxy.mapToSource(indexes[0]).row())

    def select_id(self, document_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(DocumentIdRole) == document_id:
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self, *_args) -> None:
        row = self.selected_row()
        self.open_button.setEnabled(row is not None)
        self.returned_button.setEnabled(row is not None and row.voided_on is None)  # a voided act is not signed
        self.clear_button.setEnabled(row is not None and row.signed_returned_on is not None)
        self.void_button.setEnabled(row is not None and row.voided_on is None)

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            from ui.dialogs.documents.preview import open_document_preview

            open_document_preview(self, self.db, row.id)

    def ask_returned(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        dialog = ReturnedDateDialog(row.code, row.issued_on, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.mark_returned(dialog.value())

    def mark_returned(self, on: date | None) -> bool:
        """Record (or, with None, remove) the day the selected document's signed copy came back."""
        from app.services.documents import set_signed_returned

        row = self.selected_row()
        if row is None:
            return False
        try:
            changes = set_signed_returned(self.db, row.id, on)
        except UserError as exc:
            self.message_label.setText(exc.full_text())
            return False
        self.message_label.setText("")
        self.changes = changes if self.changes is None else self.changes.merge(changes)
        self.reload()
        self.select_id(row.id)
        return True


    def void_dialog(self) -> ReasonDialog | None:
        """The box asking why the selected document is voided; OK voids it (``void_reason``), a refusal keeps the
        box open with the typed reason. None when nothing voidable is selected."""
        row = self.selected_row()
        if row is None or row.voided_on is not None:
            return None
        return ReasonDialog(
            _("Void {code}").format(code=row.code),
            _("Why is {code} voided? The reason is kept in the register; the number is never reused.").format(
                code=row.code), self.void_reason, self, ok_text=_("Void"))

    def ask_void(self) -> bool:
        """Ask why the selected document is voided, then void it (see void_dialog)."""
        dialog = self.void_dialog()
        if dialog is None:
            return False
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    def void_selected(self, reason: str) -> bool:
        """Void the selected document with ``reason``; a refusal is shown under the table."""
        refusal = self.void_reason(reason)
        if refusal is not None:
            self.message_label.setText(refusal)
        return refusal is None

    def void_reason(self, reason: str) -> str | None:
        """Void the selected document with ``reason`` (documents.void_document, through the window's runner
        when there is one); the refusal's text, or None when voided."""
        from app.services.documents import void_document

        row = self.selected_row()
        if row is None:
            return _("Select a document first.")
        db, code = self.db, row.code
        refusals: list[str] = []

        def refused(exc: UserError) -> None:
            refusals.append(exc.full_text())

        if self.ops is not None:
            if self.ops.run(lambda: void_document(db, code, reason), initiator=self, on_error=refused) is None:
                return refusals[0] if refusals else _("The document was not voided.")
        else:
            try:
                changes = void_document(db, code, reason)
            except UserError as exc:
                return exc.full_text()
            self.changes = changes if self.changes is None else self.changes.merge(changes)
        self.message_label.setText("")
        self.reload()
        self.select_id(row.id)
        return None


def open_documents_register(parent: QWidget, db, client_id: int | None = None, ops: Ops | None = None,
                            client_name: str = ""):
    """Show the documents register (numbers, signed copy returned, voiding): every document, with the box narrowing
    it to the client ``client_id`` (``client_name``: the selected one) offered, not ticked. Returns Changes or None."""
    return run_modal(DocumentsRegisterDialog(db, client_id, parent, ops=ops, client_name=client_name))
