"""Table models of the cost calculator: the lines of a quote and the approaches compared (plain rows)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.domain.comparison import Comparison
from app.domain.pricing import Quote
from app.domain.stages import APPROACH_UI, Approach
from app.i18n import N_, _, format_money, format_number
from ui.models.rows import RowsTableModel

AmountRole = Qt.ItemDataRole.UserRole + 1
ApproachRole = Qt.ItemDataRole.UserRole + 2
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
SHORT_TITLES = {"remote": N_("Remote, hourly"), "onsite": N_("On-site, daily"), "accompanied": N_("Accompanied")}


class QuoteModel(RowsTableModel):
    """Lines of a quote: item, quantity, unit, rate, amount (babel-formatted, Decimal under AmountRole)."""

    COL_LABEL, COL_QUANTITY, COL_UNIT, COL_RATE, COL_AMOUNT = range(5)
    HEADERS = (N_("Item"), N_("Quantity"), N_("Unit"), N_("Rate"), N_("Amount"))

    def set_quote(self, quote: Quote | None) -> None:
        self.set_rows(quote.lines if quote is not None else [])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        line = self.valid_row(index)
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (line.ui_label, format_number(line.quantity), line.ui_unit, format_money(line.rate),
                    format_money(line.amount))[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_LABEL:
            return line.label
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_QUANTITY, self.COL_RATE,
                                                                     self.COL_AMOUNT):
            return _RIGHT
        if role == AmountRole:
            return str((line.label, line.quantity, line.unit, line.rate, line.amount)[column])
        return None


class ComparisonModel(RowsTableModel):
    """The approaches priced for the same work; the cheapest paid one in bold."""

    COL_APPROACH, COL_WORK, COL_TOTAL, COL_PER_HOUR = range(4)
    HEADERS = (N_("Approach"), N_("Work"), N_("Total"), N_("Per hour of work"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._comparison: Comparison | None = None

    def set_comparison(self, comparison: Comparison | None) -> None:
        self._comparison = comparison
        self.set_rows(comparison.options if comparison else [])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        option = self.valid_row(index)
        if option is None or self._comparison is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_APPROACH:
                return _(SHORT_TITLES[option.approach])
            if column == self.COL_WORK:
                if option.approach == "onsite":
                    return _("{days} d. ({hours} h)").format(days=format_number(option.days),
                                                            hours=format_number(option.hours))
                if option.approach == "accompanied":
                    return _("self-study")
                return _("{hours} h").format(hours=format_number(option.hours))
            if column == self.COL_TOTAL:
                return format_money(option.quote.total)
            return format_money(option.per_hour) if option.approach != "accompanied" else "—"
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_APPROACH:
            return _(APPROACH_UI[Approach(option.approach)])
        if role == Qt.ItemDataRole.FontRole and option.approach == self._comparison.cheapest:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_TOTAL, self.COL_PER_HOUR):
            return _RIGHT
        if role == ApproachRole:
            return option.approach
        if role == AmountRole and column == self.COL_TOTAL:
            return str(option.quote.total)
        return None
