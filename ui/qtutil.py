"""Small Qt helpers shared by views and dialogs: dates, dialog sizes, accessible names (the date field itself:
ui.dialogs.date_field)."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QSize
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _

PROGRAM_TITLE = N_("Vnedrenie — ASU «Management» rollout")  # the main window's and the program's boxes' title


def program_title() -> str:
    """The title of the main window, the program's boxes and progress dialogs, in the interface's language (it
    stayed Russian in English: tester O, round 11)."""
    return _(PROGRAM_TITLE)


def one_line(text: str) -> str:
    """The text of a multi-line box whose field keeps one line (an event's note, a question, an answer): its lines
    and tab-separated cells joined by single spaces. The box wraps a long text and takes a pasted e-mail; saving refused any line break
    («должно быть в одну строку»: a fresh tester, 2026-12-05)."""
    # line breaks and tabs (a table pasted) become one space; a no-break space of a sum («1 500 ₽») and the
    # user's own spaces stay (str.split() took them too)
    return re.sub(r"[ \t]*[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+[ \t]*", " ", text).strip(" ")


def after_colon(text: str) -> str:
    """A sentence put after «…: »: its first letter small unless the word is an abbreviation («Не сохранено:
    Заказчик с ИНН …» had a capital after the colon, tester O; «ИНН …» stays)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def to_qdate(value: date) -> QDate:
    """A Python date as QDate."""
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    """A QDate as a Python date."""
    return date(value.year(), value.month(), value.day())


def available_size(widget: QWidget | None = None) -> QSize:
    """The available geometry of the widget's screen (or the primary one); 1366×728 when unknown."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QApplication.primaryScreen()
    if screen is None or screen.availableGeometry().width() <= 0:
        return QSize(1366, 728)
    return screen.availableGeometry().size()


def fit_to_screen(dialog: QWidget, width: int, height: int, margin: int = 40) -> None:
    """Resize ``dialog`` to width×height but never past the available screen area (minus ``margin``)."""
    area = available_size(dialog)
    dialog.resize(min(width, area.width() - margin), min(height, area.height() - margin))


# inputs with neither a label nor a placeholder, by object name: what a screen reader says (not the object name)
ACCESSIBLE_NAMES = {
    "approachFilter": N_("Filter by approach"), "stageFilter": N_("Filter by stage"),
    "calculatorApproach": N_("Approach"), "calculatorDate": N_("Estimate date"),
    "calculatorBreakdown": N_("Cost breakdown"), "calculatorComparison": N_("Comparison of approaches"),
    "workLogEntryKind": N_("Kind of work"), "workLogKindFilter": N_("Filter by kind of work"),
    "workLogPeriod": N_("Period"), "workLogFrom": N_("Period from"), "workLogTo": N_("Period to"),
    "workLogEntryDate": N_("Date of work"), "workLogEntryValue": N_("Time or amount"), "workLogTimer": N_("Timer"),
    "workLogTable": N_("Work log"), "auditHistory": N_("Change history"), "clientList": N_("Client list"),
    "contactsTable": N_("Contacts"), "employeesTable": N_("Employees"), "stageHistory": N_("Stage history"),
    "lessonChecklist": N_("Lessons"), "stageChecklist": N_("Stage checklist"),
}


def name_inputs(root: QWidget) -> int:
    """Give every input under ``root`` without an accessible name the text of its label (buddy or form row)
    or its placeholder/tool tip; returns how many were named."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QFormLayout,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    labels: dict[int, str] = {}
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None:
            labels[id(buddy)] = label.text()
    for layout in root.findChildren(QFormLayout):
        for row in range(layout.rowCount()):
            label_item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label_item is None or field_item is None:
                continue
            label_widget, field = label_item.widget(), field_item.widget()
            if isinstance(label_widget, QLabel) and field is not None:
                labels.setdefault(id(field), label_widget.text())
    named = 0
    kinds = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit, QAbstractItemView, QAbstractButton)
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or widget.accessibleName():
            continue
        text = labels.get(id(widget)) or ""
        if not text and isinstance(widget, QLineEdit):
            text = widget.placeholderText()
        if not text and isinstance(widget, QAbstractButton):
            text = widget.text()
        text = text or widget.toolTip() or _(ACCESSIBLE_NAMES.get(widget.objectName(), ""))
        text = text.replace("&", "").rstrip(":").strip()
        if text:
            widget.setAccessibleName(text)
            named += 1
    return named


def form_dialog_body(dialog: QDialog, form: QLayout, error: QWidget, *, save: bool = True,
                     header: QWidget | None = None) -> QDialogButtonBox:
    """The usual dialog body: an optional header, the form, its error line, Save (or OK) and Cancel (a dialog with a
    form is a ui.dialogs.form_dialog.FormDialog: Esc asks before throwing typed data away)."""
    ok = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
    buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    if header is not None:
        layout.addWidget(header)
    layout.addLayout(form)
    layout.addWidget(error)
    layout.addWidget(buttons)
    return buttons


def typed_choice(combo) -> None:
    """Make ``combo`` (a QComboBox of names) editable and find an item by any part of its name, case aside: every
    client's name starts with «ООО «», so the list's type-ahead reached the wrong client (tester K, 2026-12-05).
    A typed text naming no item is the caller's to refuse."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QCompleter

    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    found = QCompleter(combo.model(), combo)
    found.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    found.setFilterMode(Qt.MatchFlag.MatchContains)
    found.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(found)
