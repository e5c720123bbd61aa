"""«Акты за месяц всем заказчикам…»: the month's acts for every client with billable work, issued in the
background (app.reports.batch, the same batch as `report acts`) with «n из N» progress and a working «Отмена».

Cancelling stops between documents: the acts issued so far stay issued, registered and on disk, and the
summary says how many. The whole action runs through the window's operations runner (refusals shown one
way, the Changes of what was issued announced with the initiator)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.i18n import _, format_number
from app.reports.batch import BILLED, ISSUED, SKIPPED, ActsBatch
from ui.dialogs.date_field import MONTH, DateField, date_edit
from ui.dialogs.date_refusals import date_problem, say_refusals
from ui.dialogs.documents.period import previous_month
from ui.dialogs.errors import ErrorLine
from ui.dialogs.form_dialog import FormDialog
from ui.ops import Ops, show_internal_error, show_outcome
from ui.qtutil import fit_to_screen, form_dialog_body, from_qdate, name_inputs
from ui.settings import settings
from ui.tasks import task_manager

log = logging.getLogger(__name__)

FOLDER_KEY = "documents/folder"  # where the preview saved its last PDF: the batch suggests it too


class MonthActsDialog(FormDialog):
    """The month (default: the previous one), the date of the acts (default: today) and the folder for the PDFs."""

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("monthActsDialog")
        self.setWindowTitle(_("Acts of a month for all clients"))
        day = today or date.today()
        start, _end = previous_month(day)
        self.month = DateField(QDate(start.year, start.month, 1), self, fmt=MONTH, calendar=False)
        self.month.setObjectName("batchMonth")
        self.month.setAccessibleName(_("Month"))
        self.on = date_edit(self, "batchDate", day)
        self.on.setAccessibleName(_("Date of the acts"))
        self.folder = QLineEdit(folder or str(Path.home()), self)
        self.folder.setObjectName("batchFolder")
        self.folder.setAccessibleName(_("Folder for the PDF files"))
        browse = QPushButton(_("Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.error = ErrorLine(self)
        form = QFormLayout()
        form.addRow(_("Month:"), self.month)
        form.addRow(_("Date of the acts:"), self.on)
        form.addRow(_("Folder:"), row)
        form_dialog_body(self, form, self.error, save=False)
        name_inputs(self)
        say_refusals(self, lambda text: self.error.show_error(text) if text else self.error.clear_error(),
                     self.error.text)
        fit_to_screen(self, 560, 170)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Folder for the PDF files"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def accept(self) -> None:
        refused = date_problem(self)  # digits typed but not yet committed count too; 31.04 is no date
        if refused:
            self.error.show_error(refused)
            return
        if not self.folder.text().strip():
            self.error.show_error(_("Choose the folder for the PDF files."))
            return
        super().accept()

    def value(self) -> tuple[str, Path, date]:
        """(«YYYY-MM», folder, date of the acts)."""
        month = self.month.date()
        return f"{month.year():04d}-{month.month():02d}", Path(self.folder.text().strip()), from_qdate(self.on.date())


def ask_month_acts(parent: QWidget | None) -> tuple[str, Path, date] | None:
    """Ask modally; None when cancelled. The folder chosen is remembered for next time."""
    dialog = MonthActsDialog(parent, folder=str(settings().value(FOLDER_KEY, str(Path.home()))))
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = dialog.value()
        settings().setValue(FOLDER_KEY, str(chosen[1]))
        return chosen
    finally:
        dialog.deleteLater()


SHOWN_SKIPPED = 5  # skipped clients named in the box itself; the rest counted, every refusal in «Details»


def summary_text(batch: ActsBatch) -> tuple[str, str]:
    """The summary sentence(s) and the details (a line per client; a skipped one's refusal in full) of a finished or
    cancelled batch. The summary names the skipped clients too, each with its refusal's first line (the first
    SHOWN_SKIPPED of them, then «… и ещё N»): «пропущено: 1» alone hid whose work was left unbilled, and why, behind
    «Показать подробности…»."""
    if not batch.total:
        return _("No billable work is logged from {start} to {end}: no acts issued.").format(
            start=batch.start.strftime("%d.%m.%Y"), end=batch.end.strftime("%d.%m.%Y")), ""
    return _summary(batch), _details(batch)


def _summary(batch: ActsBatch) -> str:
    skipped = [line for line in batch.lines if line.outcome == SKIPPED]
    if not skipped:
        return batch.summary()
    named = [f"• {line.client_name}: {(line.reason.splitlines() or [''])[0]}" for line in skipped[:SHOWN_SKIPPED]]
    if len(skipped) > SHOWN_SKIPPED:
        named.append(_("… and {n} more.").format(n=format_number(len(skipped) - SHOWN_SKIPPED)))
    return "\n".join([batch.summary(), "", _("Skipped (each reason in full under «Show Details...»):"), *named])


def _details(batch: ActsBatch) -> str:
    lines = []
    for line in batch.lines:
        if line.outcome == ISSUED:
            lines.append(f"{line.code}  {line.client_name}  →  {line.path}")
        elif line.outcome == BILLED:
            lines.append(f"{line.client_name}: " + _("already billed by {codes}").format(codes=", ".join(line.codes)))
        elif line.outcome == SKIPPED:  # the refusal's details too: every value it cannot read, and the way out
            lines.extend([f"{line.client_name}: {_('skipped')} — {line.reason}", *line.details])
    return "\n".join(lines)


def issue_month_acts(parent: QWidget | None, ops: Ops,
                     ask: Callable[[QWidget | None], tuple[str, Path, date] | None] | None = None
                     ) -> ActsBatch | None:
    """Ask for the month, then issue its acts through the runner in the background (progress «n из N»,
    «Отмена» stops between documents). Says how many were issued; returns the batch (None: not run)."""
    from app.reports.batch import issue_month_acts as run_batch

    chosen = (ask or ask_month_acts)(parent)
    if chosen is None:
        return None
    month, folder, on = chosen
    db = ops.db

    def work(progress):
        return run_batch(db, month, folder, on=on, progress=progress.set, cancelled=lambda: progress.cancelled)

    try:
        batch = ops.run(lambda: task_manager().run_modal(
            parent, _("Issuing the acts of {month}…").format(month=f"{month[5:]}.{month[:4]}"), work,
            cancellable=True, counted=_("%v of %m")), initiator=parent)
    except Exception as exc:  # a fault no stored value explains (the runner asked): said once, the window stays
        log.error("issuing the month's acts failed", exc_info=exc)  # the box says one line; the log the traceback
        show_internal_error(parent, exc)
        return None
    if batch is None:
        return None
    text, details = summary_text(batch)
    show_outcome(parent, _("Acts of a month for all clients"), text, details,
                 left_undone=bool(batch.count(SKIPPED)), name="monthActsSummary")  # a warning: work left unbilled
    return batch
