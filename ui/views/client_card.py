"""Client card: an editable form with validation next to each field, contacts, staff and stage history."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.stages import APPROACH_UI, Approach
from app.domain.validation import parse_date
from app.errors import UserError
from app.i18n import _
from app.services import clients as client_service
from app.services.changes import Changes
from app.services.clients import ClientDetails, ClientInput
from ui.models.card import HistoryModel, PeopleModel
from ui.ops import Ops
from ui.palette import banner_style, field_error_style, text_style
from ui.undo import UndoStep
from ui.views.budget_view import BudgetBox

TEXT_FIELDS = ("name", "inn", "kpp", "contract_no", "contract_date", "program_version", "manager", "city",
               "address", "signer_name", "signer_position")


@dataclass(frozen=True)
class FormState:
    """What the form holds, including a date typed but not yet valid."""

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
        row = QHBoxLayout()
        row.addWidget(view, 1)
        row.addLayout(buttons)
        v = QVBoxLayout(box)
        v.addLayout(row)
        v.addWidget(error)
        return box, view

    # ------------------------------------------------------------ values

    def set_state(self, state: FormState) -> None:
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
        self.show_errors()

    def set_data(self, data: ClientInput) -> None:
        self.set_state(FormState(data, format_date(data.contract_date)))

    def state(self) -> FormState:
        date_text = self.fields["contract_date"].text().strip()
        parsed = None
        if date_text:
            try:
                parsed = parse_date(date_text, _("Contract date"))
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
                parse_date(state.date_text, _("Contract date"))
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


class ClientCard(QWidget):
    """The selected client's card: form, stage history, Save (one transaction) and Revert.
    Unsaved edits of a client are kept as a draft when another client is selected."""

    dirty_changed = Signal(bool)
    draft_kept = Signal(str)  # name of the client whose unsaved edits were kept
    print_signoff_requested = Signal(int)  # client id: print the sign-off sheet of its current stage

    def __init__(self, db, parent: QWidget | None = None, ops: Ops | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientCard")
        self.db = db
        self.ops = ops if ops is not None else Ops(db, self)
        if ops is None:  # on its own (tests, a dialog): it hears its own runner; in the window the work area calls
            self.ops.changed.connect(self.on_changes)
        self.client_id: int | None = None
        self.details: ClientDetails | None = None
        self.drafts: dict[int, FormState] = {}
        self._loaded: FormState | None = None
        self._dirty = False

        self.form = ClientForm(self)
        self.form.edited.connect(self._update_dirty)
        self.history = HistoryModel(self)
        self.history_view = QTableView(self)
        self.history_view.setObjectName("stageHistory")
        self.history_view.setModel(self.history)
        self.history_view.verticalHeader().hide()
        self.history_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_view.horizontalHeader().setStretchLastSection(True)
        self.history_view.setMinimumHeight(self.fontMetrics().height() * 6)
        history_box = QGroupBox(_("Stage history"), self)
        QVBoxLayout(history_box).addWidget(self.history_view)

        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        self.budget_box = BudgetBox(self)  # filled by the window from the budgets it already holds
        content_layout.addWidget(self.budget_box)
        content_layout.addWidget(self.form)
        content_layout.addWidget(history_box)
        content_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)

        self.banner = QLabel(self)
        self.banner.setObjectName("cardBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(banner_style("error"))
        self.banner.hide()
        self.status = QLabel(self)
        self.status.setStyleSheet(text_style("muted"))
        self.save_button = QPushButton(_("Save"), self)
        self.save_button.setObjectName("cardSave")
        self.save_button.setToolTip(_("Save the card (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.revert_button = QPushButton(_("Revert"), self)
        self.revert_button.setObjectName("cardRevert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.signoff_button = QPushButton(_("Print stage act"), self)
        self.signoff_button.setObjectName("cardPrintSignoff")
        self.signoff_button.setToolTip(_("Preview and print the stage sign-off sheet"))
        self.signoff_button.clicked.connect(self._request_signoff)
        buttons = QHBoxLayout()
        buttons.addWidget(self.signoff_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.set_client(None)

    # ------------------------------------------------------------ loading

    def is_dirty(self) -> bool:
        return self._dirty

    def set_client(self, client_id: int | None) -> None:
        """Show another client; unsaved edits of the previous one are kept as its draft."""
        if client_id is not None and client_id == self.client_id:
            self.reload()
            return
        if self.client_id is not None and self._dirty and client_id != self.client_id:
            self.drafts[self.client_id] = self.form.state()
            self.draft_kept.emit(self.details.data.name if self.details else str(self.client_id))
        self.client_id = client_id
        self.banner.hide()
        self._load(keep_form=False)

    def reload(self) -> None:
        """The client changed elsewhere: refresh history and, unless the user is editing, the fields."""
        self._load(keep_form=self._dirty)

    def _load(self, keep_form: bool) -> None:
        enabled = self.client_id is not None
        self.setEnabled(enabled)
        if not enabled:
            self.details = None
            self._loaded = None
            self.form.set_data(client_service.ClientInput(name="", inn="", approach="accompanied"))
            self.history.set_rows([])
            self._set_dirty(False)
            self.status.setText(_("Select a client in the list or on the board."))
            return
        try:
            self.details = client_service.get_client(self.db, self.client_id)
        except UserError:
            self.client_id = None
            self._load(keep_form=False)
            return
        self._loaded = FormState(self.details.data, format_date(self.details.data.contract_date))
        self.signoff_button.setEnabled(self.details.stage > 0)  # stage 0 has nothing to sign off
        self.history.set_rows(self.details.history)
        if not keep_form:
            draft = self.drafts.pop(self.client_id, None)
            self.form.set_state(draft or self._loaded)
            if draft is not None:
                self.form.show_all_errors = True
                self.form.show_errors()
        self._update_dirty()

    def _request_signoff(self) -> None:
        if self.client_id is not None:
            self.print_signoff_requested.emit(self.client_id)

    # ------------------------------------------------------------ saving

    def _update_dirty(self) -> None:
        self._set_dirty(self._loaded is not None and self.form.state() != self._loaded)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        if self.client_id is not None:
            self.status.setText(_("Unsaved changes") if dirty else _("All changes saved"))

    def save(self) -> Changes | None:
        """Validate; save in one transaction when valid; otherwise keep the input and explain."""
        if self.client_id is None or not self._dirty:
            return None
        errors = self.form.reveal_errors()
        if errors:
            self.banner.setText(_("Not saved: correct the fields marked in red."))
            self.banner.show()
            return None
        db, client_id, new = self.db, self.client_id, self.form.value()
        old = self.details.data if self.details is not None else None
        step = None if old is None else UndoStep(
            _("editing the card"), lambda: client_service.update_client(db, client_id, new),
            lambda: client_service.update_client(db, client_id, old))
        self.banner.hide()
        return self.ops.run(lambda: client_service.update_client(db, client_id, new), initiator=self, undo=step,
                            on_error=self._refused)

    def _refused(self, exc: UserError) -> None:
        self.banner.setText(_("Not saved: {error}").format(error=exc.full_text()))
        self.banner.show()

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """Re-read the shown client: after our own save the form shows what was stored; after a change
        elsewhere the history and, unless the user is editing, the fields."""
        self._load(keep_form=initiator is not self and self._dirty)

    def revert(self) -> None:
        if self._loaded is not None:
            self.form.set_state(self._loaded)
            self.banner.hide()
            self._update_dirty()

    def discard_drafts(self) -> None:
        self.drafts.clear()

    def unsaved_clients(self) -> list[int]:
        ids = list(self.drafts)
        if self._dirty and self.client_id is not None:
            ids.append(self.client_id)
        return ids

    def set_budget(self, budget) -> None:
        """Estimate against actual of the shown client (a BudgetSummary, or None while not known)."""
        self.budget_box.set_budget(budget if budget is not None and budget.client_id == self.client_id else None)

    def forget(self, client_id: int) -> None:
        """The client was deleted: drop its draft."""
        self.drafts.pop(client_id, None)
        if self.client_id == client_id:
            self._dirty = False
            self.set_client(None)


def empty_input() -> ClientInput:
    return replace(ClientInput(name="", inn="", approach=Approach.ACCOMPANIED.value))
