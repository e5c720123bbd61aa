"""Cost calculator view (objectName ``costCalculator``): live estimate, USD, comparison, save and print.

Writes go through the window's operations runner; the view re-reads in ``on_changes`` only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.pricing import ESTIMATE_FIELDS, Comparison, EstimateInput, Quote, parse_decimal
from app.domain.stages import APPROACH_UI, Approach
from app.errors import UserError
from app.i18n import _, format_date, format_money, format_number
from app.services.changes import Changes, requires_estimate, requires_pricing
from ui.models.quote import ComparisonModel, QuoteModel
from ui.models.rows import RowsTableModel
from ui.ops import Ops
from ui.palette import text_style
from ui.qtutil import date_edit, from_qdate, to_qdate

if TYPE_CHECKING:
    from app.services.estimates import PricingContext

_NUMBER = r"^\s*\d{0,9}([.,]\d{0,2})?\s*$"


class CostCalculator(QWidget):
    """Interface the main window relies on: (db, parent, ops), set_client(id|None), on_changes(changes, initiator).

    ``print_document(parent, db, client_id)``: opens the estimate preview and returns its Changes (given by
    the window; None disables «Print»)."""

    def __init__(self, db, parent: QWidget | None = None, ops: Ops | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("costCalculator")
        self.db = db
        self.ops = ops if ops is not None else Ops(db, self)
        if ops is None:  # on its own (tests, a dialog): it hears its own runner; in the window the work area calls
            self.ops.changed.connect(self.on_changes)
        self.print_document: Callable[[QWidget, object, int], Changes | None] | None = None
        self.client_id: int | None = None
        self.client_name = ""
        self._context: PricingContext | None = None
        self._quote: Quote | None = None
        self._comparison: Comparison | None = None
        self._saved_state: tuple | None = None
        self._loading = False
        self._build()
        self._recompute()

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.clientLabel = QLabel(self)
        self.clientLabel.setObjectName("calculatorClient")
        font = self.clientLabel.font()
        font.setBold(True)
        self.clientLabel.setFont(font)
        top.addWidget(self.clientLabel, 1)
        top.addWidget(QLabel(_("Approach:"), self))
        self.approachCombo = QComboBox(self)
        self.approachCombo.setObjectName("calculatorApproach")
        for approach in (Approach.REMOTE, Approach.ONSITE, Approach.ACCOMPANIED):
            self.approachCombo.addItem(_(APPROACH_UI[approach]), approach.value)
        top.addWidget(self.approachCombo)
        top.addWidget(QLabel(_("Tariffs as of:"), self))
        self.onDate = date_edit(self, "calculatorDate")
        top.addWidget(self.onDate)
        root.addLayout(top)

        middle = QHBoxLayout()
        work = QGroupBox(_("Work"), self)
        form = QFormLayout(work)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.inputs: dict[str, QLineEdit] = {}
        validator = QRegularExpressionValidator(_NUMBER)
        for name, (label, _cap) in ESTIMATE_FIELDS.items():
            edit = QLineEdit(self)
            edit.setObjectName(f"calc_{name}")
            edit.setValidator(validator)
            edit.setPlaceholderText("0")
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(140)
            self.inputs[name] = edit
            form.addRow(_(label) + ":", edit)
        self.hoursPerDay = QLineEdit(self)
        self.hoursPerDay.setObjectName("calc_hours_per_day")
        self.hoursPerDay.setValidator(QRegularExpressionValidator(r"^\s*\d{0,2}([.,]\d{0,2})?\s*$"))
        self.hoursPerDay.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.hoursPerDay.setMaximumWidth(140)
        self.hoursPerDay.setToolTip(_("Hours of work in one on-site day, used to compare the approaches"))
        form.addRow(_("Hours per on-site day:"), self.hoursPerDay)
        work.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        middle.addWidget(work)

        breakdown = QGroupBox(_("Breakdown"), self)
        bl = QVBoxLayout(breakdown)
        self.quoteModel = QuoteModel(self)
        self.quoteView = self._table(self.quoteModel, "calculatorBreakdown")
        self.quoteView.horizontalHeader().setSectionResizeMode(QuoteModel.COL_LABEL, QHeaderView.ResizeMode.Stretch)
        bl.addWidget(self.quoteView, 1)
        self.totalLabel = QLabel(self)
        self.totalLabel.setObjectName("calculatorTotal")
        big = self.totalLabel.font()
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.2)
        self.totalLabel.setFont(big)
        self.vatLabel = QLabel(self)
        self.vatLabel.setObjectName("calculatorVat")
        self.usdLabel = QLabel(self)
        self.usdLabel.setObjectName("calculatorUsd")
        self.usdLabel.setWordWrap(True)
        for figure in (self.totalLabel, self.vatLabel, self.usdLabel):
            figure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            bl.addWidget(figure)
        middle.addWidget(breakdown, 1)
        root.addLayout(middle, 3)

        compare = QGroupBox(_("Comparison for the same work"), self)
        cl = QHBoxLayout(compare)
        self.comparisonModel = ComparisonModel(self)
        self.comparisonView = self._table(self.comparisonModel, "calculatorComparison")
        self.comparisonView.horizontalHeader().setSectionResizeMode(ComparisonModel.COL_APPROACH,
                                                                    QHeaderView.ResizeMode.Stretch)
        cl.addWidget(self.comparisonView, 5)
        self.reasonsLabel = QLabel(self)
        self.reasonsLabel.setObjectName("calculatorReasons")
        self.reasonsLabel.setWordWrap(True)
        self.reasonsLabel.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.reasonsLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cl.addWidget(self.reasonsLabel, 4)
        root.addWidget(compare, 2)

        bottom = QHBoxLayout()
        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("calculatorMessage")
        self.messageLabel.setWordWrap(True)
        bottom.addWidget(self.messageLabel, 1)
        self.saveButton = QPushButton(_("Save as the client's estimate"), self)
        self.saveButton.setObjectName("calculatorSave")
        self.printButton = QPushButton(_("Print estimate…"), self)
        self.printButton.setObjectName("calculatorPrint")
        self.printButton.setToolTip(_("Saves the figures as the client's estimate first when they changed"))
        bottom.addWidget(self.saveButton)
        bottom.addWidget(self.printButton)
        root.addLayout(bottom)

        self.approachCombo.currentIndexChanged.connect(self._recompute)
        self.onDate.dateChanged.connect(self._recompute)
        for edit in self.inputs.values():
            edit.textChanged.connect(self._recompute)
        self.hoursPerDay.textChanged.connect(self._recompute)
        self.hoursPerDay.editingFinished.connect(self._store_hours_per_day)
        self.saveButton.clicked.connect(self.save)
        self.printButton.clicked.connect(self.print_estimate)

    def _table(self, model: RowsTableModel, name: str) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.verticalHeader().hide()
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.setMinimumHeight(110)
        return view

    # ---------------------------------------------------------------- data

    @property
    def context(self):
        if self._context is None:
            from app.services.estimates import pricing_context

            self._context = pricing_context(self.db)
            if not self.hoursPerDay.text():
                self._loading = True
                self.hoursPerDay.setText(format_number(self._context.hours_per_day))
                self._loading = False
        return self._context

    def approach(self) -> str:
        return str(self.approachCombo.currentData())

    def set_approach(self, approach: str) -> None:
        index = self.approachCombo.findData(approach)
        if index >= 0:
            self.approachCombo.setCurrentIndex(index)

    def on_date(self) -> date:
        return from_qdate(self.onDate.date())

    def input_data(self) -> EstimateInput:
        """The typed figures (UserError when one is not a number)."""
        values = {name: parse_decimal(edit.text(), _(ESTIMATE_FIELDS[name][0]))
                  for name, edit in self.inputs.items()}
        return EstimateInput(**values)

    def set_input(self, data: EstimateInput) -> None:
        self._loading = True
        try:
            for name, edit in self.inputs.items():
                value: Decimal = getattr(data, name)
                edit.setText("" if not value else format_number(value).replace(" ", ""))
        finally:
            self._loading = False
        self._recompute()

    def _hours_per_day(self) -> Decimal | None:
        text = self.hoursPerDay.text().strip()
        return parse_decimal(text, _("Hours per on-site day")) if text else None

    def _state(self) -> tuple:
        return (self.approach(), self.on_date(), tuple(e.text().strip() for e in self.inputs.values()))

    @property
    def dirty(self) -> bool:
        return self._state() != self._saved_state

    def _recompute(self, *_args) -> None:
        if self._loading:
            return
        self._quote, self._comparison = None, None
        error = ""
        try:
            data = self.input_data()
            self._quote = self.context.quote(self.approach(), data, self.on_date())
            self._comparison = self.context.compare(data, self.on_date(), self._hours_per_day())
        except UserError as exc:
            error = exc.message
        self.quoteModel.set_quote(self._quote)
        self.comparisonModel.set_comparison(self._comparison)
        quote = self._quote
        if quote is not None:
            hours = quote.hours
            extra = _(" for {hours} h").format(hours=format_number(hours)) if hours else ""
            self.totalLabel.setText(_("Total: {total}").format(total=format_money(quote.total)) + extra)
            self.vatLabel.setText(quote.vat_ui)
            self.usdLabel.setText(_("≈ {usd} at {rate} per 1 USD as of {date}").format(
                usd=format_money(quote.total_usd, "USD"), rate=format_money(quote.usd_rate),
                date=format_date(quote.usd_date, "short")))
        else:
            self.totalLabel.setText(_("Total: —"))
            self.vatLabel.clear()
            self.usdLabel.clear()
        self.reasonsLabel.setText("\n".join(f"• {r}" for r in self._comparison.reasons) if self._comparison else "")
        self._show_message(error, error=bool(error))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_client = self.client_id is not None
        ok = self._quote is not None
        self.saveButton.setEnabled(has_client and ok)
        self.printButton.setEnabled(has_client and ok and self.print_document is not None)

    def _show_message(self, text: str, error: bool = False) -> None:
        self.messageLabel.setText(text)
        self.messageLabel.setStyleSheet(text_style("error" if error else "success"))

    def quote(self) -> Quote | None:
        return self._quote

    def comparison(self) -> Comparison | None:
        return self._comparison

    # ---------------------------------------------------------------- actions

    def _store_hours_per_day(self) -> None:
        if self._loading:
            return
        try:
            value = self._hours_per_day()
            if value is None or value == self.context.hours_per_day:
                return
        except UserError as exc:
            self._show_message(exc.message, error=True)
            return
        from app.services.estimates import set_hours_per_day

        self._run(lambda: set_hours_per_day(self.db, value))

    def _run(self, action):
        return self.ops.run(action, initiator=self, on_error=lambda exc: self._show_message(exc.message, error=True))

    def save(self):
        """Save the current figures as the client's estimate; returns the Changes (None when refused)."""
        if self.client_id is None:
            return None
        from app.services.estimates import save_estimate

        client_id, state = self.client_id, self._state()
        try:
            data = self.input_data()
        except UserError as exc:
            self._show_message(exc.message, error=True)
            return None
        changes = self._run(lambda: save_estimate(self.db, client_id, self.approach(), data, self.on_date()))
        if changes is not None:
            self._saved_state = state
            self._show_message(_("Saved as the estimate of «{name}».").format(name=self.client_name))
        return changes

    def print_estimate(self) -> None:
        """Save changed figures first, then open the estimate preview the window provides."""
        if self.print_document is None or self.client_id is None:
            return
        if self.dirty and self.save() is None:
            return
        self.ops.announce(self.print_document(self, self.db, self.client_id), self)

    # ---------------------------------------------------------------- interface for the main window

    def set_client(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.client_name = ""
        self._saved_state = None
        if client_id is None:
            self.clientLabel.setText(_("No client selected"))
            self._show_message("")
            self._update_buttons()
            return
        from app.services.estimates import estimate_start

        start = estimate_start(self.db, client_id)
        saved = start.saved
        self.client_name = start.client_name
        self.clientLabel.setText(self.client_name)
        self._loading = True
        try:
            if saved is not None:
                self.set_approach(saved.approach)
                self.onDate.setDate(to_qdate(saved.on_date))
            else:
                self.set_approach(start.approach)
        finally:
            self._loading = False
        self.set_input(saved.input if saved is not None else EstimateInput())
        self._saved_state = self._state() if saved is not None else None
        if saved is not None:
            self._show_message(_("Estimate saved on {date}: {total}.").format(
                date=format_date(saved.saved_at.date(), "short"), total=format_money(saved.total)))

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """Pricing settings → recompute; the shown client's estimate saved elsewhere → reload it (unless
        the user is editing)."""
        client_id = self.client_id
        if requires_estimate(changes, client_id) and initiator is not self and not self.dirty:
            self._context = None
            self.set_client(client_id)
            return
        if requires_pricing(changes):
            self._context = None
            if changes.settings:
                self.hoursPerDay.clear()
            self._recompute()

    def show_client_name(self, name: str) -> None:
        """The shown client was renamed (the work area knows the new name from its rows)."""
        if self.client_id is not None and name != self.client_name:
            self.client_name = name
            self.clientLabel.setText(name)
