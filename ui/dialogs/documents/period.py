"""A small dialog asking for a period (two dates), e.g. for the act of services; default: the previous month."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from app.i18n import _
from ui.dialogs.date_field import DateField, date_edit
from ui.dialogs.date_refusals import date_problem
from ui.palette import text_style
from ui.qtutil import from_qdate, name_inputs


def previous_month(on: date) -> tuple[date, date]:
    """The whole calendar month before the one ``on`` falls in."""
    end = on.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class PeriodDialog(QDialog):
    """«From» and «to» dates; OK only when the period does not start after it ends."""

    def __init__(self, parent: QWidget | None = None, title: str = "", on: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("periodDialog")
        self.setWindowTitle(title or _("Period"))
        start, end = previous_month(on or date.today())
        form = QFormLayout(self)
        self.from_edit = self._date_edit("periodFrom", start)
        self.to_edit = self._date_edit("periodTo", end)
        form.addRow(_("From:"), self.from_edit)
        form.addRow(_("To:"), self.to_edit)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("periodError")
        self.error_label.setStyleSheet(text_style("error"))
        self.error_label.setWordWrap(True)
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.from_edit.dateChanged.connect(self._check)
        self.to_edit.dateChanged.connect(self._check)
        # wide enough for its title in the title bar and for the dates typed digit by digit
        self.setMinimumWidth(max(360, self.fontMetrics().horizontalAdvance(self.windowTitle()) + 160))
        name_inputs(self)
        for edit in (self.from_edit, self.to_edit):  # a date that does not exist is said at once, OK disabled
            edit.refused.connect(self._check)
        self._check()

    def _date_edit(self, name: str, value: date) -> DateField:
        return date_edit(self, name, value)

    def _check(self, *_args) -> bool:
        refused = next((edit.labelled(edit.problem()) for edit in (self.from_edit, self.to_edit)
                        if edit.problem()), "")
        ordered = self.from_edit.date() <= self.to_edit.date()
        valid = not refused and ordered
        self.error_label.setText(refused or ("" if ordered else _("The period starts after it ends.")))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(valid)
        self._fit_message()
        return valid

    def _fit_message(self) -> None:
        """Taller when the message wraps (the reason for a refused date is longer than the dialog is wide)."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else self.sizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def accept(self) -> None:
        refused = date_problem(self)  # digits typed but not yet committed count too; 31.04 is no date
        if refused:
            self.error_label.setText(refused)
            self._fit_message()
            return
        if self._check():
            super().accept()

    def period(self) -> tuple[date, date]:
        return from_qdate(self.from_edit.date()), from_qdate(self.to_edit.date())


def ask_period(parent: QWidget | None, title: str = "", on: date | None = None) -> tuple[date, date] | None:
    """Ask for a period modally; None when cancelled."""
    dialog = PeriodDialog(parent, title, on)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.period()
    finally:
        dialog.deleteLater()
