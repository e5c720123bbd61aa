"""What the cost calculator's parts share: the widgets and state CostCalculator sets up, its message line."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QWidget

from app.domain.comparison import Comparison
from app.domain.pricing import Quote
from app.services.changes import Changes
from ui.ops import Ops
from ui.palette import text_style
from ui.views.lazy import StaleOnHidden

if TYPE_CHECKING:
    from app.services.estimates import PricingContext
    from ui.dialogs.date_field import DateField
    from ui.models.quote import ComparisonModel, QuoteModel


class CalculatorBase(StaleOnHidden, QWidget):
    """The base of CostCalculator's parts (the typed figures, the quote): the widgets and state ``CostCalculator``
    sets up, declared here for them, and the message line they all use."""

    db: Any
    ops: Ops
    print_document: Callable[[QWidget, object, int], Changes | None] | None
    client_id: int | None
    client_name: str
    _context: PricingContext | None
    _pending: str
    _refused: str
    _quote: Quote | None
    _comparison: Comparison | None
    _saved_state: tuple | None
    _loading: bool
    approach_combo: QComboBox
    tariff_date: DateField
    inputs: dict[str, QLineEdit]
    hours_per_day: QLineEdit
    _hours_per_day_tip: str
    field_error: QLabel
    not_kept: QLabel
    quote_model: QuoteModel
    comparison_model: ComparisonModel
    total_label: QLabel
    vat_label: QLabel
    usd_label: QLabel
    reasons_label: QLabel
    message_label: QLabel
    save_button: QPushButton
    print_button: QPushButton

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(text_style("error" if error else "success"))
