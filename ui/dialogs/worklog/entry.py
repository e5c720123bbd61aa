"""Edit one work-log entry: date, kind, time/days/amount, stage, note (validated by the service rules)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.domain.pricing import KIND_TITLES_UI, KINDS
from app.errors import UserError
from app.i18n import _, format_number
from ui.models.worklog import duration
from ui.palette import text_style
from ui.qtutil import date_edit, from_qdate, name_inputs


class EntryDialog(QDialog):
    """Edit one entry: date, kind, time/days/amount, stage, note."""

    def __init__(self, entry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workLogEntryDialog")
        self.setWindowTitle(_("Work-log entry"))
        form = QFormLayout(self)
        self.dateEdit = date_edit(self, "workLogEntryDialogDate", entry.on_date)
        self.kindCombo = kind_combo(self)
        self.kindCombo.setCurrentIndex(max(0, self.kindCombo.findData(entry.kind)))
        self.valueEdit = QLineEdit(self)
        if entry.minutes is not None:
            self.valueEdit.setText(duration(entry.minutes))
        elif entry.days is not None:
            self.valueEdit.setText(format_number(entry.days))
        elif entry.amount is not None:
            self.valueEdit.setText(format_number(entry.amount).replace(" ", ""))
        self.stageSpin = QSpinBox(self)
        self.stageSpin.setRange(0, 4)
        self.stageSpin.setValue(entry.stage)
        self.noteEdit = QLineEdit(entry.note, self)
        self.noteEdit.setMinimumWidth(320)
        form.addRow(_("Date:"), self.dateEdit)
        form.addRow(_("Kind:"), self.kindCombo)
        form.addRow(_("Time, days or amount:"), self.valueEdit)
        form.addRow(_("Stage:"), self.stageSpin)
        form.addRow(_("Note:"), self.noteEdit)
        self.errorLabel = QLabel(self)
        self.errorLabel.setStyleSheet(text_style("error"))
        self.errorLabel.setWordWrap(True)
        form.addRow(self.errorLabel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        name_inputs(self)
        self.result_input = None

    def value(self):
        """The edited entry as EntryInput, validated by the service rules (UserError when wrong)."""
        from app.services.worklog import EntryInput, parse_measure, validate_entry

        kind = str(self.kindCombo.currentData())
        measure = parse_measure(kind, self.valueEdit.text())
        return validate_entry(EntryInput(from_qdate(self.dateEdit.date()), kind, note=self.noteEdit.text(),
                                         stage=self.stageSpin.value(), **measure))

    def _accept(self) -> None:
        try:
            self.result_input = self.value()
        except UserError as exc:
            self.errorLabel.setText(exc.message)
            return
        self.accept()


def kind_combo(parent: QWidget) -> QComboBox:
    """The work kinds with their titles, the kind code as item data."""
    combo = QComboBox(parent)
    for kind in KINDS:
        combo.addItem(_(KIND_TITLES_UI[kind]), kind)
    return combo
