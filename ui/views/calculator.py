"""Cost calculator view (objectName ``costCalculator``): live estimate, USD, comparison, save and print.

Writes go through the window's operations runner; the view re-reads in ``on_changes`` only."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.comparison import Comparison
from app.domain.estimate import ESTIMATE_FIELDS, EstimateInput
from app.domain.pricing import Quote
from app.domain.quotes import in_quotes
from app.domain.stages import APPROACH_UI, Approach
from app.errors import UserError
from app.i18n import _, format_date, format_money
from app.services.changes import Changes, requires_estimate, requires_pricing
from ui.dialogs.date_field import date_edit
from ui.dialogs.date_refusals import refusal, say_refusals
from ui.models.quote import ComparisonModel, QuoteModel
from ui.models.rows import RowsTableModel
from ui.ops import Ops
from ui.palette import banner_style, text_style
from ui.qtutil import to_qdate
from ui.views.calculator_quote import CalculatorQuote

if TYPE_CHECKING:
    from app.services.estimates import PricingContext


class CostCalculator(CalculatorQuote):
    """Interface the main window relies on: (db, parent, ops), set_client(id|None), on_changes(changes, initiator).

    ``print_document(parent, db, client_id)``: opens the estimate preview and returns its Changes (given by
    the window; None disables «Print»)."""

    def __init__(self, db, parent: QWidget | None = None, ops: Ops | None = None, *, compute_now: bool = True) -> None:
        """``compute_now=False`` (the window's background tab): the first quote is computed when the calculator is
        first shown (pricing context read and priced: ~27 ms of the start-up's UI thread before)."""
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
        self._pending = ""  # what on_changes asked for while hidden: "estimate", "pricing" or nothing
        self._refused = ""  # set_client's refusal, said until another client is chosen
        self._quote: Quote | None = None
        self._comparison: Comparison | None = None
        self._saved_state: tuple | None = None
        self._loading = False
        self._build()
        if compute_now:
            self._recompute()
        else:
            self._pending = "pricing"
            self._reloader().stale = True  # reload() computes it on the first Show

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        # The figures live in a scroll area: on a laptop's 768 px, with the dock open, the tab is shorter than
        # the tables and totals need, and a squeezed layout drew «Итого» over the breakdown's last row.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # why the chosen client's estimate cannot be read, above the scroll: the message line sits below the fold
        self.banner = QLabel(self)
        self.banner.setObjectName("calculatorBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(banner_style("error"))
        self.banner.hide()
        outer.addWidget(self.banner)
        scroll = QScrollArea(self)
        scroll.setObjectName("calculatorScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        root = QVBoxLayout(body)
        top = QHBoxLayout()
        self.client_label = QLabel(self)
        self.client_label.setObjectName("calculatorClient")
        font = self.client_label.font()
        font.setBold(True)
        self.client_label.setFont(font)
        top.addWidget(self.client_label, 1)
        top.addWidget(QLabel(_("Approach:"), self))
        self.approach_combo = QComboBox(self)
        self.approach_combo.setObjectName("calculatorApproach")
        for approach in (Approach.REMOTE, Approach.ONSITE, Approach.ACCOMPANIED):
            self.approach_combo.addItem(_(APPROACH_UI[approach]), approach.value)
        top.addWidget(self.approach_combo)
        top.addWidget(QLabel(_("Tariffs as of:"), self))
        self.tariff_date = date_edit(self, "calculatorDate")
        top.addWidget(self.tariff_date)
        root.addLayout(top)

        middle = QHBoxLayout()
        work = QGroupBox(_("Work"), self)
        form = QFormLayout(work)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # No validator on these fields: one swallowed the third decimal key («1,005» stayed «1,00», priced as 1 h)
        # and emptied a pasted «12,345» or «1 500,50». What is typed stays as typed; a figure the estimate refuses
        # marks its field and is said under the fields, and nothing is priced from another number.
        self.inputs: dict[str, QLineEdit] = {}
        for name, (label, _cap) in ESTIMATE_FIELDS.items():
            edit = QLineEdit(self)
            edit.setObjectName(f"calc_{name}")
            edit.setPlaceholderText("0")
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(140)
            self.inputs[name] = edit
            form.addRow(_(label) + ":", edit)
        self.hours_per_day = QLineEdit(self)
        self.hours_per_day.setObjectName("calc_hours_per_day")
        self.hours_per_day.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.hours_per_day.setMaximumWidth(140)
        self._hours_per_day_tip = _("Hours of work in one on-site day, used to compare the approaches")
        self.hours_per_day.setToolTip(self._hours_per_day_tip)
        form.addRow(_("Hours per on-site day:"), self.hours_per_day)
        # why a marked field is refused, under the fields: the message line is below the fold at 768 px
        self.field_error = QLabel(self)
        self.field_error.setObjectName("calculatorFieldError")
        self.field_error.setWordWrap(True)
        self.field_error.setStyleSheet(text_style("error"))
        self.field_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.field_error.hide()
        form.addRow(self.field_error)
        # figures typed for the comparison that the chosen approach does not price: a saved estimate keeps only its
        # approach's figures, and Save dropped the others without a word (tester H: a transfer typed with the
        # remote approach was empty after reopening)
        self.not_kept = QLabel(self)
        self.not_kept.setObjectName("calculatorNotKept")
        self.not_kept.setWordWrap(True)
        self.not_kept.setStyleSheet(text_style("warning"))
        self.not_kept.hide()
        form.addRow(self.not_kept)
        work.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        middle.addWidget(work)

        breakdown = QGroupBox(_("Breakdown"), self)
        bl = QVBoxLayout(breakdown)
        self.quote_model = QuoteModel(self)
        self.quote_view = self._table(self.quote_model, "calculatorBreakdown")
        self.quote_view.horizontalHeader().setSectionResizeMode(QuoteModel.COL_LABEL, QHeaderView.ResizeMode.Stretch)
        bl.addWidget(self.quote_view, 1)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("calculatorTotal")
        big = self.total_label.font()
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.2)
        self.total_label.setFont(big)
        self.vat_label = QLabel(self)
        self.vat_label.setObjectName("calculatorVat")
        self.usd_label = QLabel(self)
        self.usd_label.setObjectName("calculatorUsd")
        self.usd_label.setWordWrap(True)
        for figure in (self.total_label, self.vat_label, self.usd_label):
            figure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            bl.addWidget(figure)
        middle.addWidget(breakdown, 1)
        root.addLayout(middle, 3)

        compare = QGroupBox(_("Comparison for the same work"), self)
        cl = QHBoxLayout(compare)
        self.comparison_model = ComparisonModel(self)
        self.comparison_view = self._table(self.comparison_model, "calculatorComparison")
        self.comparison_view.horizontalHeader().setSectionResizeMode(ComparisonModel.COL_APPROACH,
                                                                    QHeaderView.ResizeMode.Stretch)
        cl.addWidget(self.comparison_view, 5)
        self.reasons_label = QLabel(self)
        self.reasons_label.setObjectName("calculatorReasons")
        self.reasons_label.setWordWrap(True)
        self.reasons_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.reasons_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cl.addWidget(self.reasons_label, 4)
        root.addWidget(compare, 2)

        bottom = QHBoxLayout()
        self.message_label = QLabel(self)
        self.message_label.setObjectName("calculatorMessage")
        self.message_label.setWordWrap(True)
        bottom.addWidget(self.message_label, 1)
        self.save_button = QPushButton(_("Save as the client's estimate"), self)
        self.save_button.setObjectName("calculatorSave")
        self.print_button = QPushButton(_("Print estimate…"), self)
        self.print_button.setObjectName("calculatorPrint")
        self.print_button.setToolTip(_("Saves the figures as the client's estimate first when they changed"))
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.print_button)
        root.addLayout(bottom)

        self.approach_combo.currentIndexChanged.connect(self._recompute)
        self.tariff_date.dateChanged.connect(self._recompute)
        for edit in self.inputs.values():
            edit.textChanged.connect(self._recompute)
        self.hours_per_day.textChanged.connect(self._recompute)
        self.hours_per_day.editingFinished.connect(self._store_hours_per_day)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_estimate)
        say_refusals(self, lambda text: self._show_message(text, error=bool(text)), self.message_label.text)

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

    # ---------------------------------------------------------------- actions

    def _store_hours_per_day(self) -> None:
        if self._loading:
            return
        try:
            value = self._hours_per_day()
            if value is None or value == self.context.hours_per_day:
                return
        except UserError:  # said under the fields
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
        refused = refusal(self.tariff_date)  # an estimate is never saved on another date than the one typed
        if refused:
            self._show_message(refused, error=True)
            return None
        try:
            data = self.input_data()
        except UserError as exc:
            self._show_message(exc.message, error=True)
            return None
        not_kept = self._not_kept_text(self.unsaved_fields(data), saved=True)
        changes = self._run(lambda: save_estimate(self.db, client_id, self.approach(), data, self.on_date()))
        if changes is not None:
            self._saved_state = state
            said = _("Saved as the estimate of «{name}».").format(name=in_quotes(self.client_name))
            self._show_message(f"{said} {not_kept}" if not_kept else said)
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
        self._refused = ""  # why the chosen client's estimate could not be read (kept over recomputes)
        self.banner.hide()
        if client_id is None:
            self.client_label.setText(_("No client selected"))
            self._show_message("")
            self._update_buttons()
            return
        from app.services.estimates import estimate_start

        try:
            start = estimate_start(self.db, client_id)
        except UserError as exc:  # deleted meanwhile, or a value the program cannot read: said, no estimate shown
            self.client_id = None
            self.client_label.setText(_("No client selected"))
            self._refused = exc.message
            self._show_message(exc.message, error=True)
            self.banner.setText(exc.full_text())
            self.banner.show()
            self._update_buttons()
            return
        saved = start.saved
        self.client_name = start.client_name
        self.client_label.setText(self.client_name)
        self._loading = True
        try:
            if saved is not None:
                self.set_approach(saved.approach)
                self.tariff_date.setDate(to_qdate(saved.on_date))
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
        the user is editing). While hidden the calculator only notes what to redo when it is shown."""
        if requires_estimate(changes, self.client_id) and initiator is not self and not self.dirty:
            self._pending = "estimate"
        elif requires_pricing(changes):
            self._context = None
            if changes.settings:
                self.hours_per_day.clear()
            self._pending = self._pending or "pricing"
        else:
            return
        self.request_reload()

    def reload(self) -> None:
        """Redo what the changes noted (callers use ``request_reload``): re-read the estimate, or recompute."""
        pending, self._pending = self._pending, ""
        if pending == "estimate" and not self.dirty:
            self._context = None
            self.set_client(self.client_id)
        elif pending:
            self._recompute()

    def show_client_name(self, name: str) -> None:
        """The shown client was renamed (the work area knows the new name from its rows)."""
        if self.client_id is not None and name != self.client_name:
            self.client_name = name
            self.client_label.setText(name)
