"""The client form: every field of a client with its error shown beside it (the card and the new-client dialog)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.stages import APPROACH_UI, Approach
from app.errors import UserError
from app.i18n import _
from app.services import clients as client_service
from app.services.client_input import ClientInput
from ui.dialogs.date_typing import typed_date
from ui.models.card import PeopleModel
from ui.palette import field_error_style, text_style

TEXT_FIELDS = ("name", "inn", "kpp", "contract_no", "contract_date", "program_version", "manager", "city",
               "address", "signer_name", "signer_position")


@dataclass(frozen=True)
class FormState:
    """What the form holds, including a date typed but not yet valid (the contract date is read as the date fields
    read theirs: «1.4.26», «01/04/2026», «1 апреля 2026» too, ``date_typing.typed_date``)."""

    data: ClientInput
    date_text: str


def format_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


class ClientForm(QWidget):
    """The editable part of the card; also used by the new-client dialog. Invalid input stays in the
    form and is explained next to its field; nothing here writes to the database."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientForm")
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self.show_all_errors = False
        self._loading = False

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        labels = {
            "name": _("Name*"), "inn": _("INN*"), "kpp": _("KPP"), "approach": _("Approach*"),
            "manager": _("Manager"), "contract_no": _("Contract No."), "contract_date": _("Contract date"),
            "program_version": _("Program version"), "city": _("City"), "address": _("Address"),
            "signer_name": _("Signer"), "signer_position": _("Signer position"), "notes": _("Notes"),
        }
        for name in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"field_{name}")
            edit.textEdited.connect(lambda _t, n=name: self._on_edit(n))
            self.fields[name] = edit
        self.fields["inn"].setMaxLength(12)
        self.fields["inn"].setPlaceholderText(_("10 or 12 digits"))
        self.fields["kpp"].setMaxLength(9)
        self.fields["contract_date"].setPlaceholderText(_("DD.MM.YYYY"))
        self.fields["program_version"].setPlaceholderText(_("in force when the contract was signed"))
        self.approach = QComboBox(self)
        self.approach.setObjectName("field_approach")
        for approach in Approach:
            self.approach.addItem(_(APPROACH_UI[approach]), approach.value)
        self.approach.currentIndexChanged.connect(lambda _i: self._on_edit("approach"))
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("field_notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.notes.textChanged.connect(lambda: self._on_edit("notes"))

        def cell(name: str, widget: QWidget) -> QWidget:
            box = QWidget(self)
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 4)
            v.setSpacing(1)
            v.addWidget(widget)
            error = QLabel(box)
            error.setObjectName(f"error_{name}")
            error.setStyleSheet(text_style("over_budget"))
            error.setWordWrap(True)
            error.hide()
            v.addWidget(error)
            self.errors[name] = error
            return box

        def put(row: int, col: int, name: str, widget: QWidget, span: int = 1) -> None:
            label = QLabel(labels[name], self)
            label.setBuddy(widget)
            grid.addWidget(label, row, col, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(cell(name, widget), row, col + 1, 1, span, Qt.AlignmentFlag.AlignTop)

        put(0, 0, "name", self.fields["name"], 3)
        put(1, 0, "inn", self.fields["inn"])
        put(1, 2, "kpp", self.fields["kpp"])
        put(2, 0, "approach", self.approach)
        put(2, 2, "manager", self.fields["manager"])
        put(3, 0, "contract_no", self.fields["contract_no"])
        put(3, 2, "contract_date", self.fields["contract_date"])
        put(4, 0, "program_version", self.fields["program_version"])
        put(4, 2, "city", self.fields["city"])
        put(5, 0, "address", self.fields["address"], 3)
        put(6, 0, "signer_name", self.fields["signer_name"])
        put(6, 2, "signer_position", self.fields["signer_position"])
        put(7, 0, "notes", self.notes, 3)

        self.contacts = PeopleModel(with_department=False, parent=self)
        self.employees = PeopleModel(with_department=True, parent=self)
        contacts_box, self.contacts_view = self._people_box(_("Contacts"), self.contacts, "contacts")
        staff_box, self.employees_view = self._people_box(_("Client staff"), self.employees, "employees")
        self.contacts.edited.connect(lambda: self._on_edit("contacts"))
        self.employees.edited.connect(lambda: self._on_edit("employees"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(contacts_box)
        layout.addWidget(staff_box)

    def _people_box(self, title: str, model: PeopleModel, name: str) -> tuple[QGroupBox, QTableView]:
        box = QGroupBox(title, self)
        view = QTableView(box)
        view.setObjectName(f"{name}Table")
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        row = view.verticalHeader().defaultSectionSize()
        view.setMinimumHeight(row * 6 + 6)  # header + five rows
        view.setMaximumHeight(row * 9 + 6)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        add = QPushButton(_("Add"), box)
        add.setObjectName(f"{name}Add")
        remove = QPushButton(_("Remove"), box)
        remove.setObjectName(f"{name}Remove")

        def add_row() -> None:
            index = model.add_person()
            view.setCurrentIndex(index)
            view.edit(index)

        def remove_row() -> None:
            rows = sorted({i.row() for i in view.selectionModel().selectedRows()} or
                          ({view.currentIndex().row()} if view.currentIndex().isValid() else set()), reverse=True)
            for row in rows:
                model.remove_person(row)

        add.clicked.connect(add_row)
        remove.clicked.connect(remove_row)
        error = QLabel(box)
        error.setObjectName(f"error_{name}")
        error.setStyleSheet(text_style("over_budget"))
        error.setWordWrap(True)
        error.hide()
        self.errors[name] = error
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        line = QHBoxLayout()
        line.addWidget(view, 1)
        line.addLayout(buttons)
        v = QVBoxLayout(box)
        v.addLayout(line)
        v.addWidget(error)
        return box, view

    # ------------------------------------------------------------ values

    def set_state(self, state: FormState, validate: bool = True) -> None:
        """Show ``state`` with no error visible; ``validate=False`` (an empty, disabled form): not even checked."""
        self._loading = True
        try:
            data = state.data
            for name in TEXT_FIELDS:
                if name == "contract_date":
                    self.fields[name].setText(state.date_text)
                else:
                    self.fields[name].setText(getattr(data, name) or "")
            index = self.approach.findData(data.approach)
            self.approach.setCurrentIndex(index if index >= 0 else 0)
            self.notes.setPlainText(data.notes or "")
            self.contacts.set_people(data.contacts)
            self.employees.set_people(data.employees)
        finally:
            self._loading = False
        self.touched.clear()
        self.show_all_errors = False
        if validate:
            self.show_errors()
            return
        for name, label in self.errors.items():
            label.setText("")
            label.setVisible(False)
            widget = self.fields.get(name)
            if widget is not None:
                widget.setStyleSheet("")

    def take_stored(self, base: Mapping[str, object], stored: ClientInput) -> dict[str, object]:
        """Put into each field the user has not changed since the form was filled from ``base`` (the card's fields
        then, ``edit_undo.Base.values``) the value ``stored`` holds now, when it differs; the fields the user changed
        keep their text, and a field's cursor stays where it was. The contacts and the staff likewise person by
        person (not while a cell of theirs is being edited). Returns the base's keys taken with their stored values
        (None: a person gone). The card showed a КПП another program saved meanwhile only after its own save (r13)."""
        taken: dict[str, object] = {}
        self._loading = True
        try:
            for name in client_service.CARD_FIELDS:
                old, new = _shown(name, base.get(name)), _shown(name, getattr(stored, name))
                if old == new or self._shown_now(name) != old:
                    continue
                self._show(name, new)
                taken[name] = getattr(stored, name)
            for group, model, view, people in (("contact", self.contacts, self.contacts_view, stored.contacts),
                                               ("employee", self.employees, self.employees_view, stored.employees)):
                if view.state() == QAbstractItemView.State.EditingState:
                    continue
                mine = {key.partition(":")[2]: value for key, value in base.items() if key.startswith(group + ":")}
                people_taken = model.take_stored(mine, people)  # type: ignore[arg-type]
                taken.update({f"{group}:{uuid}": cells for uuid, cells in people_taken.items()})
        finally:
            self._loading = False
        if taken:
            self.show_errors()
        return taken

    def _shown_now(self, name: str) -> object:
        if name == "approach":
            return self.approach.currentData()
        if name == "notes":
            return self.notes.toPlainText()
        return self.fields[name].text()

    def _show(self, name: str, value: object) -> None:
        """Show ``value`` in the field ``name`` without moving its cursor further than the new text's end."""
        if name == "approach":
            index = self.approach.findData(value)
            self.approach.setCurrentIndex(index if index >= 0 else 0)
        elif name == "notes":
            position = self.notes.textCursor().position()
            self.notes.setPlainText(str(value))
            cursor = self.notes.textCursor()
            cursor.setPosition(min(position, len(str(value))))
            self.notes.setTextCursor(cursor)
        else:
            edit = self.fields[name]
            position = edit.cursorPosition()
            edit.setText(str(value))
            edit.setCursorPosition(min(position, len(str(value))))

    def set_data(self, data: ClientInput) -> None:
        self.set_state(FormState(data, format_date(data.contract_date)))

    def state(self) -> FormState:
        date_text = self.fields["contract_date"].text().strip()
        parsed = None
        if date_text:
            try:
                parsed = typed_date(date_text, _("Contract date"))
            except UserError:
                parsed = None
        data = ClientInput(
            name=self.fields["name"].text(), inn=self.fields["inn"].text().strip(),
            approach=self.approach.currentData() or "", kpp=self.fields["kpp"].text().strip(),
            contract_no=self.fields["contract_no"].text(), contract_date=parsed,
            program_version=self.fields["program_version"].text(), manager=self.fields["manager"].text(),
            address=self.fields["address"].text(), city=self.fields["city"].text(),
            signer_name=self.fields["signer_name"].text(), signer_position=self.fields["signer_position"].text(),
            notes=self.notes.toPlainText(), contacts=self.contacts.people(), employees=self.employees.people(),
        )
        return FormState(data, date_text)

    def value(self) -> ClientInput:
        return self.state().data

    def validation_errors(self) -> dict[str, str]:
        """Per-field messages for what is in the form now (including a date that does not parse)."""
        state = self.state()
        errors = client_service.field_errors(state.data)
        if state.date_text and state.data.contract_date is None:
            try:
                typed_date(state.date_text, _("Contract date"))
            except UserError as exc:
                errors["contract_date"] = exc.message
        for kind in ("contacts", "employees"):
            rows = [message for key, message in errors.items() if key.startswith(f"{kind}[")]
            if rows:
                errors[kind] = "\n".join(rows)
        return errors

    def show_errors(self) -> dict[str, str]:
        errors = self.validation_errors()
        for name, label in self.errors.items():
            message = errors.get(name)
            visible = bool(message) and (self.show_all_errors or name in self.touched)
            label.setText(message or "")
            label.setVisible(visible)
            widget = self.fields.get(name)
            if widget is not None:
                widget.setStyleSheet(field_error_style() if visible else "")
        return errors

    def reveal_errors(self) -> dict[str, str]:
        """After a save attempt: show every problem, focus the first bad field."""
        self.show_all_errors = True
        errors = self.show_errors()
        for name in (*TEXT_FIELDS, "contacts", "employees"):
            if name in errors:
                widget = self.fields.get(name) or (self.contacts_view if name == "contacts" else self.employees_view)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                break
        return errors

    def _on_edit(self, name: str) -> None:
        if self._loading:
            return
        self.touched.add(name)
        self.show_errors()
        self.edited.emit()


def _shown(name: str, value: object) -> object:
    """A card field's stored ``value`` as the form shows it (``ClientForm.set_state``)."""
    if name == "approach":
        return value
    if name == "contract_date":
        return format_date(value) if isinstance(value, date) else ""
    return str(value or "")


def empty_input() -> ClientInput:
    return replace(ClientInput(name="", inn="", approach=Approach.ACCOMPANIED.value))
