"""Реквизиты исполнителя: the executor's details that every document prints."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _
from app.services.changes import Changes
from app.services.documents.executor import EXECUTOR_FORM_TITLES
from ui.dialogs.date_typing import typed_date
from ui.dialogs.form_dialog import FormDialog
from ui.palette import field_error_style, text_style
from ui.qtutil import fit_to_screen, name_inputs

VAT_CHOICES = (None, "0", "5", "7", "10", "20", "22")


def run_modal(dialog: QDialog):
    """Show a dialog modally and return the Changes it made (None when nothing changed)."""
    try:
        dialog.exec()
        return dialog.changes  # type: ignore[attr-defined]
    finally:
        dialog.deleteLater()


class ExecutorDialog(FormDialog):
    """Реквизиты исполнителя: every field validated by the service; a hint names what printing still needs."""

    FIELDS = ("company", "inn", "kpp", "ogrn", "address", "city", "specialist_name", "specialist_position",
              "signer_name", "signer_position", "poa_number", "bank_name", "bank_bik", "bank_account", "bank_corr")
    TITLES: ClassVar[dict[str, str]] = EXECUTOR_FORM_TITLES

    def __init__(self, db, parent: QWidget | None = None) -> None:
        from app.services import documents

        super().__init__(parent)
        self.setObjectName("executorDialog")
        self.setWindowTitle(_("Executor details"))
        self.db = db
        self.changes: Changes | None = None
        details = documents.get_executor(db)
        self._loaded = details  # the fields the form does not show (a power of attorney) are saved as they were
        # the fields scroll, the messages and the buttons stay below them: at 1280×720 and 125 % (1024×576) the
        # form was 616 px tall and «Сохранить» was under the screen's edge (tester O, round 11)
        fields = QWidget(self)
        fields.setObjectName("executorFields")
        form = QFormLayout(fields)
        self.edits: dict[str, QLineEdit] = {}
        for name in self.FIELDS:
            edit = QLineEdit(getattr(details, name), fields)
            edit.setObjectName(f"executor_{name}")
            edit.setMinimumWidth(300)
            edit.textChanged.connect(self._update_hint)
            self.edits[name] = edit
            form.addRow(_(self.TITLES[name]), edit)
            if name == "poa_number":
                # the signer's power of attorney: a date of its own (an error about it had no field to correct in);
                # made here, in its row's turn, so that Tab goes from the number to the date (tester O)
                self.poa_date_edit = QLineEdit(details.poa_date.strftime("%d.%m.%Y") if details.poa_date else "",
                                               fields)
                self.poa_date_edit.setObjectName("executor_poa_date")
                self.poa_date_edit.setPlaceholderText(_("DD.MM.YYYY"))
                self.poa_date_edit.textChanged.connect(self._update_hint)
                form.addRow(_(self.TITLES["poa_date"]), self.poa_date_edit)
        self.edits["signer_name"].setPlaceholderText(_("empty: the specialist signs"))
        for name in ("signer_name", "signer_position"):  # who really signs (app/services/documents/executor.py)
            self.edits[name].setToolTip(_("On a team laptop the member who issues a document signs it, and outside "
                                          "a team this computer's profile («team profile») when its name is set; "
                                          "this signer prints only otherwise."))
        self.bank_edit = QPlainTextEdit(details.bank_details, fields)
        self.bank_edit.setObjectName("executor_bank_details")
        self.bank_edit.setFixedHeight(70)
        form.addRow(_(self.TITLES["bank_details"]), self.bank_edit)
        self.vat_combo = QComboBox(fields)
        self.vat_combo.setObjectName("executor_vat_rate")
        for choice in VAT_CHOICES:
            self.vat_combo.addItem(_("No VAT") if choice is None else f"{choice} %", choice)
        current = None if details.vat_rate is None else format(details.vat_rate.normalize(), "f")
        index = self.vat_combo.findData(current)
        if index < 0:
            self.vat_combo.addItem(f"{current} %", current)
            index = self.vat_combo.count() - 1
        self.vat_combo.setCurrentIndex(index)
        # a changed VAT holds from today: work before keeps its VAT (issue 10), which the form did not say (tester H)
        self.vat_combo.setToolTip(_("A changed VAT holds from today: work before today keeps the VAT it had (the "
                                    "first VAT ever set holds for all work)."))
        form.addRow(_(self.TITLES["vat_rate"]), self.vat_combo)
        self.fields_scroll = QScrollArea(self)
        self.fields_scroll.setObjectName("executorScroll")
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fields_scroll.setWidget(fields)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("executorHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet(text_style("warning"))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("executorErrors")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(text_style("error"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields_scroll, 1)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        fields.adjustSize()
        # as tall as the form when the screen has room, never taller than the screen (``fit_to_screen``)
        fit_to_screen(self, 680, fields.sizeHint().height() + 150)
        name_inputs(self)
        self._update_hint()

    def details(self):
        values: dict[str, Any] = {name: edit.text() for name, edit in self.edits.items()}
        # from the details loaded: saving the form erased the accounts, the BIK and the power of attorney it did
        # not show (a fresh tester, 2026-12-05)
        return replace(self._loaded, bank_details=self.bank_edit.toPlainText(),
                       vat_rate=self.vat_combo.currentData(), poa_date=self._poa_date()[0], **values)

    def _poa_date(self) -> tuple[date | None, str]:
        """The power of attorney's date typed, and why it cannot be read («» when it can or is empty)."""
        text = self.poa_date_edit.text().strip()
        if not text:
            return None, ""
        try:
            return typed_date(text, _(self.TITLES["poa_date"]).rstrip(":")), ""
        except UserError as exc:
            return None, exc.message

    def _update_hint(self, *_args) -> None:
        from app.services.documents import missing_executor_fields

        sender = self.sender()
        if isinstance(sender, QLineEdit) and sender.styleSheet():  # the user is correcting a marked field
            sender.setStyleSheet("")
            self.error_label.setText("")

        missing = missing_executor_fields(self.details())
        self.hint_label.setText(_("Documents cannot be printed until these are filled in: {fields}.").format(
            fields=", ".join(missing)) if missing else "")
        self.hint_label.setVisible(bool(missing))

    def save(self) -> bool:
        from app.services import documents

        details = self.details()
        errors = documents.executor_errors(details)
        unread = self._poa_date()[1]
        if unread:
            errors["poa_date"] = unread
        for name, edit in [*self.edits.items(), ("poa_date", self.poa_date_edit)]:
            edit.setStyleSheet(field_error_style() if name in errors else "")
        if errors:
            self.error_label.setText("\n".join(errors.values()))
            self._fit_errors()
            return False
        try:
            self.changes = documents.set_executor(self.db, details)
        except UserError as exc:
            self.error_label.setText(exc.full_text())
            self._fit_errors()
            return False
        self.accept()
        return True

    def _fit_errors(self) -> None:
        """Grow to show every message (several were cut under the buttons), within the screen: the fields scroll,
        the frame moves up rather than past the screen's bottom, and the first marked field is scrolled to."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        area = self.screen().availableGeometry() if self.screen() else None
        wanted = self.sizeHint().height()
        room = area.height() - 40 if area is not None and area.height() > 0 else wanted
        if wanted > self.height():
            self.resize(self.width(), max(self.height(), min(wanted, room)))
        if area is not None and self.isVisible():
            below = self.frameGeometry().bottom() - area.bottom()
            if below > 0:
                self.move(self.x(), max(area.top(), self.y() - below))
        marked = [edit for edit in (*self.edits.values(), self.poa_date_edit) if edit.styleSheet()]
        if marked:
            self.fields_scroll.ensureWidgetVisible(min(marked, key=lambda edit: edit.mapTo(self, edit.rect().topLeft()).y()))


def open_executor_settings(parent: QWidget, db):
    """Edit реквизиты исполнителя. Returns Changes or None."""
    return run_modal(ExecutorDialog(db, parent))
