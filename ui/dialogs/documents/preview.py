"""Document preview: the real PDF in QPdfView with «Печать…» and «Сохранить как PDF…», and its openers."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, os_error_text
from app.i18n import _
from app.services.changes import Changes
from ui.dialogs.documents.executor import ExecutorDialog, run_modal
from ui.ops import Ops, show_user_error
from ui.palette import text_style
from ui.qtutil import fit_to_screen
from ui.settings import settings
from ui.tasks import Task, task_manager

if TYPE_CHECKING:
    from app.services.documents import Draft, Issued

log = logging.getLogger(__name__)
PRINT_DPI = 300  # pages are rendered to images at this resolution at most, then scaled onto the printer


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
    from app.part_files import make_part, remove_stale_parts

    target = Path(path)
    remove_stale_parts(target)  # what a save of this file killed earlier left beside it
    try:
        handle, temp = make_part(target)
    except OSError as exc:
        raise UserError(_("Cannot save «{path}»: {error}").format(path=target, error=os_error_text(exc))) from None
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        os.replace(temp, target)
    except OSError as exc:
        if os.path.exists(temp):
            os.unlink(temp)
        raise UserError(_("Cannot save «{path}»: {error}").format(path=target, error=os_error_text(exc))) from None


class PdfPreviewDialog(QDialog):
    """The real PDF in a QPdfView with «Print…» and «Save as…».

    ``load`` returns (pdf bytes, suggested file name, info line[, earlier]). With ``issue`` the shown PDF is a
    draft: the first print or save writes it to the register (``issue`` returns app.services.documents.Issued).
    ``earlier`` True means the register already holds this document and the PDF shown is its stored copy;
    then «Issue anew» calls ``reissue`` (the next load and issue make a fresh number) and loads again.
    ``ops``: the window's runner, whose ``explain`` names the database's values behind a failed load (default: the
    parent's ``ops`` — the main window's, the calculator's or the register's)."""

    def __init__(self, parent: QWidget | None, title: str, load: Callable[[], tuple],
                 issue: Callable[[], Issued] | None = None, db=None,
                 reissue: Callable[[], None] | None = None, ops: Ops | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentPreview")
        self.setWindowTitle(title)
        fit_to_screen(self, 860, 980)
        self.changes: Changes | None = None
        self.error: str | None = None
        self.pdf = b""
        self.file_name = "document.pdf"
        self._issue = issue
        self._issue_fresh = issue
        self._reissue = reissue
        self.earlier = False
        self._load = load
        self.db = db  # offers the executor-details form when they are missing
        self.ops: Ops | None = ops if ops is not None else getattr(parent, "ops", None)
        self._buffer: QBuffer | None = None
        self._task: Task | None = None

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("documentPdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.info_label = QLabel(_("Preparing the document…"), self)
        self.info_label.setObjectName("documentInfo")
        self.info_label.setWordWrap(True)
        self.print_button = QPushButton(_("Print…"), self)
        self.print_button.setObjectName("documentPrint")
        self.save_button = QPushButton(_("Save as PDF…"), self)
        self.save_button.setObjectName("documentSave")
        self.fit_width_button = QPushButton(_("Fit width"), self)
        self.fit_page_button = QPushButton(_("Whole page"), self)
        self.executor_button = QPushButton(_("Executor details…"), self)
        self.executor_button.setObjectName("documentExecutorDetails")
        self.executor_button.setVisible(False)
        self.reissue_button = QPushButton(_("Issue anew"), self)
        self.reissue_button.setObjectName("documentReissue")
        self.reissue_button.setToolTip(_("Register this document once more under a new number"))
        self.reissue_button.setVisible(False)
        self.remarks_button = QPushButton(_("Accept with remarks…"), self)
        self.remarks_button.setObjectName("documentAcceptWithRemarks")
        self.remarks_button.setToolTip(_("Sign the stage off although items are open: the sheet lists them "
                                         "with your reason"))
        self.remarks_button.setVisible(False)
        self.with_remarks: Callable[[str], None] | None = None  # set by signoff_dialog
        close = QPushButton(_("Close"), self)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.save_button, self.executor_button, self.reissue_button,
                       self.remarks_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.fit_width_button, self.fit_page_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.save_button.clicked.connect(self.save_with_dialog)
        self.fit_width_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.fit_page_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.executor_button.clicked.connect(self.edit_executor)
        self.reissue_button.clicked.connect(self.issue_anew)
        self.remarks_button.clicked.connect(self.ask_remarks)
        close.clicked.connect(self.reject)
        self._set_ready(False)
        self._start(load)

    # ---------------------------------------------------------------- loading

    def _start(self, load: Callable[[], tuple[bytes, str, str]]) -> None:
        self._task = task_manager().start(lambda _progress: load(), self._loaded, self._failed)

    def _loaded(self, result) -> None:
        pdf, file_name, info, *rest = result
        self.earlier = bool(rest and rest[0])
        self.reissue_button.setVisible(self.earlier and self._reissue is not None and self._issue is not None)
        self.file_name = file_name
        self.show_pdf(pdf)
        self.info_label.setText(info)
        self._set_ready(True)

    def _failed(self, exc: BaseException) -> None:
        from app.services.documents import ExecutorDetailsMissing, StageHasOpenItems

        if not isinstance(exc, UserError):  # shown to the user, never swallowed silently
            # e.g. «abc» in work_log.minutes: a TypeError in the billing; named when the database's values explain it
            refusal = self.ops.explain(exc) if self.ops is not None else None
            if refusal is None:  # a fault: on record with its traceback, said as one
                log.error("preparing the document failed", exc_info=exc)
                refusal = UserError(_("Internal error: {error}").format(error=f"{type(exc).__name__}: {exc}"))
            exc = refusal
        self.error = exc.full_text()
        self.info_label.setText(self.error)
        self.info_label.setStyleSheet(text_style("error"))
        self.executor_button.setVisible(isinstance(exc, ExecutorDetailsMissing) and self.db is not None)
        self.remarks_button.setVisible(isinstance(exc, StageHasOpenItems) and self.with_remarks is not None)

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

    def ask_remarks(self) -> bool:
        """Ask for the reason, then prepare the sheet «принят с замечаниями» (see accept_with_remarks); a reason
        the sheet would refuse is said in the box, which stays open with the text."""
        from ui.dialogs.reason import ReasonDialog

        dialog = ReasonDialog(_("Accept with remarks"), _("Why is the stage accepted with open items? The sheet "
                                                          "prints the reason and lists the open items."),
                              self._remarks_refusal, self)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    def _remarks_refusal(self, reason: str) -> str | None:
        """The reason's refusal (the check the sign-off makes: app.services.documents.signoff), or None once the
        sheet is being prepared with it."""
        from app.services.documents.signoff import check_remarks_reason

        try:
            check_remarks_reason(reason)
        except UserError as exc:
            return exc.full_text()
        return None if self.accept_with_remarks(reason) else _("Signing off a stage with open items needs a "
                                                                 "reason.")

    def accept_with_remarks(self, reason: str) -> bool:
        """Prepare the sign-off sheet again with ``force=True, reason=reason``. An empty reason is said here, the
        open items and the button kept (the service's refusal of it replaced them: a dead end, a tester's find)."""
        if self.with_remarks is None:
            return False
        if not reason.strip():
            self.info_label.setText((self.error or "") + "\n\n" + _("Signing off a stage with open items needs a "
                                                                     "reason."))
            return False
        self.with_remarks(reason)
        self.retry()
        return True

    def retry(self) -> None:
        self.error = None
        self.executor_button.setVisible(False)
        self.remarks_button.setVisible(False)
        self.info_label.setStyleSheet("")
        self.info_label.setText(_("Preparing the document…"))
        self._start(self._load)

    def issue_anew(self) -> None:
        """The register already holds this document: prepare a fresh draft that gets a new number."""
        if self._reissue is None or self._issue_fresh is None:
            return
        self._reissue()
        self._issue = self._issue_fresh
        self.earlier = False
        self.reissue_button.setVisible(False)
        self.pdf = b""
        self._set_ready(False)
        self.retry()

    def is_ready(self) -> bool:
        return bool(self.pdf) and self.document.status() == QPdfDocument.Status.Ready

    def _set_ready(self, ready: bool) -> None:
        for button in (self.print_button, self.save_button, self.fit_width_button, self.fit_page_button):
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
            show_user_error(self, exc)
            return False
        from app.services.documents import already_issued_message

        self._issue = None
        self.reissue_button.setVisible(False)
        if issued.pdf != self.pdf:
            self.show_pdf(issued.pdf)
        if issued.reprinted:
            self.info_label.setText(already_issued_message(issued.code))
            return True
        self.changes = issued.changes if self.changes is None else self.changes.merge(issued.changes)
        self.info_label.setText(_("Registered as No. {code}.").format(code=issued.code))
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
            if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
                return self.print_to_file(printer.outputFileName())
            return self.print_to(printer)
        except UserError as exc:
            show_user_error(self, exc)
            return 0

    def print_to_file(self, path: str) -> int:
        """«Печать в файл» chosen in the print dialog: write the real (searchable) PDF there instead of
        page images, and say where it went. Returns the pages written (0 when nothing was)."""
        if not path:
            path = str(Path(self._folder()) / self.file_name)
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        if not self.save_to(path):
            return 0
        self.info_label.setText(_("Saved as PDF: {path}").format(path=path))
        return self.document.pageCount()

    def save_to(self, path: str | Path) -> bool:
        if not self.is_ready() or not self.ensure_issued():
            return False
        write_file(path, self.pdf)
        return True

    @staticmethod
    def _folder() -> str:
        return str(settings().value("documents/folder", str(Path.home())))

    def save_with_dialog(self) -> bool:
        folder = self._folder()
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), str(Path(folder) / self.file_name),
                                                    _("PDF documents (*.pdf)"))
        if not path:
            return False
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            saved = self.save_to(path)
        except UserError as exc:
            show_user_error(self, exc)
            return False
        if saved:
            settings().setValue("documents/folder", str(Path(path).parent))
            self.info_label.setText(_("Saved as PDF: {path}").format(path=path))
        return saved


def _draft_dialog(parent: QWidget | None, db, title: str, prepare: Callable[[], Draft]) -> PdfPreviewDialog:
    from app.reports import printing
    from app.services import documents

    state: dict = {"fresh": False}

    def load():
        draft = prepare()
        state["draft"] = draft
        if not state["fresh"]:
            earlier = documents.find_issued(db, draft)
            if earlier is not None:  # the same document is registered: show (and print) that one
                row, pdf = printing.reprint(db, earlier.id)
                return (pdf, documents.suggested_file_name(row.code, row.client_name),
                        documents.already_issued_message(row.code), True)
        info = "\n".join((_("The document gets No. {code} in the register when it is printed or saved.").format(
            code=draft.code), *draft.notices))  # e.g. a stale USD rate left off the estimate
        return printing.render_draft(draft), draft.file_name(), info, False

    def issue():
        return printing.issue(db, state["draft"], new=state["fresh"])

    def reissue():
        state["fresh"] = True

    return PdfPreviewDialog(parent, title, load, issue, db, reissue)


def signoff_dialog(parent: QWidget | None, db, client_id: int, stage: int | None = None) -> PdfPreviewDialog:
    from app.services import documents

    remarks: dict = {}  # force=True, reason=… once the user accepts the stage with remarks

    dialog = _draft_dialog(parent, db, _("Stage sign-off sheet"),
                           lambda: documents.prepare_signoff(db, client_id, stage, **remarks))
    dialog.with_remarks = lambda reason: remarks.update(force=True, reason=reason)
    return dialog


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
    from app.reports import printing
    from app.services import documents

    def load():
        row, pdf = printing.reprint(db, document_id)
        info = _("{title} No. {code} of {date}, {client}.").format(
            title=row.kind_title, code=row.code, date=row.issued_on.strftime("%d.%m.%Y"), client=row.client_name)
        return pdf, documents.suggested_file_name(row.code, row.client_name), info

    return PdfPreviewDialog(parent, _("Document"), load)


def _run_preview(dialog: PdfPreviewDialog):
    return run_modal(dialog)


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
