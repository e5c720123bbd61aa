"""Document preview (the real PDF in QPdfView) with print and save, executor details, documents register."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QIODevice,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRunnable,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, os_error_text
from app.i18n import N_, _, format_amount
from ui.models.rows import RowsTableModel

PRINT_DPI = 300  # pages are rendered to images at this resolution at most, then scaled onto the printer
DocumentIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
VAT_CHOICES = (None, "0", "5", "7", "10", "20", "22")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


# ------------------------------------------------------------------ background work


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


_RUNNING: set[_Job] = set()  # jobs stay referenced until they finish, whatever happens to their dialog


class _Job(QRunnable):
    """Runs a service call (prepare + render) off the UI thread; reportlab's first import takes a while."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self.finished = False

    def run(self) -> None:
        try:
            result = self.work()
        except UserError as exc:
            self.signals.failed.emit(exc)
        except Exception as exc:  # shown to the user, never swallowed silently
            self.signals.failed.emit(UserError(_("Internal error: {error}").format(
                error=f"{type(exc).__name__}: {exc}")))
        else:
            self.signals.done.emit(result)
        finally:
            self.finished = True

    def start(self) -> None:
        """Start on the global pool; finished jobs are forgotten when the next one starts (main thread)."""
        _RUNNING.difference_update([job for job in _RUNNING if job.finished])
        self.setAutoDelete(False)
        _RUNNING.add(self)
        QThreadPool.globalInstance().start(self)


# ------------------------------------------------------------------ printing


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Print the pages of ``document`` (honouring the printer's page range); returns the pages printed."""
    count = document.pageCount()
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = max(1, printer.fromPage()), min(count, printer.toPage() or count)
    if count == 0 or first > last:
        return 0
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError(_("The printer could not be started."))
    printed = 0
    try:
        for page in range(first - 1, last):
            if printed:
                printer.newPage()
            area = painter.viewport()
            size = document.pagePointSize(page)
            scale = min(area.width() / size.width(), area.height() / size.height())
            width, height = int(size.width() * scale), int(size.height() * scale)
            dpi = min(printer.resolution(), PRINT_DPI)
            image = document.render(page, QSize(int(size.width() * dpi / 72), int(size.height() * dpi / 72)))
            target = QRect(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2,
                           width, height)
            painter.drawImage(target, image)
            printed += 1
    finally:
        painter.end()
    return printed


def write_file(path: str | Path, data: bytes) -> None:
    """Write next to the target first, then move it into place (a half-written PDF never remains)."""
    target = Path(path)
    handle, temp = tempfile.mkstemp(prefix=".vnedrenie-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        os.replace(temp, target)
    except OSError as exc:
        if os.path.exists(temp):
            os.unlink(temp)
        raise UserError(_("Cannot save «{path}»: {error}").format(path=target, error=os_error_text(exc))) from None


# ------------------------------------------------------------------ preview dialog


class PdfPreviewDialog(QDialog):
    """The real PDF in a QPdfView with «Print…» and «Save as…».

    ``load`` returns (pdf bytes, suggested file name, info line[, earlier]). With ``issue`` the shown PDF is a
    draft: the first print or save writes it to the register (``issue`` returns app.services.documents.Issued).
    ``earlier`` True means the register already holds this document and the PDF shown is its stored copy;
    then «Issue anew» calls ``reissue`` (the next load and issue make a fresh number) and loads again."""

    def __init__(self, parent: QWidget | None, title: str, load: Callable[[], tuple],
                 issue: Callable[[], object] | None = None, db=None,
                 reissue: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentPreview")
        self.setWindowTitle(title)
        self.resize(860, 980)
        self.changes = None
        self.error: str | None = None
        self.pdf = b""
        self.file_name = "document.pdf"
        self._issue = issue
        self._issue_fresh = issue
        self._reissue = reissue
        self.earlier = False
        self._load = load
        self.db = db  # offers the executor-details form when they are missing
        self._buffer: QBuffer | None = None
        self._job: _Job | None = None

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("documentPdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.infoLabel = QLabel(_("Preparing the document…"), self)
        self.infoLabel.setObjectName("documentInfo")
        self.infoLabel.setWordWrap(True)
        self.printButton = QPushButton(_("Print…"), self)
        self.printButton.setObjectName("documentPrint")
        self.saveButton = QPushButton(_("Save as…"), self)
        self.saveButton.setObjectName("documentSave")
        self.fitWidthButton = QPushButton(_("Fit width"), self)
        self.fitPageButton = QPushButton(_("Whole page"), self)
        self.executorButton = QPushButton(_("Executor details…"), self)
        self.executorButton.setObjectName("documentExecutorDetails")
        self.executorButton.setVisible(False)
        self.reissueButton = QPushButton(_("Issue anew"), self)
        self.reissueButton.setObjectName("documentReissue")
        self.reissueButton.setToolTip(_("Register this document once more under a new number"))
        self.reissueButton.setVisible(False)
        close = QPushButton(_("Close"), self)
        buttons = QHBoxLayout()
        for button in (self.printButton, self.saveButton, self.executorButton, self.reissueButton):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.fitWidthButton, self.fitPageButton, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.infoLabel)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.printButton.clicked.connect(self.print_with_dialog)
        self.saveButton.clicked.connect(self.save_with_dialog)
        self.fitWidthButton.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.fitPageButton.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.executorButton.clicked.connect(self.edit_executor)
        self.reissueButton.clicked.connect(self.issue_anew)
        close.clicked.connect(self.reject)
        self._set_ready(False)
        self._start(load)

    # ---------------------------------------------------------------- loading

    def _start(self, load: Callable[[], tuple[bytes, str, str]]) -> None:
        self._job = _Job(load)
        self._job.signals.done.connect(self._loaded)
        self._job.signals.failed.connect(self._failed)
        self._job.start()

    def _loaded(self, result) -> None:
        pdf, file_name, info, *rest = result
        self.earlier = bool(rest and rest[0])
        self.reissueButton.setVisible(self.earlier and self._reissue is not None and self._issue is not None)
        self.file_name = file_name
        self.show_pdf(pdf)
        self.infoLabel.setText(info)
        self._set_ready(True)

    def _failed(self, exc: UserError) -> None:
        from app.services.documents import ExecutorDetailsMissing

        self.error = exc.full_text()
        self.infoLabel.setText(self.error)
        self.infoLabel.setStyleSheet("color: #b00020;")
        self.executorButton.setVisible(isinstance(exc, ExecutorDetailsMissing) and self.db is not None)

    def edit_executor(self) -> None:
        """Fill in the executor's details from here, then prepare the document again."""
        if self.db is None:
            return
        dialog = ExecutorDialog(self.db, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.changes is not None:
                self.retry()
        finally:
            dialog.deleteLater()

    def retry(self) -> None:
        self.error = None
        self.executorButton.setVisible(False)
        self.infoLabel.setStyleSheet("")
        self.infoLabel.setText(_("Preparing the document…"))
        self._start(self._load)

    def issue_anew(self) -> None:
        """The register already holds this document: prepare a fresh draft that gets a new number."""
        if self._reissue is None or self._issue_fresh is None:
            return
        self._reissue()
        self._issue = self._issue_fresh
        self.earlier = False
        self.reissueButton.setVisible(False)
        self.pdf = b""
        self._set_ready(False)
        self.retry()

    def is_ready(self) -> bool:
        return bool(self.pdf) and self.document.status() == QPdfDocument.Status.Ready

    def _set_ready(self, ready: bool) -> None:
        for button in (self.printButton, self.saveButton, self.fitWidthButton, self.fitPageButton):
            button.setEnabled(ready)

    def show_pdf(self, pdf: bytes) -> None:
        """Load PDF bytes into the view (the buffer lives as long as the document needs it)."""
        self.pdf = pdf
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer

    # ---------------------------------------------------------------- register

    def ensure_issued(self) -> bool:
        """Register a draft before it leaves the program (print or save); False when refused."""
        if self._issue is None:
            return True
        try:
            issued = self._issue()
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.full_text())
            return False
        from app.services.documents import already_issued_message

        self._issue = None
        self.reissueButton.setVisible(False)
        if issued.pdf != self.pdf:
            self.show_pdf(issued.pdf)
        if getattr(issued, "reprinted", False):
            self.infoLabel.setText(already_issued_message(issued.code))
            return True
        self.changes = issued.changes if self.changes is None else self.changes.merge(issued.changes)
        self.infoLabel.setText(_("Registered as No. {code}.").format(code=issued.code))
        return True

    # ---------------------------------------------------------------- print and save

    def print_to(self, printer: QPrinter) -> int:
        if not self.is_ready() or not self.ensure_issued():
            return 0
        return print_pdf(self.document, printer)

    def print_with_dialog(self) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(self.file_name.removesuffix(".pdf"))
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.document.pageCount()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        try:
            return self.print_to(printer)
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.full_text())
            return 0

    def save_to(self, path: str | Path) -> bool:
        if not self.is_ready() or not self.ensure_issued():
            return False
        write_file(path, self.pdf)
        return True

    def save_with_dialog(self) -> bool:
        from ui.app import settings

        folder = str(settings().value("documents/folder", str(Path.home())))
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the document"), str(Path(folder) / self.file_name),
                                                    _("PDF documents (*.pdf)"))
        if not path:
            return False
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            saved = self.save_to(path)
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.full_text())
            return False
        if saved:
            settings().setValue("documents/folder", str(Path(path).parent))
        return saved


def _draft_dialog(parent: QWidget | None, db, title: str, prepare: Callable[[], object]) -> PdfPreviewDialog:
    from app.services import documents

    state: dict = {"fresh": False}

    def load():
        draft = prepare()
        state["draft"] = draft
        if not state["fresh"]:
            earlier = documents.find_issued(db, draft)
            if earlier is not None:  # the same document is registered: show (and print) that one
                row, pdf = documents.reprint(db, earlier.id)
                return (pdf, documents.suggested_file_name(row.code, row.client_name),
                        documents.already_issued_message(row.code), True)
        info = _("The document gets No. {code} in the register when it is printed or saved.").format(
            code=draft.code)
        return documents.render_draft(draft), draft.file_name(), info, False

    def issue():
        return documents.issue(db, state["draft"], new=state["fresh"])

    def reissue():
        state["fresh"] = True

    return PdfPreviewDialog(parent, title, load, issue, db, reissue)


def signoff_dialog(parent: QWidget | None, db, client_id: int, stage: int | None = None) -> PdfPreviewDialog:
    from app.services import documents

    return _draft_dialog(parent, db, _("Stage sign-off sheet"),
                         lambda: documents.prepare_signoff(db, client_id, stage))


def estimate_dialog(parent: QWidget | None, db, client_id: int) -> PdfPreviewDialog:
    from app.services import documents

    return _draft_dialog(parent, db, _("Implementation cost estimate"),
                         lambda: documents.prepare_estimate(db, client_id))


def act_dialog(parent: QWidget | None, db, client_id: int, date_from: date, date_to: date) -> PdfPreviewDialog:
    from app.services import documents

    return _draft_dialog(parent, db, _("Act of services"),
                         lambda: documents.prepare_act(db, client_id, date_from, date_to))


def progress_dialog(parent: QWidget | None, db, client_id: int) -> PdfPreviewDialog:
    from app.services import documents

    return _draft_dialog(parent, db, _("Implementation progress report"),
                         lambda: documents.prepare_progress(db, client_id))


def document_dialog(parent: QWidget | None, db, document_id: int) -> PdfPreviewDialog:
    """A registered document printed again from its stored content (same number, same figures)."""
    from app.services import documents

    def load():
        row, pdf = documents.reprint(db, document_id)
        info = _("{title} No. {code} of {date}, {client}.").format(
            title=row.kind_title, code=row.code, date=row.issued_on.strftime("%d.%m.%Y"), client=row.client_name)
        return pdf, documents.suggested_file_name(row.code, row.client_name), info

    return PdfPreviewDialog(parent, _("Document"), load)


def _run_modal(dialog: QDialog):
    """Show a dialog modally and return the Changes it made (None when nothing changed)."""
    try:
        dialog.exec()
        return dialog.changes  # type: ignore[attr-defined]
    finally:
        dialog.deleteLater()


def _run_preview(dialog: PdfPreviewDialog):
    return _run_modal(dialog)


def open_signoff_preview(parent: QWidget, db, client_id: int, stage: int | None = None):
    """Show the sign-off sheet (акт сдачи-приёмки) of ``stage`` (default: current) in a preview dialog.

    Returns the Changes of the action (a new register entry) or None when cancelled."""
    return _run_preview(signoff_dialog(parent, db, client_id, stage))


def open_estimate_preview(parent: QWidget, db, client_id: int):
    """Preview and print the client's latest saved estimate (расчёт стоимости). Returns Changes or None."""
    return _run_preview(estimate_dialog(parent, db, client_id))


def open_act_preview(parent: QWidget, db, client_id: int, date_from: date, date_to: date):
    """Preview and print the act of services for a period of the work log. Returns Changes or None."""
    return _run_preview(act_dialog(parent, db, client_id, date_from, date_to))


def open_progress_preview(parent: QWidget, db, client_id: int):
    """Preview and print the progress report. Returns Changes or None."""
    return _run_preview(progress_dialog(parent, db, client_id))


def open_document_preview(parent: QWidget, db, document_id: int):
    """Reprint a registered document (no new register entry); returns None."""
    _run_preview(document_dialog(parent, db, document_id))
    return None


# ------------------------------------------------------------------ executor details


class ExecutorDialog(QDialog):
    """Реквизиты исполнителя: every field validated by the service; a hint names what printing still needs."""

    FIELDS = ("company", "inn", "kpp", "ogrn", "address", "city", "specialist_name", "specialist_position",
              "signer_name", "signer_position")
    TITLES: ClassVar[dict[str, str]] = {
        "company": N_("Company:"), "inn": N_("INN:"), "kpp": N_("KPP:"), "ogrn": N_("OGRN:"),
        "address": N_("Address:"), "city": N_("City (place of documents):"),
        "specialist_name": N_("Specialist, full name:"), "specialist_position": N_("Specialist's position:"),
        "signer_name": N_("Signs documents, full name:"), "signer_position": N_("Signer's position:"),
        "bank_details": N_("Bank details:"), "vat_rate": N_("VAT:"),
    }

    def __init__(self, db, parent: QWidget | None = None) -> None:
        from app.services import documents

        super().__init__(parent)
        self.setObjectName("executorDialog")
        self.setWindowTitle(_("Executor details"))
        self.db = db
        self.changes = None
        details = documents.get_executor(db)
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for name in self.FIELDS:
            edit = QLineEdit(getattr(details, name), self)
            edit.setObjectName(f"executor_{name}")
            edit.setMinimumWidth(380)
            edit.textChanged.connect(self._update_hint)
            self.edits[name] = edit
            form.addRow(_(self.TITLES[name]), edit)
        self.edits["signer_name"].setPlaceholderText(_("empty: the specialist signs"))
        self.bankEdit = QPlainTextEdit(details.bank_details, self)
        self.bankEdit.setObjectName("executor_bank_details")
        self.bankEdit.setFixedHeight(70)
        form.addRow(_(self.TITLES["bank_details"]), self.bankEdit)
        self.vatCombo = QComboBox(self)
        self.vatCombo.setObjectName("executor_vat_rate")
        for choice in VAT_CHOICES:
            self.vatCombo.addItem(_("No VAT") if choice is None else f"{choice} %", choice)
        current = None if details.vat_rate is None else format(details.vat_rate.normalize(), "f")
        index = self.vatCombo.findData(current)
        if index < 0:
            self.vatCombo.addItem(f"{current} %", current)
            index = self.vatCombo.count() - 1
        self.vatCombo.setCurrentIndex(index)
        form.addRow(_(self.TITLES["vat_rate"]), self.vatCombo)
        self.hintLabel = QLabel(self)
        self.hintLabel.setObjectName("executorHint")
        self.hintLabel.setWordWrap(True)
        self.hintLabel.setStyleSheet("color: #8a5a00;")
        form.addRow(self.hintLabel)
        self.errorLabel = QLabel(self)
        self.errorLabel.setObjectName("executorErrors")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setStyleSheet("color: #b00020;")
        form.addRow(self.errorLabel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._update_hint()

    def details(self):
        from app.services.documents import ExecutorDetails

        values = {name: edit.text() for name, edit in self.edits.items()}
        return ExecutorDetails(bank_details=self.bankEdit.toPlainText(), vat_rate=self.vatCombo.currentData(),
                               **values)

    def _update_hint(self, *_args) -> None:
        from app.services.documents import missing_executor_fields

        sender = self.sender()
        if isinstance(sender, QLineEdit) and sender.styleSheet():  # the user is correcting a marked field
            sender.setStyleSheet("")
            self.errorLabel.setText("")

        missing = missing_executor_fields(self.details())
        self.hintLabel.setText(_("Documents cannot be printed until these are filled in: {fields}.").format(
            fields=", ".join(missing)) if missing else "")
        self.hintLabel.setVisible(bool(missing))

    def save(self) -> bool:
        from app.services import documents

        details = self.details()
        errors = documents.executor_errors(details)
        for name, edit in self.edits.items():
            edit.setStyleSheet("background: #fde2e1;" if name in errors else "")
        if errors:
            self.errorLabel.setText("\n".join(errors.values()))
            return False
        try:
            self.changes = documents.set_executor(self.db, details)
        except UserError as exc:
            self.errorLabel.setText(exc.full_text())
            return False
        self.accept()
        return True


def open_executor_settings(parent: QWidget, db):
    """Edit реквизиты исполнителя. Returns Changes or None."""
    return _run_modal(ExecutorDialog(db, parent))


# ------------------------------------------------------------------ register


class DocumentTableModel(RowsTableModel):
    """Register rows (plain DocumentRow objects); holds no database handle."""

    COL_NUMBER, COL_DATE, COL_KIND, COL_CLIENT, COL_TOTAL, COL_RETURNED = range(6)
    HEADERS = (N_("No."), N_("Date"), N_("Document"), N_("Client"), N_("Amount"), N_("Signed copy returned"))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        r = self.valid_row(index)
        if r is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.code, r.issued_on.strftime("%d.%m.%Y"), self._kind(r), r.client_name,
                    "" if r.total is None else format_amount(r.total),
                    r.signed_returned_on.strftime("%d.%m.%Y") if r.signed_returned_on else _("not yet"))[column]
        if role == SortRole:
            return (f"{r.year:04d}{r.kind}{r.number:08d}", r.issued_on.toordinal() * 100000 + r.id, self._kind(r),
                    r.client_name.lower(), float(r.total or 0),
                    r.signed_returned_on.toordinal() if r.signed_returned_on else 0)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_TOTAL:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_RETURNED and not r.signed_returned_on:
            from PySide6.QtGui import QBrush, QColor

            return QBrush(QColor("#b26a00"))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_KIND:
            if r.period_from and r.period_to:
                return _("Period {start} — {end}").format(start=r.period_from.strftime("%d.%m.%Y"),
                                                          end=r.period_to.strftime("%d.%m.%Y"))
            if r.stage is not None:
                return _("Stage {n}").format(n=r.stage)
        if role == DocumentIdRole:
            return r.id
        return None

    @staticmethod
    def _kind(r) -> str:
        text = r.kind_title
        if r.kind == "signoff" and r.stage is not None:
            text += " · " + _("stage {n}").format(n=r.stage)
        if r.kind == "act" and r.period_from and r.period_to:
            text += f" · {r.period_from:%d.%m}–{r.period_to:%d.%m.%Y}"
        return text


class DocumentFilterProxy(QSortFilterProxyModel):
    """Text filter over number, kind and client; optionally only documents whose signed copy is missing."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.text = ""
        self.only_missing = False

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_only_missing(self, value: bool) -> None:
        self.beginFilterChange()
        self.only_missing = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model = self.sourceModel()
        row = model.row_at(source_row)
        if self.only_missing and row.signed_returned_on is not None:
            return False
        if not self.text:
            return True
        haystack = f"{row.code} {row.kind_title} {row.client_name} {row.client_inn}".lower()
        return all(part in haystack for part in self.text.split())


class ReturnedDateDialog(QDialog):
    """Ask the day the signed copy came back."""

    def __init__(self, code: str, issued_on: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signedReturnedDialog")
        self.setWindowTitle(_("Signed copy returned"))
        form = QFormLayout(self)
        form.addRow(QLabel(_("Document No. {code}").format(code=code), self))
        today = date.today()
        self.dateEdit = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.dateEdit.setCalendarPopup(True)
        self.dateEdit.setDisplayFormat("dd.MM.yyyy")
        self.dateEdit.setMinimumDate(QDate(issued_on.year, issued_on.month, issued_on.day))
        self.dateEdit.setMaximumDate(QDate(today.year, today.month, today.day))
        form.addRow(_("Returned on:"), self.dateEdit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self) -> date:
        q = self.dateEdit.date()
        return date(q.year(), q.month(), q.day())


class DocumentsRegisterDialog(QDialog):
    """The register: numbers, dates, amounts, whether the signed copy came back; reprint and marks."""

    def __init__(self, db, client_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsRegister")
        self.setWindowTitle(_("Documents register"))
        self.resize(980, 560)
        self.db = db
        self.client_id = client_id
        self.changes = None
        self.model = DocumentTableModel(self)
        self.proxy = DocumentFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.searchEdit = QLineEdit(self)
        self.searchEdit.setObjectName("documentsSearch")
        self.searchEdit.setPlaceholderText(_("Search by number or client"))
        self.searchEdit.setClearButtonEnabled(True)
        self.missingCheck = QCheckBox(_("Only without the signed copy"), self)
        self.missingCheck.setObjectName("documentsOnlyMissing")
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
        self.messageLabel = QLabel(self)
        self.messageLabel.setStyleSheet("color: #b00020;")
        self.openButton = QPushButton(_("Open…"), self)
        self.openButton.setObjectName("documentsOpen")
        self.returnedButton = QPushButton(_("Signed copy returned…"), self)
        self.returnedButton.setObjectName("documentsReturned")
        self.clearButton = QPushButton(_("Remove the mark"), self)
        self.clearButton.setObjectName("documentsClearReturned")
        close = QPushButton(_("Close"), self)
        top = QHBoxLayout()
        top.addWidget(self.searchEdit, 1)
        top.addWidget(self.missingCheck)
        bottom = QHBoxLayout()
        for button in (self.openButton, self.returnedButton, self.clearButton):
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.messageLabel)
        layout.addLayout(bottom)
        self.searchEdit.textChanged.connect(self.proxy.set_text)
        self.missingCheck.toggled.connect(self.proxy.set_only_missing)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.openButton.clicked.connect(self.open_selected)
        self.returnedButton.clicked.connect(self.ask_returned)
        self.clearButton.clicked.connect(lambda: self.mark_returned(None))
        close.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        from app.services.documents import list_documents

        self.model.set_rows(list_documents(self.db, client_id=self.client_id))
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
        self.openButton.setEnabled(row is not None)
        self.returnedButton.setEnabled(row is not None)
        self.clearButton.setEnabled(row is not None and row.signed_returned_on is not None)

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
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
            self.messageLabel.setText(exc.full_text())
            return False
        self.messageLabel.setText("")
        self.changes = changes if self.changes is None else self.changes.merge(changes)
        self.reload()
        self.select_id(row.id)
        return True


def open_documents_register(parent: QWidget, db, client_id: int | None = None):
    """Show the documents register (numbers, signed copy returned). Returns Changes or None."""
    return _run_modal(DocumentsRegisterDialog(db, client_id, parent))
