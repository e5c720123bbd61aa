"""Edit one work-log entry: date, kind, time/days/amount, stage, note (validated by the service rules)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.domain.pricing import KIND_TITLES_UI, KINDS
from app.errors import UserError
from app.i18n import _, format_editable
from ui.dialogs.date_field import date_edit
from ui.dialogs.date_refusals import date_problem, say_refusals
from ui.dialogs.form_dialog import FormDialog
from ui.models.worklog import duration, typed_time
from ui.palette import text_style
from ui.qtutil import from_qdate, name_inputs, one_line

if TYPE_CHECKING:
    from app.services.worklog import EntryInput


class EntryDialog(FormDialog):
    """Edit one entry: date, kind, time/days/amount, stage, note. ``submit(data)``, when given, saves the input or
    raises UserError: the dialog then stays open with what was typed and says why."""

    OK_SAVES = True  # OK adds or changes the entry

    def __init__(self, entry, parent: QWidget | None = None,
                 submit: Callable[[EntryInput], object] | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setObjectName("workLogEntryDialog")
        self.setWindowTitle(_("Work-log entry"))
        form = QFormLayout(self)
        self.date_edit = date_edit(self, "workLogEntryDialogDate", entry.on_date)
        self.kind_combo = kind_combo(self)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(entry.kind)))
        self.value_edit = QLineEdit(self)
        if entry.minutes is not None:
            self.value_edit.setText(duration(entry.minutes))
        elif entry.days is not None:
            self.value_edit.setText(format_editable(entry.days))
        elif entry.amount is not None:  # roubles with their kopecks, as the log's amounts are written
            self.value_edit.setText(format_editable(entry.amount, 2))
        self.stage_spin = QSpinBox(self)
        self.stage_spin.setRange(0, 4)
        self.stage_spin.setValue(entry.stage)
        self.note_edit = QLineEdit(entry.note, self)
        self.note_edit.setMinimumWidth(320)
        form.addRow(_("Date:"), self.date_edit)
        form.addRow(_("Kind:"), self.kind_combo)
        form.addRow(_("Time, days or amount:"), self.value_edit)
        form.addRow(_("Stage:"), self.stage_spin)
        form.addRow(_("Note:"), self.note_edit)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet(text_style("error"))
        self.error_label.setWordWrap(True)
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        name_inputs(self)
        say_refusals(self, self.error_label.setText, self.error_label.text)
        self.result_input = None

    def value(self):
        """The edited entry as EntryInput, validated by the service rules (UserError when wrong)."""
        from app.services.worklog import EntryInput, parse_measure, validate_entry

        kind = str(self.kind_combo.currentData())
        measure = parse_measure(kind, typed_time(kind, self.value_edit.text()))
        return validate_entry(EntryInput(from_qdate(self.date_edit.date()), kind, note=one_line(self.note_edit.text()),
                                         stage=self.stage_spin.value(), **measure))

    def _accept(self) -> None:
        refused = date_problem(self)
        if refused:
            self.error_label.setText(refused)
            return
        try:
            self.result_input = data = self.value()
            if self._submit is not None:
                self._submit(data)
        except UserError as exc:
            self.error_label.setText(exc.full_text())
            return
        self.accept()


def kind_combo(parent: QWidget) -> QComboBox:
    """The work kinds with their titles, the kind code as item data."""
    combo = QComboBox(parent)
    for kind in KINDS:
        combo.addItem(_(KIND_TITLES_UI[kind]), kind)
    return combo
